//! Static data of the emulated ECS world: regions and zones, public images, instance types
//! and disk categories (SPEC §1, API.md §0, §3, §4 and §8).
//!
//! Everything here is `'static` and read-only; lookups return `Option` and never panic.
//! Sources and choices:
//! - Region `LocalName`s: Chinese as DescribeRegions answers by default (`zh-CN`), English as
//!   in API.md's table. `RegionEndpoint` is `ecs.aliyuncs.com` for all five regions: real
//!   DescribeRegions replies give the shared endpoint for these older regions (Hangzhou,
//!   Shanghai, Beijing verified in public samples; Hong Kong and Singapore believed the same)
//!   and `ecs.<region>.aliyuncs.com` only for newer regions. [`Region::regional_endpoint`]
//!   gives the regional form for callers who want it.
//! - Zone `LocalName`s follow the real pattern (`华东 1 可用区 H` / `Hangzhou Zone H`).
//! - Region ID prefixes: SPEC §1 (`bp1`, `uf6`, `2ze`) plus `j6c` (Hong Kong) and `t4n`
//!   (Singapore), both seen in real IDs.
//! - Image `OSName`/`OSNameEn` strings follow the real pattern but were not verified
//!   character by character (API.md §8 marks them "(!)").
//! - Instance-type vCPU/memory follow the family ratios of API.md §8 (g 1:4, c 1:2, r 1:8,
//!   c1m1 1:1; `.large` = 2 vCPU, `.xlarge` = 4, `.2xlarge` = 8).

use std::ops::RangeInclusive;

use crate::clock::Timestamp;

/// A zone (可用区) of a region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone {
    /// `ZoneId`, e.g. `cn-hangzhou-h`.
    pub id: &'static str,
    /// `LocalName` in Chinese, e.g. `华东 1 可用区 H`.
    pub local_name: &'static str,
    /// `LocalName` in English, e.g. `Hangzhou Zone H`.
    pub local_name_en: &'static str,
}

impl Zone {
    /// The `LocalName` for an `AcceptLanguage` value: English for `en…`, Chinese otherwise
    /// (the API's default is `zh-CN`).
    pub fn local_name_for(&self, accept_language: &str) -> &'static str {
        if is_english(accept_language) {
            self.local_name_en
        } else {
            self.local_name
        }
    }
}

/// A region (地域).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// `RegionId`, e.g. `cn-hangzhou`.
    pub id: &'static str,
    /// `LocalName` in Chinese, e.g. `华东1（杭州）`.
    pub local_name: &'static str,
    /// `LocalName` in English, e.g. `China (Hangzhou)`.
    pub local_name_en: &'static str,
    /// `RegionEndpoint` as DescribeRegions returns it.
    pub endpoint: &'static str,
    /// The characters after the dash of every resource ID of the region, e.g. `bp1`.
    pub id_prefix: &'static str,
    /// The region's zones.
    pub zones: &'static [Zone],
}

impl Region {
    /// The `LocalName` for an `AcceptLanguage` value (English for `en…`, else Chinese).
    pub fn local_name_for(&self, accept_language: &str) -> &'static str {
        if is_english(accept_language) {
            self.local_name_en
        } else {
            self.local_name
        }
    }

    /// The zone `zone_id` of this region.
    pub fn zone(&self, zone_id: &str) -> Option<&'static Zone> {
        self.zones.iter().find(|z| z.id == zone_id)
    }

    /// The region's first zone (the default when a request names none).
    pub fn default_zone(&self) -> Option<&'static Zone> {
        self.zones.first()
    }

    /// The regional endpoint form, `ecs.<region>.aliyuncs.com`.
    pub fn regional_endpoint(&self) -> String {
        format!("ecs.{}.aliyuncs.com", self.id)
    }
}

fn is_english(accept_language: &str) -> bool {
    accept_language.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en"))
}

const fn zone(id: &'static str, local_name: &'static str, local_name_en: &'static str) -> Zone {
    Zone {
        id,
        local_name,
        local_name_en,
    }
}

