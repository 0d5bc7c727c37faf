//! What the pages share: status and category labels, the region of a resource ID, option lists
//! read from the engine, and the typed reading of `snaplab …` replies ([`use_reply`]).

use crate::engine::{json, use_query, use_query_at, Answer, EcsErr, Line};
use crate::state::{use_console, ConsoleState};
use serde_json::Value;
use snaplab_engine::catalog::{self, DiskCategory};
use snaplab_engine::replies::Reply;
use std::rc::Rc;
use yew::prelude::*;

crate::texts! {
    pub enum T {
        Running => ("Running", "运行中"),
        Stopped => ("Stopped", "已停止"),
        Pending => ("Pending", "准备中"),
        Starting => ("Starting", "启动中"),
        Stopping => ("Stopping", "停止中"),
        InUse => ("In use", "使用中"),
        Available => ("Unattached", "待挂载"),
        Creating => ("Creating", "创建中"),
        ReIniting => ("Re-initializing", "初始化中"),
        Attaching => ("Attaching", "挂载中"),
        Detaching => ("Detaching", "卸载中"),
        Accomplished => ("Completed", "完成"),
        Progressing => ("In progress", "进行中"),
        Failed => ("Failed", "失败"),
        ImageAvailable => ("Available", "可用"),
        CreateFailed => ("Failed", "创建失败"),
        System => ("System disk", "系统盘"),
        Data => ("Data disk", "数据盘"),
        Yes => ("Yes", "是"),
        No => ("No", "否"),
    }
}

/// A resource status as the console shows it, with its colour.
pub fn status(console: &ConsoleState, status: &str) -> Html {
    let (text, class) = match status {
        "Running" => (Some(T::Running), "ok"),
        "Stopped" => (Some(T::Stopped), "off"),
        "Pending" => (Some(T::Pending), "busy"),
        "Starting" => (Some(T::Starting), "busy"),
        "Stopping" => (Some(T::Stopping), "busy"),
        "In_use" => (Some(T::InUse), "ok"),
        "Available" => (Some(T::Available), "off"),
        "Creating" => (Some(T::Creating), "busy"),
        "ReIniting" => (Some(T::ReIniting), "busy"),
        "Attaching" => (Some(T::Attaching), "busy"),
        "Detaching" => (Some(T::Detaching), "busy"),
        "accomplished" => (Some(T::Accomplished), "ok"),
        "progressing" => (Some(T::Progressing), "busy"),
        "failed" => (Some(T::Failed), "off"),
        _ => (None, "off"),
    };
    let label = text
        .map(|t| console.t(t).to_string())
        .unwrap_or_else(|| status.to_string());
    html! { <span class={classes!("status", class)} data-status={status.to_string()}>{ label }</span> }
}

/// An image status (`Available` means usable, not an unattached disk).
pub fn image_status(console: &ConsoleState, st: &str) -> Html {
    let (text, class) = match st {
        "Available" => (T::ImageAvailable, "ok"),
        "Creating" | "Waiting" => (T::Creating, "busy"),
        "CreateFailed" => (T::CreateFailed, "off"),
        _ => return status(console, st),
    };
    html! { <span class={classes!("status", class)} data-status={st.to_string()}>{ console.t(text) }</span> }
}

pub fn yes_no(console: &ConsoleState, b: bool) -> &'static str {
    console.t(if b { T::Yes } else { T::No })
}

pub fn disk_type(console: &ConsoleState, t: &str) -> &'static str {
    console.t(if t == "system" { T::System } else { T::Data })
}

/// A disk category's console name (`ESSD`, `ESSD云盘`), or the API spelling.
pub fn category_name(console: &ConsoleState, c: &str) -> String {
    match DiskCategory::parse(c) {
        Some(cat) => {
            let (en, zh) = cat.display_name();
            match console.lang {
                crate::i18n::Lang::En => en.to_string(),
                crate::i18n::Lang::Zh => zh.to_string(),
            }
        }
        None => c.to_string(),
    }
}

