//! The replies of Snaplab's own commands (`snaplab …`, SPEC §18), typed.
//!
//! The engine builds these structs and serializes them ([`Reply::to_json`]); the console
//! decodes the same structs ([`Reply::from_json`]), so a renamed or retyped field fails to
//! compile on both sides instead of reading as empty. On the wire every field is PascalCase,
//! as in ECS replies; a field marked `skip_serializing_if` is absent (not `null`) when `None`,
//! an `Option` without it is `null`. The session adds `RequestId` to every reply; decoding
//! ignores it (and any other field it does not know).
//!
//! ECS actions' replies (`Describe…`, `Create…`) are not here: they keep API.md's JSON shapes.
//!
//! | command | reply |
//! |---|---|
//! | `service activate` | [`ServiceActivated`] |
//! | `guest write` | [`GuestWritten`] |
//! | `guest fill` | [`GuestFilled`] |
//! | `guest read` | [`GuestRead`] |
//! | `guest checksum`, `snapshot checksum` | [`Checksum`] |
//! | `snapshot delete-preview --SnapshotId` | [`DeletePreview`] |
//! | `snapshot delete-preview --SnapshotIds` | [`MultiDeletePreview`] |
//! | `disk reset-preview` | [`ResetPreview`] |
//! | `snapshot copy-info` | [`CopyInfo`] |
//! | `billing estimate` | [`Estimate`], `--SnapshotId`: [`SnapshotEstimate`], `--DiskId`: [`DiskEstimate`] |
//! | `chain blocks` | [`ChainBlocks`] |
//! | `clock show`, `next`, `advance`, `run-until-idle` | [`ClockShow`] |
//! | `world show`, `reset`, `import` | [`WorldShow`] |
//! | `world export` | [`WorldExport`] |

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A typed `snaplab …` reply.
pub trait Reply: Serialize + DeserializeOwned {
    /// The command answered with it, for messages (`snaplab chain blocks`).
    const COMMAND: &'static str;

    /// The reply as the JSON the command returns.
    fn to_json(&self) -> Value {
        // Cannot fail: every reply is made of strings, numbers, booleans, lists and maps with
        // string keys (the round-trip tests serialize every one).
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Decodes a reply (its `RequestId` and unknown fields ignored); an error names the command
    /// and the field that did not decode.
    fn from_json(v: &Value) -> Result<Self, DecodeError> {
        Self::deserialize(v).map_err(|e| DecodeError {
            command: Self::COMMAND,
            message: e.to_string(),
        })
    }
}

/// A reply that does not have its command's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The command whose reply it was meant to be.
    pub command: &'static str,
    /// What did not decode (serde's message: the missing field, the wrong type).
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the reply of `{}` does not decode: {}", self.command, self.message)
    }
}

impl std::error::Error for DecodeError {}

macro_rules! reply {
    ($($ty:ty => $command:literal),* $(,)?) => {
        $(impl Reply for $ty {
            const COMMAND: &'static str = $command;
        })*
    };
}

reply! {
    ServiceActivated => "snaplab service activate",
    GuestWritten => "snaplab guest write",
    GuestFilled => "snaplab guest fill",
    GuestRead => "snaplab guest read",
    Checksum => "snaplab guest|snapshot checksum",
    DeletePreview => "snaplab snapshot delete-preview",
    MultiDeletePreview => "snaplab snapshot delete-preview --SnapshotIds",
    ResetPreview => "snaplab disk reset-preview",
    CopyInfo => "snaplab snapshot copy-info",
    Estimate => "snaplab billing estimate",
    SnapshotEstimate => "snaplab billing estimate --SnapshotId",
    DiskEstimate => "snaplab billing estimate --DiskId",
    ChainBlocks => "snaplab chain blocks",
    ClockShow => "snaplab clock show",
    WorldShow => "snaplab world show",
    WorldExport => "snaplab world export",
}

// ---------------------------------------------------------------------------------------------
// service, guest, checksums

/// `snaplab service activate` (R-SVC-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServiceActivated {
    /// Always `true`: the snapshot service is activated (again, if it was).
    pub service_activated: bool,
}

