//! Owner facts remembered per IP, so a later campaign or `lookup` on a
//! machine without that database still knows who owned the address, and
//! which database (and which build of it) said so.

use std::net::IpAddr;
use std::sync::Arc;

use ipnetwork::IpNetwork;
use serde::{Deserialize, Serialize};

use crate::owner::{Owner, OwnerFlags};

/// Which database contributed to a cached owner, and how old it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedSource {
    /// The database's name or type, e.g. `GeoLite2-ASN`.
    pub database: Arc<str>,
    /// When the database was built, RFC 3339 (`2026-09-01T00:00:00Z`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "optional_text"
    )]
    pub built: Option<jiff::Timestamp>,
}

impl CachedSource {
    pub fn new(database: impl Into<Arc<str>>, built: Option<jiff::Timestamp>) -> CachedSource {
        CachedSource {
            database: database.into(),
            built,
        }
    }
}

/// The merged owner facts of one address, as stored in the knowledge base.
/// Internal (private, loopback…) addresses are never cached: their reason is
/// derived from the address alone, without any database.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedOwner {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "optional_text"
    )]
    pub network: Option<IpNetwork>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_org: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isp: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_name: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_type: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Arc<str>>,
    /// Names of the flags that are set, as [`OwnerFlags::names`] spells them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<Arc<str>>,
    /// The databases the facts came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<CachedSource>,
}

impl CachedOwner {
    /// The record to cache for `owner`, naming the databases it came from
    /// (the caller maps `owner.sources` to database names and build dates).
    /// `None` for internal and unknown addresses: nothing worth keeping.
    pub fn from_owner(owner: &Owner, sources: Vec<CachedSource>) -> Option<CachedOwner> {
        if owner.internal.is_some() || owner.is_unknown() {
            return None;
        }
        let text = Option::<Arc<str>>::clone;
        Some(CachedOwner {
            network: owner.network,
            asn: owner.asn,
            as_org: text(&owner.as_org),
            isp: text(&owner.isp),
            organization: text(&owner.organization),
            country_code: text(&owner.country_code),
            country_name: text(&owner.country_name),
            city: text(&owner.city),
            connection_type: text(&owner.connection_type),
            user_type: text(&owner.user_type),
            domain: text(&owner.domain),
            flags: owner.flags.names().map(Arc::from).collect(),
            sources,
        })
    }

    /// The facts as an [`Owner`]. `sources` is empty: the cached databases
    /// are not among the ones the caller opened; see [`CachedOwner::sources`].
    pub fn to_owner(&self) -> Owner {
        let text = Option::<Arc<str>>::clone;
        let mut flags = OwnerFlags::default();
        for name in &self.flags {
            match &**name {
                "anonymous" => flags.anonymous = true,
                "vpn" => flags.anonymous_vpn = true,
                "hosting" => flags.hosting_provider = true,
                "proxy" => flags.public_proxy = true,
                "residential-proxy" => flags.residential_proxy = true,
                "tor" => flags.tor_exit_node = true,
                // A flag this build does not know says nothing it could use.
                _ => {}
            }
        }
        Owner {
            network: self.network,
            asn: self.asn,
            as_org: text(&self.as_org),
            isp: text(&self.isp),
            organization: text(&self.organization),
            country_code: text(&self.country_code),
            country_name: text(&self.country_name),
            city: text(&self.city),
            connection_type: text(&self.connection_type),
            user_type: text(&self.user_type),
            domain: text(&self.domain),
            flags,
            internal: None,
            sources: Vec::new(),
        }
    }

    /// Whether the cached network, if any, contains `ip` (a record copied
    /// onto the wrong key would otherwise mislead quietly).
    pub fn covers(&self, ip: IpAddr) -> bool {
        self.network
            .is_none_or(|net| net.contains(ip.to_canonical()))
    }
}

/// jiff and ipnetwork are built without their serde features; timestamps
/// and networks travel as their usual text (RFC 3339, CIDR).
mod optional_text {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Display, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.collect_str(v),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let text: Option<std::borrow::Cow<'de, str>> = Option::deserialize(deserializer)?;
        text.map(|t| t.parse::<T>().map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn microsoft() -> Owner {
        Owner {
            network: Some("40.94.0.0/16".parse().unwrap()),
            asn: Some(8075),
            as_org: Some("MICROSOFT-CORP-MSN-AS-BLOCK".into()),
            country_code: Some("US".into()),
            flags: OwnerFlags {
                hosting_provider: true,
                ..OwnerFlags::default()
            },
            sources: vec![0],
            ..Owner::default()
        }
    }

    #[test]
    fn round_trips_through_json() {
        let built = "2026-09-01T00:00:00Z".parse().unwrap();
        let cached = CachedOwner::from_owner(
            &microsoft(),
            vec![CachedSource::new("GeoLite2-ASN", Some(built))],
        )
        .unwrap();
        let json = serde_json::to_string(&cached).unwrap();
        assert!(json.contains(r#""built":"2026-09-01T00:00:00Z""#), "{json}");
        let back: CachedOwner = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cached);
        let owner = back.to_owner();
        assert_eq!(
            owner,
            Owner {
                sources: vec![],
                ..microsoft()
            }
        );
        assert!(back.covers("40.94.3.4".parse().unwrap()));
        assert!(!back.covers("40.95.0.1".parse().unwrap()));
    }

    #[test]
    fn internal_and_unknown_are_not_cached() {
        let internal = Owner {
            internal: Some("private"),
            ..Owner::default()
        };
        assert!(CachedOwner::from_owner(&internal, vec![]).is_none());
        assert!(CachedOwner::from_owner(&Owner::default(), vec![]).is_none());
    }
}
