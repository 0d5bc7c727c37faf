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
//! | R-GRP-2 > 16 disks or > 32 TiB | [`EcsError::InvalidParameter`] naming `DiskId.N` (no ECS code documented) |
//! | guest write on a non-running instance | [`EcsError::IncorrectInstanceStatus`] |
//! | the browser's storage fails | [`EcsError::Storage`] |
//!
//! Every error is one entry of the `ecs_errors!` table below: its doc comment, its fields,
//! its code, HTTP status and message side by side, so a new code is one entry. The kinds an
//! error is parameterized by ([`Resource`], [`DenyReason`], [`MissingNamed`]) are tables of
//! the same sort (`kinds!`), one entry per kind with all its facts.

use std::fmt;

use serde_json::{json, Value};

use crate::store::StoreError;

/// The `HostId` of every ECS error reply.
pub const HOST_ID: &str = "ecs.aliyuncs.com";

/// Declares a table of kinds, one entry per kind with all its facts:
/// `kinds! { pub enum K: KFacts { A => { status: 403, message: "…" }, } }`, where `KFacts` is
/// a struct declared beside it. Generates the enum, `K::ALL` (declaration order) and
/// `K::facts`. Leaving out a fact does not compile.
macro_rules! kinds {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident: $facts:ident {
            $($(#[$vmeta:meta])* $var:ident => { $($fact:tt)* }),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $var,)*
        }

        impl $name {
            /// Every kind, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];

            /// This kind's facts.
            pub fn facts(self) -> $facts {
                match self {
                    $($name::$var => $facts { $($fact)* },)*
                }
            }
        }
    };
}

/// Declares the ECS errors, one entry per error:
///
/// ```text
/// /// Doc comment.
/// Variant                       => ("Code", 400, "Message."),
/// Variant { name: String }      => ("Code", 400, "Message naming {name}."),
/// Variant(reason: DenyReason)   => ("Code", reason.facts().status, { reason.facts().message.into() }),
/// ```
///
/// A variant has no fields, named fields, or one unnamed field given a name for the entry
/// (`Variant(reason: DenyReason)` declares `Variant(DenyReason)`). The code (`&'static str`)
/// and the status (`u16`) are expressions over the fields; the message is a `format!`
/// template over the fields (a plain literal is a template with no field), or a block over
/// the fields giving the `String` for what a template cannot say. Generates the enum and
/// [`EcsError::code`], [`EcsError::http_status`] and [`EcsError::message`].
macro_rules! ecs_errors {
    (@message $template:literal) => { format!($template) };
    (@message $escape:block) => { $escape };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $var:ident $({ $($field:ident: $fty:ty),* $(,)? })? $(($tfield:ident: $tty:ty))?
                    => ($code:expr, $status:expr, $message:tt $(,)?)
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$vmeta])* $var $({ $($field: $fty),* })? $(($tty))?,)*
        }

        // Every arm binds every field; an entry whose code, status or message is a literal
        // leaves them unused.
        #[allow(unused_variables)]
        impl $name {
            /// The exact ECS error code, e.g. `IncorrectDiskStatus.CreatingSnapshot`.
            pub fn code(&self) -> &'static str {
                match self {
                    $($name::$var $({ $($field),* })? $(($tfield))? => $code,)*
                }
            }

            /// The HTTP status ECS answers with (API.md's tables; choices for undocumented
            /// ones are explained on the variants).
            pub fn http_status(&self) -> u16 {
                match self {
                    $($name::$var $({ $($field),* })? $(($tfield))? => $status,)*
                }
            }

            /// The message: ECS's text where the error tables give one, otherwise ECS-style
            /// English naming the parameter or resource.
            pub fn message(&self) -> String {
                match self {
                    $($name::$var $({ $($field),* })? $(($tfield))? => ecs_errors!(@message $message),)*
                }
            }
        }
    };
}

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

/// What ECS answers for an unknown resource of a [`Resource`] kind, and the prefix of the
/// kind's IDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceFacts {
    /// The prefix before the dash of the IDs Snaplab makes for the kind (`d` in
    /// `d-bp1…`, see [`crate::ids::IdGen::next_id`]); `None` for kinds named otherwise
    /// (regions, zones, accounts…).
    pub id_prefix: Option<&'static str>,
    /// The not-found code, e.g. `InvalidDiskId.NotFound` (HTTP 404).
    pub code: &'static str,
    /// ECS's not-found message.
    pub message: &'static str,
}

