//! The Snapshot capacity tab (R-CAP-1, R-BIL-1): every region's snapshot count and capacity
//! (DescribeSnapshotsUsage) with the estimated monthly cost (`snaplab billing estimate`), and the
//! selected region's capacity over time (`history.rs`) and its chains with their capacity and cost.

use super::text::T;
use super::util::{fmt_bytes, fmt_usd};
use crate::components::ui::ErrorBanner;
use crate::engine::{json, use_query, Line};
use crate::state::use_console;
use serde_json::Value;
use snaplab_engine::catalog;
use yew::prelude::*;

fn f(v: &Value, k: &str) -> f64 {
    v.get(k).and_then(Value::as_f64).unwrap_or(0.0)
}

fn u(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

#[function_component(CapacityTab)]
pub fn capacity_tab() -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let bill = use_query(Some(Line::snaplab("billing estimate").into()));
    let bills: Vec<Value> = match &bill {
        Some(Ok(v)) => json::list(v, "Regions").into_iter().cloned().collect(),
        _ => vec![],
    };
    let pricing = match &bill {
        Some(Ok(v)) => v.get("Pricing").cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let here = bills.iter().find(|b| json::s(b, "RegionId") == console.region).cloned();
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
                            let b = bills.iter().find(|b| json::s(b, "RegionId") == r.id).cloned();
                            html! { <RegionRow key={r.id} region={r.id} name={console.region_name(r)} bill={b} /> }
                        }) }
                    </tbody>
                </table>
            </div>
            if !pricing.is_null() {
                <p class="muted">
                    { format!("{}: {} GB; {}: {}", t(T::PriceFree), u(&pricing, "FreeGbPerRegion"),
                        t(T::PricePerGb), fmt_usd(f(&pricing, "UsdPerGbMonth"))) }
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
                        { for here.iter().flat_map(|b| json::list(b, "Chains")).map(|c| html! {
                            <tr data-disk={json::s(c, "SourceDiskId")}>
                                <td><code>{ json::s(c, "SourceDiskId") }</code></td>
                                <td>{ json::list(c, "Snapshots").len() }</td>
                                <td>{ fmt_bytes(u(c, "CapacityBytes")) }</td>
                                <td>{ fmt_usd(f(c, "MonthlyUsd") + f(c, "InstantAccessMonthlyUsd")) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if here.as_ref().is_none_or(|b| json::list(b, "Chains").is_empty()) {
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
    bill: Option<Value>,
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
        .map(|b| f(b, "MonthlyUsd") + f(b, "InstantAccessMonthlyUsd"))
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
