//! The in-memory store: every target, used natively by tests and the `snaplab` runner.

use super::{FaultInjection, Store, StoreError, Table, WriteBatch, WriteOp};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

type Tables = BTreeMap<Table, BTreeMap<String, Vec<u8>>>;

/// A store held in memory. Clones share the same data, like two connections to one database.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    tables: Rc<RefCell<Tables>>,
    /// [`FaultInjection`]: the write of the next commit that fails.
    fail_at: Rc<Cell<Option<usize>>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    /// The values, read when the read starts.
    type Pending = Vec<Option<Vec<u8>>>;

    fn start_get(&self, table: Table, keys: &[String]) -> Result<Self::Pending, StoreError> {
        let tables = self.tables.borrow();
        let t = tables.get(&table);
        Ok(keys.iter().map(|k| t.and_then(|t| t.get(k).cloned())).collect())
    }

    async fn finish_get(&self, pending: Self::Pending) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        Ok(pending)
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
        let mut tables = self.tables.borrow_mut();
        if let Some(n) = self.fail_at.take() {
            // Apply to a copy, fail at write `n`, drop the copy: nothing reaches the tables.
            let mut staged = tables.clone();
            for (i, op) in batch.ops.iter().enumerate() {
                if i + 1 == n {
                    return Err(StoreError::Backend(format!("injected failure at write {n}")));
                }
                apply(&mut staged, op.clone());
            }
            *tables = staged;
            return Ok(());
        }
        // Nothing in here can fail part-way, so applying in order is atomic.
        for op in batch.ops {
            apply(&mut tables, op);
        }
        Ok(())
    }
}

impl FaultInjection for MemoryStore {
    fn fail_at_write(&self, n: usize) {
        self.fail_at.set(Some(n));
    }
}

fn apply(tables: &mut Tables, op: WriteOp) {
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
