//! Every console page has its own URL (SPEC §16's navigation).

use yew_router::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/instances")]
    Instances,
    #[at("/instances/:id")]
    Instance { id: String },
    #[at("/instances/:id/disks")]
    InstanceDisks { id: String },
    #[at("/instances/:id/snapshots")]
    InstanceSnapshots { id: String },
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
