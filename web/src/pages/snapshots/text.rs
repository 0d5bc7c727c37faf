//! The Snapshots pages' texts, in English and 中文 (the pattern of `crate::i18n::Text`: a missing
//! translation does not compile). ECS console wording where the console has one (SPEC §16).

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum T {
    // Block view
    NoChainRows,
    BlockViewControls,
    ZoomIn,
    ZoomOut,
    PanLeft,
    PanRight,
    ZoomFit,
    BlocksPerColumn,
    Chart,
    TableMode,
    Legend,
    LegendOwned,
    LegendReferenced,
    LegendUnsaved,
    LegendMixed,
    Unsaved,
    Owns,
    References,
    SeveralSnapshots,
    UnsavedBlocks,
    OwnedBlocks,
    ReferencedBlocksFrom,
    LiveDisk,
    BlockViewOf,
    TableTooWide,
    EmptyCell,
    SnapshotOrDisk,
    // Merge preview
    NoSuccessor,
    MergePreview,
    MergePreviewOf,
    FreedVersions,
    MovedVersions,
    ChainCapacity,
    RegionCapacity,
    MonthlyCost,
    Saving,
    MergeExplain,
}

impl T {
    pub fn get(self, lang: Lang) -> &'static str {
        let (en, zh) = self.pair();
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    fn pair(self) -> (&'static str, &'static str) {
        use T::*;
        match self {
            NoChainRows => ("This disk has no snapshots and no written blocks yet.", "该云盘还没有快照，也没有写入的数据块。"),
            BlockViewControls => ("Block view controls", "数据块视图控制"),
            ZoomIn => ("Zoom in", "放大"),
            ZoomOut => ("Zoom out", "缩小"),
            PanLeft => ("Earlier blocks", "前面的数据块"),
            PanRight => ("Later blocks", "后面的数据块"),
            ZoomFit => ("Fit", "适应"),
            BlocksPerColumn => ("blocks per column", "个数据块/列"),
            Chart => ("Chart", "图形"),
            TableMode => ("Table", "表格"),
            Legend => ("Legend", "图例"),
            LegendOwned => ("owned (stored by this snapshot)", "独占（本快照存储）"),
            LegendReferenced => (
                "referenced (stored by an earlier snapshot, in its colour)",
                "引用（由更早的快照存储，显示其颜色）",
            ),
            LegendUnsaved => ("written since the last snapshot", "上次快照后写入"),
            LegendMixed => ("both, zoomed out", "两者皆有（缩小视图）"),
            Unsaved => ("new", "新写入"),
            Owns => ("owns", "独占"),
            References => ("references", "引用"),
            SeveralSnapshots => ("several snapshots", "多个快照"),
            UnsavedBlocks => ("block(s) in no snapshot yet", "个数据块尚未进入快照"),
            OwnedBlocks => ("block(s) owned", "个独占数据块"),
            ReferencedBlocksFrom => ("block(s) referenced from", "个数据块引用自"),
            LiveDisk => ("Disk", "云盘"),
            BlockViewOf => ("Block references of", "数据块引用："),
            TableTooWide => (
                "The table shows at most 64 columns: zoom in first.",
                "表格最多显示 64 列，请先放大。",
            ),
            EmptyCell => ("empty", "空"),
            SnapshotOrDisk => ("Snapshot / disk", "快照 / 云盘"),
            NoSuccessor => ("no later snapshot", "没有后续快照"),
            MergePreview => ("Deletion preview", "删除预览"),
            MergePreviewOf => ("Deleting", "删除"),
            FreedVersions => ("Block versions freed", "释放的数据块版本"),
            MovedVersions => ("Block versions moved to the next snapshot", "合并到后一个快照的数据块版本"),
            ChainCapacity => ("Chain capacity", "快照链容量"),
            RegionCapacity => ("Region capacity", "地域快照容量"),
            MonthlyCost => ("Estimated monthly cost (region)", "预估月费用（地域）"),
            Saving => ("saving", "节省"),
            MergeExplain => (
                "Blocks that later snapshots still reference are not freed: they move to the next snapshot, which becomes their owner. Only the rest is released.",
                "后续快照仍引用的数据块不会被释放，而是合并到后一个快照中并归其所有；只有其余的数据块会被释放。",
            ),
        }
    }
}
