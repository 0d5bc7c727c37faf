//! TagResources, UntagResources, ListTagResources (R-TAG-1, API.md §6) for snapshots, disks,
//! instances and custom images; the tag display and `Tag.N` filter shared by the Describe
//! actions.
//!
//! Snapshots and images keep their tags on themselves; disks and instances in
//! [`World::resource_tags`] (pruned when the resource goes).

use super::model::Tag;
use super::{Outcome, World};
use crate::catalog;
use crate::error::{EcsError, MissingNamed, Resource};
use crate::request::Params;
use serde_json::{json, Value};

/// Tags per resource (API.md §6).
pub const MAX_TAGS_PER_RESOURCE: usize = 20;
/// Resources per request.
pub const MAX_RESOURCES: usize = 50;
/// Rows per ListTagResources page.
const LIST_PAGE: usize = 50;

/// The resource types Snaplab can tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Snapshot,
    Disk,
    Instance,
    Image,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Snapshot => "snapshot",
            Kind::Disk => "disk",
            Kind::Instance => "instance",
            Kind::Image => "image",
        }
    }
}

/// The region of a tag action: absent → `MissingParameter.RegionId` (404, the tag actions'
/// own code).
pub fn region(region: Option<&str>) -> Outcome<&'static str> {
    let id = region.ok_or(EcsError::MissingParameterNamed(MissingNamed::RegionId))?;
    catalog::region(id)
        .map(|r| r.id)
        .ok_or_else(|| EcsError::not_found(Resource::Region, id).into())
}

/// `ResourceType`: absent → `MissingParameter.ResourceType`; a type ECS knows but Snaplab does
/// not emulate (security groups, ENIs…) or an unknown one → `InvalidResourceType.NotFound`.
fn kind(p: &Params) -> Outcome<Kind> {
    let t = p
        .get("ResourceType")?
        .ok_or(EcsError::MissingParameterNamed(MissingNamed::ResourceType))?;
    match t.to_ascii_lowercase().as_str() {
        "snapshot" => Ok(Kind::Snapshot),
        "disk" => Ok(Kind::Disk),
        "instance" => Ok(Kind::Instance),
        "image" => Ok(Kind::Image),
        _ => Err(EcsError::not_found(Resource::ResourceType, t).into()),
    }
}

/// `ResourceId.N`, at most 50.
fn resource_ids(p: &Params) -> Outcome<Vec<String>> {
    let ids: Vec<String> = p.list("ResourceId")?.into_iter().map(str::to_string).collect();
    if ids.len() > MAX_RESOURCES {
        return Err(EcsError::NumberExceedResourceIds.into());
    }
    Ok(ids)
}

/// IDs of every resource of `kind` in `region`.
fn all_ids(w: &World, kind: Kind, region: &str) -> Vec<String> {
    match kind {
        Kind::Snapshot => w
            .snapshots
            .values()
            .filter(|s| s.region == region)
            .map(|s| s.id.clone())
            .collect(),
        Kind::Disk => w
            .disks
            .values()
            .filter(|d| d.region == region)
            .map(|d| d.id.clone())
            .collect(),
        Kind::Instance => w
            .instances
            .values()
            .filter(|i| i.region == region)
            .map(|i| i.id.clone())
            .collect(),
        Kind::Image => w
            .images
            .values()
            .filter(|i| i.region == region)
            .map(|i| i.id.clone())
            .collect(),
    }
}

fn exists(w: &World, kind: Kind, region: &str, id: &str) -> bool {
    match kind {
        Kind::Snapshot => w.snapshots.get(id).is_some_and(|s| s.region == region),
        Kind::Disk => w.disks.get(id).is_some_and(|d| d.region == region),
        Kind::Instance => w.instances.get(id).is_some_and(|i| i.region == region),
        Kind::Image => w.images.get(id).is_some_and(|i| i.region == region),
    }
}