static REGIONS: [Region; 5] = [
    Region {
        id: "cn-hangzhou",
        local_name: "华东1（杭州）",
        local_name_en: "China (Hangzhou)",
        endpoint: "ecs.aliyuncs.com",
        id_prefix: "bp1",
        zones: &[
            zone("cn-hangzhou-h", "华东 1 可用区 H", "Hangzhou Zone H"),
            zone("cn-hangzhou-i", "华东 1 可用区 I", "Hangzhou Zone I"),
            zone("cn-hangzhou-j", "华东 1 可用区 J", "Hangzhou Zone J"),
            zone("cn-hangzhou-k", "华东 1 可用区 K", "Hangzhou Zone K"),
        ],
    },
    Region {
        id: "cn-shanghai",
        local_name: "华东2（上海）",
        local_name_en: "China (Shanghai)",
        endpoint: "ecs.aliyuncs.com",
        id_prefix: "uf6",
        zones: &[
            zone("cn-shanghai-e", "华东 2 可用区 E", "Shanghai Zone E"),
            zone("cn-shanghai-f", "华东 2 可用区 F", "Shanghai Zone F"),
            zone("cn-shanghai-g", "华东 2 可用区 G", "Shanghai Zone G"),
            zone("cn-shanghai-l", "华东 2 可用区 L", "Shanghai Zone L"),
        ],
    },
    Region {
        id: "cn-beijing",
        local_name: "华北2（北京）",
        local_name_en: "China (Beijing)",
        endpoint: "ecs.aliyuncs.com",
        id_prefix: "2ze",
        zones: &[
            zone("cn-beijing-g", "华北 2 可用区 G", "Beijing Zone G"),
            zone("cn-beijing-h", "华北 2 可用区 H", "Beijing Zone H"),
            zone("cn-beijing-i", "华北 2 可用区 I", "Beijing Zone I"),
            zone("cn-beijing-j", "华北 2 可用区 J", "Beijing Zone J"),
        ],
    },
    Region {
        id: "cn-hongkong",
        local_name: "中国香港",
        local_name_en: "China (Hong Kong)",
        endpoint: "ecs.aliyuncs.com",
        id_prefix: "j6c",
        zones: &[
            zone("cn-hongkong-b", "香港 可用区 B", "Hong Kong Zone B"),
            zone("cn-hongkong-c", "香港 可用区 C", "Hong Kong Zone C"),
            zone("cn-hongkong-d", "香港 可用区 D", "Hong Kong Zone D"),
        ],
    },
    Region {
        id: "ap-southeast-1",
        local_name: "新加坡",
        local_name_en: "Singapore",
        endpoint: "ecs.aliyuncs.com",
        id_prefix: "t4n",
        zones: &[
            zone("ap-southeast-1a", "新加坡 可用区 A", "Singapore Zone A"),
            zone("ap-southeast-1b", "新加坡 可用区 B", "Singapore Zone B"),
            zone("ap-southeast-1c", "新加坡 可用区 C", "Singapore Zone C"),
        ],
    },
];

/// The default region of a new world.
pub const DEFAULT_REGION: &str = "cn-hangzhou";

/// All emulated regions, in DescribeRegions order.
pub fn regions() -> &'static [Region] {
    &REGIONS
}

/// The region `region_id`.
pub fn region(region_id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id == region_id)
}

/// The zone `zone_id` and its region.
pub fn zone_by_id(zone_id: &str) -> Option<(&'static Region, &'static Zone)> {
    REGIONS.iter().find_map(|r| r.zone(zone_id).map(|z| (r, z)))
}

/// The region whose resource IDs carry `id_prefix` (e.g. `bp1` → cn-hangzhou).
pub fn region_by_id_prefix(id_prefix: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id_prefix == id_prefix)
}

// ---------------------------------------------------------------------------------------------
// Disk categories

/// A disk category (`Category` / `DiskCategory`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiskCategory {
    /// `cloud` — basic disk.
    Cloud,
    /// `cloud_efficiency` — ultra disk.
    CloudEfficiency,
    /// `cloud_ssd` — standard SSD.
    CloudSsd,
    /// `cloud_essd` — ESSD (performance levels PL0–PL3).
    CloudEssd,
    /// `cloud_auto` — ESSD AutoPL.
    CloudAuto,
    /// `cloud_essd_entry` — ESSD Entry.
    CloudEssdEntry,
    /// `ephemeral` — local disk.
    Ephemeral,
    /// `ephemeral_ssd` — local SSD disk.
    EphemeralSsd,
}

/// An ESSD performance level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PerformanceLevel {
    /// `PL0`.
    PL0,
    /// `PL1` (the default).
    PL1,
    /// `PL2`.
    PL2,
    /// `PL3`.
    PL3,
}

impl PerformanceLevel {
    /// Parses `PL0`…`PL3`.
    pub fn parse(s: &str) -> Option<PerformanceLevel> {
        match s {
            "PL0" => Some(PerformanceLevel::PL0),
            "PL1" => Some(PerformanceLevel::PL1),
            "PL2" => Some(PerformanceLevel::PL2),
            "PL3" => Some(PerformanceLevel::PL3),
            _ => None,
        }
    }

    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PerformanceLevel::PL0 => "PL0",
            PerformanceLevel::PL1 => "PL1",
            PerformanceLevel::PL2 => "PL2",
            PerformanceLevel::PL3 => "PL3",
        }
    }

    /// The smallest size of the level, GiB.
    fn min_size(self) -> u32 {
        match self {
            PerformanceLevel::PL0 => 1,
            PerformanceLevel::PL1 => 20,
            PerformanceLevel::PL2 => 461,
            PerformanceLevel::PL3 => 1_261,
        }
    }
}

/// Whether a disk is a system disk or a data disk (`Type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiskType {
    /// `system`.
    System,
    /// `data`.
    Data,
}

impl DiskType {
    /// Parses `system` / `data` (case-insensitive, as DescribeSnapshots' `SourceDiskType`).
    pub fn parse(s: &str) -> Option<DiskType> {
        if s.eq_ignore_ascii_case("system") {
            Some(DiskType::System)
        } else if s.eq_ignore_ascii_case("data") {
            Some(DiskType::Data)
        } else {
            None
        }
    }

