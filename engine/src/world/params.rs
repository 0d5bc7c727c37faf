//! Issue 12 item 1: every documented request parameter of every action the world implements,
//! and what the world does with it — never silently ignored.
//!
//! One entry per parameter of `../shared/API.md`, written as API.md writes it (repeat lists as
//! `DiskId.N`, `Tag.N.Key`, `DataDisk.N.Size`, API.md's own `Filter.1/2`), each with its
//! [`Treatment`]. `engine/tests/params_table.rs` reads API.md and this table and fails on a
//! parameter in one and not the other, so the two cannot drift apart.
//!
//! The table is also what the world accepts: a request parameter that matches no entry of its
//! action nor a [`COMMON`] one is refused before the action runs ([`check`]), as the real
//! `aliyun` CLI refuses a flag its API metadata does not list.

use super::{Failure, Outcome};
use crate::error::EcsError;
use crate::request::{Request, Target};

/// What the world does with one documented parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// Implemented: filters filter, values are validated with ECS's codes and take effect.
    Honoured,
    /// Accepted and ignored by design, with the reason (SPEC §1: networking and billing
    /// plumbing, passwords, key pairs, idempotence tokens, resource groups, KMS keys…).
    Ignored(&'static str),
    /// Accepted, checked as far as its type, and not acted on yet: a gap, listed so that it is
    /// seen (the table test prints them).
    NotYet(&'static str),
}

use Treatment::{Honoured as H, Ignored as I, NotYet as Y};

// Reasons shared by many entries.
const NET: &str = "networking plumbing is not emulated (SPEC §1)";
const BILL: &str = "billing plumbing is not emulated (SPEC §1)";
const AUTH: &str = "passwords and key pairs are not emulated (SPEC §1)";
const TOKEN: &str = "idempotence tokens are not emulated: every call is a new call";
const RG: &str = "resource groups are not emulated: everything is in the default group";
const KMS: &str = "KMS keys are not emulated: Encrypted alone decides";
const DEPRECATED: &str = "deprecated in ECS and without effect there";
const POLICY: &str = "automatic snapshot policies are not built yet (SPEC §9)";

/// The parameters every action takes, besides its own.
///
/// `RegionId`: API.md §0 — accept it on every action; the region of a call that needs one, and
/// for the actions whose region comes from their resource, accepted and unused.
/// `DryRun`: handled once by [`super::World::exec`] for every action (every check runs on a
/// scratch copy, then `DryRunOperation`); API.md documents it for some actions, Snaplab takes it
/// on all of them because the console checks every action with it before it confirms.
pub const COMMON: &[(&str, Treatment)] = &[("RegionId", H), ("DryRun", H)];

/// The CLI's own flags, which the parser keeps apart from the parameters (they never reach
/// [`check`]): `--region` (the call's region), `--output` and `--waiter` (SPEC §18).
pub const CLI_FLAGS: &[&str] = &["region", "output", "waiter"];

/// Every implemented ECS action and its documented parameters, in API.md's order.
pub const ECS: &[(&str, &[(&str, Treatment)])] = &[
    (
        "DescribeRegions",
        &[
            ("ResourceType", I("every emulated region offers every resource type")),
            ("InstanceChargeType", I(BILL)),
            ("AcceptLanguage", H),
        ],
    ),
    (
        "DescribeZones",
        &[
            ("RegionId", H),
            ("InstanceChargeType", I(BILL)),
            ("SpotStrategy", I(BILL)),
            ("Verbose", I("the reply is always the verbose one")),
            ("AcceptLanguage", H),
        ],
    ),
    (
        "RunInstances",
        &[
            ("RegionId", H),
            ("ZoneId", H),
            ("ImageId", H),
            ("InstanceType", H),
            ("SecurityGroupId", I(NET)),
            ("SecurityGroupIds.N", I(NET)),
            ("VSwitchId", I(NET)),
            ("InstanceName", H),
            ("HostName", I(NET)),
            ("HostNames.N", I(NET)),
            ("UniqueSuffix", I(NET)),
            ("Description", H),
            ("Password", I(AUTH)),
            ("PasswordInherit", I(AUTH)),
            ("KeyPairName", I(AUTH)),
            ("Amount", H),
            (
                "MinAmount",
                I("stock never runs out: Amount instances are always created"),
            ),
            ("InstanceChargeType", I(BILL)),
            ("InternetMaxBandwidthOut", I(NET)),
            ("InternetChargeType", I(BILL)),
            ("SystemDisk.Category", H),
            ("SystemDisk.Size", H),
            ("SystemDisk.PerformanceLevel", H),
            ("SystemDisk.DiskName", H),
            ("SystemDisk.Description", H),
            ("SystemDisk.AutoSnapshotPolicyId", I(POLICY)),
            ("DataDisk.N.Category", H),
            ("DataDisk.N.Size", H),
            ("DataDisk.N.SnapshotId", H),
            ("DataDisk.N.PerformanceLevel", H),
            ("DataDisk.N.DiskName", H),
            ("DataDisk.N.Description", H),
            ("DataDisk.N.DeleteWithInstance", H),
            ("DataDisk.N.Encrypted", H),
            ("DataDisk.N.AutoSnapshotPolicyId", I(POLICY)),
            ("DataDisk.N.Device", H),
            (
                "RamRoleName",
                Y("RAM roles are attached by AttachInstanceRamRole, not built yet"),
            ),
            ("UserData", I("the guest runs no boot scripts")),
            (
                "DeletionProtection",
                Y("DeleteInstance's InvalidOperation.DeletionProtection is not built yet"),
            ),
            ("AutoReleaseTime", Y("instances are not released on the clock yet")),
            ("ResourceGroupId", I(RG)),
            (
                "Tag.N.Key",
                Y("tags at creation are not built yet: tag with TagResources"),
            ),
            (
                "Tag.N.Value",
                Y("tags at creation are not built yet: tag with TagResources"),
            ),
            ("ClientToken", I(TOKEN)),
            ("DryRun", H),
        ],
    ),
    (
        "DescribeInstances",
        &[
            ("RegionId", H),
            ("InstanceIds", H),
            ("InstanceName", H),
            ("Status", H),
            ("ZoneId", H),
            ("InstanceType", H),
            ("InstanceTypeFamily", H),
            ("ImageId", H),
            ("VpcId", I(NET)),
            ("VSwitchId", I(NET)),
            ("SecurityGroupId", I(NET)),
            ("PrivateIpAddresses", I(NET)),
            ("PublicIpAddresses", I(NET)),
            ("EipAddresses", I(NET)),
            ("InstanceChargeType", I(BILL)),
            ("InstanceNetworkType", I(NET)),
            ("KeyPairName", I(AUTH)),
            (
                "LockReason",
                I("no instance is ever locked (no overdue payments, no security locks)"),
            ),
            ("ResourceGroupId", I(RG)),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
            ("Filter.1..4", H),
            ("DryRun", H),
            ("MaxResults", H),
            ("NextToken", H),
            ("PageNumber", H),
            ("PageSize", H),
        ],
    ),
    (
        "StartInstance",
        &[
            ("InstanceId", H),
            ("InitLocalDisk", I("local disks are not emulated")),
            ("DryRun", H),
        ],
    ),
    (
        "StopInstance",
        &[
            ("InstanceId", H),
            ("ForceStop", I("the guest has no processes to flush: a stop is a stop")),
            ("StoppedMode", H),
            ("ConfirmStop", I(DEPRECATED)),
            ("DryRun", H),
        ],
    ),
    (
        "RebootInstance",
        &[
            ("InstanceId", H),
            ("ForceStop", I("the guest has no processes to flush: a stop is a stop")),
            ("DryRun", H),
        ],
    ),
    (
        "DeleteInstance",
        &[
            ("InstanceId", H),
            ("Force", H),
            ("ForceStop", I("the guest has no processes to flush: a stop is a stop")),
            ("TerminateSubscription", I(BILL)),
            ("DryRun", H),
        ],
    ),
    (
        "DescribeDisks",
        &[
            ("RegionId", H),
            ("ZoneId", H),
            ("DiskIds", H),
            ("InstanceId", H),
            ("DiskType", H),
            ("Category", H),
            ("Status", H),
            ("SnapshotId", H),
            ("AutoSnapshotPolicyId", I(POLICY)),
            ("EnableAutomatedSnapshotPolicy", I(POLICY)),
            ("DeleteWithInstance", H),
            ("DeleteAutoSnapshot", H),
            ("Portable", H),
            ("Encrypted", H),
            ("KMSKeyId", I(KMS)),
            ("DiskName", H),
            ("DiskChargeType", H),
            (
                "LockReason",
                I("no disk is ever locked (no overdue payments, no security locks)"),
            ),
            ("MultiAttach", H),
            ("ResourceGroupId", I(RG)),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
            ("Filter.1/2", H),
            ("DryRun", H),
            ("MaxResults", H),
            ("NextToken", H),
            ("PageNumber", H),
            ("PageSize", H),
        ],
    ),
    (
        "CreateDisk",
        &[
            ("RegionId", H),
            ("ZoneId", H),
            ("DiskCategory", H),
            ("Size", H),
            ("SnapshotId", H),
            ("PerformanceLevel", H),
            ("DiskName", H),
            ("Description", H),
            ("Encrypted", H),
            ("KMSKeyId", I(KMS)),
            ("InstanceId", H),
            ("MultiAttach", H),
            ("BurstingEnabled", I("disk performance is not emulated")),
            ("ProvisionedIops", I("disk performance is not emulated")),
            ("ResourceGroupId", I(RG)),
            ("ClientToken", I(TOKEN)),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
        ],
    ),
    (
        "AttachDisk",
        &[
            ("InstanceId", H),
            ("DiskId", H),
            ("DeleteWithInstance", H),
            ("Bootable", H),
            ("Password", I(AUTH)),
            ("KeyPairName", I(AUTH)),
            ("Force", I("Regional ESSD is not emulated")),
            ("Device", I(DEPRECATED)),
        ],
    ),
    (
        "DetachDisk",
        &[("InstanceId", H), ("DiskId", H), ("DeleteWithInstance", H)],
    ),
    ("DeleteDisk", &[("DiskId", H)]),
    (
        "ResizeDisk",
        &[("DiskId", H), ("NewSize", H), ("Type", H), ("ClientToken", I(TOKEN))],
    ),
    (
        "ReInitDisk",
        &[
            ("DiskId", H),
            ("AutoStartInstance", H),
            ("Password", I(AUTH)),
            ("KeyPairName", I(AUTH)),
            ("SecurityEnhancementStrategy", I("the guest runs no security agent")),
        ],
    ),
    (
        "ModifyDiskAttribute",
        &[
            ("DiskId", H),
            ("DiskIds.N", H),
            ("RegionId", H),
            ("DiskName", H),
            ("Description", H),
            ("DeleteWithInstance", H),
            ("DeleteAutoSnapshot", H),
            ("EnableAutoSnapshot", I(DEPRECATED)),
            ("BurstingEnabled", I("disk performance is not emulated")),
        ],
    ),
    (
        "ReplaceSystemDisk",
        &[
            ("InstanceId", H),
            ("ImageId", H),
            ("SystemDisk.Size", H),
            ("Password", I(AUTH)),
            ("PasswordInherit", I(AUTH)),
            ("KeyPairName", I(AUTH)),
            ("Encrypted", H),
            ("KMSKeyId", I(KMS)),
            ("SecurityEnhancementStrategy", I("the guest runs no security agent")),
            ("ClientToken", I(TOKEN)),
            ("DiskId", H),
            ("Platform", I(DEPRECATED)),
            ("Architecture", I(DEPRECATED)),
        ],
    ),
    (
        "CreateSnapshot",
        &[
            ("DiskId", H),
            ("SnapshotName", H),
            ("Description", H),
            ("RetentionDays", H),
            ("Category", H),
            ("InstantAccess", H),
            ("InstantAccessRetentionDays", H),
            ("ResourceGroupId", I(RG)),
            ("ClientToken", I(TOKEN)),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
        ],
    ),
    (
        "DescribeSnapshots",
        &[
            ("RegionId", H),
            ("SnapshotIds", H),
            ("InstanceId", H),
            ("DiskId", H),
            ("SnapshotLinkId", H),
            ("SnapshotName", H),
            ("Status", H),
            ("SnapshotType", H),
            ("Usage", H),
            ("SourceDiskType", H),
            ("Category", H),
            ("Encrypted", H),
            ("KMSKeyId", I(KMS)),
            ("ResourceGroupId", I(RG)),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
            ("Filter.1.Key", H),
            ("Filter.2.Key", H),
            ("Filter.N.Value", H),
            ("DryRun", H),
            ("MaxResults", H),
            ("NextToken", H),
            ("PageNumber", H),
            ("PageSize", H),
        ],
    ),
    ("DeleteSnapshot", &[("SnapshotId", H), ("Force", H)]),
    (
        "ModifySnapshotAttribute",
        &[
            ("SnapshotId", H),
            ("SnapshotName", H),
            ("Description", H),
            ("RetentionDays", H),
            ("DisableInstantAccess", H),
        ],
    ),
    (
        "CopySnapshot",
        &[
            ("RegionId", H),
            ("SnapshotId", H),
            ("DestinationRegionId", H),
            ("DestinationSnapshotName", H),
            ("DestinationSnapshotDescription", H),
            ("RetentionDays", H),
            ("Encrypted", H),
            ("KMSKeyId", I(KMS)),
            ("ResourceGroupId", I(RG)),
            ("ClientToken", I(TOKEN)),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
        ],
    ),
    ("ResetDisk", &[("DiskId", H), ("SnapshotId", H), ("DryRun", H)]),
    (
        "DescribeSnapshotLinks",
        &[
            ("RegionId", H),
            ("DiskIds", H),
            ("InstanceId", H),
            ("SnapshotLinkIds", H),
            ("PageNumber", H),
            ("PageSize", H),
            ("NextToken", H),
            ("MaxResults", H),
        ],
    ),
    ("DescribeSnapshotsUsage", &[("RegionId", H)]),
    (
        "DescribeSnapshotMonitorData",
        &[
            ("RegionId", H),
            ("StartTime", H),
            ("EndTime", H),
            ("Period", H),
            ("Category", H),
        ],
    ),
    (
        "CreateImage",
        &[
            ("RegionId", H),
            ("InstanceId", H),
            ("SnapshotId", H),
            ("DiskDeviceMapping.N.SnapshotId", H),
            ("DiskDeviceMapping.N.Size", H),
            ("DiskDeviceMapping.N.DiskType", H),
            ("DiskDeviceMapping.N.Device", H),
            ("ImageName", H),
            ("Description", H),
            ("Platform", H),
            ("Architecture", H),
            ("ImageFamily", H),
            ("ImageVersion", H),
            ("BootMode", H),
            ("ResourceGroupId", I(RG)),
            ("ClientToken", I(TOKEN)),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
        ],
    ),
    (
        "DescribeImages",
        &[
            ("RegionId", H),
            ("ImageId", H),
            ("ImageName", H),
            ("ImageFamily", H),
            ("ImageOwnerAlias", H),
            ("Status", H),
            ("SnapshotId", H),
            ("Usage", H),
            ("OSType", H),
            ("Architecture", H),
            ("InstanceType", H),
            ("ActionType", H),
            ("IsPublic", H),
            ("ShowExpired", I("no emulated image ever expires")),
            ("Filter.N.Key", H),
            ("Filter.N.Value", H),
            ("ResourceGroupId", I(RG)),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
            ("DryRun", H),
            ("PageNumber", H),
            ("PageSize", H),
        ],
    ),
    (
        "DeleteImage",
        &[("RegionId", H), ("ImageId", H), ("Force", H), ("DryRun", H)],
    ),
    (
        "ModifyImageSharePermission",
        &[
            ("RegionId", H),
            ("ImageId", H),
            ("AddAccount.N", H),
            ("RemoveAccount.N", H),
            ("IsPublic", H),
            ("DryRun", H),
        ],
    ),
    (
        "TagResources",
        &[
            ("RegionId", H),
            ("ResourceType", H),
            ("ResourceId.N", H),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
        ],
    ),
    (
        "UntagResources",
        &[
            ("RegionId", H),
            ("ResourceType", H),
            ("ResourceId.N", H),
            ("TagKey.N", H),
            ("All", H),
        ],
    ),
    (
        "ListTagResources",
        &[
            ("RegionId", H),
            ("ResourceType", H),
            ("ResourceId.N", H),
            ("Tag.N.Key", H),
            ("Tag.N.Value", H),
            ("TagFilter.N.TagKey", H),
            ("TagFilter.N.TagValues.N", H),
            ("NextToken", H),
        ],
    ),
];

/// Parameters of the real ECS API that API.md leaves out and the world honours: (action, name,
/// where the real API documents it). Taken as the table's entries are; the table test checks
/// that API.md still leaves each out (one that API.md documents moves into [`ECS`]).
pub const BEYOND_API_MD: &[(&str, &str, &str)] = &[(
    "RunInstances",
    "SystemDisk.Encrypted",
    "RunInstances' request model in alibabacloud-go/ecs-20140526 and the Java/TypeScript SDKs",
)];

/// The table of an ECS action, `None` for an action the world does not implement.
pub fn ecs_action(action: &str) -> Option<&'static [(&'static str, Treatment)]> {
    ECS.iter().find(|(a, _)| *a == action).map(|(_, params)| *params)
}

