//! The console frame: providers, router, top bar, clock and world actions, navigation, page,
//! terminal.

use crate::components::activation::Activation;
use crate::components::clock::ClockControl;
use crate::components::terminal::Terminal;
use crate::components::world::WorldActions;
use crate::components::{nav::Nav, topbar::TopBar};
use crate::engine::{use_engine, EngineProvider, Status};
use crate::i18n::Text;
use crate::pages::switch;
use crate::route::Route;
use crate::state::{use_console, ConsoleProvider};
use yew::prelude::*;
use yew_router::prelude::*;

crate::texts! {
    enum T {
        Opening => ("Opening the world…", "正在打开世界…"),
        OpenFailed => ("The world could not be opened from the browser's storage:", "无法从浏览器存储中打开世界："),
    }
}

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <ConsoleProvider>
            <EngineProvider>
                <BrowserRouter>
                    <Frame />
                </BrowserRouter>
            </EngineProvider>
        </ConsoleProvider>
    }
}

#[function_component(Frame)]
fn frame() -> Html {
    let console = use_console();
    let engine = use_engine();
    let status = match &engine.state.status {
        Status::Loading => html! { <div class="engine-status" role="status">{ console.t(T::Opening) }</div> },
        Status::Failed(why) => html! {
            <div class="error-banner" role="alert">{ format!("{} {why}", console.t(T::OpenFailed)) }</div>
        },
        Status::Ready => html! {},
    };
    html! {
        <div class="console" data-ready="true" data-engine={if engine.ready() { "ready" } else { "loading" }}
            data-world-version={engine.version().to_string()}>
            <TopBar />
            <div class="toolbar">
                <ClockControl />
                <span class="spacer"></span>
                <WorldActions />
            </div>
            { status }
            <div class="body">
                <Nav />
                <main>
                    <Switch<Route> render={switch} />
                </main>
            </div>
            <Terminal />
            <footer class="footer muted">
                { format!("{} {}", console.t(Text::EngineVersion), snaplab_engine::version()) }
            </footer>
            if engine.ready() { <Activation /> }
        </div>
    }
}
