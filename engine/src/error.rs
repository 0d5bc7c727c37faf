//! The typed error of Snaplab's API layer: every refusal is an [`EcsError`] carrying the real
//! Alibaba Cloud ECS error code, its HTTP status and its message (SPEC §17).
//!
//! Codes, statuses and messages come from `/work/shared/API.md` (the ECS 2014-05-26 error
//! tables) and, where API.md gives a code without a message, from the published ECS error
//! tables of the same action. Where ECS documents no code for a SPEC rule, the closest real
//! code is used; those choices are listed here (and repeated on the variants) so the world
//! can map its rules consistently:
//!
//! | SPEC rule | Error |
//! |---|---|
//! | R-SVC-1 service not activated | [`EcsError::SnapshotServiceUnavailable`] |
//! | R-CRT-1 disk never attached | [`EcsError::IncorrectDiskStatusNeverAttached`] |
//! | R-CRT-2 bad name / description | [`EcsError::InvalidSnapshotNameMalformed`], [`EcsError::InvalidDescriptionMalformed`] |
//! | R-CRT-3 stop/reboot while a snapshot is created | [`EcsError::DiskCreatingSnapshot`] (closest: ECS's code for "a snapshot of the disk is not completed yet") |
//! | R-CRT-3, R-POL-4 second snapshot while one is in progress | [`EcsError::IncorrectDiskStatusCreatingSnapshot`] |
//! | R-CRT-5 retention out of range | [`EcsError::InvalidRetentionDaysMalformed`] |
//! | R-CRT-6, R-POL-7 local disk | [`EcsError::DiskCategoryOperationNotSupported`] |
//! | R-CHN-3 manual quota reached | [`EcsError::QuotaExceedSnapshot`] with [`SnapshotQuota::Manual`] |
//! | R-IA-1 ESSD only / encrypted ESSD | [`EcsError::DiskCategoryOperationNotSupported`] / [`EcsError::OperationDenied`] with [`DenyReason::EncryptedLocalSnapshot`] |
//! | R-IA-2 more than 10 instant-access snapshots | [`EcsError::QuotaExceedSnapshot`] with [`SnapshotQuota::InstantAccess`] |
//! | R-IA-4 disable instant access while creating | [`EcsError::OperationDenied`] with [`DenyReason::InstantAccessWhileCreating`] |
//! | R-IA-6 local snapshot → image / wrong disk | [`DenyReason::SnapshotNotAllowedToCreateImage`], [`EcsError::OperationDeniedSnapshotNotAllowed`] |
//! | R-IA-6 local snapshot → CopySnapshot | [`EcsError::InvalidSnapshotCategoryNotSupportCopy`] |
//! | R-IA-7 local snapshot taken before ReInitDisk | [`EcsError::InvalidSnapshotTooOld`] |
//! | R-IA-7 re-init with instant access on | [`EcsError::OperationDenied`] with [`DenyReason::InstantAccessBlocksReInit`] |
//! | R-RB-1 instance not stopped | [`EcsError::IncorrectInstanceStatus`] (403) |
//! | R-RB-4 snapshot of another disk / before OS replacement | [`EcsError::InvalidParameterMismatch`] / [`EcsError::InvalidSnapshotTooOld`] |
//! | R-DSK-2 re-init after source snapshot deleted | [`EcsError::OperationDenied`] with [`DenyReason::SourceSnapshotDeleted`] |
//! | R-RB-1 snapshot of the disk in progress (ResetDisk) | [`EcsError::DiskCreatingSnapshot`] (ResetDisk's table lists no code; the one of the other disk actions) |
//! | AttachDisk across zones | [`EcsError::ResourcesNotInSameZone`] |
//! | R-CPY-3 encrypted copy | [`EcsError::InvalidSnapshotIdEncryptedNotSupport`] |
//! | R-IMG-1 no system-disk snapshot | [`EcsError::OperationDenied`] with [`DenyReason::SnapshotNotFromSystemDisk`] |
//! | R-IMG-3 share an encrypted image | [`EcsError::OperationDeinedEncryptedSnapshot`] |
//! | R-DEL-1 / R-DEL-2 | [`EcsError::SnapshotCreatedImage`] / [`EcsError::SnapshotCreatedDisk`] |
//! | R-POL-1 bad time points, weekdays, retention | [`EcsError::PolicyParameterInvalid`] |
//! | R-POL-2 disk already has a policy | [`EcsError::OperationDenied`] with [`DenyReason::DiskHasPolicy`] (no ECS code; the current API allows several) |
//! | R-GRP-2 > 16 disks or > 32 TiB | [`EcsError::InvalidParameter`] naming `DiskId.N` (no ECS code documented) |
//! | guest write on a non-running instance | [`EcsError::IncorrectInstanceStatus`] |
//! | the browser's storage fails | [`EcsError::Storage`] |

use std::fmt;

use serde_json::{json, Value};

use crate::store::StoreError;

/// The `HostId` of every ECS error reply.
pub const HOST_ID: &str = "ecs.aliyuncs.com";

/// For codes whose HTTP status differs between actions in the ECS tables: which of the two
/// documented statuses applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// HTTP 400.
    BadRequest,
    /// HTTP 403.
    Forbidden,
}

impl Refusal {
    fn status(self) -> u16 {
        match self {
            Refusal::BadRequest => 400,
            Refusal::Forbidden => 403,
        }
    }
}

/// A resource whose ID (or name) was not found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    /// `InvalidInstanceId.NotFound`.
    Instance,
    /// `InvalidDiskId.NotFound`.
    Disk,
    /// `InvalidSnapshotId.NotFound`.
    Snapshot,
    /// `InvalidSnapshotLinkId.NotFound` (DescribeSnapshots).
    SnapshotLink,
    /// `InvalidSnapshotGroupId.NotFound`: ECS documents no code for an unknown group; this
    /// follows the `Invalid<Resource>Id.NotFound` pattern of the other resources.
    SnapshotGroup,
    /// `ParameterInvalid` (HTTP 404): ECS's real code for an unknown automatic snapshot policy
    /// (Modify/Delete/ApplyAutoSnapshotPolicy), not an `Invalid…Id.NotFound`.
    AutoSnapshotPolicy,
    /// `InvalidImageId.NotFound`.
    Image,
    /// `InvalidRegionId.NotFound`.
    Region,
    /// `InvalidZoneId.NotFound`.
    Zone,
    /// `InvalidCommandId.NotFound` (Cloud Assistant).
    Command,
    /// `InvalidInvokeId.NotFound` (Cloud Assistant). Status not in API.md: 404 like the others.
    Invocation,
    /// `InvalidInstance.NotFound`: Cloud Assistant's own code for an unknown target instance.
    CommandInstance,
    /// `InvalidDataDiskSnapshotId.NotFound` (RunInstances `DataDisk.N.SnapshotId`).
    DataDiskSnapshot,
    /// `InvalidVSwitchId.NotFound`.
    VSwitch,
    /// `InvalidSecurityGroupId.NotFound`.
    SecurityGroup,
    /// `InvalidResourceId.NotFound` (tag actions).
    TaggedResource,
    /// `InvalidResourceType.NotFound` (tag actions).
    ResourceType,
    /// `InvalidRamRole.NotFound` (AttachInstanceRamRole).
    RamRole,
    /// `InvalidAccount.NotFound` (ModifyImageSharePermission).
    Account,
}

impl Resource {
    /// Every resource, for tests and tables.
    pub const ALL: [Resource; 19] = [
        Resource::Instance,
        Resource::Disk,
        Resource::Snapshot,
        Resource::SnapshotLink,
        Resource::SnapshotGroup,
        Resource::AutoSnapshotPolicy,
        Resource::Image,
        Resource::Region,
        Resource::Zone,
        Resource::Command,
        Resource::Invocation,
        Resource::CommandInstance,
        Resource::DataDiskSnapshot,
        Resource::VSwitch,
        Resource::SecurityGroup,
        Resource::TaggedResource,
        Resource::ResourceType,
        Resource::RamRole,
        Resource::Account,
    ];

    fn code(self) -> &'static str {
        match self {
            Resource::Instance => "InvalidInstanceId.NotFound",
            Resource::Disk => "InvalidDiskId.NotFound",
            Resource::Snapshot => "InvalidSnapshotId.NotFound",
            Resource::SnapshotLink => "InvalidSnapshotLinkId.NotFound",
            Resource::SnapshotGroup => "InvalidSnapshotGroupId.NotFound",
            Resource::AutoSnapshotPolicy => "ParameterInvalid",
            Resource::Image => "InvalidImageId.NotFound",
            Resource::Region => "InvalidRegionId.NotFound",
            Resource::Zone => "InvalidZoneId.NotFound",
            Resource::Command => "InvalidCommandId.NotFound",
            Resource::Invocation => "InvalidInvokeId.NotFound",
            Resource::CommandInstance => "InvalidInstance.NotFound",
            Resource::DataDiskSnapshot => "InvalidDataDiskSnapshotId.NotFound",
            Resource::VSwitch => "InvalidVSwitchId.NotFound",
            Resource::SecurityGroup => "InvalidSecurityGroupId.NotFound",
            Resource::TaggedResource => "InvalidResourceId.NotFound",
            Resource::ResourceType => "InvalidResourceType.NotFound",
            Resource::RamRole => "InvalidRamRole.NotFound",
            Resource::Account => "InvalidAccount.NotFound",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Resource::Instance => "The specified InstanceId does not exist.",
            Resource::Disk => "The specified DiskId does not exist.",
            Resource::Snapshot => "The specified SnapshotId does not exist.",
            Resource::SnapshotLink => "The specified SnapshotLinkId does not exist.",
            Resource::SnapshotGroup => "The specified SnapshotGroupId does not exist.",
            Resource::AutoSnapshotPolicy => "The specified automatic snapshot policy does not exist.",
            Resource::Image => "The specified ImageId does not exist.",
            Resource::Region => "The specified RegionId does not exist.",
            Resource::Zone => "The specified ZoneId does not exist.",
            Resource::Command => "The specified CommandId does not exist.",
            Resource::Invocation => "The specified InvokeId does not exist.",
            Resource::CommandInstance => "The specified instance does not exist.",
            Resource::DataDiskSnapshot => "The specified DataDisk.n.SnapshotId does not exist.",
            Resource::VSwitch => "The specified VSwitchId does not exist.",
            Resource::SecurityGroup => "The specified SecurityGroupId does not exist.",
            Resource::TaggedResource => "The specified ResourceIds are not found in our records.",
            Resource::ResourceType => "The specified ResourceType is not found in our records.",
            Resource::RamRole => "The specified RAMRoleName does not exist.",
            Resource::Account => "The specified account does not exist.",
        }
    }
}

