//! The Images page: custom and public images of the selected region (DescribeImages), delete
//! a custom image, create one from a system-disk snapshot plus optional data-disk snapshots
//! (CreateImage with DiskDeviceMapping.N).

use crate::components::ui::{ActionDialog, Btn, CheckField, DataTable, ErrorBanner, SelectField, TextField};
use crate::engine::{json, use_query, Line};
use crate::pages::common::{self, id_name, snapshot_option, use_snapshots};
use crate::state::use_console;
use serde_json::Value;
use yew::prelude::*;

crate::texts! {
    pub enum T {
        Images => ("Images", "镜像"),
        Custom => ("Custom Images", "自定义镜像"),
        Public => ("Public Images", "公共镜像"),
        Create => ("Create Custom Image", "创建自定义镜像"),
        EmptyCustom => ("No custom images in this region yet.", "当前地域还没有自定义镜像。"),
        EmptyPublic => ("No public images.", "没有公共镜像。"),
        IdName => ("Image ID/Name", "镜像ID/名称"),
        Os => ("Operating system", "操作系统"),
        Size => ("Size", "大小"),
        Status => ("Status", "状态"),
        Progress => ("Progress", "进度"),
        Created => ("Created", "创建时间"),
        Snapshots => ("Snapshots", "快照"),
        Actions => ("Actions", "操作"),
        Delete => ("Delete", "删除"),
        DeleteTitle => ("Delete image", "删除镜像"),
        DeleteWarning => (
            "Deleting an image cannot be undone. Instances created from it keep running; its snapshots become deletable.",
            "删除镜像后无法恢复。已用该镜像创建的实例不受影响；其快照可以被删除。"
        ),
        SystemSnapshot => ("System disk snapshot", "系统盘快照"),
        ChooseSystem => ("Choose a system disk snapshot", "请选择系统盘快照"),
        DataSnapshots => ("Data disk snapshots (optional)", "数据盘快照（可选）"),
        NoDataSnapshots => ("No data disk snapshots in this region.", "当前地域没有数据盘快照。"),
        Name => ("Image name", "镜像名称"),
        Description => ("Description (optional)", "描述（可选）"),
        Family => ("Image family (optional)", "镜像族系（可选）"),
    }
}

#[derive(Clone, PartialEq)]
enum Dialog {
    None,
    Create,
    Delete(String),
}

