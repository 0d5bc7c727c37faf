//! The region's snapshot capacity over simulated time (R-CAP-1), drawn as an SVG step chart.
//!
//! The figures are the engine's: it samples every region's capacity whenever it changes and
//! keeps 15 days of it, which `DescribeSnapshotMonitorData` returns as one point per period
//! (the capacity at that instant); the last point, "now", is `DescribeSnapshotsUsage`'s
//! `SnapshotSize` (the monitor's grid stops at the last whole period). Both are read again at
//! every change of the world, clock ticks included.

use super::util::fmt_bytes;
use crate::components::ui::ErrorBanner;
use crate::engine::{use_query, Line};
use crate::pages::common::use_reply;
use crate::state::use_console;
use serde_json::Value;
use snaplab_engine::clock::Timestamp;
use snaplab_engine::replies::ClockShow;
use yew::prelude::*;

crate::texts! {
    pub enum H {
        Title => ("Capacity history", "容量历史"),
        Range => ("Time range", "时间范围"),
        LastHour => ("Last hour", "近 1 小时"),
        LastDay => ("Last 24 hours", "近 24 小时"),
        Last15 => ("Last 15 days", "近 15 天"),
        AxisTime => ("Simulated time (UTC)", "模拟时间（UTC）"),
        AxisCapacity => ("Snapshot capacity", "快照容量"),
        ChartOf => ("Snapshot capacity over time in {region}", "{region}的快照容量随时间的变化"),
        Colon => (": ", "："),
        Now => ("now", "当前"),
        Highest => ("highest", "最高"),
        Lowest => ("lowest", "最低"),
        Source => (
            "One point per period from DescribeSnapshotMonitorData; the last point is the capacity now (DescribeSnapshotsUsage).",
            "每个周期一个点，来自 DescribeSnapshotMonitorData；最后一个点为当前容量（DescribeSnapshotsUsage）。"
        ),
        Loading => ("Loading…", "加载中…"),
    }
}

/// The time ranges offered, with the period of their points (API.md: 60, 600 or 3600 s, at
/// most 400 points; the engine keeps 15 days).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    Hour,
    Day,
    Days15,
}

impl Range {
    const ALL: [Range; 3] = [Range::Hour, Range::Day, Range::Days15];

    fn seconds(self) -> i64 {
        match self {
            Range::Hour => 3_600,
            Range::Day => 86_400,
            Range::Days15 => 15 * 86_400,
        }
    }

    fn period(self) -> i64 {
        match self {
            Range::Hour => 60,
            Range::Day => 600,
            Range::Days15 => 3_600,
        }
    }

    fn label(self) -> H {
        match self {
            Range::Hour => H::LastHour,
            Range::Day => H::LastDay,
            Range::Days15 => H::Last15,
        }
    }
}

/// The chart's drawing area inside the SVG.
pub const W: f64 = 760.0;
pub const H_: f64 = 240.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 48.0;

/// A "nice" top of the y axis and its step (four or five steps, 1/2/5 × 10ⁿ of a binary unit).
pub fn nice_scale(max: u64) -> (u64, u64) {
    if max == 0 {
        return (4 << 20, 1 << 20);
    }
    let mut unit: u64 = 1;
    while unit < (1 << 50) && max / unit >= 1024 {
        unit *= 1024;
    }
    let v = max as f64 / unit as f64;
    let raw = v / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let step_bytes = ((step * unit as f64).round() as u64).max(1);
    (max.div_ceil(step_bytes) * step_bytes, step_bytes)
}

/// The chart's geometry for `points` (seconds, bytes) over `[start, end]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// The step line.
    pub line: String,
    /// The area under it.
    pub area: String,
    /// (y, bytes) of the y axis ticks.
    pub y_ticks: Vec<(f64, u64)>,
    /// (x, time) of the x axis ticks.
    pub x_ticks: Vec<(f64, i64)>,
    /// (x, y, time, bytes) where the capacity changes (and the first and last points).
    pub marks: Vec<(f64, f64, i64, u64)>,
}