    /// The API spelling, `system` or `data`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiskType::System => "system",
            DiskType::Data => "data",
        }
    }
}

impl DiskCategory {
    /// Every category.
    pub const ALL: [DiskCategory; 8] = [
        DiskCategory::Cloud,
        DiskCategory::CloudEfficiency,
        DiskCategory::CloudSsd,
        DiskCategory::CloudEssd,
        DiskCategory::CloudAuto,
        DiskCategory::CloudEssdEntry,
        DiskCategory::Ephemeral,
        DiskCategory::EphemeralSsd,
    ];

    /// The categories a zone offers for new cloud disks (DescribeZones
    /// `AvailableDiskCategories`).
    pub const CLOUD: [DiskCategory; 6] = [
        DiskCategory::Cloud,
        DiskCategory::CloudEfficiency,
        DiskCategory::CloudSsd,
        DiskCategory::CloudEssd,
        DiskCategory::CloudAuto,
        DiskCategory::CloudEssdEntry,
    ];

    /// Parses the API spelling (exact, lower case).
    pub fn parse(s: &str) -> Option<DiskCategory> {
        DiskCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The API spelling, e.g. `cloud_essd`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiskCategory::Cloud => "cloud",
            DiskCategory::CloudEfficiency => "cloud_efficiency",
            DiskCategory::CloudSsd => "cloud_ssd",
            DiskCategory::CloudEssd => "cloud_essd",
            DiskCategory::CloudAuto => "cloud_auto",
            DiskCategory::CloudEssdEntry => "cloud_essd_entry",
            DiskCategory::Ephemeral => "ephemeral",
            DiskCategory::EphemeralSsd => "ephemeral_ssd",
        }
    }

    /// Console name, English / 中文.
    pub fn display_name(self) -> (&'static str, &'static str) {
        match self {
            DiskCategory::Cloud => ("Basic disk", "普通云盘"),
            DiskCategory::CloudEfficiency => ("Ultra disk", "高效云盘"),
            DiskCategory::CloudSsd => ("Standard SSD", "SSD云盘"),
            DiskCategory::CloudEssd => ("ESSD", "ESSD云盘"),
            DiskCategory::CloudAuto => ("ESSD AutoPL", "ESSD AutoPL云盘"),
            DiskCategory::CloudEssdEntry => ("ESSD Entry", "ESSD Entry云盘"),
            DiskCategory::Ephemeral => ("Local disk", "本地盘"),
            DiskCategory::EphemeralSsd => ("Local SSD", "本地SSD盘"),
        }
    }

    /// Local (instance-bound) disks: cannot be snapshotted (R-CRT-6) nor get policies (R-POL-7).
    pub fn is_local(self) -> bool {
        matches!(self, DiskCategory::Ephemeral | DiskCategory::EphemeralSsd)
    }

    /// The ESSD family (consistency groups R-GRP-2, application-consistent snapshots R-APP-1).
    pub fn is_essd_family(self) -> bool {
        matches!(
            self,
            DiskCategory::CloudEssd | DiskCategory::CloudAuto | DiskCategory::CloudEssdEntry
        )
    }

    /// Whether snapshots of this category can be taken.
    pub fn supports_snapshots(self) -> bool {
        !self.is_local()
    }

    /// Whether `PerformanceLevel` applies (ESSD only).
    pub fn has_performance_level(self) -> bool {
        self == DiskCategory::CloudEssd
    }

    /// The allowed sizes in GiB for a new or resized disk of this category, type and ESSD
    /// performance level (`None` = PL1, the default; ignored for other categories).
    ///
    /// Data disks: CreateDisk's table (API.md §3). System disks: ResizeDisk's / RunInstances'
    /// ranges (`cloud` 20–500, ESSD PL0 1–2048, PL1 20–2048, PL2 461–2048, PL3 1261–2048,
    /// others 20–2048). Local disks cannot be created through the API: `None`.
    pub fn size_range(self, disk_type: DiskType, pl: Option<PerformanceLevel>) -> Option<RangeInclusive<u32>> {
        let pl = pl.unwrap_or(PerformanceLevel::PL1);
        let r = match (disk_type, self) {
            // Local SSD data disks as the classic API's `DataDisk.N.Category=ephemeral_ssd`
            // took them (5–800 GiB); other local disks come with their instance type only.
            (DiskType::Data, DiskCategory::EphemeralSsd) => 5..=800,
            (_, DiskCategory::Ephemeral | DiskCategory::EphemeralSsd) => return None,
            (DiskType::Data, DiskCategory::Cloud) => 5..=2_000,
            (DiskType::Data, DiskCategory::CloudEfficiency | DiskCategory::CloudSsd) => 20..=32_768,
            (DiskType::Data, DiskCategory::CloudEssd) => pl.min_size()..=65_536,
            (DiskType::Data, DiskCategory::CloudAuto) => 1..=65_536,
            (DiskType::Data, DiskCategory::CloudEssdEntry) => 10..=32_768,
            (DiskType::System, DiskCategory::Cloud) => 20..=500,
            (DiskType::System, DiskCategory::CloudEssd) => pl.min_size()..=2_048,
            (DiskType::System, _) => 20..=2_048,
        };
        Some(r)
    }
}

