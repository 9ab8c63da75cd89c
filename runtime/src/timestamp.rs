//! Points in time (the Smithy `timestamp` type) and their wire formats.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECONDS_PER_DAY: i64 = 86_400;
const NANOS_PER_SECOND: u32 = 1_000_000_000;
/// 0001-01-01T00:00:00Z
const MIN_SECS: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59Z
const MAX_SECS: i64 = 253_402_300_799;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An instant with nanosecond precision, counted from the Unix epoch.
///
/// A `Timestamp` always lies between `0001-01-01T00:00:00Z` and
/// `9999-12-31T23:59:59.999999999Z`: parsers and the fallible constructors
/// refuse anything else, and [`Timestamp::from_epoch_seconds`] saturates.
/// The default is the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

/// The wire formats of a timestamp (Smithy's `@timestampFormat` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `date-time`: RFC 3339 (`2014-04-29T18:30:38.123Z`).
    DateTime,
    /// `http-date`: IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`).
    HttpDate,
    /// `epoch-seconds`: seconds since the epoch (`1398796238.123`).
    EpochSeconds,
}

/// The Smithy name of the format (`date-time`, `http-date`, `epoch-seconds`).
impl fmt::Display for TimestampFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimestampFormat::DateTime => "date-time",
            TimestampFormat::HttpDate => "http-date",
            TimestampFormat::EpochSeconds => "epoch-seconds",
        })
    }
}

/// Calendar fields of a timestamp, in UTC.
struct Civil {
    year: i32,
    month: u8,
    day: u8,
    hour: i64,
    minute: i64,
    second: i64,
    weekday: usize,
}

impl Timestamp {
    /// The instant `secs` seconds after the epoch, saturated to the supported
    /// range (years 0001 to 9999).
    pub fn from_epoch_seconds(secs: i64) -> Self {
        Timestamp {
            secs: secs.clamp(MIN_SECS, MAX_SECS),
            nanos: 0,
        }
    }

    /// The instant `secs` seconds and `nanos` nanoseconds after the epoch;
    /// `None` when `nanos` is a billion or more, or the year falls outside 0001..=9999.
    pub fn from_secs_nanos(secs: i64, nanos: u32) -> Option<Self> {
        (nanos < NANOS_PER_SECOND && (MIN_SECS..=MAX_SECS).contains(&secs))
            .then_some(Timestamp { secs, nanos })
    }

    /// The instant `secs` (possibly fractional) seconds after the epoch,
    /// rounded to the nanosecond; `None` when not finite or out of range.
    pub fn from_epoch_seconds_f64(secs: f64) -> Option<Self> {
        #[allow(clippy::cast_precision_loss)]
        let in_range = secs.is_finite() && secs >= MIN_SECS as f64 && secs < (MAX_SECS + 1) as f64;
        if !in_range {
            return None;
        }
        let whole = secs.floor();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let nanos = ((secs - whole) * 1e9).round() as u32;
        #[allow(clippy::cast_possible_truncation)]
        let whole = whole as i64;
        if nanos >= NANOS_PER_SECOND {
            Self::from_secs_nanos(whole.checked_add(1)?, 0)
        } else {
            Self::from_secs_nanos(whole, nanos)
        }
    }

    /// Whole seconds since the epoch (rounded down: `-0.5` s gives `-1`).
    pub fn epoch_seconds(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`Timestamp::epoch_seconds`], below a billion.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as a float.
    pub fn as_epoch_seconds_f64(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let secs = self.secs as f64;
        secs + f64::from(self.nanos) / 1e9
    }

