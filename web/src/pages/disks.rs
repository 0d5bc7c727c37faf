//! The Disks page (stub; filled in next).

use crate::i18n::Text;
use crate::pages::EmptyPage;
use yew::prelude::*;

#[function_component(DisksPage)]
pub fn page() -> Html {
    html! { <EmptyPage title={Text::Disks} empty={Text::EmptyDisks} /> }
}
