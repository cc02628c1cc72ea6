//! The bundled demo campaign (`--demo`): a synthetic campaign at a fictional
//! Japanese company and a small owner database of real ranges, built into the
//! binary so the demo works wherever whoclicked is installed. The story and
//! its ground truth are in `assets/demo/README.md`.

use std::path::PathBuf;

use crate::input::{self, LoadError, LoadOptions, LoadProgress};
use crate::model::{Campaign, parse_zone};
use crate::owner::{OwnerDatabases, OwnerDbError};

/// The campaign log, in whoclicked's native CSV format.
pub const CAMPAIGN_CSV: &[u8] = include_bytes!("../assets/demo/campaign.csv");
/// The name the demo log is shown under.
pub const CAMPAIGN_NAME: &str = "demo/campaign.csv";
/// An ASN database built by `whoclicked mmdb build` from `assets/demo/ranges.tsv`.
pub const ASN_DATABASE: &[u8] = include_bytes!("../assets/demo/demo-asn.mmdb");
pub const ASN_DATABASE_NAME: &str = "demo/demo-asn.mmdb";
/// The demo company is in Japan (no daylight saving): its times read best in JST.
pub const ZONE: &str = "+09:00";

/// Reads the demo campaign (its times carry offsets; `options.zone` only
/// matters for display).
pub fn load(options: &LoadOptions, progress: &LoadProgress) -> Result<Campaign, LoadError> {
    let mut campaign = Campaign::new();
    input::read_into(
        &mut campaign,
        CAMPAIGN_NAME,
        CAMPAIGN_CSV,
        options,
        progress,
    )?;
    Ok(campaign)
}

/// The demo's owner database, plus any extra files (`--mmdb`) after it.
pub fn databases(extra: &[PathBuf]) -> Result<OwnerDatabases, OwnerDbError> {
    let mut all = vec![(PathBuf::from(ASN_DATABASE_NAME), ASN_DATABASE.to_vec())];
    for path in extra {
        let bytes = std::fs::read(path).map_err(|source| OwnerDbError::Io {
            path: path.clone(),
            source,
        })?;
        all.push((path.clone(), bytes));
    }
    OwnerDatabases::from_bytes(all)
}

/// The zone the demo is shown in unless the user chose one.
pub fn zone() -> jiff::tz::TimeZone {
    parse_zone(ZONE).unwrap_or(jiff::tz::TimeZone::UTC)
}
