//! Which schema a database follows, recognised from `metadata.database_type`
//! and, when the type string is unknown, from the keys of sample records.
//!
//! The type string decides first because decoding with the wrong model often
//! "succeeds" with every field empty; keys are the fallback for third-party
//! files with home-made type strings.

use std::fmt;

use super::sniff::SampleKeys;

/// The schema family of an owner database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DatabaseKind {
    /// `GeoLite2-ASN` and compatible files (DB-IP ASN Lite, `whoclicked mmdb build`).
    Asn,
    /// `GeoIP2-ISP`: ASN plus ISP and organisation names.
    Isp,
    /// `GeoLite2-Country` / `GeoIP2-Country` and compatible.
    Country,
    /// `GeoLite2-City` / `GeoIP2-City` and compatible.
    City,
    /// `GeoIP2-Enterprise`: City plus ISP, connection and user type, flags.
    Enterprise,
    /// `GeoIP2-Anonymous-IP`, `GeoIP-Anonymous-Plus`, `GeoIP2-IP-Risk`: anonymity flags.
    AnonymousIp,
    /// `GeoIP-Residential-Proxy`: every listed network is a residential proxy.
    ResidentialProxy,
    /// `GeoIP2-Connection-Type`.
    ConnectionType,
    /// `GeoIP2-Domain`.
    Domain,
    /// IPinfo Lite: `country` is the country *name*, `country_code` the code.
    IpinfoLite,
    /// IPinfo legacy country + ASN: `country` is the ISO *code*.
    IpinfoCountryAsn,
    /// IPinfo ASN (free or standard).
    IpinfoAsn,
    /// IPinfo country only.
    IpinfoCountry,
    /// IPinfo privacy detection (`vpn`, `proxy`, `tor`, `relay`, `hosting`).
    IpinfoPrivacy,
    /// Flat location files with `country_code` / `city` strings (sapics ip-location-db).
    FlatLocation,
    /// A readable database with nothing whoclicked shows about an owner.
    Other,
}

/// How the schema was recognised; shown by `whoclicked mmdb info`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recognition {
    /// From `database_type` alone.
    DatabaseType,
    /// From a DB-IP style `(compat=…)` suffix naming a MaxMind schema.
    Compat(String),
    /// From the keys of sample records (unknown or generic type string).
    RecordKeys,
}

impl fmt::Display for Recognition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recognition::DatabaseType => f.write_str("database type"),
            Recognition::Compat(schema) => write!(f, "compat={schema}"),
            Recognition::RecordKeys => f.write_str("keys of sample records"),
        }
    }
}

/// Which decoder reads a database's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decoder {
    /// Flat MaxMind-style keys (ASN, ISP, anonymity, connection type, domain, flat location).
    Flat,
    /// Nested City / Country / Enterprise records.
    Geo,
    /// IPinfo's flat string records.
    Ipinfo,
}

impl DatabaseKind {
    /// A short human name.
    pub fn label(self) -> &'static str {
        match self {
            DatabaseKind::Asn => "ASN",
            DatabaseKind::Isp => "ISP",
            DatabaseKind::Country => "Country",
            DatabaseKind::City => "City",
            DatabaseKind::Enterprise => "Enterprise",
            DatabaseKind::AnonymousIp => "Anonymous IP",
            DatabaseKind::ResidentialProxy => "Residential proxy",
            DatabaseKind::ConnectionType => "Connection type",
            DatabaseKind::Domain => "Domain",
            DatabaseKind::IpinfoLite => "IPinfo Lite",
            DatabaseKind::IpinfoCountryAsn => "IPinfo country+ASN (legacy)",
            DatabaseKind::IpinfoAsn => "IPinfo ASN",
            DatabaseKind::IpinfoCountry => "IPinfo country",
            DatabaseKind::IpinfoPrivacy => "IPinfo privacy",
            DatabaseKind::FlatLocation => "Flat location (ip-location-db)",
            DatabaseKind::Other => "other (no owner fields)",
        }
    }

    pub(crate) fn decoder(self) -> Option<Decoder> {
        match self {
            DatabaseKind::Asn
            | DatabaseKind::Isp
            | DatabaseKind::AnonymousIp
            | DatabaseKind::ResidentialProxy
            | DatabaseKind::ConnectionType
            | DatabaseKind::Domain
            | DatabaseKind::FlatLocation => Some(Decoder::Flat),
            DatabaseKind::Country | DatabaseKind::City | DatabaseKind::Enterprise => {
                Some(Decoder::Geo)
            }
            DatabaseKind::IpinfoLite
            | DatabaseKind::IpinfoCountryAsn
            | DatabaseKind::IpinfoAsn
            | DatabaseKind::IpinfoCountry
            | DatabaseKind::IpinfoPrivacy => Some(Decoder::Ipinfo),
            DatabaseKind::Other => None,
        }
    }

    /// The `Owner` fields a database of this kind can fill, before looking at
    /// its records (`DatabaseInfo::fields` has the per-file list).
    pub fn base_fields(self) -> &'static [&'static str] {
        match self {
            DatabaseKind::Asn => &["network", "asn", "as_org"],
            DatabaseKind::Isp => &["network", "asn", "as_org", "isp", "organization"],
            DatabaseKind::Country => &["network", "country_code", "country_name"],
            DatabaseKind::City => &["network", "country_code", "country_name", "city"],
            DatabaseKind::Enterprise => &[
                "network",
                "asn",
                "as_org",
                "isp",
                "organization",
                "country_code",
                "country_name",
                "city",
                "connection_type",
                "user_type",
                "domain",
                "flags",
            ],
            DatabaseKind::AnonymousIp
            | DatabaseKind::ResidentialProxy
            | DatabaseKind::IpinfoPrivacy => &["network", "flags"],
            DatabaseKind::ConnectionType => &["network", "connection_type"],
            DatabaseKind::Domain => &["network", "domain"],
            DatabaseKind::IpinfoLite | DatabaseKind::IpinfoCountryAsn => &[
                "network",
                "asn",
                "as_org",
                "domain",
                "country_code",
                "country_name",
            ],
            DatabaseKind::IpinfoAsn => &["network", "asn", "as_org", "domain"],
            DatabaseKind::IpinfoCountry => &["network", "country_code", "country_name"],
            DatabaseKind::FlatLocation => &["network", "country_code", "city"],
            DatabaseKind::Other => &[],
        }
    }
}

