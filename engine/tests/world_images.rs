//! Custom images (SPEC §9, R-IMG-1/2; R-DEL-1 for their snapshots): CreateImage's rules,
//! DescribeImages' filters and paging, DeleteImage. Through the command line on the in-memory
//! store; every refusal is checked for its code and status and for changing nothing
//! (`World::refused`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{image_id, World, HZ};
use serde_json::json;

// R-IMG-1: a system-disk snapshot is required; data disks take their snapshot's size or are
// empty 5 GiB disks; the image is Creating, then Available.
#[test]
fn r_img_1_create_image_rules() {
    let mut t = World::seeded(7, 4096);
    let vm = t.vm(HZ, "");
    t.write(&vm.system, 0, "boot");
    t.write(&vm.data, 0, "data");
    let sys = t.finished_snapshot(&vm.system, "");
    let data = t.finished_snapshot(&vm.data, "");
    let c = format!("aliyun ecs CreateImage --RegionId {HZ}");

    t.refused(&format!("{c} --SnapshotId {data}"), "OperationDenied", 403);
    t.refused(
        &format!("{c} --DiskDeviceMapping.1.SnapshotId {data} --DiskDeviceMapping.1.DiskType data"),
        "OperationDenied",
        400,
    );
    t.refused(
        &format!("{c} --DiskDeviceMapping.1.SnapshotId {sys} --DiskDeviceMapping.2.SnapshotId {sys}"),
        "OperationDenied",
        400,
    );
    t.refused(
        &format!("{c} --DiskDeviceMapping.1.SnapshotId {data} --DiskDeviceMapping.1.DiskType system"),
        "OperationDenied",
        403,
    );
    t.refused(&c, "MissingParameter", 400);
    t.refused(
        &format!("{c} --SnapshotId s-bp1none"),
        "InvalidSnapshotId.NotFound",
        404,
    );
    t.refused(
        &format!("{c} --SnapshotId {sys} --ImageName 1bad"),
        "InvalidImageName.Malformed",
        400,
    );
    t.write(&vm.system, 1, "more");
    let progressing = t.start_snapshot(&vm.system, "");
    t.refused(
        &format!("{c} --SnapshotId {progressing}"),
        "InvalidSnapshotId.NotReady",
        403,
    );
    t.ok("snaplab clock run-until-idle");

    let img = image_id(&t.ok(&format!(
        "{c} --ImageName web-base --DiskDeviceMapping.1.SnapshotId {sys} --DiskDeviceMapping.2.SnapshotId {data} \
         --DiskDeviceMapping.3.DiskType data"
    )));
    assert!(img.starts_with("m-bp1"), "{img}");
    t.refused(
        &format!("{c} --SnapshotId {sys} --ImageName web-base"),
        "InvalidImageName.Duplicated",
        400,
    );

    // Creating: hidden by the default Status=Available.
    let d = format!("aliyun ecs DescribeImages --RegionId {HZ} --ImageOwnerAlias self");
    assert_eq!(t.ok(&d)["TotalCount"], 0);
    let creating = t.ok(&format!("{d} --Status Creating"));
    assert_eq!(creating["Images"]["Image"][0]["Status"], "Creating");
    t.ok("snaplab clock run-until-idle");
    let row = t.ok(&d)["Images"]["Image"][0].clone();
    assert_eq!(row["ImageId"], img.as_str());
    assert_eq!(row["Status"], "Available");
    assert_eq!(row["ImageOwnerAlias"], "self");
    assert_eq!(row["Platform"], "CentOS");
    assert_eq!(row["Size"], 40);
    assert_eq!(
        row["DiskDeviceMappings"]["DiskDeviceMapping"]
            .as_array()
            .expect("mappings")
            .iter()
            .map(|m| (
                m["SnapshotId"].clone(),
                m["Size"].clone(),
                m["Device"].clone(),
                m["Type"].clone()
            ))
            .collect::<Vec<_>>(),
        vec![
            (json!(sys), json!("40"), json!("/dev/xvda"), json!("system")),
            (json!(data), json!("20"), json!("/dev/xvdb"), json!("data")),
            (json!(""), json!("5"), json!("/dev/xvdc"), json!("data")),
        ]
    );
    assert_eq!(t.describe_snapshot(HZ, &data)["Usage"], "image");
}

