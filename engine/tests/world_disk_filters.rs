//! Issue 12 item 1: DescribeDisks' filters filter, as ECS's do; a bad category is
//! `InvalidCategory.ValueNotSupported` and changes nothing.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{World, HZ};
use serde_json::Value;

/// The IDs DescribeDisks lists in Hangzhou with `args`, sorted.
fn ids(w: &mut World, args: &str) -> Vec<String> {
    let r = w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId {HZ} --MaxResults 500 {args}"
    ));
    let mut out: Vec<String> = r["Disks"]["Disk"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d: &Value| d["DiskId"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

fn sorted(mut v: Vec<&str>) -> Vec<String> {
    v.sort();
    v.into_iter().map(str::to_string).collect()
}

/// A world with an instance (system and ESSD data disks in zone h), an encrypted
/// cloud_auto disk named `vault` in zone i, and a plain cloud_ssd disk in zone j.
fn world() -> (World, common::Vm, String, String) {
    let mut w = World::activated(4096);
    let vm = w.vm_in("cn-hangzhou-h");
    let vault =
        w.create_disk("--ZoneId cn-hangzhou-i --DiskCategory cloud_auto --Size 20 --Encrypted true --DiskName vault");
    let plain = w.create_disk("--ZoneId cn-hangzhou-j --DiskCategory cloud_ssd --Size 20");
    w.idle();
    (w, vm, vault, plain)
}

#[test]
fn issue12_describe_disks_filters_by_zone_category_name_and_encryption() {
    let (mut w, vm, vault, plain) = world();
    let system_category = w.disk(&vm.system)["Category"].as_str().unwrap().to_string();
    let all = ids(&mut w, "");
    assert_eq!(all.len(), 4);
    assert_eq!(ids(&mut w, "--ZoneId cn-hangzhou-i"), vec![vault.clone()]);
    assert_eq!(ids(&mut w, "--ZoneId cn-hangzhou-j"), vec![plain.clone()]);
    assert_eq!(
        ids(&mut w, "--ZoneId cn-hangzhou-h"),
        sorted(vec![&vm.system, &vm.data])
    );
    assert_eq!(ids(&mut w, "--ZoneId cn-shanghai-a"), Vec::<String>::new());
    assert_eq!(ids(&mut w, "--Category cloud_auto"), vec![vault.clone()]);
    assert_eq!(ids(&mut w, "--Category cloud_ssd"), vec![plain.clone()]);
    assert_eq!(ids(&mut w, "--Category all"), all);
    assert!(ids(&mut w, &format!("--Category {system_category}")).contains(&vm.system));
    assert_eq!(ids(&mut w, "--Category local_ssd_pro"), Vec::<String>::new());
    assert_eq!(ids(&mut w, "--DiskName vault"), vec![vault.clone()]);
    assert_eq!(ids(&mut w, "--DiskName vaul"), Vec::<String>::new());
    assert_eq!(ids(&mut w, "--Encrypted true"), vec![vault.clone()]);
    assert_eq!(ids(&mut w, "--Encrypted false").len(), 3);
    // Filters combine with AND.
    assert_eq!(
        ids(&mut w, "--Encrypted true --ZoneId cn-hangzhou-j"),
        Vec::<String>::new()
    );
}

#[test]
fn issue12_describe_disks_filters_by_flags() {
    let (mut w, vm, vault, plain) = world();
    // The system disk is not portable; data disks are.
    assert_eq!(ids(&mut w, "--Portable false"), vec![vm.system.clone()]);
    assert_eq!(ids(&mut w, "--Portable true"), sorted(vec![&vm.data, &vault, &plain]));
    // DeleteWithInstance: the instance's disks are released with it (RunInstances' default).
    let with: Vec<String> = ids(&mut w, "--DeleteWithInstance true");
    let without: Vec<String> = ids(&mut w, "--DeleteWithInstance false");
    assert_eq!(with.len() + without.len(), 4);
    for d in &with {
        assert_eq!(w.disk(d)["DeleteWithInstance"], true, "{d}");
    }
    for d in &without {
        assert_eq!(w.disk(d)["DeleteWithInstance"], false, "{d}");
    }
    w.ok(&format!(
        "aliyun ecs ModifyDiskAttribute --DiskId {plain} --DeleteAutoSnapshot false"
    ));
    let keep = ids(&mut w, "--DeleteAutoSnapshot false");
    assert!(keep.contains(&plain), "{keep:?}");
    for d in &keep {
        assert_eq!(w.disk(d)["DeleteAutoSnapshot"], false, "{d}");
    }
    for d in ids(&mut w, "--DeleteAutoSnapshot true") {
        assert_eq!(w.disk(&d)["DeleteAutoSnapshot"], true, "{d}");
    }
    // Every emulated disk is pay-as-you-go and single-attach.
    assert_eq!(ids(&mut w, "--DiskChargeType PostPaid").len(), 4);
    assert_eq!(ids(&mut w, "--DiskChargeType PrePaid"), Vec::<String>::new());
    assert_eq!(ids(&mut w, "--MultiAttach Disabled").len(), 4);
    assert_eq!(ids(&mut w, "--MultiAttach Enabled"), Vec::<String>::new());
}

#[test]
fn issue12_describe_disks_filters_by_creation_time() {
    let mut w = World::activated(4096);
    let early = w.create_disk("--ZoneId cn-hangzhou-h --Size 20");
    let created = w.disk(&early)["CreationTime"].as_str().unwrap().to_string();
    w.ok("snaplab clock advance --Seconds 7200");
    let late = w.create_disk("--ZoneId cn-hangzhou-h --Size 20");
    // `yyyy-MM-ddTHH:mmZ` (API.md): an hour after the first disk (the clock starts early in a
    // day, so the hour does not wrap).
    let hour: u32 = created[11..13].parse().unwrap();
    assert!(hour < 22, "{created}");
    let after = format!("{}{:02}{}Z", &created[..11], hour + 1, &created[13..16]);
    assert_eq!(
        ids(
            &mut w,
            &format!("--Filter.1.Key CreationStartTime --Filter.1.Value {after}")
        ),
        vec![late.clone()]
    );
    assert_eq!(
        ids(
            &mut w,
            &format!("--Filter.1.Key CreationEndTime --Filter.1.Value {after}")
        ),
        vec![early.clone()]
    );
    w.refused(
        &format!("aliyun ecs DescribeDisks --RegionId {HZ} --Filter.1.Key ExpiredStartTime --Filter.1.Value {after}"),
        "InvalidFilterKey.NotFound",
        404,
    );
}

#[test]
fn issue12_describe_disks_refuses_bad_filter_values() {
    let (mut w, ..) = world();
    let body = w.refused(
        &format!("aliyun ecs DescribeDisks --RegionId {HZ} --Category nonsense"),
        "InvalidCategory.ValueNotSupported",
        400,
    );
    assert_eq!(body["Message"], "The specified Category is not supported.");
    // Category values are exact, as DiskCategory is.
    w.refused(
        &format!("aliyun ecs DescribeDisks --RegionId {HZ} --Category Cloud_SSD"),
        "InvalidCategory.ValueNotSupported",
        400,
    );
    w.refused(
        &format!("aliyun ecs DescribeDisks --RegionId {HZ} --Encrypted maybe"),
        "InvalidParameter",
        400,
    );
    w.refused(
        &format!("aliyun ecs DescribeDisks --RegionId {HZ} --Portable 1"),
        "InvalidParameter",
        400,
    );
    w.refused(
        &format!("aliyun ecs DescribeDisks --RegionId {HZ} --DiskChargeType Free"),
        "InvalidParameter",
        400,
    );
    w.refused(
        &format!("aliyun ecs DescribeDisks --RegionId {HZ} --MultiAttach Maybe"),
        "InvalidParameter",
        400,
    );
}
