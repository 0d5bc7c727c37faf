//! The Snapshot capacity tab (R-CAP-1, R-BIL-1): every region's snapshot count and capacity
//! (DescribeSnapshotsUsage) with the estimated monthly cost (`snaplab billing estimate`), and the
//! selected region's capacity over time (`history.rs`) and its chains with their capacity and cost.

use super::text::T;
use super::util::{fmt_bytes, fmt_usd};
use crate::components::ui::ErrorBanner;
use crate::engine::{use_query, Line};
use crate::pages::common::use_reply;
use crate::state::use_console;
use serde_json::Value;
use snaplab_engine::catalog;
use snaplab_engine::replies::{Estimate, RegionBill};
use yew::prelude::*;

fn u(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

#[function_component(CapacityTab)]
pub fn capacity_tab() -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let bill = use_reply::<Estimate>(Some(Line::snaplab("billing estimate").into()));
    let estimate = bill.as_ref().and_then(|b| b.as_ref().ok());
    let bills: &[RegionBill] = estimate.map(|e| e.regions.as_slice()).unwrap_or_default();
    let pricing = estimate.map(|e| &e.pricing);
    let here = bills.iter().find(|b| b.region_id == console.region);
    let chains = here.and_then(|b| b.chains.as_deref()).unwrap_or_default();
    html! {
        <div class="capacity">
            if let Some(Err(e)) = &bill { <ErrorBanner err={e.clone()} /> }
            <div class="table-wrap">
                <table class="data" aria-label={t(T::CapacityLabel)}>
                    <thead><tr>
                        { for [T::ColRegion, T::ColRegionCount, T::ColRegionSize, T::ColMonthly].iter()
                            .map(|h| html! { <th scope="col">{ t(*h) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for catalog::regions().iter().map(|r| {
                            let b = bills.iter().find(|b| b.region_id == r.id).cloned();
                            html! { <RegionRow key={r.id} region={r.id} name={console.region_name(r)} bill={b} /> }
                        }) }
                    </tbody>
                </table>
            </div>
            if let Some(pricing) = pricing {
                <p class="muted">
                    { format!("{}: {} GB; {}: {}", t(T::PriceFree), pricing.free_gb_per_region,
                        t(T::PricePerGb), fmt_usd(pricing.usd_per_gb_month)) }
                </p>
            }
            <super::history::CapacityHistory key={console.region} region={console.region}
                region_name={AttrValue::from(catalog::region(console.region).map(|r| console.region_name(r)).unwrap_or(console.region))} />
            <h2>{ t(T::CapacityChainsLabel) }</h2>
            <div class="table-wrap">
                <table class="data" aria-label={t(T::CapacityChainsLabel)}>
                    <thead><tr>
                        { for [T::ColChainDisk, T::ColRegionCount, T::ColCapacity, T::ColMonthly].iter()
                            .map(|h| html! { <th scope="col">{ t(*h) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for chains.iter().map(|c| html! {
                            <tr data-disk={c.source_disk_id.clone()}>
                                <td><code>{ c.source_disk_id.clone() }</code></td>
                                <td>{ c.snapshots.len() }</td>
                                <td>{ fmt_bytes(c.capacity_bytes) }</td>
                                <td>{ fmt_usd(c.monthly_usd + c.instant_access_monthly_usd) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if chains.is_empty() {
                    <div class="empty" role="status">{ console.t(crate::i18n::Text::EmptyCapacity) }</div>
                }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RegionRowProps {
    region: &'static str,
    name: &'static str,
    bill: Option<RegionBill>,
}

/// One region: DescribeSnapshotsUsage, and its bill.
#[function_component(RegionRow)]
fn region_row(props: &RegionRowProps) -> Html {
    let usage = use_query(Some(
        Line::ecs("DescribeSnapshotsUsage").arg("RegionId", props.region).into(),
    ));
    let (count, size) = match &usage {
        Some(Ok(v)) => (u(v, "SnapshotCount").to_string(), fmt_bytes(u(v, "SnapshotSize"))),
        Some(Err(e)) => (e.code.clone(), String::new()),
        None => ("…".into(), "…".into()),
    };
    let cost = props
        .bill
        .as_ref()
        .map(|b| b.monthly_usd + b.instant_access_monthly_usd)
        .unwrap_or(0.0);
    html! {
        <tr data-region={props.region}>
            <th scope="row">{ format!("{} ({})", props.name, props.region) }</th>
            <td data-figure="count">{ count }</td>
            <td data-figure="size">{ size }</td>
            <td data-figure="cost">{ fmt_usd(cost) }</td>
        </tr>
    }
}
