//! The emulated ECS world: regions, instances, disks, snapshots on a simulated clock, with the
//! block engine underneath. Pure and synchronous: [`World::exec`] takes a [`Request`] and a
//! [`BlockSource`] for stored block bytes, and returns the reply plus the physical
//! [`Effects`] (block bytes to store or free) for the caller to commit in one transaction
//! (see [`crate::session`]).
//!
//! [`World::exec`] dispatches on the request's product (each product has its action table:
//! `ecs` today) or runs the `snaplab …` command (`emulator`). One file per family of
//! actions, like the API reference: `regions`, `instances`, `disks`, `rollback` (ResetDisk,
//! ReInitDisk, ReplaceSystemDisk), `snapshots`, and `emulator` for the `snaplab …` commands.

mod billing;
mod capacity;
mod copies;
mod disks;
mod emulator;
mod guest_io;
mod images;
mod instances;
pub mod model;
pub mod params;
mod regions;
mod retention;
mod rollback;
mod snapshots;
mod tags;
pub mod validate;

use crate::blocks::{BlockEngine, BlockError, BlockSource, Effects};
use crate::catalog;
use crate::clock::{SimClock, Timestamp};
use crate::error::{EcsError, Resource};
use crate::ids::IdGen;
use crate::request::{CliError, Emulator, Params, Product, Request, Target};
use model::{CapacitySample, Disk, Image, Instance, InstanceStatus, Snapshot, Tag};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The default block size of a new world: 1 MiB (a power of two; `snaplab world reset
/// --BlockSize` chooses another).
pub const DEFAULT_BLOCK_SIZE: u32 = 1 << 20;
/// The default seed of a new world.
pub const DEFAULT_SEED: u64 = 1;
const GIB: u64 = 1 << 30;

/// Why a command failed: an API refusal, or a line the command line could not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    Api(EcsError),
    Cli(CliError),
}

impl Failure {
    pub fn code(&self) -> &str {
        match self {
            Failure::Api(e) => e.code(),
            Failure::Cli(e) => e.code(),
        }
    }

    /// The API's error object (SPEC §17).
    pub fn to_json(&self, request_id: &str) -> Value {
        match self {
            Failure::Api(e) => e.to_json(request_id),
            Failure::Cli(e) => e.to_error_body(request_id),
        }
    }
}

impl From<EcsError> for Failure {
    fn from(e: EcsError) -> Self {
        Failure::Api(e)
    }
}

impl From<CliError> for Failure {
    fn from(e: CliError) -> Self {
        Failure::Cli(e)
    }
}

/// Block-engine refusals that reach the API are internal inconsistencies or range errors the
/// world checks first; they map to the closest ECS code.
impl From<BlockError> for Failure {
    fn from(e: BlockError) -> Self {
        Failure::Api(match e {
            BlockError::MissingContent(_) => EcsError::InternalError,
            other => EcsError::invalid("Block", other.to_string()),
        })
    }
}

pub type Outcome<T> = Result<T, Failure>;

/// The whole emulated world. Serializable: `snaplab world export`/`import` and persistence.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct World {
    pub seed: u64,
    pub clock: SimClock,
    ids: IdGen,
    pub service_activated: bool,
    pub instances: BTreeMap<String, Instance>,
    pub disks: BTreeMap<String, Disk>,
    pub snapshots: BTreeMap<String, Snapshot>,
    /// The block engine. Not part of the world's own serialization: it is persisted as records
    /// (see [`crate::session`]) and exported beside it ([`World::to_full_json`]).
    #[serde(skip, default = "detached_engine")]
    pub blocks: BlockEngine,
    /// Custom images (SPEC §9).
    #[serde(default)]
    pub images: BTreeMap<String, Image>,
    /// Tags of disks and instances, by resource ID (R-TAG-1; snapshots and images keep their
    /// own).
    #[serde(default)]
    pub resource_tags: BTreeMap<String, Vec<Tag>>,
    /// Per region, its snapshot capacity over time, one sample per change (R-CAP-1).
    #[serde(default)]
    pub capacity_history: BTreeMap<String, Vec<CapacitySample>>,
    /// Physical effects of what the clock did (retention expiry) since the last command
    /// returned; [`World::exec`] hands them to the caller with the command's own.
    #[serde(skip)]
    pending: Effects,
}

