//! The deletion-merge preview (R-DEL-3, R-BIL-1): from `snaplab snapshot delete-preview`, which
//! block versions a deletion frees, which move to the successor, and the capacity and monthly
//! cost before and after. Several snapshots deleted at once are previewed together
//! (`--SnapshotIds`): the engine works out their combined effect, which this page only shows.

use super::blockview::MergeAnim;
use super::text::T;
use super::util::{fmt_bytes, fmt_count, fmt_usd};
use crate::state::use_console;
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// The reply of `snaplab snapshot delete-preview`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DeletePreview {
    pub snapshot_id: String,
    pub successor_id: Option<String>,
    pub freed_blocks: u64,
    pub moved_blocks: u64,
    pub freed: Vec<(u64, u64)>,
    pub moved: Vec<(u64, u64)>,
    pub capacity_before: u64,
    pub capacity_after: u64,
    pub region_before: u64,
    pub region_after: u64,
    pub cost_before: f64,
    pub cost_after: f64,
    pub saving: f64,
    pub instant_access_saving: f64,
}

impl DeletePreview {
    pub fn parse(v: &Value) -> DeletePreview {
        let u = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
        let f = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(0.0);
        let runs = |k: &str| -> Vec<(u64, u64)> {
            v.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|r| {
                            let g = |k: &str| r.get(k).and_then(Value::as_u64).unwrap_or(0);
                            (g("Lba"), g("Blocks"))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        DeletePreview {
            snapshot_id: v.get("SnapshotId").and_then(Value::as_str).unwrap_or("").to_string(),
            successor_id: v.get("SuccessorId").and_then(Value::as_str).map(str::to_string),
            freed_blocks: u("FreedBlocks"),
            moved_blocks: u("MovedBlocks"),
            freed: runs("Freed"),
            moved: runs("Moved"),
            capacity_before: u("CapacityBeforeBytes"),
            capacity_after: u("CapacityAfterBytes"),
            region_before: u("RegionCapacityBeforeBytes"),
            region_after: u("RegionCapacityAfterBytes"),
            cost_before: f("CostBeforeMonthlyUsd"),
            cost_after: f("CostAfterMonthlyUsd"),
            saving: f("MonthlySavingUsd"),
            instant_access_saving: f("InstantAccessMonthlySavingUsd"),
        }
    }

    /// The merge to animate once the deletion is done.
    pub fn anim(&self) -> MergeAnim {
        let id = &self.snapshot_id;
        MergeAnim {
            deleted: vec![id.clone()],
            moved: match &self.successor_id {
                Some(to) => self
                    .moved
                    .iter()
                    .map(|&(l, n)| (l, n, id.clone(), to.clone()))
                    .collect(),
                None => vec![],
            },
            freed: self.freed.iter().map(|&(l, n)| (l, n, id.clone())).collect(),
        }
    }
}

/// One chain of a combined preview.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ChainMerge {
    pub disk_id: String,
    pub snapshot_ids: Vec<String>,
    pub freed_blocks: u64,
    pub moved_blocks: u64,
    /// (LBA, blocks, deleted owner).
    pub freed: Vec<(u64, u64, String)>,
    /// (LBA, blocks, from, to).
    pub moved: Vec<(u64, u64, String, String)>,
    pub capacity_before: u64,
    pub capacity_after: u64,
}

/// The reply of `snaplab snapshot delete-preview --SnapshotIds '[…]'`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MultiPreview {
    pub snapshot_ids: Vec<String>,
    pub freed_blocks: u64,
    pub moved_blocks: u64,
    pub chains: Vec<ChainMerge>,
    pub capacity_before: u64,
    pub capacity_after: u64,
    pub region_before: u64,
    pub region_after: u64,
    pub cost_before: f64,
    pub cost_after: f64,
    pub saving: f64,
    pub instant_access_saving: f64,
}