pub fn plot(points: &[(i64, u64)], start: i64, end: i64) -> Plot {
    let max = points.iter().map(|p| p.1).max().unwrap_or(0);
    let (top, step) = nice_scale(max);
    let span = (end - start).max(1) as f64;
    let x = |t: i64| LEFT + (t.clamp(start, end) - start) as f64 / span * (W - LEFT - RIGHT);
    let y = |b: u64| TOP + (1.0 - b as f64 / top as f64) * (H_ - TOP - BOTTOM);
    let base = y(0);
    let mut line = String::new();
    let mut marks = Vec::new();
    for (i, &(t, b)) in points.iter().enumerate() {
        if i == 0 {
            line.push_str(&format!("M{:.1} {:.1}", x(t), y(b)));
        } else {
            line.push_str(&format!(" H{:.1} V{:.1}", x(t), y(b)));
        }
        let changed = i == 0 || points[i - 1].1 != b;
        if changed || i + 1 == points.len() {
            marks.push((x(t), y(b), t, b));
        }
    }
    let area = match points.first() {
        Some(&(t0, _)) => format!("{line} V{base:.1} H{:.1} Z", x(t0)),
        None => String::new(),
    };
    let y_ticks = (0..=top / step).map(|k| (y(k * step), k * step)).collect();
    let x_ticks = (0..=5)
        .map(|k| (x(start + (end - start) * k / 5), start + (end - start) * k / 5))
        .collect();
    Plot {
        line,
        area,
        y_ticks,
        x_ticks,
        marks,
    }
}

/// A time tick: `HH:MM` within a day, `MM-DD HH:MM` over longer ranges.
fn time_label(t: i64, long: bool) -> String {
    let iso = Timestamp(t).to_iso();
    // yyyy-MM-ddTHH:mm:ssZ
    // `get`, not slicing: a clock far outside years 0–9999 (an imported world) writes a longer
    // or shorter date, and a page must not panic on it (issue 12 item 2).
    let part = |r: std::ops::Range<usize>| iso.get(r).unwrap_or("");
    if long {
        format!("{} {}", part(5..10), part(11..16))
    } else {
        part(11..16).to_string()
    }
}

