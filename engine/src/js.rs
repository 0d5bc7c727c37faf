//! The JS API (SPEC §19), wasm only: the engine as a library for other pages and their
//! headless tests.
//!
//! ```js
//! import init, { Snaplab } from "/js/snaplab.js";
//! await init();
//! const world = await Snaplab.open("my-test-world");
//! await world.exec("snaplab service activate");
//! const { SnapshotId } = await world.createSnapshot({ DiskId: "d-…", SnapshotName: "s1" });
//! try { await world.exec("aliyun ecs DeleteSnapshot --SnapshotId s-none"); }
//! catch (e) { e.Code; e.Message; e.HttpStatus; }   // the ECS error object (SPEC §17)
//! await world.close();
//! await Snaplab.delete("my-test-world");
//! ```
//!
//! Calls run one at a time in the order they were made (each waits for the one before), so a
//! page may fire several without awaiting each. Replies are plain objects with the API's field
//! names; a refusal rejects with the API error object. Bytes cross as `Uint8Array`.

use crate::cli;
use crate::cli::Command;
use crate::request::object::api_call;
use crate::session::{LineReply, Session};
use crate::store::idb::{Durability, IdbStore};
use js_sys::{Promise, Uint8Array, JSON};
use serde_json::{json, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** The API error object every refusal rejects with (SPEC §17). */
export interface EcsError {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  HttpStatus: number;
  Recommend?: string;
}

/** A reply of the ECS API: `RequestId` and the action's fields (PascalCase, as in ECS). */
export interface EcsReply {
  RequestId: string;
  [field: string]: unknown;
}

/** Parameters of an API call, by their API names. Arrays of scalars become repeat lists
 * (`DiskId.1`, `DiskId.2`), arrays of objects `Tag.1.Key`…; parameters the API takes as a JSON
 * array string (`SnapshotIds`) are passed as that string. */
export type EcsParams = Record<string, string | number | boolean | null | undefined | string[] | Record<string, string | number | boolean>[]>;

/** How `Snaplab.open` opens the database. */
export interface OpenOptions {
  /** IndexedDB durability of every commit: "strict" (default) or "relaxed". */
  durability?: "strict" | "relaxed";
}

export interface Tag { Key: string; Value?: string }

export interface CreateSnapshotRequest {
  DiskId: string;
  SnapshotName?: string;
  Description?: string;
  RetentionDays?: number;
  Category?: "Standard" | "Flash";
  InstantAccess?: boolean;
  InstantAccessRetentionDays?: number;
  Tag?: Tag[];
  DryRun?: boolean;
  [more: string]: unknown;
}
export interface CreateSnapshotResponse extends EcsReply { SnapshotId: string }

export interface DescribeSnapshotsRequest {
  RegionId: string;
  SnapshotIds?: string;
  DiskId?: string;
  InstanceId?: string;
  Status?: string;
  SnapshotType?: string;
  PageNumber?: number;
  PageSize?: number;
  MaxResults?: number;
  NextToken?: string;
  [more: string]: unknown;
}
export interface Snapshot {
  SnapshotId: string;
  SnapshotName: string;
  Status: string;
  Progress: string;
  SourceDiskId: string;
  SourceDiskSize: string;
  SourceDiskType: string;
  CreationTime: string;
  [field: string]: unknown;
}
export interface DescribeSnapshotsResponse extends EcsReply {
  TotalCount: number;
  Snapshots: { Snapshot: Snapshot[] };
  [field: string]: unknown;
}
export interface DeleteSnapshotRequest { SnapshotId: string; Force?: boolean; DryRun?: boolean }
export interface ResetDiskRequest { DiskId: string; SnapshotId: string; DryRun?: boolean }
export interface CopySnapshotRequest {
  RegionId: string;
  SnapshotId: string;
  DestinationRegionId: string;
  DestinationSnapshotName?: string;
  [more: string]: unknown;
}
export interface CopySnapshotResponse extends EcsReply { SnapshotId: string }
"#;

/// A world stored in one IndexedDB database.
#[wasm_bindgen]
pub struct Snaplab {
    inner: Rc<Inner>,
}

struct Inner {
    name: String,
    /// `None` once closed.
    session: RefCell<Option<Session<IdbStore>>>,
    /// The last call made: the next one starts when it has settled.
    tail: RefCell<Promise>,
}

/// The error object of a call made on a closed world (not an ECS situation: the CLI has no
/// such state, so the code is Snaplab's own, in the ECS error shape).
fn closed_error() -> Value {
    json!({
        "RequestId": "",
        "HostId": "ecs.aliyuncs.com",
        "Code": "InvalidOperation.WorldClosed",
        "Message": "This world was closed; open it again with Snaplab.open.",
        "HttpStatus": 400,
    })
}

/// What a call's promise settles to: the reply (`{Output}` for a table, `null` for a blank
/// line), or the error object it rejects with.
fn settle(reply: Option<LineReply>) -> Result<JsValue, JsValue> {
    match reply {
        None => Ok(JsValue::NULL),
        Some(r) if r.is_error => Err(to_js(&r.body)),
        Some(r) => Ok(to_js(&match r.table {
            Some(table) => json!({ "Output": table }),
            None => r.body,
        })),
    }
}

fn to_js(value: &Value) -> JsValue {
    // serde_json's text is JSON: parsing it cannot fail.
    JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

fn from_js(value: &JsValue) -> Result<Value, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    let text = JSON::stringify(value)
        .map_err(|_| to_js(&invalid("Parameters", "the parameters cannot be written as JSON")))?;
    serde_json::from_str(&String::from(text))
        .map_err(|e| to_js(&invalid("Parameters", &format!("the parameters are not JSON: {e}"))))
}

fn invalid(param: &str, why: &str) -> Value {
    crate::error::EcsError::invalid(param, why.to_string()).to_json("")
}

/// A byte offset or length from JS: a non-negative integer number.
fn count(name: &str, n: f64) -> Result<u64, JsValue> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        Ok(n as u64)
    } else {
        Err(to_js(&invalid(name, &format!("{name} must be a non-negative integer"))))
    }
}

