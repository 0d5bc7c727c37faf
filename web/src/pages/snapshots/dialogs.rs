//! The snapshot actions' dialogs: delete (with the merge preview and force delete), roll back
//! (with the engine's warnings, "create a snapshot first" and "start the instance after
//! rollback"), create a custom image, copy to a region, disable instant access, edit tags.
//! Every check comes from the engine (a dry run or a preview command), never from copied rules.

use super::blockview::MergeAnim;
use super::merge::{CombinedPreview, MergePreview};
use super::model::Snap;
use super::text::T;
use crate::components::ui::{ActionDialog, Btn, CheckField, ErrorBanner, Modal, SelectField, TextField};
use crate::engine::{answer, use_dry_run, use_engine, use_query, Check, EcsErr, Line};
use crate::pages::common::use_reply;
use crate::state::use_console;
use serde_json::Value;
use snaplab_engine::catalog;
use snaplab_engine::replies::{DeletePreview, MultiDeletePreview, ResetPreview};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

fn delete_line(id: &str, force: bool) -> String {
    Line::ecs("DeleteSnapshot")
        .arg("SnapshotId", id)
        .flag("Force", force)
        .into()
}

#[derive(Properties, PartialEq)]
pub struct DeleteDialogProps {
    /// The snapshots to delete.
    pub snaps: Vec<Snap>,
    /// Names of other snapshots (the successors the previews name).
    #[prop_or_default]
    pub names: Rc<BTreeMap<String, String>>,
    pub on_close: Callback<()>,
    /// After the deletions: the merge they made, to animate (`None` when one was refused
    /// halfway or the preview was not read).
    #[prop_or_default]
    pub on_done: Callback<Option<MergeAnim>>,
}

/// Deletes one or several snapshots; shows what the deletion frees and merges — for several
/// snapshots, their combined effect as the engine previews it (`--SnapshotIds`).
#[function_component(DeleteDialog)]
pub fn delete_dialog(props: &DeleteDialogProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let engine = use_engine();
    let force = use_state(|| false);
    let busy = use_state(|| false);
    let failed = use_state(|| None::<EcsErr>);
    let previews = use_mut_ref(BTreeMap::<String, DeletePreview>::new);
    // In chain order (oldest first), however they were selected.
    let snaps: Vec<Snap> = {
        let mut v = props.snaps.clone();
        v.sort_by(|a, b| (&a.created, &a.id).cmp(&(&b.created, &b.id)));
        v
    };
    let names: Rc<BTreeMap<String, String>> = Rc::new(
        props
            .names
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .chain(snaps.iter().map(|s| (s.id.clone(), s.label().to_string())))
            .collect(),
    );
    let refused = use_state(BTreeMap::<String, Option<EcsErr>>::new);
    let on_check = {
        let refused = refused.clone();
        Callback::from(move |(id, e): (String, Option<EcsErr>)| {
            if refused.get(&id) != Some(&e) {
                let mut next = (*refused).clone();
                next.insert(id, e);
                refused.set(next);
            }
        })
    };
    let on_preview = {
        let previews = previews.clone();
        Callback::from(move |p: DeletePreview| {
            previews.borrow_mut().insert(p.snapshot_id.clone(), p);
        })
    };
    let several = snaps.len() > 1;
    let ids_json = serde_json::to_string(&snaps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>()).unwrap_or_default();
    let combined = use_reply::<MultiDeletePreview>(several.then(|| {
        Line::snaplab("snapshot delete-preview")
            .arg("SnapshotIds", &ids_json)
            .into()
    }));
    let combined_parsed: Option<Rc<MultiDeletePreview>> = combined.clone().and_then(Result::ok);
    let all_checked = snaps.iter().all(|s| refused.contains_key(&s.id)) && (!several || combined.is_some());
    let first_refusal = snaps.iter().find_map(|s| refused.get(&s.id).cloned().flatten());
    let reason: Option<AttrValue> = if *busy {
        Some(t(T::Deleting).into())
    } else if let Some(e) = &first_refusal {
        Some(format!("{}: {}", e.code, e.message).into())
    } else if !all_checked {
        Some(t(T::Loading).into())
    } else {
        None
    };
    let onconfirm = {
        let ids: Vec<String> = snaps.iter().map(|s| s.id.clone()).collect();
        let force = *force;
        let (busy, failed, done, close) = (
            busy.clone(),
            failed.clone(),
            props.on_done.clone(),
            props.on_close.clone(),
        );
        let previews = previews.clone();
        let combined = combined_parsed.clone();
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            failed.set(None);
            let engine = engine.clone();
            let ids = ids.clone();
            let (busy, failed, done, close) = (busy.clone(), failed.clone(), done.clone(), close.clone());
            // The merge all the deletions make together: the combined preview, or the one.
            let anim = match (&ids[..], &combined) {
                ([one], _) => previews.borrow().get(one).map(MergeAnim::from),
                (_, Some(c)) => Some(MergeAnim::from(&**c)),
                _ => None,
            };
            spawn_local(async move {
                let mut deleted = 0;
                for id in &ids {
                    match answer(engine.run(&delete_line(id, force)).await) {
                        Ok(_) => deleted += 1,
                        Err(e) => {
                            failed.set(Some(e));
                            busy.set(false);
                            if deleted > 0 {
                                done.emit(None);
                            }
                            return;
                        }
                    }
                }
                done.emit(anim);
                close.emit(());
            });
        })
    };
    let footer = html! {
        <>
            <Btn label={t(T::DeleteConfirm)} danger=true disabled={reason} onclick={onconfirm} />
            <Btn label={t(T::Cancel)} onclick={props.on_close.reform(|_| ())} />
        </>
    };
    let set_force = {
        let force = force.clone();
        Callback::from(move |on: bool| force.set(on))
    };
    let lines: Vec<String> = snaps.iter().map(|s| delete_line(&s.id, *force)).collect();
    html! {
        <Modal title={t(T::DeleteTitle)} on_close={props.on_close.clone()} {footer} wide=true>
            <p>{ t(T::DeleteList) }</p>
            <ul class="delete-list">
                { for snaps.iter().map(|s| html! { <li><code>{ s.id.clone() }</code>{ format!(" {}", s.name) }</li> }) }
            </ul>
            <CheckField label={t(T::ForceDelete)} checked={*force} onchange={set_force} />
            if *force {
                <div class="warning" role="note">{ t(T::ForceWarning) }</div>
            }
            if let Some(c) = combined_parsed.as_ref() {
                <CombinedPreview preview={c.clone()} names={names.clone()} />
            }
            if let Some(Err(e)) = &combined { <ErrorBanner err={e.clone()} /> }
            { for snaps.iter().map(|s| html! {
                <PreviewFor key={s.id.clone()} id={s.id.clone()} force={*force} names={names.clone()} preview={!several}
                    on_check={on_check.clone()} on_preview={on_preview.clone()} />
            }) }
            if let Some(e) = &*failed {
                <ErrorBanner err={e.clone()} />
            }
            <div class="equivalent">
                <span class="muted small">{ t(T::Steps) }</span>
                { for lines.iter().map(|l| html! { <code class="cmdline">{ l.clone() }</code> }) }
            </div>
        </Modal>
    }
}