impl MultiPreview {
    pub fn parse(v: &Value) -> MultiPreview {
        let u = |v: &Value, k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
        let f = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(0.0);
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let arr = |v: &Value, k: &str| v.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
        let ids = |v: &Value| {
            arr(v, "SnapshotIds")
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        };
        MultiPreview {
            snapshot_ids: ids(v),
            freed_blocks: u(v, "FreedBlocks"),
            moved_blocks: u(v, "MovedBlocks"),
            chains: arr(v, "Chains")
                .iter()
                .map(|c| ChainMerge {
                    disk_id: s(c, "DiskId"),
                    snapshot_ids: ids(c),
                    freed_blocks: u(c, "FreedBlocks"),
                    moved_blocks: u(c, "MovedBlocks"),
                    freed: arr(c, "Freed")
                        .iter()
                        .map(|r| (u(r, "Lba"), u(r, "Blocks"), s(r, "Owner")))
                        .collect(),
                    moved: arr(c, "Moved")
                        .iter()
                        .map(|r| (u(r, "Lba"), u(r, "Blocks"), s(r, "From"), s(r, "To")))
                        .collect(),
                    capacity_before: u(c, "CapacityBeforeBytes"),
                    capacity_after: u(c, "CapacityAfterBytes"),
                })
                .collect(),
            capacity_before: u(v, "CapacityBeforeBytes"),
            capacity_after: u(v, "CapacityAfterBytes"),
            region_before: u(v, "RegionCapacityBeforeBytes"),
            region_after: u(v, "RegionCapacityAfterBytes"),
            cost_before: f("CostBeforeMonthlyUsd"),
            cost_after: f("CostAfterMonthlyUsd"),
            saving: f("MonthlySavingUsd"),
            instant_access_saving: f("InstantAccessMonthlySavingUsd"),
        }
    }

    /// The combined merge to animate once every deletion is done.
    pub fn anim(&self) -> MergeAnim {
        MergeAnim {
            deleted: self.snapshot_ids.clone(),
            moved: self.chains.iter().flat_map(|c| c.moved.iter().cloned()).collect(),
            freed: self.chains.iter().flat_map(|c| c.freed.iter().cloned()).collect(),
        }
    }
}

crate::texts! {
    pub enum M {
        DeletingTogether => ("Deleting together: ", "同时删除："),
        MovedToRemaining => ("Block versions moved to the snapshots that remain", "合并到保留快照的数据块版本"),
        CombinedExplain => (
            "The snapshots are deleted one after the other; what the engine shows is the result of all of them. A block version that a remaining snapshot still references moves to the earliest such snapshot, which becomes its owner; the rest is released.",
            "这些快照会依次删除，这里显示的是全部删除后的结果。仍被保留快照引用的数据块版本会合并到最早引用它的保留快照中并归其所有，其余的被释放。"
        ),
        ListSep => ("; ", "；"),
        NameSep => (", ", "、"),
    }
}

