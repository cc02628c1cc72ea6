//! What a database file is: its metadata, recognised schema and the owner
//! fields whoclicked takes from it.

use std::path::{Path, PathBuf};

use maxminddb::{Reader, WithinOptions};

use super::OwnerDbError;
use super::decode;
use super::schema::{self, DatabaseKind, Recognition, TypeHint};
use super::sniff;

/// One database file, as whoclicked understands it.
#[derive(Clone, Debug, PartialEq)]
pub struct DatabaseInfo {
    pub path: PathBuf,
    /// `metadata.database_type`, verbatim.
    pub database_type: String,
    pub kind: DatabaseKind,
    /// How `kind` was recognised.
    pub recognised_by: Recognition,
    pub build_time: jiff::Timestamp,
    pub ip_version: u16,
    pub node_count: u32,
    pub record_size: u16,
    pub languages: Vec<String>,
    /// The English description, else the first one.
    pub description: Option<String>,
    /// The `Owner` fields whoclicked takes from this file (`asn`, `country_code`…).
    pub fields: Vec<&'static str>,
    /// Top-level and second-level keys of sample records, for unknown files.
    pub sample_keys: Vec<String>,
    /// Why whoclicked takes nothing from this database, when it takes nothing.
    pub unsupported: Option<String>,
    /// The database whoclicked ships (`owner::bundled`), not a file.
    pub bundled: bool,
}

impl DatabaseInfo {
    /// The build date, `YYYY-MM-DD` in UTC.
    pub fn build_date(&self) -> String {
        self.build_time.strftime("%Y-%m-%d").to_string()
    }
}

/// Reads the metadata, recognises the schema, and decodes the first records
/// with the chosen model so that a file whose records do not fit its
/// declared schema fails here, naming the file, instead of at every lookup.
pub(crate) fn inspect<S: AsRef<[u8]>>(
    path: &Path,
    reader: &Reader<S>,
) -> Result<DatabaseInfo, OwnerDbError> {
    let meta = reader.metadata();
    let corrupt = |message: String| OwnerDbError::Corrupt {
        path: path.to_path_buf(),
        message,
    };
    let build_time = i64::try_from(meta.build_epoch)
        .ok()
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .ok_or_else(|| OwnerDbError::Invalid {
            path: path.to_path_buf(),
            message: format!("build_epoch {} is not a valid time", meta.build_epoch),
        })?;
    let keys = sniff::sample_keys(reader)
        .map_err(|err| corrupt(format!("cannot read its first records: {err}")))?;
    let (kind, recognised_by) = match schema::hint_from_type(&meta.database_type) {
        TypeHint::Known(kind, how) => (kind, how),
        TypeHint::Ipinfo => (
            schema::kind_from_keys(&keys, true),
            Recognition::DatabaseType,
        ),
        TypeHint::NoOwnerFacts(_) => (DatabaseKind::Other, Recognition::DatabaseType),
        TypeHint::Unknown => (
            schema::kind_from_keys(&keys, false),
            Recognition::RecordKeys,
        ),
    };
    probe(reader, kind).map_err(|err| {
        corrupt(format!(
            "its records do not fit the {} schema: {err}",
            kind.label()
        ))
    })?;
    let unsupported =
        (kind == DatabaseKind::Other).then(|| match schema::hint_from_type(&meta.database_type) {
            TypeHint::NoOwnerFacts(what) => format!("it holds {what}"),
            _ if keys.records == 0 => "it has no records with data".to_string(),
            _ if keys.keys().next().is_none() => "its records are not maps".to_string(),
            _ => format!(
                "its records have none of the keys whoclicked reads (keys: {})",
                keys.keys().collect::<Vec<_>>().join(", ")
            ),
        });
    let description = meta
        .description
        .get("en")
        .or_else(|| meta.description.values().next())
        .cloned();
    Ok(DatabaseInfo {
        path: path.to_path_buf(),
        database_type: meta.database_type.clone(),
        kind,
        recognised_by,
        build_time,
        ip_version: meta.ip_version,
        node_count: meta.node_count,
        record_size: meta.record_size,
        languages: meta.languages.clone(),
        description,
        fields: schema::owner_fields(kind, &keys),
        sample_keys: keys.keys().map(str::to_string).collect(),
        unsupported,
        bundled: false,
    })
}

/// Decodes the first sample records with the model for `kind`.
fn probe<S: AsRef<[u8]>>(
    reader: &Reader<S>,
    kind: DatabaseKind,
) -> Result<(), maxminddb::MaxMindDbError> {
    if kind.decoder().is_none() {
        return Ok(());
    }
    let mut decoded = 0;
    for item in reader.networks(WithinOptions::default())? {
        let result = item?;
        if result.has_data() {
            decode::decode(&result, kind)?;
            decoded += 1;
            if decoded >= sniff::SAMPLE_RECORDS {
                break;
            }
        }
    }
    Ok(())
}