#[function_component(ImagesPage)]
pub fn images_page() -> Html {
    let console = use_console();
    let region = console.region;
    let dialog = use_state(|| Dialog::None);
    let custom_q = Line::ecs("DescribeImages")
        .arg("RegionId", region)
        .arg("ImageOwnerAlias", "self")
        .arg("Status", "Creating,Waiting,Available,UnAvailable,CreateFailed")
        .arg("PageSize", "100");
    let public_q = Line::ecs("DescribeImages")
        .arg("RegionId", region)
        .arg("ImageOwnerAlias", "system")
        .arg("PageSize", "100");
    let custom = use_query(Some(custom_q.into()));
    let public = use_query(Some(public_q.into()));
    let open = |d: Dialog| {
        let h = dialog.clone();
        Callback::from(move |_| h.set(d.clone()))
    };
    let table = |answer: &Option<Result<Value, crate::engine::EcsErr>>, label: T, empty: T, deletable: bool| {
        if let Some(Err(e)) = answer {
            return html! { <ErrorBanner err={e.clone()} /> };
        }
        let rows = answer
            .as_ref()
            .and_then(|a| a.as_ref().ok())
            .map(|v| json::list(v, "Images.Image"))
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                let id = json::s(i, "ImageId");
                let snaps = json::list(i, "DiskDeviceMappings.DiskDeviceMapping")
                    .into_iter()
                    .map(|m| format!("{} ({})", json::s(m, "SnapshotId"), json::s(m, "Type")))
                    .filter(|s| !s.starts_with(" ("))
                    .collect::<Vec<_>>();
                let os = match console.lang {
                    crate::i18n::Lang::En => json::s(i, "OSNameEn"),
                    crate::i18n::Lang::Zh => json::s(i, "OSName"),
                };
                let mut cells = vec![
                    id_name(&id, &json::s(i, "ImageName")),
                    html! { os },
                    html! { format!("{} GiB", json::s(i, "Size")) },
                    common::image_status(&console, &json::s(i, "Status")),
                    html! { json::s(i, "Progress") },
                ];
                if deletable {
                    cells.push(html! { <div class="mono">{ for snaps.iter().map(|s| html! { <div>{ s.clone() }</div> }) }</div> });
                    cells.push(html! { json::s(i, "CreationTime") });
                    cells.push(html! {
                        <div class="actions">
                            <Btn small=true label={console.t(T::Delete)} onclick={open(Dialog::Delete(id.clone()))} />
                        </div>
                    });
                }
                (id, cells)
            })
            .collect::<Vec<_>>();
        let mut heads = vec![T::IdName, T::Os, T::Size, T::Status, T::Progress];
        if deletable {
            heads.extend([T::Snapshots, T::Created, T::Actions]);
        }
        let headers = heads.iter().map(|t| AttrValue::from(console.t(*t))).collect::<Vec<_>>();
        html! {
            <DataTable label={console.t(label)} {headers} {rows} empty={console.t(empty)} loading={answer.is_none()} />
        }
    };
    let close = {
        let d = dialog.clone();
        Callback::from(move |_| d.set(Dialog::None))
    };
    html! {
        <section class="page">
            <h1>{ console.t(T::Images) }</h1>
            <div class="page-actions">
                <Btn label={console.t(T::Create)} primary=true onclick={open(Dialog::Create)} />
            </div>
            <h2 class="section">{ console.t(T::Custom) }</h2>
            { table(&custom, T::Custom, T::EmptyCustom, true) }
            <h2 class="section">{ console.t(T::Public) }</h2>
            { table(&public, T::Public, T::EmptyPublic, false) }
            {
                match &*dialog {
                    Dialog::None => html! {},
                    Dialog::Create => html! { <CreateImage region={region} on_close={close} /> },
                    Dialog::Delete(id) => html! {
                        <ActionDialog title={console.t(T::DeleteTitle)} confirm={console.t(T::Delete)} danger=true on_close={close}
                            warning={html! { console.t(T::DeleteWarning) }}
                            line={Line::ecs("DeleteImage").arg("RegionId", region).arg("ImageId", id).some()}>
                            <p class="mono">{ id.clone() }</p>
                        </ActionDialog>
                    },
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CreateProps {
    region: &'static str,
    on_close: Callback<()>,
}

#[function_component(CreateImage)]
fn create_image(props: &CreateProps) -> Html {
    let console = use_console();
    let system = use_state(String::new);
    let data = use_state(Vec::<String>::new);
    let name = use_state(String::new);
    let description = use_state(String::new);
    let family = use_state(String::new);
    let snapshots = use_snapshots(props.region);
    let kind = |s: &Value| json::s(s, "SourceDiskType").to_ascii_lowercase();
    let mut system_options = vec![(String::new(), console.t(T::ChooseSystem).to_string())];
    system_options.extend(
        snapshots
            .iter()
            .filter(|s| kind(s) == "system")
            .map(|s| snapshot_option(&console, s)),
    );
    let data_snaps: Vec<&Value> = snapshots.iter().filter(|s| kind(s) == "data").collect();
    let line = (!system.is_empty()).then(|| {
        let mut l = Line::ecs("CreateImage")
            .arg("RegionId", props.region)
            .opt("ImageName", &*name)
            .opt("Description", &*description)
            .opt("ImageFamily", &*family)
            .arg("DiskDeviceMapping.1.SnapshotId", &*system)
            .arg("DiskDeviceMapping.1.DiskType", "system");
        for (n, id) in data.iter().enumerate() {
            l = l
                .arg(&format!("DiskDeviceMapping.{}.SnapshotId", n + 2), id)
                .arg(&format!("DiskDeviceMapping.{}.DiskType", n + 2), "data");
        }
        String::from(l)
    });
    let set = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |v: String| h.set(v))
    };
    html! {
        <ActionDialog title={console.t(T::Create)} confirm={console.t(T::Create)} on_close={props.on_close.clone()}
            line={line} incomplete={AttrValue::from(console.t(T::ChooseSystem))} wide=true>
            <SelectField label={console.t(T::SystemSnapshot)} value={(*system).clone()} options={system_options} onchange={set(&system)} />
            <fieldset>
                <legend>{ console.t(T::DataSnapshots) }</legend>
                if data_snaps.is_empty() { <p class="muted small">{ console.t(T::NoDataSnapshots) }</p> }
                { for data_snaps.iter().map(|s| {
                    let (id, label) = snapshot_option(&console, s);
                    let checked = data.contains(&id);
                    let data = data.clone();
                    let onchange = Callback::from(move |on: bool| {
                        let mut all: Vec<String> = (*data).clone();
                        all.retain(|x| *x != id);
                        if on { all.push(id.clone()); }
                        data.set(all);
                    });
                    html! { <CheckField {label} {checked} {onchange} /> }
                }) }
            </fieldset>
            <TextField label={console.t(T::Name)} value={(*name).clone()} oninput={set(&name)} />
            <TextField label={console.t(T::Description)} value={(*description).clone()} oninput={set(&description)} />
            <TextField label={console.t(T::Family)} value={(*family).clone()} oninput={set(&family)} />
        </ActionDialog>
    }
}