kinds! {
    /// A kind of resource: what a not-found refusal names ([`EcsError::NotFound`]) and, for
    /// the kinds Snaplab creates, the prefix of their IDs ([`crate::ids`]).
    pub enum Resource: ResourceFacts {
        /// `InvalidInstanceId.NotFound`.
        Instance => {
            id_prefix: Some("i"),
            code: "InvalidInstanceId.NotFound",
            message: "The specified InstanceId does not exist.",
        },
        /// `InvalidDiskId.NotFound`.
        Disk => {
            id_prefix: Some("d"),
            code: "InvalidDiskId.NotFound",
            message: "The specified DiskId does not exist.",
        },
        /// `InvalidSnapshotId.NotFound`.
        Snapshot => {
            id_prefix: Some("s"),
            code: "InvalidSnapshotId.NotFound",
            message: "The specified SnapshotId does not exist.",
        },
        /// `InvalidImageId.NotFound` (custom images `m-…`; public images have catalogue names).
        Image => {
            id_prefix: Some("m"),
            code: "InvalidImageId.NotFound",
            message: "The specified ImageId does not exist.",
        },
        /// `InvalidRegionId.NotFound`.
        Region => {
            id_prefix: None,
            code: "InvalidRegionId.NotFound",
            message: "The specified RegionId does not exist.",
        },
        /// `InvalidZoneId.NotFound`.
        Zone => {
            id_prefix: None,
            code: "InvalidZoneId.NotFound",
            message: "The specified ZoneId does not exist.",
        },
        /// `InvalidDataDiskSnapshotId.NotFound` (RunInstances `DataDisk.N.SnapshotId`).
        DataDiskSnapshot => {
            id_prefix: None,
            code: "InvalidDataDiskSnapshotId.NotFound",
            message: "The specified DataDisk.n.SnapshotId does not exist.",
        },
        /// `InvalidResourceId.NotFound` (tag actions).
        TaggedResource => {
            id_prefix: None,
            code: "InvalidResourceId.NotFound",
            message: "The specified ResourceIds are not found in our records.",
        },
        /// `InvalidResourceType.NotFound` (tag actions).
        ResourceType => {
            id_prefix: None,
            code: "InvalidResourceType.NotFound",
            message: "The specified ResourceType is not found in our records.",
        },
        /// `InvalidAccount.NotFound` (ModifyImageSharePermission).
        Account => {
            id_prefix: None,
            code: "InvalidAccount.NotFound",
            message: "The specified account does not exist.",
        },
    }
}

/// The facts of a [`MissingNamed`] parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MissingFacts {
    /// The parameter's name, as the message quotes it.
    pub name: &'static str,
    /// Its code, `MissingParameter.<Name>`.
    pub code: &'static str,
}

kinds! {
    /// Parameters whose absence has its own dotted code (`MissingParameter.<Name>`, HTTP 404:
    /// the tag actions, API.md).
    pub enum MissingNamed: MissingFacts {
        /// `MissingParameter.RegionId`.
        RegionId => { name: "RegionId", code: "MissingParameter.RegionId" },
        /// `MissingParameter.ResourceType`.
        ResourceType => { name: "ResourceType", code: "MissingParameter.ResourceType" },
        /// `MissingParameter.Tags`.
        Tags => { name: "Tags", code: "MissingParameter.Tags" },
    }
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

/// The facts of a [`DenyReason`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DenyFacts {
    /// The HTTP status of the `OperationDenied`.
    pub status: u16,
    /// Its message.
    pub message: &'static str,
}

kinds! {
    /// Why an `OperationDenied` was returned.
    pub enum DenyReason: DenyFacts {
        /// CreateImage from a data-disk snapshot (R-IMG-1).
        SnapshotNotFromSystemDisk => {
            status: 403,
            message: "The specified snapshot is not from system disk.",
        },
        /// CreateImage `DiskDeviceMapping` without a system-disk snapshot.
        MappingWithoutSystemDisk => {
            status: 400,
            message: "The specified parameter DiskDeviceMapping.n.SnapshotId does not contain system disk snapshot.",
        },
        /// CreateImage `DiskDeviceMapping` with two or more system-disk snapshots.
        MappingTwoSystemDisks => {
            status: 400,
            message: "The specified parameter DiskDeviceMapping.n.SnapshotId contains two or more system disk snapshots.",
        },
        /// CreateImage from a snapshot that cannot create images (local snapshot, R-IA-6).
        SnapshotNotAllowedToCreateImage => {
            status: 403,
            message: "The specified snapshot is not allowed to create image.",
        },
        /// ReInitDisk when the disk's source snapshot was (force-)deleted (R-DEL-2, R-DSK-2).
        SourceSnapshotDeleted => {
            status: 403,
            message: "The snapshot which is used to create the specified disk has been deleted.",
        },
        /// Snaplab rule R-IA-1: an encrypted ESSD cannot create a local snapshot. ECS documents no
        /// code; `OperationDenied` is the closest.
        EncryptedLocalSnapshot => {
            status: 403,
            message: "An encrypted disk does not support local snapshots.",
        },
        /// Snaplab rule R-IA-4: instant access cannot be turned off while the snapshot is being
        /// created. No ECS code documented; `OperationDenied` is the closest.
        InstantAccessWhileCreating => {
            status: 403,
            message: "Instant access cannot be disabled while the snapshot is being created.",
        },
        /// Snaplab rule R-IA-7: an ESSD with an instant-access snapshot cannot be re-initialized.
        /// No ECS code documented; `OperationDenied` is the closest.
        InstantAccessBlocksReInit => {
            status: 403,
            message: "The specified disk has a snapshot with instant access enabled and cannot be re-initialized.",
        },
        /// `snaplab world export` of a world storing more block bytes than one export document
        /// holds ([`crate::session::EXPORT_MAX_BYTES`]): the document is built in memory, and a
        /// larger one could exhaust the tab's memory. Snaplab's own command.
        WorldTooLargeToExport => {
            status: 403,
            message: "The world stores more than 64 MiB of block data, more than one export holds. Read its disks and snapshots in chunks instead (readDisk, readSnapshot).",
        },
    }
}

const INTERNAL_ERROR: &str = "The request processing has failed due to some unknown error, exception or failure.";
const SERVICE_UNAVAILABLE: &str = "The request has failed due to a temporary failure of the server.";

/// Whether a storage failure is temporary (`ServiceUnavailable`: retry after reopening) rather
/// than an `InternalError`; see [`EcsError::Storage`].
fn temporary(e: &StoreError) -> bool {
    matches!(e, StoreError::Closed | StoreError::InUse)
}

