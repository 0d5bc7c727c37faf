//! The data behind the block-reference view: `snaplab chain blocks --DiskId d-…` parsed into rows,
//! and the rows aggregated into columns of LBAs for one zoom level. Pure (no Yew), so it is unit
//! tested natively and measured by `examples`-style figures in the tests.

use snaplab_engine::replies::{BlockRun, ChainBlocks};
use std::rc::Rc;

/// One run of blocks in a row: `len` blocks from `lba`, the version made by write `version`,
/// owned by the row `owner` (an index into [`Chain::rows`]; `None`: in no snapshot yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub lba: u64,
    pub len: u64,
    pub owner: Option<usize>,
    pub version: u64,
    /// The block's text label (`guest write --Text B1`), for one-block runs among the first LBAs.
    pub label: Option<Rc<str>>,
}

/// A snapshot of the chain, or the live disk (the last row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The snapshot's or the disk's ID.
    pub id: String,
    pub is_disk: bool,
    /// Runs this row owns (a snapshot) or holds alone (the disk: written since the last snapshot).
    pub owned: Vec<Run>,
    /// Runs it references from an earlier snapshot (with their owner).
    pub referenced: Vec<Run>,
    pub owned_blocks: u64,
    pub referenced_blocks: u64,
}

/// A disk's chain, oldest snapshot first, the live disk last when it still exists.
// `Eq` lets `Rc<Chain>` props compare by pointer first: a re-read chain that did not change
// does not redraw the view.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Chain {
    pub disk_id: String,
    pub block_size: u64,
    pub capacity_blocks: u64,
    pub capacity_bytes: u64,
    /// The largest size (in blocks) of any row: the width of the picture.
    pub size_blocks: u64,
    pub rows: Vec<Row>,
}

impl Chain {
    /// The rows of a `snaplab chain blocks` reply. Unknown owners (an ID not in the chain) are
    /// kept as `None`.
    pub fn from_reply(v: &ChainBlocks) -> Chain {
        let ids: Vec<&str> = v.snapshots.iter().map(|r| r.snapshot_id.as_str()).collect();
        let runs = |runs: &[BlockRun]| -> Vec<Run> {
            runs.iter()
                .map(|r| Run {
                    lba: r.lba,
                    len: r.blocks,
                    owner: r.owner.as_deref().and_then(|o| ids.iter().position(|i| *i == o)),
                    version: r.version,
                    label: r.label.as_deref().map(Rc::from),
                })
                .collect()
        };
        let mut rows: Vec<Row> = v
            .snapshots
            .iter()
            .map(|r| Row {
                id: r.snapshot_id.clone(),
                is_disk: false,
                owned: runs(&r.owned),
                referenced: runs(&r.referenced),
                owned_blocks: r.owned_blocks,
                referenced_blocks: r.referenced_blocks,
            })
            .collect();
        let mut size_blocks = v.snapshots.iter().map(|r| r.size_blocks).max().unwrap_or(0);
        if let Some(d) = &v.disk {
            size_blocks = size_blocks.max(d.size_blocks);
            rows.push(Row {
                id: d.disk_id.clone(),
                is_disk: true,
                owned: runs(&d.written),
                referenced: runs(&d.referenced),
                owned_blocks: d.written_blocks,
                referenced_blocks: d.referenced_blocks,
            });
        }
        Chain {
            disk_id: v.disk_id.clone(),
            block_size: v.block_size,
            capacity_blocks: v.capacity_blocks,
            capacity_bytes: v.capacity_bytes,
            size_blocks,
            rows,
        }
    }

    /// One past the last written LBA of any row (0 when nothing was ever written).
    pub fn used_end(&self) -> u64 {
        self.rows
            .iter()
            .flat_map(|r| r.owned.iter().chain(&r.referenced))
            .map(|r| r.lba + r.len)
            .max()
            .unwrap_or(0)
    }

    /// The index of a snapshot's row.
    pub fn row_of(&self, id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.id == id)
    }
}

/// The most columns one zoom level draws.
pub const MAX_COLS: u64 = 128;

/// Which LBAs the picture shows: `cols` columns of `per_col` blocks from `start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: u64,
    pub per_col: u64,
    pub cols: u64,
}

impl Window {
    /// The whole written range at the finest zoom that fits in [`MAX_COLS`] columns; blocks per
    /// column are a power of two so zooming halves or doubles them.
    pub fn fit(end: u64) -> Window {
        let end = end.max(1);
        let per_col = end.div_ceil(MAX_COLS).next_power_of_two();
        Window {
            start: 0,
            per_col,
            cols: end.div_ceil(per_col),
        }
    }