/// Parameters whose absence has its own dotted code (`MissingParameter.<Name>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MissingNamed {
    /// `MissingParameter.RegionId` (tag actions, 404).
    RegionId,
    /// `MissingParameter.ResourceType` (tag actions, 404).
    ResourceType,
    /// `MissingParameter.Tags` (tag actions, 404).
    Tags,
    /// `MissingParameter.CommandId` (Cloud Assistant; the envelope sample of API.md).
    CommandId,
}

impl MissingNamed {
    fn name(self) -> &'static str {
        match self {
            MissingNamed::RegionId => "RegionId",
            MissingNamed::ResourceType => "ResourceType",
            MissingNamed::Tags => "Tags",
            MissingNamed::CommandId => "CommandId",
        }
    }
}

/// The parameter of a 403 `ParameterInvalid` from the automatic-snapshot-policy actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyParam {
    /// `timePoints`.
    TimePoints,
    /// `repeatWeekdays`.
    RepeatWeekdays,
    /// `retentionDays` (also `CopiedSnapshotsRetentionDays`).
    RetentionDays,
    /// `regionId` (also `TargetCopyRegions`).
    RegionId,
    /// `autoSnapshotPolicyId` (malformed, as opposed to unknown).
    AutoSnapshotPolicyId,
    /// `diskIds`.
    DiskIds,
}

/// Which snapshot quota was reached (`QuotaExceed.Snapshot`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SnapshotQuota {
    /// 256 manual snapshots per disk (R-CHN-2/3).
    Manual,
    /// 10 local / instant-access snapshots per ESSD (R-IA-2). ECS has no separate code; the
    /// snapshot quota code is the closest.
    InstantAccess,
}

/// Why an `OperationDenied` was returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DenyReason {
    /// ResetDisk with a snapshot that cannot roll back (ECS's message, typo included). 403.
    SnapshotNotSupportResetDisk,
    /// CreateImage from a data-disk snapshot (R-IMG-1). 403.
    SnapshotNotFromSystemDisk,
    /// CreateImage `DiskDeviceMapping` without a system-disk snapshot. 400.
    MappingWithoutSystemDisk,
    /// CreateImage `DiskDeviceMapping` with two or more system-disk snapshots. 400.
    MappingTwoSystemDisks,
    /// CreateImage from a snapshot that cannot create images (local snapshot, R-IA-6). 403.
    SnapshotNotAllowedToCreateImage,
    /// ReInitDisk when the disk's source snapshot was (force-)deleted (R-DEL-2, R-DSK-2). 403.
    SourceSnapshotDeleted,
    /// Snaplab rule R-IA-1: an encrypted ESSD cannot create a local snapshot. ECS documents no
    /// code; `OperationDenied` is the closest. 403.
    EncryptedLocalSnapshot,
    /// Snaplab rule R-IA-4: instant access cannot be turned off while the snapshot is being
    /// created. No ECS code documented; `OperationDenied` is the closest. 403.
    InstantAccessWhileCreating,
    /// Snaplab rule R-IA-7: an ESSD with an instant-access snapshot cannot be re-initialized.
    /// No ECS code documented; `OperationDenied` is the closest. 403.
    InstantAccessBlocksReInit,
    /// Snaplab rule R-POL-2: the disk already has an automatic snapshot policy. The classic
    /// API replaced it, the current one adds; SPEC chooses refusal, for which ECS has no code.
    /// 403.
    DiskHasPolicy,
    /// `snaplab world export` of a world storing more block bytes than one export document
    /// holds ([`crate::session::EXPORT_MAX_BYTES`]): the document is built in memory, and a
    /// larger one could exhaust the tab's memory. Snaplab's own command; 403.
    WorldTooLargeToExport,
}

impl DenyReason {
    fn status(self) -> u16 {
        match self {
            DenyReason::MappingWithoutSystemDisk | DenyReason::MappingTwoSystemDisks => 400,
            _ => 403,
        }
    }

    fn message(self) -> &'static str {
        match self {
            DenyReason::SnapshotNotSupportResetDisk => "The specified snapshot dees not support ResetDisk.",
            DenyReason::SnapshotNotFromSystemDisk => "The specified snapshot is not from system disk.",
            DenyReason::MappingWithoutSystemDisk => {
                "The specified parameter DiskDeviceMapping.n.SnapshotId does not contain system disk snapshot."
            }
            DenyReason::MappingTwoSystemDisks => {
                "The specified parameter DiskDeviceMapping.n.SnapshotId contains two or more system disk snapshots."
            }
            DenyReason::SnapshotNotAllowedToCreateImage => "The specified snapshot is not allowed to create image.",
            DenyReason::SourceSnapshotDeleted => {
                "The snapshot which is used to create the specified disk has been deleted."
            }
            DenyReason::EncryptedLocalSnapshot => "An encrypted disk does not support local snapshots.",
            DenyReason::InstantAccessWhileCreating => {
                "Instant access cannot be disabled while the snapshot is being created."
            }
            DenyReason::InstantAccessBlocksReInit => {
                "The specified disk has a snapshot with instant access enabled and cannot be re-initialized."
            }
            DenyReason::DiskHasPolicy => {
                "The specified disk already has an automatic snapshot policy. Cancel it before applying another one."
            }
            DenyReason::WorldTooLargeToExport => {
                "The world stores more than 64 MiB of block data, more than one export holds. Read its disks and snapshots in chunks instead (readDisk, readSnapshot)."
            }
        }
    }
}

