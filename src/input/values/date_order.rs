//! Dates written with the year last (`10/01/2026 9:05 AM`, `01.10.2026
//! 09:05`). Whether the first number is the month (US) or the day cannot be
//! told from the text, so such dates are read only when the user says which
//! order the file uses; otherwise they are refused with that advice.

/// The order of a date's numbers when the year comes last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateOrder {
    /// Year first only (`2026-10-01`); a year-last date is refused as
    /// ambiguous.
    #[default]
    YearFirst,
    /// `10/01/2026` is 1 October (US).
    MonthDayYear,
    /// `10/01/2026` is 10 January (most of Europe, Latin America…).
    DayMonthYear,
}

/// A year-last date split into its numbers, and what follows the date.
pub(super) struct YearLast<'a> {
    first: &'a str,
    second: &'a str,
    year: &'a str,
    /// The separator between date and time, and the time (` 9:05 AM`).
    rest: &'a str,
}

/// `10/01/2026`, `1-10-2026 9:05`, `01.10.2026`: two numbers that may be the
/// month or the day, then a four-digit year.
pub(super) fn split(text: &str) -> Option<YearLast<'_>> {
    let text = text.trim();
    let end = text.find([' ', 'T']).unwrap_or(text.len());
    let (date, rest) = text.split_at(end);
    let mut parts = date.split(['/', '-', '.']);
    let (first, second, year) = (parts.next()?, parts.next()?, parts.next()?);
    let numeric = |p: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit())
    };
    (parts.next().is_none()
        && numeric(first, 1..=2)
        && numeric(second, 1..=2)
        && numeric(year, 4..=4))
    .then_some(YearLast {
        first,
        second,
        year,
        rest,
    })
}

impl YearLast<'_> {
    /// The same time written year first (`2026-10-01 09:05`), the 12-hour
    /// clock's AM/PM turned into 24 hours; `None` when `order` is
    /// [`DateOrder::YearFirst`] or the AM/PM hour is not 1 to 12.
    pub(super) fn year_first(&self, order: DateOrder) -> Option<String> {
        let (month, day) = match order {
            DateOrder::YearFirst => return None,
            DateOrder::MonthDayYear => (self.first, self.second),
            DateOrder::DayMonthYear => (self.second, self.first),
        };
        let rest = twenty_four_hour(self.rest)?;
        Some(format!("{}-{month}-{day}{rest}", self.year))
    }
}

/// ` 9:05:03 PM` as ` 21:05:03`; a time without AM/PM as it is.
fn twenty_four_hour(rest: &str) -> Option<String> {
    let trimmed = rest.trim_end();
    let lower = trimmed.to_ascii_lowercase();
    let pm = if lower.ends_with("pm") {
        true
    } else if lower.ends_with("am") {
        false
    } else {
        return Some(rest.to_string());
    };
    let time = trimmed[..trimmed.len() - 2].trim_end();
    let start = time.len() - time.trim_start().len();
    let digits = time[start..].bytes().take_while(u8::is_ascii_digit).count();
    let hour: u32 = time[start..start + digits].parse().ok()?;
    if !(1..=12).contains(&hour) {
        return None;
    }
    let hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    Some(format!(
        "{}{hour:02}{}",
        &time[..start],
        &time[start + digits..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year_first(text: &str, order: DateOrder) -> Option<String> {
        split(text)?.year_first(order)
    }

    #[test]
    fn reorders_year_last_dates_as_told() {
        use DateOrder::*;
        assert_eq!(
            year_first("10/01/2026 09:05:03", MonthDayYear).as_deref(),
            Some("2026-10-01 09:05:03")
        );
        assert_eq!(
            year_first("10/01/2026 09:05:03", DayMonthYear).as_deref(),
            Some("2026-01-10 09:05:03")
        );
        assert_eq!(
            year_first("1.10.2026T9:05", DayMonthYear).as_deref(),
            Some("2026-10-1T9:05")
        );
        assert_eq!(year_first("10/01/2026 09:05", YearFirst), None);
        assert!(split("2026-10-01 09:05").is_none());
        assert!(split("10/01/26 09:05").is_none());
        assert!(split("10/01/2026/3 09:05").is_none());
    }

    #[test]
    fn reads_the_twelve_hour_clock() {
        use DateOrder::MonthDayYear;
        assert_eq!(
            year_first("10/1/2026 9:05 PM", MonthDayYear).as_deref(),
            Some("2026-10-1 21:05")
        );
        assert_eq!(
            year_first("10/1/2026 12:30:01 am", MonthDayYear).as_deref(),
            Some("2026-10-1 00:30:01")
        );
        assert_eq!(
            year_first("10/1/2026 12:30PM", MonthDayYear).as_deref(),
            Some("2026-10-1 12:30")
        );
        assert_eq!(year_first("10/1/2026 13:30 PM", MonthDayYear), None);
        assert_eq!(year_first("10/1/2026 0:30 AM", MonthDayYear), None);
    }
}