fn current(w: &World, kind: Kind, id: &str) -> Vec<Tag> {
    match kind {
        Kind::Snapshot => w.snapshots.get(id).map(|s| s.tags.clone()).unwrap_or_default(),
        Kind::Image => w.images.get(id).map(|i| i.tags.clone()).unwrap_or_default(),
        Kind::Disk | Kind::Instance => w.resource_tags.get(id).cloned().unwrap_or_default(),
    }
}

fn set(w: &mut World, kind: Kind, id: &str, tags: Vec<Tag>) {
    match kind {
        Kind::Snapshot => {
            if let Some(s) = w.snapshots.get_mut(id) {
                s.tags = tags;
            }
        }
        Kind::Image => {
            if let Some(i) = w.images.get_mut(id) {
                i.tags = tags;
            }
        }
        Kind::Disk | Kind::Instance => {
            if tags.is_empty() {
                w.resource_tags.remove(id);
            } else {
                w.resource_tags.insert(id.to_string(), tags);
            }
        }
    }
}

/// Every named resource must exist in the region with that type.
fn check_exist(w: &World, kind: Kind, region: &str, ids: &[String]) -> Outcome<()> {
    match ids.iter().find(|id| !exists(w, kind, region, id)) {
        Some(id) => Err(EcsError::not_found(Resource::TaggedResource, id.as_str()).into()),
        None => Ok(()),
    }
}

/// TagResources: adds tags (a key already there gets the new value).
pub fn tag(w: &mut World, p: &Params, region: &'static str) -> Outcome<Value> {
    let kind = kind(p)?;
    let ids = resource_ids(p)?;
    if ids.is_empty() {
        return Err(EcsError::missing("ResourceId.N").into());
    }
    let raw = p.tags("Tag")?;
    if raw.is_empty() {
        return Err(EcsError::MissingParameterNamed(MissingNamed::Tags).into());
    }
    if raw.len() > MAX_TAGS_PER_RESOURCE {
        return Err(EcsError::NumberExceedTags.into());
    }
    let new = super::snapshots::check_tags(raw)?;
    check_exist(w, kind, region, &ids)?;
    let mut updated = Vec::new();
    for id in &ids {
        let mut tags = current(w, kind, id);
        for t in &new {
            match tags.iter_mut().find(|x| x.key == t.key) {
                Some(x) => x.value = t.value.clone(),
                None => tags.push(t.clone()),
            }
        }
        // API.md §6: more than 20 on one resource is `OperationDenied.QuotaExceed` (a request
        // with more than 20 tags is `NumberExceed.Tags`, above).
        if tags.len() > MAX_TAGS_PER_RESOURCE {
            return Err(EcsError::OperationDeniedQuotaExceed.into());
        }
        updated.push((id.clone(), tags));
    }
    for (id, tags) in updated {
        set(w, kind, &id, tags);
    }
    Ok(json!({}))
}

/// UntagResources: removes the keys `TagKey.N`, or every tag with `All=true` and no key.
pub fn untag(w: &mut World, p: &Params, region: &'static str) -> Outcome<Value> {
    let kind = kind(p)?;
    let ids = resource_ids(p)?;
    if ids.is_empty() {
        return Err(EcsError::missing("ResourceId.N").into());
    }
    let keys: Vec<String> = p.list("TagKey")?.into_iter().map(str::to_string).collect();
    if keys.len() > MAX_TAGS_PER_RESOURCE {
        return Err(EcsError::NumberExceedTags.into());
    }
    let all = p.bool("All")?.unwrap_or(false);
    check_exist(w, kind, region, &ids)?;
    for id in &ids {
        let tags = current(w, kind, id);
        let kept: Vec<Tag> = if keys.is_empty() {
            // `All` is used only when no TagKey is given (API.md §6).
            if all {
                Vec::new()
            } else {
                tags
            }
        } else {
            tags.into_iter().filter(|t| !keys.contains(&t.key)).collect()
        };
        set(w, kind, id, kept);
    }
    Ok(json!({}))
}

/// A `TagFilter.N` condition: a key and any of its values (`v*` matches by prefix; no values:
/// any value).
struct TagFilter {
    key: String,
    values: Vec<String>,
}