// ---------------------------------------------------------------------------------------------
// Public images

/// The operating-system family of an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Distro {
    /// CentOS.
    CentOs,
    /// Ubuntu.
    Ubuntu,
    /// Alibaba Cloud Linux (`aliyun_…`).
    AlibabaCloudLinux,
    /// Windows Server.
    WindowsServer,
    /// Debian.
    Debian,
    /// Anolis OS.
    AnolisOs,
    /// Rocky Linux.
    RockyLinux,
}

/// An OS version, precise enough for SPEC R-APP-1's preconditions.
///
/// Windows Server: `major` is the year, `minor` 2 for R2 (2008 R2 = 2008.2, 2012 R2 =
/// 2012.2). Alibaba Cloud Linux 2.1903 is `major` 2, `minor` 1903; 3.2104 is 3.2104.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OsVersion {
    /// The family.
    pub distro: Distro,
    /// Major version (or year for Windows).
    pub major: u32,
    /// Minor version.
    pub minor: u32,
}

impl OsVersion {
    /// `OSType`: `linux` or `windows`.
    pub fn os_type(&self) -> &'static str {
        if self.distro == Distro::WindowsServer {
            "windows"
        } else {
            "linux"
        }
    }

    /// Whether the OS qualifies for application-consistent snapshots (R-APP-1): Windows
    /// Server 2012 R2/2016/2019, CentOS ≥ 7.6, Ubuntu ≥ 18.04, Alibaba Cloud Linux 2.1903.
    /// SPEC lists exactly these; Alibaba Cloud Linux 3, Debian, Anolis and Rocky do not
    /// qualify.
    pub fn supports_app_consistent_snapshots(&self) -> bool {
        let v = (self.major, self.minor);
        match self.distro {
            Distro::WindowsServer => matches!(v, (2012, 2) | (2016, _) | (2019, _)),
            Distro::CentOs => v >= (7, 6),
            Distro::Ubuntu => v >= (18, 4),
            Distro::AlibabaCloudLinux => v == (2, 1903),
            Distro::Debian | Distro::AnolisOs | Distro::RockyLinux => false,
        }
    }
}

/// A public image (`ImageOwnerAlias=system`) as DescribeImages needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicImage {
    /// `ImageId` = `ImageName`, e.g. `centos_7_9_x64_20G_alibase_20230815.vhd`.
    pub id: &'static str,
    /// `OSType`, `linux` or `windows`.
    pub os_type: &'static str,
    /// `Platform`, e.g. `CentOS`, `Ubuntu`, `Aliyun`, `Windows Server 2019`.
    pub platform: &'static str,
    /// `OSName` (Chinese).
    pub os_name: &'static str,
    /// `OSNameEn`.
    pub os_name_en: &'static str,
    /// `Size` in GiB (the system-disk minimum).
    pub size_gib: u32,
    /// `Architecture`.
    pub architecture: &'static str,
    /// The OS version, for R-APP-1.
    pub os: OsVersion,
}

impl PublicImage {
    /// `CreationTime`: midnight UTC of the `alibase_<yyyymmdd>` date in the image name.
    pub fn creation_time(&self) -> Option<Timestamp> {
        let (_, rest) = self.id.rsplit_once('_')?;
        let date = rest.strip_suffix(".vhd")?;
        if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y = date.get(0..4)?.parse().ok()?;
        let m = date.get(4..6)?.parse().ok()?;
        let d = date.get(6..8)?.parse().ok()?;
        Timestamp::from_ymd_hms(y, m, d, 0, 0, 0)
    }

    /// Whether the image's OS qualifies for application-consistent snapshots (R-APP-1).
    pub fn supports_app_consistent_snapshots(&self) -> bool {
        self.os.supports_app_consistent_snapshots()
    }
}

const fn os(distro: Distro, major: u32, minor: u32) -> OsVersion {
    OsVersion { distro, major, minor }
}

const fn linux(
    id: &'static str,
    platform: &'static str,
    os_name: &'static str,
    os_name_en: &'static str,
    os: OsVersion,
) -> PublicImage {
    PublicImage {
        id,
        os_type: "linux",
        platform,
        os_name,
        os_name_en,
        size_gib: 20,
        architecture: "x86_64",
        os,
    }
}

const CENTOS_79: OsVersion = os(Distro::CentOs, 7, 9);
const UBUNTU_2004: OsVersion = os(Distro::Ubuntu, 20, 4);
const UBUNTU_2204: OsVersion = os(Distro::Ubuntu, 22, 4);
const ALINUX_3: OsVersion = os(Distro::AlibabaCloudLinux, 3, 2104);
const WIN_2019: OsVersion = os(Distro::WindowsServer, 2019, 0);

