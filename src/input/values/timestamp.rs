//! Reading the times logs write. This runs once per row, so the common shapes
//! are parsed by hand; jiff is asked only for a zone's offset, and that answer
//! is cached per local hour because logs come roughly in time order.

use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};

use super::date_order::{self, DateOrder};
use crate::model::Timestamp;

/// Why a time could not be read; the caller quotes the value alongside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeError {
    Empty,
    NotATime,
    NotADate,
    NoTimeOfDay,
    OutOfRange,
    /// `10/01/2026`: month-first (US) or day-first, which cannot be told apart.
    DayMonthOrder,
}

impl TimeError {
    pub fn describe(self) -> &'static str {
        match self {
            TimeError::Empty => "is empty",
            TimeError::NotATime => {
                "is not a date and time (expected e.g. 2026-10-01 09:05:00, 2026/10/1 9:05, \
                 RFC 3339, or epoch seconds)"
            }
            TimeError::NotADate => "is not a real calendar date and time",
            TimeError::NoTimeOfDay => "has a date but no time of day",
            // The ends of a nanosecond i64 (`Timestamp`), in whole seconds.
            TimeError::OutOfRange => {
                "is outside the times whoclicked can hold \
                 (1677-09-21 00:12:44 to 2262-04-11 23:47:16 UTC)"
            }
            TimeError::DayMonthOrder => {
                "puts the year last (10/01/2026): month-first (US) and day-first dates cannot be \
                 told apart, so neither is read unless you say which: --date-order mdy (US, \
                 10/01/2026 is 1 October) or --date-order dmy (10 January); or write dates \
                 year first (2026-10-01 09:05:00): in Excel, format the column as \
                 yyyy-mm-dd hh:mm:ss and save again"
            }
        }
    }
}

const NANOS: i64 = 1_000_000_000;

/// Turns log times into instants, reading times without an offset in `zone`.
#[derive(Clone, Debug)]
pub struct TimeParser {
    zone: TimeZone,
    /// The zone's offset when it never changes: no lookup needed at all.
    fixed: Option<i64>,
    /// Last local hour (seconds since the local epoch / 3600) and its offset.
    hour_cache: Option<(i64, i64)>,
    /// How to read a date written year last.
    order: DateOrder,
}

impl TimeParser {
    pub fn new(zone: TimeZone) -> Self {
        let fixed = zone.to_fixed_offset().ok().map(|o| i64::from(o.seconds()));
        TimeParser {
            zone,
            fixed,
            hour_cache: None,
            order: DateOrder::YearFirst,
        }
    }

    /// The zone times without an offset are read in.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// Reads year-last dates (`10/01/2026`) in `order`.
    pub fn with_date_order(mut self, order: DateOrder) -> Self {
        self.order = order;
        self
    }

    pub fn parse(&mut self, text: &str) -> Result<Timestamp, TimeError> {
        match self.parse_any(text) {
            Err(TimeError::NotATime) => match date_order::split(text) {
                Some(_) if self.order == DateOrder::YearFirst => Err(TimeError::DayMonthOrder),
                Some(date) => match date.year_first(self.order) {
                    Some(text) => self.parse_any(&text),
                    None => Err(TimeError::NotATime),
                },
                None => Err(TimeError::NotATime),
            },
            other => other,
        }
    }