/// "S1: LBA 1–2; S2: LBA 1" for runs with their deleted owner, in the order of `order`.
fn lbas_by(runs: &[(u64, u64, String)], order: &[String], name: &dyn Fn(&str) -> String, sep: &str) -> String {
    order
        .iter()
        .filter_map(|id| {
            let mine: Vec<(u64, u64)> = runs.iter().filter(|r| r.2 == *id).map(|r| (r.0, r.1)).collect();
            (!mine.is_empty()).then(|| format!("{}: {}", name(id), lbas(&mine)))
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// "S1 → S3 (LBA 0, LBA 3); S2 → S3 (LBA 2)".
fn moves(runs: &[(u64, u64, String, String)], name: &dyn Fn(&str) -> String, sep: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = runs.iter().map(|r| (r.2.as_str(), r.3.as_str())).collect();
    pairs.dedup();
    pairs
        .iter()
        .map(|(from, to)| {
            let mine: Vec<(u64, u64)> = runs
                .iter()
                .filter(|r| r.2 == *from && r.3 == *to)
                .map(|r| (r.0, r.1))
                .collect();
            format!("{} → {} ({})", name(from), name(to), lbas(&mine))
        })
        .collect::<Vec<_>>()
        .join(sep)
}

#[derive(Properties, PartialEq)]
pub struct CombinedPreviewProps {
    pub preview: Rc<MultiPreview>,
    #[prop_or_default]
    pub names: Rc<BTreeMap<String, String>>,
}

/// The figures of several deletions at once, chain by chain, as the engine previews them.
#[function_component(CombinedPreview)]
pub fn combined_preview(props: &CombinedPreviewProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let m = move |x: M| console.t(x);
    let p = &props.preview;
    let name = |id: &str| props.names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let sep = m(M::ListSep);
    let row = |key: String, label: &str, value: String, detail: String| {
        html! {
            <div class="mp-row" data-figure={key}>
                <dt>{ label.to_string() }</dt>
                <dd><span class="mp-value">{ value }</span>
                    if !detail.is_empty() { <span class="muted">{ format!(" · {detail}") }</span> }
                </dd>
            </div>
        }
    };
    let several = p.chains.len() > 1;
    let chains = p.chains.iter().map(|c| {
        // One chain: plain keys ("freed"); several: keyed by disk ("freed d-…").
        let key = |k: &str| if several { format!("{k} {}", c.disk_id) } else { k.to_string() };
        let on = |label: &str| if several { format!("{label} ({})", c.disk_id) } else { label.to_string() };
        html! {
            <>
                { row(key("freed"), &on(t(T::FreedVersions)), fmt_count(c.freed_blocks), lbas_by(&c.freed, &c.snapshot_ids, &name, sep)) }
                { row(key("moved"), &on(m(M::MovedToRemaining)), fmt_count(c.moved_blocks), moves(&c.moved, &name, sep)) }
                { row(key("capacity"), &on(t(T::ChainCapacity)),
                      format!("{} → {}", fmt_bytes(c.capacity_before), fmt_bytes(c.capacity_after)), String::new()) }
            </>
        }
    });
    let all: Vec<String> = p.snapshot_ids.iter().map(|id| name(id)).collect();
    html! {
        <section class="merge-preview combined" aria-label={t(T::MergePreview)}>
            <h3>{ format!("{}{}", m(M::DeletingTogether), all.join(m(M::NameSep))) }</h3>
            <dl>
                { for chains }
                { row("region".into(), t(T::RegionCapacity),
                      format!("{} → {}", fmt_bytes(p.region_before), fmt_bytes(p.region_after)), String::new()) }
                { row("cost".into(), t(T::MonthlyCost),
                      format!("{} → {}", fmt_usd(p.cost_before), fmt_usd(p.cost_after)),
                      format!("{} {}", t(T::Saving), fmt_usd(p.saving + p.instant_access_saving))) }
            </dl>
            <p class="muted">{ m(M::CombinedExplain) }</p>
        </section>
    }
}

/// "LBA 1, LBA 4–7" for a list of runs (the first few).
fn lbas(runs: &[(u64, u64)]) -> String {
    let mut parts: Vec<String> = runs
        .iter()
        .take(6)
        .map(|&(l, n)| {
            if n == 1 {
                format!("LBA {l}")
            } else {
                format!("LBA {}–{}", fmt_count(l), fmt_count(l + n - 1))
            }
        })
        .collect();
    if runs.len() > 6 {
        parts.push(format!("… (+{})", runs.len() - 6));
    }
    parts.join(", ")
}

#[derive(Properties, PartialEq)]
pub struct MergePreviewProps {
    pub preview: Rc<DeletePreview>,
    #[prop_or_default]
    pub names: Rc<BTreeMap<String, String>>,
}

/// The figures of one deletion, as a description list the tests and screen readers can read.
#[function_component(MergePreview)]
pub fn merge_preview(props: &MergePreviewProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let p = &props.preview;
    let name = |id: &str| props.names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let successor = p
        .successor_id
        .as_deref()
        .map(name)
        .unwrap_or_else(|| t(T::NoSuccessor).to_string());
    let row = |key: &'static str, label: T, value: String, detail: String| {
        html! {
            <div class="mp-row" data-figure={key}>
                <dt>{ t(label) }</dt>
                <dd><span class="mp-value">{ value }</span>
                    if !detail.is_empty() { <span class="muted">{ format!(" · {detail}") }</span> }
                </dd>
            </div>
        }
    };
    html! {
        <section class="merge-preview" aria-label={t(T::MergePreview)}>
            <h3>{ format!("{} {}", t(T::MergePreviewOf), name(&p.snapshot_id)) }</h3>
            <dl>
                { row("freed", T::FreedVersions, fmt_count(p.freed_blocks), lbas(&p.freed)) }
                { row("moved", T::MovedVersions, fmt_count(p.moved_blocks),
                      format!("→ {successor}{}", if p.moved.is_empty() { String::new() } else { format!(" ({})", lbas(&p.moved)) })) }
                { row("capacity", T::ChainCapacity,
                      format!("{} → {}", fmt_bytes(p.capacity_before), fmt_bytes(p.capacity_after)), String::new()) }
                { row("region", T::RegionCapacity,
                      format!("{} → {}", fmt_bytes(p.region_before), fmt_bytes(p.region_after)), String::new()) }
                { row("cost", T::MonthlyCost,
                      format!("{} → {}", fmt_usd(p.cost_before), fmt_usd(p.cost_after)),
                      format!("{} {}", t(T::Saving), fmt_usd(p.saving + p.instant_access_saving))) }
            </dl>
            <p class="muted">{ t(T::MergeExplain) }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // R-DEL-4: deleting S2 of R-INC-3 frees B1 and moves C1 into S3.
    #[test]
    fn the_r_del_4_preview_parses() {
        let p = DeletePreview::parse(&json!({
            "SnapshotId": "s-2", "SuccessorId": "s-3", "FreedBlocks": 1, "MovedBlocks": 1,
            "Freed": [{"Lba": 1, "Blocks": 1}], "Moved": [{"Lba": 2, "Blocks": 1}],
            "CapacityBeforeBytes": 28672, "CapacityAfterBytes": 24576,
            "CostBeforeMonthlyUsd": 0.0, "CostAfterMonthlyUsd": 0.0, "MonthlySavingUsd": 0.0,
        }));
        assert_eq!((p.freed_blocks, p.moved_blocks), (1, 1));
        assert_eq!(p.anim().moved, vec![(2, 1, "s-2".to_string(), "s-3".to_string())]);
        assert_eq!(p.anim().freed, vec![(1, 1, "s-2".to_string())]);
        assert_eq!(lbas(&[(1, 1), (4, 4)]), "LBA 1, LBA 4–7");
        assert_eq!(DeletePreview::parse(&json!("nonsense")), DeletePreview::default());
    }

    // R-DEL-3: S1 and S2 of R-INC-3 deleted together, as the engine previews it.
    #[test]
    fn a_combined_preview_parses_and_animates_every_deleted_row() {
        let p = MultiPreview::parse(&json!({
            "SnapshotIds": ["s-1", "s-2"], "FreedBlocks": 3, "MovedBlocks": 3,
            "CapacityBeforeBytes": 28672, "CapacityAfterBytes": 16384,
            "Chains": [{"DiskId": "d-1", "SnapshotIds": ["s-1", "s-2"], "FreedBlocks": 3, "MovedBlocks": 3,
                "Freed": [{"Lba": 1, "Blocks": 2, "Owner": "s-1"}, {"Lba": 1, "Blocks": 1, "Owner": "s-2"}],
                "Moved": [{"Lba": 0, "Blocks": 1, "From": "s-1", "To": "s-3"}, {"Lba": 3, "Blocks": 1, "From": "s-1", "To": "s-3"},
                          {"Lba": 2, "Blocks": 1, "From": "s-2", "To": "s-3"}],
                "CapacityBeforeBytes": 28672, "CapacityAfterBytes": 16384}],
        }));
        assert_eq!(p.chains.len(), 1);
        let a = p.anim();
        assert_eq!(a.deleted, vec!["s-1", "s-2"]);
        assert_eq!((a.freed.len(), a.moved.len()), (2, 3));
        let name = |id: &str| id.replace("s-", "S");
        let c = &p.chains[0];
        assert_eq!(
            lbas_by(&c.freed, &c.snapshot_ids, &name, "; "),
            "S1: LBA 1–2; S2: LBA 1"
        );
        assert_eq!(moves(&c.moved, &name, "; "), "S1 → S3 (LBA 0, LBA 3); S2 → S3 (LBA 2)");
        assert_eq!(MultiPreview::parse(&json!([])), MultiPreview::default());
    }
}
