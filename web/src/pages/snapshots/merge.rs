//! The deletion-merge preview (R-DEL-3, R-BIL-1): from `snaplab snapshot delete-preview`, which
//! block versions a deletion frees, which move to the successor, and the capacity and monthly
//! cost before and after. Several snapshots deleted at once are previewed together
//! (`--SnapshotIds`): the engine works out their combined effect, which this page only shows.

use super::blockview::MergeAnim;
use super::text::T;
use super::util::{fmt_bytes, fmt_count, fmt_usd};
use crate::state::use_console;
use snaplab_engine::replies::{DeletePreview, FreedRun, LbaRun, MovedRun, MultiDeletePreview};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// The merge to animate once the deletion of one snapshot is done.
impl From<&DeletePreview> for MergeAnim {
    fn from(p: &DeletePreview) -> MergeAnim {
        let id = &p.snapshot_id;
        MergeAnim {
            deleted: vec![id.clone()],
            moved: match &p.successor_id {
                Some(to) => p
                    .moved
                    .iter()
                    .map(|r| (r.lba, r.blocks, id.clone(), to.clone()))
                    .collect(),
                None => vec![],
            },
            freed: p.freed.iter().map(|r| (r.lba, r.blocks, id.clone())).collect(),
        }
    }
}

/// The combined merge to animate once every deletion of a combined preview is done.
impl From<&MultiDeletePreview> for MergeAnim {
    fn from(p: &MultiDeletePreview) -> MergeAnim {
        MergeAnim {
            deleted: p.snapshot_ids.clone(),
            moved: p
                .chains
                .iter()
                .flat_map(|c| c.moved.iter().map(|r| (r.lba, r.blocks, r.from.clone(), r.to.clone())))
                .collect(),
            freed: p
                .chains
                .iter()
                .flat_map(|c| c.freed.iter().map(|r| (r.lba, r.blocks, r.owner.clone())))
                .collect(),
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
fn lbas_by(runs: &[FreedRun], order: &[String], name: &dyn Fn(&str) -> String, sep: &str) -> String {
    let run = |r: &FreedRun| LbaRun {
        lba: r.lba,
        blocks: r.blocks,
    };
    order
        .iter()
        .filter_map(|id| {
            let mine: Vec<LbaRun> = runs.iter().filter(|r| r.owner == *id).map(run).collect();
            (!mine.is_empty()).then(|| format!("{}: {}", name(id), lbas(&mine)))
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// "S1 → S3 (LBA 0, LBA 3); S2 → S3 (LBA 2)".
fn moves(runs: &[MovedRun], name: &dyn Fn(&str) -> String, sep: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = runs.iter().map(|r| (r.from.as_str(), r.to.as_str())).collect();
    pairs.dedup();
    pairs
        .iter()
        .map(|(from, to)| {
            let mine: Vec<LbaRun> = runs
                .iter()
                .filter(|r| r.from == *from && r.to == *to)
                .map(|r| LbaRun {
                    lba: r.lba,
                    blocks: r.blocks,
                })
                .collect();
            format!("{} → {} ({})", name(from), name(to), lbas(&mine))
        })
        .collect::<Vec<_>>()
        .join(sep)
}

#[derive(Properties, PartialEq)]
pub struct CombinedPreviewProps {
    pub preview: Rc<MultiDeletePreview>,
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
                      format!("{} → {}", fmt_bytes(c.capacity_before_bytes), fmt_bytes(c.capacity_after_bytes)), String::new()) }
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
                      format!("{} → {}", fmt_bytes(p.cost.region_capacity_before_bytes), fmt_bytes(p.cost.region_capacity_after_bytes)), String::new()) }
                { row("cost".into(), t(T::MonthlyCost),
                      format!("{} → {}", fmt_usd(p.cost.cost_before_monthly_usd), fmt_usd(p.cost.cost_after_monthly_usd)),
                      format!("{} {}", t(T::Saving), fmt_usd(p.cost.monthly_saving_usd + p.instant_access_monthly_saving_usd))) }
            </dl>
            <p class="muted">{ m(M::CombinedExplain) }</p>
        </section>
    }
}

/// "LBA 1, LBA 4–7" for a list of runs (the first few).
fn lbas(runs: &[LbaRun]) -> String {
    let mut parts: Vec<String> = runs
        .iter()
        .take(6)
        .map(|&LbaRun { lba: l, blocks: n }| {
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
                      format!("{} → {}", fmt_bytes(p.capacity_before_bytes), fmt_bytes(p.capacity_after_bytes)), String::new()) }
                { row("region", T::RegionCapacity,
                      format!("{} → {}", fmt_bytes(p.cost.region_capacity_before_bytes), fmt_bytes(p.cost.region_capacity_after_bytes)), String::new()) }
                { row("cost", T::MonthlyCost,
                      format!("{} → {}", fmt_usd(p.cost.cost_before_monthly_usd), fmt_usd(p.cost.cost_after_monthly_usd)),
                      format!("{} {}", t(T::Saving), fmt_usd(p.cost.monthly_saving_usd + p.instant_access_monthly_saving_usd))) }
            </dl>
            <p class="muted">{ t(T::MergeExplain) }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use snaplab_engine::replies::Reply;

    /// The cost fields every preview carries (R-BIL-1), under the free allowance.
    fn free_cost(before: u64, after: u64) -> serde_json::Value {
        json!({
            "RegionCapacityBeforeBytes": before, "RegionCapacityAfterBytes": after,
            "CostBeforeMonthlyUsd": 0.0, "CostAfterMonthlyUsd": 0.0, "MonthlySavingUsd": 0.0,
            "FreedListPriceMonthlyUsd": 0.0, "InstantAccessMonthlySavingUsd": 0.0,
        })
    }

    fn with(mut v: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
        if let (Some(m), serde_json::Value::Object(x)) = (v.as_object_mut(), extra) {
            m.extend(x);
        }
        v
    }

    // R-DEL-4: deleting S2 of R-INC-3 frees B1 and moves C1 into S3.
    #[test]
    fn the_r_del_4_preview_decodes() {
        let p = DeletePreview::from_json(&with(
            json!({
                "SnapshotId": "s-2", "SuccessorId": "s-3", "FreedBlocks": 1, "MovedBlocks": 1,
                "Freed": [{"Lba": 1, "Blocks": 1}], "Moved": [{"Lba": 2, "Blocks": 1}],
                "CapacityBeforeBytes": 28672, "CapacityAfterBytes": 24576, "PhysicalFreedBytes": 4096,
            }),
            free_cost(28672, 24576),
        ))
        .unwrap();
        assert_eq!((p.freed_blocks, p.moved_blocks), (1, 1));
        let anim = MergeAnim::from(&p);
        assert_eq!(anim.moved, vec![(2, 1, "s-2".to_string(), "s-3".to_string())]);
        assert_eq!(anim.freed, vec![(1, 1, "s-2".to_string())]);
        let run = |lba, blocks| LbaRun { lba, blocks };
        assert_eq!(lbas(&[run(1, 1), run(4, 4)]), "LBA 1, LBA 4–7");
        // A reply without the preview's shape is an error, not an empty preview.
        assert!(DeletePreview::from_json(&json!("nonsense")).is_err());
        assert!(DeletePreview::from_json(&json!({"SnapshotId": "s-2", "FreedBlocks": 1})).is_err());
    }

    // R-DEL-3: S1 and S2 of R-INC-3 deleted together, as the engine previews it.
    #[test]
    fn a_combined_preview_decodes_and_animates_every_deleted_row() {
        let p = MultiDeletePreview::from_json(&with(
            json!({
                "SnapshotIds": ["s-1", "s-2"], "FreedBlocks": 3, "MovedBlocks": 3,
                "CapacityBeforeBytes": 28672, "CapacityAfterBytes": 16384, "PhysicalFreedBytes": 12288,
                "Chains": [{"DiskId": "d-1", "SnapshotIds": ["s-1", "s-2"], "FreedBlocks": 3, "MovedBlocks": 3,
                    "Freed": [{"Lba": 1, "Blocks": 2, "Owner": "s-1"}, {"Lba": 1, "Blocks": 1, "Owner": "s-2"}],
                    "Moved": [{"Lba": 0, "Blocks": 1, "From": "s-1", "To": "s-3"}, {"Lba": 3, "Blocks": 1, "From": "s-1", "To": "s-3"},
                              {"Lba": 2, "Blocks": 1, "From": "s-2", "To": "s-3"}],
                    "CapacityBeforeBytes": 28672, "CapacityAfterBytes": 16384}],
            }),
            free_cost(28672, 16384),
        ))
        .unwrap();
        assert_eq!(p.chains.len(), 1);
        let a = MergeAnim::from(&p);
        assert_eq!(a.deleted, vec!["s-1", "s-2"]);
        assert_eq!((a.freed.len(), a.moved.len()), (2, 3));
        let name = |id: &str| id.replace("s-", "S");
        let c = &p.chains[0];
        assert_eq!(
            lbas_by(&c.freed, &c.snapshot_ids, &name, "; "),
            "S1: LBA 1–2; S2: LBA 1"
        );
        assert_eq!(moves(&c.moved, &name, "; "), "S1 → S3 (LBA 0, LBA 3); S2 → S3 (LBA 2)");
        assert!(MultiDeletePreview::from_json(&json!([])).is_err());
    }
}