    /// One past the last LBA shown.
    pub fn end(&self) -> u64 {
        self.start + self.per_col * self.cols
    }

    /// Twice finer around column `col` (clamped to `[0, limit)`); `None` at one block a column.
    pub fn zoom_in(&self, col: u64, limit: u64) -> Option<Window> {
        if self.per_col == 1 {
            return None;
        }
        let per_col = self.per_col / 2;
        let centre = self.start + col.min(self.cols.saturating_sub(1)) * self.per_col + self.per_col / 2;
        let cols = MAX_COLS.min(limit.div_ceil(per_col)).max(1);
        let span = cols * per_col;
        let start = centre.saturating_sub(span / 2) / per_col * per_col;
        let start = start.min(limit.saturating_sub(span).div_ceil(per_col) * per_col);
        Some(Window { start, per_col, cols })
    }

    /// Twice coarser, keeping the start aligned; `None` once everything up to `limit` fits.
    pub fn zoom_out(&self, limit: u64) -> Option<Window> {
        if self.start == 0 && self.end() >= limit {
            return None;
        }
        let per_col = self.per_col * 2;
        let cols = MAX_COLS.min(limit.div_ceil(per_col)).max(1);
        let start =
            (self.start / per_col * per_col).min(limit.saturating_sub(cols * per_col).div_ceil(per_col) * per_col);
        Some(Window { start, per_col, cols })
    }

    /// Moves by `dir` half-screens (negative: left), clamped to `[0, limit)`.
    pub fn pan(&self, dir: i64, limit: u64) -> Window {
        let step = (self.cols / 2).max(1) * self.per_col;
        let max_start = limit.saturating_sub(self.cols * self.per_col).div_ceil(self.per_col) * self.per_col;
        let start = if dir < 0 {
            self.start.saturating_sub(step * dir.unsigned_abs())
        } else {
            (self.start + step * dir as u64).min(max_start)
        };
        Window { start, ..*self }
    }
}

/// What a cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Empty,
    /// Only blocks the row owns (the disk: blocks in no snapshot yet).
    Owned,
    /// Only blocks the row references from an earlier snapshot.
    Referenced,
    /// Both.
    Mixed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Empty => "empty",
            State::Owned => "owned",
            State::Referenced => "referenced",
            State::Mixed => "mixed",
        }
    }
}

/// Sentinel for "the referenced blocks of this cell have several owners".
pub const SEVERAL: usize = usize::MAX;

/// One column of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub owned: u64,
    pub referenced: u64,
    /// Owner row of the referenced blocks (`SEVERAL` when more than one, `None` when none).
    pub ref_owner: Option<usize>,
    /// Write (version) of the cell's blocks when the cell is one block; else 0.
    pub version: u64,
    /// The block's text label when the cell is one block and the engine gave one.
    pub label: Option<Rc<str>>,
}

impl Cell {
    const EMPTY: Cell = Cell {
        owned: 0,
        referenced: 0,
        ref_owner: None,
        version: 0,
        label: None,
    };

    pub fn state(&self) -> State {
        match (self.owned > 0, self.referenced > 0) {
            (false, false) => State::Empty,
            (true, false) => State::Owned,
            (false, true) => State::Referenced,
            (true, true) => State::Mixed,
        }
    }
}

/// Every row's cells for `w`: `rows × w.cols`, O(runs + rows × cols).
pub fn grid(chain: &Chain, w: Window) -> Vec<Vec<Cell>> {
    chain
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![Cell::EMPTY; w.cols as usize];
            for (run, owned) in row
                .owned
                .iter()
                .map(|r| (r, true))
                .chain(row.referenced.iter().map(|r| (r, false)))
            {
                let (s, e) = (run.lba.max(w.start), (run.lba + run.len).min(w.end()));
                if s >= e {
                    continue;
                }
                let mut c = (s - w.start) / w.per_col;
                let mut pos = s;
                while pos < e {
                    let col_end = w.start + (c + 1) * w.per_col;
                    let n = col_end.min(e) - pos;
                    let cell = &mut cells[c as usize];
                    if owned {
                        cell.owned += n;
                    } else {
                        cell.referenced += n;
                        cell.ref_owner = match (cell.ref_owner, run.owner) {
                            (None, o) => o.or(Some(SEVERAL)),
                            (Some(a), Some(b)) if a == b => Some(a),
                            _ => Some(SEVERAL),
                        };
                    }
                    if w.per_col == 1 {
                        cell.version = run.version + (pos - run.lba);
                        cell.label = if run.len == 1 { run.label.clone() } else { None };
                    }
                    pos += n;
                    c += 1;
                }
            }
            cells
        })
        .collect()
}

