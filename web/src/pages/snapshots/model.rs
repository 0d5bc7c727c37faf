//! Snapshot rows as DescribeSnapshots returns them (API.md §1), read without panics.

use serde_json::Value;

/// One row of `Snapshots.Snapshot[]`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Snap {
    pub id: String,
    pub name: String,
    pub tags: Vec<(String, String)>,
    /// `standard` or `flash`.
    pub category: String,
    pub instant_access: bool,
    pub instant_access_days: i64,
    /// `user` or `auto`.
    pub kind: String,
    pub disk_id: String,
    /// GiB, as the API's string.
    pub disk_size: String,
    /// `system` or `data`.
    pub disk_type: String,
    pub encrypted: bool,
    pub created: String,
    pub retention_days: i64,
    pub progress: String,
    pub status: String,
    pub region: String,
    pub source_snapshot_id: String,
}

impl Snap {
    pub fn parse(v: &Value) -> Snap {
        let s = |k: &str| match v.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let b = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
        let n = |k: &str| v.get(k).and_then(Value::as_i64).unwrap_or(0);
        let tags = v
            .get("Tags")
            .and_then(|t| t.get("Tag"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|t| {
                        let g = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                        (g("TagKey"), g("TagValue"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Snap {
            id: s("SnapshotId"),
            name: s("SnapshotName"),
            tags,
            category: s("Category"),
            instant_access: b("InstantAccess"),
            instant_access_days: n("InstantAccessRetentionDays"),
            kind: s("SnapshotType"),
            disk_id: s("SourceDiskId"),
            disk_size: s("SourceDiskSize"),
            disk_type: s("SourceDiskType"),
            encrypted: b("Encrypted"),
            created: s("CreationTime"),
            retention_days: n("RetentionDays"),
            progress: s("Progress"),
            status: s("Status"),
            region: s("RegionId"),
            source_snapshot_id: s("SourceSnapshotId"),
        }
    }

    /// Every row of a DescribeSnapshots reply.
    pub fn list(reply: &Value) -> Vec<Snap> {
        reply
            .get("Snapshots")
            .and_then(|s| s.get("Snapshot"))
            .and_then(Value::as_array)
            .map(|a| a.iter().map(Snap::parse).collect())
            .unwrap_or_default()
    }

    /// The name, or the ID when there is none.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn describe_snapshots_rows_parse() {
        let reply = json!({"Snapshots": {"Snapshot": [{
            "SnapshotId": "s-1", "SnapshotName": "S1", "Category": "standard", "InstantAccess": false,
            "SnapshotType": "user", "SourceDiskId": "d-1", "SourceDiskSize": "20", "SourceDiskType": "data",
            "Encrypted": false, "CreationTime": "2026-01-01T00:00:30Z", "RetentionDays": 0,
            "Progress": "40%", "Status": "progressing", "Tags": {"Tag": [{"TagKey": "k", "TagValue": "v"}]}
        }, {"SnapshotId": "s-2"}]}});
        let rows = Snap::list(&reply);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].label(), "S1");
        assert_eq!(rows[0].tags, vec![("k".to_string(), "v".to_string())]);
        assert_eq!(rows[0].progress, "40%");
        assert_eq!(rows[1].label(), "s-2");
        assert!(Snap::list(&json!(null)).is_empty());
    }
}