impl Snaplab {
    /// Runs `f` on the session after every earlier call has settled.
    fn queued<F, Fut>(&self, f: F) -> Promise
    where
        F: FnOnce(Session<IdbStore>) -> Fut + 'static,
        Fut: Future<Output = (Session<IdbStore>, Result<JsValue, JsValue>)> + 'static,
    {
        let inner = self.inner.clone();
        let before = inner.tail.borrow().clone();
        let promise = future_to_promise(async move {
            // Whatever the earlier call's outcome: its caller handles it.
            let _ = JsFuture::from(before).await;
            let Some(session) = inner.session.borrow_mut().take() else {
                return Err(to_js(&closed_error()));
            };
            let (session, result) = f(session).await;
            *inner.session.borrow_mut() = Some(session);
            result
        });
        *self.inner.tail.borrow_mut() = promise.clone();
        promise
    }

    fn run_line(&self, line: String) -> Promise {
        self.queued(move |mut session| async move {
            let result = settle(session.exec_line(&line).await);
            (session, result)
        })
    }

    /// Runs a command made from a call, or answers why it could not be made (in call order,
    /// with a `RequestId`, as a line that does not parse).
    fn run_command(&self, cmd: Result<Command, cli::CliError>) -> Promise {
        self.queued(move |mut session| async move {
            let reply = match cmd {
                Ok(cmd) => session.exec(&cmd).await,
                Err(e) => session.refusal(e.into()),
            };
            (session, settle(Some(reply)))
        })
    }
}