/// The text labels of one-block columns (A, B1, … as written by `snaplab guest write --Text`,
/// R-INC-3); `None` where the engine gave none or a column holds several blocks.
pub fn labels(grid: &[Vec<Cell>], w: Window) -> Vec<Vec<Option<String>>> {
    grid.iter()
        .map(|row| {
            row.iter()
                .map(|cell| {
                    (w.per_col == 1 && cell.state() != State::Empty)
                        .then(|| cell.label.as_deref().map(str::to_string))
                        .flatten()
                })
                .collect()
        })
        .collect()
}

/// Consecutive cells of a row drawn as one rectangle: `[from, to)` columns with the same look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub from: usize,
    pub to: usize,
    pub state: State,
    pub ref_owner: Option<usize>,
    /// Filled share of the span's blocks, in tenths (1..=10), for the cell's opacity.
    pub fill: u8,
    pub owned: u64,
    pub referenced: u64,
}

/// The spans of one row (empty cells are not drawn): at most one per column, usually far fewer
/// when zoomed out; at one block a column, one per written block.
pub fn spans(cells: &[Cell], per_col: u64) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (c, cell) in cells.iter().enumerate() {
        let state = cell.state();
        if state == State::Empty {
            continue;
        }
        let fill = (((cell.owned + cell.referenced) * 10).div_ceil(per_col)).clamp(1, 10) as u8;
        match out.last_mut() {
            // One block a column: every cell its own rectangle (so it can carry its label).
            Some(s)
                if per_col > 1 && s.to == c && s.state == state && s.ref_owner == cell.ref_owner && s.fill == fill =>
            {
                s.to = c + 1;
                s.owned += cell.owned;
                s.referenced += cell.referenced;
            }
            _ => out.push(Span {
                from: c,
                to: c + 1,
                state,
                ref_owner: cell.ref_owner,
                fill,
                owned: cell.owned,
                referenced: cell.referenced,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use snaplab_engine::replies::Reply;

    /// `snaplab chain blocks` after R-INC-3's S3 (IDs shortened), with the live disk.
    fn inc3() -> Value {
        let label = |v: u64| match v {
            3 => "A",
            4 => "B",
            5 => "C",
            6 => "D",
            8 => "B1",
            9 => "C1",
            _ => "B2",
        };
        let run = |lba: u64, owner: &str, version: u64| json!({"Lba": lba, "Blocks": 1, "Owner": owner, "Version": version, "Label": label(version)});
        json!({
            "DiskId": "d-1", "BlockSize": 4096, "CapacityBlocks": 7, "CapacityBytes": 28672,
            "Snapshots": [
                {"SnapshotId": "s-1", "SizeBlocks": 8, "OwnedBlocks": 4, "ReferencedBlocks": 0,
                 "Owned": [run(0, "s-1", 3), run(1, "s-1", 4), run(2, "s-1", 5), run(3, "s-1", 6)], "Referenced": []},
                {"SnapshotId": "s-2", "SizeBlocks": 8, "OwnedBlocks": 2, "ReferencedBlocks": 2,
                 "Owned": [run(1, "s-2", 8), run(2, "s-2", 9)], "Referenced": [run(0, "s-1", 3), run(3, "s-1", 6)]},
                {"SnapshotId": "s-3", "SizeBlocks": 8, "OwnedBlocks": 1, "ReferencedBlocks": 3,
                 "Owned": [run(1, "s-3", 11)], "Referenced": [run(0, "s-1", 3), run(2, "s-2", 9), run(3, "s-1", 6)]},
            ],
            "Disk": {"DiskId": "d-1", "SizeBlocks": 8, "WrittenBlocks": 0, "ReferencedBlocks": 4, "Written": [],
                     "Referenced": [run(0, "s-1", 3), run(1, "s-3", 11), run(2, "s-2", 9), run(3, "s-1", 6)]},
        })
    }

    // R-INC-3: every snapshot a row, every block a cell; owned vs referenced with the owner.
    #[test]
    fn the_r_inc_3_chain_is_one_cell_per_block_with_owners_and_labels() {
        let chain = Chain::from_reply(&ChainBlocks::from_json(&inc3()).unwrap());
        assert_eq!(chain.rows.len(), 4);
        assert!(chain.rows[3].is_disk);
        assert_eq!(chain.used_end(), 4);
        let w = Window::fit(chain.used_end());
        assert_eq!(
            w,
            Window {
                start: 0,
                per_col: 1,
                cols: 4
            }
        );
        let g = grid(&chain, w);
        let states = |r: usize| g[r].iter().map(|c| c.state().as_str()).collect::<Vec<_>>().join(",");
        assert_eq!(states(0), "owned,owned,owned,owned");
        assert_eq!(states(1), "referenced,owned,owned,referenced");
        assert_eq!(states(2), "referenced,owned,referenced,referenced");
        assert_eq!(g[2][2].ref_owner, Some(1), "S3 references C1 from S2");
        assert_eq!(states(3), "referenced,referenced,referenced,referenced");
        let l = labels(&g, w);
        let text = |r: usize| {
            l[r].iter()
                .map(|x| x.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",")
        };
        assert_eq!(text(0), "A,B,C,D");
        assert_eq!(text(1), "A,B1,C1,D");
        assert_eq!(text(2), "A,B2,C1,D");
        assert_eq!(text(3), "A,B2,C1,D", "restoring S3 yields A, B2, C1, D");
    }

    // A reply without the shape of `chain blocks` is an error (shown as such), not an empty chain.
    #[test]
    fn malformed_replies_do_not_decode() {
        for v in [
            json!(null),
            json!({"Snapshots": 3}),
            json!({"Snapshots": [{"Owned": [{"Lba": "x"}]}]}),
        ] {
            let e = ChainBlocks::from_json(&v).unwrap_err();
            assert_eq!(e.command, "snaplab chain blocks");
        }
    }

    // An owner that is not a snapshot of the chain is kept as `None`; a released disk (its
    // `Disk` null) leaves only the snapshots' rows.
    #[test]
    fn unknown_owners_and_a_released_disk() {
        let mut v = inc3();
        v["Snapshots"][1]["Referenced"][0]["Owner"] = json!("s-gone");
        v["Disk"] = Value::Null;
        let chain = Chain::from_reply(&ChainBlocks::from_json(&v).unwrap());
        assert_eq!(chain.rows.len(), 3);
        assert!(chain.rows.iter().all(|r| !r.is_disk));
        assert_eq!(chain.rows[1].referenced[0].owner, None);
        assert_eq!(chain.rows[1].referenced[1].owner, Some(0));
    }

    #[test]
    fn large_disks_aggregate_into_at_most_128_columns_and_zoom_by_halves() {
        let blocks = 40u64 << 18; // 40 GiB of 4 KiB blocks
        let w = Window::fit(blocks);
        assert!(w.cols <= MAX_COLS && w.end() >= blocks);
        assert!(w.per_col.is_power_of_two());
        let inner = w.zoom_in(10, blocks).unwrap();
        assert_eq!(inner.per_col, w.per_col / 2);
        assert!(inner.start <= 10 * w.per_col + w.per_col / 2 && inner.end() > 10 * w.per_col);
        assert_eq!(inner.zoom_out(blocks).unwrap().per_col, w.per_col);
        assert_eq!(w.zoom_out(blocks), None);
        let mut z = w;
        while let Some(n) = z.zoom_in(0, blocks) {
            z = n;
        }
        assert_eq!((z.per_col, z.start), (1, 0));
        let far = z.pan(1_000_000_000, blocks);
        assert_eq!(far.end(), blocks);
        assert_eq!(far.pan(-1_000_000_000, blocks).start, 0);
    }

    #[test]
    fn aggregated_cells_count_blocks_and_spans_merge_equal_neighbours() {
        let chain = Chain {
            rows: vec![Row {
                id: "s-1".into(),
                is_disk: false,
                owned: vec![Run {
                    lba: 0,
                    len: 900,
                    owner: Some(0),
                    version: 1,
                    label: None,
                }],
                referenced: vec![],
                owned_blocks: 900,
                referenced_blocks: 0,
            }],
            ..Chain::default()
        };
        let w = Window {
            start: 0,
            per_col: 256,
            cols: 4,
        };
        let g = grid(&chain, w);
        assert_eq!(
            g[0].iter().map(|c| c.owned).collect::<Vec<_>>(),
            vec![256, 256, 256, 132]
        );
        let s = spans(&g[0], w.per_col);
        assert_eq!(s.len(), 2, "three full columns, then a half-full one");
        assert_eq!((s[0].from, s[0].to, s[0].fill, s[1].fill), (0, 3, 10, 6));
        let w = Window {
            start: 0,
            per_col: 4096,
            cols: 1,
        };
        assert_eq!(spans(&grid(&chain, w)[0], w.per_col)[0].fill, 3);
    }
}