fn u(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

#[derive(Properties, PartialEq)]
pub struct CapacityHistoryProps {
    pub region: &'static str,
    pub region_name: AttrValue,
}

/// The chart of one region's capacity with its range switch.
#[function_component(CapacityHistory)]
pub fn capacity_history(props: &CapacityHistoryProps) -> Html {
    let console = use_console();
    let t = |x: H| console.t(x);
    let range = use_state(|| Range::Hour);
    let clock = use_reply::<ClockShow>(Some(Line::snaplab("clock show").into()));
    let now = match &clock {
        Some(Ok(c)) => Timestamp::parse(&c.now).ok(),
        _ => None,
    };
    let start = now.map(|n| n.add_seconds(-range.seconds()));
    let monitor = use_query(now.zip(start).map(|(n, s)| {
        Line::ecs("DescribeSnapshotMonitorData")
            .arg("RegionId", props.region)
            .arg("StartTime", s.to_iso())
            .arg("EndTime", n.to_iso())
            .arg("Period", range.period().to_string())
            .into()
    }));
    let usage = use_query(Some(
        Line::ecs("DescribeSnapshotsUsage").arg("RegionId", props.region).into(),
    ));
    // The last complete series stays drawn while the next one is read (the clock moves on).
    let shown = use_mut_ref(|| None::<(Vec<(i64, u64)>, i64, i64, Range)>);
    if let (Some(n), Some(s), Some(Ok(m)), Some(Ok(us))) = (now, start, &monitor, &usage) {
        let mut points: Vec<(i64, u64)> = m
            .get("MonitorData")
            .and_then(|d| d.get("DataPoint"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|p| {
                        let at = Timestamp::parse(p.get("TimeStamp")?.as_str()?).ok()?;
                        Some((at.seconds(), p.get("Size")?.as_u64()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        points.retain(|p| p.0 < n.seconds());
        points.push((n.seconds(), u(us, "SnapshotSize")));
        *shown.borrow_mut() = Some((points, s.seconds(), n.seconds(), *range));
    }
    let error = clock
        .as_ref()
        .and_then(|c| c.as_ref().err())
        .or_else(|| {
            [&monitor, &usage]
                .into_iter()
                .find_map(|a| a.as_ref().and_then(|a| a.as_ref().err()))
        })
        .cloned();

    let buttons = Range::ALL.iter().map(|r| {
        let onclick = {
            let (range, r) = (range.clone(), *r);
            Callback::from(move |_: MouseEvent| range.set(r))
        };
        html! {
            <button type="button" class="btn small" aria-pressed={(*range == *r).to_string()} {onclick}>{ t(r.label()) }</button>
        }
    });
    let body = match &*shown.borrow() {
        None => html! { <p class="muted" role="status">{ t(H::Loading) }</p> },
        Some((points, start, end, r)) => {
            let p = plot(points, *start, *end);
            let latest = points.last().map(|x| x.1).unwrap_or(0);
            let highest = points.iter().map(|x| x.1).max().unwrap_or(0);
            let lowest = points.iter().map(|x| x.1).min().unwrap_or(0);
            let summary = format!(
                "{}{}{} {} · {} {} · {} {}",
                t(H::ChartOf).replace("{region}", &props.region_name),
                t(H::Colon),
                t(H::Now),
                fmt_bytes(latest),
                t(H::Highest),
                fmt_bytes(highest),
                t(H::Lowest),
                fmt_bytes(lowest)
            );
            let long = *r == Range::Days15;
            html! {
                <figure class="cap-history" data-latest={latest.to_string()} data-highest={highest.to_string()}
                    data-points={points.len().to_string()}>
                    <svg role="img" aria-label={summary.clone()} viewBox={format!("0 0 {W} {H_}")} width={W.to_string()} height={H_.to_string()}>
                        <title>{ summary.clone() }</title>
                        { for p.y_ticks.iter().map(|(y, b)| html! {
                            <g class="cap-ytick">
                                <line x1={LEFT.to_string()} x2={(W - RIGHT).to_string()} y1={format!("{y:.1}")} y2={format!("{y:.1}")} />
                                <text x={(LEFT - 6.0).to_string()} y={format!("{:.1}", y + 4.0)} text-anchor="end">{ fmt_bytes(*b) }</text>
                            </g>
                        }) }
                        { for p.x_ticks.iter().map(|(x, at)| html! {
                            <g class="cap-xtick">
                                <line x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1={(H_ - BOTTOM).to_string()} y2={(H_ - BOTTOM + 4.0).to_string()} />
                                <text x={format!("{x:.1}")} y={(H_ - BOTTOM + 16.0).to_string()} text-anchor="middle">{ time_label(*at, long) }</text>
                            </g>
                        }) }
                        <path class="cap-area" d={p.area.clone()} />
                        <path class="cap-line" d={p.line.clone()} />
                        { for p.marks.iter().map(|(x, y, at, b)| html! {
                            <circle class="cap-mark" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="3"
                                data-time={Timestamp(*at).to_iso()} data-bytes={b.to_string()}>
                                <title>{ format!("{} — {}", Timestamp(*at).to_iso(), fmt_bytes(*b)) }</title>
                            </circle>
                        }) }
                        <text class="cap-axis" x={format!("{:.1}", (LEFT + W - RIGHT) / 2.0)} y={(H_ - 6.0).to_string()} text-anchor="middle">{ t(H::AxisTime) }</text>
                        <text class="cap-axis" x="14" y={format!("{:.1}", (TOP + H_ - BOTTOM) / 2.0)} text-anchor="middle"
                            transform={format!("rotate(-90 14 {:.1})", (TOP + H_ - BOTTOM) / 2.0)}>{ t(H::AxisCapacity) }</text>
                    </svg>
                    <figcaption class="muted small">{ summary }<br />{ t(H::Source) }</figcaption>
                </figure>
            }
        }
    };
    html! {
        <section class="cap-history-wrap" aria-label={t(H::Title)}>
            <div class="cap-history-head">
                <h2>{ t(H::Title) }</h2>
                <span role="group" aria-label={t(H::Range)} class="cap-ranges">{ for buttons }</span>
            </div>
            if let Some(e) = error { <ErrorBanner err={e} /> }
            { body }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_y_axis_ends_on_a_nice_value() {
        assert_eq!(nice_scale(0), (4 << 20, 1 << 20));
        assert_eq!(nice_scale(4 << 20), (4 << 20, 1 << 20));
        assert_eq!(nice_scale(6 << 20), (6 << 20, 2 << 20));
        assert_eq!(nice_scale(28 << 10), (30 << 10, 10 << 10));
        let (top, step) = nice_scale(1_234_567_890);
        assert!(top >= 1_234_567_890 && top / step <= 5);
    }

    // R-CAP-1: the chart steps up after a snapshot and down after a deletion.
    #[test]
    fn the_step_line_follows_the_points() {
        let p = plot(&[(0, 0), (60, 4 << 20), (120, 6 << 20), (180, 4 << 20)], 0, 180);
        assert!(p.line.starts_with("M78.0 "));
        assert_eq!(p.line.matches('H').count(), 3);
        assert_eq!(
            p.marks.iter().map(|m| m.3).collect::<Vec<_>>(),
            vec![0, 4 << 20, 6 << 20, 4 << 20]
        );
        // Higher bytes are higher up (smaller y).
        assert!(p.marks[2].1 < p.marks[1].1 && p.marks[1].1 < p.marks[0].1);
        assert_eq!(p.x_ticks.len(), 6);
        assert_eq!(p.y_ticks.first().map(|t| t.1), Some(0));
        assert!(p.area.ends_with('Z'));
        assert_eq!(plot(&[], 0, 10).line, "");
        assert_eq!(
            time_label(Timestamp::parse("2026-01-02T03:04:05Z").unwrap().seconds(), true),
            "01-02 03:04"
        );
    }
}