/// Whether a segment of a table entry stands for a repeat-list index: `N`, a number, or
/// API.md's `1/2` and `1..4`.
fn is_index_pattern(seg: &str) -> bool {
    seg == "N" || (!seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit() || b == b'/' || b == b'.'))
}

/// Whether a request parameter `name` is the table entry `entry`: segment by segment, an index
/// segment (`N`, `1`, `1/2`) matching any index N ≥ 1 (`Tag.N.Key` is `Tag.3.Key`). API.md's
/// `Filter.1/2` and `Filter.1..4` stand for the filter pairs `Filter.N.Key` / `Filter.N.Value`.
pub fn matches(entry: &str, name: &str) -> bool {
    let mut want: Vec<&str> = split_entry(entry);
    let got: Vec<&str> = name.split('.').collect();
    if want.len() == 2 && want[0] == "Filter" && got.len() == 3 && (got[2] == "Key" || got[2] == "Value") {
        want.push(got[2]);
    }
    want.len() == got.len()
        && want.iter().zip(&got).all(|(w, g)| {
            if is_index_pattern(w) {
                !g.is_empty() && !g.starts_with('0') && g.bytes().all(|b| b.is_ascii_digit())
            } else {
                w == g
            }
        })
}

/// `Filter.1..4` splits as `["Filter", "1..4"]`, not on the dots of its range.
fn split_entry(entry: &str) -> Vec<&str> {
    match entry.split_once('.') {
        Some((head, rest)) if rest.contains("..") && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
            vec![head, rest]
        }
        _ => entry.split('.').collect(),
    }
}

