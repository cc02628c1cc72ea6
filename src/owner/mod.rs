//! Who owns an IP address: AS number and organisation, ISP, network prefix,
//! country, connection and user type, anonymity flags, from any number of
//! MaxMind-format (`.mmdb`) databases.

use std::fmt;
use std::sync::Arc;

use ipnetwork::IpNetwork;

mod bundled;
mod cache;
mod database;
mod databases;
mod decode;
mod discover;
mod error;
mod info;
mod integrity;
mod internal;
mod language;
mod merge;
mod schema;
mod sniff;
mod table;

pub use bundled::{BUNDLED_NAME, STALE_AFTER_DAYS, months_stale, stale_warning};
pub use databases::{LookupErrors, OwnerDatabases};
pub use decode::parse_asn;
pub use discover::{
    Discovered, MMDB_ENV, NO_DEFAULT_MMDB_ENV, default_mmdb_dirs, discover, discover_in,
    no_database_advice, user_mmdb_dir,
};
pub use error::OwnerDbError;
pub use info::DatabaseInfo;
#[cfg(any(test, feature = "testing"))]
pub use integrity::damaged_database_for_tests;
pub use integrity::{
    Damaged, IntegrityCheck, check_integrity, check_integrity_with, remember_check,
};
pub use internal::{internal_range, is_own_network};
pub use language::{Language, language_from_locale, ui_language};
pub use schema::{DatabaseKind, Recognition};
pub use table::Owners;

/// Reads a database file's metadata and recognises its schema without
/// keeping it open; used by `whoclicked mmdb info`. Unlike
/// [`OwnerDatabases::open`] it describes files whoclicked takes nothing from.
pub fn inspect_file(path: &std::path::Path) -> Result<DatabaseInfo, OwnerDbError> {
    let reader = maxminddb::Reader::open_readfile(path)
        .map_err(|err| OwnerDbError::from_reader(path.to_path_buf(), err))?;
    info::inspect(path, &reader)
}

/// Anonymity and hosting flags, as Anonymous-IP / Enterprise / IPinfo databases give them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct OwnerFlags {
    pub anonymous: bool,
    pub anonymous_vpn: bool,
    pub hosting_provider: bool,
    pub public_proxy: bool,
    pub residential_proxy: bool,
    pub tor_exit_node: bool,
}

impl OwnerFlags {
    pub fn any(&self) -> bool {
        self.names().next().is_some()
    }

    /// The names of the flags that are set (`vpn`, `hosting`…), for display.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        [
            (self.anonymous, "anonymous"),
            (self.anonymous_vpn, "vpn"),
            (self.hosting_provider, "hosting"),
            (self.public_proxy, "proxy"),
            (self.residential_proxy, "residential-proxy"),
            (self.tor_exit_node, "tor"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
    }

    pub fn merge(&mut self, other: OwnerFlags) {
        self.anonymous |= other.anonymous;
        self.anonymous_vpn |= other.anonymous_vpn;
        self.hosting_provider |= other.hosting_provider;
        self.public_proxy |= other.public_proxy;
        self.residential_proxy |= other.residential_proxy;
        self.tor_exit_node |= other.tor_exit_node;
    }
}

/// What the databases say about one address, merged over all of them.
/// Every field is optional: a database knows what its schema holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Owner {
    /// The matched prefix of the most specific database that knew the address.
    pub network: Option<IpNetwork>,
    pub asn: Option<u32>,
    pub as_org: Option<Arc<str>>,
    pub isp: Option<Arc<str>>,
    pub organization: Option<Arc<str>>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country_code: Option<Arc<str>>,
    /// In the display language when the database has it (Japanese under a `ja` locale).
    pub country_name: Option<Arc<str>>,
    pub city: Option<Arc<str>>,
    /// `Cable/DSL`, `Cellular`, `Corporate`, `Satellite`…
    pub connection_type: Option<Arc<str>>,
    /// `business`, `residential`, `hosting`, `cellular`… (Enterprise, IPinfo `type`).
    pub user_type: Option<Arc<str>>,
    /// Second-level domain of the network (Domain, IPinfo `as_domain`).
    pub domain: Option<Arc<str>>,
    pub flags: OwnerFlags,
    /// Set for private, loopback and other reserved addresses: why it is internal.
    pub internal: Option<&'static str>,
    /// Indices of the databases that contributed, into the list the lookup came from.
    pub sources: Vec<u16>,
}

impl Owner {
    /// True when no database knew anything and the address is not internal.
    pub fn is_unknown(&self) -> bool {
        self.internal.is_none()
            && self.asn.is_none()
            && self.as_org.is_none()
            && self.isp.is_none()
            && self.organization.is_none()
            && self.country_code.is_none()
            && self.city.is_none()
            && !self.flags.any()
    }

    /// The most specific owner name: organisation, else ISP, else AS organisation.
    pub fn display_name(&self) -> Option<&str> {
        self.organization
            .as_deref()
            .or(self.isp.as_deref())
            .or(self.as_org.as_deref())
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(why) = self.internal {
            return write!(f, "internal ({why})");
        }
        match (self.asn, self.display_name()) {
            (Some(asn), Some(name)) => write!(f, "AS{asn} {name}"),
            (Some(asn), None) => write!(f, "AS{asn}"),
            (None, Some(name)) => f.write_str(name),
            (None, None) => f.write_str("unknown"),
        }
    }
}
