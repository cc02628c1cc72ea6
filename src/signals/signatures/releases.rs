//! Browser release tables: the real major-release dates of a browser family
//! (`assets/browser-releases.toml`, or a user file's `[[browser]]` entry),
//! and the major a campaign's date expects. Past the table's last date the
//! next majors are extrapolated at the cadence the table itself shows, so a
//! table a few months old still gives a fair figure, and a holiday gap in
//! the past does not skew it the way a fixed "every 28 days" did.

use jiff::civil::Date;

use super::Origin;

/// How many of the last gaps the observed cadence averages.
const CADENCE_GAPS: usize = 12;

/// A browser family with its known major releases.
#[derive(Clone, Debug, PartialEq)]
pub struct BrowserEntry {
    /// As the User-Agent parser names it (`Chrome`, `Edge`, `Firefox`, `Safari`).
    pub family: String,
    /// Known majors and their release dates, oldest first.
    pub releases: Vec<(u32, Date)>,
    /// Days between majors past the last known one: the table's mean gap
    /// (or a user file's `every_days`).
    pub every_days: f32,
    /// Majors supported for longer (Firefox ESR): never counted as stale.
    pub extended: Vec<u32>,
    pub origin: Origin,
}

/// The major a date expects, and how that was found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AssumedRelease {
    pub major: u32,
    /// The known release it rests on (the newest at the date).
    pub known: u32,
    pub known_on: Date,
    /// Majors added past the table at the observed cadence.
    pub extrapolated: u32,
}

impl BrowserEntry {
    /// An entry from its releases (any order); the cadence is the mean of
    /// the last gaps unless `every_days` is given.
    pub fn new(
        family: String,
        mut releases: Vec<(u32, Date)>,
        every_days: Option<f32>,
        extended: Vec<u32>,
        origin: Origin,
    ) -> BrowserEntry {
        releases.sort_by_key(|&(major, on)| (on, major));
        let observed = || {
            let gaps: Vec<f32> = releases
                .windows(2)
                .rev()
                .take(CADENCE_GAPS)
                .map(|w| (w[1].1 - w[0].1).get_days() as f32 / (w[1].0 - w[0].0).max(1) as f32)
                .collect();
            (!gaps.is_empty()).then(|| gaps.iter().sum::<f32>() / gaps.len() as f32)
        };
        let every_days = every_days.or_else(observed).unwrap_or(0.0);
        BrowserEntry {
            family,
            releases,
            every_days,
            extended,
            origin,
        }
    }

    /// The major expected to be out by `date`: the newest known release on
    /// or before it, or past the table's end the last one plus the majors
    /// the cadence adds. `None` before the first known release.
    pub fn assumed(&self, date: Date) -> Option<AssumedRelease> {
        let at = self.releases.partition_point(|&(_, on)| on <= date);
        let &(known, known_on) = self.releases.get(at.checked_sub(1)?)?;
        let extrapolated = if at == self.releases.len() && self.every_days >= 1.0 {
            ((date - known_on).get_days() as f32 / self.every_days) as u32
        } else {
            0
        };
        Some(AssumedRelease {
            major: known + extrapolated,
            known,
            known_on,
            extrapolated,
        })
    }

    /// The newest major expected to be released by `date`.
    pub fn expected_major(&self, date: Date) -> Option<u32> {
        self.assumed(date).map(|a| a.major)
    }

    /// The major `n` releases before `major` (Safari 26 back one is 18).
    pub fn releases_before(&self, major: u32, n: u32) -> u32 {
        let last = self.releases.iter().map(|r| r.0).max().unwrap_or(0);
        let past_table = major.saturating_sub(last).min(n);
        let (major, n) = (major - past_table, n - past_table);
        if n == 0 {
            return major;
        }
        let mut older: Vec<u32> = self
            .releases
            .iter()
            .map(|r| r.0)
            .filter(|&m| m < major)
            .collect();
        older.sort_unstable();
        older
            .iter()
            .rev()
            .nth(n as usize - 1)
            .copied()
            .unwrap_or(major.saturating_sub(n))
    }

    /// Releases between `major` and `reference` (majors the browser is
    /// behind): counted in the table, so a family that skips numbers
    /// (Safari 18 to 26) is one release behind, not eight; past the table,
    /// one per major.
    pub fn releases_behind(&self, major: u32, reference: u32) -> u32 {
        if reference <= major {
            return 0;
        }
        let majors = || self.releases.iter().map(|r| r.0);
        let (Some(first), Some(last)) = (majors().min(), majors().max()) else {
            return reference - major;
        };
        // Older than the table, and newer: one release per major.
        let below = reference.min(first.saturating_sub(1)).saturating_sub(major);
        let above = reference.saturating_sub(last.max(major));
        let known = majors().filter(|&m| m > major && m <= reference).count() as u32;
        below + known + above
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn chrome() -> BrowserEntry {
        BrowserEntry::new(
            "Chrome".into(),
            vec![
                (148, d("2026-04-23")),
                (149, d("2026-05-20")),
                (150, d("2026-06-17")),
                (151, d("2026-07-15")),
                (152, d("2026-08-12")),
            ],
            None,
            Vec::new(),
            Origin::Builtin(String::new()),
        )
    }

    #[test]
    fn a_date_in_the_table_gets_its_release() {
        let c = chrome();
        assert_eq!(c.expected_major(d("2026-08-01")), Some(151));
        assert_eq!(c.expected_major(d("2026-07-15")), Some(151));
        assert_eq!(c.expected_major(d("2026-04-22")), None);
        assert_eq!(c.assumed(d("2026-08-01")).unwrap().extrapolated, 0);
    }

    #[test]
    fn past_the_table_the_observed_cadence_extrapolates() {
        let c = chrome();
        assert!((c.every_days - 27.75).abs() < 0.01, "{}", c.every_days);
        let a = c.assumed(d("2026-11-10")).unwrap();
        assert_eq!((a.known, a.extrapolated, a.major), (152, 3, 155));
    }

    #[test]
    fn releases_behind_count_real_releases() {
        let safari = BrowserEntry::new(
            "Safari".into(),
            vec![
                (17, d("2023-09-18")),
                (18, d("2024-09-16")),
                (26, d("2025-09-15")),
            ],
            None,
            Vec::new(),
            Origin::Builtin(String::new()),
        );
        assert_eq!(safari.releases_behind(18, 26), 1);
        assert_eq!(safari.releases_behind(17, 26), 2);
        assert_eq!(safari.releases_behind(26, 27), 1);
        assert_eq!(safari.releases_before(26, 1), 18);
        assert_eq!(safari.releases_before(27, 2), 18);
        assert_eq!(chrome().releases_before(155, 2), 153);
        assert_eq!(chrome().releases_before(153, 2), 151);
        assert_eq!(chrome().releases_behind(140, 152), 12);
        assert_eq!(chrome().releases_behind(150, 154), 4);
        assert_eq!(chrome().releases_behind(152, 150), 0);
    }
}
