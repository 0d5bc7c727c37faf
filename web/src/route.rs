//! Every console page has its own URL (SPEC §16's navigation).

use yew_router::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/instances")]
    Instances,
    #[at("/images")]
    Images,
    #[at("/disks")]
    Disks,
    #[at("/snapshots")]
    Snapshots,
    #[at("/snapshots/chains")]
    SnapshotChains,
    #[at("/snapshots/policies")]
    SnapshotPolicies,
    #[at("/snapshots/capacity")]
    SnapshotCapacity,
    #[at("/snapshots/groups")]
    SnapshotGroups,
    #[at("/cloud-assistant")]
    CloudAssistant,
    #[not_found]
    #[at("/404")]
    NotFound,
}