/// Refuses a request holding a parameter its target does not take (issue 12 item 1), before
/// anything runs: the real `aliyun` CLI checks every flag against the API's metadata and
/// refuses an unknown one locally (see [`EcsError::UnknownParameter`]). Unknown actions and
/// unknown `snaplab` words pass: they are refused as `InvalidAction` where they run.
pub fn check(req: &Request) -> Outcome<()> {
    let (allowed, help): (Vec<&str>, String) = match &req.target {
        Target::Api { product, action } => {
            let Some(table) = ecs_action(action) else {
                return Ok(());
            };
            let mut names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            names.extend(COMMON.iter().map(|(n, _)| *n));
            names.extend(BEYOND_API_MD.iter().filter(|(a, _, _)| a == action).map(|(_, n, _)| *n));
            // The CLI's own pointer (`aliyun help ecs CreateSnapshot`).
            (names, format!("See `aliyun help {} {action}`.", product.as_str()))
        }
        Target::Snaplab(command) => {
            if matches!(command, crate::request::Emulator::Unknown(_)) {
                return Ok(());
            }
            let mut names = command.params().to_vec();
            if command.can_dry_run() {
                names.push("DryRun");
            } else if req.params.raw("DryRun").is_some() {
                return Err(Failure::Api(EcsError::invalid(
                    "DryRun",
                    format!("snaplab {command} cannot dry-run: the session runs it on the whole store, not the world"),
                )));
            }
            let takes = if names.is_empty() {
                "no parameters".to_string()
            } else {
                names.iter().map(|n| format!("--{n}")).collect::<Vec<_>>().join(", ")
            };
            (names, format!("`snaplab {command}` takes {takes}."))
        }
    };
    for (name, _, _) in req.params.iter() {
        if !allowed.iter().any(|entry| matches(entry, name)) {
            let suggestion = suggest(name, &allowed);
            return Err(Failure::Api(EcsError::UnknownParameter {
                name: name.to_string(),
                help,
                suggestion,
            }));
        }
    }
    Ok(())
}