impl fmt::Display for DatabaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The owner fields whoclicked takes from one file: the kind's fields plus
/// optional ones its sample records show (an ASN file written by
/// `whoclicked mmdb build` from iptoasn data also carries a country).
pub(crate) fn owner_fields(kind: DatabaseKind, keys: &SampleKeys) -> Vec<&'static str> {
    let mut fields = kind.base_fields().to_vec();
    let mut add = |field: &'static str| {
        if !fields.contains(&field) {
            fields.push(field);
        }
    };
    match kind {
        DatabaseKind::Asn | DatabaseKind::Isp | DatabaseKind::FlatLocation => {
            if keys.has("country") || keys.has("country_code") {
                add("country_code");
            }
            if keys.has("country.names") {
                add("country_name");
            }
        }
        DatabaseKind::IpinfoAsn => {
            if keys.has("country") {
                add("country_code");
            }
            if keys.has("type") {
                add("user_type");
            }
        }
        _ => {}
    }
    fields
}

/// What the type string alone says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TypeHint {
    Known(DatabaseKind, Recognition),
    /// An IPinfo file: which product it is shows in the record keys.
    Ipinfo,
    /// A MaxMind product with no owner facts (density, scores, user counts).
    NoOwnerFacts(&'static str),
    Unknown,
}

/// Classifies a `database_type` string.
pub(crate) fn hint_from_type(database_type: &str) -> TypeHint {
    let ty = database_type.trim();
    if ty.to_ascii_lowercase().starts_with("ipinfo ") {
        return TypeHint::Ipinfo;
    }
    if let Some(compat) = compat_suffix(ty)
        && let Some(kind) = maxmind_kind(compat)
    {
        return TypeHint::Known(kind, Recognition::Compat(compat.to_string()));
    }
    let maxmind_family = ["GeoIP", "GeoLite", "DBIP"]
        .iter()
        .any(|family| ty.starts_with(family));
    if maxmind_family {
        for (marker, why) in [
            ("DensityIncome", "population density and income"),
            ("Static-IP-Score", "static IP scores"),
            ("User-Count", "user counts"),
        ] {
            if ty.contains(marker) {
                return TypeHint::NoOwnerFacts(why);
            }
        }
        if let Some(kind) = maxmind_kind(ty) {
            return TypeHint::Known(kind, Recognition::DatabaseType);
        }
    }
    // sapics/ip-location-db names its files after the product and family.
    match ty {
        "asn ipv4" | "asn ipv6" => TypeHint::Known(DatabaseKind::Asn, Recognition::DatabaseType),
        "city ipv4" | "city ipv6" | "country ipv4" | "country ipv6" => {
            TypeHint::Known(DatabaseKind::FlatLocation, Recognition::DatabaseType)
        }
        _ => TypeHint::Unknown,
    }
}

/// `X` of a DB-IP style `Name (compat=X)` type string.
fn compat_suffix(ty: &str) -> Option<&str> {
    let start = ty.find("(compat=")? + "(compat=".len();
    let rest = &ty[start..];
    let end = rest.find(')')?;
    Some(rest[..end].trim())
}

