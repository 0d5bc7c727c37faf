//! The simulated clock and its time arithmetic (SPEC §1 "Time").
//!
//! A [`Timestamp`] is whole seconds since the Unix epoch (UTC). It formats and parses the two
//! forms ECS uses: `yyyy-MM-ddTHH:mm:ssZ` (snapshots, disks, images…) and the minute form
//! `yyyy-MM-ddTHH:mmZ` (instance times, `Filter.N.Value`). The proleptic Gregorian calendar
//! conversion (days ⇄ civil date) is written here, without a date crate.
//!
//! [`SimClock`] is the world's clock: it only moves forward, by [`SimClock::advance`] or
//! [`SimClock::advance_to`]. A new world starts at [`DEFAULT_START`], `2026-01-01T00:00:00Z`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Seconds in a day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// Smallest timestamp that formats with a four-digit year: `0000-01-01T00:00:00Z`.
pub const MIN_TIMESTAMP: Timestamp = Timestamp(-62_167_219_200);
/// Largest timestamp that formats with a four-digit year: `9999-12-31T23:59:59Z`.
pub const MAX_TIMESTAMP: Timestamp = Timestamp(253_402_300_799);

/// The start time of a new world: `2026-01-01T00:00:00Z`.
pub const DEFAULT_START: Timestamp = Timestamp(1_767_225_600);

/// Days since 1970-01-01 of the proleptic Gregorian date `year-month-day`.
///
/// `month` is 1–12 and `day` 1–31; the date is not validated (use [`is_valid_date`]).
/// Never panics: for years so far out that the day count leaves `i64` the result saturates.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Shift the year so that it starts in March: the leap day is then the last day of the
    // shifted year, and month lengths from March on follow a fixed pattern.
    let y = if month <= 2 { year.saturating_sub(1) } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400); // 0..=399
    let m = month as i64;
    let month_from_march = if m > 2 { m - 3 } else { m + 9 }; // 0..=11
    let day_of_year = (153 * month_from_march + 2) / 5 + day as i64 - 1; // 0..=365
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year; // 0..=146096
                                                                                            // 719_468 = days from 0000-03-01 to 1970-01-01.
    era.saturating_mul(146_097).saturating_add(day_of_era - 719_468)
}

/// The proleptic Gregorian date `(year, month, day)` of a day number since 1970-01-01.
/// The inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // 0..=146096
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // 0..=399
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // 0..=365
    let mp = (5 * day_of_year + 2) / 153; // 0..=11, from March
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1–12) of `year`; `None` for a month outside 1–12.
pub fn days_in_month(year: i64, month: u32) -> Option<u32> {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 => Some(if is_leap_year(year) { 29 } else { 28 }),
        _ => None,
    }
}

/// Whether `year-month-day` is a real date.
pub fn is_valid_date(year: i64, month: u32, day: u32) -> bool {
    matches!(days_in_month(year, month), Some(n) if day >= 1 && day <= n)
}

/// A calendar date and time of day in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Civil {
    /// Year (proleptic Gregorian; may be ≤ 0 far in the past).
    pub year: i64,
    /// Month 1–12.
    pub month: u32,
    /// Day of month 1–31.
    pub day: u32,
    /// Hour 0–23.
    pub hour: u32,
    /// Minute 0–59.
    pub minute: u32,
    /// Second 0–59.
    pub second: u32,
}

/// Why a time string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeParseError {
    /// Not of the shape `yyyy-MM-ddTHH:mm:ssZ` or `yyyy-MM-ddTHH:mmZ`.
    Malformed(String),
    /// Well-formed, but a field is out of range (month 13, 31 April, hour 24…).
    OutOfRange(String),
}

impl fmt::Display for TimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeParseError::Malformed(s) => {
                write!(
                    f,
                    "\"{s}\" is not a time of the form yyyy-MM-ddTHH:mm:ssZ or yyyy-MM-ddTHH:mmZ"
                )
            }
            TimeParseError::OutOfRange(s) => write!(f, "\"{s}\" is not a valid UTC date and time"),
        }
    }
}