/// The categories offered for new cloud disks (value, name).
pub fn category_options(console: &ConsoleState) -> Vec<(String, String)> {
    DiskCategory::CLOUD
        .iter()
        .map(|c| (c.as_str().to_string(), category_name(console, c.as_str())))
        .collect()
}

/// The zones of a region (value, local name).
pub fn zone_options(console: &ConsoleState, region: &str) -> Vec<(String, String)> {
    catalog::region(region)
        .map(|r| {
            r.zones
                .iter()
                .map(|z| {
                    (
                        z.id.to_string(),
                        format!("{} ({})", z.local_name_for(console.lang.tag()), z.id),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The region of a resource ID (`i-bp1…` → cn-hangzhou), from the catalogue's ID prefixes.
pub fn region_of(id: &str) -> Option<&'static str> {
    let rest = id.split_once('-')?.1;
    catalog::regions()
        .iter()
        .find(|r| rest.starts_with(r.id_prefix))
        .map(|r| r.id)
}

/// The snapshots of a region, for "from snapshot" choices (completed ones first as ECS lists).
#[hook]
pub fn use_snapshots(region: &str) -> Vec<Value> {
    let line = Line::ecs("DescribeSnapshots")
        .arg("RegionId", region)
        .arg("MaxResults", "100");
    match use_query(Some(line.into())) {
        Some(Ok(v)) => json::list(&v, "Snapshots.Snapshot").into_iter().cloned().collect(),
        _ => Vec::new(),
    }
}

/// A snapshot as an option: `s-… (name, 20 GiB, system disk)`.
pub fn snapshot_option(console: &ConsoleState, s: &Value) -> (String, String) {
    let id = json::s(s, "SnapshotId");
    let name = json::s(s, "SnapshotName");
    let text = format!(
        "{id}{} · {} GiB · {} · {}",
        if name.is_empty() {
            String::new()
        } else {
            format!(" ({name})")
        },
        json::s(s, "SourceDiskSize"),
        disk_type(console, &json::s(s, "SourceDiskType").to_ascii_lowercase()),
        json::s(s, "Status"),
    );
    (id, text)
}

/// `ID` and, under it, the name (when it differs).
pub fn id_name(id: &str, name: &str) -> Html {
    html! {
        <div>
            <div class="mono">{ id.to_string() }</div>
            if !name.is_empty() && name != id { <div class="muted small">{ name.to_string() }</div> }
        </div>
    }
}

/// The console state in a hook-free helper.
#[hook]
pub fn use_region() -> &'static str {
    use_console().region
}

/// A `snaplab …` reply decoded into its struct (`snaplab_engine::replies`, the one the engine
/// serialized). A reply that does not decode is an error the page shows as such (an
/// `InternalError` naming the command and the field), never an empty value.
pub fn decode<T: Reply>(answer: &Answer) -> Result<T, EcsErr> {
    match answer {
        Ok(v) => T::from_json(v).map_err(|e| EcsErr::console(e.to_string())),
        Err(e) => Err(e.clone()),
    }
}

/// A typed answer: `None` while the first one is on its way.
pub type Typed<T> = Option<Result<Rc<T>, EcsErr>>;

/// [`use_query`] of a `snaplab …` line with its reply decoded ([`decode`]) once per answer.
#[hook]
pub fn use_reply<T: Reply + 'static>(line: Option<String>) -> Typed<T> {
    use_reply_at(line, 0)
}

/// [`use_query_at`] with the reply decoded: also runs again when `key` changes.
#[hook]
pub fn use_reply_at<T: Reply + 'static>(line: Option<String>, key: u64) -> Typed<T> {
    let answer = use_query_at(line, key);
    let decoded = use_memo(answer, |a| a.as_ref().map(|a| decode::<T>(a).map(Rc::new)));
    (*decoded).clone()
}