/// `snaplab guest write`: nothing but the `RequestId` the session adds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GuestWritten {}

/// `snaplab guest fill`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GuestFilled {
    /// Bytes of synthetic data written: `--Blocks` × the world's block size.
    pub filled_bytes: u64,
}

/// `snaplab guest read`: one block, as text or as bytes; exactly one of the two is present.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GuestRead {
    /// The block as text, when it is UTF-8 followed only by zeros (`""` for a zero block).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Otherwise the whole block, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
}

/// `snaplab guest checksum` and `snaplab snapshot checksum`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Checksum {
    /// Content hash (hex) of the whole disk or snapshot: equal contents, equal checksums.
    pub checksum: String,
}

// ---------------------------------------------------------------------------------------------
// deletion previews

/// `snaplab snapshot delete-preview --SnapshotId s-…`: what DeleteSnapshot would free and merge
/// into the successor (R-DEL-3), and what it saves (R-BIL-1), without doing it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeletePreview {
    /// The snapshot that would be deleted.
    pub snapshot_id: String,
    /// The next snapshot of its chain, which takes over what it still references (`null`: the
    /// newest snapshot).
    pub successor_id: Option<String>,
    /// Block versions it owns that nothing else references: released.
    pub freed_blocks: u64,
    /// Block versions it owns that the successor references: moved into the successor.
    pub moved_blocks: u64,
    /// The freed versions as LBA runs.
    pub freed: Vec<LbaRun>,
    /// The moved versions as LBA runs.
    pub moved: Vec<LbaRun>,
    /// The chain's capacity (owned block versions × block size) before the deletion.
    pub capacity_before_bytes: u64,
    /// The chain's capacity after it.
    pub capacity_after_bytes: u64,
    /// Stored bytes released (contents no snapshot or disk needs any more, after deduplication).
    pub physical_freed_bytes: u64,
    /// The instant-access charge that ends with the snapshot (R-IA-4), dollars a month.
    pub instant_access_monthly_saving_usd: f64,
    /// The region's bill before and after.
    #[serde(flatten)]
    pub cost: DeletionSaving,
}

/// A run of `blocks` block versions from LBA `lba`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LbaRun {
    /// First LBA.
    pub lba: u64,
    /// Number of blocks.
    pub blocks: u64,
}

/// The cost side of a deletion preview (R-BIL-1), in the preview's own object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeletionSaving {
    /// The region's snapshot capacity now, bytes.
    pub region_capacity_before_bytes: u64,
    /// The region's snapshot capacity after the deletion(s).
    pub region_capacity_after_bytes: u64,
    /// The region's standard monthly bill now (after the free 5 GB), dollars.
    pub cost_before_monthly_usd: f64,
    /// The region's standard monthly bill after.
    pub cost_after_monthly_usd: f64,
    /// `CostBefore − CostAfter`.
    pub monthly_saving_usd: f64,
    /// The freed capacity at list price, free allowance ignored.
    pub freed_list_price_monthly_usd: f64,
}

/// `snaplab snapshot delete-preview --SnapshotIds '[…]'`: several snapshots deleted at once, one
/// after the other in the order given, on a scratch copy (R-DEL-3, R-BIL-1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MultiDeletePreview {
    /// The snapshots, in the order they are deleted (duplicates dropped).
    pub snapshot_ids: Vec<String>,
    /// Block versions released, every chain.
    pub freed_blocks: u64,
    /// Block versions moved to a remaining snapshot, every chain.
    pub moved_blocks: u64,
    /// The chains' capacity before, bytes (sum over the chains touched).
    pub capacity_before_bytes: u64,
    /// The chains' capacity after.
    pub capacity_after_bytes: u64,
    /// Stored bytes released.
    pub physical_freed_bytes: u64,
    /// Per chain touched, in the order first met.
    pub chains: Vec<ChainDeletion>,
    /// The instant-access charges that end, dollars a month (R-IA-4).
    pub instant_access_monthly_saving_usd: f64,
    /// The region's bill before and after.
    #[serde(flatten)]
    pub cost: DeletionSaving,
}

