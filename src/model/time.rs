//! Instants and time zones. Accesses keep a plain `i64` of nanoseconds since
//! the Unix epoch (8 bytes, sorts as an integer); `jiff` does the calendar work
//! (local-time conversion, formatting) only at the edges.

use std::fmt;

use jiff::tz::TimeZone;

/// An instant, in nanoseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_nanos(nanos: i64) -> Self {
        Timestamp(nanos)
    }

    pub fn from_seconds(seconds: i64) -> Option<Self> {
        seconds.checked_mul(1_000_000_000).map(Timestamp)
    }

    pub const fn as_nanos(self) -> i64 {
        self.0
    }

    pub fn as_seconds(self) -> i64 {
        self.0.div_euclid(1_000_000_000)
    }

    /// Seconds from `earlier` to `self`, with sub-second precision.
    pub fn seconds_since(self, earlier: Timestamp) -> f64 {
        (self.0 as i128 - earlier.0 as i128) as f64 / 1e9
    }

    pub fn to_jiff(self) -> jiff::Timestamp {
        jiff::Timestamp::from_nanosecond(self.0 as i128).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    pub fn from_jiff(ts: jiff::Timestamp) -> Option<Self> {
        i64::try_from(ts.as_nanosecond()).ok().map(Timestamp)
    }

    /// RFC 3339 in `zone`, with the fraction only when there is one
    /// (`2026-10-01T09:14:03+09:00`, `2026-10-01T00:14:03.5Z`).
    pub fn format_rfc3339(self, zone: &TimeZone) -> String {
        let zoned = self.to_jiff().to_zoned_datetime(zone.clone());
        let offset = zoned.offset();
        let mut out = zoned.strftime("%Y-%m-%dT%H:%M:%S").to_string();
        let frac = self.0.rem_euclid(1_000_000_000);
        if frac != 0 {
            let digits = format!("{frac:09}");
            out.push('.');
            out.push_str(digits.trim_end_matches('0'));
        }
        if offset.seconds() == 0 && zone.iana_name() == Some("UTC") {
            out.push('Z');
        } else {
            out.push_str(&format_offset(offset.seconds()));
        }
        out
    }

    /// `2026-10-01 09:14:03` in `zone`, for tables read by people.
    pub fn format_short(self, zone: &TimeZone) -> String {
        self.to_jiff()
            .to_zoned_datetime(zone.clone())
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string()
    }
}

impl Timestamp {
    /// `2026-12-03 09:03 +09:00` (`… UTC` in UTC): a moment read apart from
    /// any heading, so it names its zone (a verdict's source in the report
    /// and the exports).
    pub fn format_minute_zoned(self, zone: &TimeZone) -> String {
        let zoned = self.to_jiff().to_zoned_datetime(zone.clone());
        let label = if is_utc(zone) {
            "UTC".to_string()
        } else {
            format_offset(zoned.offset().seconds())
        };
        format!("{} {label}", zoned.strftime("%Y-%m-%d %H:%M"))
    }
}

fn is_utc(zone: &TimeZone) -> bool {
    matches!(zone.iana_name(), Some("UTC" | "Etc/UTC" | "Etc/Universal"))
        || zone.to_fixed_offset().is_ok_and(|o| o.seconds() == 0)
}

/// How a heading names the zone its times are in: `UTC`, `Asia/Tokyo`, or
/// the offset at `at` (`+09:00`) for a zone with no name. One wording for
/// the screen's header, the report's table and the `kb` tables.
pub fn zone_label(zone: &TimeZone, at: jiff::Timestamp) -> String {
    if is_utc(zone) {
        return "UTC".to_string();
    }
    match zone.iana_name() {
        Some(name) => name.to_string(),
        None => format_offset(at.to_zoned_datetime(zone.clone()).offset().seconds()),
    }
}

/// [`zone_label`] where room is short (a table's column heading): `UTC` or
/// the offset at `at` (`+09:00`, `-04:00`), never a long name.
pub fn zone_offset_label(zone: &TimeZone, at: jiff::Timestamp) -> String {
    if is_utc(zone) {
        return "UTC".to_string();
    }
    format_offset(at.to_zoned_datetime(zone.clone()).offset().seconds())
}

fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
}

/// A `--tz` value that is not a time zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown time zone {0:?}: use an offset like +09:00, an IANA name like Asia/Tokyo, UTC or local"
)]
pub struct UnknownZone(pub String);

/// Parses `--tz`: `local`/`system`, `UTC`/`Z`, a fixed offset (`+09:00`,
/// `+0900`, `-05`), or an IANA name (`Asia/Tokyo`).
pub fn parse_zone(text: &str) -> Result<TimeZone, UnknownZone> {
    let t = text.trim();
    match t.to_ascii_lowercase().as_str() {
        "local" | "system" => return Ok(TimeZone::system()),
        "utc" | "z" | "gmt" => return Ok(TimeZone::UTC),
        _ => {}
    }
    if let Some(seconds) = parse_offset(t) {
        return jiff::tz::Offset::from_seconds(seconds)
            .map(TimeZone::fixed)
            .map_err(|_| UnknownZone(text.to_string()));
    }
    TimeZone::get(t).map_err(|_| UnknownZone(text.to_string()))
}

/// `+09:00`, `+0900`, `+09`, `-05:30` → seconds east of UTC.
pub fn parse_offset(t: &str) -> Option<i32> {
    let bytes = t.as_bytes();
    let sign = match bytes.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: Vec<u8> = bytes[1..].iter().copied().filter(|&b| b != b':').collect();
    if !digits.iter().all(u8::is_ascii_digit) || !(digits.len() == 2 || digits.len() == 4) {
        return None;
    }
    let num = |s: &[u8]| -> i32 { s.iter().fold(0, |acc, &d| acc * 10 + i32::from(d - b'0')) };
    let hours = num(&digits[..2]);
    let minutes = if digits.len() == 4 {
        num(&digits[2..])
    } else {
        0
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_rfc3339(&TimeZone::UTC))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339_in_zones() {
        let t = Timestamp::from_seconds(1_790_000_000).unwrap();
        assert_eq!(t.format_rfc3339(&TimeZone::UTC), "2026-09-21T14:13:20Z");
        let tokyo = parse_zone("+09:00").unwrap();
        assert_eq!(t.format_rfc3339(&tokyo), "2026-09-21T23:13:20+09:00");
        let frac = Timestamp::from_nanos(t.as_nanos() + 500_000_000);
        assert_eq!(
            frac.format_rfc3339(&TimeZone::UTC),
            "2026-09-21T14:13:20.5Z"
        );
        assert_eq!(t.format_short(&tokyo), "2026-09-21 23:13:20");
    }

    #[test]
    fn parses_zone_spellings() {
        assert_eq!(parse_offset("+0900"), Some(32_400));
        assert_eq!(parse_offset("-05:30"), Some(-19_800));
        assert_eq!(parse_offset("+9"), None);
        assert!(parse_zone("Asia/Tokyo").is_ok());
        assert!(parse_zone("utc").is_ok());
        assert!(parse_zone("Mars/Olympus").is_err());
    }

    #[test]
    fn seconds_between() {
        let a = Timestamp::from_seconds(100).unwrap();
        let b = Timestamp::from_nanos(103_250_000_000);
        assert_eq!(b.seconds_since(a), 3.25);
        assert_eq!(Timestamp::from_nanos(-1).as_seconds(), -1);
    }
}
