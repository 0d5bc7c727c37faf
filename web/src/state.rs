//! The console's reducer-style state, shared through a Yew context.
//!
//! The console keeps only what is about the page (language, selected region); everything
//! about the emulated world comes from the engine. The reducer is pure: the provider keeps the
//! state in the browser (and the page's `lang` attribute) in an effect, whenever it changes.

use crate::i18n::{Lang, Tr};
use snaplab_engine::catalog;
use std::rc::Rc;
use yew::prelude::*;

const LANG_KEY: &str = "snaplab.lang";
const REGION_KEY: &str = "snaplab.region";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleState {
    pub lang: Lang,
    pub region: &'static str,
}

/// What can happen to the console state.
pub enum Action {
    SetLang(Lang),
    SetRegion(String),
}

impl ConsoleState {
    /// The state saved in the browser, or the defaults (English, cn-hangzhou).
    pub fn load() -> Self {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        let get = |k: &str| storage.as_ref().and_then(|s| s.get_item(k).ok().flatten());
        let lang = get(LANG_KEY).map(|t| Lang::from_tag(&t)).unwrap_or(Lang::En);
        let region = get(REGION_KEY)
            .and_then(|r| region_id(&r))
            .unwrap_or(catalog::DEFAULT_REGION);
        Self { lang, region }
    }

    /// Keeps the language and region in the browser and sets the page's `lang`.
    fn save(&self) {
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.set_item(LANG_KEY, self.lang.tag());
            let _ = s.set_item(REGION_KEY, self.region);
        }
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", self.lang.tag());
        }
    }

    /// A region's name in the current language (the API's `LocalName`).
    pub fn region_name(&self, region: &catalog::Region) -> &'static str {
        region.local_name_for(self.lang.tag())
    }

    /// A string of the translation table in the current language.
    pub fn t(&self, text: impl Tr) -> &'static str {
        text.get(self.lang)
    }
}

/// The static id of a region the engine emulates.
fn region_id(id: &str) -> Option<&'static str> {
    catalog::region(id).map(|r| r.id)
}

impl Reducible for ConsoleState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = match action {
            Action::SetLang(lang) => ConsoleState {
                lang,
                ..(*self).clone()
            },
            Action::SetRegion(id) => match region_id(&id) {
                Some(region) => ConsoleState {
                    region,
                    ..(*self).clone()
                },
                None => return self,
            },
        };
        Rc::new(next)
    }
}

pub type Console = UseReducerHandle<ConsoleState>;

/// The console state of the nearest provider.
#[hook]
pub fn use_console() -> Console {
    use_context::<Console>().expect("the App provides the console state")
}

#[derive(Properties, PartialEq)]
pub struct ProviderProps {
    pub children: Children,
}

/// Provides the console state to everything below it.
#[function_component(ConsoleProvider)]
pub fn console_provider(props: &ProviderProps) -> Html {
    let state = use_reducer(ConsoleState::load);
    // Kept whenever the language or region changes (and once at the start: a saved region the
    // engine does not emulate, or none, is written back as the one shown).
    use_effect_with((state.lang, state.region), {
        let state = state.clone();
        move |_| {
            state.save();
            || ()
        }
    });
    html! {
        <ContextProvider<Console> context={state}>{ props.children.clone() }</ContextProvider<Console>>
    }
}
