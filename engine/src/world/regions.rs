//! DescribeRegions, DescribeZones.

use super::Outcome;
use crate::catalog::{self, DiskCategory};
use crate::request::Params;
use serde_json::{json, Value};

pub fn describe_regions(p: &Params) -> Outcome<Value> {
    let lang = p.get("AcceptLanguage")?.unwrap_or("zh-CN");
    let regions: Vec<Value> = catalog::regions()
        .iter()
        .map(|r| {
            json!({
                "RegionId": r.id,
                "LocalName": r.local_name_for(lang),
                "RegionEndpoint": r.endpoint,
                "Status": "available",
            })
        })
        .collect();
    Ok(json!({ "Regions": { "Region": regions } }))
}

pub fn describe_zones(p: &Params, region: &'static str) -> Outcome<Value> {
    let lang = p.get("AcceptLanguage")?.unwrap_or("zh-CN");
    let region = catalog::region(region).into_iter();
    let categories: Vec<&str> = DiskCategory::CLOUD.iter().map(|c| c.as_str()).collect();
    let types: Vec<&str> = catalog::instance_types().iter().map(|t| t.id).collect();
    let zones: Vec<Value> = region
        .flat_map(|r| r.zones.iter())
        .map(|z| {
            json!({
                "ZoneId": z.id,
                "LocalName": z.local_name_for(lang),
                "ZoneType": "AvailabilityZone",
                "AvailableResourceCreation": { "ResourceTypes": ["Instance", "Disk"] },
                "AvailableDiskCategories": { "DiskCategories": categories },
                "AvailableInstanceTypes": { "InstanceTypes": types },
            })
        })
        .collect();
    Ok(json!({ "Zones": { "Zone": zones } }))
}