/// What one command did: the reply, and the block bytes to store or free.
#[derive(Debug, Default)]
pub struct Applied {
    pub reply: Value,
    pub effects: Effects,
}

impl Applied {
    /// A reply with only the `RequestId` (added by [`World::exec`]).
    pub fn default_reply() -> Applied {
        Applied {
            reply: json!({}),
            effects: Effects::default(),
        }
    }
}

/// The engine of a world read without its blocks, until the caller attaches the real one.
fn detached_engine() -> BlockEngine {
    BlockEngine::new(DEFAULT_BLOCK_SIZE).unwrap_or_else(|_| unreachable!("the default block size is valid"))
}

impl World {
    /// The whole world as one JSON value: its own state, and the block engine's full state
    /// under `"blocks"` (the `World` of `snaplab world export`).
    pub fn to_full_json(&self) -> Result<Value, serde_json::Error> {
        let mut value = serde_json::to_value(self)?;
        if let Value::Object(map) = &mut value {
            map.insert("blocks".into(), serde_json::to_value(&self.blocks)?);
        }
        Ok(value)
    }

    /// Reads what [`World::to_full_json`] wrote; the block engine checks its own consistency.
    pub fn from_full_json(mut value: Value) -> Result<World, serde_json::Error> {
        use serde::de::Error as _;
        let blocks = value
            .as_object_mut()
            .and_then(|m| m.remove("blocks"))
            .ok_or_else(|| serde_json::Error::missing_field("blocks"))?;
        let mut world: World = serde_json::from_value(value)?;
        world.blocks = serde_json::from_value(blocks)?;
        Ok(world)
    }

