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

/// The second demo (`--demo signins`): one week of sign-ins and the audit
/// log of a fictional Japanese company, then a password spray, a success
/// from a hosting network, an inbox rule forwarding outside and a burst of
/// sends; the story is in `assets/demo/signins/README.md`.
pub mod signins {
    use std::path::PathBuf;

    use crate::owner::{OwnerDatabases, OwnerDbError};
    use crate::signin::{Investigation, ReadOptions, SigninError};

    /// The logs, under the names they are shown with.
    pub const FILES: [(&str, &[u8]); 3] = [
        (
            "demo/signins/InteractiveSignIns_2025-03-03_2025-03-10.csv",
            include_bytes!("../assets/demo/signins/InteractiveSignIns_2025-03-03_2025-03-10.csv"),
        ),
        (
            "demo/signins/NonInteractiveSignIns_2025-03-03_2025-03-10.csv",
            include_bytes!(
                "../assets/demo/signins/NonInteractiveSignIns_2025-03-03_2025-03-10.csv"
            ),
        ),
        (
            "demo/signins/AuditLog_2025-03-10_093000.csv",
            include_bytes!("../assets/demo/signins/AuditLog_2025-03-10_093000.csv"),
        ),
    ];
    /// The mail a customer forwarded: one of the burst's sends.
    pub const MAIL: (&str, &[u8]) = (
        "demo/signins/forwarded-by-customer.eml",
        include_bytes!("../assets/demo/signins/forwarded-by-customer.eml"),
    );
    /// Built by `whoclicked mmdb build` from `assets/demo/signins/ranges.tsv`.
    pub const ASN_DATABASE: &[u8] = include_bytes!("../assets/demo/signins/signins-asn.mmdb");
    pub const ASN_DATABASE_NAME: &str = "demo/signins/signins-asn.mmdb";

    /// Reads the demo's three logs as one investigation.
    pub fn load(options: &ReadOptions) -> Result<Investigation, SigninError> {
        let mut investigation = Investigation::new();
        for (name, bytes) in FILES {
            investigation.read(name, bytes, options)?;
        }
        investigation.finish();
        Ok(investigation)
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
}
