//! The Snapshots tab: DescribeSnapshots with the columns of SPEC §16, filters, multi-select
//! delete and every row action. Progress follows the simulated clock: the list is read again
//! at every change of the world (clock ticks included).

use super::dialogs::{CopyDialog, DeleteDialog, DisableIaDialog, ImageDialog, RollbackDialog, TagsDialog};
use super::model::Snap;
use super::text::T;
use crate::components::ui::{Btn, ErrorBanner, SelectField, TextField};
use crate::engine::{use_query, Line};
use crate::state::use_console;
use std::collections::BTreeSet;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Clone, Default, PartialEq)]
struct Filters {
    disk: String,
    instance: String,
    name: String,
    status: String,
    kind: String,
    category: String,
}

#[derive(Clone, PartialEq)]
enum Dialog {
    Delete(Vec<Snap>),
    Rollback(Snap),
    Image(Snap),
    Copy(Snap),
    DisableIa(Snap),
    Tags(Snap),
}

/// The DescribeSnapshots line for the filters (every filter is the API's own parameter).
fn describe_line(region: &str, f: &Filters) -> String {
    let all = |v: &str| if v == "all" { String::new() } else { v.to_string() };
    Line::ecs("DescribeSnapshots")
        .arg("RegionId", region)
        .arg("PageSize", "100")
        .opt("DiskId", &f.disk)
        .opt("InstanceId", &f.instance)
        .opt("SnapshotName", &f.name)
        .opt("Status", all(&f.status))
        .opt("SnapshotType", all(&f.kind))
        .opt("Category", all(&f.category))
        .into()
}