/// A refusal of the emulated ECS API: the real code, HTTP status and message.
///
/// Build one with the variant for the rule that failed, then reply with
/// [`EcsError::to_json`]. Variants whose status differs between actions carry a
/// [`Refusal`] or a typed reason that decides it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EcsError {
    // ----- common -----
    /// `MissingParameter` 400: a required parameter is absent.
    MissingParameter { name: String },
    /// `MissingParameter` 400: none of several alternative parameters was given (CreateDisk:
    /// `SnapshotId` or `Size`; CreateImage: `SnapshotId`, `InstanceId` or `DiskDeviceMapping`).
    MissingParameterOneOf { names: Vec<String> },
    /// `MissingParameter.<Name>`: 404 for the tag actions (API.md); `CommandId`'s status is not
    /// documented, 400 like plain `MissingParameter`.
    MissingParameterNamed(MissingNamed),
    /// `InvalidParameter` 400: a parameter has a wrong value or type. `reason` is appended to
    /// the message when not empty.
    InvalidParameter { name: String, reason: String },
    /// `InvalidAction` 403: the action is unknown. The message is ECS's, which does not name it.
    InvalidAction { action: String },
    /// `DryRunOperation` 400: every check passed and `DryRun=true` was set.
    DryRunOperation,
    /// `IdempotentParameterMismatch`: a `ClientToken` reused with different parameters. The
    /// common table says 400, CreateSnapshot's table 403; 400 is used (the common one).
    IdempotentParameterMismatch,
    /// `OperationConflict` 409: conflict with a previous request.
    OperationConflict,
    /// `Operation.Conflict` 403 (DeleteSnapshot, ResetDisk): the resource is busy with another
    /// operation.
    ResourceOperationConflict,
    /// `InternalError` 500.
    InternalError,
    /// `ServiceUnavailable` 503.
    ServiceUnavailable,
    /// `Invalid<Resource>Id.NotFound` 404 (or the resource's own not-found code). `id` is what
    /// the caller asked for, kept for logs; ECS's messages do not repeat it.
    NotFound { resource: Resource, id: String },
    /// `InvalidAccountStatus.SnapshotServiceUnavailable` 403: the snapshot service is not
    /// activated (R-SVC-1).
    SnapshotServiceUnavailable,

    // ----- disk and instance status -----
    /// `IncorrectDiskStatus` 403.
    IncorrectDiskStatus,
    /// `IncorrectDiskStatus.CreatingSnapshot`: a snapshot of the disk is in progress. 403 in
    /// CreateSnapshot's table; SPEC §17 gives 400 for DeleteSnapshot (`Refusal::BadRequest`).
    IncorrectDiskStatusCreatingSnapshot(Refusal),
    /// `IncorrectDiskStatus.NeverAttached` 403 (R-CRT-1).
    IncorrectDiskStatusNeverAttached,
    /// `IncorrectDiskStatus.NeverUsed` 403.
    IncorrectDiskStatusNeverUsed,
    /// `IncorrectInstanceStatus`: 400 in CreateSnapshot, AttachDisk and CreateImage; 403 in
    /// ResetDisk, Start/Stop/Reboot/DeleteInstance, ResizeDisk, ReInitDisk, ReplaceSystemDisk.
    IncorrectInstanceStatus(Refusal),
    /// `IncorrectInstanceStatus.Initializing` 403.
    IncorrectInstanceStatusInitializing,
    /// `InstanceLockedForSecurity` 403.
    InstanceLockedForSecurity,
    /// `DiskCreatingSnapshot` 403: the disk has a snapshot that is not completed (DeleteDisk,
    /// ResizeDisk, ReInitDisk, ReplaceSystemDisk).
    DiskCreatingSnapshot,
    /// `DiskStillAttached` 403 (DeleteDisk), ECS's message included.
    DiskStillAttached,
    /// `InvalidDisk.InUse` 404 (AttachDisk: the disk is attached elsewhere).
    InvalidDiskInUse,
    /// `DiskId.StatusNotSupported` 403 (AttachDisk).
    DiskIdStatusNotSupported,
    /// `InstanceDiskLimitExceeded` 403 (AttachDisk).
    InstanceDiskLimitExceeded,
    /// `InvalidDevice.InUse` 403 (AttachDisk).
    InvalidDeviceInUse,
    /// `DiskNotPortable` 403 (ModifyDiskAttribute / detach of a non-portable disk).
    DiskNotPortable,
    /// `InvalidOperation.DeletionProtection` 403 (DeleteInstance).
    InvalidOperationDeletionProtection,

    // ----- snapshots -----
    /// `QuotaExceed.Snapshot` 403.
    QuotaExceedSnapshot(SnapshotQuota),
    /// `DiskCategory.OperationNotSupported` 400: the disk's category cannot do this (local
    /// disks, non-ESSD in a group or for instant access).
    DiskCategoryOperationNotSupported,
    /// `PartofDiskCategory.OperationNotSupported` 400 (ApplyAutoSnapshotPolicy with some
    /// unsupported disks).
    PartofDiskCategoryOperationNotSupported,
    /// `InvalidSnapshotName.Malformed` 400.
    InvalidSnapshotNameMalformed,
    /// `InvalidDescription.Malformed`: API.md's tables (CreateSnapshot,
    /// ModifySnapshotAttribute, ModifyDiskAttribute) give **404**, SPEC §17 says 400; API.md
    /// is the source for statuses, so 404.
    InvalidDescriptionMalformed,
    /// `InvalidRetentionDays.Malformed` 400.
    InvalidRetentionDaysMalformed,
    /// `SnapshotCreatedImage` 403 (R-DEL-1).
    SnapshotCreatedImage,
    /// `SnapshotCreatedDisk` 403 (R-DEL-2, without `Force`).
    SnapshotCreatedDisk,
    /// `InvalidSnapshotId.NotReady` 403: the snapshot has not completed.
    InvalidSnapshotIdNotReady,
    /// `InvalidSnapshot.TooOld` 403: ECS uses it for snapshots taken before 2013-07-15; Snaplab
    /// uses it (as SPEC §17 says) for snapshots taken before the disk was re-initialized or
    /// its OS replaced (R-RB-4, R-IA-7). The message is Snaplab's.
    InvalidSnapshotTooOld,
    /// `InvalidSnapshot.TooLarge` 403 (CreateDisk: the snapshot exceeds the category's size).
    InvalidSnapshotTooLarge,
    /// `InvalidParameter.Mismatch` 403: the snapshot was not taken from this disk (ResetDisk).
    InvalidParameterMismatch,
    /// `OperationDenied` with a reason (status from the reason: 400 or 403).
    OperationDenied(DenyReason),
    /// `OperationDenied.SnapshotNotAllowed` 403 (CreateDisk from a snapshot that cannot
    /// create disks, e.g. R-IA-6's category/size rule for local snapshots).
    OperationDeniedSnapshotNotAllowed,
    /// `NoAttributeToModify` 400.
    NoAttributeToModify,
    /// `InvalidSnapshotIds.Malformed` 403 (DescribeSnapshots: more than 100 IDs).
    InvalidSnapshotIdsMalformed,
    /// `InvalidUsage` 404 (DescribeSnapshots filter).
    InvalidUsage,
    /// `InvalidSourceDiskType` 404 (DescribeSnapshots filter).
    InvalidSourceDiskType,
    /// `InvalidStatus.NotFound` 404 (DescribeSnapshots filter).
    InvalidStatusNotFound,
    /// `InvalidSnapshotType.NotFound` 404 (DescribeSnapshots filter).
    InvalidSnapshotTypeNotFound,
    /// `InvalidFilterKey.NotFound` 404 (DescribeSnapshots filter).
    InvalidFilterKeyNotFound,
    /// `InvalidSnapshotCategory.Malformed` 403 (DescribeSnapshots filter).
    InvalidSnapshotCategoryMalformed,
    /// `InvalidStatus.ValueNotSupported`: 403 in DescribeSnapshotGroups, 400 in DescribeDisks.
    InvalidStatusValueNotSupported(Refusal),
    /// `InvalidDiskIds` 400 (DescribeSnapshotLinks).
    InvalidDiskIds,
    /// `InvalidSnapshotLinkIds` 400 (DescribeSnapshotLinks).
    InvalidSnapshotLinkIds,
    /// `InvalidRegionId` 400 (DescribeSnapshotLinks).
    InvalidRegionId,
    /// `InvalidParam.RegionId` 403 (DescribeSnapshotsUsage).
    InvalidParamRegionId,
    /// `InvalidParameter.TooManyDataQueried` 400 (DescribeSnapshotMonitorData: > 400 points).
    InvalidParameterTooManyDataQueried,
    /// `InvalidStartTime.TooEarly` 400 (monitor data older than the kept window).
    InvalidStartTimeTooEarly,
    /// `InvalidStartTime.Malformed` 400.
    InvalidStartTimeMalformed,
    /// `InvalidEndTime.Malformed` 400.
    InvalidEndTimeMalformed,
    /// `InvalidPeriod.ValueNotSupported` 400.
    InvalidPeriodValueNotSupported,
    /// `InvalidParameter.Name` 400 (CreateSnapshotGroup / ModifySnapshotGroup).
    InvalidParameterName,

    // ----- copies -----
    /// `InvalidSnapshotId.NotFound` **403**: CopySnapshot's own form for an unknown source
    /// snapshot, with its own message.
    CopySourceSnapshotNotFound,
    /// `InvalidOperation.NotSupportCopyInSameRegion` 403.
    InvalidOperationNotSupportCopyInSameRegion,
    /// `InvalidOperation.DiskHasUnfinishedSnapshotCopy` 403 (the code SPEC §17 names; current
    /// ECS documents `InvalidOperation.UnfinishedCrossRegionCopy` with this message).
    InvalidOperationDiskHasUnfinishedSnapshotCopy,
    /// `InvalidSnapshotId.EncryptedNotSupport` 403: encrypted snapshots cannot be copied (R-CPY-3).
    InvalidSnapshotIdEncryptedNotSupport,
    /// `InvalidSnapshotCategory.NotSupportCopy` 403: local snapshots cannot be copied.
    InvalidSnapshotCategoryNotSupportCopy,

    // ----- disks -----
    /// `InvalidDiskSize.TooSmall` 403: smaller than the snapshot (CreateDisk, `resize=false`)
    /// or than the current size (ResizeDisk, `resize=true`); ECS's two messages.
    InvalidDiskSizeTooSmall { resize: bool },
    /// `InvalidDiskSize` 403 (ResizeDisk: new size ≤ current size).
    InvalidDiskSize,
    /// `InvalidDiskSize.TooLarge` 403.
    InvalidDiskSizeTooLarge,
    /// `InvalidDiskSize.NotSupported` 400.
    InvalidDiskSizeNotSupported,
    /// `InvalidSize.ValueNotSupported` 400.
    InvalidSizeValueNotSupported,
    /// `InvalidDiskCategory.ValueNotSupported` 400.
    InvalidDiskCategoryValueNotSupported,
    /// `InvalidDiskName.Malformed` 400.
    InvalidDiskNameMalformed,
    /// `QuotaExceed.PostPaidDisk` 403.
    QuotaExceedPostPaidDisk,
    /// `InvalidParam.Type` 400 (ResizeDisk `Type`).
    InvalidParamType,
    /// `InvalidDiskIds.Malformed` 403 (DescribeDisks: more than 100 IDs).
    InvalidDiskIdsMalformed,
    /// `InvalidDiskType.ValueNotSupported` 400 (DescribeDisks filter).
    InvalidDiskTypeValueNotSupported,
    /// `InvalidCategory.ValueNotSupported` 400 (DescribeDisks filter).
    InvalidCategoryValueNotSupported,
    /// `InvalidSnapshot.NotFound` 400 (DescribeDisks `SnapshotId` filter).
    InvalidSnapshotNotFound,
    /// `InvalidSystemDiskSize.LessThanImageSize` 404 (RunInstances, ReplaceSystemDisk).
    InvalidSystemDiskSizeLessThanImageSize,
    /// `InvalidSystemDiskCategory.ValueNotSupported` 400.
    InvalidSystemDiskCategoryValueNotSupported,
    /// `InvalidSystemDiskSize.MoreThanMaxSize` 404 (ReplaceSystemDisk: `SystemDisk.Size` above
    /// the category's maximum).
    InvalidSystemDiskSizeMoreThanMaxSize,
    /// `ResourcesNotInSameZone` 403: the instance and the disk are in different zones
    /// (AttachDisk; ECS's code from the ReplaceSystemDisk/AttachDisk error tables).
    ResourcesNotInSameZone,

    // ----- instances -----
    /// `InvalidInstanceType.ValueNotSupported` 400.
    InvalidInstanceTypeValueNotSupported,
    /// `InvalidInstanceType.NotSupported` 403.
    InvalidInstanceTypeNotSupported,
    /// `OperationDenied.NoStock` 403.
    OperationDeniedNoStock,
    /// `OperationDenied.ImageNotValid` 403.
    OperationDeniedImageNotValid,
    /// `InvalidPassword.Malformed` 400.
    InvalidPasswordMalformed,
    /// `QuotaExceed.ElasticQuota` 403.
    QuotaExceedElasticQuota,

    // ----- images -----
    /// `InvalidImageName.Duplicated` 400.
    InvalidImageNameDuplicated,
    /// `InvalidImageName.Malformed` 400.
    InvalidImageNameMalformed,
    /// `QuotaExceed.Image` 403.
    QuotaExceedImage,
    /// `ImageUsingByInstance` 403 (DeleteImage without `Force`).
    ImageUsingByInstance,
    /// `ImageUseShared` 403.
    ImageUseShared,
    /// `OperationDenied.ImageCopying` 403.
    OperationDeniedImageCopying,
    /// `QuotaExceed.ShareImageUser` 403 (more than 50 accounts).
    QuotaExceedShareImageUser,
    /// `OperationDeined.EncryptedSnapshot` 403 — the code is misspelled in ECS itself (R-IMG-3).
    OperationDeinedEncryptedSnapshot,

    // ----- tags -----
    /// `Duplicate.TagKey` 400.
    DuplicateTagKey,
    /// `InvalidTagKey.Malformed` 400.
    InvalidTagKeyMalformed,
    /// `InvalidTagValue.Malformed` 400.
    InvalidTagValueMalformed,
    /// `InvalidTag.Mismatch` 400 (a tag value given without its key).
    InvalidTagMismatch,
    /// `InvalidTagCount` 400.
    InvalidTagCount,
    /// `QuotaExceed.Tags` 403.
    QuotaExceedTags,
    /// `NumberExceed.Tags` 400 (more than 20 tags in a request).
    NumberExceedTags,
    /// `NumberExceed.ResourceIds` 400 (more than 50 resources).
    NumberExceedResourceIds,
    /// `OperationDenied.QuotaExceed` 400 (too many tags on a resource).
    OperationDeniedQuotaExceed,

    // ----- automatic snapshot policies -----
    /// `AutoSnapshotPolicy.QuotaExceed` 403 (100 policies per region).
    AutoSnapshotPolicyQuotaExceed,
    /// `ParameterInvalid` 403 naming the bad policy parameter.
    PolicyParameterInvalid(PolicyParam),

    // ----- Cloud Assistant -----
    /// `InvalidCmdType.NotFound` 403.
    InvalidCmdTypeNotFound,
    /// `InvalidInstance.NotMatch` 403 (e.g. a shell script sent to Windows).
    InvalidInstanceNotMatch,
    /// `InvalidInstance.NoClient`: no Cloud Assistant agent. Status not captured in API.md;
    /// 403 like the other RunCommand refusals.
    InvalidInstanceNoClient,
    /// `InstanceIds.ExceedLimit` 403.
    InstanceIdsExceedLimit,
    /// `CmdCount.ExceedQuota` 403.
    CmdCountExceedQuota,
    /// `InvalidParam.Frequency` 403.
    InvalidParamFrequency,
    /// `MissingParam.Frequency` 403.
    MissingParamFrequency,
    /// `CmdName.ExceedLimit` 403.
    CmdNameExceedLimit,
    /// `CmdDesc.ExceedLimit` 403.
    CmdDescExceedLimit,

    // ----- Snaplab's own storage -----
    /// The browser's storage failed underneath the engine. ECS has no code for its own
    /// storage failing, and it is no fault of the request, so the closest real replies are
    /// used: a closed store is `ServiceUnavailable` 503 (temporary, retry after reopening);
    /// an exhausted quota or any other backend failure is `InternalError` 500. Quota codes
    /// (`QuotaExceed.*`) were rejected: they describe the account's resource counts, and a
    /// tutorial checking `QuotaExceed.Snapshot` must never see it for a browser problem. The
    /// message keeps ECS's wording and adds what happened.
    Storage(StoreError),
}

