//! The in-memory store: every target, used natively by tests and the `snaplab` runner.

use super::{Store, StoreError, Table, WriteBatch, WriteOp};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

type Tables = BTreeMap<Table, BTreeMap<String, Vec<u8>>>;

/// A store held in memory. Clones share the same data, like two connections to one database.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    tables: Rc<RefCell<Tables>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    async fn get(&self, table: Table, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let tables = self.tables.borrow();
        let t = tables.get(&table);
        Ok(keys.iter().map(|k| t.and_then(|t| t.get(k).cloned())).collect())
    }

    async fn keys(&self, table: Table) -> Result<Vec<String>, StoreError> {
        Ok(self
            .tables
            .borrow()
            .get(&table)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default())
    }

    async fn commit(&self, batch: WriteBatch) -> Result<(), StoreError> {
        // Nothing in here can fail part-way, so applying in order is atomic.
        let mut tables = self.tables.borrow_mut();
        for op in batch.ops {
            match op {
                WriteOp::Put { table, key, value } => {
                    tables.entry(table).or_default().insert(key, value);
                }
                WriteOp::Delete { table, key } => {
                    if let Some(t) = tables.get_mut(&table) {
                        t.remove(&key);
                    }
                }
            }
        }
        Ok(())
    }
}