/// One chain of a [`MultiDeletePreview`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChainDeletion {
    /// The chain's source disk.
    pub disk_id: String,
    /// Its snapshots among the deleted, in deletion order.
    pub snapshot_ids: Vec<String>,
    /// Block versions released.
    pub freed_blocks: u64,
    /// Block versions moved to a remaining snapshot.
    pub moved_blocks: u64,
    /// Released versions, per deleted owner, in LBA order.
    pub freed: Vec<FreedRun>,
    /// Moved versions, per (deleted owner, new owner), in LBA order.
    pub moved: Vec<MovedRun>,
    /// The chain's capacity before, bytes.
    pub capacity_before_bytes: u64,
    /// The chain's capacity after.
    pub capacity_after_bytes: u64,
}

/// Block versions a deleted snapshot owned that nothing references any more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FreedRun {
    /// First LBA.
    pub lba: u64,
    /// Number of blocks.
    pub blocks: u64,
    /// The deleted snapshot that owned them.
    pub owner: String,
}

/// Block versions a deleted snapshot owned that a remaining snapshot now owns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MovedRun {
    /// First LBA.
    pub lba: u64,
    /// Number of blocks.
    pub blocks: u64,
    /// The deleted snapshot that first owned them.
    pub from: String,
    /// The remaining snapshot that owns them after every deletion.
    pub to: String,
}

// ---------------------------------------------------------------------------------------------
// rollback, copies

/// `snaplab disk reset-preview --DiskId d-… --SnapshotId s-…`: ResetDisk's checks passed, and the
/// warnings the console shows before rolling back (R-RB-2, R-RB-5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResetPreview {
    /// The disk rolled back.
    pub disk_id: String,
    /// The snapshot it returns to.
    pub snapshot_id: String,
    /// The (stopped) instance the disk is attached to.
    pub instance_id: String,
    /// When the snapshot was taken: what is written after it is lost (ISO 8601).
    pub snapshot_creation_time: String,
    /// The disk's size now, GiB.
    pub disk_size: u64,
    /// The disk's size when the snapshot was taken, GiB.
    pub snapshot_source_disk_size: u64,
    /// The disk was enlarged since: it keeps its size (R-RB-5).
    pub size_kept: bool,
    /// What to know first, most important first; `Rollback.Irreversible` always.
    pub warnings: Vec<Warning>,
}

/// A warning of a preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Warning {
    /// Stable code: `Rollback.Irreversible`, `Rollback.SizeKept`, `Rollback.StopCharging`.
    pub code: String,
    /// The sentence shown (English).
    pub message: String,
}

/// `snaplab snapshot copy-info --SnapshotId s-…` of a copy made by CopySnapshot (R-CPY-2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CopyInfo {
    /// The copy.
    pub snapshot_id: String,
    /// The copy's region.
    pub region_id: String,
    /// The snapshot copied.
    pub source_snapshot_id: Option<String>,
    /// Its region.
    pub source_region_id: Option<String>,
    /// Block versions transferred: those the destination did not hold from an earlier copy.
    pub transferred_blocks: u64,
    /// `TransferredBlocks` × block size.
    pub transferred_bytes: u64,
    /// The copy's status (`progressing`, `accomplished`).
    pub status: String,
    /// Its progress, `"40%"`.
    pub progress: String,
    /// Seconds until it is done (0 once done).
    pub remain_time: i64,
}

// ---------------------------------------------------------------------------------------------
// billing (R-BIL-1; the formula is in `world::billing`)

/// `snaplab billing estimate [--RegionId r]`: every region with snapshots (or the one asked).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Estimate {
    /// The regions' bills, each with its chains.
    pub regions: Vec<RegionBill>,
    /// Standard plus instant-access monthly charges of those regions, dollars (one-time
    /// enablement fees apart).
    pub total_monthly_usd: f64,
    /// The prices used.
    pub pricing: Pricing,
}

