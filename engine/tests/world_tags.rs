//! Tags (R-TAG-1): TagResources / UntagResources / ListTagResources on snapshots, disks,
//! instances and images, tags in Describe replies and the Tag.N filters, and the refusals
//! (each checked for its code and status and for changing nothing: `World::refused`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{image_id, World, HZ};
use serde_json::{json, Value};

const SH: &str = "cn-shanghai";

// R-TAG-1: TagResources / UntagResources / ListTagResources on snapshots, disks, instances,
// images; tags in Describe replies and the Tag.N filter.
#[test]
fn r_tag_1_tag_untag_list() {
    let mut t = World::seeded(7, 4096);
    let vm = t.vm(HZ, "");
    let other = t.vm(HZ, "");
    let s = t.finished_snapshot(&vm.system, "");
    let img = image_id(&t.ok(&format!("aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s}")));
    let tag = |kind: &str, id: &str| {
        format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType {kind} --ResourceId.1 {id} --Tag.1.Key env --Tag.1.Value prod")
    };
    for (kind, id) in [
        ("snapshot", &s),
        ("disk", &vm.data),
        ("instance", &vm.id),
        ("image", &img),
    ] {
        t.ok(&tag(kind, id));
    }
    let rows = |v: &Value, list: &str, item: &str| -> Vec<String> {
        v[list][item]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("DiskId").or(r.get("InstanceId")).or(r.get("SnapshotId")))
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    };
    let disks = t.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId {HZ} --Tag.1.Key env --Tag.1.Value prod"
    ));
    assert_eq!(rows(&disks, "Disks", "Disk"), vec![vm.data.clone()]);
    assert_eq!(
        disks["Disks"]["Disk"][0]["Tags"]["Tag"],
        json!([{"TagKey": "env", "TagValue": "prod"}])
    );
    let inst = t.ok(&format!("aliyun ecs DescribeInstances --RegionId {HZ} --Tag.1.Key env"));
    assert_eq!(rows(&inst, "Instances", "Instance"), vec![vm.id.clone()]);
    let snaps = t.ok(&format!("aliyun ecs DescribeSnapshots --RegionId {HZ} --Tag.1.Key env"));
    assert_eq!(rows(&snaps, "Snapshots", "Snapshot"), vec![s.clone()]);

    // Re-tagging a key sets its value; ListTagResources lists one row per resource-tag pair.
    t.ok(&format!(
        "aliyun ecs TagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {} --ResourceId.2 {} \
         --Tag.1.Key env --Tag.1.Value dev --Tag.2.Key owner",
        vm.data, other.data
    ));
    let listed = t.ok(&format!(
        "aliyun ecs ListTagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {}",
        vm.data
    ));
    assert_eq!(
        listed["TagResources"]["TagResource"],
        json!([
            {"ResourceId": vm.data, "ResourceType": "disk", "TagKey": "env", "TagValue": "dev"},
            {"ResourceId": vm.data, "ResourceType": "disk", "TagKey": "owner", "TagValue": ""},
        ])
    );
    let by_tag = t.ok(&format!(
        "aliyun ecs ListTagResources --RegionId {HZ} --ResourceType disk --Tag.1.Key owner"
    ));
    assert_eq!(by_tag["TagResources"]["TagResource"].as_array().map(Vec::len), Some(4));
    t.ok(&format!(
        "aliyun ecs UntagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {} --TagKey.1 owner",
        vm.data
    ));
    t.ok(&format!(
        "aliyun ecs UntagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {} --All true",
        other.data
    ));
    let by_tag = t.ok(&format!(
        "aliyun ecs ListTagResources --RegionId {HZ} --ResourceType disk --Tag.1.Key env"
    ));
    assert_eq!(
        by_tag["TagResources"]["TagResource"],
        json!([{"ResourceId": vm.data, "ResourceType": "disk", "TagKey": "env", "TagValue": "dev"}])
    );

    // Refusals.
    let base = format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType snapshot --ResourceId.1 {s}");
    let many: String = (1..=21).map(|n| format!(" --Tag.{n}.Key k{n}")).collect();
    t.refused(&format!("{base}{many}"), "NumberExceed.Tags", 400);
    let twenty: String = (1..=20).map(|n| format!(" --Tag.{n}.Key k{n}")).collect();
    t.refused(&format!("{base}{twenty}"), "OperationDenied.QuotaExceed", 400);
    let ids: String = (1..=51).map(|n| format!(" --ResourceId.{n} {s}")).collect();
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType snapshot{ids} --Tag.1.Key k"),
        "NumberExceed.ResourceIds",
        400,
    );
    t.refused(&format!("{base} --Tag.1.Key aliyun-x"), "InvalidTagKey.Malformed", 400);
    t.refused(&format!("{base} --Tag.1.Key a --Tag.2.Key a"), "Duplicate.TagKey", 400);
    t.refused(&base, "MissingParameter.Tags", 404);
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {s} --Tag.1.Key k"),
        "InvalidResourceId.NotFound",
        404,
    );
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {SH} --ResourceType snapshot --ResourceId.1 {s} --Tag.1.Key k"),
        "InvalidResourceId.NotFound",
        404,
    );
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType bucket --ResourceId.1 {s} --Tag.1.Key k"),
        "InvalidResourceType.NotFound",
        404,
    );
    t.refused(
        &format!("aliyun ecs TagResources --ResourceType snapshot --ResourceId.1 {s} --Tag.1.Key k"),
        "MissingParameter.RegionId",
        404,
    );
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {HZ} --ResourceId.1 {s} --Tag.1.Key k"),
        "MissingParameter.ResourceType",
        404,
    );
    t.refused(
        &format!("aliyun ecs ListTagResources --RegionId {HZ} --ResourceType disk"),
        "MissingParameter",
        400,
    );
}
