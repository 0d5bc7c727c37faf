//! Snaplab's console: a Yew app built by Trunk (see `index.html` at the repository root).

mod app;
mod components;
mod engine;
mod i18n;
mod pages;
mod route;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
