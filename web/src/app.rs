//! The console frame: providers, router, top bar, navigation, page.

use crate::components::{nav::Nav, topbar::TopBar};
use crate::i18n::Text;
use crate::pages::switch;
use crate::route::Route;
use crate::state::{use_console, ConsoleProvider};
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <ConsoleProvider>
            <BrowserRouter>
                <Frame />
            </BrowserRouter>
        </ConsoleProvider>
    }
}

#[function_component(Frame)]
fn frame() -> Html {
    let console = use_console();
    html! {
        <div class="console" data-ready="true">
            <TopBar />
            <div class="body">
                <Nav />
                <main>
                    <Switch<Route> render={switch} />
                </main>
            </div>
            <footer class="footer muted">
                { format!("{} {}", console.t(Text::EngineVersion), snaplab_engine::version()) }
            </footer>
        </div>
    }
}
