//! The Images page (stub; filled in next).

use crate::i18n::Text;
use crate::pages::EmptyPage;
use yew::prelude::*;

#[function_component(ImagesPage)]
pub fn page() -> Html {
    html! { <EmptyPage title={Text::Images} empty={Text::EmptyImages} /> }
}