    /// Parses an RFC 3339 date-time (`2014-04-29T18:30:38.123+02:00`): any
    /// offset (`Z`, `±HH:MM` or `±HHMM`), fractional seconds of any length
    /// (digits past nanoseconds are dropped), `t` and `z` in either case.
    pub fn parse_date_time(text: &str) -> Option<Self> {
        let text = text.trim();
        let sep = text.find(['T', 't'])?;
        let (date, rest) = (text.get(..sep)?, text.get(sep + 1..)?);
        let mut parts = date.split('-');
        let year = fixed_digits(parts.next()?, 4)?;
        let month = fixed_digits(parts.next()?, 2)?;
        let day = fixed_digits(parts.next()?, 2)?;
        if parts.next().is_some() {
            return None;
        }
        let (clock, offset) = if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
            (clock, 0)
        } else {
            let pos = rest.find(['+', '-'])?;
            (rest.get(..pos)?, parse_offset(rest.get(pos..)?)?)
        };
        let (hour, minute, second, nanos) = parse_clock(clock)?;
        let local = civil_to_secs(year, month, day, hour, minute, second)?;
        Self::from_secs_nanos(local.checked_sub(offset)?, nanos)
    }

    /// Parses an HTTP date in IMF-fixdate form (`Tue, 29 Apr 2014 18:30:38 GMT`),
    /// optionally with fractional seconds (`18:30:38.123`). The day name must be
    /// a valid one but is not checked against the date.
    pub fn parse_http_date(text: &str) -> Option<Self> {
        let (weekday, rest) = text.trim().split_once(',')?;
        if !WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(weekday)) {
            return None;
        }
        let mut parts = rest.split_ascii_whitespace();
        let day = parts.next()?;
        if day.len() > 2 {
            return None;
        }
        let day = fixed_digits(day, day.len())?;
        let month_name = parts.next()?;
        let month = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(month_name))?;
        let month = u32::try_from(month).ok()? + 1;
        let year = fixed_digits(parts.next()?, 4)?;
        let (hour, minute, second, nanos) = parse_clock(parts.next()?)?;
        if !parts.next()?.eq_ignore_ascii_case("GMT") || parts.next().is_some() {
            return None;
        }
        let secs = civil_to_secs(year, month, day, hour, minute, second)?;
        Self::from_secs_nanos(secs, nanos)
    }

    /// Parses seconds since the epoch written in decimal (`1398796238`,
    /// `1398796238.123`, `-1.5`); digits past nanoseconds are dropped. An
    /// exponent (`1.398796238e9`) is accepted too, read exactly.
    pub fn parse_epoch_seconds(text: &str) -> Option<Self> {
        let (negative, digits, exponent) = crate::big::normalize_decimal(text.trim())?;
        // value = 0.DIGITS × 10^exponent; the largest supported has 12 integer digits.
        if exponent > 12 {
            return None;
        }
        let (whole, frac) = if exponent <= 0 {
            let zeros = usize::try_from(exponent.unsigned_abs()).ok()?.min(9);
            (String::new(), format!("{}{}", "0".repeat(zeros), digits))
        } else {
            let split = usize::try_from(exponent).ok()?;
            match (digits.get(..split), digits.get(split..)) {
                (Some(whole), Some(frac)) => (whole.to_string(), frac.to_string()),
                _ => (
                    format!("{digits}{}", "0".repeat(split.saturating_sub(digits.len()))),
                    String::new(),
                ),
            }
        };
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let nanos = if frac.is_empty() {
            0
        } else {
            parse_fraction(&frac)?
        };
        if negative {
            if nanos == 0 {
                Self::from_secs_nanos(whole.checked_neg()?, 0)
            } else {
                let secs = whole.checked_neg()?.checked_sub(1)?;
                Self::from_secs_nanos(secs, NANOS_PER_SECOND - nanos)
            }
        } else {
            Self::from_secs_nanos(whole, nanos)
        }
    }

    /// Parses `text` strictly in `format`: [`Timestamp::parse_date_time`],
    /// [`Timestamp::parse_http_date`] or [`Timestamp::parse_epoch_seconds`].
    pub fn parse(text: &str, format: TimestampFormat) -> Option<Self> {
        match format {
            TimestampFormat::DateTime => Self::parse_date_time(text),
            TimestampFormat::HttpDate => Self::parse_http_date(text),
            TimestampFormat::EpochSeconds => Self::parse_epoch_seconds(text),
        }
    }

    /// Tries [`Timestamp::parse_date_time`], then [`Timestamp::parse_http_date`],
    /// then [`Timestamp::parse_epoch_seconds`].
    pub fn parse_any(text: &str) -> Option<Self> {
        Self::parse_date_time(text)
            .or_else(|| Self::parse_http_date(text))
            .or_else(|| Self::parse_epoch_seconds(text))
    }

    /// RFC 3339 in UTC (`2014-04-29T18:30:38.123Z`); the fraction appears only
    /// when non-zero, without trailing zeros.
    pub fn to_date_time_string(&self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}Z",
            c.year,
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second,
            self.fraction()
        )
    }

    /// The date alone, an RFC 3339 full-date in UTC (`2014-04-29`).
    pub fn to_date_string(&self) -> String {
        let c = self.civil();
        format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
    }

    /// IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`); sub-second precision is
    /// dropped, as that format has none.
    pub fn to_http_date_string(&self) -> String {
        let c = self.civil();
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            WEEKDAYS.get(c.weekday).copied().unwrap_or("Thu"),
            c.day,
            MONTHS
                .get(usize::from(c.month).saturating_sub(1))
                .copied()
                .unwrap_or("Jan"),
            c.year,
            c.hour,
            c.minute,
            c.second
        )
    }

    /// `.123` for the sub-second part, or the empty string when it is zero.
    fn fraction(&self) -> String {
        if self.nanos == 0 {
            return String::new();
        }
        let digits = format!("{:09}", self.nanos);
        format!(".{}", digits.trim_end_matches('0'))
    }

    fn civil(&self) -> Civil {
        let days = self.secs.div_euclid(SECONDS_PER_DAY);
        let of_day = self.secs.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = date_of_days(days);
        Civil {
            year,
            month,
            day,
            hour: of_day / 3600,
            minute: of_day / 60 % 60,
            second: of_day % 60,
            // 1970-01-01 was a Thursday (index 3 from Monday).
            weekday: usize::try_from((days + 3).rem_euclid(7)).unwrap_or(0),
        }
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date. Counts in 400-year eras (146,097 days
/// each) of years that start on March 1st, so the leap day falls at the end of a year.
fn days_of_date(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_of_date`]: (year, month, day).
fn date_of_days(days: i64) -> (i32, u8, u8) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(1970),
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        _ => 28,
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_date_time_string())
    }
}

/// Exactly `len` ASCII digits (at most nine).
fn fixed_digits(s: &str, len: usize) -> Option<u32> {
    if s.len() != len || len == 0 || len > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// One or more digits after a decimal point, as nanoseconds (truncated).
fn parse_fraction(frac: &str) -> Option<u32> {
    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nanos = 0u32;
    for i in 0..9 {
        let digit = frac.as_bytes().get(i).map_or(0, |b| u32::from(b - b'0'));
        nanos = nanos * 10 + digit;
    }
    Some(nanos)
}

/// `HH:MM:SS` with an optional fraction: hour, minute, second and nanoseconds.
fn parse_clock(clock: &str) -> Option<(u32, u32, u32, u32)> {
    let mut parts = clock.split(':');
    let hour = fixed_digits(parts.next()?, 2)?;
    let minute = fixed_digits(parts.next()?, 2)?;
    let seconds = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let (second, nanos) = match seconds.split_once('.') {
        Some((second, frac)) => (fixed_digits(second, 2)?, parse_fraction(frac)?),
        None => (fixed_digits(seconds, 2)?, 0),
    };
    (hour < 24 && minute < 60 && second < 60).then_some((hour, minute, second, nanos))
}

/// `+HH:MM`, `-HH:MM`, `+HHMM` or `-HHMM` as seconds east of UTC.
fn parse_offset(offset: &str) -> Option<i64> {
    let (negative, rest) = match offset.as_bytes().first() {
        Some(b'+') => (false, offset.get(1..)?),
        Some(b'-') => (true, offset.get(1..)?),
        _ => return None,
    };
    let (hours, minutes) = match rest.split_once(':') {
        Some(pair) => pair,
        None if rest.len() == 4 => (rest.get(..2)?, rest.get(2..)?),
        None => return None,
    };
    let hours = fixed_digits(hours, 2)?;
    let minutes = fixed_digits(minutes, 2)?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    let secs = i64::from(hours * 3600 + minutes * 60);
    Some(if negative { -secs } else { secs })
}

/// Seconds since the epoch of a UTC calendar date and time; `None` for an
/// invalid date or a year outside 0001..=9999.
fn civil_to_secs(
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<i64> {
    if !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
    {
        return None;
    }
    let days = days_of_date(i64::from(year), i64::from(month), i64::from(day));
    Some(days * SECONDS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second))
}

/// A time one side cannot hold: a `SystemTime` outside the years 0001 to 9999 of a
/// [`Timestamp`], or a [`Timestamp`] outside the range of the platform's `SystemTime`
/// (Windows' starts in 1601; Unix's holds every `Timestamp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeRangeError {
    /// A `SystemTime` this many whole seconds from the epoch (rounded down: negative before
    /// it), outside the years 0001 to 9999.
    SystemTime {
        /// Whole seconds from the epoch.
        epoch_seconds: i128,
    },
    /// A `Timestamp` the platform's `SystemTime` cannot represent.
    Timestamp(Timestamp),
}

impl fmt::Display for TimeRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeRangeError::SystemTime { epoch_seconds } => write!(
                f,
                "a SystemTime {epoch_seconds} s from the Unix epoch is outside the years 0001 to \
                 9999 of a Timestamp"
            ),
            TimeRangeError::Timestamp(t) => {
                write!(f, "{t} is outside the range of this platform's SystemTime")
            }
        }
    }
}

