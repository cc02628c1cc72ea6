//! Calendar arithmetic for the held-out world, kept free of any time-zone
//! database: a campaign has one fixed UTC offset (its dates are chosen away
//! from daylight-saving changes), instants are milliseconds since the Unix
//! epoch, and each log format writes them its own way.

/// A civil date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub const fn date(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

impl Date {
    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days(self.days() + days)
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        (self.days() + 3).rem_euclid(7) as u32
    }
}

/// Civil time of an instant in a zone `offset_minutes` east of UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Local {
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
}

pub fn local(at_ms: i64, offset_minutes: i32) -> Local {
    let shifted = at_ms + i64::from(offset_minutes) * MINUTE_MS;
    let days = shifted.div_euclid(DAY_MS);
    let in_day = shifted.rem_euclid(DAY_MS);
    Local {
        date: Date::from_days(days),
        hour: (in_day / HOUR_MS) as u32,
        minute: (in_day % HOUR_MS / MINUTE_MS) as u32,
        second: (in_day % MINUTE_MS / 1000) as u32,
        millis: (in_day % 1000) as u32,
    }
}

/// The instant of a local wall-clock time.
pub fn instant(date: Date, hour: u32, minute: u32, offset_minutes: i32) -> i64 {
    date.days() * DAY_MS + i64::from(hour) * HOUR_MS + i64::from(minute) * MINUTE_MS
        - i64::from(offset_minutes) * MINUTE_MS
}

/// Hours since local midnight, with the fraction.
pub fn local_hour(at_ms: i64, offset_minutes: i32) -> f64 {
    let l = local(at_ms, offset_minutes);
    f64::from(l.hour) + f64::from(l.minute) / 60.0 + f64::from(l.second) / 3600.0
}

fn offset_text(offset_minutes: i32, colon: bool) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let abs = offset_minutes.unsigned_abs();
    if colon {
        format!("{sign}{:02}:{:02}", abs / 60, abs % 60)
    } else {
        format!("{sign}{:02}{:02}", abs / 60, abs % 60)
    }
}

/// `+09:00`: what `--tz` takes for a campaign's zone.
pub fn zone_text(offset_minutes: i32) -> String {
    offset_text(offset_minutes, true)
}

/// RFC 3339 with the local offset, whole seconds (`2025-06-10T09:14:03+09:00`).
pub fn rfc3339_local(at_ms: i64, offset_minutes: i32) -> String {
    let l = local(at_ms, offset_minutes);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
        l.date.year,
        l.date.month,
        l.date.day,
        l.hour,
        l.minute,
        l.second,
        offset_text(offset_minutes, true)
    )
}

/// What Excel in Japan writes: local time without an offset, `2025/06/10 9:14:03`.
pub fn excel_local(at_ms: i64, offset_minutes: i32) -> String {
    let l = local(at_ms, offset_minutes);
    format!(
        "{:04}/{:02}/{:02} {}:{:02}:{:02}",
        l.date.year, l.date.month, l.date.day, l.hour, l.minute, l.second
    )
}

/// GoPhish's times: UTC, Go's RFC 3339 with nanoseconds and trailing zeros
/// trimmed (`2025-06-10T00:14:03.5Z`, `…:03Z`). The world has millisecond
/// instants; the sub-millisecond digits are drawn by the caller.
pub fn gophish_utc(at_ms: i64, extra_nanos: u32) -> String {
    let l = local(at_ms, 0);
    let nanos = l.millis * 1_000_000 + extra_nanos % 1_000_000;
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        l.date.year, l.date.month, l.date.day, l.hour, l.minute, l.second
    );
    if nanos != 0 {
        let digits = format!("{nanos:09}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Apache/nginx `%t`: `[10/Jun/2025:09:14:03 +0900]` in the server's zone.
pub fn clf(at_ms: i64, offset_minutes: i32) -> String {
    let l = local(at_ms, offset_minutes);
    format!(
        "[{:02}/{}/{:04}:{:02}:{:02}:{:02} {}]",
        l.date.day,
        MONTHS[(l.date.month - 1) as usize],
        l.date.year,
        l.hour,
        l.minute,
        l.second,
        offset_text(offset_minutes, false)
    )
}
