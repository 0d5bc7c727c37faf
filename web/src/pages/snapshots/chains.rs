//! The Snapshot chains tab (R-CHN-1, R-CAP-1): one chain per disk with its snapshot count and
//! capacity (DescribeSnapshotLinks); for the selected disk, the chain's snapshots and the
//! block-reference view, where a deletion — of one snapshot, or of several selected at once —
//! is previewed and then animated as a merge.

use super::blockview::{BlockView, MergeAnim};
use super::chain::Chain;
use super::dialogs::DeleteDialog;
use super::model::Snap;
use super::text::T;
use super::util::{fmt_bytes, fmt_count};
use crate::components::ui::{Btn, ErrorBanner};
use crate::engine::{json, use_query, Line};
use crate::pages::common::use_reply;
use crate::state::use_console;
use snaplab_engine::replies::ChainBlocks;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

crate::texts! {
    enum C {
        DeleteSelected => ("Delete selected", "删除所选"),
        Selected => ("selected", "已选择"),
        MergingMany => (
            "Merging the deleted snapshots' blocks into the snapshots that remain…",
            "正在将被删除快照的数据块合并到保留的快照…"
        ),
    }
}

#[function_component(ChainsTab)]
pub fn chains_tab() -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let reply = use_query(Some(
        Line::ecs("DescribeSnapshotLinks")
            .arg("RegionId", console.region)
            .arg("PageSize", "100")
            .into(),
    ));
    let selected = use_state(|| None::<String>);
    let links = match &reply {
        Some(Ok(v)) => json::list(v, "SnapshotLinks.SnapshotLink")
            .into_iter()
            .cloned()
            .collect::<Vec<_>>(),
        _ => vec![],
    };
    // The selected disk, or the first chain's.
    let disk = (*selected)
        .clone()
        .filter(|d| links.iter().any(|l| json::s(l, "SourceDiskId") == *d))
        .or_else(|| links.first().map(|l| json::s(l, "SourceDiskId")));
    let rows = links.iter().map(|l| {
        let id = json::s(l, "SourceDiskId");
        let current = disk.as_deref() == Some(id.as_str());
        let onclick = {
            let (selected, id) = (selected.clone(), id.clone());
            Callback::from(move |_: MouseEvent| selected.set(Some(id.clone())))
        };
        let size = l.get("TotalSize").and_then(serde_json::Value::as_u64).unwrap_or(0);
        html! {
            <tr key={id.clone()} data-disk={id.clone()} class={classes!(current.then_some("current"))}
                aria-current={current.then_some("true")}>
                <td><code>{ id.clone() }</code></td>
                <td><code>{ json::s(l, "InstanceId") }</code></td>
                <td>{ t(if json::s(l, "SourceDiskType") == "system" { T::SystemDisk } else { T::DataDisk }) }</td>
                <td>{ format!("{} GiB", json::s(l, "SourceDiskSize")) }</td>
                <td data-figure="count">{ json::s(l, "TotalCount") }</td>
                <td data-figure="capacity">{ fmt_bytes(size) }</td>
                <td><Btn small=true label={t(T::ViewBlocks)} {onclick} /></td>
            </tr>
        }
    });
    html! {
        <div class="chains">
            if let Some(Err(e)) = &reply { <ErrorBanner err={e.clone()} /> }
            <div class="table-wrap">
                <table class="data" aria-label={t(T::ChainsLabel)}>
                    <thead><tr>
                        { for [T::ColChainDisk, T::ColChainInstance, T::ColDiskAttr, T::ColDiskSize, T::ColSnapshotCount, T::ColCapacity, T::ColActions]
                            .iter().map(|h| html! { <th scope="col">{ t(*h) }</th> }) }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if links.is_empty() {
                    <div class="empty" role="status">{ if reply.is_none() { t(T::Loading) } else { console.t(crate::i18n::Text::EmptyChains) } }</div>
                }
            </div>
            if let Some(d) = disk {
                <ChainDetail key={d.clone()} disk={d.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChainDetailProps {
    pub disk: String,
}

/// One chain: its snapshots (with what each owns and references) and its block view.
#[function_component(ChainDetail)]
pub fn chain_detail(props: &ChainDetailProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let blocks = use_reply::<ChainBlocks>(Some(Line::snaplab("chain blocks").arg("DiskId", &props.disk).into()));
    let snaps = use_query(Some(
        Line::ecs("DescribeSnapshots")
            .arg("RegionId", console.region)
            .arg("DiskId", &props.disk)
            .arg("PageSize", "100")
            .into(),
    ));
    let chain = use_memo(blocks.clone(), |b| match b {
        Some(Ok(v)) => Some(Rc::new(Chain::from_reply(v))),
        _ => None,
    });
    let list: Vec<Snap> = match &snaps {
        Some(Ok(v)) => Snap::list(v),
        _ => vec![],
    };
    let names: Rc<BTreeMap<String, String>> = Rc::new(
        list.iter()
            .filter(|s| !s.name.is_empty())
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
    );
    let deleting = use_state(|| None::<Vec<Snap>>);
    let selected = use_state(BTreeSet::<String>::new);
    // The chain as it was before a deletion, with the merge to animate over it.
    type Merge = (Rc<Chain>, Rc<MergeAnim>, Rc<BTreeMap<String, String>>);
    let merge = use_state(|| None::<Merge>);
    let on_deleted = {
        let (merge, chain, names, selected) = (merge.clone(), chain.clone(), names.clone(), selected.clone());
        Callback::from(move |anim: Option<MergeAnim>| {
            selected.set(BTreeSet::new());
            // One deletion or several at once: the merge they made together.
            if let (Some(c), Some(a)) = (chain.as_ref().clone(), anim) {
                merge.set(Some((c, Rc::new(a), names.clone())));
            }
        })
    };
    // Stable across renders, so the block view redraws only when its chain changes.
    let on_merge_done = {
        let merge = merge.clone();
        use_callback((), move |_: (), _| merge.set(None))
    };
    let close = {
        let deleting = deleting.clone();
        Callback::from(move |_| deleting.set(None))
    };
    let by_id: BTreeMap<&str, &Snap> = list.iter().map(|s| (s.id.as_str(), s)).collect();
    let rows = (*chain).as_ref().map(|c| {
        c.rows
            .iter()
            .filter(|r| !r.is_disk)
            .map(|r| {
                let snap = by_id.get(r.id.as_str()).map(|s| (*s).clone()).unwrap_or_else(|| Snap {
                    id: r.id.clone(),
                    ..Snap::default()
                });
                let onclick = {
                    let (deleting, snap) = (deleting.clone(), snap.clone());
                    Callback::from(move |_: MouseEvent| deleting.set(Some(vec![snap.clone()])))
                };
                let toggle = {
                    let (selected, id) = (selected.clone(), r.id.clone());
                    Callback::from(move |e: Event| {
                        let mut next = (*selected).clone();
                        if e.target_unchecked_into::<HtmlInputElement>().checked() {
                            next.insert(id.clone());
                        } else {
                            next.remove(&id);
                        }
                        selected.set(next);
                    })
                };
                html! {
                    <tr key={r.id.clone()} data-id={r.id.clone()}>
                        <td><input type="checkbox" aria-label={format!("{} {}", t(T::SelectSnapshot), snap.label())}
                                checked={selected.contains(&r.id)} onchange={toggle} /></td>
                        <td><div><code>{ r.id.clone() }</code></div><div class="muted">{ snap.name.clone() }</div></td>
                        <td>{ super::text::status_text(&snap.status, lang) }</td>
                        <td>{ snap.progress.clone() }</td>
                        <td>{ snap.created.clone() }</td>
                        <td data-figure="owned">{ fmt_count(r.owned_blocks) }</td>
                        <td data-figure="referenced">{ fmt_count(r.referenced_blocks) }</td>
                        <td><Btn small=true danger=true label={t(T::Delete)} {onclick} /></td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    // The selected snapshots still in the chain, in chain order.
    let chosen: Vec<Snap> = (*chain)
        .as_ref()
        .map(|c| {
            c.rows
                .iter()
                .filter(|r| !r.is_disk && selected.contains(&r.id))
                .map(|r| {
                    by_id.get(r.id.as_str()).map(|s| (*s).clone()).unwrap_or_else(|| Snap {
                        id: r.id.clone(),
                        ..Snap::default()
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let delete_chosen = {
        let (deleting, chosen) = (deleting.clone(), chosen.clone());
        Callback::from(move |_: MouseEvent| deleting.set(Some(chosen.clone())))
    };
    let (shown, anim, shown_names) = match &*merge {
        Some((old, m, n)) => (Some(old.clone()), Some(m.clone()), n.clone()),
        None => (chain.as_ref().clone(), None, names.clone()),
    };
    html! {
        <section class="chain-detail" aria-label={format!("{} {}", t(T::ChainOf), props.disk)}>
            <h2>{ format!("{} {}", t(T::ChainOf), props.disk) }</h2>
            if let Some(Err(e)) = &blocks { <ErrorBanner err={e.clone()} /> }
            if let Some(c) = chain.as_ref() {
                <p class="muted" data-figure="chain-capacity">
                    { format!("{}: {} ({} {})", t(T::ColCapacity), fmt_bytes(c.capacity_bytes), fmt_count(c.capacity_blocks), t(T::BlocksUnit)) }
                </p>
            }
            <div class="bulk">
                <Btn danger=true label={console.t(C::DeleteSelected)} onclick={delete_chosen}
                    disabled={chosen.is_empty().then(|| AttrValue::from(t(T::SelectSnapshot)))} />
                <span class="muted">{ format!(" {} {}", chosen.len(), console.t(C::Selected)) }</span>
            </div>
            <div class="table-wrap">
                <table class="data" aria-label={t(T::ChainSnapshots)}>
                    <thead><tr>
                        <th scope="col"><span class="sr-only">{ t(T::Select) }</span></th>
                        { for [T::ColIdName, T::ColStatus, T::ColProgress, T::ColCreated, T::ColOwned, T::ColReferenced, T::ColActions]
                            .iter().map(|h| html! { <th scope="col">{ t(*h) }</th> }) }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <h3>{ t(T::BlockView) }</h3>
            if let Some(a) = &anim {
                <p role="status" class="muted">{ if a.deleted.len() > 1 { console.t(C::MergingMany) } else { t(T::MergingStatus) } }</p>
            }
            if let Some(c) = shown {
                <BlockView chain={c} names={shown_names} merge={anim} on_merge_done={on_merge_done} />
            } else {
                <p class="muted" role="status">{ t(T::Loading) }</p>
            }
            if let Some(list) = &*deleting {
                <DeleteDialog snaps={list.clone()} names={names.clone()} on_close={close} on_done={on_deleted} />
            }
        </section>
    }
}