/// `snaplab billing estimate --SnapshotId s-…`: one snapshot's share, its chain and region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SnapshotEstimate {
    /// The snapshot.
    pub snapshot_id: String,
    /// Its region.
    pub region_id: String,
    /// The bytes it owns (its share of the chain's capacity).
    pub owned_bytes: u64,
    /// Those bytes at list price, dollars a month (free allowance ignored).
    pub monthly_usd: f64,
    /// Its instant-access charges.
    pub instant_access: InstantAccessCharge,
    /// Its chain.
    pub chain: ChainBill,
    /// Its region's bill (without chains).
    pub region: RegionBill,
    /// The prices used.
    pub pricing: Pricing,
}

/// `snaplab billing estimate --DiskId d-… [--RegionId r]`: a disk's chain (or its copies' chain
/// in `--RegionId`) and the region's bill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DiskEstimate {
    /// The chain.
    pub chain: ChainBill,
    /// Its region's bill (without chains).
    pub region: RegionBill,
    /// The prices used.
    pub pricing: Pricing,
}

/// A region's snapshot bill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegionBill {
    /// The region.
    pub region_id: String,
    /// Its snapshot capacity (every chain's owned bytes), bytes.
    pub capacity_bytes: u64,
    /// The part of it that is free (at most 5 GB).
    pub free_bytes: u64,
    /// The part billed.
    pub billable_bytes: u64,
    /// Standard capacity, dollars a month.
    pub monthly_usd: f64,
    /// … an hour.
    pub hourly_usd: f64,
    /// … a day (one settlement).
    pub daily_usd: f64,
    /// Bytes billed for instant access (full sizes of the snapshots with it on).
    pub instant_access_bytes: u64,
    /// Instant access, dollars a month.
    pub instant_access_monthly_usd: f64,
    /// … an hour.
    pub instant_access_hourly_usd: f64,
    /// … a day.
    pub instant_access_daily_usd: f64,
    /// Snapshots with instant access on.
    pub instant_access_snapshots: u64,
    /// Their one-time enablement fees, dollars.
    pub instant_access_enablement_usd: f64,
    /// Its chains (only in [`Estimate`], absent elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chains: Option<Vec<ChainBill>>,
}

/// A chain's share of its region's bill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChainBill {
    /// The chain (`sl-…`).
    pub snapshot_link_id: String,
    /// Its source disk.
    pub source_disk_id: String,
    /// Its region.
    pub region_id: String,
    /// Its capacity (owned bytes of its snapshots).
    pub capacity_bytes: u64,
    /// That capacity at list price, dollars a month.
    pub monthly_usd: f64,
    /// Bytes billed for instant access.
    pub instant_access_bytes: u64,
    /// Instant access, dollars a month.
    pub instant_access_monthly_usd: f64,
    /// Its snapshots, oldest first.
    pub snapshots: Vec<SnapshotShare>,
}

/// One snapshot of a [`ChainBill`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SnapshotShare {
    /// The snapshot.
    pub snapshot_id: String,
    /// The bytes it owns.
    pub owned_bytes: u64,
    /// Those bytes at list price, dollars a month.
    pub monthly_usd: f64,
    /// Its instant-access charges: only for a snapshot created with instant access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instant_access: Option<InstantAccessCharge>,
}

/// A snapshot's instant-access charges (SPEC §5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstantAccessCharge {
    /// Instant access is on now.
    pub enabled: bool,
    /// Bytes billed: the snapshot's full size while on, 0 when off.
    pub bytes: u64,
    /// Dollars a month.
    pub monthly_usd: f64,
    /// Dollars an hour.
    pub hourly_usd: f64,
    /// The one-time enablement fee it paid (0 when created without instant access).
    pub enablement_usd: f64,
}

/// The prices an estimate uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Pricing {
    /// Standard capacity, dollars per GB a month.
    pub usd_per_gb_month: f64,
    /// Free capacity per region, GB.
    pub free_gb_per_region: u64,
    /// Hours in a billing month.
    pub hours_per_month: u64,
    /// Hours between settlements.
    pub settlement_hours: u64,
    /// Bytes in a GB (2^30).
    pub bytes_per_gb: u64,
    /// Instant access, dollars per GB a month.
    pub instant_access_usd_per_gb_month: f64,
    /// Instant access, dollars per enablement.
    pub instant_access_usd_per_enablement: f64,
}

