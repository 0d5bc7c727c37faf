//! The Snapshots page (SPEC §16) with its five tabs, each its own route: the snapshot list, the
//! snapshot chains with the block-reference view, the snapshot capacity; automatic snapshot
//! policies and consistency groups are placeholders for now.

pub mod blockview;
pub mod chain;
pub mod merge;
pub mod text;
pub mod util;

use super::EmptyState;
use crate::i18n::Text;
use crate::route::Route;
use crate::state::use_console;
use yew::prelude::*;
use yew_router::prelude::*;

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
