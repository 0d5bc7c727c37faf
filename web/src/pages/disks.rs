//! The Disks page (DescribeDisks of the selected region) and the disk list an instance's Disks
//! tab shows: create (empty or from a snapshot, any zone), attach, detach, release,
//! re-initialize, resize, modify attributes, and "create snapshot" — every dialog checks its
//! command with the engine (`--DryRun true`) and shows why it is refused.

use crate::components::ui::{ActionDialog, Btn, CheckField, DataTable, ErrorBanner, SelectField, TextField};
use crate::engine::{json, use_query, Line};
use crate::pages::common::{self, category_options, id_name, snapshot_option, use_snapshots, zone_options};
use crate::route::Route;
use crate::state::use_console;
use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

crate::texts! {
    pub enum T {
        Disks => ("Disks", "云盘"),
        Create => ("Create Disk", "创建云盘"),
        Empty => ("No disks in this region yet.", "当前地域还没有云盘。"),
        EmptyInstance => ("This instance has no disks.", "该实例没有云盘。"),
        IdName => ("Disk ID/Name", "云盘ID/名称"),
        Category => ("Category", "云盘类型"),
        Size => ("Capacity", "容量"),
        Attribute => ("Disk attribute", "云盘属性"),
        Status => ("Status", "状态"),
        Instance => ("Instance", "挂载实例"),
        Zone => ("Zone", "可用区"),
        Encrypted => ("Encrypted", "加密"),
        Actions => ("Actions", "操作"),
        CreateSnapshot => ("Create Snapshot", "创建快照"),
        Attach => ("Attach", "挂载"),
        Detach => ("Detach", "卸载"),
        Release => ("Release", "释放"),
        ReInit => ("Re-initialize", "重新初始化云盘"),
        Resize => ("Resize", "扩容"),
        Modify => ("Modify Attributes", "修改属性"),
        SizeGiB => ("Size (GiB)", "容量（GiB）"),
        FromSnapshot => ("From snapshot", "用快照创建"),
        NoSnapshot => ("— empty disk —", "— 空盘 —"),
        Name => ("Name", "名称"),
        NameOptional => ("Name (optional)", "名称（可选）"),
        Description => ("Description (optional)", "描述（可选）"),
        Confirm => ("OK", "确定"),
        AttachTitle => ("Attach disk", "挂载云盘"),
        TargetInstance => ("Target instance", "目标实例"),
        ChooseInstance => ("Choose an instance", "请选择实例"),
        DeleteWithInstance => ("Release the disk with the instance", "云盘随实例释放"),
        DeleteAutoSnapshot => ("Release automatic snapshots with the disk", "自动快照随云盘释放"),
        DetachTitle => ("Detach disk", "卸载云盘"),
        ReleaseTitle => ("Release disk", "释放云盘"),
        ReleaseWarning => (
            "Releasing a disk deletes its data and cannot be undone. Its manual snapshots are kept.",
            "释放云盘会删除其数据且无法恢复。手动快照会保留。"
        ),
        ReInitTitle => ("Re-initialize disk", "重新初始化云盘"),
        ReInitWarning => (
            "Re-initializing returns the disk to its initial state (a system disk to its image, a data disk to empty or to the snapshot it was created from). Everything written since is lost.",
            "重新初始化会将云盘恢复到初始状态（系统盘恢复到镜像，数据盘恢复为空盘或创建它的快照），之后写入的数据会丢失。"
        ),
        AutoStart => ("Start the instance afterwards", "初始化后自动启动实例"),
        ResizeTitle => ("Resize disk", "云盘扩容"),
        NewSize => ("New size (GiB)", "扩容后容量（GiB）"),
        Online => ("Online resize (no restart)", "在线扩容（无需重启）"),
        ResizeNote => ("Extend the partition and file system in the guest afterwards.", "扩容后需要在实例内扩展分区和文件系统。"),
        ModifyTitle => ("Modify disk attributes", "修改云盘属性"),
        SnapshotTitle => ("Create snapshot", "创建快照"),
        SnapshotName => ("Snapshot name", "快照名称"),
        SnapshotNameHint => (
            "2–128 characters, starting with a letter; letters, digits, : _ . -; not starting with auto or http(s)://",
            "长度为2~128个字符，以字母或中文开头，可包含数字、“:”、“_”、“.”、“-”，不能以 auto 或 http(s):// 开头"
        ),
        Retention => ("Retention (days)", "保留时间（天）"),
        RetentionHint => ("Empty: kept until you delete it. 1–65,536 days.", "留空表示持续保留，直至手动删除。1~65536 天。"),
        SnapshotType => ("Snapshot type", "快照类型"),
        Standard => ("Standard snapshot", "普通快照"),
        Local => ("Local snapshot (Category=Flash)", "本地快照（Category=Flash）"),
        InstantAccess => ("Enable instant access", "开启快照极速可用"),
        InstantDays => ("Instant access duration (days)", "极速可用保留时间（天）"),
        InstantHint => (
            "ESSD only. Usable for rollback and new disks before it completes; billed separately.",
            "仅支持 ESSD 云盘。快照创建完成前即可用于回滚和创建云盘；单独计费。"
        ),
        Tags => ("Tags", "标签"),
        TagKey => ("Tag key", "标签键"),
        TagValue => ("Tag value", "标签值"),
        AddTag => ("Add tag", "添加标签"),
        Remove => ("Remove", "删除"),
    }
}