impl std::error::Error for TimeParseError {}

/// A point in time: whole seconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The timestamp of a UTC date and time; `None` if any field is out of range.
    pub fn from_civil(c: Civil) -> Option<Timestamp> {
        if !is_valid_date(c.year, c.month, c.day) || c.hour > 23 || c.minute > 59 || c.second > 59 {
            return None;
        }
        let days = days_from_civil(c.year, c.month, c.day);
        let secs = days
            .checked_mul(SECONDS_PER_DAY)?
            .checked_add(c.hour as i64 * 3_600 + c.minute as i64 * 60 + c.second as i64)?;
        Some(Timestamp(secs))
    }

    /// Shorthand for [`Timestamp::from_civil`].
    pub fn from_ymd_hms(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Option<Timestamp> {
        Timestamp::from_civil(Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// The UTC date and time of this timestamp.
    pub fn to_civil(self) -> Civil {
        let days = self.0.div_euclid(SECONDS_PER_DAY);
        let secs = self.0.rem_euclid(SECONDS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: secs / 3_600,
            minute: secs / 60 % 60,
            second: secs % 60,
        }
    }

    /// Seconds since the epoch.
    pub fn seconds(self) -> i64 {
        self.0
    }

    /// Day of the week, ISO numbering as ECS's `repeatWeekdays`: 1 = Monday … 7 = Sunday.
    pub fn iso_weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        (self.0.div_euclid(SECONDS_PER_DAY) + 3).rem_euclid(7) as u32 + 1
    }

    /// Midnight (UTC) of this timestamp's day.
    pub fn start_of_day(self) -> Timestamp {
        Timestamp(self.0.div_euclid(SECONDS_PER_DAY) * SECONDS_PER_DAY)
    }

    /// `self + seconds`, or `None` on overflow.
    pub fn checked_add_seconds(self, seconds: i64) -> Option<Timestamp> {
        self.0.checked_add(seconds).map(Timestamp)
    }

    /// `self + days × 86,400 s`, or `None` on overflow.
    pub fn checked_add_days(self, days: i64) -> Option<Timestamp> {
        days.checked_mul(SECONDS_PER_DAY)
            .and_then(|s| self.checked_add_seconds(s))
    }

    /// `self + seconds`, saturating at the ends of `i64`.
    pub fn add_seconds(self, seconds: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// `self + days`, saturating at the ends of `i64`.
    pub fn add_days(self, days: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(days.saturating_mul(SECONDS_PER_DAY)))
    }

    /// Seconds from `earlier` to `self` (negative if `earlier` is later).
    pub fn seconds_since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// `yyyy-MM-ddTHH:mm:ssZ`, e.g. `2021-07-23T09:34:26Z`. Years outside 0–9999 are written
    /// with as many digits as they need (and a sign when negative).
    pub fn to_iso(self) -> String {
        let c = self.to_civil();
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            fmt_year(c.year),
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second
        )
    }

    /// The minute form `yyyy-MM-ddTHH:mmZ`, e.g. `2017-12-10T04:04Z` (seconds dropped).
    pub fn to_iso_minutes(self) -> String {
        let c = self.to_civil();
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}Z",
            fmt_year(c.year),
            c.month,
            c.day,
            c.hour,
            c.minute
        )
    }

    /// Parses `yyyy-MM-ddTHH:mm:ssZ` or `yyyy-MM-ddTHH:mmZ` (UTC, four-digit year, ASCII
    /// digits only). Anything else is refused with a [`TimeParseError`].
    pub fn parse(s: &str) -> Result<Timestamp, TimeParseError> {
        let malformed = || TimeParseError::Malformed(s.to_string());
        let b = s.as_bytes();
        let with_seconds = match b.len() {
            20 => true,
            17 => false,
            _ => return Err(malformed()),
        };
        let sep_ok = b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && (!with_seconds || b[16] == b':')
            && b[b.len() - 1] == b'Z';
        if !sep_ok {
            return Err(malformed());
        }
        let num = |from: usize, to: usize| -> Result<u32, TimeParseError> {
            let digits = &b[from..to];
            if !digits.iter().all(u8::is_ascii_digit) {
                return Err(malformed());
            }
            Ok(digits.iter().fold(0u32, |acc, d| acc * 10 + (d - b'0') as u32))
        };
        let year = num(0, 4)? as i64;
        let month = num(5, 7)?;
        let day = num(8, 10)?;
        let hour = num(11, 13)?;
        let minute = num(14, 16)?;
        let second = if with_seconds { num(17, 19)? } else { 0 };
        Timestamp::from_ymd_hms(year, month, day, hour, minute, second)
            .ok_or_else(|| TimeParseError::OutOfRange(s.to_string()))
    }
}