impl std::error::Error for TimeRangeError {}

/// The same instant, to the nanosecond, before the epoch as after it; an error outside the
/// years 0001 to 9999.
impl TryFrom<SystemTime> for Timestamp {
    type Error = TimeRangeError;

    fn try_from(time: SystemTime) -> Result<Self, Self::Error> {
        let (secs, nanos) = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => (i128::from(after.as_secs()), after.subsec_nanos()),
            Err(before) => {
                let before = before.duration();
                let secs = -i128::from(before.as_secs());
                match before.subsec_nanos() {
                    0 => (secs, 0),
                    nanos => (secs - 1, NANOS_PER_SECOND - nanos),
                }
            }
        };
        i64::try_from(secs)
            .ok()
            .and_then(|whole| Timestamp::from_secs_nanos(whole, nanos))
            .ok_or(TimeRangeError::SystemTime {
                epoch_seconds: secs,
            })
    }
}

/// The same instant, to the nanosecond (or to the platform's precision, 100 ns on Windows);
/// an error when the platform's `SystemTime` cannot represent it.
impl TryFrom<Timestamp> for SystemTime {
    type Error = TimeRangeError;

    fn try_from(t: Timestamp) -> Result<Self, Self::Error> {
        let whole = Duration::from_secs(t.secs.unsigned_abs());
        let time = if t.secs >= 0 {
            UNIX_EPOCH.checked_add(whole)
        } else {
            UNIX_EPOCH.checked_sub(whole)
        };
        time.and_then(|time| time.checked_add(Duration::from_nanos(u64::from(t.nanos))))
            .ok_or(TimeRangeError::Timestamp(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(secs: i64, nanos: u32) -> Option<Timestamp> {
        Timestamp::from_secs_nanos(secs, nanos)
    }

    #[test]
    fn parse_by_format() {
        use TimestampFormat::*;
        let t = ts(1398796238, 0);
        assert_eq!(Timestamp::parse("2014-04-29T18:30:38Z", DateTime), t);
        assert_eq!(
            Timestamp::parse("Tue, 29 Apr 2014 18:30:38 GMT", HttpDate),
            t
        );
        assert_eq!(Timestamp::parse("1398796238", EpochSeconds), t);
        assert_eq!(Timestamp::parse("1398796238", DateTime), None);
        assert_eq!(Timestamp::parse("2014-04-29T18:30:38Z", HttpDate), None);
        assert_eq!(
            Timestamp::parse("Tue, 29 Apr 2014 18:30:38 GMT", EpochSeconds),
            None
        );
        assert_eq!(DateTime.to_string(), "date-time");
        assert_eq!(HttpDate.to_string(), "http-date");
        assert_eq!(EpochSeconds.to_string(), "epoch-seconds");
    }

    #[test]
    fn date_time_parsing() {
        assert_eq!(
            Timestamp::parse_date_time("2014-04-29T18:30:38Z"),
            ts(1398796238, 0)
        );
        assert_eq!(
            Timestamp::parse_date_time("2014-04-29t18:30:38z"),
            ts(1398796238, 0)
        );
        assert_eq!(
            Timestamp::parse_date_time("2014-04-29T18:30:38.123Z"),
            ts(1398796238, 123_000_000)
        );
        assert_eq!(
            Timestamp::parse_date_time("2014-04-29T18:30:38.123456789123Z"),
            ts(1398796238, 123_456_789)
        );
        assert_eq!(
            Timestamp::parse_date_time("2014-04-29T20:30:38+02:00"),
            ts(1398796238, 0)
        );
        assert_eq!(
            Timestamp::parse_date_time("2014-04-29T16:00:38-02:30"),
            ts(1398796238, 0)
        );
        assert_eq!(
            Timestamp::parse_date_time("2014-04-29T20:30:38.5+0200"),
            ts(1398796238, 500_000_000)
        );
        assert_eq!(
            Timestamp::parse_date_time("1970-01-01T00:00:00Z"),
            Some(Timestamp::default())
        );
        assert_eq!(
            Timestamp::parse_date_time("1969-12-31T23:59:59.5Z"),
            ts(-1, 500_000_000)
        );
        assert_eq!(
            Timestamp::parse_date_time(" 2014-04-29T18:30:38Z "),
            ts(1398796238, 0)
        );
    }

    #[test]
    fn leap_years() {
        assert_eq!(
            Timestamp::parse_date_time("2000-02-29T00:00:00Z"),
            ts(951782400, 0)
        );
        assert_eq!(
            Timestamp::parse_date_time("2024-02-29T12:00:00Z"),
            ts(1709208000, 0)
        );
        assert_eq!(Timestamp::parse_date_time("1900-02-29T00:00:00Z"), None);
        assert_eq!(Timestamp::parse_date_time("2023-02-29T00:00:00Z"), None);
        assert_eq!(Timestamp::parse_date_time("2023-04-31T00:00:00Z"), None);
        let t = ts(951782400, 0).map(|t| t.to_date_time_string());
        assert_eq!(t.as_deref(), Some("2000-02-29T00:00:00Z"));
    }

    #[test]
    fn date_time_garbage() {
        for bad in [
            "",
            "T",
            "2014-04-29",
            "2014-04-29T18:30:38",
            "2014-04-29T18:30Z",
            "2014-04-29 18:30:38Z",
            "2014-4-29T18:30:38Z",
            "14-04-29T18:30:38Z",
            "2014-04-29T24:00:00Z",
            "2014-04-29T18:60:00Z",
            "2014-04-29T18:30:60Z",
            "2014-13-01T00:00:00Z",
            "2014-00-01T00:00:00Z",
            "2014-01-00T00:00:00Z",
            "2014-04-29T18:30:38.Z",
            "2014-04-29T18:30:38.1a2Z",
            "2014-04-29T18:30:38+24:00",
            "2014-04-29T18:30:38+02:60",
            "2014-04-29T18:30:38+2",
            "2014-04-29T18:30:38ZZ",
            "2014-04-29T18:30:38Z garbage",
            "+2014-04-29T18:30:38Z",
            "２０１４-04-29T18:30:38Z",
            "2014-04-29T18:30:38\u{0}Z",
        ] {
            assert_eq!(Timestamp::parse_date_time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn year_range() {
        assert_eq!(
            Timestamp::parse_date_time("0001-01-01T00:00:00Z"),
            ts(MIN_SECS, 0)
        );
        assert_eq!(
            Timestamp::parse_date_time("9999-12-31T23:59:59.999999999Z"),
            ts(MAX_SECS, 999_999_999)
        );
        assert_eq!(Timestamp::parse_date_time("0000-12-31T23:59:59Z"), None);
        assert_eq!(
            Timestamp::parse_date_time("0001-01-01T00:30:00+01:00"),
            None
        );
        assert_eq!(
            Timestamp::parse_date_time("9999-12-31T23:30:00-01:00"),
            None
        );
        assert_eq!(Timestamp::from_secs_nanos(MAX_SECS + 1, 0), None);
        assert_eq!(Timestamp::from_secs_nanos(MIN_SECS - 1, 0), None);
        assert_eq!(Timestamp::from_secs_nanos(0, 1_000_000_000), None);
        assert_eq!(
            Timestamp::from_epoch_seconds(i64::MAX).epoch_seconds(),
            MAX_SECS
        );
        assert_eq!(
            Timestamp::from_epoch_seconds(i64::MIN).epoch_seconds(),
            MIN_SECS
        );
        assert_eq!(
            Timestamp::from_epoch_seconds(i64::MIN).to_date_time_string(),
            "0001-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_epoch_seconds(i64::MAX).to_http_date_string(),
            "Fri, 31 Dec 9999 23:59:59 GMT"
        );
        assert_eq!(Timestamp::parse_epoch_seconds("253402300800"), None);
        assert_eq!(
            Timestamp::parse_epoch_seconds("99999999999999999999999"),
            None
        );
    }

    #[test]
    fn formatting() {
        let t = Timestamp::from_epoch_seconds(1398796238);
        assert_eq!(t.to_date_time_string(), "2014-04-29T18:30:38Z");
        assert_eq!(t.to_date_string(), "2014-04-29");
        assert_eq!(
            Timestamp::from_epoch_seconds(951_782_400).to_date_string(),
            "2000-02-29"
        );
        assert_eq!(
            ts(-1, 1).map(|t| t.to_date_string()).as_deref(),
            Some("1969-12-31")
        );
        assert_eq!(t.to_http_date_string(), "Tue, 29 Apr 2014 18:30:38 GMT");
        assert_eq!(t.to_string(), "2014-04-29T18:30:38Z");
        let t = ts(1398796238, 120_000_000);
        assert_eq!(
            t.map(|t| t.to_date_time_string()).as_deref(),
            Some("2014-04-29T18:30:38.12Z")
        );
        assert_eq!(
            t.map(|t| t.to_http_date_string()).as_deref(),
            Some("Tue, 29 Apr 2014 18:30:38 GMT")
        );
        let t = ts(-1, 1);
        assert_eq!(
            t.map(|t| t.to_date_time_string()).as_deref(),
            Some("1969-12-31T23:59:59.000000001Z")
        );
        assert_eq!(
            Timestamp::default().to_http_date_string(),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
    }

    #[test]
    fn round_trips() {
        let samples = [
            (0, 0),
            (1, 1),
            (-1, 999_999_999),
            (951_782_400, 500_000_000),
            (1_398_796_238, 123_456_789),
            (MIN_SECS, 0),
            (MAX_SECS, 999_999_999),
            (-2_208_988_800, 0),
        ];
        for (secs, nanos) in samples {
            let t = ts(secs, nanos);
            assert!(t.is_some());
            let text = t.map(|t| t.to_date_time_string()).unwrap_or_default();
            assert_eq!(Timestamp::parse_date_time(&text), t, "{text}");
            let http = t.map(|t| t.to_http_date_string()).unwrap_or_default();
            assert_eq!(Timestamp::parse_http_date(&http), ts(secs, 0), "{http}");
        }
        // Every day over a few years round-trips through both formats.
        let mut secs = 946_684_800 - 400 * SECONDS_PER_DAY;
        while secs < 946_684_800 + 800 * SECONDS_PER_DAY {
            let t = Timestamp::from_epoch_seconds(secs + 3723);
            assert_eq!(
                Timestamp::parse_date_time(&t.to_date_time_string()),
                Some(t)
            );
            assert_eq!(
                Timestamp::parse_http_date(&t.to_http_date_string()),
                Some(t)
            );
            secs += SECONDS_PER_DAY;
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            Timestamp::parse_http_date("Tue, 29 Apr 2014 18:30:38 GMT"),
            ts(1398796238, 0)
        );
        assert_eq!(
            Timestamp::parse_http_date("Tue, 29 Apr 2014 18:30:38.123 GMT"),
            ts(1398796238, 123_000_000)
        );
        assert_eq!(
            Timestamp::parse_http_date("tue, 29 apr 2014 18:30:38 gmt"),
            ts(1398796238, 0)
        );
        assert_eq!(
            Timestamp::parse_http_date("Thu, 1 Jan 1970 00:00:00 GMT"),
            ts(0, 0)
        );
        for bad in [
            "",
            "Tue 29 Apr 2014 18:30:38 GMT",
            "Xyz, 29 Apr 2014 18:30:38 GMT",
            "Tue, 29 Foo 2014 18:30:38 GMT",
            "Tue, 29 Apr 14 18:30:38 GMT",
            "Tue, 29 Apr 2014 18:30:38",
            "Tue, 29 Apr 2014 18:30:38 PST",
            "Tue, 29 Apr 2014 18:30:38 GMT extra",
            "Tue, 31 Apr 2014 18:30:38 GMT",
            "Tue, 029 Apr 2014 18:30:38 GMT",
            "Tue, 29 Apr 2014 18:30 GMT",
            "Tue, 29 Apr 0000 18:30:38 GMT",
            "Tuesday, 29-Apr-14 18:30:38 GMT",
        ] {
            assert_eq!(Timestamp::parse_http_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn epoch_seconds() {
        assert_eq!(
            Timestamp::parse_epoch_seconds("1398796238"),
            ts(1398796238, 0)
        );
        assert_eq!(
            Timestamp::parse_epoch_seconds("1398796238.123"),
            ts(1398796238, 123_000_000)
        );
        assert_eq!(
            Timestamp::parse_epoch_seconds("1398796238."),
            ts(1398796238, 0)
        );
        assert_eq!(Timestamp::parse_epoch_seconds(".5"), ts(0, 500_000_000));
        assert_eq!(Timestamp::parse_epoch_seconds("-1.5"), ts(-2, 500_000_000));
        assert_eq!(Timestamp::parse_epoch_seconds("-1"), ts(-1, 0));
        assert_eq!(Timestamp::parse_epoch_seconds("+1"), ts(1, 0));
        assert_eq!(
            Timestamp::parse_epoch_seconds("1.3987962381e9"),
            ts(1398796238, 100_000_000)
        );
        assert_eq!(
            Timestamp::parse_epoch_seconds("13987962381E-1"),
            ts(1398796238, 100_000_000)
        );
        assert_eq!(Timestamp::parse_epoch_seconds("1e3"), ts(1000, 0));
        assert_eq!(Timestamp::parse_epoch_seconds("1e-7"), ts(0, 100));
        assert_eq!(Timestamp::parse_epoch_seconds("-1e-7"), ts(-1, 999_999_900));
        assert_eq!(Timestamp::parse_epoch_seconds("1e-20"), ts(0, 0));
        assert_eq!(Timestamp::parse_epoch_seconds("-0.0"), ts(0, 0));
        assert_eq!(Timestamp::parse_epoch_seconds("2.534023008e11"), None);
        for bad in [
            "", ".", "-", "1.2.3", "abc", "1,5", "NaN", "Infinity", "1e999", "--1", "0x10",
        ] {
            assert_eq!(Timestamp::parse_epoch_seconds(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn floats() {
        assert_eq!(Timestamp::from_epoch_seconds_f64(1.5), ts(1, 500_000_000));
        assert_eq!(
            Timestamp::from_epoch_seconds_f64(-1.25),
            ts(-2, 750_000_000)
        );
        assert_eq!(Timestamp::from_epoch_seconds_f64(0.9999999999), ts(1, 0));
        assert_eq!(Timestamp::from_epoch_seconds_f64(f64::NAN), None);
        assert_eq!(Timestamp::from_epoch_seconds_f64(f64::INFINITY), None);
        assert_eq!(Timestamp::from_epoch_seconds_f64(1e300), None);
        assert_eq!(Timestamp::from_epoch_seconds_f64(-1e300), None);
        assert_eq!(
            ts(1, 500_000_000).map(|t| t.as_epoch_seconds_f64()),
            Some(1.5)
        );
        assert_eq!(
            ts(-2, 750_000_000).map(|t| t.as_epoch_seconds_f64()),
            Some(-1.25)
        );
    }

    #[test]
    fn any_format() {
        assert_eq!(
            Timestamp::parse_any("2014-04-29T18:30:38Z"),
            ts(1398796238, 0)
        );
        assert_eq!(
            Timestamp::parse_any("Tue, 29 Apr 2014 18:30:38 GMT"),
            ts(1398796238, 0)
        );
        assert_eq!(Timestamp::parse_any("1398796238"), ts(1398796238, 0));
        assert_eq!(Timestamp::parse_any("yesterday"), None);
    }

    #[test]
    fn calendar_arithmetic_matches_known_dates() {
        for (date, days) in [
            ((1970, 1, 1), 0),
            ((2000, 2, 29), 11_016),
            ((2000, 3, 1), 11_017),
            ((1900, 3, 1), -25_508),
            ((1, 1, 1), -719_162),
            ((9999, 12, 31), 2_932_896),
            ((1969, 12, 31), -1),
        ] {
            assert_eq!(days_of_date(date.0, date.1, date.2), days, "{date:?}");
            let (y, m, d) = date_of_days(days);
            assert_eq!((i64::from(y), i64::from(m), i64::from(d)), date, "{days}");
        }
        // Every day of four centuries round-trips and advances one day at a time.
        let mut previous = days_of_date(1899, 12, 31);
        for days in days_of_date(1900, 1, 1)..days_of_date(2300, 1, 1) {
            let (y, m, d) = date_of_days(days);
            let back = days_of_date(i64::from(y), i64::from(m), i64::from(d));
            assert_eq!(back, days);
            assert_eq!(back, previous + 1);
            previous = back;
            assert!(u32::from(d) <= days_in_month(y as u32, u32::from(m)));
        }
    }

    #[test]
    fn system_times() {
        let after = |secs: u64, nanos: u32| UNIX_EPOCH + Duration::new(secs, nanos);
        let before = |secs: u64, nanos: u32| UNIX_EPOCH - Duration::new(secs, nanos);
        for (time, expected) in [
            (UNIX_EPOCH, (0, 0)),
            (after(1, 500_000_000), (1, 500_000_000)),
            (
                after(1_398_796_238, 123_456_789),
                (1_398_796_238, 123_456_789),
            ),
            (after(0, 1), (0, 1)),
            (before(0, 1), (-1, 999_999_999)),
            (before(1, 0), (-1, 0)),
            (before(1, 500_000_000), (-2, 500_000_000)),
            (before(2_208_988_800, 0), (-2_208_988_800, 0)),
            (after(MAX_SECS as u64, 999_999_999), (MAX_SECS, 999_999_999)),
            (before(MIN_SECS.unsigned_abs(), 0), (MIN_SECS, 0)),
        ] {
            let t = Timestamp::try_from(time);
            assert_eq!(t.ok(), ts(expected.0, expected.1), "{time:?}");
            // And back, exactly.
            assert_eq!(t.and_then(SystemTime::try_from), Ok(time), "{time:?}");
        }
        assert_eq!(
            Timestamp::try_from(before(1, 250_000_000)).map(|t| t.to_date_time_string()),
            Ok("1969-12-31T23:59:58.75Z".to_owned())
        );
        // One nanosecond past either end is an error, as is a time far beyond.
        for (time, epoch_seconds) in [
            (after(MAX_SECS as u64 + 1, 0), i128::from(MAX_SECS) + 1),
            (before(MIN_SECS.unsigned_abs(), 1), i128::from(MIN_SECS) - 1),
            (after(1 << 40, 5), 1 << 40),
        ] {
            assert_eq!(
                Timestamp::try_from(time),
                Err(TimeRangeError::SystemTime { epoch_seconds })
            );
        }
        assert_eq!(
            Timestamp::try_from(after(MAX_SECS as u64 + 1, 0)).map_err(|e| e.to_string()),
            Err("a SystemTime 253402300800 s from the Unix epoch is outside the years 0001 to 9999 of a Timestamp".to_owned())
        );
        assert_eq!(
            TimeRangeError::Timestamp(Timestamp::from_epoch_seconds(MIN_SECS)).to_string(),
            "0001-01-01T00:00:00Z is outside the range of this platform's SystemTime"
        );
    }

    #[test]
    fn ordering() {
        assert!(ts(-1, 999_999_999) < ts(0, 0));
        assert!(ts(0, 1) > ts(0, 0));
    }
}