#[derive(Properties, PartialEq)]
struct PreviewForProps {
    id: String,
    force: bool,
    /// Whether to read and show this deletion's own preview (not when several are deleted at
    /// once: their combined preview is shown instead).
    preview: bool,
    names: Rc<BTreeMap<String, String>>,
    on_check: Callback<(String, Option<EcsErr>)>,
    on_preview: Callback<DeletePreview>,
}

/// One snapshot's deletion: its preview (R-DEL-3, R-BIL-1) and the engine's dry run.
#[function_component(PreviewFor)]
fn preview_for(props: &PreviewForProps) -> Html {
    let preview = use_reply::<DeletePreview>(props.preview.then(|| {
        Line::snaplab("snapshot delete-preview")
            .arg("SnapshotId", &props.id)
            .into()
    }));
    let check = use_dry_run(Some(delete_line(&props.id, props.force)));
    {
        let (id, on_check) = (props.id.clone(), props.on_check.clone());
        use_effect_with(check.clone(), move |c| {
            match c {
                Check::Passed => on_check.emit((id, None)),
                Check::Refused(e) => on_check.emit((id, Some(e.clone()))),
                _ => {}
            }
            || ()
        });
    }
    let parsed: Option<Rc<DeletePreview>> = preview.clone().and_then(Result::ok);
    {
        let on_preview = props.on_preview.clone();
        use_effect_with(parsed.clone(), move |p| {
            if let Some(p) = p.as_ref() {
                on_preview.emit((**p).clone());
            }
            || ()
        });
    }
    html! {
        <>
            if let Some(p) = &parsed {
                <MergePreview preview={p.clone()} names={props.names.clone()} />
            }
            if let Some(Err(e)) = &preview { <ErrorBanner err={e.clone()} /> }
            if let Check::Refused(e) = &check { <ErrorBanner err={e.clone()} /> }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct SnapProps {
    pub snap: Snap,
    pub on_close: Callback<()>,
}

/// ResetDisk with the engine's warnings (`snaplab disk reset-preview`, R-RB-2, R-RB-5), the
/// "create a snapshot first" and "start the instance after rollback" options.
#[function_component(RollbackDialog)]
pub fn rollback_dialog(props: &SnapProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let region = console.region;
    let t = move |x: T| x.get(lang);
    let engine = use_engine();
    let first = use_state(|| false);
    let first_name = use_state(|| "BeforeRollback".to_string());
    let start = use_state(|| false);
    let busy = use_state(|| false);
    let failed = use_state(|| None::<EcsErr>);
    let snap = &props.snap;
    let preview = use_reply::<ResetPreview>(Some(
        Line::snaplab("disk reset-preview")
            .arg("DiskId", &snap.disk_id)
            .arg("SnapshotId", &snap.id)
            .into(),
    ));
    let instance = match &preview {
        Some(Ok(p)) => p.instance_id.clone(),
        _ => String::new(),
    };
    let reset: String = Line::ecs("ResetDisk")
        .arg("DiskId", &snap.disk_id)
        .arg("SnapshotId", &snap.id)
        .into();
    let create: String = Line::ecs("CreateSnapshot")
        .arg("DiskId", &snap.disk_id)
        .arg("SnapshotName", first_name.trim())
        .into();
    let start_line: String = Line::ecs("StartInstance").arg("InstanceId", &instance).into();
    let check = use_dry_run(Some(reset.clone()));
    let create_check = use_dry_run(first.then(|| create.clone()));
    let reason: Option<AttrValue> = if *busy {
        Some(t(T::RollingBack).into())
    } else {
        match (&check, &create_check) {
            (Check::Refused(e), _) | (_, Check::Refused(e)) => Some(format!("{}: {}", e.code, e.message).into()),
            (Check::Passed, Check::Passed | Check::Idle) => None,
            _ => Some(t(T::Loading).into()),
        }
    };
    let mut steps = Vec::new();
    if *first {
        steps.push(create.clone());
    }
    steps.push(reset.clone());
    if *start && !instance.is_empty() {
        steps.push(start_line.clone());
    }
    let onconfirm = {
        let (busy, failed, close) = (busy.clone(), failed.clone(), props.on_close.clone());
        let (first, start) = (*first, *start && !instance.is_empty());
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            failed.set(None);
            let engine = engine.clone();
            let (busy, failed, close) = (busy.clone(), failed.clone(), close.clone());
            let (create, reset, start_line) = (create.clone(), reset.clone(), start_line.clone());
            spawn_local(async move {
                let fail = |e: EcsErr| {
                    failed.set(Some(e));
                    busy.set(false);
                };
                if first {
                    let id = match answer(engine.run(&create).await) {
                        Ok(v) => v.get("SnapshotId").and_then(Value::as_str).unwrap_or("").to_string(),
                        Err(e) => return fail(e),
                    };
                    // The rollback waits for that snapshot (a disk creating a snapshot cannot
                    // be rolled back): the waiter advances the simulated clock.
                    let wait: String = Line::ecs("DescribeSnapshots")
                        .arg("RegionId", region)
                        .arg("SnapshotIds", format!("[\"{id}\"]"))
                        .into();
                    let wait = format!("{wait} --waiter expr='Snapshots.Snapshot[0].Status' to=accomplished");
                    if let Err(e) = answer(engine.run(&wait).await) {
                        return fail(e);
                    }
                }
                if let Err(e) = answer(engine.run(&reset).await) {
                    return fail(e);
                }
                if start {
                    if let Err(e) = answer(engine.run(&start_line).await) {
                        return fail(e);
                    }
                }
                close.emit(());
            });
        })
    };
    let footer = html! {
        <>
            <Btn label={t(T::RollbackConfirm)} danger=true disabled={reason} onclick={onconfirm} />
            <Btn label={t(T::Cancel)} onclick={props.on_close.reform(|_| ())} />
        </>
    };
    let warnings: Vec<String> = match &preview {
        Some(Ok(p)) => p.warnings.iter().map(|w| w.message.clone()).collect(),
        _ => vec![],
    };
    let set_first = {
        let first = first.clone();
        Callback::from(move |on: bool| first.set(on))
    };
    let set_name = {
        let n = first_name.clone();
        Callback::from(move |v: String| n.set(v))
    };
    let set_start = {
        let start = start.clone();
        Callback::from(move |on: bool| start.set(on))
    };
    html! {
        <Modal title={t(T::RollbackTitle)} on_close={props.on_close.clone()} {footer} wide=true>
            <div class="warning" role="note">
                // The engine's warnings (R-RB-2, R-RB-5, StopCharging); until they arrive, ours.
                if warnings.is_empty() {
                    <strong>{ t(T::RollbackIrreversible) }</strong>
                } else {
                    <ul>{ for warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                }
            </div>
            <p><code>{ snap.disk_id.clone() }</code>{ " ← " }<code>{ snap.id.clone() }</code>{ format!(" {}", snap.name) }</p>
            if let Some(Err(e)) = &preview { <ErrorBanner err={e.clone()} /> }
            <div class="form">
                <CheckField label={t(T::CreateFirst)} checked={*first} onchange={set_first} />
                if *first {
                    <TextField label={t(T::CreateFirstName)} value={(*first_name).clone()} oninput={set_name} />
                }
                <CheckField label={t(T::StartAfter)} checked={*start} onchange={set_start} />
            </div>
            if let Check::Refused(e) = &check { <ErrorBanner err={e.clone()} /> }
            if let Check::Refused(e) = &create_check { <ErrorBanner err={e.clone()} /> }
            if let Some(e) = &*failed { <ErrorBanner err={e.clone()} /> }
            <div class="equivalent">
                <span class="muted small">{ t(T::Steps) }</span>
                { for steps.iter().map(|l| html! { <code class="cmdline">{ l.clone() }</code> }) }
            </div>
        </Modal>
    }
}

/// CreateImage from a system-disk snapshot (R-IMG-1: the engine's dry run explains refusals).
#[function_component(ImageDialog)]
pub fn image_dialog(props: &SnapProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let name = use_state(String::new);
    let desc = use_state(String::new);
    let line: Option<String> = (!name.trim().is_empty()).then(|| {
        Line::ecs("CreateImage")
            .arg("RegionId", console.region)
            .arg("SnapshotId", &props.snap.id)
            .arg("ImageName", name.trim())
            .opt("Description", desc.as_str())
            .into()
    });
    let set = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |v: String| s.set(v))
    };
    html! {
        <ActionDialog title={t(T::ImageTitle)} {line} incomplete={AttrValue::from(t(T::ImageNameMissing))}
            confirm={t(T::CreateImage)} on_close={props.on_close.clone()}>
            <p><code>{ props.snap.id.clone() }</code>{ format!(" {}", props.snap.name) }</p>
            <TextField label={t(T::ImageName)} value={(*name).clone()} oninput={set(&name)} />
            <TextField label={t(T::Description)} value={(*desc).clone()} oninput={set(&desc)} />
        </ActionDialog>
    }
}

