//! The deletion-merge preview (R-DEL-3, R-BIL-1): from `snaplab snapshot delete-preview`, which
//! block versions a deletion frees, which move to the successor, and the capacity and monthly
//! cost before and after.

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
        MergeAnim {
            deleted: self.snapshot_id.clone(),
            successor: self.successor_id.clone(),
            moved: self.moved.clone(),
            freed: self.freed.clone(),
        }
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
        assert_eq!(p.anim().moved, vec![(2, 1)]);
        assert_eq!(p.anim().successor.as_deref(), Some("s-3"));
        assert_eq!(lbas(&[(1, 1), (4, 4)]), "LBA 1, LBA 4–7");
        assert_eq!(DeletePreview::parse(&json!("nonsense")), DeletePreview::default());
    }
}