#[derive(Clone, PartialEq)]
enum Dialog {
    None,
    Create,
    Snapshot(Value),
    Attach(Value),
    Detach(Value),
    Release(Value),
    ReInit(Value),
    Resize(Value),
    Modify(Value),
}

#[function_component(DisksPage)]
pub fn disks_page() -> Html {
    let console = use_console();
    html! {
        <section class="page">
            <h1>{ console.t(T::Disks) }</h1>
            <DiskList region={console.region} instance={None::<String>} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct DiskListProps {
    pub region: &'static str,
    /// Only this instance's disks (an instance's Disks tab).
    pub instance: Option<String>,
}

/// The disks of a region or of one instance, with every disk action.
#[function_component(DiskList)]
pub fn disk_list(props: &DiskListProps) -> Html {
    let console = use_console();
    let dialog = use_state(|| Dialog::None);
    let mut line = Line::ecs("DescribeDisks")
        .arg("RegionId", props.region)
        .arg("MaxResults", "500");
    if let Some(i) = &props.instance {
        line = line.arg("InstanceId", i);
    }
    let answer = use_query(line.some());
    let open = |d: Dialog| {
        let h = dialog.clone();
        Callback::from(move |_| h.set(d.clone()))
    };
    let rows = match &answer {
        Some(Ok(v)) => json::list(v, "Disks.Disk")
            .into_iter()
            .map(|d| {
                let id = json::s(d, "DiskId");
                let instance = json::s(d, "InstanceId");
                let cells = vec![
                    id_name(&id, &json::s(d, "DiskName")),
                    html! { common::category_name(&console, &json::s(d, "Category")) },
                    html! { format!("{} GiB", json::s(d, "Size")) },
                    html! { common::disk_type(&console, &json::s(d, "Type")) },
                    common::status(&console, &json::s(d, "Status")),
                    if instance.is_empty() {
                        html! { "-" }
                    } else {
                        html! { <Link<Route> to={Route::Instance { id: instance.clone() }}><span class="mono">{ instance.clone() }</span></Link<Route>> }
                    },
                    html! { json::s(d, "ZoneId") },
                    html! { common::yes_no(&console, json::b(d, "Encrypted")) },
                    html! {
                        <div class="actions">
                            <Btn small=true label={console.t(T::CreateSnapshot)} onclick={open(Dialog::Snapshot(d.clone()))} />
                            <Btn small=true label={console.t(T::Attach)} onclick={open(Dialog::Attach(d.clone()))} />
                            <Btn small=true label={console.t(T::Detach)} onclick={open(Dialog::Detach(d.clone()))} />
                            <Btn small=true label={console.t(T::ReInit)} onclick={open(Dialog::ReInit(d.clone()))} />
                            <Btn small=true label={console.t(T::Resize)} onclick={open(Dialog::Resize(d.clone()))} />
                            <Btn small=true label={console.t(T::Modify)} onclick={open(Dialog::Modify(d.clone()))} />
                            <Btn small=true label={console.t(T::Release)} onclick={open(Dialog::Release(d.clone()))} />
                        </div>
                    },
                ];
                (id, cells)
            })
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let headers = [
        T::IdName,
        T::Category,
        T::Size,
        T::Attribute,
        T::Status,
        T::Instance,
        T::Zone,
        T::Encrypted,
        T::Actions,
    ]
    .iter()
    .map(|t| AttrValue::from(console.t(*t)))
    .collect::<Vec<_>>();
    let close = {
        let d = dialog.clone();
        Callback::from(move |_| d.set(Dialog::None))
    };
    let empty = console.t(if props.instance.is_some() {
        T::EmptyInstance
    } else {
        T::Empty
    });
    html! {
        <>
            if props.instance.is_none() {
                <div class="page-actions">
                    <Btn label={console.t(T::Create)} primary=true onclick={open(Dialog::Create)} />
                </div>
            }
            if let Some(Err(e)) = &answer { <ErrorBanner err={e.clone()} /> }
            <DataTable label={console.t(T::Disks)} {headers} {rows} {empty} loading={answer.is_none()} />
            {
                match &*dialog {
                    Dialog::None => html! {},
                    Dialog::Create => html! { <CreateDisk region={props.region} on_close={close} /> },
                    Dialog::Snapshot(d) => html! { <CreateSnapshot disk={d.clone()} on_close={close} /> },
                    Dialog::Attach(d) => html! { <AttachDisk disk={d.clone()} region={props.region} on_close={close} /> },
                    Dialog::Detach(d) => {
                        let line = Line::ecs("DetachDisk").arg("InstanceId", json::s(d, "InstanceId")).arg("DiskId", json::s(d, "DiskId"));
                        html! {
                            <ActionDialog title={console.t(T::DetachTitle)} confirm={console.t(T::Detach)} on_close={close}
                                line={line.some()}>
                                <p class="mono">{ json::s(d, "DiskId") }</p>
                            </ActionDialog>
                        }
                    }
                    Dialog::Release(d) => html! {
                        <ActionDialog title={console.t(T::ReleaseTitle)} confirm={console.t(T::Release)} danger=true on_close={close}
                            warning={html! { console.t(T::ReleaseWarning) }}
                            line={Line::ecs("DeleteDisk").arg("DiskId", json::s(d, "DiskId")).some()}>
                            <p class="mono">{ json::s(d, "DiskId") }</p>
                        </ActionDialog>
                    },
                    Dialog::ReInit(d) => html! { <ReInitDisk disk={d.clone()} on_close={close} /> },
                    Dialog::Resize(d) => html! { <ResizeDisk disk={d.clone()} on_close={close} /> },
                    Dialog::Modify(d) => html! { <ModifyDisk disk={d.clone()} on_close={close} /> },
                }
            }
        </>
    }
}

fn setter(h: &UseStateHandle<String>) -> Callback<String> {
    let h = h.clone();
    Callback::from(move |v: String| h.set(v))
}

fn toggler(h: &UseStateHandle<bool>) -> Callback<bool> {
    let h = h.clone();
    Callback::from(move |v: bool| h.set(v))
}

#[derive(Properties, PartialEq)]
struct RegionDialogProps {
    region: &'static str,
    on_close: Callback<()>,
}

#[function_component(CreateDisk)]
fn create_disk(props: &RegionDialogProps) -> Html {
    let console = use_console();
    let zones = zone_options(&console, props.region);
    let zone = use_state(|| zones.first().map(|z| z.0.clone()).unwrap_or_default());
    let category = use_state(|| "cloud_essd".to_string());
    let size = use_state(|| "20".to_string());
    let snapshot = use_state(String::new);
    let name = use_state(String::new);
    let encrypted = use_state(|| false);
    let snapshots = use_snapshots(props.region);
    let mut snap_options = vec![(String::new(), console.t(T::NoSnapshot).to_string())];
    snap_options.extend(snapshots.iter().map(|s| snapshot_option(&console, s)));
    let line = Line::ecs("CreateDisk")
        .arg("RegionId", props.region)
        .arg("ZoneId", &*zone)
        .arg("DiskCategory", &*category)
        .opt("Size", &*size)
        .opt("SnapshotId", &*snapshot)
        .opt("DiskName", &*name)
        .flag("Encrypted", *encrypted);
    html! {
        <ActionDialog title={console.t(T::Create)} confirm={console.t(T::Create)} on_close={props.on_close.clone()}
            line={line.some()}>
            <div class="row">
                <SelectField label={console.t(T::Zone)} value={(*zone).clone()} options={zones.clone()} onchange={setter(&zone)} />
                <SelectField label={console.t(T::Category)} value={(*category).clone()} options={category_options(&console)} onchange={setter(&category)} />
                <TextField label={console.t(T::SizeGiB)} number=true value={(*size).clone()} oninput={setter(&size)} />
            </div>
            <SelectField label={console.t(T::FromSnapshot)} value={(*snapshot).clone()} options={snap_options} onchange={setter(&snapshot)} />
            <TextField label={console.t(T::NameOptional)} value={(*name).clone()} oninput={setter(&name)} />
            <CheckField label={console.t(T::Encrypted)} checked={*encrypted} onchange={toggler(&encrypted)} />
        </ActionDialog>
    }
}

#[derive(Properties, PartialEq)]
struct DiskDialogProps {
    disk: Value,
    on_close: Callback<()>,
}

#[derive(Clone, PartialEq, Default)]
struct TagRow {
    key: String,
    value: String,
}

/// "Create snapshot" (CreateSnapshot): name, description, retention, local snapshot, instant
/// access and its duration, tags.
#[function_component(CreateSnapshot)]
fn create_snapshot(props: &DiskDialogProps) -> Html {
    let console = use_console();
    let disk_id = json::s(&props.disk, "DiskId");
    let name = use_state(String::new);
    let description = use_state(String::new);
    let retention = use_state(String::new);
    let local = use_state(|| false);
    let instant = use_state(|| false);
    let instant_days = use_state(|| "1".to_string());
    let tags = use_state(Vec::<TagRow>::new);
    let mut line = Line::ecs("CreateSnapshot")
        .arg("DiskId", &disk_id)
        .opt("SnapshotName", &*name)
        .opt("Description", &*description)
        .opt("RetentionDays", &*retention);
    if *local {
        line = line.arg("Category", "Flash");
    }
    if *instant {
        line = line
            .arg("InstantAccess", "true")
            .opt("InstantAccessRetentionDays", &*instant_days);
    }
    for (n, t) in tags.iter().filter(|t| !t.key.trim().is_empty()).enumerate() {
        line = line
            .arg(&format!("Tag.{}.Key", n + 1), t.key.trim())
            .arg(&format!("Tag.{}.Value", n + 1), &t.value);
    }
    let edit_tag = |i: usize, f: fn(&mut TagRow, String)| {
        let tags = tags.clone();
        Callback::from(move |v: String| {
            let mut all = (*tags).clone();
            if let Some(t) = all.get_mut(i) {
                f(t, v);
            }
            tags.set(all);
        })
    };
    let add_tag = {
        let tags = tags.clone();
        Callback::from(move |_| {
            let mut all = (*tags).clone();
            all.push(TagRow::default());
            tags.set(all);
        })
    };
    let type_options = vec![
        ("standard".to_string(), console.t(T::Standard).to_string()),
        ("local".to_string(), console.t(T::Local).to_string()),
    ];
    let on_type = {
        let local = local.clone();
        Callback::from(move |v: String| local.set(v == "local"))
    };
    html! {
        <ActionDialog title={console.t(T::SnapshotTitle)} confirm={console.t(T::Confirm)} on_close={props.on_close.clone()}
            line={line.some()} wide=true>
            <p>{ format!("{}: ", console.t(T::Disks)) }<span class="mono">{ disk_id.clone() }</span>
               { format!(" · {} · {} GiB", common::category_name(&console, &json::s(&props.disk, "Category")), json::s(&props.disk, "Size")) }</p>
            <TextField label={console.t(T::SnapshotName)} value={(*name).clone()} oninput={setter(&name)}
                hint={Some(AttrValue::from(console.t(T::SnapshotNameHint)))} />
            <TextField label={console.t(T::Description)} value={(*description).clone()} oninput={setter(&description)} />
            <TextField label={console.t(T::Retention)} number=true value={(*retention).clone()} oninput={setter(&retention)}
                hint={Some(AttrValue::from(console.t(T::RetentionHint)))} />
            <SelectField label={console.t(T::SnapshotType)} value={if *local { "local" } else { "standard" }}
                options={type_options} onchange={on_type} />
            <div class="row">
                <CheckField label={console.t(T::InstantAccess)} checked={*instant} onchange={toggler(&instant)} />
                if *instant {
                    <TextField label={console.t(T::InstantDays)} number=true value={(*instant_days).clone()} oninput={setter(&instant_days)} />
                }
            </div>
            <span class="muted small">{ console.t(T::InstantHint) }</span>
            <fieldset>
                <legend>{ console.t(T::Tags) }</legend>
                { for tags.iter().enumerate().map(|(i, t)| {
                    let remove = {
                        let tags = tags.clone();
                        Callback::from(move |_| {
                            let mut all = (*tags).clone();
                            all.remove(i);
                            tags.set(all);
                        })
                    };
                    html! {
                        <div class="row" key={i}>
                            <TextField label={format!("{} {}", console.t(T::TagKey), i + 1)} value={t.key.clone()} oninput={edit_tag(i, |t, v| t.key = v)} />
                            <TextField label={format!("{} {}", console.t(T::TagValue), i + 1)} value={t.value.clone()} oninput={edit_tag(i, |t, v| t.value = v)} />
                            <Btn small=true label={format!("{} {}", console.t(T::Remove), i + 1)} onclick={remove} />
                        </div>
                    }
                }) }
                <Btn small=true label={console.t(T::AddTag)} onclick={add_tag} />
            </fieldset>
        </ActionDialog>
    }
}

#[derive(Properties, PartialEq)]
struct AttachProps {
    disk: Value,
    region: &'static str,
    on_close: Callback<()>,
}

#[function_component(AttachDisk)]
fn attach_disk(props: &AttachProps) -> Html {
    let console = use_console();
    let instance = use_state(String::new);
    let with_instance = use_state(|| false);
    let q = Line::ecs("DescribeInstances")
        .arg("RegionId", props.region)
        .arg("MaxResults", "100");
    let instances = match use_query(Some(q.into())) {
        Some(Ok(v)) => json::list(&v, "Instances.Instance")
            .into_iter()
            .cloned()
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let mut options = vec![(String::new(), console.t(T::ChooseInstance).to_string())];
    options.extend(instances.iter().map(|i| {
        let id = json::s(i, "InstanceId");
        (
            id.clone(),
            format!("{id} · {} · {}", json::s(i, "ZoneId"), json::s(i, "Status")),
        )
    }));
    let disk_id = json::s(&props.disk, "DiskId");
    let line = (!instance.is_empty()).then(|| {
        String::from(
            Line::ecs("AttachDisk")
                .arg("InstanceId", &*instance)
                .arg("DiskId", &disk_id)
                .flag("DeleteWithInstance", *with_instance),
        )
    });
    html! {
        <ActionDialog title={console.t(T::AttachTitle)} confirm={console.t(T::Attach)} on_close={props.on_close.clone()}
            line={line} incomplete={AttrValue::from(console.t(T::ChooseInstance))}>
            <p class="mono">{ format!("{disk_id} · {}", json::s(&props.disk, "ZoneId")) }</p>
            <SelectField label={console.t(T::TargetInstance)} value={(*instance).clone()} {options} onchange={setter(&instance)} />
            <CheckField label={console.t(T::DeleteWithInstance)} checked={*with_instance} onchange={toggler(&with_instance)} />
        </ActionDialog>
    }
}

#[function_component(ReInitDisk)]
fn reinit_disk(props: &DiskDialogProps) -> Html {
    let console = use_console();
    let auto_start = use_state(|| false);
    let disk_id = json::s(&props.disk, "DiskId");
    let line = Line::ecs("ReInitDisk")
        .arg("DiskId", &disk_id)
        .flag("AutoStartInstance", *auto_start);
    html! {
        <ActionDialog title={console.t(T::ReInitTitle)} confirm={console.t(T::ReInit)} danger=true on_close={props.on_close.clone()}
            warning={html! { console.t(T::ReInitWarning) }} line={line.some()}>
            <p class="mono">{ disk_id }</p>
            <CheckField label={console.t(T::AutoStart)} checked={*auto_start} onchange={toggler(&auto_start)} />
        </ActionDialog>
    }
}

#[function_component(ResizeDisk)]
fn resize_disk(props: &DiskDialogProps) -> Html {
    let console = use_console();
    let current = json::s(&props.disk, "Size");
    let size = use_state(|| current.clone());
    let online = use_state(|| false);
    let disk_id = json::s(&props.disk, "DiskId");
    let mut line = Line::ecs("ResizeDisk").arg("DiskId", &disk_id).opt("NewSize", &*size);
    if *online {
        line = line.arg("Type", "online");
    }
    html! {
        <ActionDialog title={console.t(T::ResizeTitle)} confirm={console.t(T::Resize)} on_close={props.on_close.clone()}
            line={line.some()}>
            <p class="mono">{ format!("{disk_id} · {current} GiB") }</p>
            <TextField label={console.t(T::NewSize)} number=true value={(*size).clone()} oninput={setter(&size)}
                hint={Some(AttrValue::from(console.t(T::ResizeNote)))} />
            <CheckField label={console.t(T::Online)} checked={*online} onchange={toggler(&online)} />
        </ActionDialog>
    }
}

#[function_component(ModifyDisk)]
fn modify_disk(props: &DiskDialogProps) -> Html {
    let console = use_console();
    let d = &props.disk;
    let name = use_state(|| json::s(d, "DiskName"));
    let description = use_state(|| json::s(d, "Description"));
    let with_instance = use_state(|| json::b(d, "DeleteWithInstance"));
    let auto_snap = use_state(|| json::b(d, "DeleteAutoSnapshot"));
    let disk_id = json::s(d, "DiskId");
    let mut line = Line::ecs("ModifyDiskAttribute").arg("DiskId", &disk_id);
    if *name != json::s(d, "DiskName") {
        line = line.arg("DiskName", &*name);
    }
    if *description != json::s(d, "Description") {
        line = line.arg("Description", &*description);
    }
    if *with_instance != json::b(d, "DeleteWithInstance") {
        line = line.arg("DeleteWithInstance", with_instance.to_string());
    }
    if *auto_snap != json::b(d, "DeleteAutoSnapshot") {
        line = line.arg("DeleteAutoSnapshot", auto_snap.to_string());
    }
    html! {
        <ActionDialog title={console.t(T::ModifyTitle)} confirm={console.t(T::Confirm)} on_close={props.on_close.clone()}
            line={line.some()}>
            <p class="mono">{ disk_id.clone() }</p>
            <TextField label={console.t(T::Name)} value={(*name).clone()} oninput={setter(&name)} />
            <TextField label={console.t(T::Description)} value={(*description).clone()} oninput={setter(&description)} />
            <CheckField label={console.t(T::DeleteWithInstance)} checked={*with_instance} onchange={toggler(&with_instance)} />
            <CheckField label={console.t(T::DeleteAutoSnapshot)} checked={*auto_snap} onchange={toggler(&auto_snap)} />
        </ActionDialog>
    }
}
