//! The owner database whoclicked ships: a full IP-to-ASN file
//! (`assets/owner-data/asn.mmdb`, CC BY 4.0, see the README beside it)
//! compiled into the binary, so `cargo install` and a fresh clone both have
//! it without an install step. It is used only when none of the databases
//! found gives AS numbers: a MaxMind or IPinfo file the user adds, or one
//! `whoclicked mmdb update` built, takes precedence. Range data ages, so once
//! it is more than six months old the user is told how to refresh it.

use std::path::Path;

use super::{DatabaseInfo, OwnerDatabases, OwnerDbError};

/// How the bundled database is named wherever a file name would be.
pub const BUNDLED_NAME: &str = "bundled ASN data";

/// The file itself.
static BYTES: &[u8] = include_bytes!("../../assets/owner-data/asn.mmdb");

/// Older than this, the data is called stale (about six months).
pub const STALE_AFTER_DAYS: i64 = 183;

impl OwnerDatabases {
    /// Adds the bundled database, consulted after those already open.
    pub fn add_bundled(&mut self) -> Result<(), OwnerDbError> {
        self.push_bytes(Path::new(BUNDLED_NAME), BYTES.to_vec(), true)
    }

    /// Whether any database open gives AS numbers.
    pub fn gives_asn(&self) -> bool {
        self.infos().iter().any(|info| info.fields.contains(&"asn"))
    }
}

/// How many months old data built at `built` is at `now`, when it is older
/// than six months (stale); `None` while it is fresh.
pub fn months_stale(built: jiff::Timestamp, now: jiff::Timestamp) -> Option<i64> {
    let days = (now.as_second() - built.as_second()) / 86_400;
    (days > STALE_AFTER_DAYS).then_some(days * 12 / 365)
}

/// When `info` is the bundled database and older than six months at `now`:
/// how old, and what to do (`the bundled owner data is from 2026-06-17, 7
/// months ago: whoclicked mmdb update fetches current data`).
pub fn stale_warning(info: &DatabaseInfo, now: jiff::Timestamp) -> Option<String> {
    if !info.bundled {
        return None;
    }
    months_stale(info.build_time, now).map(|months| {
        format!(
            "the bundled owner data is from {}, {months} months ago: `whoclicked mmdb update` \
             fetches current data",
            info.build_date(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_database_opens_and_knows_microsoft() {
        let mut dbs = OwnerDatabases::empty();
        dbs.add_bundled().unwrap();
        assert!(dbs.gives_asn());
        let info = &dbs.infos()[0];
        assert!(info.bundled);
        assert_eq!(info.build_date(), "2026-06-17");
        let owner = dbs.lookup("40.94.0.1".parse().unwrap());
        assert_eq!(owner.asn, Some(8075));
        assert_eq!(owner.as_org.as_deref(), Some("Microsoft Corporation"));
    }

    #[test]
    fn it_is_stale_after_six_months() {
        let mut dbs = OwnerDatabases::empty();
        dbs.add_bundled().unwrap();
        let info = &dbs.infos()[0];
        let day = |d: &str| format!("{d}T00:00:00Z").parse::<jiff::Timestamp>().unwrap();
        assert_eq!(stale_warning(info, day("2026-12-02")), None);
        let said = stale_warning(info, day("2027-01-20")).unwrap();
        assert!(
            said.starts_with("the bundled owner data is from 2026-06-17, 7 months ago"),
            "{said}"
        );
        let mut other = info.clone();
        other.bundled = false;
        assert_eq!(stale_warning(&other, day("2030-01-01")), None);
    }
}
