//! Snaplab's console: a Yew app built by Trunk (see `index.html` at the repository root).

mod app;
mod components;
mod engine;
mod i18n;
mod pages;
mod panic;
mod route;
mod state;

fn main() {
    // First: a panic anywhere after this shows the error page instead of a dead tab.
    panic::install();
    yew::Renderer::<app::App>::new().render();
}