impl EcsError {
    /// Shorthand for [`EcsError::NotFound`].
    pub fn not_found(resource: Resource, id: impl Into<String>) -> Self {
        EcsError::NotFound {
            resource,
            id: id.into(),
        }
    }

    /// Shorthand for [`EcsError::MissingParameter`].
    pub fn missing(name: impl Into<String>) -> Self {
        EcsError::MissingParameter { name: name.into() }
    }

    /// Shorthand for [`EcsError::InvalidParameter`].
    pub fn invalid(name: impl Into<String>, reason: impl Into<String>) -> Self {
        EcsError::InvalidParameter {
            name: name.into(),
            reason: reason.into(),
        }
    }

    /// The exact ECS error code, e.g. `IncorrectDiskStatus.CreatingSnapshot`.
    pub fn code(&self) -> &'static str {
        use EcsError::*;
        match self {
            MissingParameter { .. } | MissingParameterOneOf { .. } => "MissingParameter",
            MissingParameterNamed(n) => match n {
                MissingNamed::RegionId => "MissingParameter.RegionId",
                MissingNamed::ResourceType => "MissingParameter.ResourceType",
                MissingNamed::Tags => "MissingParameter.Tags",
                MissingNamed::CommandId => "MissingParameter.CommandId",
            },
            InvalidParameter { .. } => "InvalidParameter",
            InvalidAction { .. } => "InvalidAction",
            DryRunOperation => "DryRunOperation",
            IdempotentParameterMismatch => "IdempotentParameterMismatch",
            OperationConflict => "OperationConflict",
            ResourceOperationConflict => "Operation.Conflict",
            InternalError => "InternalError",
            ServiceUnavailable => "ServiceUnavailable",
            NotFound { resource, .. } => resource.code(),
            SnapshotServiceUnavailable => "InvalidAccountStatus.SnapshotServiceUnavailable",
            IncorrectDiskStatus => "IncorrectDiskStatus",
            IncorrectDiskStatusCreatingSnapshot(_) => "IncorrectDiskStatus.CreatingSnapshot",
            IncorrectDiskStatusNeverAttached => "IncorrectDiskStatus.NeverAttached",
            IncorrectDiskStatusNeverUsed => "IncorrectDiskStatus.NeverUsed",
            IncorrectInstanceStatus(_) => "IncorrectInstanceStatus",
            IncorrectInstanceStatusInitializing => "IncorrectInstanceStatus.Initializing",
            InstanceLockedForSecurity => "InstanceLockedForSecurity",
            DiskCreatingSnapshot => "DiskCreatingSnapshot",
            DiskStillAttached => "DiskStillAttached",
            InvalidDiskInUse => "InvalidDisk.InUse",
            DiskIdStatusNotSupported => "DiskId.StatusNotSupported",
            InstanceDiskLimitExceeded => "InstanceDiskLimitExceeded",
            InvalidDeviceInUse => "InvalidDevice.InUse",
            DiskNotPortable => "DiskNotPortable",
            InvalidOperationDeletionProtection => "InvalidOperation.DeletionProtection",
            QuotaExceedSnapshot(_) => "QuotaExceed.Snapshot",
            DiskCategoryOperationNotSupported => "DiskCategory.OperationNotSupported",
            PartofDiskCategoryOperationNotSupported => "PartofDiskCategory.OperationNotSupported",
            InvalidSnapshotNameMalformed => "InvalidSnapshotName.Malformed",
            InvalidDescriptionMalformed => "InvalidDescription.Malformed",
            InvalidRetentionDaysMalformed => "InvalidRetentionDays.Malformed",
            SnapshotCreatedImage => "SnapshotCreatedImage",
            SnapshotCreatedDisk => "SnapshotCreatedDisk",
            InvalidSnapshotIdNotReady => "InvalidSnapshotId.NotReady",
            InvalidSnapshotTooOld => "InvalidSnapshot.TooOld",
            InvalidSnapshotTooLarge => "InvalidSnapshot.TooLarge",
            InvalidParameterMismatch => "InvalidParameter.Mismatch",
            OperationDenied(_) => "OperationDenied",
            OperationDeniedSnapshotNotAllowed => "OperationDenied.SnapshotNotAllowed",
            NoAttributeToModify => "NoAttributeToModify",
            InvalidSnapshotIdsMalformed => "InvalidSnapshotIds.Malformed",
            InvalidUsage => "InvalidUsage",
            InvalidSourceDiskType => "InvalidSourceDiskType",
            InvalidStatusNotFound => "InvalidStatus.NotFound",
            InvalidSnapshotTypeNotFound => "InvalidSnapshotType.NotFound",
            InvalidFilterKeyNotFound => "InvalidFilterKey.NotFound",
            InvalidSnapshotCategoryMalformed => "InvalidSnapshotCategory.Malformed",
            InvalidStatusValueNotSupported(_) => "InvalidStatus.ValueNotSupported",
            InvalidDiskIds => "InvalidDiskIds",
            InvalidSnapshotLinkIds => "InvalidSnapshotLinkIds",
            InvalidRegionId => "InvalidRegionId",
            InvalidParamRegionId => "InvalidParam.RegionId",
            InvalidParameterTooManyDataQueried => "InvalidParameter.TooManyDataQueried",
            InvalidStartTimeTooEarly => "InvalidStartTime.TooEarly",
            InvalidStartTimeMalformed => "InvalidStartTime.Malformed",
            InvalidEndTimeMalformed => "InvalidEndTime.Malformed",
            InvalidPeriodValueNotSupported => "InvalidPeriod.ValueNotSupported",
            InvalidParameterName => "InvalidParameter.Name",
            CopySourceSnapshotNotFound => "InvalidSnapshotId.NotFound",
            InvalidOperationNotSupportCopyInSameRegion => "InvalidOperation.NotSupportCopyInSameRegion",
            InvalidOperationDiskHasUnfinishedSnapshotCopy => "InvalidOperation.DiskHasUnfinishedSnapshotCopy",
            InvalidSnapshotIdEncryptedNotSupport => "InvalidSnapshotId.EncryptedNotSupport",
            InvalidSnapshotCategoryNotSupportCopy => "InvalidSnapshotCategory.NotSupportCopy",
            InvalidDiskSizeTooSmall { .. } => "InvalidDiskSize.TooSmall",
            InvalidDiskSize => "InvalidDiskSize",
            InvalidDiskSizeTooLarge => "InvalidDiskSize.TooLarge",
            InvalidDiskSizeNotSupported => "InvalidDiskSize.NotSupported",
            InvalidSizeValueNotSupported => "InvalidSize.ValueNotSupported",
            InvalidDiskCategoryValueNotSupported => "InvalidDiskCategory.ValueNotSupported",
            InvalidDiskNameMalformed => "InvalidDiskName.Malformed",
            QuotaExceedPostPaidDisk => "QuotaExceed.PostPaidDisk",
            InvalidParamType => "InvalidParam.Type",
            InvalidDiskIdsMalformed => "InvalidDiskIds.Malformed",
            InvalidDiskTypeValueNotSupported => "InvalidDiskType.ValueNotSupported",
            InvalidCategoryValueNotSupported => "InvalidCategory.ValueNotSupported",
            InvalidSnapshotNotFound => "InvalidSnapshot.NotFound",
            InvalidSystemDiskSizeLessThanImageSize => "InvalidSystemDiskSize.LessThanImageSize",
            InvalidSystemDiskCategoryValueNotSupported => "InvalidSystemDiskCategory.ValueNotSupported",
            InvalidSystemDiskSizeMoreThanMaxSize => "InvalidSystemDiskSize.MoreThanMaxSize",
            ResourcesNotInSameZone => "ResourcesNotInSameZone",
            InvalidInstanceTypeValueNotSupported => "InvalidInstanceType.ValueNotSupported",
            InvalidInstanceTypeNotSupported => "InvalidInstanceType.NotSupported",
            OperationDeniedNoStock => "OperationDenied.NoStock",
            OperationDeniedImageNotValid => "OperationDenied.ImageNotValid",
            InvalidPasswordMalformed => "InvalidPassword.Malformed",
            QuotaExceedElasticQuota => "QuotaExceed.ElasticQuota",
            InvalidImageNameDuplicated => "InvalidImageName.Duplicated",
            InvalidImageNameMalformed => "InvalidImageName.Malformed",
            QuotaExceedImage => "QuotaExceed.Image",
            ImageUsingByInstance => "ImageUsingByInstance",
            ImageUseShared => "ImageUseShared",
            OperationDeniedImageCopying => "OperationDenied.ImageCopying",
            QuotaExceedShareImageUser => "QuotaExceed.ShareImageUser",
            OperationDeinedEncryptedSnapshot => "OperationDeined.EncryptedSnapshot",
            DuplicateTagKey => "Duplicate.TagKey",
            InvalidTagKeyMalformed => "InvalidTagKey.Malformed",
            InvalidTagValueMalformed => "InvalidTagValue.Malformed",
            InvalidTagMismatch => "InvalidTag.Mismatch",
            InvalidTagCount => "InvalidTagCount",
            QuotaExceedTags => "QuotaExceed.Tags",
            NumberExceedTags => "NumberExceed.Tags",
            NumberExceedResourceIds => "NumberExceed.ResourceIds",
            OperationDeniedQuotaExceed => "OperationDenied.QuotaExceed",
            AutoSnapshotPolicyQuotaExceed => "AutoSnapshotPolicy.QuotaExceed",
            PolicyParameterInvalid(_) => "ParameterInvalid",
            InvalidCmdTypeNotFound => "InvalidCmdType.NotFound",
            InvalidInstanceNotMatch => "InvalidInstance.NotMatch",
            InvalidInstanceNoClient => "InvalidInstance.NoClient",
            InstanceIdsExceedLimit => "InstanceIds.ExceedLimit",
            CmdCountExceedQuota => "CmdCount.ExceedQuota",
            InvalidParamFrequency => "InvalidParam.Frequency",
            MissingParamFrequency => "MissingParam.Frequency",
            CmdNameExceedLimit => "CmdName.ExceedLimit",
            CmdDescExceedLimit => "CmdDesc.ExceedLimit",
            Storage(StoreError::Closed | StoreError::InUse) => "ServiceUnavailable",
            Storage(_) => "InternalError",
        }
    }

    /// The HTTP status ECS answers with (API.md's tables; choices for undocumented ones are
    /// explained on the variants).
    pub fn http_status(&self) -> u16 {
        use EcsError::*;
        match self {
            MissingParameter { .. } | MissingParameterOneOf { .. } => 400,
            MissingParameterNamed(MissingNamed::CommandId) => 400,
            MissingParameterNamed(_) => 404,
            InvalidParameter { .. } => 400,
            InvalidAction { .. } => 403,
            DryRunOperation => 400,
            IdempotentParameterMismatch => 400,
            OperationConflict => 409,
            ResourceOperationConflict => 403,
            InternalError => 500,
            ServiceUnavailable => 503,
            // The policy's ParameterInvalid is 404 too.
            NotFound { .. } => 404,
            SnapshotServiceUnavailable => 403,
            IncorrectDiskStatusCreatingSnapshot(r) | IncorrectInstanceStatus(r) | InvalidStatusValueNotSupported(r) => {
                r.status()
            }
            IncorrectDiskStatus
            | IncorrectDiskStatusNeverAttached
            | IncorrectDiskStatusNeverUsed
            | IncorrectInstanceStatusInitializing
            | InstanceLockedForSecurity
            | DiskCreatingSnapshot
            | DiskStillAttached
            | DiskIdStatusNotSupported
            | InstanceDiskLimitExceeded
            | InvalidDeviceInUse
            | DiskNotPortable
            | InvalidOperationDeletionProtection => 403,
            InvalidDiskInUse => 404,
            QuotaExceedSnapshot(_) => 403,
            DiskCategoryOperationNotSupported | PartofDiskCategoryOperationNotSupported => 400,
            InvalidSnapshotNameMalformed => 400,
            InvalidDescriptionMalformed => 404,
            InvalidRetentionDaysMalformed => 400,
            SnapshotCreatedImage | SnapshotCreatedDisk => 403,
            InvalidSnapshotIdNotReady | InvalidSnapshotTooOld | InvalidSnapshotTooLarge => 403,
            InvalidParameterMismatch => 403,
            OperationDenied(reason) => reason.status(),
            OperationDeniedSnapshotNotAllowed => 403,
            NoAttributeToModify => 400,
            InvalidSnapshotIdsMalformed | InvalidSnapshotCategoryMalformed => 403,
            InvalidUsage
            | InvalidSourceDiskType
            | InvalidStatusNotFound
            | InvalidSnapshotTypeNotFound
            | InvalidFilterKeyNotFound => 404,
            InvalidDiskIds | InvalidSnapshotLinkIds | InvalidRegionId => 400,
            InvalidParamRegionId => 403,
            InvalidParameterTooManyDataQueried
            | InvalidStartTimeTooEarly
            | InvalidStartTimeMalformed
            | InvalidEndTimeMalformed
            | InvalidPeriodValueNotSupported
            | InvalidParameterName => 400,
            CopySourceSnapshotNotFound
            | InvalidOperationNotSupportCopyInSameRegion
            | InvalidOperationDiskHasUnfinishedSnapshotCopy
            | InvalidSnapshotIdEncryptedNotSupport
            | InvalidSnapshotCategoryNotSupportCopy => 403,
            InvalidDiskSizeTooSmall { .. } | InvalidDiskSize | InvalidDiskSizeTooLarge => 403,
            InvalidDiskSizeNotSupported
            | InvalidSizeValueNotSupported
            | InvalidDiskCategoryValueNotSupported
            | InvalidDiskNameMalformed
            | InvalidParamType
            | InvalidDiskTypeValueNotSupported
            | InvalidCategoryValueNotSupported
            | InvalidSnapshotNotFound
            | InvalidSystemDiskCategoryValueNotSupported => 400,
            QuotaExceedPostPaidDisk | InvalidDiskIdsMalformed => 403,
            InvalidSystemDiskSizeLessThanImageSize | InvalidSystemDiskSizeMoreThanMaxSize => 404,
            ResourcesNotInSameZone => 403,
            InvalidInstanceTypeValueNotSupported | InvalidPasswordMalformed => 400,
            InvalidInstanceTypeNotSupported
            | OperationDeniedNoStock
            | OperationDeniedImageNotValid
            | QuotaExceedElasticQuota => 403,
            InvalidImageNameDuplicated | InvalidImageNameMalformed => 400,
            QuotaExceedImage
            | ImageUsingByInstance
            | ImageUseShared
            | OperationDeniedImageCopying
            | QuotaExceedShareImageUser
            | OperationDeinedEncryptedSnapshot => 403,
            DuplicateTagKey
            | InvalidTagKeyMalformed
            | InvalidTagValueMalformed
            | InvalidTagMismatch
            | InvalidTagCount
            | NumberExceedTags
            | NumberExceedResourceIds
            | OperationDeniedQuotaExceed => 400,
            QuotaExceedTags => 403,
            AutoSnapshotPolicyQuotaExceed | PolicyParameterInvalid(_) => 403,
            InvalidCmdTypeNotFound
            | InvalidInstanceNotMatch
            | InvalidInstanceNoClient
            | InstanceIdsExceedLimit
            | CmdCountExceedQuota
            | InvalidParamFrequency
            | MissingParamFrequency
            | CmdNameExceedLimit
            | CmdDescExceedLimit => 403,
            Storage(StoreError::Closed | StoreError::InUse) => 503,
            Storage(_) => 500,
        }
    }

    /// The message: ECS's text where the error tables give one, otherwise ECS-style English
    /// naming the parameter or resource.
    pub fn message(&self) -> String {
        use EcsError::*;
        let s: &str = match self {
            MissingParameter { name } => {
                return format!(
                    "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
                )
            }
            MissingParameterOneOf { names } => {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                return format!("The input parameter either {} should be specified.", quoted.join(" or "));
            }
            MissingParameterNamed(n) => {
                return format!(
                    "The input parameter \"{}\" that is mandatory for processing this request is not supplied.",
                    n.name()
                )
            }
            InvalidParameter { name, reason } => {
                return if reason.is_empty() {
                    format!("The specified parameter \"{name}\" is not valid.")
                } else {
                    format!("The specified parameter \"{name}\" is not valid. {reason}")
                }
            }
            InvalidAction { .. } => "Specified action is not valid.",
            DryRunOperation => "Request validation has been passed with DryRun flag set.",
            IdempotentParameterMismatch => "The specified clientToken is used.",
            OperationConflict => "Request was denied due to conflict with a previous request.",
            ResourceOperationConflict => "The operation may conflict with other operations on the resource.",
            InternalError => INTERNAL_ERROR,
            ServiceUnavailable => SERVICE_UNAVAILABLE,
            NotFound { resource, .. } => resource.message(),
            SnapshotServiceUnavailable => "Snapshot service has not been opened yet.",
            IncorrectDiskStatus => "The current disk status does not support this operation.",
            IncorrectDiskStatusCreatingSnapshot(_) => "A previous snapshot creation is in process.",
            IncorrectDiskStatusNeverAttached => "The specified disk has never been attached to any instance.",
            IncorrectDiskStatusNeverUsed => "The specified disk has never been used after creating.",
            IncorrectInstanceStatus(_) => "The current status of the resource does not support this operation.",
            IncorrectInstanceStatusInitializing => "The specified instance is initializing.",
            InstanceLockedForSecurity => {
                "The specified operation is denied as your instance is locked for security reasons."
            }
            DiskCreatingSnapshot => {
                "The operation is denied due to a snapshot of the specified disk is not completed yet."
            }
            DiskStillAttached => "The disk is still attached to the disk.",
            InvalidDiskInUse => "The specified disk is already attached to an instance.",
            DiskIdStatusNotSupported => "The current status of the specified disk does not support this operation.",
            InstanceDiskLimitExceeded => "The number of disks attached to the instance has reached the limit.",
            InvalidDeviceInUse => "The specified device is already in use.",
            DiskNotPortable => "The specified disk is not portable.",
            InvalidOperationDeletionProtection => {
                "The specified instance has deletion protection enabled and cannot be released."
            }
            QuotaExceedSnapshot(SnapshotQuota::Manual) => "The snapshot quota exceeds.",
            QuotaExceedSnapshot(SnapshotQuota::InstantAccess) => {
                "The snapshot quota exceeds. A disk can have at most 10 snapshots with instant access enabled."
            }
            DiskCategoryOperationNotSupported => {
                "The operation is not supported to the specified disk due to its disk category"
            }
            PartofDiskCategoryOperationNotSupported => {
                "The types of some disks in the disk list do not support creating snapshots."
            }
            InvalidSnapshotNameMalformed => "The specified SnapshotName is wrongly formed.",
            InvalidDescriptionMalformed => "The specified description is wrongly formed.",
            InvalidRetentionDaysMalformed => "The specified RetentionDays is not valid.",
            SnapshotCreatedImage => "The snapshot has been used to create user defined image(s).",
            SnapshotCreatedDisk => "The snapshot has been used to create disk(s).",
            InvalidSnapshotIdNotReady => "The specified snapshot has not completed yet.",
            InvalidSnapshotTooOld => {
                "This operation is forbidden because the specified snapshot was created before the disk was re-initialized or its operating system was replaced."
            }
            InvalidSnapshotTooLarge => "The capacity of the snapshot exceeds the maximum size of the disk category.",
            InvalidParameterMismatch => "The specified snapshot is not created from the specified disk.",
            OperationDenied(reason) => reason.message(),
            OperationDeniedSnapshotNotAllowed => "The specified snapshot is not allowed to create disk.",
            NoAttributeToModify => "No attribute to be modified in this request.",
            InvalidSnapshotIdsMalformed => "The amount of specified specified snapshot Ids exceeds the limit.",
            InvalidUsage => "The specified Usage is not valid.",
            InvalidSourceDiskType => "The specified SourceDiskType is not valid.",
            InvalidStatusNotFound => "The specified Status is not found.",
            InvalidSnapshotTypeNotFound => "The specified SnapshotType is not found.",
            InvalidFilterKeyNotFound => "The specified Filter.n.Key is not found.",
            InvalidSnapshotCategoryMalformed => "The specified Category is wrongly formed.",
            InvalidStatusValueNotSupported(_) => "The specified Status is not supported.",
            InvalidDiskIds => "The specified DiskIds are not valid.",
            InvalidSnapshotLinkIds => "The specified SnapshotLinkIds are not valid.",
            InvalidRegionId => "The specified RegionId is not valid.",
            InvalidParamRegionId => "The specified RegionId is not valid.",
            InvalidParameterTooManyDataQueried => {
                "Too many data points queried: (EndTime - StartTime) / Period must not exceed 400."
            }
            InvalidStartTimeTooEarly => "The specified StartTime is too early.",
            InvalidStartTimeMalformed => "The specified StartTime is wrongly formed.",
            InvalidEndTimeMalformed => "The specified EndTime is wrongly formed.",
            InvalidPeriodValueNotSupported => "The specified Period is not supported.",
            InvalidParameterName => "The specified Name is invalid.",
            CopySourceSnapshotNotFound => "The specified snapshot is not exists.",
            InvalidOperationNotSupportCopyInSameRegion => "Copying snapshot in the same region is not supported.",
            InvalidOperationDiskHasUnfinishedSnapshotCopy => {
                "This disk has unfinished cross-region copy snapshots in the target region."
            }
            InvalidSnapshotIdEncryptedNotSupport => "The specified snapshot with encrypted does not support copy.",
            InvalidSnapshotCategoryNotSupportCopy => "The specified snapshot's category does not support copy.",
            InvalidDiskSizeTooSmall { resize: false } => "Specified disk size is less than the size of snapshot.",
            InvalidDiskSizeTooSmall { resize: true } => {
                "Specified new disk size is less than the original disk size."
            }
            InvalidDiskSize => "Specified new disk size is less than or equal the original disk size.",
            InvalidDiskSizeTooLarge => "The specified disk size exceeds the maximum of the disk category.",
            InvalidDiskSizeNotSupported => "The specified disk size is not supported.",
            InvalidSizeValueNotSupported => "The specified Size is beyond the permitted range.",
            InvalidDiskCategoryValueNotSupported => "The specified disk category is not supported.",
            InvalidDiskNameMalformed => "The specified DiskName is wrongly formed.",
            QuotaExceedPostPaidDisk => "The quota of pay-as-you-go disks is exceeded.",
            InvalidParamType => "The specified Type is not valid.",
            InvalidDiskIdsMalformed => "The amount of specified disk Ids exceeds the limit.",
            InvalidDiskTypeValueNotSupported => "The specified DiskType is not supported.",
            InvalidCategoryValueNotSupported => "The specified Category is not supported.",
            InvalidSnapshotNotFound => "The specified SnapshotId does not exist.",
            InvalidSystemDiskSizeLessThanImageSize => "The specified system disk size is less than the image size.",
            InvalidSystemDiskCategoryValueNotSupported => "The specified SystemDisk.Category is not supported.",
            InvalidSystemDiskSizeMoreThanMaxSize => "The specified SystemDisk.Size parameter exceeds the maximum size.",
            ResourcesNotInSameZone => "The specified instance and disk are not in the same zone.",
            InvalidInstanceTypeValueNotSupported => "The specified InstanceType beyond the permitted range.",
            InvalidInstanceTypeNotSupported => "The specified InstanceType is not supported.",
            OperationDeniedNoStock => "The requested resource is sold out in the specified zone.",
            OperationDeniedImageNotValid => "The specified Image is disabled or is deleted.",
            InvalidPasswordMalformed => "The specified parameter Password is not valid.",
            QuotaExceedElasticQuota => "The number of instances exceeds the quota.",
            InvalidImageNameDuplicated => "The specified Image name has already been used.",
            InvalidImageNameMalformed => "The specified Image name is wrongly formed.",
            QuotaExceedImage => "The Image Quota exceeds.",
            ImageUsingByInstance => "The specified image has been used to create instances.",
            ImageUseShared => "The specified image has been shared to others.",
            OperationDeniedImageCopying => "The specified image is being copied.",
            QuotaExceedShareImageUser => "The number of accounts the image is shared with exceeds 50.",
            OperationDeinedEncryptedSnapshot => {
                "The image contains encrypted snapshots, which do not support share."
            }
            DuplicateTagKey => "The Tag.N.Key contain duplicate key.",
            InvalidTagKeyMalformed => "The specified Tag.n.Key is not valid.",
            InvalidTagValueMalformed => "The specified Tag.n.Value is not valid.",
            InvalidTagMismatch => "The specified Tag.n.Key and Tag.n.Value are not match.",
            InvalidTagCount => "The specified tags are beyond the permitted range.",
            QuotaExceedTags => "The tags quota exceeds.",
            NumberExceedTags => "The Tags parameter's number is exceed , Valid : 20",
            NumberExceedResourceIds => "The ResourceIds parameter's number is exceed , Valid : 50",
            OperationDeniedQuotaExceed => "The quota of tags on resource is beyond permitted range.",
            AutoSnapshotPolicyQuotaExceed => "The number of automatic snapshot policies exceeds the quota.",
            PolicyParameterInvalid(p) => match p {
                PolicyParam::TimePoints => "The specified TimePoints parameter is invalid.",
                PolicyParam::RepeatWeekdays => "The specified RepeatWeekDays parameter is invalid.",
                PolicyParam::RetentionDays => "The specified RetentionDays parameter is invalid.",
                PolicyParam::RegionId => "The specified RegionId parameter is invalid.",
                PolicyParam::AutoSnapshotPolicyId => "The specified AutoSnapshotPolicyId parameter is invalid.",
                PolicyParam::DiskIds => "The specified DiskIds are invalid.",
            },
            InvalidCmdTypeNotFound => "The specified command type does not exist.",
            InvalidInstanceNotMatch => "The specified instance type does not match the command.",
            InvalidInstanceNoClient => "The specified instances have no cloud assistant client installed.",
            InstanceIdsExceedLimit => "The number of specified instances exceeds the limit.",
            CmdCountExceedQuota => "The number of commands exceeds the quota.",
            InvalidParamFrequency => "The specified Frequency is not valid.",
            MissingParamFrequency => "The Frequency parameter is required when RepeatMode is Period.",
            CmdNameExceedLimit => "The length of the command name exceeds the limit.",
            CmdDescExceedLimit => "The length of the command description exceeds the limit.",
            Storage(e) => {
                let base = if matches!(e, StoreError::Closed | StoreError::InUse) {
                    SERVICE_UNAVAILABLE
                } else {
                    INTERNAL_ERROR
                };
                return format!("{base} (Snaplab: {e}.)");
            }
        };
        s.to_string()
    }

    /// The error reply: `RequestId`, `HostId`, `Code`, `Message`, `Recommend`, `HttpStatus`.
    pub fn to_json(&self, request_id: &str) -> Value {
        let code = self.code();
        json!({
            "RequestId": request_id,
            "HostId": HOST_ID,
            "Code": code,
            "Message": self.message(),
            "Recommend": format!(
                "https://api.aliyun.com/troubleshoot?q={code}&product=Ecs&requestId={request_id}"
            ),
            "HttpStatus": self.http_status(),
        })
    }
}