// ---------------------------------------------------------------------------------------------
// chain blocks

/// `snaplab chain blocks --DiskId d-…`: the block-reference view of a disk's chain (SPEC §18).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChainBlocks {
    /// The disk asked for (the chain's source disk, released or not).
    pub disk_id: String,
    /// The world's block size, bytes.
    pub block_size: u64,
    /// The chain's capacity: block versions its snapshots own.
    pub capacity_blocks: u64,
    /// `CapacityBlocks` × block size.
    pub capacity_bytes: u64,
    /// The chain's snapshots, oldest first.
    pub snapshots: Vec<ChainSnapshot>,
    /// The live disk as the last row; `null` once the disk is released.
    pub disk: Option<ChainDisk>,
}

/// A snapshot row of [`ChainBlocks`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChainSnapshot {
    /// The snapshot.
    pub snapshot_id: String,
    /// Its size, blocks.
    pub size_blocks: u64,
    /// Block versions it owns (it is the earliest snapshot holding them).
    pub owned_blocks: u64,
    /// Block versions it references from an earlier snapshot.
    pub referenced_blocks: u64,
    /// The runs it owns.
    pub owned: Vec<BlockRun>,
    /// The runs it references, with their owner.
    pub referenced: Vec<BlockRun>,
}

/// The live disk's row of [`ChainBlocks`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChainDisk {
    /// The disk.
    pub disk_id: String,
    /// Its size, blocks.
    pub size_blocks: u64,
    /// Blocks written since the chain's last snapshot (in no snapshot yet).
    pub written_blocks: u64,
    /// Blocks it shares with a snapshot of the chain.
    pub referenced_blocks: u64,
    /// The written runs (no owner).
    pub written: Vec<BlockRun>,
    /// The shared runs, with their owner.
    pub referenced: Vec<BlockRun>,
}

/// A run of consecutive block versions of one write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BlockRun {
    /// First LBA.
    pub lba: u64,
    /// Number of blocks.
    pub blocks: u64,
    /// The snapshot owning them (`null`: in no snapshot yet, the disk's written blocks).
    pub owner: Option<String>,
    /// The write that made the run's first block; the next blocks are the same write's next
    /// blocks. Equal numbers at one LBA are the same block version.
    pub version: u64,
    /// The text of a one-block run among the first blocks (`guest write --Text`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// clock, world

/// `snaplab clock show`, and what `clock next`, `clock advance` and `clock run-until-idle` reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClockShow {
    /// The simulated time (ISO 8601).
    pub now: String,
    /// The next scheduled event (a transition, a finish, a retention end); `null`: none.
    pub next_event: Option<String>,
}

/// `snaplab world show`, and what `world reset` and `world import` reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WorldShow {
    /// The seed of the world's IDs.
    pub seed: u64,
    /// The world's block size, bytes.
    pub block_size: u64,
    /// The simulated time (ISO 8601).
    pub now: String,
    /// Whether the snapshot service is activated (R-SVC-1).
    pub service_activated: bool,
    /// Instances, every region.
    pub instances: u64,
    /// Disks, every region.
    pub disks: u64,
    /// Snapshots, every region.
    pub snapshots: u64,
    /// Stored block bytes (deduplicated contents).
    pub stored_bytes: u64,
}

/// `snaplab world export`: the file `snaplab world import --Json …` takes back. The session
/// builds this document as JSON directly (`Session::export`: it can hold 64 MiB of blocks, which
/// serializing this struct would copy once more); this struct is its shape, for readers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WorldExport {
    /// Always `"snaplab-world"`.
    pub format: String,
    /// The export format's version.
    pub version: u64,
    /// The world's state (resources, clock, block maps), as the engine serializes it.
    pub world: Value,
    /// Every stored block: content hash (hex) → its bytes, base64.
    pub blocks: BTreeMap<String, String>,
}
