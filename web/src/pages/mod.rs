//! The console pages, one per route. In this first version they show empty states; the
//! engine fills them in later.

use crate::i18n::Text;
use crate::route::Route;
use crate::state::use_console;
use yew::prelude::*;
use yew_router::prelude::*;

pub mod snapshots;
use snapshots::SnapshotsPage;

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
        Route::Home | Route::Instances => {
            html! { <EmptyPage title={Text::Instances} empty={Text::EmptyInstances} /> }
        }
        Route::Images => html! { <EmptyPage title={Text::Images} empty={Text::EmptyImages} /> },
        Route::Disks => html! { <EmptyPage title={Text::Disks} empty={Text::EmptyDisks} /> },
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