static IMAGES: [PublicImage; 27] = [
    linux(
        "centos_7_9_x64_20G_alibase_20230815.vhd",
        "CentOS",
        "CentOS  7.9 64位",
        "CentOS  7.9 64 bit",
        CENTOS_79,
    ),
    linux(
        "centos_7_9_x64_20G_alibase_20240628.vhd",
        "CentOS",
        "CentOS  7.9 64位",
        "CentOS  7.9 64 bit",
        CENTOS_79,
    ),
    linux(
        "centos_7_9_x64_20G_alibase_20220824.vhd",
        "CentOS",
        "CentOS  7.9 64位",
        "CentOS  7.9 64 bit",
        CENTOS_79,
    ),
    linux(
        "centos_7_9_x64_20G_alibase_20210318.vhd",
        "CentOS",
        "CentOS  7.9 64位",
        "CentOS  7.9 64 bit",
        CENTOS_79,
    ),
    linux(
        "centos_7_9_x64_20G_alibase_20201228.vhd",
        "CentOS",
        "CentOS  7.9 64位",
        "CentOS  7.9 64 bit",
        CENTOS_79,
    ),
    linux(
        "ubuntu_20_04_x64_20G_alibase_20230815.vhd",
        "Ubuntu",
        "Ubuntu  20.04 64位",
        "Ubuntu  20.04 64 bit",
        UBUNTU_2004,
    ),
    linux(
        "ubuntu_20_04_x64_20G_alibase_20240220.vhd",
        "Ubuntu",
        "Ubuntu  20.04 64位",
        "Ubuntu  20.04 64 bit",
        UBUNTU_2004,
    ),
    linux(
        "ubuntu_20_04_x64_20G_alibase_20220824.vhd",
        "Ubuntu",
        "Ubuntu  20.04 64位",
        "Ubuntu  20.04 64 bit",
        UBUNTU_2004,
    ),
    linux(
        "ubuntu_20_04_x64_20G_alibase_20210623.vhd",
        "Ubuntu",
        "Ubuntu  20.04 64位",
        "Ubuntu  20.04 64 bit",
        UBUNTU_2004,
    ),
    linux(
        "ubuntu_22_04_x64_20G_alibase_20230815.vhd",
        "Ubuntu",
        "Ubuntu  22.04 64位",
        "Ubuntu  22.04 64 bit",
        UBUNTU_2204,
    ),
    linux(
        "ubuntu_22_04_x64_20G_alibase_20240101.vhd",
        "Ubuntu",
        "Ubuntu  22.04 64位",
        "Ubuntu  22.04 64 bit",
        UBUNTU_2204,
    ),
    linux(
        "ubuntu_22_04_x64_20G_alibase_20240926.vhd",
        "Ubuntu",
        "Ubuntu  22.04 64位",
        "Ubuntu  22.04 64 bit",
        UBUNTU_2204,
    ),
    linux(
        "aliyun_3_x64_20G_alibase_20221102.vhd",
        "Aliyun",
        "Alibaba Cloud Linux  3.2104 LTS 64位",
        "Alibaba Cloud Linux  3.2104 LTS 64 bit",
        ALINUX_3,
    ),
    linux(
        "aliyun_3_x64_20G_alibase_20210425.vhd",
        "Aliyun",
        "Alibaba Cloud Linux  3.2104 64位",
        "Alibaba Cloud Linux  3.2104 64 bit",
        ALINUX_3,
    ),
    linux(
        "aliyun_3_x64_20G_alibase_20240819.vhd",
        "Aliyun",
        "Alibaba Cloud Linux  3.2104 LTS 64位",
        "Alibaba Cloud Linux  3.2104 LTS 64 bit",
        ALINUX_3,
    ),
    linux(
        "aliyun_2_1903_x64_20G_alibase_20200324.vhd",
        "Aliyun",
        "Alibaba Cloud Linux  2.1903 LTS 64位",
        "Alibaba Cloud Linux  2.1903 LTS 64 bit",
        os(Distro::AlibabaCloudLinux, 2, 1903),
    ),
    PublicImage {
        id: "win2019_1809_x64_dtc_en-us_40G_alibase_20221221.vhd",
        os_type: "windows",
        platform: "Windows Server 2019",
        os_name: "Windows Server  2019 数据中心版 64位英文版",
        os_name_en: "Windows Server  2019 Data Center Edition 64bit English Edition",
        size_gib: 40,
        architecture: "x86_64",
        os: WIN_2019,
    },
    PublicImage {
        id: "win2019_1809_x64_dtc_en-us_40G_alibase_20210916.vhd",
        os_type: "windows",
        platform: "Windows Server 2019",
        os_name: "Windows Server  2019 数据中心版 64位英文版",
        os_name_en: "Windows Server  2019 Data Center Edition 64bit English Edition",
        size_gib: 40,
        architecture: "x86_64",
        os: WIN_2019,
    },
    linux(
        "centos_7_06_64_20G_alibase_20190711.vhd",
        "CentOS",
        "CentOS  7.6 64位",
        "CentOS  7.6 64 bit",
        os(Distro::CentOs, 7, 6),
    ),
    linux(
        "ubuntu_18_04_64_20G_alibase_20190624.vhd",
        "Ubuntu",
        "Ubuntu  18.04 64位",
        "Ubuntu  18.04 64 bit",
        os(Distro::Ubuntu, 18, 4),
    ),
    PublicImage {
        id: "win2008r2_64_ent_sp1_en-us_40G_alibase_20170915.vhd",
        os_type: "windows",
        platform: "Windows Server 2008",
        os_name: "Windows Server  2008 R2 企业版 64位英文版",
        os_name_en: "Windows Server  2008 R2 Enterprise Edition 64bit English Edition",
        size_gib: 40,
        architecture: "x86_64",
        os: os(Distro::WindowsServer, 2008, 2),
    },
    linux(
        "centos_8_2_x64_20G_alibase_20201120.vhd",
        "CentOS",
        "CentOS  8.2 64位",
        "CentOS  8.2 64 bit",
        os(Distro::CentOs, 8, 2),
    ),
    linux(
        "debian_11_7_x64_20G_alibase_20230718.vhd",
        "Debian",
        "Debian  11.7 64位",
        "Debian  11.7 64 bit",
        os(Distro::Debian, 11, 7),
    ),
    linux(
        "anolisos_8_8_x64_20G_rhck_alibase_20230804.vhd",
        "Anolis",
        "Anolis OS  8.8 RHCK 64位",
        "Anolis OS  8.8 RHCK 64 bit",
        os(Distro::AnolisOs, 8, 8),
    ),
    linux(
        "rockylinux_9_2_x64_20G_alibase_20230613.vhd",
        "Rocky Linux",
        "Rocky Linux  9.2 64位",
        "Rocky Linux  9.2 64 bit",
        os(Distro::RockyLinux, 9, 2),
    ),
    // Not in API.md's table but needed by R-APP-1's Windows list: Windows Server 2016 and
    // 2012 R2, with the same naming pattern (dates chosen within the real release cadence).
    PublicImage {
        id: "win2016_64_dtc_1607_en-us_40G_alibase_20221221.vhd",
        os_type: "windows",
        platform: "Windows Server 2016",
        os_name: "Windows Server  2016 数据中心版 64位英文版",
        os_name_en: "Windows Server  2016 Data Center Edition 64bit English Edition",
        size_gib: 40,
        architecture: "x86_64",
        os: os(Distro::WindowsServer, 2016, 0),
    },
    PublicImage {
        id: "win2012r2_9600_x64_dtc_en-us_40G_alibase_20221221.vhd",
        os_type: "windows",
        platform: "Windows Server 2012",
        os_name: "Windows Server  2012 R2 数据中心版 64位英文版",
        os_name_en: "Windows Server  2012 R2 Data Center Edition 64bit English Edition",
        size_gib: 40,
        architecture: "x86_64",
        os: os(Distro::WindowsServer, 2012, 2),
    },
];