fn fmt_year(year: i64) -> String {
    if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

impl fmt::Display for Timestamp {
    /// The seconds form, `yyyy-MM-ddTHH:mm:ssZ`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimeParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s)
    }
}

/// Why the clock refused to move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClockError {
    /// The target is earlier than now: simulated time never goes backwards.
    Backwards { now: Timestamp, target: Timestamp },
    /// A negative number of seconds was asked for.
    NegativeAdvance(i64),
    /// The result would not fit in a timestamp.
    Overflow,
}

impl fmt::Display for ClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClockError::Backwards { now, target } => {
                write!(f, "the clock cannot go back from {now} to {target}")
            }
            ClockError::NegativeAdvance(s) => write!(f, "cannot advance the clock by a negative {s} seconds"),
            ClockError::Overflow => write!(f, "the clock would overflow"),
        }
    }
}

impl std::error::Error for ClockError {}

/// The world's simulated clock. It only moves forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimClock {
    /// The current simulated time.
    pub now: Timestamp,
}

impl Default for SimClock {
    /// A clock at [`DEFAULT_START`].
    fn default() -> Self {
        SimClock { now: DEFAULT_START }
    }
}

impl SimClock {
    /// A clock at [`DEFAULT_START`] (`2026-01-01T00:00:00Z`).
    pub fn new() -> Self {
        Self::default()
    }

    /// A clock at `now`.
    pub fn starting_at(now: Timestamp) -> Self {
        SimClock { now }
    }

    /// The current simulated time.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Moves forward by `seconds` (0 is allowed) and returns the new time.
    pub fn advance(&mut self, seconds: i64) -> Result<Timestamp, ClockError> {
        if seconds < 0 {
            return Err(ClockError::NegativeAdvance(seconds));
        }
        self.now = self.now.checked_add_seconds(seconds).ok_or(ClockError::Overflow)?;
        Ok(self.now)
    }