macro_rules! typed_calls {
    ($( $(#[$doc:meta])* $js:literal $rust:ident => $action:literal : $req:literal -> $resp:literal ;)*) => {
        #[wasm_bindgen]
        impl Snaplab {
            $(
                $(#[$doc])*
                #[wasm_bindgen(js_name = $js, unchecked_return_type = $resp)]
                pub fn $rust(&self, #[wasm_bindgen(unchecked_param_type = $req)] params: JsValue) -> Promise {
                    self.call($action.to_string(), params)
                }
            )*
        }
    };
}

typed_calls! {
    /// CreateSnapshot (SPEC §4).
    "createSnapshot" create_snapshot => "CreateSnapshot": "CreateSnapshotRequest" -> "Promise<CreateSnapshotResponse>";
    /// DescribeSnapshots.
    "describeSnapshots" describe_snapshots => "DescribeSnapshots": "DescribeSnapshotsRequest" -> "Promise<DescribeSnapshotsResponse>";
    /// DeleteSnapshot (SPEC §10).
    "deleteSnapshot" delete_snapshot => "DeleteSnapshot": "DeleteSnapshotRequest" -> "Promise<EcsReply>";
    /// ResetDisk: roll a disk back to a snapshot (SPEC §6).
    "resetDisk" reset_disk => "ResetDisk": "ResetDiskRequest" -> "Promise<EcsReply>";
    /// CopySnapshot to another region (SPEC §8).
    "copySnapshot" copy_snapshot => "CopySnapshot": "CopySnapshotRequest" -> "Promise<CopySnapshotResponse>";
    /// ModifySnapshotAttribute.
    "modifySnapshotAttribute" modify_snapshot_attribute => "ModifySnapshotAttribute": "EcsParams" -> "Promise<EcsReply>";
    /// DescribeSnapshotLinks (chains).
    "describeSnapshotLinks" describe_snapshot_links => "DescribeSnapshotLinks": "EcsParams" -> "Promise<EcsReply>";
    /// DescribeSnapshotsUsage.
    "describeSnapshotsUsage" describe_snapshots_usage => "DescribeSnapshotsUsage": "EcsParams" -> "Promise<EcsReply>";
    /// RunInstances.
    "runInstances" run_instances => "RunInstances": "EcsParams" -> "Promise<EcsReply>";
    /// DescribeInstances.
    "describeInstances" describe_instances => "DescribeInstances": "EcsParams" -> "Promise<EcsReply>";
    /// StartInstance.
    "startInstance" start_instance => "StartInstance": "EcsParams" -> "Promise<EcsReply>";
    /// StopInstance.
    "stopInstance" stop_instance => "StopInstance": "EcsParams" -> "Promise<EcsReply>";
    /// DeleteInstance.
    "deleteInstance" delete_instance => "DeleteInstance": "EcsParams" -> "Promise<EcsReply>";
    /// CreateDisk (empty or from a snapshot, SPEC §7).
    "createDisk" create_disk => "CreateDisk": "EcsParams" -> "Promise<EcsReply>";
    /// DescribeDisks.
    "describeDisks" describe_disks => "DescribeDisks": "EcsParams" -> "Promise<EcsReply>";
    /// AttachDisk.
    "attachDisk" attach_disk => "AttachDisk": "EcsParams" -> "Promise<EcsReply>";
    /// DetachDisk.
    "detachDisk" detach_disk => "DetachDisk": "EcsParams" -> "Promise<EcsReply>";
    /// DeleteDisk.
    "deleteDisk" delete_disk => "DeleteDisk": "EcsParams" -> "Promise<EcsReply>";
    /// ReInitDisk.
    "reInitDisk" re_init_disk => "ReInitDisk": "EcsParams" -> "Promise<EcsReply>";
    /// CreateImage (SPEC §9).
    "createImage" create_image => "CreateImage": "EcsParams" -> "Promise<EcsReply>";
    /// DescribeImages.
    "describeImages" describe_images => "DescribeImages": "EcsParams" -> "Promise<EcsReply>";
    /// DeleteImage.
    "deleteImage" delete_image => "DeleteImage": "EcsParams" -> "Promise<EcsReply>";
    /// TagResources.
    "tagResources" tag_resources => "TagResources": "EcsParams" -> "Promise<EcsReply>";
}

#[wasm_bindgen]
impl Snaplab {
    /// Opens the world stored in the IndexedDB database `name`, creating it when absent.
    #[wasm_bindgen(unchecked_return_type = "Promise<Snaplab>")]
    pub fn open(
        name: String,
        #[wasm_bindgen(unchecked_param_type = "OpenOptions | undefined")] options: JsValue,
    ) -> Promise {
        future_to_promise(async move {
            let options = from_js(&options)?;
            let durability = match options.get("durability").and_then(Value::as_str) {
                None | Some("strict") => Durability::Strict,
                Some("relaxed") => Durability::Relaxed,
                Some(other) => {
                    return Err(to_js(&invalid(
                        "durability",
                        &format!("{other:?} is not strict or relaxed"),
                    )))
                }
            };
            let store = IdbStore::open_with(&name, durability)
                .await
                .map_err(|e| to_js(&crate::error::EcsError::from(e).to_json("")))?;
            let session = Session::open(store).await.map_err(|e| to_js(&e.to_json("")))?;
            Ok(Snaplab {
                inner: Rc::new(Inner {
                    name,
                    session: RefCell::new(Some(session)),
                    tail: RefCell::new(Promise::resolve(&JsValue::UNDEFINED)),
                }),
            }
            .into())
        })
    }

    /// Deletes the database `name` (close the world first).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(name: String) -> Promise {
        future_to_promise(async move {
            IdbStore::delete(&name)
                .await
                .map_err(|e| to_js(&crate::error::EcsError::from(e).to_json("")))?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The database name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// Runs one command line (`aliyun ecs …` or `snaplab …`, SPEC §18). Resolves to the reply
    /// (`{Output}` for a line with `--output`, `null` for a blank line); rejects with the
    /// error object.
    #[wasm_bindgen(unchecked_return_type = "Promise<EcsReply | null>")]
    pub fn exec(&self, line: String) -> Promise {
        self.run_line(line)
    }

    /// Calls an ECS action with its parameters by their API names. The parameters become the
    /// command directly (`request::object`, then `Command::from_call`), with the checks a typed
    /// line gets.
    #[wasm_bindgen(unchecked_return_type = "Promise<EcsReply>")]
    pub fn call(&self, action: String, #[wasm_bindgen(unchecked_param_type = "EcsParams")] params: JsValue) -> Promise {
        let call = from_js(&params).and_then(|p| api_call(&action, &p).map_err(|e| to_js(&e.to_json(""))));
        match call {
            Ok(call) => self.run_command(Command::from_call(&call)),
            Err(e) => Promise::reject(&e),
        }
    }

    /// Writes bytes at byte `offset` of a disk attached to a running instance, as its guest
    /// would. Copied into the engine one 16 MiB batch at a time (`Session::write_disk_parts`), each
    /// batch one commit: memory does not grow with the size written.
    #[wasm_bindgen(js_name = writeDisk, unchecked_return_type = "Promise<void>")]
    pub fn write_disk(&self, disk_id: String, offset: f64, data: Uint8Array) -> Promise {
        let offset = match count("Offset", offset) {
            Ok(o) => o,
            Err(e) => return Promise::reject(&e),
        };
        self.queued(move |mut session| async move {
            let copy = |r: std::ops::Range<usize>| Cow::Owned(data.subarray(r.start as u32, r.end as u32).to_vec());
            let result = session
                .write_disk_parts(&disk_id, offset, data.length() as usize, copy)
                .await
                .map(|_| JsValue::UNDEFINED)
                .map_err(|e| to_js(&e));
            (session, result)
        })
    }

    /// Reads `length` bytes at byte `offset` of a disk (at most 256 MiB per call).
    #[wasm_bindgen(js_name = readDisk, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn read_disk(&self, disk_id: String, offset: f64, length: f64) -> Promise {
        self.read(disk_id, offset, length)
    }

    /// Reads `length` bytes at byte `offset` of a snapshot's content (at most 256 MiB per
    /// call): restore or export a snapshot chunk by chunk.
    #[wasm_bindgen(js_name = readSnapshot, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn read_snapshot(&self, snapshot_id: String, offset: f64, length: f64) -> Promise {
        self.read(snapshot_id, offset, length)
    }

    /// The size in bytes of a disk's or a snapshot's content.
    #[wasm_bindgen(js_name = contentSize, unchecked_return_type = "Promise<number>")]
    pub fn content_size(&self, id: String) -> Promise {
        self.queued(move |mut session| async move {
            let result = session
                .content_bytes(&id)
                .map(|n| JsValue::from_f64(n as f64))
                .map_err(|e| to_js(&e));
            (session, result)
        })
    }

    /// The wasm memory in bytes (it grows and never shrinks: its size is the peak).
    #[wasm_bindgen(js_name = memoryBytes)]
    pub fn memory_bytes() -> f64 {
        wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|m| {
                m.buffer()
                    .dyn_into::<js_sys::ArrayBuffer>()
                    .map(|b| b.byte_length())
                    .unwrap_or(0)
            })
            .unwrap_or(0) as f64
    }

    /// Closes the world after the calls already made; later calls reject.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn close(&self) -> Promise {
        let inner = self.inner.clone();
        let before = inner.tail.borrow().clone();
        let promise = future_to_promise(async move {
            let _ = JsFuture::from(before).await;
            if let Some(session) = inner.session.borrow_mut().take() {
                session.into_store().close();
            }
            Ok(JsValue::UNDEFINED)
        });
        *self.inner.tail.borrow_mut() = promise.clone();
        promise
    }
}

impl Snaplab {
    fn read(&self, id: String, offset: f64, length: f64) -> Promise {
        let (offset, length) = match (count("Offset", offset), count("Length", length)) {
            (Ok(o), Ok(l)) => (o, l),
            (Err(e), _) | (_, Err(e)) => return Promise::reject(&e),
        };
        self.queued(move |mut session| async move {
            let result = session
                .read(&id, offset, length)
                .await
                .map(|bytes| Uint8Array::from(bytes.as_slice()).into())
                .map_err(|e| to_js(&e));
            (session, result)
        })
    }
}