/// CopySnapshot to another region (R-CPY-1..3).
#[function_component(CopyDialog)]
pub fn copy_dialog(props: &SnapProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let regions: Vec<(String, String)> = catalog::regions()
        .iter()
        .filter(|r| r.id != console.region)
        .map(|r| (r.id.to_string(), format!("{} ({})", console.region_name(r), r.id)))
        .collect();
    let dest = use_state(|| regions.first().map(|r| r.0.clone()).unwrap_or_default());
    let snap = &props.snap;
    let name = use_state(|| {
        if snap.name.is_empty() {
            "SnapshotCopy".to_string()
        } else {
            format!("{}-copy", snap.name)
        }
    });
    let desc = use_state(|| format!("Copy of {}", snap.id));
    let days = use_state(String::new);
    let line: Option<String> = (!name.trim().is_empty() && !desc.trim().is_empty()).then(|| {
        Line::ecs("CopySnapshot")
            .arg("RegionId", console.region)
            .arg("SnapshotId", &snap.id)
            .arg("DestinationRegionId", dest.as_str())
            .arg("DestinationSnapshotName", name.trim())
            .arg("DestinationSnapshotDescription", desc.trim())
            .opt("RetentionDays", days.as_str())
            .into()
    });
    let set = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |v: String| s.set(v))
    };
    html! {
        <ActionDialog title={t(T::CopyTitle)} {line} incomplete={AttrValue::from(t(T::CopyMissing))}
            confirm={t(T::CopySnapshot)} on_close={props.on_close.clone()}>
            <p><code>{ snap.id.clone() }</code>{ format!(" {}", snap.name) }</p>
            <SelectField label={t(T::DestRegion)} value={(*dest).clone()} options={regions} onchange={set(&dest)} />
            <TextField label={t(T::DestName)} value={(*name).clone()} oninput={set(&name)} />
            <TextField label={t(T::DestDescription)} value={(*desc).clone()} oninput={set(&desc)} />
            <TextField label={t(T::RetentionDays)} value={(*days).clone()} oninput={set(&days)} number=true />
        </ActionDialog>
    }
}