const INTERNAL_ERROR: &str = "The request processing has failed due to some unknown error, exception or failure.";
const SERVICE_UNAVAILABLE: &str = "The request has failed due to a temporary failure of the server.";

impl fmt::Display for EcsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for EcsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EcsError::Storage(e) => Some(e),
            _ => None,
        }
    }
}

impl From<StoreError> for EcsError {
    fn from(e: StoreError) -> Self {
        EcsError::Storage(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RID: &str = "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E";

    fn check(e: EcsError, code: &str, status: u16, message: &str) {
        assert_eq!(e.code(), code, "{e:?}");
        assert_eq!(e.http_status(), status, "{e:?}");
        assert_eq!(e.message(), message, "{e:?}");
        let j = e.to_json(RID);
        let obj = j.as_object().expect("object");
        assert_eq!(obj.len(), 6, "{j}");
        assert_eq!(j["RequestId"], RID);
        assert_eq!(j["HostId"], "ecs.aliyuncs.com");
        assert_eq!(j["Code"], code);
        assert_eq!(j["Message"], message);
        assert_eq!(
            j["Recommend"],
            format!("https://api.aliyun.com/troubleshoot?q={code}&product=Ecs&requestId={RID}")
        );
        assert_eq!(j["HttpStatus"], status);
    }

    #[test]
    fn attach_and_replace_system_disk_codes() {
        check(
            EcsError::ResourcesNotInSameZone,
            "ResourcesNotInSameZone",
            403,
            "The specified instance and disk are not in the same zone.",
        );
        check(
            EcsError::InvalidSystemDiskSizeMoreThanMaxSize,
            "InvalidSystemDiskSize.MoreThanMaxSize",
            404,
            "The specified SystemDisk.Size parameter exceeds the maximum size.",
        );
    }

    #[test]
    fn json_shape_is_exact() {
        let j = EcsError::not_found(Resource::Disk, "d-x").to_json("ABC");
        assert_eq!(
            j,
            json!({
                "RequestId": "ABC",
                "HostId": "ecs.aliyuncs.com",
                "Code": "InvalidDiskId.NotFound",
                "Message": "The specified DiskId does not exist.",
                "Recommend": "https://api.aliyun.com/troubleshoot?q=InvalidDiskId.NotFound&product=Ecs&requestId=ABC",
                "HttpStatus": 404
            })
        );
    }

    #[test]
    fn common_codes() {
        check(
            EcsError::missing("DiskId"),
            "MissingParameter",
            400,
            "The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.",
        );
        check(
            EcsError::MissingParameterOneOf {
                names: vec!["SnapshotId".into(), "Size".into()],
            },
            "MissingParameter",
            400,
            "The input parameter either \"SnapshotId\" or \"Size\" should be specified.",
        );
        check(
            EcsError::MissingParameterNamed(MissingNamed::ResourceType),
            "MissingParameter.ResourceType",
            404,
            "The input parameter \"ResourceType\" that is mandatory for processing this request is not supplied.",
        );
        check(
            EcsError::MissingParameterNamed(MissingNamed::CommandId),
            "MissingParameter.CommandId",
            400,
            "The input parameter \"CommandId\" that is mandatory for processing this request is not supplied.",
        );
        check(
            EcsError::invalid("Size", ""),
            "InvalidParameter",
            400,
            "The specified parameter \"Size\" is not valid.",
        );
        check(
            EcsError::invalid("Force", "Expected a boolean."),
            "InvalidParameter",
            400,
            "The specified parameter \"Force\" is not valid. Expected a boolean.",
        );
        check(
            EcsError::InvalidAction { action: "Nope".into() },
            "InvalidAction",
            403,
            "Specified action is not valid.",
        );
        check(
            EcsError::DryRunOperation,
            "DryRunOperation",
            400,
            "Request validation has been passed with DryRun flag set.",
        );
        check(
            EcsError::IdempotentParameterMismatch,
            "IdempotentParameterMismatch",
            400,
            "The specified clientToken is used.",
        );
        check(
            EcsError::OperationConflict,
            "OperationConflict",
            409,
            "Request was denied due to conflict with a previous request.",
        );
        check(
            EcsError::ResourceOperationConflict,
            "Operation.Conflict",
            403,
            "The operation may conflict with other operations on the resource.",
        );
        check(EcsError::InternalError, "InternalError", 500, INTERNAL_ERROR);
        check(
            EcsError::ServiceUnavailable,
            "ServiceUnavailable",
            503,
            SERVICE_UNAVAILABLE,
        );
        check(
            EcsError::SnapshotServiceUnavailable,
            "InvalidAccountStatus.SnapshotServiceUnavailable",
            403,
            "Snapshot service has not been opened yet.",
        );
    }

    #[test]
    fn not_found_family() {
        let expected: [(Resource, &str, &str); 19] = [
            (
                Resource::Instance,
                "InvalidInstanceId.NotFound",
                "The specified InstanceId does not exist.",
            ),
            (
                Resource::Disk,
                "InvalidDiskId.NotFound",
                "The specified DiskId does not exist.",
            ),
            (
                Resource::Snapshot,
                "InvalidSnapshotId.NotFound",
                "The specified SnapshotId does not exist.",
            ),
            (
                Resource::SnapshotLink,
                "InvalidSnapshotLinkId.NotFound",
                "The specified SnapshotLinkId does not exist.",
            ),
            (
                Resource::SnapshotGroup,
                "InvalidSnapshotGroupId.NotFound",
                "The specified SnapshotGroupId does not exist.",
            ),
            (
                Resource::AutoSnapshotPolicy,
                "ParameterInvalid",
                "The specified automatic snapshot policy does not exist.",
            ),
            (
                Resource::Image,
                "InvalidImageId.NotFound",
                "The specified ImageId does not exist.",
            ),
            (
                Resource::Region,
                "InvalidRegionId.NotFound",
                "The specified RegionId does not exist.",
            ),
            (
                Resource::Zone,
                "InvalidZoneId.NotFound",
                "The specified ZoneId does not exist.",
            ),
            (
                Resource::Command,
                "InvalidCommandId.NotFound",
                "The specified CommandId does not exist.",
            ),
            (
                Resource::Invocation,
                "InvalidInvokeId.NotFound",
                "The specified InvokeId does not exist.",
            ),
            (
                Resource::CommandInstance,
                "InvalidInstance.NotFound",
                "The specified instance does not exist.",
            ),
            (
                Resource::DataDiskSnapshot,
                "InvalidDataDiskSnapshotId.NotFound",
                "The specified DataDisk.n.SnapshotId does not exist.",
            ),
            (
                Resource::VSwitch,
                "InvalidVSwitchId.NotFound",
                "The specified VSwitchId does not exist.",
            ),
            (
                Resource::SecurityGroup,
                "InvalidSecurityGroupId.NotFound",
                "The specified SecurityGroupId does not exist.",
            ),
            (
                Resource::TaggedResource,
                "InvalidResourceId.NotFound",
                "The specified ResourceIds are not found in our records.",
            ),
            (
                Resource::ResourceType,
                "InvalidResourceType.NotFound",
                "The specified ResourceType is not found in our records.",
            ),
            (
                Resource::RamRole,
                "InvalidRamRole.NotFound",
                "The specified RAMRoleName does not exist.",
            ),
            (
                Resource::Account,
                "InvalidAccount.NotFound",
                "The specified account does not exist.",
            ),
        ];
        assert_eq!(expected.len(), Resource::ALL.len());
        for (i, (r, code, msg)) in expected.into_iter().enumerate() {
            assert_eq!(Resource::ALL[i], r);
            check(EcsError::not_found(r, "x-1"), code, 404, msg);
        }
        // CopySnapshot's own, 403 form.
        check(
            EcsError::CopySourceSnapshotNotFound,
            "InvalidSnapshotId.NotFound",
            403,
            "The specified snapshot is not exists.",
        );
    }

    #[test]
    fn disk_and_instance_status() {
        check(
            EcsError::IncorrectDiskStatus,
            "IncorrectDiskStatus",
            403,
            "The current disk status does not support this operation.",
        );
        check(
            EcsError::IncorrectDiskStatusCreatingSnapshot(Refusal::Forbidden),
            "IncorrectDiskStatus.CreatingSnapshot",
            403,
            "A previous snapshot creation is in process.",
        );
        check(
            EcsError::IncorrectDiskStatusCreatingSnapshot(Refusal::BadRequest),
            "IncorrectDiskStatus.CreatingSnapshot",
            400,
            "A previous snapshot creation is in process.",
        );
        check(
            EcsError::IncorrectDiskStatusNeverAttached,
            "IncorrectDiskStatus.NeverAttached",
            403,
            "The specified disk has never been attached to any instance.",
        );
        check(
            EcsError::IncorrectInstanceStatus(Refusal::BadRequest),
            "IncorrectInstanceStatus",
            400,
            "The current status of the resource does not support this operation.",
        );
        check(
            EcsError::IncorrectInstanceStatus(Refusal::Forbidden),
            "IncorrectInstanceStatus",
            403,
            "The current status of the resource does not support this operation.",
        );
        check(
            EcsError::DiskCreatingSnapshot,
            "DiskCreatingSnapshot",
            403,
            "The operation is denied due to a snapshot of the specified disk is not completed yet.",
        );
        check(
            EcsError::DiskStillAttached,
            "DiskStillAttached",
            403,
            "The disk is still attached to the disk.",
        );
        check(
            EcsError::InvalidDiskInUse,
            "InvalidDisk.InUse",
            404,
            "The specified disk is already attached to an instance.",
        );
        check(
            EcsError::InvalidOperationDeletionProtection,
            "InvalidOperation.DeletionProtection",
            403,
            "The specified instance has deletion protection enabled and cannot be released.",
        );
    }

    #[test]
    fn snapshot_codes() {
        check(
            EcsError::QuotaExceedSnapshot(SnapshotQuota::Manual),
            "QuotaExceed.Snapshot",
            403,
            "The snapshot quota exceeds.",
        );
        assert_eq!(
            EcsError::QuotaExceedSnapshot(SnapshotQuota::InstantAccess).http_status(),
            403
        );
        check(
            EcsError::DiskCategoryOperationNotSupported,
            "DiskCategory.OperationNotSupported",
            400,
            "The operation is not supported to the specified disk due to its disk category",
        );
        check(
            EcsError::InvalidSnapshotNameMalformed,
            "InvalidSnapshotName.Malformed",
            400,
            "The specified SnapshotName is wrongly formed.",
        );
        check(
            EcsError::InvalidDescriptionMalformed,
            "InvalidDescription.Malformed",
            404,
            "The specified description is wrongly formed.",
        );
        check(
            EcsError::InvalidRetentionDaysMalformed,
            "InvalidRetentionDays.Malformed",
            400,
            "The specified RetentionDays is not valid.",
        );
        check(
            EcsError::SnapshotCreatedImage,
            "SnapshotCreatedImage",
            403,
            "The snapshot has been used to create user defined image(s).",
        );
        check(
            EcsError::SnapshotCreatedDisk,
            "SnapshotCreatedDisk",
            403,
            "The snapshot has been used to create disk(s).",
        );
        check(
            EcsError::InvalidSnapshotIdNotReady,
            "InvalidSnapshotId.NotReady",
            403,
            "The specified snapshot has not completed yet.",
        );
        check(
            EcsError::InvalidParameterMismatch,
            "InvalidParameter.Mismatch",
            403,
            "The specified snapshot is not created from the specified disk.",
        );
        assert_eq!(EcsError::InvalidSnapshotTooOld.code(), "InvalidSnapshot.TooOld");
        assert_eq!(EcsError::InvalidSnapshotTooOld.http_status(), 403);
        check(
            EcsError::NoAttributeToModify,
            "NoAttributeToModify",
            400,
            "No attribute to be modified in this request.",
        );
        check(
            EcsError::InvalidSnapshotIdsMalformed,
            "InvalidSnapshotIds.Malformed",
            403,
            "The amount of specified specified snapshot Ids exceeds the limit.",
        );
        check(
            EcsError::InvalidStatusNotFound,
            "InvalidStatus.NotFound",
            404,
            "The specified Status is not found.",
        );
        check(
            EcsError::InvalidDiskIds,
            "InvalidDiskIds",
            400,
            "The specified DiskIds are not valid.",
        );
        assert_eq!(
            EcsError::InvalidStatusValueNotSupported(Refusal::Forbidden).http_status(),
            403
        );
        assert_eq!(
            EcsError::InvalidStatusValueNotSupported(Refusal::BadRequest).http_status(),
            400
        );
        check(
            EcsError::InvalidParameterName,
            "InvalidParameter.Name",
            400,
            "The specified Name is invalid.",
        );
    }

    #[test]
    fn operation_denied_family() {
        check(
            EcsError::OperationDenied(DenyReason::SnapshotNotFromSystemDisk),
            "OperationDenied",
            403,
            "The specified snapshot is not from system disk.",
        );
        check(
            EcsError::OperationDenied(DenyReason::MappingTwoSystemDisks),
            "OperationDenied",
            400,
            "The specified parameter DiskDeviceMapping.n.SnapshotId contains two or more system disk snapshots.",
        );
        check(
            EcsError::OperationDenied(DenyReason::SnapshotNotSupportResetDisk),
            "OperationDenied",
            403,
            "The specified snapshot dees not support ResetDisk.",
        );
        check(
            EcsError::OperationDenied(DenyReason::SourceSnapshotDeleted),
            "OperationDenied",
            403,
            "The snapshot which is used to create the specified disk has been deleted.",
        );
        check(
            EcsError::OperationDeniedSnapshotNotAllowed,
            "OperationDenied.SnapshotNotAllowed",
            403,
            "The specified snapshot is not allowed to create disk.",
        );
        for r in [
            DenyReason::EncryptedLocalSnapshot,
            DenyReason::InstantAccessWhileCreating,
            DenyReason::InstantAccessBlocksReInit,
            DenyReason::DiskHasPolicy,
            DenyReason::SnapshotNotAllowedToCreateImage,
            DenyReason::WorldTooLargeToExport,
        ] {
            let e = EcsError::OperationDenied(r);
            assert_eq!((e.code(), e.http_status()), ("OperationDenied", 403));
            assert!(e.message().ends_with('.'), "{}", e.message());
        }
    }

    #[test]
    fn copy_codes() {
        check(
            EcsError::InvalidOperationNotSupportCopyInSameRegion,
            "InvalidOperation.NotSupportCopyInSameRegion",
            403,
            "Copying snapshot in the same region is not supported.",
        );
        check(
            EcsError::InvalidOperationDiskHasUnfinishedSnapshotCopy,
            "InvalidOperation.DiskHasUnfinishedSnapshotCopy",
            403,
            "This disk has unfinished cross-region copy snapshots in the target region.",
        );
        check(
            EcsError::InvalidSnapshotIdEncryptedNotSupport,
            "InvalidSnapshotId.EncryptedNotSupport",
            403,
            "The specified snapshot with encrypted does not support copy.",
        );
        check(
            EcsError::InvalidSnapshotCategoryNotSupportCopy,
            "InvalidSnapshotCategory.NotSupportCopy",
            403,
            "The specified snapshot's category does not support copy.",
        );
    }

    #[test]
    fn disk_size_codes() {
        check(
            EcsError::InvalidDiskSizeTooSmall { resize: false },
            "InvalidDiskSize.TooSmall",
            403,
            "Specified disk size is less than the size of snapshot.",
        );
        check(
            EcsError::InvalidDiskSizeTooSmall { resize: true },
            "InvalidDiskSize.TooSmall",
            403,
            "Specified new disk size is less than the original disk size.",
        );
        check(
            EcsError::InvalidDiskSize,
            "InvalidDiskSize",
            403,
            "Specified new disk size is less than or equal the original disk size.",
        );
        assert_eq!(EcsError::InvalidSnapshotTooLarge.code(), "InvalidSnapshot.TooLarge");
        assert_eq!(EcsError::InvalidDiskCategoryValueNotSupported.http_status(), 400);
        assert_eq!(EcsError::InvalidSystemDiskSizeLessThanImageSize.http_status(), 404);
    }

    #[test]
    fn instance_and_image_codes() {
        check(
            EcsError::InvalidInstanceTypeValueNotSupported,
            "InvalidInstanceType.ValueNotSupported",
            400,
            "The specified InstanceType beyond the permitted range.",
        );
        check(
            EcsError::InvalidImageNameDuplicated,
            "InvalidImageName.Duplicated",
            400,
            "The specified Image name has already been used.",
        );
        check(
            EcsError::QuotaExceedImage,
            "QuotaExceed.Image",
            403,
            "The Image Quota exceeds.",
        );
        check(
            EcsError::ImageUsingByInstance,
            "ImageUsingByInstance",
            403,
            "The specified image has been used to create instances.",
        );
        check(
            EcsError::OperationDeinedEncryptedSnapshot,
            "OperationDeined.EncryptedSnapshot",
            403,
            "The image contains encrypted snapshots, which do not support share.",
        );
    }

    #[test]
    fn tag_codes() {
        check(
            EcsError::DuplicateTagKey,
            "Duplicate.TagKey",
            400,
            "The Tag.N.Key contain duplicate key.",
        );
        check(
            EcsError::NumberExceedTags,
            "NumberExceed.Tags",
            400,
            "The Tags parameter's number is exceed , Valid : 20",
        );
        check(
            EcsError::NumberExceedResourceIds,
            "NumberExceed.ResourceIds",
            400,
            "The ResourceIds parameter's number is exceed , Valid : 50",
        );
        check(
            EcsError::QuotaExceedTags,
            "QuotaExceed.Tags",
            403,
            "The tags quota exceeds.",
        );
        check(
            EcsError::InvalidTagKeyMalformed,
            "InvalidTagKey.Malformed",
            400,
            "The specified Tag.n.Key is not valid.",
        );
    }

    #[test]
    fn policy_codes() {
        check(
            EcsError::PolicyParameterInvalid(PolicyParam::TimePoints),
            "ParameterInvalid",
            403,
            "The specified TimePoints parameter is invalid.",
        );
        check(
            EcsError::PolicyParameterInvalid(PolicyParam::RepeatWeekdays),
            "ParameterInvalid",
            403,
            "The specified RepeatWeekDays parameter is invalid.",
        );
        check(
            EcsError::PolicyParameterInvalid(PolicyParam::RetentionDays),
            "ParameterInvalid",
            403,
            "The specified RetentionDays parameter is invalid.",
        );
        assert_eq!(
            EcsError::AutoSnapshotPolicyQuotaExceed.code(),
            "AutoSnapshotPolicy.QuotaExceed"
        );
        assert_eq!(EcsError::AutoSnapshotPolicyQuotaExceed.http_status(), 403);
        assert_eq!(EcsError::PartofDiskCategoryOperationNotSupported.http_status(), 400);
    }

    #[test]
    fn cloud_assistant_codes() {
        check(
            EcsError::InvalidCmdTypeNotFound,
            "InvalidCmdType.NotFound",
            403,
            "The specified command type does not exist.",
        );
        check(
            EcsError::InvalidInstanceNotMatch,
            "InvalidInstance.NotMatch",
            403,
            "The specified instance type does not match the command.",
        );
        check(
            EcsError::InvalidInstanceNoClient,
            "InvalidInstance.NoClient",
            403,
            "The specified instances have no cloud assistant client installed.",
        );
    }

    #[test]
    fn storage_failures() {
        let quota: EcsError = StoreError::QuotaExceeded.into();
        check(
            quota.clone(),
            "InternalError",
            500,
            "The request processing has failed due to some unknown error, exception or failure. (Snaplab: the browser's storage quota is exhausted.)",
        );
        check(
            EcsError::Storage(StoreError::Closed),
            "ServiceUnavailable",
            503,
            "The request has failed due to a temporary failure of the server. (Snaplab: the store is closed.)",
        );
        check(
            EcsError::Storage(StoreError::InUse),
            "ServiceUnavailable",
            503,
            "The request has failed due to a temporary failure of the server. (Snaplab: this world is open in another tab or page; close it there first.)",
        );
        assert_eq!(EcsError::Storage(StoreError::Backend("x".into())).http_status(), 500);
        let as_err: &dyn std::error::Error = &quota;
        assert!(as_err.source().is_some());
        assert!(EcsError::InternalError.source_is_none());
        assert_eq!(
            quota.to_string(),
            "InternalError: The request processing has failed due to some unknown error, exception or failure. (Snaplab: the browser's storage quota is exhausted.)"
        );
    }

    impl EcsError {
        fn source_is_none(&self) -> bool {
            std::error::Error::source(self).is_none()
        }
    }
}