/// A MaxMind product name (or compat schema name) to its kind. Order
/// matters: `GeoIP2-Enterprise-Shield` must not become a City.
fn maxmind_kind(name: &str) -> Option<DatabaseKind> {
    const MARKERS: &[(&str, DatabaseKind)] = &[
        ("Anonymous-IP", DatabaseKind::AnonymousIp),
        ("Anonymous-Plus", DatabaseKind::AnonymousIp),
        ("IP-Risk", DatabaseKind::AnonymousIp),
        ("Residential-Proxy", DatabaseKind::ResidentialProxy),
        ("Connection-Type", DatabaseKind::ConnectionType),
        ("GeoIP2-Domain", DatabaseKind::Domain),
        ("Enterprise", DatabaseKind::Enterprise),
        ("ISP", DatabaseKind::Isp),
        ("ASN", DatabaseKind::Asn),
        ("City", DatabaseKind::City),
        ("Location", DatabaseKind::City),
        ("Country", DatabaseKind::Country),
    ];
    MARKERS
        .iter()
        .find(|(marker, _)| name.contains(marker))
        .map(|(_, kind)| *kind)
}

/// Classifies a database by the keys its records use.
pub(crate) fn kind_from_keys(keys: &SampleKeys, ipinfo: bool) -> DatabaseKind {
    let is_map = |key: &str| keys.is_map(key);
    if !ipinfo && (is_map("country") || is_map("city") || is_map("registered_country")) {
        let traits_owner = [
            "traits.isp",
            "traits.organization",
            "traits.autonomous_system_number",
            "traits.user_type",
            "traits.connection_type",
        ]
        .iter()
        .any(|key| keys.has(key));
        return if traits_owner {
            DatabaseKind::Enterprise
        } else if is_map("city") {
            DatabaseKind::City
        } else {
            DatabaseKind::Country
        };
    }
    if !ipinfo && keys.has("autonomous_system_number") {
        return if keys.has("isp") || keys.has("organization") {
            DatabaseKind::Isp
        } else {
            DatabaseKind::Asn
        };
    }
    if !ipinfo && keys.has("autonomous_system_organization") {
        return DatabaseKind::Asn;
    }
    let ipinfo_like = ipinfo || keys.has("asn") || keys.has("as_name");
    if ipinfo_like {
        if keys.has("country_code") {
            return DatabaseKind::IpinfoLite;
        }
        if keys.has("as_name") || (keys.has("asn") && keys.has("country_name")) {
            return DatabaseKind::IpinfoCountryAsn;
        }
        if keys.has("asn") {
            return DatabaseKind::IpinfoAsn;
        }
        if keys.has("country") || keys.has("country_name") {
            return DatabaseKind::IpinfoCountry;
        }
        if ["vpn", "proxy", "tor", "relay", "hosting"]
            .iter()
            .any(|key| keys.has(key))
        {
            return DatabaseKind::IpinfoPrivacy;
        }
        return DatabaseKind::Other;
    }
    if keys.has("country_code") || keys.has("city") {
        return DatabaseKind::FlatLocation;
    }
    if keys.has("connection_type") {
        return DatabaseKind::ConnectionType;
    }
    if keys.has("domain") {
        return DatabaseKind::Domain;
    }
    if keys.keys().any(|key| key.starts_with("is_")) {
        return DatabaseKind::AnonymousIp;
    }
    if keys.has("provider_name") {
        return DatabaseKind::ResidentialProxy;
    }
    DatabaseKind::Other
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::owner::sniff::Shape;

    fn known(ty: &str) -> Option<DatabaseKind> {
        match hint_from_type(ty) {
            TypeHint::Known(kind, _) => Some(kind),
            _ => None,
        }
    }

    #[test]
    fn maxmind_type_strings() {
        assert_eq!(known("GeoLite2-ASN"), Some(DatabaseKind::Asn));
        assert_eq!(known("GeoIP2-ISP"), Some(DatabaseKind::Isp));
        assert_eq!(known("GeoIP2-Precision-ISP"), Some(DatabaseKind::Isp));
        assert_eq!(known("GeoLite2-City"), Some(DatabaseKind::City));
        assert_eq!(known("GeoIP2-City-Shield"), Some(DatabaseKind::City));
        assert_eq!(known("GeoIP2-City-Europe"), Some(DatabaseKind::City));
        assert_eq!(known("GeoIP2-Country-Shield"), Some(DatabaseKind::Country));
        assert_eq!(
            known("GeoIP2-Enterprise-Shield"),
            Some(DatabaseKind::Enterprise)
        );
        assert_eq!(
            known("GeoIP2-Precision-Enterprise"),
            Some(DatabaseKind::Enterprise)
        );
        assert_eq!(
            known("GeoIP2-Anonymous-IP"),
            Some(DatabaseKind::AnonymousIp)
        );
        assert_eq!(
            known("GeoIP-Anonymous-Plus"),
            Some(DatabaseKind::AnonymousIp)
        );
        assert_eq!(
            known("GeoIP-Residential-Proxy"),
            Some(DatabaseKind::ResidentialProxy)
        );
        assert_eq!(
            known("GeoIP2-Connection-Type"),
            Some(DatabaseKind::ConnectionType)
        );
        assert_eq!(known("GeoIP2-Domain"), Some(DatabaseKind::Domain));
        assert!(matches!(
            hint_from_type("GeoIP2-DensityIncome"),
            TypeHint::NoOwnerFacts(_)
        ));
    }

    #[test]
    fn compat_and_third_party_strings() {
        assert_eq!(
            hint_from_type("DBIP-ASN-Lite (compat=GeoLite2-ASN)"),
            TypeHint::Known(
                DatabaseKind::Asn,
                Recognition::Compat("GeoLite2-ASN".into())
            )
        );
        assert_eq!(
            known("DBIP-Location-ISP (compat=Enterprise)"),
            Some(DatabaseKind::Enterprise)
        );
        assert_eq!(
            known("DBIP-Location (compat=City)"),
            Some(DatabaseKind::City)
        );
        assert_eq!(known("DBIP-City-Lite"), Some(DatabaseKind::City));
        assert_eq!(
            known("whoclicked-ASN (compat=GeoLite2-ASN)"),
            Some(DatabaseKind::Asn)
        );
        assert_eq!(
            hint_from_type("ipinfo bundle_location_lite_sample.mmdb"),
            TypeHint::Ipinfo
        );
        assert_eq!(known("city ipv4"), Some(DatabaseKind::FlatLocation));
        assert_eq!(
            hint_from_type("ip-location-db-asn (GeoLite2-ASN schema)"),
            TypeHint::Unknown
        );
    }

    fn keys(list: &[(&str, Shape)]) -> SampleKeys {
        let mut keys = SampleKeys::default();
        for (key, shape) in list {
            keys.insert(key, *shape);
        }
        keys
    }

    #[test]
    fn keys_decide_unknown_types() {
        use Shape::*;
        let asn = keys(&[
            ("autonomous_system_number", Number),
            ("autonomous_system_organization", Str),
        ]);
        assert_eq!(kind_from_keys(&asn, false), DatabaseKind::Asn);
        let lite = keys(&[
            ("asn", Str),
            ("country", Str),
            ("country_code", Str),
            ("as_name", Str),
        ]);
        assert_eq!(kind_from_keys(&lite, true), DatabaseKind::IpinfoLite);
        let legacy = keys(&[("asn", Str), ("country", Str), ("country_name", Str)]);
        assert_eq!(
            kind_from_keys(&legacy, true),
            DatabaseKind::IpinfoCountryAsn
        );
        let ipinfo_asn = keys(&[("asn", Str), ("name", Str), ("domain", Str)]);
        assert_eq!(kind_from_keys(&ipinfo_asn, true), DatabaseKind::IpinfoAsn);
        let city = keys(&[("city", Map), ("country", Map), ("city.names", Map)]);
        assert_eq!(kind_from_keys(&city, false), DatabaseKind::City);
        let enterprise = keys(&[("country", Map), ("traits", Map), ("traits.isp", Str)]);
        assert_eq!(kind_from_keys(&enterprise, false), DatabaseKind::Enterprise);
        let sapics = keys(&[("city", Str), ("country_code", Str)]);
        assert_eq!(kind_from_keys(&sapics, false), DatabaseKind::FlatLocation);
        let flags = keys(&[("is_anonymous", Bool)]);
        assert_eq!(kind_from_keys(&flags, false), DatabaseKind::AnonymousIp);
        let nothing = keys(&[("score", Number)]);
        assert_eq!(kind_from_keys(&nothing, false), DatabaseKind::Other);
    }

    #[test]
    fn fields_follow_the_records() {
        use Shape::*;
        let plain = keys(&[("autonomous_system_number", Number)]);
        assert_eq!(
            owner_fields(DatabaseKind::Asn, &plain),
            vec!["network", "asn", "as_org"]
        );
        let with_country = keys(&[
            ("autonomous_system_number", Number),
            ("country", Map),
            ("country.iso_code", Str),
        ]);
        assert_eq!(
            owner_fields(DatabaseKind::Asn, &with_country),
            vec!["network", "asn", "as_org", "country_code"]
        );
    }
}
