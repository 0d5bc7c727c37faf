//! The left navigation, grouped as in the ECS console (SPEC §16).

use crate::i18n::Text;
use crate::route::Route;
use crate::state::use_console;
use yew::prelude::*;
use yew_router::prelude::*;

/// The navigation groups and their pages.
const GROUPS: [(Text, &[(Route, Text)]); 3] = [
    (
        Text::GroupInstancesImages,
        &[(Route::Instances, Text::Instances), (Route::Images, Text::Images)],
    ),
    (
        Text::GroupStorageSnapshots,
        &[(Route::Disks, Text::Disks), (Route::Snapshots, Text::Snapshots)],
    ),
    (
        Text::GroupOpsMonitoring,
        &[(Route::CloudAssistant, Text::CloudAssistant)],
    ),
];

/// Whether `current` belongs to the navigation entry `entry` (the snapshot tabs are all
/// under Snapshots).
fn is_under(current: Option<&Route>, entry: &Route) -> bool {
    match (current, entry) {
        (Some(c), Route::Snapshots) => matches!(
            c,
            Route::Snapshots
                | Route::SnapshotChains
                | Route::SnapshotPolicies
                | Route::SnapshotCapacity
                | Route::SnapshotGroups
        ),
        (
            Some(Route::Home | Route::Instance { .. } | Route::InstanceDisks { .. } | Route::InstanceSnapshots { .. }),
            Route::Instances,
        ) => true,
        (Some(c), e) => c == e,
        (None, _) => false,
    }
}

#[function_component(Nav)]
pub fn nav() -> Html {
    let console = use_console();
    let current = use_route::<Route>();
    html! {
        <nav class="sidenav" aria-label={console.t(Text::MainNavigation)}>
            { for GROUPS.iter().map(|(group, entries)| html! {
                <section class="navgroup">
                    <h2 class="navgroup-title">{ console.t(*group) }</h2>
                    <ul>
                        { for entries.iter().map(|(route, text)| {
                            let here = is_under(current.as_ref(), route);
                            html! {
                                <li>
                                    <Link<Route> to={route.clone()} classes={classes!(here.then_some("active"))}>
                                        { console.t(*text) }
                                    </Link<Route>>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }) }
        </nav>
    }
}