// R-IMG-2 and DescribeImages: family, tags, owner alias, SnapshotId filter, paging.
#[test]
fn r_img_2_family_tags_and_describe_images() {
    let mut t = World::seeded(7, 4096);
    let vm = t.vm(HZ, "");
    let s = t.finished_snapshot(&vm.system, "");
    let img = image_id(&t.ok(&format!(
        "aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s} --ImageName golden --ImageFamily web \
         --Tag.1.Key env --Tag.1.Value prod"
    )));
    t.ok("snaplab clock run-until-idle");
    // R-IMG-2: releasing nothing of the source changes the image; it lists with its family and tags.
    let d = format!("aliyun ecs DescribeImages --RegionId {HZ}");
    let fam = t.ok(&format!("{d} --ImageFamily web"));
    assert_eq!(fam["TotalCount"], 1);
    assert_eq!(
        fam["Images"]["Image"][0]["Tags"]["Tag"],
        json!([{"TagKey": "env", "TagValue": "prod"}])
    );
    assert_eq!(
        t.ok(&format!("{d} --SnapshotId {s}"))["Images"]["Image"][0]["ImageId"],
        img.as_str()
    );
    assert_eq!(t.ok(&format!("{d} --Tag.1.Key env"))["TotalCount"], 1);
    assert_eq!(t.ok(&format!("{d} --Tag.1.Key env --Tag.1.Value dev"))["TotalCount"], 0);
    let public = snaplab_engine::catalog::public_images().len() as u64;
    let system = t.ok(&format!("{d} --ImageOwnerAlias system --PageSize 5 --PageNumber 2"));
    assert_eq!(system["TotalCount"], public);
    assert_eq!(system["PageNumber"], 2);
    assert_eq!(system["Images"]["Image"].as_array().map(Vec::len), Some(5));
    assert_eq!(t.ok(&d)["TotalCount"], public + 1);
    let first = t.ok(&format!("{d} --ImageName golden"));
    assert_eq!(first["Images"]["Image"][0]["ImageName"], "golden");
    t.refused(&format!("{d} --ImageOwnerAlias nobody"), "InvalidParameter", 400);
    t.refused(&format!("{d} --Status Broken"), "InvalidParameter", 400);
    t.refused(
        &format!("aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s} --ImageFamily aliyun-x"),
        "InvalidParameter",
        400,
    );
}

// R-DEL-1: a snapshot used by a custom image cannot be deleted (not even with Force) until
// the image is deleted; Usage shows it.
#[test]
fn r_del_1_snapshot_used_by_an_image() {
    let mut t = World::seeded(7, 4096);
    let vm = t.vm(HZ, "");
    t.write(&vm.system, 0, "boot");
    let s = t.finished_snapshot(&vm.system, "");
    let img = image_id(&t.ok(&format!("aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s}")));
    assert_eq!(t.describe_snapshot(HZ, &s)["Usage"], "image");
    let used = t.ok(&format!("aliyun ecs DescribeSnapshots --RegionId {HZ} --Usage image"));
    assert_eq!(used["TotalCount"], 1);
    t.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {s}"),
        "SnapshotCreatedImage",
        403,
    );
    t.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {s} --Force true"),
        "SnapshotCreatedImage",
        403,
    );
    t.ok(&format!("aliyun ecs DeleteImage --RegionId {HZ} --ImageId {img}"));
    assert_eq!(t.describe_snapshot(HZ, &s)["Usage"], "none");
    t.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s}"));
    assert!(!t.snapshot_exists(HZ, &s));
    // Deleting an unknown image is ignored (API.md).
    t.ok(&format!("aliyun ecs DeleteImage --RegionId {HZ} --ImageId {img}"));
    t.refused(
        &format!("aliyun ecs DeleteImage --RegionId {HZ} --ImageId centos_7_9_x64_20G_alibase_20230815.vhd"),
        "InvalidImageId.NotFound",
        404,
    );
}
