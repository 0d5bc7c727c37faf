//! The console pages, one per route. In this first version they show empty states; the
//! engine fills them in later.

use crate::i18n::Text;
use crate::route::Route;
use crate::state::use_console;
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

/// The Snapshots page with its five tabs (SPEC §16); each tab is its own route.
#[derive(Properties, PartialEq)]
pub struct SnapshotsProps {
    pub tab: Route,
}

const SNAPSHOT_TABS: [(Route, Text, Text); 5] = [
    (Route::Snapshots, Text::TabSnapshots, Text::EmptySnapshots),
    (Route::SnapshotChains, Text::TabChains, Text::EmptyChains),
    (Route::SnapshotPolicies, Text::TabPolicies, Text::EmptyPolicies),
    (Route::SnapshotCapacity, Text::TabCapacity, Text::EmptyCapacity),
    (Route::SnapshotGroups, Text::TabGroups, Text::EmptyGroups),
];

#[function_component(SnapshotsPage)]
pub fn snapshots_page(props: &SnapshotsProps) -> Html {
    let console = use_console();
    let empty = SNAPSHOT_TABS
        .iter()
        .find(|(r, _, _)| *r == props.tab)
        .map(|(_, _, e)| *e);
    html! {
        <section class="page">
            <h1>{ console.t(Text::Snapshots) }</h1>
            <nav class="tabs" aria-label={console.t(Text::SnapshotTabs)}>
                { for SNAPSHOT_TABS.iter().map(|(route, label, _)| {
                    let current = *route == props.tab;
                    html! {
                        <Link<Route> to={*route} classes={classes!("tab", current.then_some("active"))}>
                            <span aria-current={current.then_some("page")}>{ console.t(*label) }</span>
                        </Link<Route>>
                    }
                }) }
            </nav>
            if let Some(empty) = empty {
                <EmptyState text={empty} />
            }
        </section>
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