    /// A new world: the clock at its default start, the snapshot service not activated.
    pub fn new(seed: u64, block_size: u32) -> Outcome<World> {
        let blocks = BlockEngine::new(block_size).map_err(|e| EcsError::invalid("BlockSize", e.to_string()))?;
        Ok(World {
            seed,
            clock: SimClock::new(),
            ids: IdGen::new(seed),
            service_activated: false,
            instances: BTreeMap::new(),
            disks: BTreeMap::new(),
            snapshots: BTreeMap::new(),
            blocks,
            images: BTreeMap::new(),
            resource_tags: BTreeMap::new(),
            capacity_history: BTreeMap::new(),
            pending: Effects::default(),
        })
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn block_size(&self) -> u64 {
        u64::from(self.blocks.block_size())
    }

    /// A fresh `RequestId`.
    pub fn request_id(&mut self) -> String {
        self.ids.next_request_id()
    }

    /// Goes on counting request IDs from where `other` is (a world read back from its store
    /// after a failure: reads drew IDs it never saved, which must not be drawn again).
    pub(crate) fn continue_request_ids(&mut self, other: &World) {
        self.ids.request_counter = self.ids.request_counter.max(other.ids.request_counter);
    }

    fn new_id(&mut self, kind: Resource, region: &str) -> Outcome<String> {
        self.ids
            .next_id_in_region(kind, region)
            .ok_or_else(|| Failure::Api(EcsError::not_found(Resource::Region, region.to_string())))
    }

    /// Runs one request (a parsed [`crate::cli::Command`] or a [`Request`]). On error nothing
    /// has changed (the caller keeps the world it had: every action validates before it
    /// mutates, and [`crate::session`] restores the previous state if a commit fails).
    pub fn exec(&mut self, request: impl AsRef<Request>, source: &dyn BlockSource) -> Outcome<Applied> {
        let req = request.as_ref();
        // Issue 12 item 1: a parameter the target does not take is refused before anything runs.
        params::check(req)?;
        let region = req
            .region
            .clone()
            .or_else(|| req.params.raw("RegionId").map(str::to_string));
        let run = |w: &mut World| match &req.target {
            Target::Api { product, action } => match product {
                Product::Ecs => w.ecs(action, &req.params, region.as_deref(), source),
            },
            Target::Snaplab(command) => emulator::exec(w, command, &req.params, source),
        };
        // `DryRun` for API actions and for the `snaplab` commands the world runs (the two the
        // session runs refuse it in `params::check`).
        if req.params.bool("DryRun")? == Some(true) {
            // Every check runs, on a scratch copy whose changes are dropped: ECS answers
            // DryRunOperation when all of them pass, or the first refusal.
            let mut scratch = self.clone();
            run(&mut scratch)?;
            return Err(EcsError::DryRunOperation.into());
        }
        let applied = run(self)?;
        Ok(self.finish(applied))
    }

    /// What follows every operation that ran: the clock's effects join the operation's, the
    /// capacity history gets its sample, orphan tags go, and the reply gets its `RequestId`.
    fn finish(&mut self, mut applied: Applied) -> Applied {
        // What the clock did while the command ran (retention expiry) is committed with it.
        let clock_effects = std::mem::take(&mut self.pending);
        applied.effects = merge_effects(clock_effects, std::mem::take(&mut applied.effects));
        capacity::sample(self, self.now());
        tags::prune(self);
        if let Value::Object(map) = &mut applied.reply {
            if !map.contains_key("RequestId") {
                let id = self.request_id();
                map.insert("RequestId".into(), Value::String(id));
            }
        }
        applied
    }

    /// The ECS actions (API.md), by name.
    fn ecs(&mut self, action: &str, p: &Params, region: Option<&str>, source: &dyn BlockSource) -> Outcome<Applied> {
        let reply = |v: Value| {
            Ok(Applied {
                reply: v,
                effects: Effects::default(),
            })
        };
        match action {
            "DescribeRegions" => reply(regions::describe_regions(p)?),
            "DescribeZones" => reply(regions::describe_zones(p, self.region(region)?)?),
            "RunInstances" => reply(instances::run(self, p, self.region(region)?)?),
            "DescribeInstances" => reply(instances::describe(self, p, self.region(region)?)?),
            "StartInstance" => reply(instances::start(self, p)?),
            "StopInstance" => reply(instances::stop(self, p)?),
            "RebootInstance" => reply(instances::reboot(self, p)?),
            "DeleteInstance" => instances::delete(self, p),
            "DescribeDisks" => reply(disks::describe(self, p, self.region(region)?)?),
            "CreateDisk" => reply(disks::create(self, p, self.region(region)?)?),
            "AttachDisk" => reply(disks::attach_disk(self, p)?),
            "DetachDisk" => reply(disks::detach_disk(self, p)?),
            "DeleteDisk" => disks::delete(self, p),
            "ResizeDisk" => reply(disks::resize(self, p)?),
            "ModifyDiskAttribute" => reply(disks::modify_attribute(self, p, region)?),
            "ResetDisk" => rollback::reset(self, p),
            "ReInitDisk" => rollback::reinit(self, p),
            "ReplaceSystemDisk" => rollback::replace_system_disk(self, p),
            "CreateSnapshot" => reply(snapshots::create(self, p)?),
            "DescribeSnapshots" => reply(snapshots::describe(self, p, self.region(region)?)?),
            "DeleteSnapshot" => snapshots::delete(self, p),
            "DescribeSnapshotLinks" => reply(snapshots::describe_links(self, p, self.region(region)?)?),
            "DescribeSnapshotsUsage" => reply(snapshots::usage(self, self.region(region)?)),
            "CopySnapshot" => reply(copies::copy(self, p, self.region(region)?)?),
            "ModifySnapshotAttribute" => reply(snapshots::modify(self, p)?),
            "DescribeSnapshotMonitorData" => reply(capacity::monitor_data(self, p, self.region(region)?)?),
            "CreateImage" => reply(images::create(self, p, self.region(region)?)?),
            "DescribeImages" => reply(images::describe(self, p, self.region(region)?)?),
            "DeleteImage" => images::delete(self, p, self.region(region)?),
            "ModifyImageSharePermission" => reply(images::modify_share_permission(self, p, self.region(region)?)?),
            "TagResources" => reply(tags::tag(self, p, tags::region(region)?)?),
            "UntagResources" => reply(tags::untag(self, p, tags::region(region)?)?),
            "ListTagResources" => reply(tags::list(self, p, tags::region(region)?)?),
            _ => {
                let _ = source;
                Err(EcsError::InvalidAction {
                    action: action.to_string(),
                }
                .into())
            }
        }
    }

    /// What an emulator command will read from stored block bytes (for prefetching).
    pub fn needs(&self, command: &Emulator, p: &Params) -> Vec<crate::blocks::Need> {
        emulator::needs(self, command, p)
    }

    /// The region of a call that needs one (`RegionId` or `--region`).
    fn region(&self, region: Option<&str>) -> Outcome<&'static str> {
        let id = region.ok_or_else(|| EcsError::missing("RegionId"))?;
        catalog::region(id)
            .map(|r| r.id)
            .ok_or_else(|| EcsError::not_found(Resource::Region, id).into())
    }