/// The closest allowed name within 2 edits, as the CLI's "Did you mean" (`cli.NewSuggester(name,
/// 2)` in aliyun-cli); repeat-list entries are offered with `N` in them.
fn suggest(name: &str, allowed: &[&str]) -> Option<String> {
    allowed
        .iter()
        .map(|a| (edits(&name.to_ascii_lowercase(), &a.to_ascii_lowercase()), a))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a.to_string())
}

/// Levenshtein distance over chars (names are short: a line's names are at most a few hundred
/// bytes each, and suggestions are computed once, for the refused name).
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeat_list_entries_match_any_index() {
        assert!(matches("Tag.N.Key", "Tag.1.Key"));
        assert!(matches("Tag.N.Key", "Tag.20.Key"));
        assert!(!matches("Tag.N.Key", "Tag.0.Key"));
        assert!(!matches("Tag.N.Key", "Tag.N.Key"));
        assert!(!matches("Tag.N.Key", "Tag.1.Kye"));
        assert!(matches("DiskIds.N", "DiskIds.3"));
        assert!(!matches("DiskIds.N", "DiskIds"));
        assert!(matches("Filter.1/2", "Filter.2.Value"));
        assert!(matches("Filter.1..4", "Filter.4.Key"));
        assert!(!matches("Filter.1..4", "Filter.4.Other"));
        assert!(matches("Filter.1.Key", "Filter.2.Key"));
        assert!(matches("TagFilter.N.TagValues.N", "TagFilter.1.TagValues.2"));
        assert!(matches("SnapshotName", "SnapshotName"));
        assert!(!matches("SnapshotName", "SnapshotNmae"));
    }

    #[test]
    fn suggestions_are_within_two_edits() {
        assert_eq!(
            suggest("SnapshotNmae", &["DiskId", "SnapshotName"]).as_deref(),
            Some("SnapshotName")
        );
        assert_eq!(
            suggest("Blocksize", &["Seed", "BlockSize"]).as_deref(),
            Some("BlockSize")
        );
        assert_eq!(suggest("Nothing", &["DiskId"]), None);
    }
}
