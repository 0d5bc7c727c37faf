//! The one translation table. Every visible string of the console is a [`Text`] key, and
//! [`Text::get`] returns it in English or Chinese: a missing translation is a compile error.

/// The console languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Parses a stored tag; anything unknown is English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag == Lang::Zh.tag() {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A translatable text: an (English, 中文) pair. [`Text`] is the console frame's table; areas
/// of the console keep their own tables (declared with [`texts!`]) that implement it too.
pub trait Tr: Copy {
    /// (English, 中文).
    fn pair(self) -> (&'static str, &'static str);

    /// The text in `lang`.
    fn get(self, lang: Lang) -> &'static str {
        let (en, zh) = self.pair();
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// Declares a table of texts: `texts! { pub enum T { Name => ("English", "中文"), } }`.
/// Leaving out a translation does not compile.
#[macro_export]
macro_rules! texts {
    ($vis:vis enum $name:ident { $($var:ident => ($en:expr, $zh:expr $(,)?)),* $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name { $($var,)* }
        impl $crate::i18n::Tr for $name {
            fn pair(self) -> (&'static str, &'static str) {
                match self { $($name::$var => ($en, $zh),)* }
            }
        }
    };
}

/// Every string the console shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    ProductName,
    ProductTagline,
    Region,
    Language,
    MainNavigation,
    GroupInstancesImages,
    GroupStorageSnapshots,
    GroupOpsMonitoring,
    Instances,
    Images,
    Disks,
    Snapshots,
    CloudAssistant,
    TabSnapshots,
    TabChains,
    TabPolicies,
    TabCapacity,
    TabGroups,
    SnapshotTabs,
    EmptySnapshots,
    EmptyChains,
    EmptyPolicies,
    EmptyCapacity,
    EmptyGroups,
    EmptyCloudAssistant,
    NotFoundTitle,
    NotFoundBody,
    BackToInstances,
    EngineVersion,
}

impl Tr for Text {
    /// (English, 中文). ECS console wording where the console has one (SPEC §16).
    fn pair(self) -> (&'static str, &'static str) {
        use Text::*;
        match self {
            ProductName => ("Snaplab", "Snaplab"),
            ProductTagline => ("ECS snapshots, in your browser", "浏览器里的 ECS 快照"),
            Region => ("Region", "地域"),
            Language => ("Language", "语言"),
            MainNavigation => ("Console navigation", "控制台导航"),
            GroupInstancesImages => ("Instances & Images", "实例与镜像"),
            GroupStorageSnapshots => ("Storage & Snapshots", "存储与快照"),
            GroupOpsMonitoring => ("O&M & Monitoring", "运维与监控"),
            Instances => ("Instances", "实例"),
            Images => ("Images", "镜像"),
            Disks => ("Disks", "云盘"),
            Snapshots => ("Snapshots", "快照"),
            CloudAssistant => ("Cloud Assistant", "发送命令/文件（云助手）"),
            TabSnapshots => ("Snapshots", "快照"),
            TabChains => ("Snapshot Chains", "快照链"),
            TabPolicies => ("Automatic Snapshot Policies", "自动快照策略"),
            TabCapacity => ("Snapshot Capacity", "快照容量"),
            TabGroups => ("Consistency Groups", "快照一致性组"),
            SnapshotTabs => ("Snapshot views", "快照视图"),
            EmptySnapshots => ("No snapshots in this region yet.", "当前地域还没有快照。"),
            EmptyChains => ("No snapshot chains in this region yet.", "当前地域还没有快照链。"),
            EmptyPolicies => (
                "No automatic snapshot policies in this region yet.",
                "当前地域还没有自动快照策略。",
            ),
            EmptyCapacity => (
                "No snapshot capacity is used in this region yet.",
                "当前地域还没有使用快照容量。",
            ),
            EmptyGroups => (
                "No snapshot-consistent groups in this region yet.",
                "当前地域还没有快照一致性组。",
            ),
            EmptyCloudAssistant => ("No commands have been run yet.", "还没有执行过命令。"),
            NotFoundTitle => ("Page not found", "页面不存在"),
            NotFoundBody => ("There is no console page at this address.", "此地址没有控制台页面。"),
            BackToInstances => ("Go to Instances", "前往实例列表"),
            EngineVersion => ("Engine version", "引擎版本"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chinese_text_differs_from_english_except_the_product_name() {
        use Text::*;
        for t in [
            Region,
            Instances,
            Images,
            Disks,
            Snapshots,
            CloudAssistant,
            TabChains,
            EmptySnapshots,
        ] {
            assert_ne!(t.get(Lang::En), t.get(Lang::Zh), "{t:?}");
        }
        assert_eq!(ProductName.get(Lang::Zh), "Snaplab");
    }

    #[test]
    fn lang_tags_round_trip() {
        for l in [Lang::En, Lang::Zh] {
            assert_eq!(Lang::from_tag(l.tag()), l);
        }
        assert_eq!(Lang::from_tag("fr"), Lang::En);
    }
}