/// Every public image, in catalogue order (the SPEC §18 images first).
pub fn public_images() -> &'static [PublicImage] {
    &IMAGES
}

/// The public image `image_id`.
pub fn public_image(image_id: &str) -> Option<&'static PublicImage> {
    IMAGES.iter().find(|i| i.id == image_id)
}

// ---------------------------------------------------------------------------------------------
// Instance types

/// An instance type (`InstanceType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceType {
    /// `InstanceType`, e.g. `ecs.g7.large`.
    pub id: &'static str,
    /// `InstanceTypeFamily`, e.g. `ecs.g7`.
    pub family: &'static str,
    /// `Cpu`: vCPUs.
    pub vcpus: u32,
    /// Memory in GiB.
    pub memory_gib: u32,
}

impl InstanceType {
    /// `Memory` as DescribeInstances reports it, in MiB.
    pub fn memory_mib(&self) -> u32 {
        self.memory_gib.saturating_mul(1_024)
    }
}

const fn itype(id: &'static str, family: &'static str, vcpus: u32, memory_gib: u32) -> InstanceType {
    InstanceType {
        id,
        family,
        vcpus,
        memory_gib,
    }
}

static INSTANCE_TYPES: [InstanceType; 14] = [
    itype("ecs.g5.large", "ecs.g5", 2, 8),
    itype("ecs.g7.large", "ecs.g7", 2, 8),
    itype("ecs.g6.large", "ecs.g6", 2, 8),
    itype("ecs.g5.xlarge", "ecs.g5", 4, 16),
    itype("ecs.g5.2xlarge", "ecs.g5", 8, 32),
    itype("ecs.c5.2xlarge", "ecs.c5", 8, 16),
    itype("ecs.c6.large", "ecs.c6", 2, 4),
    itype("ecs.g6e.large", "ecs.g6e", 2, 8),
    itype("ecs.u1-c1m1.large", "ecs.u1", 2, 2),
    itype("ecs.hfg6.large", "ecs.hfg6", 2, 8),
    itype("ecs.c7.large", "ecs.c7", 2, 4),
    itype("ecs.e-c1m1.large", "ecs.e", 2, 2),
    itype("ecs.t6-c1m1.large", "ecs.t6", 2, 2),
    itype("ecs.g8i.large", "ecs.g8i", 2, 8),
];

/// Every instance type of the catalogue (all offered in every zone).
pub fn instance_types() -> &'static [InstanceType] {
    &INSTANCE_TYPES
}