/// ModifySnapshotAttribute --DisableInstantAccess true (R-IA-4).
#[function_component(DisableIaDialog)]
pub fn disable_ia_dialog(props: &SnapProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let line: Option<String> = Some(
        Line::ecs("ModifySnapshotAttribute")
            .arg("SnapshotId", &props.snap.id)
            .arg("DisableInstantAccess", "true")
            .into(),
    );
    html! {
        <ActionDialog title={t(T::DisableIaTitle)} {line} confirm={t(T::DisableIa)} on_close={props.on_close.clone()}>
            <p><code>{ props.snap.id.clone() }</code>{ format!(" {}", props.snap.name) }</p>
            <p>{ t(T::DisableIaText) }</p>
        </ActionDialog>
    }
}

/// TagResources / UntagResources on one snapshot (R-TAG-1).
#[function_component(TagsDialog)]
pub fn tags_dialog(props: &SnapProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let region = console.region;
    let t = move |x: T| x.get(lang);
    let engine = use_engine();
    let key = use_state(String::new);
    let value = use_state(String::new);
    let failed = use_state(|| None::<EcsErr>);
    let id = props.snap.id.clone();
    // The tags as they are now (the row's copy goes stale after each change).
    let current = use_query(Some(
        Line::ecs("DescribeSnapshots")
            .arg("RegionId", region)
            .arg("SnapshotIds", format!("[\"{id}\"]"))
            .into(),
    ));
    let tags = match &current {
        Some(Ok(v)) => super::model::Snap::list(v)
            .into_iter()
            .next()
            .map(|s| s.tags)
            .unwrap_or_default(),
        _ => props.snap.tags.clone(),
    };
    let run = {
        let (engine, failed) = (engine.clone(), failed.clone());
        move |line: String, after: Option<(UseStateHandle<String>, UseStateHandle<String>)>| {
            let (engine, failed) = (engine.clone(), failed.clone());
            spawn_local(async move {
                match answer(engine.run(&line).await) {
                    Ok(_) => {
                        failed.set(None);
                        if let Some((k, v)) = after {
                            k.set(String::new());
                            v.set(String::new());
                        }
                    }
                    Err(e) => failed.set(Some(e)),
                }
            });
        }
    };
    let add_line: Option<String> = (!key.trim().is_empty()).then(|| {
        Line::ecs("TagResources")
            .arg("RegionId", region)
            .arg("ResourceType", "snapshot")
            .arg("ResourceId.1", &id)
            .arg("Tag.1.Key", key.trim())
            .arg("Tag.1.Value", value.trim())
            .into()
    });
    let onadd = {
        let run = run.clone();
        let (line, key, value) = (add_line.clone(), key.clone(), value.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(l) = line.clone() {
                run(l, Some((key.clone(), value.clone())));
            }
        })
    };
    let set = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |v: String| s.set(v))
    };
    let footer = html! { <Btn label={t(T::Close)} onclick={props.on_close.reform(|_| ())} /> };
    html! {
        <Modal title={t(T::TagsTitle)} on_close={props.on_close.clone()} {footer}>
            <p><code>{ id.clone() }</code>{ format!(" {}", props.snap.name) }</p>
            if tags.is_empty() { <p class="muted">{ t(T::NoTags) }</p> }
            <ul class="tag-list">
                { for tags.iter().map(|(k, v)| {
                    let line: String = Line::ecs("UntagResources")
                        .arg("RegionId", region)
                        .arg("ResourceType", "snapshot")
                        .arg("ResourceId.1", &id)
                        .arg("TagKey.1", k)
                        .into();
                    let run = run.clone();
                    let onclick = Callback::from(move |_: MouseEvent| run(line.clone(), None));
                    html! {
                        <li><code>{ super::list::tag_text(k, v) }</code>{ " " }
                            <Btn label={format!("{} {k}", t(T::RemoveTag))} small=true {onclick} /></li>
                    }
                }) }
            </ul>
            <div class="form inline">
                <TextField label={t(T::TagKey)} value={(*key).clone()} oninput={set(&key)} />
                <TextField label={t(T::TagValue)} value={(*value).clone()} oninput={set(&value)} />
                <Btn label={t(T::AddTag)} onclick={onadd}
                    disabled={add_line.is_none().then(|| AttrValue::from(t(T::TagKey)))} />
            </div>
            if let Some(e) = &*failed { <ErrorBanner err={e.clone()} /> }
        </Modal>
    }
}
