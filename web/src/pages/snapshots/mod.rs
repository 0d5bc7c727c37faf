//! The Snapshots page (SPEC §16) with its five tabs, each its own route: the snapshot list, the
//! snapshot chains with the block-reference view and the deletion merge, the snapshot capacity;
//! automatic snapshot policies and consistency groups are placeholders for now.

pub mod blockview;
pub mod capacity;
pub mod chain;
pub mod chains;
pub mod dialogs;
pub mod history;
pub mod list;
pub mod merge;
pub mod model;
pub mod text;
pub mod util;

use crate::i18n::Text;
use crate::pages::EmptyState;
use crate::route::Route;
use crate::state::use_console;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SnapshotsProps {
    pub tab: Route,
}

const SNAPSHOT_TABS: [(Route, Text); 5] = [
    (Route::Snapshots, Text::TabSnapshots),
    (Route::SnapshotChains, Text::TabChains),
    (Route::SnapshotPolicies, Text::TabPolicies),
    (Route::SnapshotCapacity, Text::TabCapacity),
    (Route::SnapshotGroups, Text::TabGroups),
];

#[function_component(SnapshotsPage)]
pub fn snapshots_page(props: &SnapshotsProps) -> Html {
    let console = use_console();
    let body = match props.tab {
        Route::Snapshots => html! { <list::SnapshotList /> },
        Route::SnapshotChains => html! { <chains::ChainsTab /> },
        Route::SnapshotCapacity => html! { <capacity::CapacityTab /> },
        Route::SnapshotPolicies => html! { <EmptyState text={Text::EmptyPolicies} /> },
        _ => html! { <EmptyState text={Text::EmptyGroups} /> },
    };
    html! {
        <section class="page">
            <h1>{ console.t(Text::Snapshots) }</h1>
            <nav class="tabs" aria-label={console.t(Text::SnapshotTabs)}>
                { for SNAPSHOT_TABS.iter().map(|(route, label)| {
                    let current = *route == props.tab;
                    html! {
                        <Link<Route> to={route.clone()} classes={classes!("tab", current.then_some("active"))}>
                            <span aria-current={current.then_some("page")}>{ console.t(*label) }</span>
                        </Link<Route>>
                    }
                }) }
            </nav>
            { body }
        </section>
    }
}