    /// Moves to `target`, which must not be earlier than now, and returns it.
    pub fn advance_to(&mut self, target: Timestamp) -> Result<Timestamp, ClockError> {
        if target < self.now {
            return Err(ClockError::Backwards { now: self.now, target });
        }
        self.now = target;
        Ok(self.now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        let cases: [(&str, i64); 7] = [
            ("1970-01-01T00:00:00Z", 0),
            ("1969-12-31T23:59:59Z", -1),
            ("2026-01-01T00:00:00Z", 1_767_225_600),
            ("2000-02-29T12:34:56Z", 951_827_696),
            ("2021-07-23T09:34:26Z", 1_627_032_866),
            ("1600-03-01T00:00:00Z", -11_670_912_000),
            ("9999-12-31T23:59:59Z", 253_402_300_799),
        ];
        for (s, secs) in cases {
            assert_eq!(Timestamp::parse(s), Ok(Timestamp(secs)), "{s}");
            assert_eq!(Timestamp(secs).to_iso(), s);
        }
        assert_eq!(Timestamp::parse("0000-01-01T00:00:00Z"), Ok(MIN_TIMESTAMP));
        assert_eq!(MAX_TIMESTAMP.to_iso(), "9999-12-31T23:59:59Z");
        assert_eq!(DEFAULT_START.to_iso(), "2026-01-01T00:00:00Z");
        assert_eq!(SimClock::new().now, DEFAULT_START);
    }

    #[test]
    fn civil_days_known_values() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 1, 1), 20_454);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2100));
        assert!(!is_leap_year(2026));
        assert_eq!(days_in_month(2024, 2), Some(29));
        assert_eq!(days_in_month(2100, 2), Some(28));
        assert_eq!(days_in_month(2026, 13), None);
        assert_eq!(
            Timestamp::parse("2024-02-29T00:00:00Z").map(|t| t.to_iso()),
            Ok("2024-02-29T00:00:00Z".into())
        );
        assert!(matches!(
            Timestamp::parse("2100-02-29T00:00:00Z"),
            Err(TimeParseError::OutOfRange(_))
        ));
        assert!(matches!(
            Timestamp::parse("2026-02-29T00:00Z"),
            Err(TimeParseError::OutOfRange(_))
        ));
        // Day after 2024-02-28 is the 29th; after 2023-02-28 the 1st of March.
        let t = Timestamp::parse("2024-02-28T10:00:00Z").unwrap_or(Timestamp(0));
        assert_eq!(t.add_days(1).to_iso(), "2024-02-29T10:00:00Z");
        let t = Timestamp::parse("2023-02-28T10:00:00Z").unwrap_or(Timestamp(0));
        assert_eq!(t.add_days(1).to_iso(), "2023-03-01T10:00:00Z");
    }

    #[test]
    fn round_trip_every_day_over_wide_range() {
        // Every day from 1600-01-01 to 2400-12-31: days → civil → days, and civil dates step
        // by exactly one day.
        let start = days_from_civil(1600, 1, 1);
        let end = days_from_civil(2400, 12, 31);
        let mut prev = civil_from_days(start - 1);
        for d in start..=end {
            let (y, m, day) = civil_from_days(d);
            assert!(is_valid_date(y, m, day), "{y}-{m}-{day}");
            assert_eq!(days_from_civil(y, m, day), d);
            let next_expected = if Some(prev.2) == days_in_month(prev.0, prev.1) {
                if prev.1 == 12 {
                    (prev.0 + 1, 1, 1)
                } else {
                    (prev.0, prev.1 + 1, 1)
                }
            } else {
                (prev.0, prev.1, prev.2 + 1)
            };
            assert_eq!((y, m, day), next_expected);
            prev = (y, m, day);
        }
    }

    #[test]
    fn round_trip_seconds_pseudo_random() {
        // A property-style loop over pseudo-random instants in 0000–9999.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let span = (MAX_TIMESTAMP.0 - MIN_TIMESTAMP.0) as u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let t = Timestamp(MIN_TIMESTAMP.0 + (x % span) as i64);
            let s = t.to_iso();
            assert_eq!(Timestamp::parse(&s), Ok(t), "{s}");
            assert_eq!(Timestamp::from_civil(t.to_civil()), Some(t));
            let m = t.to_iso_minutes();
            assert_eq!(Timestamp::parse(&m), Ok(Timestamp(t.0 - t.0.rem_euclid(60))), "{m}");
        }
    }

    #[test]
    fn minute_form() {
        let t = Timestamp::parse("2017-12-10T04:04Z").unwrap_or(Timestamp(0));
        assert_eq!(t.to_iso(), "2017-12-10T04:04:00Z");
        assert_eq!(t.add_seconds(59).to_iso_minutes(), "2017-12-10T04:04Z");
        assert_eq!(Timestamp::parse("2019-12-13T17:00Z"), Ok(Timestamp(1_576_256_400)));
    }

    #[test]
    fn malformed_input_is_refused() {
        for s in [
            "",
            "2026-01-01",
            "2026-01-01T00:00:00",
            "2026-01-01 00:00:00Z",
            "2026-01-01T00:00:00z",
            "2026/01/01T00:00:00Z",
            "26-01-01T00:00:00Z",
            "2026-1-01T00:00:00Z",
            "+026-01-01T00:00:00Z",
            "2026-01-01T00:00:0aZ",
            "2026-01-01T00:00:00.000Z",
            "2026-01-01T00:00:00+08:00",
            "２０２６-01-01T00:00Z",
            "2026-01-01T00-00Z",
        ] {
            assert!(
                matches!(Timestamp::parse(s), Err(TimeParseError::Malformed(_))),
                "{s:?}"
            );
        }
        for s in [
            "2026-00-01T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-01-00T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:60:00Z",
            "2026-01-01T00:00:60Z",
        ] {
            assert!(
                matches!(Timestamp::parse(s), Err(TimeParseError::OutOfRange(_))),
                "{s:?}"
            );
        }
        assert_eq!("2026-01-01T00:00Z".parse::<Timestamp>(), Ok(DEFAULT_START));
    }

    #[test]
    fn arithmetic_and_weekdays() {
        let t = DEFAULT_START;
        assert_eq!(t.add_seconds(3_661).to_iso(), "2026-01-01T01:01:01Z");
        assert_eq!(t.add_days(31).to_iso(), "2026-02-01T00:00:00Z");
        assert_eq!(t.add_days(-1).to_iso(), "2025-12-31T00:00:00Z");
        assert_eq!(t.add_days(365).to_iso(), "2027-01-01T00:00:00Z");
        assert_eq!(Timestamp(i64::MAX).checked_add_seconds(1), None);
        assert_eq!(Timestamp(0).checked_add_days(i64::MAX), None);
        assert_eq!(Timestamp(i64::MAX).add_seconds(5), Timestamp(i64::MAX));
        assert_eq!(t.add_days(2).seconds_since(t), 172_800);
        // 2026-01-01 is a Thursday; 2021-07-23 a Friday; 1970-01-01 a Thursday.
        assert_eq!(t.iso_weekday(), 4);
        assert_eq!(Timestamp(1_627_032_866).iso_weekday(), 5);
        assert_eq!(Timestamp(-1).iso_weekday(), 3);
        assert_eq!(t.add_days(3).iso_weekday(), 7);
        assert_eq!(t.add_days(4).iso_weekday(), 1);
        assert_eq!(Timestamp(1_627_032_866).start_of_day().to_iso(), "2021-07-23T00:00:00Z");
        assert_eq!(Timestamp(-1).start_of_day().to_iso(), "1969-12-31T00:00:00Z");
    }

    #[test]
    fn sim_clock_only_moves_forward() {
        let mut c = SimClock::new();
        assert_eq!(c.advance(0), Ok(DEFAULT_START));
        assert_eq!(c.advance(90).map(|t| t.to_iso()), Ok("2026-01-01T00:01:30Z".into()));
        assert_eq!(c.advance(-1), Err(ClockError::NegativeAdvance(-1)));
        let target = Timestamp::parse("2026-01-02T08:00:00Z").unwrap_or(Timestamp(0));
        assert_eq!(c.advance_to(target), Ok(target));
        assert_eq!(c.advance_to(target), Ok(target));
        assert_eq!(
            c.advance_to(DEFAULT_START),
            Err(ClockError::Backwards {
                now: target,
                target: DEFAULT_START
            })
        );
        assert_eq!(c.now(), target);
        let mut end = SimClock::starting_at(Timestamp(i64::MAX - 1));
        assert_eq!(end.advance(2), Err(ClockError::Overflow));
        assert_eq!(end.now, Timestamp(i64::MAX - 1));
        // Serializes as plain seconds.
        let json = serde_json::to_string(&SimClock::new()).unwrap_or_default();
        assert_eq!(json, "{\"now\":1767225600}");
    }

    #[test]
    fn far_years_format_without_panicking() {
        assert_eq!(Timestamp(MIN_TIMESTAMP.0 - 1).to_iso(), "-0001-12-31T23:59:59Z");
        // Extremes of i64 still produce a string.
        assert!(Timestamp(i64::MIN).to_iso().ends_with('Z'));
        assert!(Timestamp(i64::MAX).to_iso().ends_with('Z'));
        assert_eq!(Timestamp::from_ymd_hms(i64::MAX, 12, 31, 0, 0, 0), None);
        assert_eq!(Timestamp::from_ymd_hms(i64::MIN, 1, 1, 0, 0, 0), None);
    }
}