    // ----- the simulated clock -----

    /// Applies every scheduled transition due at or before `now`.
    fn settle(&mut self) {
        let now = self.now();
        for inst in self.instances.values_mut() {
            while let Some(t) = inst.transitions.first().copied() {
                if t.at > now {
                    break;
                }
                inst.status = t.to;
                if t.to == InstanceStatus::Running {
                    inst.start_time = Some(t.at);
                }
                inst.transitions.remove(0);
            }
        }
        // R-CRT-5: expired snapshots go; their freed bytes reach the next commit.
        // (R-IA-4: instant access ends by itself at its `until`, which every reader compares
        // with the clock: nothing to apply here.)
        let fx = retention::expire_due(self);
        let pending = std::mem::take(&mut self.pending);
        self.pending = merge_effects(pending, fx);
    }

    /// The next time something in progress changes: an instance transition, a snapshot or
    /// copy finishing, an image becoming available.
    pub fn next_activity(&self) -> Option<Timestamp> {
        let now = self.now();
        let transitions = self
            .instances
            .values()
            .filter_map(|i| i.transitions.first().map(|t| t.at));
        let snapshots = self.snapshots.values().map(|s| s.done_at).filter(|t| *t > now);
        let images = self.images.values().map(|i| i.done_at).filter(|t| *t > now);
        transitions.chain(snapshots).chain(images).min()
    }

    /// The next time something scheduled happens: [`World::next_activity`], a snapshot's
    /// retention ending (R-CRT-5) or its instant access ending (R-IA-4).
    pub fn next_event(&self) -> Option<Timestamp> {
        self.next_activity()
            .into_iter()
            .chain(retention::next_expiry(self))
            .chain(retention::next_instant_access_end(self))
            .min()
    }

    /// Moves the clock to `to` (not backwards) and settles.
    pub fn advance_to(&mut self, to: Timestamp) -> Outcome<()> {
        self.clock
            .advance_to(to)
            .map_err(|e| EcsError::invalid("Seconds", e.to_string()))?;
        self.settle();
        Ok(())
    }

    /// Advances until nothing is in progress (scheduled retention expiries do not count,
    /// SPEC §18).
    pub fn run_until_idle(&mut self) -> Outcome<()> {
        while let Some(t) = self.next_activity() {
            self.advance_to(t.max(self.now()))?;
        }
        Ok(())
    }

    // ----- lookups used by the actions -----

    fn instance(&self, id: &str) -> Outcome<&Instance> {
        self.instances
            .get(id)
            .ok_or_else(|| EcsError::not_found(Resource::Instance, id).into())
    }

    fn disk(&self, id: &str) -> Outcome<&Disk> {
        self.disks
            .get(id)
            .ok_or_else(|| EcsError::not_found(Resource::Disk, id).into())
    }

    fn snapshot(&self, id: &str) -> Outcome<&Snapshot> {
        self.snapshots
            .get(id)
            .ok_or_else(|| EcsError::not_found(Resource::Snapshot, id).into())
    }

