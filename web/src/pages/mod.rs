//! The console pages, one per route.

pub mod common;
pub mod disks;
pub mod images;
pub mod instances;
pub mod snapshots;

use crate::i18n::Text;
use crate::route::Route;
use crate::state::use_console;
use snapshots::SnapshotsPage;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmptyPageProps {
    pub title: Text,
    pub empty: Text,
}

/// A page with a heading and its empty state, naming the selected region.
#[function_component(EmptyPage)]
pub fn empty_page(props: &EmptyPageProps) -> Html {
    let console = use_console();
    html! {
        <section class="page">
            <h1>{ console.t(props.title) }</h1>
            <EmptyState text={props.empty} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmptyStateProps {
    pub text: Text,
}

#[function_component(EmptyState)]
pub fn empty_state(props: &EmptyStateProps) -> Html {
    let console = use_console();
    html! {
        <div class="empty" role="status">
            <p>{ console.t(props.text) }</p>
            <p class="muted"><code>{ console.region }</code></p>
        </div>
    }
}

#[function_component(NotFoundPage)]
pub fn not_found_page() -> Html {
    let console = use_console();
    html! {
        <section class="page">
            <h1>{ console.t(Text::NotFoundTitle) }</h1>
            <p>{ console.t(Text::NotFoundBody) }</p>
            <Link<Route> to={Route::Instances}>{ console.t(Text::BackToInstances) }</Link<Route>>
        </section>
    }
}

/// The page of a route.
pub fn switch(route: Route) -> Html {
    match route {
        Route::Home | Route::Instances => html! { <instances::InstancesPage /> },
        Route::Instance { id } => html! { <instances::InstancePage {id} tab={instances::Tab::Overview} /> },
        Route::InstanceDisks { id } => html! { <instances::InstancePage {id} tab={instances::Tab::Disks} /> },
        Route::InstanceSnapshots { id } => html! { <instances::InstancePage {id} tab={instances::Tab::Snapshots} /> },
        Route::Images => html! { <images::ImagesPage /> },
        Route::Disks => html! { <disks::DisksPage /> },
        Route::Snapshots
        | Route::SnapshotChains
        | Route::SnapshotPolicies
        | Route::SnapshotCapacity
        | Route::SnapshotGroups => html! { <SnapshotsPage tab={route} /> },
        Route::CloudAssistant => {
            html! { <EmptyPage title={Text::CloudAssistant} empty={Text::EmptyCloudAssistant} /> }
        }
        Route::NotFound => html! { <NotFoundPage /> },
    }
}