    fn parse_any(&mut self, text: &str) -> Result<Timestamp, TimeError> {
        let b = text.trim().as_bytes();
        if b.is_empty() {
            return Err(TimeError::Empty);
        }
        if b[0].is_ascii_digit() && b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) {
            if b[4].is_ascii_digit() {
                return parse_epoch(b);
            }
            return self.parse_calendar(b);
        }
        if b.len() >= 20 && b[2] == b'/' && b[6] == b'/' {
            return parse_clf(b);
        }
        Err(TimeError::NotATime)
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][zone]` and the `/`, `.` and 年月日 spellings.
    fn parse_calendar(&mut self, b: &[u8]) -> Result<Timestamp, TimeError> {
        let mut s = Scanner { b, pos: 4 };
        let year = digits_value(&b[..4]);
        let kanji = s.eat_str("年");
        let sep = if kanji {
            0
        } else {
            match s.next() {
                Some(c @ (b'-' | b'/' | b'.')) => c,
                _ => return Err(TimeError::NotATime),
            }
        };
        let month = s.number(1, 2).ok_or(TimeError::NotATime)?;
        let sep_ok = if kanji { s.eat_str("月") } else { s.eat(sep) };
        if !sep_ok {
            return Err(TimeError::NotATime);
        }
        let day = s.number(1, 2).ok_or(TimeError::NotATime)?;
        if kanji {
            s.eat_str("日");
        }
        if s.at_end() {
            return Err(TimeError::NoTimeOfDay);
        }
        if !(s.eat(b'T') || s.eat(b't') || s.skip_spaces()) {
            return Err(TimeError::NotATime);
        }
        s.skip_spaces();
        let hour = s.number(1, 2).ok_or(TimeError::NotATime)?;
        if !s.eat(b':') {
            return Err(TimeError::NotATime);
        }
        let minute = s.number(1, 2).ok_or(TimeError::NotATime)?;
        let mut second = 0;
        let mut nanos = 0;
        if s.eat(b':') {
            second = s.number(1, 2).ok_or(TimeError::NotATime)?;
            if s.eat(b'.') || s.eat(b',') {
                nanos = s.fraction().ok_or(TimeError::NotATime)?;
            }
        }
        s.skip_spaces();
        let offset = s.zone()?;
        if !s.at_end() {
            return Err(TimeError::NotATime);
        }
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return Err(TimeError::NotADate);
        }
        // A leap second is kept inside its minute rather than rejected.
        let second = second.min(59);
        let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
        let offset = match offset {
            Some(o) => o,
            None => self.local_offset(local, year, month, day, hour, minute, second)?,
        };
        to_timestamp(local - offset, nanos)
    }

    /// The zone's offset at a local wall-clock time. In a DST gap or fold this
    /// follows jiff's "compatible" rule (RFC 5545): gap times move forward,
    /// repeated times take the earlier instant.
    #[allow(clippy::too_many_arguments)]
    fn local_offset(
        &mut self,
        local: i64,
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        minute: i64,
        second: i64,
    ) -> Result<i64, TimeError> {
        if let Some(fixed) = self.fixed {
            return Ok(fixed);
        }
        let hour_key = local.div_euclid(3600);
        if let Some((key, offset)) = self.hour_cache
            && key == hour_key
        {
            return Ok(offset);
        }
        let civil = |m: i64, s: i64| {
            DateTime::new(
                year as i16,
                month as i8,
                day as i8,
                hour as i8,
                m as i8,
                s as i8,
                0,
            )
            .map_err(|_| TimeError::OutOfRange)
        };
        let offset_at = |dt: DateTime| self.zone.to_ambiguous_timestamp(dt).offset();
        let here = offset_at(civil(minute, second)?);
        // Cache the hour only when the whole hour has this one offset.
        if let AmbiguousOffset::Unambiguous { offset } = here {
            let start = offset_at(civil(0, 0)?);
            let end = offset_at(civil(59, 59)?);
            if start == here && end == here {
                self.hour_cache = Some((hour_key, i64::from(offset.seconds())));
            }
        }
        Ok(match here {
            AmbiguousOffset::Unambiguous { offset } => i64::from(offset.seconds()),
            AmbiguousOffset::Gap { before, .. } | AmbiguousOffset::Fold { before, .. } => {
                i64::from(before.seconds())
            }
        })
    }
}

/// Apache/nginx `%t`: `10/Oct/2026:13:55:36 +0900` (brackets already removed).
pub fn parse_clf(b: &[u8]) -> Result<Timestamp, TimeError> {
    if b.len() < 20 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' {
        return Err(TimeError::NotATime);
    }
    let two = |i: usize| -> Option<i64> {
        (b[i].is_ascii_digit() && b[i + 1].is_ascii_digit()).then(|| digits_value(&b[i..i + 2]))
    };
    let day = two(0).ok_or(TimeError::NotATime)?;
    let month = month_from_abbrev(&b[3..6]).ok_or(TimeError::NotATime)?;
    if !b[7..11].iter().all(u8::is_ascii_digit) {
        return Err(TimeError::NotATime);
    }
    let year = digits_value(&b[7..11]);
    let hour = two(12).ok_or(TimeError::NotATime)?;
    let minute = two(15).ok_or(TimeError::NotATime)?;
    let second = two(18).ok_or(TimeError::NotATime)?;
    if b[14] != b':' || b[17] != b':' {
        return Err(TimeError::NotATime);
    }
    let mut s = Scanner { b, pos: 20 };
    let mut nanos = 0;
    if s.eat(b'.') {
        nanos = s.fraction().ok_or(TimeError::NotATime)?;
    }
    s.skip_spaces();
    // Without an offset the log's own zone is unknown; Apache always writes one.
    let offset = s.zone()?.unwrap_or(0);
    if !s.at_end() {
        return Err(TimeError::NotATime);
    }
    if day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60 {
        return Err(TimeError::NotADate);
    }
    let local =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second.min(59);
    to_timestamp(local - offset, nanos)
}

/// 10 digits are seconds, 13 milliseconds, 16 microseconds, 19 nanoseconds;
/// seconds may carry a fraction.
fn parse_epoch(b: &[u8]) -> Result<Timestamp, TimeError> {
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(dot) => (&b[..dot], Some(&b[dot + 1..])),
        None => (b, None),
    };
    if !int.iter().all(u8::is_ascii_digit) {
        return Err(TimeError::NotATime);
    }
    // 19 digits can exceed i64; the others cannot.
    let value = std::str::from_utf8(int)
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or(TimeError::OutOfRange)?;
    let (seconds, nanos) = match (int.len(), frac) {
        (10, None) => (value, 0),
        (10, Some(f)) => {
            let mut s = Scanner { b: f, pos: 0 };
            let nanos = s.fraction().ok_or(TimeError::NotATime)?;
            if !s.at_end() {
                return Err(TimeError::NotATime);
            }
            (value, nanos)
        }
        (13, None) => (value / 1000, (value % 1000) * 1_000_000),
        (16, None) => (value / 1_000_000, (value % 1_000_000) * 1000),
        (19, None) => (value / NANOS, value % NANOS),
        _ => return Err(TimeError::NotATime),
    };
    to_timestamp(seconds, nanos)
}

fn to_timestamp(seconds: i64, nanos: i64) -> Result<Timestamp, TimeError> {
    seconds
        .checked_mul(NANOS)
        .and_then(|n| n.checked_add(nanos))
        .map(Timestamp::from_nanos)
        .ok_or(TimeError::OutOfRange)
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    fn next(&mut self) -> Option<u8> {
        let c = *self.b.get(self.pos)?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        if self.b[self.pos.min(self.b.len())..].starts_with(s.as_bytes()) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn skip_spaces(&mut self) -> bool {
        let start = self.pos;
        while self.b.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
        self.pos > start
    }

    /// `min..=max` decimal digits.
    fn number(&mut self, min: usize, max: usize) -> Option<i64> {
        let start = self.pos;
        while self.pos - start < max && self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        let digits = &self.b[start..self.pos];
        (digits.len() >= min).then(|| digits_value(digits))
    }

    /// Fractional seconds as nanoseconds; digits past the ninth are dropped.
    fn fraction(&mut self) -> Option<i64> {
        let start = self.pos;
        while self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        let digits = &self.b[start..self.pos];
        if digits.is_empty() {
            return None;
        }
        let kept = &digits[..digits.len().min(9)];
        Some(digits_value(kept) * 10_i64.pow(9 - kept.len() as u32))
    }

    /// `Z`, `UTC`, `GMT`, `+09:00`, `+0900`, `+09` as seconds east of UTC, or
    /// `None` when no zone is written.
    fn zone(&mut self) -> Result<Option<i64>, TimeError> {
        let rest = &self.b[self.pos.min(self.b.len())..];
        match rest.first() {
            None => Ok(None),
            Some(b'Z' | b'z') if rest.len() == 1 => {
                self.pos += 1;
                Ok(Some(0))
            }
            Some(b'+' | b'-') => {
                let sign = if rest[0] == b'-' { -1 } else { 1 };
                self.pos += 1;
                let hours = self.number(2, 2).ok_or(TimeError::NotATime)?;
                self.eat(b':');
                let minutes = if self.at_end() {
                    0
                } else {
                    self.number(2, 2).ok_or(TimeError::NotATime)?
                };
                if hours > 23 || minutes > 59 {
                    return Err(TimeError::NotATime);
                }
                Ok(Some(sign * (hours * 3600 + minutes * 60)))
            }
            _ if rest.eq_ignore_ascii_case(b"UTC") || rest.eq_ignore_ascii_case(b"GMT") => {
                self.pos += 3;
                Ok(Some(0))
            }
            _ => Err(TimeError::NotATime),
        }
    }
}

/// Callers check that every byte is a digit and pass at most 9 of them.
fn digits_value(digits: &[u8]) -> i64 {
    digits.iter().fold(0i64, |acc, &d| {
        acc.wrapping_mul(10).wrapping_add(i64::from(d - b'0'))
    })
}

fn month_from_abbrev(m: &[u8]) -> Option<i64> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let lower = [
        m[0].to_ascii_lowercase(),
        m[1].to_ascii_lowercase(),
        m[2].to_ascii_lowercase(),
    ];
    MONTHS
        .iter()
        .position(|name| **name == lower)
        .map(|i| i as i64 + 1)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_zone;

    fn utc(text: &str) -> Result<String, TimeError> {
        TimeParser::new(TimeZone::UTC)
            .parse(text)
            .map(|t| t.to_string())
    }

    fn in_zone(zone: &str, text: &str) -> String {
        TimeParser::new(parse_zone(zone).unwrap())
            .parse(text)
            .unwrap()
            .to_string()
    }

    #[test]
    fn reads_rfc3339_with_any_fraction() {
        assert_eq!(utc("2024-05-01T09:00:05Z").unwrap(), "2024-05-01T09:00:05Z");
        assert_eq!(
            utc("2024-05-01T09:00:04.5Z").unwrap(),
            "2024-05-01T09:00:04.5Z"
        );
        assert_eq!(
            utc("2016-06-01T04:49:22.4758726Z").unwrap(),
            "2016-06-01T04:49:22.4758726Z"
        );
        assert_eq!(
            utc("2024-05-01T09:00:01.123456789Z").unwrap(),
            "2024-05-01T09:00:01.123456789Z"
        );
        assert_eq!(
            utc("2024-05-01T18:00:05+09:00").unwrap(),
            "2024-05-01T09:00:05Z"
        );
        assert_eq!(
            utc("2024-05-01T04:00:05-0500").unwrap(),
            "2024-05-01T09:00:05Z"
        );
        assert_eq!(
            utc("2024-05-01 09:00:05 UTC").unwrap(),
            "2024-05-01T09:00:05Z"
        );
    }

    #[test]
    fn reads_local_spellings_in_the_given_zone() {
        assert_eq!(
            in_zone("+09:00", "2026-10-01 09:05:03"),
            "2026-10-01T00:05:03Z"
        );
        assert_eq!(
            in_zone("+09:00", "2026/10/01 09:05:03.25"),
            "2026-10-01T00:05:03.25Z"
        );
        assert_eq!(in_zone("+09:00", "2026/10/1 9:05"), "2026-10-01T00:05:00Z");
        assert_eq!(
            in_zone("Asia/Tokyo", "2026-10-01T09:05:03"),
            "2026-10-01T00:05:03Z"
        );
        assert_eq!(
            in_zone("Asia/Tokyo", "2026年10月1日 9:05:03"),
            "2026-10-01T00:05:03Z"
        );
    }

    #[test]
    fn handles_dst_gaps_and_folds() {
        // 02:30 does not exist on 2026-03-08 in New York: it moves forward to 03:30 EDT.
        assert_eq!(
            in_zone("America/New_York", "2026-03-08 02:30:00"),
            "2026-03-08T07:30:00Z"
        );
        // 01:30 happens twice on 2026-11-01: the earlier (EDT) instant is taken.
        assert_eq!(
            in_zone("America/New_York", "2026-11-01 01:30:00"),
            "2026-11-01T05:30:00Z"
        );
        // The hour cache must not leak an offset across the transition.
        let mut p = TimeParser::new(parse_zone("America/New_York").unwrap());
        let a = p.parse("2026-11-01 00:59:00").unwrap();
        let b = p.parse("2026-11-01 02:00:00").unwrap();
        assert_eq!(a.to_string(), "2026-11-01T04:59:00Z");
        assert_eq!(b.to_string(), "2026-11-01T07:00:00Z");
        let c = p.parse("2026-07-01 12:00:00").unwrap();
        let d = p.parse("2026-07-01 12:30:00").unwrap();
        assert_eq!(d.seconds_since(c), 1800.0);
        assert_eq!(c.to_string(), "2026-07-01T16:00:00Z");
    }

    #[test]
    fn reads_year_last_dates_only_in_the_order_given() {
        let mut refuses = TimeParser::new(TimeZone::UTC);
        assert_eq!(
            refuses.parse("10/01/2026 09:05"),
            Err(TimeError::DayMonthOrder)
        );
        assert!(
            TimeError::DayMonthOrder
                .describe()
                .contains("--date-order mdy")
        );
        let mut us = TimeParser::new(parse_zone("America/New_York").unwrap())
            .with_date_order(DateOrder::MonthDayYear);
        assert_eq!(
            us.parse("10/1/2026 9:05:03 PM").unwrap().to_string(),
            "2026-10-02T01:05:03Z"
        );
        // Year first still reads, whatever the order.
        assert_eq!(
            us.parse("2026-10-01 09:05").unwrap().to_string(),
            "2026-10-01T13:05:00Z"
        );
        assert_eq!(us.parse("25/10/2026 09:05"), Err(TimeError::NotADate));
        assert_eq!(us.parse("10/1/2026 13:05 PM"), Err(TimeError::NotATime));
        let mut eu = TimeParser::new(TimeZone::UTC).with_date_order(DateOrder::DayMonthYear);
        assert_eq!(
            eu.parse("25.10.2026 09:05").unwrap().to_string(),
            "2026-10-25T09:05:00Z"
        );
        assert_eq!(eu.parse("25.10.2026"), Err(TimeError::NoTimeOfDay));
    }

    #[test]
    fn reads_epochs() {
        assert_eq!(utc("1790000000").unwrap(), "2026-09-21T14:13:20Z");
        assert_eq!(utc("1790000000123").unwrap(), "2026-09-21T14:13:20.123Z");
        assert_eq!(utc("1790000000.5").unwrap(), "2026-09-21T14:13:20.5Z");
        assert_eq!(utc("179000000"), Err(TimeError::NotATime));
    }

    #[test]
    fn reads_common_log_times() {
        assert_eq!(
            parse_clf(b"10/Oct/2026:13:55:36 +0900")
                .unwrap()
                .to_string(),
            "2026-10-10T04:55:36Z"
        );
        assert_eq!(
            utc("10/Oct/2026:13:55:36 -0700").unwrap(),
            "2026-10-10T20:55:36Z"
        );
        assert_eq!(
            parse_clf(b"10/Foo/2026:13:55:36 +0900"),
            Err(TimeError::NotATime)
        );
        assert_eq!(
            parse_clf(b"31/Feb/2026:13:55:36 +0900"),
            Err(TimeError::NotADate)
        );
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        assert_eq!(utc(""), Err(TimeError::Empty));
        assert_eq!(utc("foo"), Err(TimeError::NotATime));
        assert_eq!(utc("2026-10-01"), Err(TimeError::NoTimeOfDay));
        assert_eq!(utc("2026-02-30 10:00"), Err(TimeError::NotADate));
        assert_eq!(utc("2026-10-01 24:00"), Err(TimeError::NotADate));
        assert_eq!(utc("2026-10-01 10:00:00 junk"), Err(TimeError::NotATime));
        assert_eq!(utc("2026-10/01 10:00"), Err(TimeError::NotATime));
        assert_eq!(utc("2026-10-01T10:00:00+25:00"), Err(TimeError::NotATime));
        // Go's zero time does not fit a nanosecond i64.
        assert_eq!(utc("0001-01-01T00:00:00Z"), Err(TimeError::OutOfRange));
        assert_eq!(utc("9999999999999999999"), Err(TimeError::OutOfRange));
        assert_eq!(utc("2024-02-29 00:00").unwrap(), "2024-02-29T00:00:00Z");
        assert_eq!(utc("2023-02-29 00:00"), Err(TimeError::NotADate));
    }

    /// The range the message names is the one accepted, to the second.
    #[test]
    fn the_range_said_is_the_range_read() {
        let said = TimeError::OutOfRange.describe();
        let (first, last) = ("1677-09-21 00:12:44", "2262-04-11 23:47:16");
        assert!(said.contains(&format!("{first} to {last} UTC")), "{said}");
        assert!(utc(first).is_ok());
        assert!(utc(last).is_ok());
        assert_eq!(utc("1677-09-21 00:12:43"), Err(TimeError::OutOfRange));
        assert_eq!(utc("2262-04-11 23:47:17"), Err(TimeError::OutOfRange));
        assert_eq!(utc("1677-12-31T00:00:00Z").unwrap(), "1677-12-31T00:00:00Z");
        assert_eq!(utc("2262-01-01T00:00:00Z").unwrap(), "2262-01-01T00:00:00Z");
    }
}