ecs_errors! {
    /// A refusal of the emulated ECS API: the real code, HTTP status and message.
    ///
    /// Build one with the variant for the rule that failed, then reply with
    /// [`EcsError::to_json`]. Variants whose status differs between actions carry a
    /// [`Refusal`] or a typed reason that decides it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum EcsError {
        // ----- common -----
        /// `MissingParameter` 400: a required parameter is absent.
        MissingParameter { name: String } => (
            "MissingParameter",
            400,
            "The input parameter \"{name}\" that is mandatory for processing this request is not supplied.",
        ),
        /// `MissingParameter` 400: none of several alternative parameters was given (CreateDisk:
        /// `SnapshotId` or `Size`; CreateImage: `SnapshotId`, `InstanceId` or `DiskDeviceMapping`).
        MissingParameterOneOf { names: Vec<String> } => ("MissingParameter", 400, {
            let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            format!("The input parameter either {} should be specified.", quoted.join(" or "))
        }),
        /// `MissingParameter.<Name>` 404 (the tag actions, API.md).
        MissingParameterNamed(param: MissingNamed) => (param.facts().code, 404, {
            format!(
                "The input parameter \"{}\" that is mandatory for processing this request is not supplied.",
                param.facts().name
            )
        }),
        /// `InvalidParameter` 400: a parameter has a wrong value or type. `reason` is appended to
        /// the message when not empty.
        InvalidParameter { name: String, reason: String } => ("InvalidParameter", 400, {
            if reason.is_empty() {
                format!("The specified parameter \"{name}\" is not valid.")
            } else {
                format!("The specified parameter \"{name}\" is not valid. {reason}")
            }
        }),
        /// `InvalidParameter` 400: a parameter the action or command does not take (issue 12
        /// item 1). The real `aliyun` CLI refuses it locally, before any call, with
        /// `"--X" is not a valid parameter or flag. See `aliyun help ecs Action`.` and a
        /// "Did you mean" list (aliyun-cli `openapi/errors.go`, `InvalidParameterError`); a
        /// JSON reply needs a code, and the closest ECS one for a request it cannot take is
        /// `InvalidParameter`, the code the other command-line refusals use too. `help` ends
        /// the message (the CLI's "See …" sentence, or what a `snaplab` command takes);
        /// `suggestion` is the closest name it takes, if one is within 2 edits.
        UnknownParameter { name: String, help: String, suggestion: Option<String> } => ("InvalidParameter", 400, {
            match suggestion {
                Some(s) => format!("\"--{name}\" is not a valid parameter or flag. {help} Did you mean \"--{s}\"?"),
                None => format!("\"--{name}\" is not a valid parameter or flag. {help}"),
            }
        }),
        /// `InvalidAction` 403: the action is unknown. The message is ECS's, which does not name it.
        InvalidAction { action: String } => ("InvalidAction", 403, "Specified action is not valid."),
        /// `DryRunOperation` 400: every check passed and `DryRun=true` was set.
        DryRunOperation => ("DryRunOperation", 400, "Request validation has been passed with DryRun flag set."),
        /// `InternalError` 500.
        InternalError => ("InternalError", 500, { INTERNAL_ERROR.into() }),
        /// `Invalid<Resource>Id.NotFound` 404 (or the resource's own not-found code). `id` is what
        /// the caller asked for, kept for logs; ECS's messages do not repeat it.
        NotFound { resource: Resource, id: String } => (resource.facts().code, 404, {
            resource.facts().message.into()
        }),
        /// `InvalidAccountStatus.SnapshotServiceUnavailable` 403: the snapshot service is not
        /// activated (R-SVC-1).
        SnapshotServiceUnavailable => (
            "InvalidAccountStatus.SnapshotServiceUnavailable",
            403,
            "Snapshot service has not been opened yet.",
        ),

        // ----- disk and instance status -----
        /// `IncorrectDiskStatus` 403.
        IncorrectDiskStatus => (
            "IncorrectDiskStatus",
            403,
            "The current disk status does not support this operation.",
        ),
        /// `IncorrectDiskStatus.CreatingSnapshot`: a snapshot of the disk is in progress. 403 in
        /// CreateSnapshot's table; SPEC §17 gives 400 for DeleteSnapshot (`Refusal::BadRequest`).
        IncorrectDiskStatusCreatingSnapshot(refusal: Refusal) => (
            "IncorrectDiskStatus.CreatingSnapshot",
            refusal.status(),
            "A previous snapshot creation is in process.",
        ),
        /// `IncorrectDiskStatus.NeverAttached` 403 (R-CRT-1).
        IncorrectDiskStatusNeverAttached => (
            "IncorrectDiskStatus.NeverAttached",
            403,
            "The specified disk has never been attached to any instance.",
        ),
        /// `IncorrectInstanceStatus`: 400 in CreateSnapshot, AttachDisk and CreateImage; 403 in
        /// ResetDisk, Start/Stop/Reboot/DeleteInstance, ResizeDisk, ReInitDisk, ReplaceSystemDisk.
        IncorrectInstanceStatus(refusal: Refusal) => (
            "IncorrectInstanceStatus",
            refusal.status(),
            "The current status of the resource does not support this operation.",
        ),
        /// `DiskCreatingSnapshot` 403: the disk has a snapshot that is not completed (DeleteDisk,
        /// ResizeDisk, ReInitDisk, ReplaceSystemDisk).
        DiskCreatingSnapshot => (
            "DiskCreatingSnapshot",
            403,
            "The operation is denied due to a snapshot of the specified disk is not completed yet.",
        ),
        /// `DiskStillAttached` 403 (DeleteDisk), ECS's message included.
        DiskStillAttached => ("DiskStillAttached", 403, "The disk is still attached to the disk."),
        /// `InvalidDisk.InUse` 404 (AttachDisk: the disk is attached elsewhere).
        InvalidDiskInUse => ("InvalidDisk.InUse", 404, "The specified disk is already attached to an instance."),
        /// `DiskId.StatusNotSupported` 403 (AttachDisk).
        DiskIdStatusNotSupported => (
            "DiskId.StatusNotSupported",
            403,
            "The current status of the specified disk does not support this operation.",
        ),
        /// `InstanceDiskLimitExceeded` 403 (AttachDisk).
        InstanceDiskLimitExceeded => (
            "InstanceDiskLimitExceeded",
            403,
            "The number of disks attached to the instance has reached the limit.",
        ),
        /// `InvalidDevice.InUse` 403 (AttachDisk).
        InvalidDeviceInUse => ("InvalidDevice.InUse", 403, "The specified device is already in use."),
        /// `DiskNotPortable` 403 (ModifyDiskAttribute / detach of a non-portable disk).
        DiskNotPortable => ("DiskNotPortable", 403, "The specified disk is not portable."),

        // ----- snapshots -----
        /// `QuotaExceed.Snapshot` 403.
        QuotaExceedSnapshot(quota: SnapshotQuota) => ("QuotaExceed.Snapshot", 403, {
            match quota {
                SnapshotQuota::Manual => "The snapshot quota exceeds.",
                SnapshotQuota::InstantAccess => {
                    "The snapshot quota exceeds. A disk can have at most 10 snapshots with instant access enabled."
                }
            }
            .into()
        }),
        /// `DiskCategory.OperationNotSupported` 400: the disk's category cannot do this (local
        /// disks, non-ESSD in a group or for instant access).
        DiskCategoryOperationNotSupported => (
            "DiskCategory.OperationNotSupported",
            400,
            "The operation is not supported to the specified disk due to its disk category",
        ),
        /// `InvalidSnapshotName.Malformed` 400.
        InvalidSnapshotNameMalformed => (
            "InvalidSnapshotName.Malformed",
            400,
            "The specified SnapshotName is wrongly formed.",
        ),
        /// `InvalidDescription.Malformed`: API.md's tables (CreateSnapshot,
        /// ModifySnapshotAttribute, ModifyDiskAttribute) give **404**, SPEC §17 says 400; API.md
        /// is the source for statuses, so 404.
        InvalidDescriptionMalformed => (
            "InvalidDescription.Malformed",
            404,
            "The specified description is wrongly formed.",
        ),
        /// `InvalidRetentionDays.Malformed` 400.
        InvalidRetentionDaysMalformed => (
            "InvalidRetentionDays.Malformed",
            400,
            "The specified RetentionDays is not valid.",
        ),
        /// `SnapshotCreatedImage` 403 (R-DEL-1).
        SnapshotCreatedImage => (
            "SnapshotCreatedImage",
            403,
            "The snapshot has been used to create user defined image(s).",
        ),
        /// `SnapshotCreatedDisk` 403 (R-DEL-2, without `Force`).
        SnapshotCreatedDisk => ("SnapshotCreatedDisk", 403, "The snapshot has been used to create disk(s)."),
        /// `InvalidSnapshotId.NotReady` 403: the snapshot has not completed.
        InvalidSnapshotIdNotReady => (
            "InvalidSnapshotId.NotReady",
            403,
            "The specified snapshot has not completed yet.",
        ),
        /// `InvalidSnapshot.TooOld` 403: ECS uses it for snapshots taken before 2013-07-15; Snaplab
        /// uses it (as SPEC §17 says) for snapshots taken before the disk was re-initialized or
        /// its OS replaced (R-RB-4, R-IA-7). The message is Snaplab's.
        InvalidSnapshotTooOld => (
            "InvalidSnapshot.TooOld",
            403,
            "This operation is forbidden because the specified snapshot was created before the disk was re-initialized or its operating system was replaced.",
        ),
        /// `InvalidSnapshot.TooLarge` 403 (CreateDisk: the snapshot exceeds the category's size).
        InvalidSnapshotTooLarge => (
            "InvalidSnapshot.TooLarge",
            403,
            "The capacity of the snapshot exceeds the maximum size of the disk category.",
        ),
        /// `InvalidParameter.Mismatch` 403: the snapshot was not taken from this disk (ResetDisk).
        InvalidParameterMismatch => (
            "InvalidParameter.Mismatch",
            403,
            "The specified snapshot is not created from the specified disk.",
        ),
        /// `OperationDenied` with a reason (status from the reason: 400 or 403).
        OperationDenied(reason: DenyReason) => ("OperationDenied", reason.facts().status, {
            reason.facts().message.into()
        }),
        /// `OperationDenied.SnapshotNotAllowed` 403 (CreateDisk from a snapshot that cannot
        /// create disks, e.g. R-IA-6's category/size rule for local snapshots).
        OperationDeniedSnapshotNotAllowed => (
            "OperationDenied.SnapshotNotAllowed",
            403,
            "The specified snapshot is not allowed to create disk.",
        ),
        /// `NoAttributeToModify` 400.
        NoAttributeToModify => ("NoAttributeToModify", 400, "No attribute to be modified in this request."),
        /// `InvalidSnapshotIds.Malformed` 403 (DescribeSnapshots: more than 100 IDs).
        InvalidSnapshotIdsMalformed => (
            "InvalidSnapshotIds.Malformed",
            403,
            "The amount of specified specified snapshot Ids exceeds the limit.",
        ),
        /// `InvalidUsage` 404 (DescribeSnapshots filter).
        InvalidUsage => ("InvalidUsage", 404, "The specified Usage is not valid."),
        /// `InvalidSourceDiskType` 404 (DescribeSnapshots filter).
        InvalidSourceDiskType => ("InvalidSourceDiskType", 404, "The specified SourceDiskType is not valid."),
        /// `InvalidStatus.NotFound` 404 (DescribeSnapshots filter).
        InvalidStatusNotFound => ("InvalidStatus.NotFound", 404, "The specified Status is not found."),
        /// `InvalidSnapshotType.NotFound` 404 (DescribeSnapshots filter).
        InvalidSnapshotTypeNotFound => (
            "InvalidSnapshotType.NotFound",
            404,
            "The specified SnapshotType is not found.",
        ),
        /// `InvalidFilterKey.NotFound` 404 (DescribeSnapshots filter).
        InvalidFilterKeyNotFound => ("InvalidFilterKey.NotFound", 404, "The specified Filter.n.Key is not found."),
        /// `InvalidSnapshotCategory.Malformed` 403 (DescribeSnapshots filter).
        InvalidSnapshotCategoryMalformed => (
            "InvalidSnapshotCategory.Malformed",
            403,
            "The specified Category is wrongly formed.",
        ),
        /// `InvalidStatus.ValueNotSupported`: 403 in DescribeSnapshotGroups, 400 in DescribeDisks.
        InvalidStatusValueNotSupported(refusal: Refusal) => (
            "InvalidStatus.ValueNotSupported",
            refusal.status(),
            "The specified Status is not supported.",
        ),
        /// `InvalidDiskIds` 400 (DescribeSnapshotLinks).
        InvalidDiskIds => ("InvalidDiskIds", 400, "The specified DiskIds are not valid."),
        /// `InvalidSnapshotLinkIds` 400 (DescribeSnapshotLinks).
        InvalidSnapshotLinkIds => ("InvalidSnapshotLinkIds", 400, "The specified SnapshotLinkIds are not valid."),
        /// `InvalidParameter.TooManyDataQueried` 400 (DescribeSnapshotMonitorData: > 400 points).
        InvalidParameterTooManyDataQueried => (
            "InvalidParameter.TooManyDataQueried",
            400,
            "Too many data points queried: (EndTime - StartTime) / Period must not exceed 400.",
        ),
        /// `InvalidStartTime.TooEarly` 400 (monitor data older than the kept window).
        InvalidStartTimeTooEarly => ("InvalidStartTime.TooEarly", 400, "The specified StartTime is too early."),
        /// `InvalidStartTime.Malformed` 400.
        InvalidStartTimeMalformed => (
            "InvalidStartTime.Malformed",
            400,
            "The specified StartTime is wrongly formed.",
        ),
        /// `InvalidEndTime.Malformed` 400.
        InvalidEndTimeMalformed => ("InvalidEndTime.Malformed", 400, "The specified EndTime is wrongly formed."),
        /// `InvalidPeriod.ValueNotSupported` 400.
        InvalidPeriodValueNotSupported => (
            "InvalidPeriod.ValueNotSupported",
            400,
            "The specified Period is not supported.",
        ),

        // ----- copies -----
        /// `InvalidSnapshotId.NotFound` **403**: CopySnapshot's own form for an unknown source
        /// snapshot, with its own message.
        CopySourceSnapshotNotFound => ("InvalidSnapshotId.NotFound", 403, "The specified snapshot is not exists."),
        /// `InvalidOperation.NotSupportCopyInSameRegion` 403.
        InvalidOperationNotSupportCopyInSameRegion => (
            "InvalidOperation.NotSupportCopyInSameRegion",
            403,
            "Copying snapshot in the same region is not supported.",
        ),
        /// `InvalidOperation.DiskHasUnfinishedSnapshotCopy` 403 (the code SPEC §17 names; current
        /// ECS documents `InvalidOperation.UnfinishedCrossRegionCopy` with this message).
        InvalidOperationDiskHasUnfinishedSnapshotCopy => (
            "InvalidOperation.DiskHasUnfinishedSnapshotCopy",
            403,
            "This disk has unfinished cross-region copy snapshots in the target region.",
        ),
        /// `InvalidSnapshotId.EncryptedNotSupport` 403: encrypted snapshots cannot be copied (R-CPY-3).
        InvalidSnapshotIdEncryptedNotSupport => (
            "InvalidSnapshotId.EncryptedNotSupport",
            403,
            "The specified snapshot with encrypted does not support copy.",
        ),
        /// `InvalidSnapshotCategory.NotSupportCopy` 403: local snapshots cannot be copied.
        InvalidSnapshotCategoryNotSupportCopy => (
            "InvalidSnapshotCategory.NotSupportCopy",
            403,
            "The specified snapshot's category does not support copy.",
        ),

        // ----- disks -----
        /// `InvalidDiskSize.TooSmall` 403: smaller than the snapshot (CreateDisk, `resize=false`)
        /// or than the current size (ResizeDisk, `resize=true`); ECS's two messages.
        InvalidDiskSizeTooSmall { resize: bool } => ("InvalidDiskSize.TooSmall", 403, {
            if *resize {
                "Specified new disk size is less than the original disk size.".into()
            } else {
                "Specified disk size is less than the size of snapshot.".into()
            }
        }),
        /// `InvalidDiskSize` 403 (ResizeDisk: new size ≤ current size).
        InvalidDiskSize => (
            "InvalidDiskSize",
            403,
            "Specified new disk size is less than or equal the original disk size.",
        ),
        /// `InvalidDiskSize.TooLarge` 403.
        InvalidDiskSizeTooLarge => (
            "InvalidDiskSize.TooLarge",
            403,
            "The specified disk size exceeds the maximum of the disk category.",
        ),
        /// `InvalidDiskSize.NotSupported` 400.
        InvalidDiskSizeNotSupported => (
            "InvalidDiskSize.NotSupported",
            400,
            "The specified disk size is not supported.",
        ),
        /// `InvalidDiskCategory.ValueNotSupported` 400.
        InvalidDiskCategoryValueNotSupported => (
            "InvalidDiskCategory.ValueNotSupported",
            400,
            "The specified disk category is not supported.",
        ),
        /// `InvalidDiskName.Malformed` 400.
        InvalidDiskNameMalformed => ("InvalidDiskName.Malformed", 400, "The specified DiskName is wrongly formed."),
        /// `InvalidParam.Type` 400 (ResizeDisk `Type`).
        InvalidParamType => ("InvalidParam.Type", 400, "The specified Type is not valid."),
        /// `InvalidDiskIds.Malformed` 403 (DescribeDisks: more than 100 IDs).
        InvalidDiskIdsMalformed => (
            "InvalidDiskIds.Malformed",
            403,
            "The amount of specified disk Ids exceeds the limit.",
        ),
        /// `InvalidDiskType.ValueNotSupported` 400 (DescribeDisks filter).
        InvalidDiskTypeValueNotSupported => (
            "InvalidDiskType.ValueNotSupported",
            400,
            "The specified DiskType is not supported.",
        ),
        /// `InvalidCategory.ValueNotSupported` 400 (DescribeDisks `Category`; issue 12).
        InvalidCategoryValueNotSupported => (
            "InvalidCategory.ValueNotSupported",
            400,
            "The specified Category is not supported.",
        ),
        /// `InvalidSystemDiskSize.LessThanImageSize` 404 (RunInstances, ReplaceSystemDisk).
        InvalidSystemDiskSizeLessThanImageSize => (
            "InvalidSystemDiskSize.LessThanImageSize",
            404,
            "The specified system disk size is less than the image size.",
        ),
        /// `InvalidSystemDiskCategory.ValueNotSupported` 400.
        InvalidSystemDiskCategoryValueNotSupported => (
            "InvalidSystemDiskCategory.ValueNotSupported",
            400,
            "The specified SystemDisk.Category is not supported.",
        ),
        /// `InvalidSystemDiskSize.MoreThanMaxSize` 404 (ReplaceSystemDisk: `SystemDisk.Size` above
        /// the category's maximum).
        InvalidSystemDiskSizeMoreThanMaxSize => (
            "InvalidSystemDiskSize.MoreThanMaxSize",
            404,
            "The specified SystemDisk.Size parameter exceeds the maximum size.",
        ),
        /// `ResourcesNotInSameZone` 403: the instance and the disk are in different zones
        /// (AttachDisk; ECS's code from the ReplaceSystemDisk/AttachDisk error tables).
        ResourcesNotInSameZone => (
            "ResourcesNotInSameZone",
            403,
            "The specified instance and disk are not in the same zone.",
        ),

        // ----- instances -----
        /// `InvalidInstanceType.ValueNotSupported` 400.
        InvalidInstanceTypeValueNotSupported => (
            "InvalidInstanceType.ValueNotSupported",
            400,
            "The specified InstanceType beyond the permitted range.",
        ),
        /// `OperationDenied.ImageNotValid` 403.
        OperationDeniedImageNotValid => (
            "OperationDenied.ImageNotValid",
            403,
            "The specified Image is disabled or is deleted.",
        ),

        // ----- images -----
        /// `InvalidImageName.Duplicated` 400.
        InvalidImageNameDuplicated => (
            "InvalidImageName.Duplicated",
            400,
            "The specified Image name has already been used.",
        ),
        /// `InvalidImageName.Malformed` 400.
        InvalidImageNameMalformed => (
            "InvalidImageName.Malformed",
            400,
            "The specified Image name is wrongly formed.",
        ),
        /// `QuotaExceed.Image` 403.
        QuotaExceedImage => ("QuotaExceed.Image", 403, "The Image Quota exceeds."),
        /// `ImageUsingByInstance` 403 (DeleteImage without `Force`).
        ImageUsingByInstance => (
            "ImageUsingByInstance",
            403,
            "The specified image has been used to create instances.",
        ),
        /// `ImageUseShared` 403.
        ImageUseShared => ("ImageUseShared", 403, "The specified image has been shared to others."),
        /// `QuotaExceed.ShareImageUser` 403 (more than 50 accounts).
        QuotaExceedShareImageUser => (
            "QuotaExceed.ShareImageUser",
            403,
            "The number of accounts the image is shared with exceeds 50.",
        ),
        /// `OperationDeined.EncryptedSnapshot` 403 — the code is misspelled in ECS itself (R-IMG-3).
        OperationDeinedEncryptedSnapshot => (
            "OperationDeined.EncryptedSnapshot",
            403,
            "The image contains encrypted snapshots, which do not support share.",
        ),

        // ----- tags -----
        /// `Duplicate.TagKey` 400.
        DuplicateTagKey => ("Duplicate.TagKey", 400, "The Tag.N.Key contain duplicate key."),
        /// `InvalidTagKey.Malformed` 400.
        InvalidTagKeyMalformed => ("InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid."),
        /// `InvalidTagValue.Malformed` 400.
        InvalidTagValueMalformed => ("InvalidTagValue.Malformed", 400, "The specified Tag.n.Value is not valid."),
        /// `QuotaExceed.Tags` 403.
        QuotaExceedTags => ("QuotaExceed.Tags", 403, "The tags quota exceeds."),
        /// `NumberExceed.Tags` 400 (more than 20 tags in a request).
        NumberExceedTags => ("NumberExceed.Tags", 400, "The Tags parameter's number is exceed , Valid : 20"),
        /// `NumberExceed.ResourceIds` 400 (more than 50 resources).
        NumberExceedResourceIds => (
            "NumberExceed.ResourceIds",
            400,
            "The ResourceIds parameter's number is exceed , Valid : 50",
        ),
        /// `OperationDenied.QuotaExceed` 400 (too many tags on a resource).
        OperationDeniedQuotaExceed => (
            "OperationDenied.QuotaExceed",
            400,
            "The quota of tags on resource is beyond permitted range.",
        ),

        // ----- Snaplab's own storage -----
        /// The browser's storage failed underneath the engine. ECS has no code for its own
        /// storage failing, and it is no fault of the request, so the closest real replies are
        /// used: a closed store is `ServiceUnavailable` 503 (temporary, retry after reopening);
        /// an exhausted quota or any other backend failure is `InternalError` 500. Quota codes
        /// (`QuotaExceed.*`) were rejected: they describe the account's resource counts, and a
        /// tutorial checking `QuotaExceed.Snapshot` must never see it for a browser problem. The
        /// message keeps ECS's wording and adds what happened.
        Storage(error: StoreError) => (
            if temporary(error) { "ServiceUnavailable" } else { "InternalError" },
            if temporary(error) { 503 } else { 500 },
            {
                let base = if temporary(error) { SERVICE_UNAVAILABLE } else { INTERNAL_ERROR };
                format!("{base} (Snaplab: {error}.)")
            }
        ),
    }
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
        check(EcsError::InternalError, "InternalError", 500, INTERNAL_ERROR);
        check(
            EcsError::SnapshotServiceUnavailable,
            "InvalidAccountStatus.SnapshotServiceUnavailable",
            403,
            "Snapshot service has not been opened yet.",
        );
    }

    #[test]
    fn not_found_family() {
        let expected: [(Resource, &str, &str); 10] = [
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
                Resource::DataDiskSnapshot,
                "InvalidDataDiskSnapshotId.NotFound",
                "The specified DataDisk.n.SnapshotId does not exist.",
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

    /// Every remaining value the tests above do not check in full, pinned to the code, status
    /// and message it had before the errors became one table (issue 11).
    #[test]
    fn every_other_error_is_pinned() {
        let pinned: Vec<(EcsError, &str, u16, &str)> = vec![
            (
                EcsError::MissingParameterNamed(MissingNamed::RegionId),
                "MissingParameter.RegionId",
                404,
                "The input parameter \"RegionId\" that is mandatory for processing this request is not supplied.",
            ),
            (
                EcsError::MissingParameterNamed(MissingNamed::Tags),
                "MissingParameter.Tags",
                404,
                "The input parameter \"Tags\" that is mandatory for processing this request is not supplied.",
            ),
            (
                EcsError::DiskIdStatusNotSupported,
                "DiskId.StatusNotSupported",
                403,
                "The current status of the specified disk does not support this operation.",
            ),
            (
                EcsError::InstanceDiskLimitExceeded,
                "InstanceDiskLimitExceeded",
                403,
                "The number of disks attached to the instance has reached the limit.",
            ),
            (
                EcsError::InvalidDeviceInUse,
                "InvalidDevice.InUse",
                403,
                "The specified device is already in use.",
            ),
            (
                EcsError::DiskNotPortable,
                "DiskNotPortable",
                403,
                "The specified disk is not portable.",
            ),
            (
                EcsError::QuotaExceedSnapshot(SnapshotQuota::InstantAccess),
                "QuotaExceed.Snapshot",
                403,
                "The snapshot quota exceeds. A disk can have at most 10 snapshots with instant access enabled.",
            ),
            (
                EcsError::InvalidSnapshotTooOld,
                "InvalidSnapshot.TooOld",
                403,
                "This operation is forbidden because the specified snapshot was created before the disk was re-initialized or its operating system was replaced.",
            ),
            (
                EcsError::InvalidSnapshotTooLarge,
                "InvalidSnapshot.TooLarge",
                403,
                "The capacity of the snapshot exceeds the maximum size of the disk category.",
            ),
            (
                EcsError::OperationDenied(DenyReason::MappingWithoutSystemDisk),
                "OperationDenied",
                400,
                "The specified parameter DiskDeviceMapping.n.SnapshotId does not contain system disk snapshot.",
            ),
            (
                EcsError::OperationDenied(DenyReason::SnapshotNotAllowedToCreateImage),
                "OperationDenied",
                403,
                "The specified snapshot is not allowed to create image.",
            ),
            (
                EcsError::OperationDenied(DenyReason::EncryptedLocalSnapshot),
                "OperationDenied",
                403,
                "An encrypted disk does not support local snapshots.",
            ),
            (
                EcsError::OperationDenied(DenyReason::InstantAccessWhileCreating),
                "OperationDenied",
                403,
                "Instant access cannot be disabled while the snapshot is being created.",
            ),
            (
                EcsError::OperationDenied(DenyReason::InstantAccessBlocksReInit),
                "OperationDenied",
                403,
                "The specified disk has a snapshot with instant access enabled and cannot be re-initialized.",
            ),
            (
                EcsError::OperationDenied(DenyReason::WorldTooLargeToExport),
                "OperationDenied",
                403,
                "The world stores more than 64 MiB of block data, more than one export holds. Read its disks and snapshots in chunks instead (readDisk, readSnapshot).",
            ),
            (
                EcsError::InvalidUsage,
                "InvalidUsage",
                404,
                "The specified Usage is not valid.",
            ),
            (
                EcsError::InvalidSourceDiskType,
                "InvalidSourceDiskType",
                404,
                "The specified SourceDiskType is not valid.",
            ),
            (
                EcsError::InvalidSnapshotTypeNotFound,
                "InvalidSnapshotType.NotFound",
                404,
                "The specified SnapshotType is not found.",
            ),
            (
                EcsError::InvalidFilterKeyNotFound,
                "InvalidFilterKey.NotFound",
                404,
                "The specified Filter.n.Key is not found.",
            ),
            (
                EcsError::InvalidSnapshotCategoryMalformed,
                "InvalidSnapshotCategory.Malformed",
                403,
                "The specified Category is wrongly formed.",
            ),
            (
                EcsError::InvalidStatusValueNotSupported(Refusal::Forbidden),
                "InvalidStatus.ValueNotSupported",
                403,
                "The specified Status is not supported.",
            ),
            (
                EcsError::InvalidStatusValueNotSupported(Refusal::BadRequest),
                "InvalidStatus.ValueNotSupported",
                400,
                "The specified Status is not supported.",
            ),
            (
                EcsError::InvalidSnapshotLinkIds,
                "InvalidSnapshotLinkIds",
                400,
                "The specified SnapshotLinkIds are not valid.",
            ),
            (
                EcsError::InvalidParameterTooManyDataQueried,
                "InvalidParameter.TooManyDataQueried",
                400,
                "Too many data points queried: (EndTime - StartTime) / Period must not exceed 400.",
            ),
            (
                EcsError::InvalidStartTimeTooEarly,
                "InvalidStartTime.TooEarly",
                400,
                "The specified StartTime is too early.",
            ),
            (
                EcsError::InvalidStartTimeMalformed,
                "InvalidStartTime.Malformed",
                400,
                "The specified StartTime is wrongly formed.",
            ),
            (
                EcsError::InvalidEndTimeMalformed,
                "InvalidEndTime.Malformed",
                400,
                "The specified EndTime is wrongly formed.",
            ),
            (
                EcsError::InvalidPeriodValueNotSupported,
                "InvalidPeriod.ValueNotSupported",
                400,
                "The specified Period is not supported.",
            ),
            (
                EcsError::InvalidDiskSizeTooLarge,
                "InvalidDiskSize.TooLarge",
                403,
                "The specified disk size exceeds the maximum of the disk category.",
            ),
            (
                EcsError::InvalidDiskSizeNotSupported,
                "InvalidDiskSize.NotSupported",
                400,
                "The specified disk size is not supported.",
            ),
            (
                EcsError::InvalidDiskCategoryValueNotSupported,
                "InvalidDiskCategory.ValueNotSupported",
                400,
                "The specified disk category is not supported.",
            ),
            (
                EcsError::InvalidDiskNameMalformed,
                "InvalidDiskName.Malformed",
                400,
                "The specified DiskName is wrongly formed.",
            ),
            (
                EcsError::InvalidParamType,
                "InvalidParam.Type",
                400,
                "The specified Type is not valid.",
            ),
            (
                EcsError::InvalidDiskIdsMalformed,
                "InvalidDiskIds.Malformed",
                403,
                "The amount of specified disk Ids exceeds the limit.",
            ),
            (
                EcsError::InvalidDiskTypeValueNotSupported,
                "InvalidDiskType.ValueNotSupported",
                400,
                "The specified DiskType is not supported.",
            ),
            (
                EcsError::InvalidCategoryValueNotSupported,
                "InvalidCategory.ValueNotSupported",
                400,
                "The specified Category is not supported.",
            ),
            (
                EcsError::InvalidSystemDiskSizeLessThanImageSize,
                "InvalidSystemDiskSize.LessThanImageSize",
                404,
                "The specified system disk size is less than the image size.",
            ),
            (
                EcsError::InvalidSystemDiskCategoryValueNotSupported,
                "InvalidSystemDiskCategory.ValueNotSupported",
                400,
                "The specified SystemDisk.Category is not supported.",
            ),
            (
                EcsError::OperationDeniedImageNotValid,
                "OperationDenied.ImageNotValid",
                403,
                "The specified Image is disabled or is deleted.",
            ),
            (
                EcsError::InvalidImageNameMalformed,
                "InvalidImageName.Malformed",
                400,
                "The specified Image name is wrongly formed.",
            ),
            (
                EcsError::ImageUseShared,
                "ImageUseShared",
                403,
                "The specified image has been shared to others.",
            ),
            (
                EcsError::QuotaExceedShareImageUser,
                "QuotaExceed.ShareImageUser",
                403,
                "The number of accounts the image is shared with exceeds 50.",
            ),
            (
                EcsError::InvalidTagValueMalformed,
                "InvalidTagValue.Malformed",
                400,
                "The specified Tag.n.Value is not valid.",
            ),
            (
                EcsError::OperationDeniedQuotaExceed,
                "OperationDenied.QuotaExceed",
                400,
                "The quota of tags on resource is beyond permitted range.",
            ),
            (
                EcsError::Storage(StoreError::Backend("x".into())),
                "InternalError",
                500,
                "The request processing has failed due to some unknown error, exception or failure. (Snaplab: storage failure: x.)",
            ),
        ];
        for (e, code, status, message) in pinned {
            check(e, code, status, message);
        }
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