/// The instance type `id`.
pub fn instance_type(id: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_prefixes() {
        let ids: Vec<&str> = regions().iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [
                "cn-hangzhou",
                "cn-shanghai",
                "cn-beijing",
                "cn-hongkong",
                "ap-southeast-1"
            ]
        );
        let hz = region("cn-hangzhou");
        assert_eq!(
            hz.map(|r| (r.local_name, r.local_name_en, r.id_prefix)),
            Some(("华东1（杭州）", "China (Hangzhou)", "bp1"))
        );
        assert_eq!(region("cn-shanghai").map(|r| r.id_prefix), Some("uf6"));
        assert_eq!(region("cn-beijing").map(|r| r.id_prefix), Some("2ze"));
        assert_eq!(region("cn-hongkong").map(|r| r.id_prefix), Some("j6c"));
        assert_eq!(
            region("ap-southeast-1").map(|r| r.local_name_for("en-US")),
            Some("Singapore")
        );
        assert_eq!(
            region("ap-southeast-1").map(|r| r.local_name_for("zh-CN")),
            Some("新加坡")
        );
        assert_eq!(
            region("cn-shanghai").map(|r| r.local_name_for("")),
            Some("华东2（上海）")
        );
        assert_eq!(region("cn-hangzhou").map(|r| r.endpoint), Some("ecs.aliyuncs.com"));
        assert_eq!(
            region("cn-beijing").map(|r| r.regional_endpoint()),
            Some("ecs.cn-beijing.aliyuncs.com".to_string())
        );
        assert_eq!(region("cn-hangzhou-h"), None);
        assert_eq!(region(""), None);
        assert_eq!(region_by_id_prefix("t4n").map(|r| r.id), Some("ap-southeast-1"));
        assert_eq!(region(DEFAULT_REGION).map(|r| r.id), Some("cn-hangzhou"));
        // Prefixes are distinct, three lowercase alphanumerics.
        for (i, r) in regions().iter().enumerate() {
            assert_eq!(r.id_prefix.len(), 3);
            assert!(r
                .id_prefix
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
            assert!(regions()[i + 1..].iter().all(|o| o.id_prefix != r.id_prefix));
        }
    }

    #[test]
    fn zones() {
        let hz = region("cn-hangzhou");
        let zone_ids: Vec<&str> = hz.map(|r| r.zones.iter().map(|z| z.id).collect()).unwrap_or_default();
        assert_eq!(
            zone_ids,
            ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"]
        );
        assert_eq!(hz.and_then(|r| r.default_zone()).map(|z| z.id), Some("cn-hangzhou-h"));
        let (r, z) = zone_by_id("cn-hangzhou-i").unwrap_or((&REGIONS[4], &REGIONS[4].zones[0]));
        assert_eq!(
            (r.id, z.local_name, z.local_name_for("en-US")),
            ("cn-hangzhou", "华东 1 可用区 I", "Hangzhou Zone I")
        );
        assert_eq!(zone_by_id("ap-southeast-1b").map(|(r, _)| r.id), Some("ap-southeast-1"));
        assert_eq!(zone_by_id("cn-hangzhou-z"), None);
        assert_eq!(hz.and_then(|r| r.zone("cn-shanghai-e")), None);
        // Every zone id starts with its region id.
        for r in regions() {
            assert!(!r.zones.is_empty());
            for z in r.zones {
                assert!(z.id.starts_with(r.id), "{}", z.id);
            }
        }
    }

    #[test]
    fn images() {
        for id in [
            "centos_7_9_x64_20G_alibase_20230815.vhd",
            "ubuntu_22_04_x64_20G_alibase_20230815.vhd",
            "aliyun_3_x64_20G_alibase_20221102.vhd",
            "win2019_1809_x64_dtc_en-us_40G_alibase_20221221.vhd",
        ] {
            assert!(public_image(id).is_some(), "{id}");
        }
        let win = public_image("win2019_1809_x64_dtc_en-us_40G_alibase_20221221.vhd");
        assert_eq!(
            win.map(|i| (i.os_type, i.platform, i.size_gib)),
            Some(("windows", "Windows Server 2019", 40))
        );
        let c = public_image("centos_7_9_x64_20G_alibase_20230815.vhd");
        assert_eq!(
            c.map(|i| (i.os_type, i.platform, i.size_gib, i.architecture)),
            Some(("linux", "CentOS", 20, "x86_64"))
        );
        assert_eq!(
            c.and_then(|i| i.creation_time()).map(|t| t.to_iso()),
            Some("2023-08-15T00:00:00Z".to_string())
        );
        assert_eq!(public_image("centos_7_9"), None);
        for i in public_images() {
            assert!(i.creation_time().is_some(), "{}", i.id);
            assert_eq!(i.os_type, i.os.os_type(), "{}", i.id);
            assert!(i.id.contains(&format!("_{}G_", i.size_gib)), "{}", i.id);
            assert_eq!(public_images().iter().filter(|o| o.id == i.id).count(), 1, "{}", i.id);
        }
    }

    #[test]
    fn app_consistent_preconditions() {
        let yes = |id: &str| public_image(id).map(|i| i.supports_app_consistent_snapshots());
        assert_eq!(yes("centos_7_9_x64_20G_alibase_20230815.vhd"), Some(true));
        assert_eq!(yes("centos_7_06_64_20G_alibase_20190711.vhd"), Some(true));
        assert_eq!(yes("ubuntu_18_04_64_20G_alibase_20190624.vhd"), Some(true));
        assert_eq!(yes("ubuntu_22_04_x64_20G_alibase_20230815.vhd"), Some(true));
        assert_eq!(yes("aliyun_2_1903_x64_20G_alibase_20200324.vhd"), Some(true));
        assert_eq!(yes("aliyun_3_x64_20G_alibase_20221102.vhd"), Some(false));
        assert_eq!(yes("win2019_1809_x64_dtc_en-us_40G_alibase_20221221.vhd"), Some(true));
        assert_eq!(yes("win2016_64_dtc_1607_en-us_40G_alibase_20221221.vhd"), Some(true));
        assert_eq!(yes("win2012r2_9600_x64_dtc_en-us_40G_alibase_20221221.vhd"), Some(true));
        assert_eq!(yes("win2008r2_64_ent_sp1_en-us_40G_alibase_20170915.vhd"), Some(false));
        assert_eq!(yes("debian_11_7_x64_20G_alibase_20230718.vhd"), Some(false));
        assert!(!os(Distro::CentOs, 7, 5).supports_app_consistent_snapshots());
        assert!(!os(Distro::Ubuntu, 16, 4).supports_app_consistent_snapshots());
        assert!(!os(Distro::WindowsServer, 2012, 0).supports_app_consistent_snapshots());
    }

    #[test]
    fn instance_type_lookup() {
        assert_eq!(
            instance_type("ecs.g7.large").map(|t| (t.vcpus, t.memory_gib, t.memory_mib())),
            Some((2, 8, 8_192))
        );
        assert_eq!(
            instance_type("ecs.c6.large").map(|t| (t.vcpus, t.memory_gib)),
            Some((2, 4))
        );
        assert_eq!(
            instance_type("ecs.g5.2xlarge").map(|t| (t.family, t.vcpus, t.memory_gib)),
            Some(("ecs.g5", 8, 32))
        );
        assert_eq!(instance_type("ecs.u1-c1m1.large").map(|t| t.family), Some("ecs.u1"));
        assert_eq!(instance_type("ecs.g7.huge"), None);
        for t in instance_types() {
            assert!(t.id.starts_with(t.family), "{}", t.id);
        }
    }

    #[test]
    fn disk_categories() {
        for c in DiskCategory::ALL {
            assert_eq!(DiskCategory::parse(c.as_str()), Some(c));
        }
        assert_eq!(DiskCategory::parse("CLOUD_ESSD"), None);
        assert_eq!(DiskCategory::parse("local_ssd"), None);
        assert!(DiskCategory::Ephemeral.is_local());
        assert!(!DiskCategory::Ephemeral.supports_snapshots());
        assert!(DiskCategory::CloudEssd.supports_snapshots());
        assert!(DiskCategory::CloudEssd.is_essd_family());
        assert!(!DiskCategory::CloudSsd.is_essd_family());
        assert_eq!(DiskCategory::CloudEssd.display_name(), ("ESSD", "ESSD云盘"));
        assert_eq!(PerformanceLevel::parse("PL2").map(|p| p.as_str()), Some("PL2"));
        assert_eq!(PerformanceLevel::parse("pl2"), None);
        assert_eq!(DiskType::parse("System"), Some(DiskType::System));
        assert_eq!(DiskType::parse("data").map(|t| t.as_str()), Some("data"));
        assert_eq!(DiskType::parse("root"), None);
    }

    #[test]
    fn disk_size_limits() {
        use DiskCategory::*;
        use DiskType::*;
        use PerformanceLevel::*;
        assert_eq!(CloudEssd.size_range(Data, None), Some(20..=65_536));
        assert_eq!(CloudEssd.size_range(Data, Some(PL0)), Some(1..=65_536));
        assert_eq!(CloudEssd.size_range(Data, Some(PL2)), Some(461..=65_536));
        assert_eq!(CloudEssd.size_range(Data, Some(PL3)), Some(1_261..=65_536));
        assert_eq!(CloudEssd.size_range(System, None), Some(20..=2_048));
        assert_eq!(CloudEssd.size_range(System, Some(PL3)), Some(1_261..=2_048));
        assert_eq!(Cloud.size_range(Data, None), Some(5..=2_000));
        assert_eq!(Cloud.size_range(System, None), Some(20..=500));
        assert_eq!(CloudEfficiency.size_range(Data, None), Some(20..=32_768));
        assert_eq!(CloudSsd.size_range(Data, Some(PL3)), Some(20..=32_768));
        assert_eq!(CloudSsd.size_range(System, None), Some(20..=2_048));
        assert_eq!(CloudAuto.size_range(Data, None), Some(1..=65_536));
        assert_eq!(CloudEssdEntry.size_range(Data, None), Some(10..=32_768));
        assert_eq!(Ephemeral.size_range(Data, None), None);
        assert_eq!(EphemeralSsd.size_range(System, None), None);
    }
}