#[function_component(SnapshotList)]
pub fn snapshot_list() -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let filters = use_state(Filters::default);
    let selected = use_state(BTreeSet::<String>::new);
    let dialog = use_state(|| None::<Dialog>);
    let reply = use_query(Some(describe_line(console.region, &filters)));
    let (snaps, error, loading) = match &reply {
        Some(Ok(v)) => (Snap::list(v), None, false),
        Some(Err(e)) => (vec![], Some(e.clone()), false),
        None => (vec![], None, true),
    };
    // Selections of rows no longer listed are dropped.
    let chosen: Vec<Snap> = snaps.iter().filter(|s| selected.contains(&s.id)).cloned().collect();

    let set_filter = |f: fn(&mut Filters, String)| {
        let filters = filters.clone();
        Callback::from(move |v: String| {
            let mut next = (*filters).clone();
            f(&mut next, v);
            filters.set(next);
        })
    };
    let open = |d: Dialog| {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| dialog.set(Some(d.clone())))
    };
    let close = {
        let dialog = dialog.clone();
        Callback::from(move |_: ()| dialog.set(None))
    };
    let after_delete = {
        let selected = selected.clone();
        Callback::from(move |_: Option<super::blockview::MergeAnim>| selected.set(BTreeSet::new()))
    };
    let toggle = |id: String| {
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut next = (*selected).clone();
            if on {
                next.insert(id.clone());
            } else {
                next.remove(&id);
            }
            selected.set(next);
        })
    };
    let toggle_all = {
        let selected = selected.clone();
        let ids: BTreeSet<String> = snaps.iter().map(|s| s.id.clone()).collect();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            selected.set(if on { ids.clone() } else { BTreeSet::new() });
        })
    };
    let opts = |pairs: &[(&str, T)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(v, label)| (v.to_string(), t(*label).to_string()))
            .collect()
    };
    let f = &*filters;
    let filter_bar = html! {
        <div class="filters" role="search" aria-label={t(T::Filters)}>
            <TextField label={t(T::FilterDisk)} value={f.disk.clone()} oninput={set_filter(|f, v| f.disk = v.trim().to_string())} />
            <TextField label={t(T::FilterInstance)} value={f.instance.clone()} oninput={set_filter(|f, v| f.instance = v.trim().to_string())} />
            <TextField label={t(T::FilterName)} value={f.name.clone()} oninput={set_filter(|f, v| f.name = v.trim().to_string())} />
            <SelectField label={t(T::FilterStatus)} value={f.status.clone()} onchange={set_filter(|f, v| f.status = v)}
                options={opts(&[("all", T::All), ("progressing", T::StatusProgressing), ("accomplished", T::StatusAccomplished), ("failed", T::StatusFailed)])} />
            <SelectField label={t(T::FilterSource)} value={f.kind.clone()} onchange={set_filter(|f, v| f.kind = v)}
                options={opts(&[("all", T::All), ("user", T::User), ("auto", T::Auto)])} />
            <SelectField label={t(T::FilterType)} value={f.category.clone()} onchange={set_filter(|f, v| f.category = v)}
                options={opts(&[("all", T::All), ("Standard", T::Standard), ("Flash", T::Local)])} />
        </div>
    };

    let headers = [
        T::ColIdName,
        T::ColTags,
        T::ColType,
        T::ColInstantAccess,
        T::ColSource,
        T::ColDiskId,
        T::ColDiskSize,
        T::ColDiskAttr,
        T::ColEncrypted,
        T::ColCreated,
        T::ColRetention,
        T::ColProgress,
        T::ColStatus,
        T::ColActions,
    ];
    let yes_no = |b: bool| t(if b { T::Yes } else { T::No });
    let rows = snaps.iter().map(|s| {
        let status = super::text::status_text(&s.status, lang);
        let ia = if s.instant_access {
            format!("{} ({} {})", t(T::On), s.instant_access_days, t(T::Days))
        } else {
            t(T::Off).to_string()
        };
        let retention = if s.retention_days > 0 {
            format!("{} {}", s.retention_days, t(T::Days))
        } else {
            t(T::KeepForever).to_string()
        };
        let pct: u32 = s.progress.trim_end_matches('%').parse().unwrap_or(0);
        html! {
            <tr key={s.id.clone()} data-id={s.id.clone()} data-status={s.status.clone()}>
                <td><input type="checkbox" aria-label={format!("{} {}", t(T::SelectSnapshot), s.label())}
                        checked={selected.contains(&s.id)} onchange={toggle(s.id.clone())} /></td>
                <td><div><code>{ s.id.clone() }</code></div><div class="muted">{ s.name.clone() }</div></td>
                <td>{ for s.tags.iter().map(|(k, v)| html! { <span class="tag">{ tag_text(k, v) }</span> }) }</td>
                <td>{ t(if s.category == "flash" { T::Local } else { T::Standard }) }</td>
                <td>{ ia }</td>
                <td>{ t(if s.kind == "auto" { T::Auto } else { T::User }) }</td>
                <td><code>{ s.disk_id.clone() }</code></td>
                <td>{ format!("{} GiB", s.disk_size) }</td>
                <td>{ t(if s.disk_type == "system" { T::SystemDisk } else { T::DataDisk }) }</td>
                <td>{ yes_no(s.encrypted) }</td>
                <td>{ s.created.clone() }</td>
                <td>{ retention }</td>
                <td><progress max="100" value={pct.to_string()} aria-label={format!("{} {}", t(T::ColProgress), s.label())}></progress>
                    { format!(" {}", s.progress) }</td>
                <td>{ status }</td>
                <td class="actions">
                    <Btn small=true label={t(T::RollBack)} onclick={open(Dialog::Rollback(s.clone()))} />
                    <Btn small=true label={t(T::CreateImage)} onclick={open(Dialog::Image(s.clone()))} />
                    <Btn small=true label={t(T::CopySnapshot)} onclick={open(Dialog::Copy(s.clone()))} />
                    if s.instant_access {
                        <Btn small=true label={t(T::DisableIa)} onclick={open(Dialog::DisableIa(s.clone()))} />
                    }
                    <Btn small=true label={t(T::EditTags)} onclick={open(Dialog::Tags(s.clone()))} />
                    <Btn small=true danger=true label={t(T::Delete)} onclick={open(Dialog::Delete(vec![s.clone()]))} />
                </td>
            </tr>
        }
    });
    let all_on = !snaps.is_empty() && chosen.len() == snaps.len();
    let dialog_html = match &*dialog {
        None => html! {},
        Some(Dialog::Delete(list)) => {
            html! { <DeleteDialog snaps={list.clone()} on_close={close.clone()} on_done={after_delete} /> }
        }
        Some(Dialog::Rollback(s)) => html! { <RollbackDialog snap={s.clone()} on_close={close.clone()} /> },
        Some(Dialog::Image(s)) => html! { <ImageDialog snap={s.clone()} on_close={close.clone()} /> },
        Some(Dialog::Copy(s)) => html! { <CopyDialog snap={s.clone()} on_close={close.clone()} /> },
        Some(Dialog::DisableIa(s)) => html! { <DisableIaDialog snap={s.clone()} on_close={close.clone()} /> },
        Some(Dialog::Tags(s)) => html! { <TagsDialog snap={s.clone()} on_close={close.clone()} /> },
    };
    html! {
        <div class="snapshot-list">
            { filter_bar }
            <div class="bulk">
                <Btn danger=true label={t(T::DeleteSelected)} onclick={open(Dialog::Delete(chosen.clone()))}
                    disabled={chosen.is_empty().then(|| AttrValue::from(t(T::SelectSnapshot)))} />
                <span class="muted">{ format!(" {} {}", chosen.len(), t(T::SelectedCount)) }</span>
            </div>
            if let Some(e) = &error { <ErrorBanner err={e.clone()} /> }
            <div class="table-wrap">
                <table class="data" aria-label={t(T::ListLabel)}>
                    <thead><tr>
                        <th scope="col"><input type="checkbox" aria-label={t(T::Select)} checked={all_on} onchange={toggle_all} /></th>
                        { for headers.iter().map(|h| html! { <th scope="col">{ t(*h) }</th> }) }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if snaps.is_empty() {
                    <div class="empty" role="status">{ if loading { t(T::Loading) } else if *filters == Filters::default() { console.t(crate::i18n::Text::EmptySnapshots) } else { t(T::NoSnapshots) } }</div>
                }
            </div>
            { dialog_html }
        </div>
    }
}

/// A tag as `key: value`, each part isolated (`<bdi>`): a bidi override in a key or a value
/// (tags take any characters) cannot reorder the text around it (issue 12 item 5).
pub(super) fn tag_text(k: &str, v: &str) -> Html {
    html! { <><bdi>{ k.to_string() }</bdi>{ ": " }<bdi>{ v.to_string() }</bdi></> }
}
