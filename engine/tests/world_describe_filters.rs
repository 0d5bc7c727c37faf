//! Issue 12 item 1: DescribeInstances' and DescribeImages' documented filters filter (the
//! table in `world/params.rs` lists them as honoured; `params_table.rs` keeps it honest).

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{World, HZ, IMAGE};
use serde_json::Value;

const UBUNTU: &str = "ubuntu_20_04_x64_20G_alibase_20230815.vhd";

fn instance_ids(w: &mut World, args: &str) -> Vec<String> {
    let r = w.ok(&format!(
        "aliyun ecs DescribeInstances --RegionId {HZ} --MaxResults 100 {args}"
    ));
    let mut out: Vec<String> = r["Instances"]["Instance"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i: &Value| i["InstanceId"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

fn run(w: &mut World, args: &str) -> String {
    let r = w.ok(&format!("aliyun ecs RunInstances --RegionId {HZ} {args}"));
    r["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn issue12_describe_instances_filters_by_name_type_family_and_image() {
    let mut w = World::activated(4096);
    let web1 = run(
        &mut w,
        &format!("--ImageId {IMAGE} --InstanceType ecs.g7.large --InstanceName web-1"),
    );
    let web2 = run(
        &mut w,
        &format!("--ImageId {UBUNTU} --InstanceType ecs.c7.large --InstanceName web-2"),
    );
    let db = run(
        &mut w,
        &format!("--ImageId {IMAGE} --InstanceType ecs.g6.large --InstanceName db"),
    );
    w.idle();
    assert_eq!(instance_ids(&mut w, "").len(), 3);
    assert_eq!(instance_ids(&mut w, "--InstanceName web-1"), vec![web1.clone()]);
    assert_eq!(instance_ids(&mut w, "--InstanceName web"), Vec::<String>::new());
    // `*` is a wildcard (API.md).
    assert_eq!(
        instance_ids(&mut w, "--InstanceName 'web-*'"),
        sorted(vec![web1.clone(), web2.clone()])
    );
    assert_eq!(instance_ids(&mut w, "--InstanceName '*-2'"), vec![web2.clone()]);
    assert_eq!(instance_ids(&mut w, "--InstanceName 'w*b*1'"), vec![web1.clone()]);
    assert_eq!(instance_ids(&mut w, "--InstanceName '*'").len(), 3);
    assert_eq!(instance_ids(&mut w, "--InstanceName 'd*db'"), Vec::<String>::new());
    assert_eq!(instance_ids(&mut w, "--InstanceType ecs.c7.large"), vec![web2.clone()]);
    assert_eq!(instance_ids(&mut w, "--InstanceTypeFamily ecs.g7"), vec![web1.clone()]);
    assert_eq!(instance_ids(&mut w, "--InstanceTypeFamily ecs.g"), Vec::<String>::new());
    assert_eq!(
        instance_ids(&mut w, &format!("--ImageId {IMAGE}")),
        sorted(vec![web1.clone(), db.clone()])
    );
    assert_eq!(
        instance_ids(&mut w, &format!("--ImageId {UBUNTU} --InstanceName 'web-*'")),
        [web2]
    );
}

#[test]
fn issue12_describe_instances_filters_by_creation_and_expiry_time() {
    let mut w = World::activated(4096);
    let early = run(&mut w, &format!("--ImageId {IMAGE} --InstanceType ecs.g7.large"));
    let created = w.ok(&format!("aliyun ecs DescribeInstances --RegionId {HZ}"))["Instances"]["Instance"][0]
        ["CreationTime"]
        .as_str()
        .unwrap()
        .to_string();
    w.ok("snaplab clock advance --Seconds 7200");
    let late = run(&mut w, &format!("--ImageId {IMAGE} --InstanceType ecs.g7.large"));
    let hour: u32 = created[11..13].parse().unwrap();
    assert!(hour < 22, "{created}");
    let after = format!("{}{:02}{}Z", &created[..11], hour + 1, &created[13..16]);
    let f = |k: &str, v: &str| format!("--Filter.1.Key {k} --Filter.1.Value {v}");
    assert_eq!(
        instance_ids(&mut w, &f("CreationStartTime", &after)),
        vec![late.clone()]
    );
    assert_eq!(instance_ids(&mut w, &f("CreationEndTime", &after)), vec![early.clone()]);
    // Pay-as-you-go instances show ExpiredTime 2099-12-31T15:59Z.
    assert_eq!(
        instance_ids(&mut w, &f("ExpiredStartTime", "2099-01-01T00:00Z")).len(),
        2
    );
    assert_eq!(
        instance_ids(&mut w, &f("ExpiredEndTime", "2099-01-01T00:00Z")),
        Vec::<String>::new()
    );
    // Four filters at once (Filter.1..4).
    let all4 = format!(
        "--Filter.1.Key CreationStartTime --Filter.1.Value {after} --Filter.2.Key CreationEndTime \
         --Filter.2.Value 2098-01-01T00:00Z --Filter.3.Key ExpiredStartTime --Filter.3.Value 2099-01-01T00:00Z \
         --Filter.4.Key ExpiredEndTime --Filter.4.Value 2100-01-01T00:00Z"
    );
    assert_eq!(instance_ids(&mut w, &all4), [late]);
    w.refused(
        &format!(
            "aliyun ecs DescribeInstances --RegionId {HZ} {}",
            f("NetworkType", "vpc")
        ),
        "InvalidFilterKey.NotFound",
        404,
    );
    w.refused(
        &format!(
            "aliyun ecs DescribeInstances --RegionId {HZ} {}",
            f("CreationStartTime", "yesterday")
        ),
        "InvalidParameter",
        400,
    );
}

fn image_ids(w: &mut World, args: &str) -> Vec<String> {
    let r = w.ok(&format!(
        "aliyun ecs DescribeImages --RegionId {HZ} --PageSize 100 {args}"
    ));
    r["Images"]["Image"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i: &Value| i["ImageId"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn issue12_describe_images_instance_type_and_action_type() {
    let mut w = World::activated(4096);
    let all = image_ids(&mut w, "");
    assert!(!all.is_empty());
    // Every emulated image runs on every emulated type and serves both actions.
    assert_eq!(image_ids(&mut w, "--InstanceType ecs.g7.large"), all);
    assert_eq!(image_ids(&mut w, "--ActionType CreateEcs"), all);
    assert_eq!(image_ids(&mut w, "--ActionType ChangeOS"), all);
    // No image runs on a type that does not exist.
    assert_eq!(image_ids(&mut w, "--InstanceType ecs.nope.large"), Vec::<String>::new());
    w.refused(
        &format!("aliyun ecs DescribeImages --RegionId {HZ} --ActionType Destroy"),
        "InvalidParameter",
        400,
    );
}