impl TagFilter {
    fn matches(&self, tags: &[Tag]) -> bool {
        tags.iter().any(|t| {
            t.key == self.key
                && (self.values.is_empty()
                    || self.values.iter().any(|v| match v.strip_suffix('*') {
                        Some(prefix) => t.value.starts_with(prefix),
                        None => t.value == *v,
                    }))
        })
    }
}

fn tag_filters(p: &Params) -> Outcome<Vec<TagFilter>> {
    let mut out = Vec::new();
    for n in 1..=MAX_TAGS_PER_RESOURCE + 1 {
        let prefix = format!("TagFilter.{n}");
        if !p.iter().any(|(k, _, _)| k.starts_with(&format!("{prefix}."))) {
            break;
        }
        if n > MAX_TAGS_PER_RESOURCE {
            return Err(EcsError::NumberExceedTags.into());
        }
        let key = p.require(&format!("{prefix}.TagKey"))?.to_string();
        let values = p
            .list(&format!("{prefix}.TagValues"))?
            .into_iter()
            .map(str::to_string)
            .collect();
        out.push(TagFilter { key, values });
    }
    Ok(out)
}

/// ListTagResources: one row per resource–tag pair of the matching resources.
pub fn list(w: &World, p: &Params, region: &'static str) -> Outcome<Value> {
    let kind = kind(p)?;
    let ids = resource_ids(p)?;
    let raw = p.tags("Tag")?;
    if raw.len() > MAX_TAGS_PER_RESOURCE {
        return Err(EcsError::NumberExceedTags.into());
    }
    let wanted = super::snapshots::check_tags(raw)?;
    let filters = tag_filters(p)?;
    if ids.is_empty() && wanted.is_empty() && filters.is_empty() {
        return Err(EcsError::MissingParameterOneOf {
            names: vec!["ResourceId.N".into(), "Tag.N".into(), "TagFilter.N".into()],
        }
        .into());
    }
    let mut rows = Vec::new();
    for id in all_ids(w, kind, region) {
        if !ids.is_empty() && !ids.contains(&id) {
            continue;
        }
        let tags = current(w, kind, &id);
        if !matches(Some(&tags), &wanted) || !filters.iter().all(|f| f.matches(&tags)) {
            continue;
        }
        for t in &tags {
            rows.push(json!({
                "ResourceId": id,
                "ResourceType": kind.as_str(),
                "TagKey": t.key,
                "TagValue": t.value,
            }));
        }
    }
    let start = match p.get("NextToken")? {
        None | Some("") => 0,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= rows.len())
            .ok_or_else(|| EcsError::invalid("NextToken", ""))?,
    };
    let end = start.saturating_add(LIST_PAGE).min(rows.len());
    let next = if end < rows.len() {
        end.to_string()
    } else {
        String::new()
    };
    let page: Vec<Value> = rows.into_iter().skip(start).take(end - start).collect();
    Ok(json!({
        "NextToken": next,
        "TagResources": { "TagResource": page },
    }))
}

/// Whether `tags` has every wanted tag (`Tag.N` filters: exact key; an empty value matches
/// any value).
pub fn matches(tags: Option<&Vec<Tag>>, wanted: &[Tag]) -> bool {
    wanted.iter().all(|w| {
        tags.is_some_and(|tags| {
            tags.iter()
                .any(|t| t.key == w.key && (w.value.is_empty() || t.value == w.value))
        })
    })
}

/// Puts `tags` into a Describe row's `Tags.Tag[]` (`TagKey` / `TagValue`).
pub fn with_tags(mut row: Value, tags: Option<&Vec<Tag>>) -> Value {
    if let Value::Object(map) = &mut row {
        let list = tags.map(|t| super::model::tags_json(t)).unwrap_or_default();
        map.insert("Tags".into(), json!({ "Tag": list }));
    }
    row
}

/// Forgets the tags of disks and instances that no longer exist.
pub fn prune(w: &mut World) {
    let (disks, instances) = (&w.disks, &w.instances);
    w.resource_tags
        .retain(|id, _| disks.contains_key(id) || instances.contains_key(id));
}
