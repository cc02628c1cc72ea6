//! Building a GeoLite2-ASN-schema database from a range list.

use std::sync::Arc;

use super::ranges::AsnRange;
use super::value::{Map, Value};
use super::writer::{BuildError, WriteStats, Writer, WriterOptions};
use crate::fasthash::FastMap;

/// The type written by `whoclicked mmdb build`. The `(compat=…)` suffix is
/// DB-IP's convention for "MaxMind schema, other maker", which whoclicked
/// and other readers (geoip2-golang) understand.
pub const ASN_DATABASE_TYPE: &str = "whoclicked-ASN (compat=GeoLite2-ASN)";

/// How to build an ASN database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildOptions {
    /// Recorded as the build time (midnight UTC); part of the output bytes.
    pub build_date: jiff::civil::Date,
    pub database_type: String,
    /// The English description; `None` writes a standard one.
    pub description: Option<String>,
    /// Make `::ffff:0:0/96` and `2002::/16` lead to the IPv4 data.
    pub ipv4_aliases: bool,
}

impl BuildOptions {
    pub fn new(build_date: jiff::civil::Date) -> Self {
        BuildOptions {
            build_date,
            database_type: ASN_DATABASE_TYPE.to_string(),
            description: None,
            ipv4_aliases: true,
        }
    }
}

/// A built database and what went into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsnBuild {
    pub bytes: Vec<u8>,
    pub stats: WriteStats,
}

/// Builds an IPv6 database (IPv4 at `::/96`) in the GeoLite2-ASN schema:
/// `autonomous_system_number` (uint32), `autonomous_system_organization`
/// (left out when empty), plus `country: {iso_code}` when the range has a
/// country. Overlaps: the more specific block wins, and for the same block
/// the later range (see `writer`). The bytes depend only on the ranges and
/// the options.
pub fn build_asn_database(
    ranges: &[AsnRange],
    options: &BuildOptions,
) -> Result<AsnBuild, BuildError> {
    let build_epoch = options
        .build_date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .and_then(|zoned| u64::try_from(zoned.timestamp().as_second()).ok())
        .ok_or_else(|| BuildError::InvalidOption {
            message: format!("build date {} is before 1970", options.build_date),
        })?;
    let countries = ranges.iter().any(|r| r.country.is_some());
    let description = options.description.clone().unwrap_or_else(|| {
        format!(
            "IP to ASN ranges (GeoLite2-ASN schema{}), built by whoclicked from {} ranges",
            if countries { " with country" } else { "" },
            ranges.len()
        )
    });
    let mut writer = Writer::new(WriterOptions {
        database_type: options.database_type.clone(),
        ip_version: 6,
        languages: vec!["en".to_string()],
        description: [("en".to_string(), description)].into_iter().collect(),
        build_epoch,
        ipv4_aliases: options.ipv4_aliases,
        record_size: None,
    })?;
    // Ranges share owners: build each distinct record once.
    let mut ids = FastMap::default();
    for range in ranges {
        let key = (range.asn, Arc::clone(&range.org), range.country.clone());
        let id = match ids.get(&key) {
            Some(&id) => id,
            None => {
                let id = writer.record(asn_record(range));
                ids.insert(key, id);
                id
            }
        };
        writer.insert_range(range.start, range.end, id)?;
    }
    let written = writer.finish()?;
    Ok(AsnBuild {
        bytes: written.bytes,
        stats: written.stats,
    })
}

fn asn_record(range: &AsnRange) -> Value {
    let mut record = Map::new().with("autonomous_system_number", Value::Uint32(range.asn));
    if !range.org.is_empty() {
        record.insert("autonomous_system_organization", &*range.org);
    }
    if let Some(country) = &range.country {
        record.insert("country", Map::new().with("iso_code", &**country));
    }
    Value::Map(record)
}