    /// Blocks of a disk of `size_gib`.
    fn blocks_of(&self, size_gib: u64) -> u64 {
        size_gib.saturating_mul(GIB) / self.block_size()
    }

    /// A summary for `snaplab world show`.
    pub fn show(&self) -> Value {
        use crate::replies::Reply;
        self.summary().to_json()
    }

    /// What `snaplab world show` says, typed.
    pub fn summary(&self) -> crate::replies::WorldShow {
        crate::replies::WorldShow {
            seed: self.seed,
            block_size: self.block_size(),
            now: self.now().to_iso(),
            service_activated: self.service_activated,
            instances: self.instances.len() as u64,
            disks: self.disks.len() as u64,
            snapshots: self.snapshots.len() as u64,
            stored_bytes: self.blocks.stored_bytes(),
        }
    }
}

/// The ECS naming rule of snapshots, disks and images (API.md): 2–128 characters, starting
/// with a letter (Latin or Chinese), then letters, digits, `:`, `_`, `.`, `-`; not `http://`
/// or `https://`.
fn is_valid_name(name: &str) -> bool {
    let n = name.chars().count();
    let lower = name.to_ascii_lowercase();
    (2..=128).contains(&n)
        && name.chars().next().is_some_and(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ':' | '_' | '.' | '-'))
        && !lower.starts_with("http://")
        && !lower.starts_with("https://")
}

/// Pages `rows` into `{Wrapper: {Item: [...]}}` with both paging models (API.md "Paging
/// models"): `NextToken`/`MaxResults` (the token is the index of the next row) or the
/// deprecated `PageNumber`/`PageSize`.
fn page(p: &Params, rows: Vec<Value>, wrapper: &str, item: &str, max: i64) -> Outcome<Value> {
    let total = rows.len();
    let token = match p.get("NextToken")? {
        None | Some("") => None,
        Some(t) => Some(
            t.parse::<usize>()
                .ok()
                .filter(|n| *n <= total)
                .ok_or_else(|| EcsError::invalid("NextToken", ""))?,
        ),
    };
    let max_results = p.int("MaxResults", 1, max)?;
    let (start, size, page_number) = if token.is_some() || max_results.is_some() {
        (token.unwrap_or(0), max_results.unwrap_or(10) as usize, 1)
    } else {
        let size = p.int("PageSize", 1, max)?.unwrap_or(10) as usize;
        let number = p.int("PageNumber", 1, i64::from(u32::MAX))?.unwrap_or(1) as usize;
        (number.saturating_sub(1).saturating_mul(size), size, number)
    };
    let end = start.saturating_add(size).min(total);
    let slice: Vec<Value> = rows.into_iter().skip(start).take(end.saturating_sub(start)).collect();
    let next = if end < total { end.to_string() } else { String::new() };
    Ok(json!({
        wrapper: { item: slice },
        "TotalCount": total,
        "PageNumber": page_number,
        "PageSize": size,
        "NextToken": next,
    }))
}

/// `first` then `then`, as one set of effects: a content stored by `first` and freed by `then`
/// is neither. A content freed by `first` and stored again by `then` is both freed and stored:
/// it comes back under a new slot. (Only a content stored before slots, freed and stored again
/// under its hash alone, would cancel out; the engine gives every newly stored content a slot.)
fn merge_effects(first: Effects, then: Effects) -> Effects {
    if first.is_empty() {
        return then;
    }
    let first_put: Vec<_> = first.put.iter().map(|(h, _)| *h).collect();
    let mut put: Vec<_> = first
        .put
        .into_iter()
        .filter(|(h, _)| !then.delete.contains(h))
        .collect();
    let mut delete: Vec<_> = first
        .delete
        .into_iter()
        .filter(|h| then.put.iter().all(|(p, _)| p != h))
        .collect();
    for h in then.delete {
        if !first_put.contains(&h) && !delete.contains(&h) {
            delete.push(h);
        }
    }
    put.extend(then.put);
    Effects { put, delete }
}
