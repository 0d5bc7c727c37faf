//! The top bar: product name, region selector, language switch.

use crate::i18n::{Lang, Text};
use crate::state::{use_console, Action};
use snaplab_engine::catalog;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[function_component(TopBar)]
pub fn top_bar() -> Html {
    let console = use_console();
    let on_region = {
        let console = console.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            console.dispatch(Action::SetRegion(select.value()));
        })
    };
    let lang_button = |lang: Lang, label: &'static str| {
        let console = console.clone();
        let pressed = console.lang == lang;
        html! {
            <button type="button" class={classes!("lang", pressed.then_some("active"))}
                aria-pressed={pressed.to_string()} lang={lang.tag()}
                onclick={Callback::from(move |_| console.dispatch(Action::SetLang(lang)))}>
                { label }
            </button>
        }
    };
    html! {
        <header class="topbar">
            <span class="brand">{ console.t(Text::ProductName) }</span>
            <label class="region">
                <span class="label">{ console.t(Text::Region) }</span>
                <select aria-label={console.t(Text::Region)} onchange={on_region}>
                    { for catalog::regions().iter().map(|r| html! {
                        <option value={r.id} selected={r.id == console.region}>
                            { format!("{} ({})", console.region_name(r), r.id) }
                        </option>
                    }) }
                </select>
            </label>
            <span class="tagline">{ console.t(Text::ProductTagline) }</span>
            <div class="langs" role="group" aria-label={console.t(Text::Language)}>
                { lang_button(Lang::En, "English") }
                { lang_button(Lang::Zh, "中文") }
            </div>
        </header>
    }
}
