//! Small readers of reply JSON.

use serde_json::Value;

/// A field as text (numbers and booleans printed), empty when absent.
pub fn s(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

pub fn b(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The array at a dotted path (`Disks.Disk`), empty when absent.
pub fn list<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut cur = v;
    for part in path.split('.') {
        match cur.get(part) {
            Some(next) => cur = next,
            None => return Vec::new(),
        }
    }
    cur.as_array().map(|a| a.iter().collect()).unwrap_or_default()
}
