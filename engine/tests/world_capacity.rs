//! Capacity history (R-CAP-1): DescribeSnapshotMonitorData sampled on change over the last
//! 15 days, with its documented refusals (each checked for its code and status and for changing
//! nothing: `World::refused`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{World, HZ};

// R-CAP-1: the region's capacity over time (sampled on change), the last 15 days, the
// documented errors.
#[test]
fn r_cap_1_snapshot_monitor_data() {
    let mut t = World::seeded(7, 4096);
    let vm = t.vm(HZ, "");
    t.ok("snaplab clock advance --To 2026-01-01T01:00:00Z");
    t.write(&vm.data, 0, "A");
    t.write(&vm.data, 1, "B");
    t.start_snapshot(&vm.data, "");
    t.ok("snaplab clock advance --To 2026-01-01T03:00:00Z");
    t.write(&vm.data, 2, "C");
    let s2 = t.start_snapshot(&vm.data, "");
    t.ok("snaplab clock advance --To 2026-01-01T05:00:00Z");
    t.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s2}"));
    t.ok("snaplab clock advance --To 2026-01-01T06:30:00Z");

    let q = |start: &str, end: &str, period: &str| {
        format!("aliyun ecs DescribeSnapshotMonitorData --RegionId {HZ} --StartTime {start} --EndTime {end}{period}")
    };
    let r = t.ok(&q("2026-01-01T00:00:00Z", "2026-01-01T08:00:00Z", " --Period 3600"));
    let points: Vec<(String, u64)> = r["MonitorData"]["DataPoint"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            (
                p["TimeStamp"].as_str().unwrap_or("").to_string(),
                p["Size"].as_u64().unwrap_or(9),
            )
        })
        .collect();
    let kib4 = 4096;
    assert_eq!(
        points,
        vec![
            ("2026-01-01T00:00:00Z".to_string(), 0),
            ("2026-01-01T01:00:00Z".to_string(), 2 * kib4),
            ("2026-01-01T02:00:00Z".to_string(), 2 * kib4),
            ("2026-01-01T03:00:00Z".to_string(), 3 * kib4),
            ("2026-01-01T04:00:00Z".to_string(), 3 * kib4),
            ("2026-01-01T05:00:00Z".to_string(), 2 * kib4),
            ("2026-01-01T06:00:00Z".to_string(), 2 * kib4),
        ],
        "up to now (06:30), one point per hour"
    );
    // Seconds round up to the next minute.
    let r = t.ok(&q("2026-01-01T00:59:30Z", "2026-01-01T01:01:00Z", ""));
    assert_eq!(r["MonitorData"]["DataPoint"][0]["TimeStamp"], "2026-01-01T01:00:00Z");
    assert_eq!(r["MonitorData"]["DataPoint"].as_array().map(Vec::len), Some(2));

    t.refused(
        &q("2026-01-01T00:00:00Z", "2026-01-01T06:41:00Z", ""),
        "InvalidParameter.TooManyDataQueried",
        400,
    );
    t.ok(&q("2026-01-01T00:00:00Z", "2026-01-01T06:40:00Z", ""));
    t.refused(
        &q("2026-01-01T00:00:00Z", "2026-01-01T06:00:00Z", " --Period 120"),
        "InvalidPeriod.ValueNotSupported",
        400,
    );
    t.refused(
        &q("2026-01-01T0000Z", "2026-01-01T06:00:00Z", ""),
        "InvalidStartTime.Malformed",
        400,
    );
    t.refused(
        &q("2026-01-01T00:00:00Z", "yesterday", ""),
        "InvalidEndTime.Malformed",
        400,
    );
    // SPEC §14: 15 days of history.
    t.ok("snaplab clock advance --To 2026-01-16T06:30:00Z");
    t.refused(
        &q("2026-01-01T06:00:00Z", "2026-01-01T07:00:00Z", ""),
        "InvalidStartTime.TooEarly",
        400,
    );
    let r = t.ok(&q("2026-01-01T06:30:00Z", "2026-01-01T07:00:00Z", " --Period 600"));
    assert_eq!(r["MonitorData"]["DataPoint"][0]["Size"], 2 * kib4);
}
