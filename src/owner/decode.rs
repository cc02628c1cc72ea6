//! Small record models, one per schema family, that decode only the keys
//! whoclicked shows. Strings are borrowed from the reader's buffer; unknown
//! keys are skipped by the decoder without being built.
//!
//! Third-party writers differ in integer widths (a uint16 ASN) and in how
//! they spell "unknown" (`""` versus a missing key), so the ASN accepts any
//! integer type or an `"AS123"` string and empty strings count as missing.

use std::fmt;

use maxminddb::{LookupResult, MaxMindDbError};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::OwnerFlags;
use super::schema::{DatabaseKind, Decoder};

/// What one record says, borrowed from the database.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RawFacts<'a> {
    pub asn: Option<u32>,
    pub as_org: Option<&'a str>,
    pub isp: Option<&'a str>,
    pub organization: Option<&'a str>,
    pub country_code: Option<&'a str>,
    pub country_en: Option<&'a str>,
    pub country_ja: Option<&'a str>,
    pub city_en: Option<&'a str>,
    pub city_ja: Option<&'a str>,
    pub connection_type: Option<&'a str>,
    pub user_type: Option<&'a str>,
    pub domain: Option<&'a str>,
    pub flags: OwnerFlags,
}

impl RawFacts<'_> {
    /// A record like `{}` (or one with only keys whoclicked ignores) is no data.
    pub fn is_empty(&self) -> bool {
        *self == RawFacts::default()
    }
}

/// Decodes the record a lookup found with the decoder for `kind`.
pub(crate) fn decode<'a, S: AsRef<[u8]>>(
    result: &LookupResult<'a, S>,
    kind: DatabaseKind,
) -> Result<Option<RawFacts<'a>>, MaxMindDbError> {
    let Some(decoder) = kind.decoder() else {
        return Ok(None);
    };
    let facts = match decoder {
        Decoder::Flat => result.decode::<FlatRecord>()?.map(|r| r.facts(kind)),
        Decoder::Geo => result.decode::<GeoRecord>()?.map(GeoRecord::facts),
        Decoder::Ipinfo => result.decode::<IpinfoRecord>()?.map(|r| r.facts(kind)),
    };
    Ok(facts.filter(|f| !f.is_empty()))
}

fn text(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|s| !s.is_empty())
}

/// An ASN in any integer width, or as `"AS13335"` / `"13335"`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct AsnNumber(Option<u32>);

impl<'de> Deserialize<'de> for AsnNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AsnVisitor)
    }
}

struct AsnVisitor;

impl Visitor<'_> for AsnVisitor {
    type Value = AsnNumber;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an AS number (integer or \"AS123\")")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<AsnNumber, E> {
        Ok(AsnNumber(u32::try_from(v).ok()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<AsnNumber, E> {
        Ok(AsnNumber(u32::try_from(v).ok()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<AsnNumber, E> {
        Ok(AsnNumber(u32::try_from(v).ok()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<AsnNumber, E> {
        Ok(AsnNumber(None))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<AsnNumber, E> {
        Ok(AsnNumber(parse_asn(v)))
    }
}

/// `"AS13335"`, `"as13335"` or `"13335"`; anything else is unknown.
pub fn parse_asn(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = text
        .strip_prefix("AS")
        .or_else(|| text.strip_prefix("as"))
        .unwrap_or(text);
    digits.parse().ok()
}

/// A boolean, also accepted as `1`/`0` or `"true"`/`"false"` (IPinfo privacy).
#[derive(Clone, Copy, Debug, Default)]
struct Flag(bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlagVisitor)
    }
}

struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = Flag;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
        Ok(Flag(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
        Ok(Flag(v != 0))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Flag, E> {
        Ok(Flag(v != 0))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
        Ok(Flag(v.eq_ignore_ascii_case("true") || v == "1"))
    }
}

fn set(flag: Option<Flag>) -> bool {
    flag.is_some_and(|f| f.0)
}

/// The localised names whoclicked can show.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
struct Names<'a> {
    #[serde(borrow, default)]
    en: Option<&'a str>,
    #[serde(borrow, default)]
    ja: Option<&'a str>,
}

/// `country` as a MaxMind map (`{iso_code, names}`) or as a bare code string.
#[derive(Clone, Copy, Debug, Default)]
struct CountryField<'a> {
    iso_code: Option<&'a str>,
    names: Names<'a>,
}

/// `city` as a MaxMind map (`{names}`) or as a bare name string.
#[derive(Clone, Copy, Debug, Default)]
struct CityField<'a> {
    names: Names<'a>,
}

impl<'de: 'a, 'a> Deserialize<'de> for CountryField<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (code, names) = deserializer.deserialize_any(PlaceVisitor { code_key: true })?;
        Ok(CountryField {
            iso_code: code,
            names,
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for CityField<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (name, mut names) = deserializer.deserialize_any(PlaceVisitor { code_key: false })?;
        if names.en.is_none() {
            names.en = name;
        }
        Ok(CityField { names })
    }
}

/// Reads a place given as a string or as a map with `iso_code` and `names`.
/// For a string: a country string is its code, a city string its name.
struct PlaceVisitor {
    code_key: bool,
}

impl<'de> Visitor<'de> for PlaceVisitor {
    type Value = (Option<&'de str>, Names<'de>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a place name, code or map")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok((Some(v), Names::default()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut code = None;
        let mut names = Names::default();
        while let Some(key) = map.next_key::<&str>()? {
            match key {
                "iso_code" if self.code_key => code = map.next_value::<Option<&str>>()?,
                "names" => names = map.next_value::<Names>()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((code, names))
    }
}

/// Flat MaxMind-style records: GeoLite2-ASN, GeoIP2-ISP, Anonymous-IP,
/// Connection-Type, Domain, and flat location files.
#[derive(Debug, Default, Deserialize)]
struct FlatRecord<'a> {
    #[serde(default)]
    autonomous_system_number: Option<AsnNumber>,
    #[serde(borrow, default)]
    autonomous_system_organization: Option<&'a str>,
    #[serde(borrow, default)]
    isp: Option<&'a str>,
    #[serde(borrow, default)]
    organization: Option<&'a str>,
    #[serde(borrow, default)]
    connection_type: Option<&'a str>,
    #[serde(borrow, default)]
    user_type: Option<&'a str>,
    #[serde(borrow, default)]
    domain: Option<&'a str>,
    #[serde(borrow, default)]
    country: Option<CountryField<'a>>,
    #[serde(borrow, default)]
    country_code: Option<&'a str>,
    #[serde(borrow, default)]
    city: Option<CityField<'a>>,
    #[serde(default)]
    is_anonymous: Option<Flag>,
    #[serde(default)]
    is_anonymous_vpn: Option<Flag>,
    #[serde(default)]
    is_hosting_provider: Option<Flag>,
    #[serde(default)]
    is_public_proxy: Option<Flag>,
    #[serde(default)]
    is_residential_proxy: Option<Flag>,
    #[serde(default)]
    is_tor_exit_node: Option<Flag>,
}

impl<'a> FlatRecord<'a> {
    fn facts(self, kind: DatabaseKind) -> RawFacts<'a> {
        let country = self.country.unwrap_or_default();
        let city = self.city.unwrap_or_default();
        let mut flags = OwnerFlags {
            anonymous: set(self.is_anonymous),
            anonymous_vpn: set(self.is_anonymous_vpn),
            hosting_provider: set(self.is_hosting_provider),
            public_proxy: set(self.is_public_proxy),
            residential_proxy: set(self.is_residential_proxy),
            tor_exit_node: set(self.is_tor_exit_node),
        };
        // A Residential-Proxy record lists only the provider: being listed is the fact.
        if kind == DatabaseKind::ResidentialProxy {
            flags.residential_proxy = true;
        }
        RawFacts {
            asn: self.autonomous_system_number.and_then(|a| a.0),
            as_org: text(self.autonomous_system_organization),
            isp: text(self.isp),
            organization: text(self.organization),
            country_code: text(country.iso_code).or(text(self.country_code)),
            country_en: text(country.names.en),
            country_ja: text(country.names.ja),
            city_en: text(city.names.en),
            city_ja: text(city.names.ja),
            connection_type: text(self.connection_type),
            user_type: text(self.user_type),
            domain: text(self.domain),
            flags,
        }
    }
}

/// Nested City / Country / Enterprise records.
#[derive(Debug, Default, Deserialize)]
struct GeoRecord<'a> {
    #[serde(borrow, default)]
    city: Option<CityField<'a>>,
    #[serde(borrow, default)]
    country: Option<CountryField<'a>>,
    #[serde(borrow, default)]
    registered_country: Option<CountryField<'a>>,
    #[serde(borrow, default)]
    traits: Option<FlatRecord<'a>>,
}

impl<'a> GeoRecord<'a> {
    fn facts(self) -> RawFacts<'a> {
        let traits = self
            .traits
            .map(|t| t.facts(DatabaseKind::Enterprise))
            .unwrap_or_default();
        // Where the network is used; the registration country only stands in
        // when the database gives no location (anycast, some Country records).
        let country = self
            .country
            .filter(|c| text(c.iso_code).is_some())
            .or(self.registered_country)
            .unwrap_or_default();
        let city = self.city.unwrap_or_default();
        RawFacts {
            country_code: text(country.iso_code),
            country_en: text(country.names.en),
            country_ja: text(country.names.ja),
            city_en: text(city.names.en),
            city_ja: text(city.names.ja),
            ..traits
        }
    }
}

/// IPinfo's flat string records (Lite, legacy country_asn, ASN, country, privacy).
#[derive(Debug, Default, Deserialize)]
struct IpinfoRecord<'a> {
    #[serde(default)]
    asn: Option<AsnNumber>,
    #[serde(borrow, default)]
    as_name: Option<&'a str>,
    #[serde(borrow, default)]
    name: Option<&'a str>,
    #[serde(borrow, default)]
    as_domain: Option<&'a str>,
    #[serde(borrow, default)]
    domain: Option<&'a str>,
    #[serde(borrow, default)]
    country: Option<&'a str>,
    #[serde(borrow, default)]
    country_code: Option<&'a str>,
    #[serde(borrow, default)]
    country_name: Option<&'a str>,
    #[serde(borrow, default)]
    city: Option<&'a str>,
    #[serde(borrow, default, rename = "type")]
    network_type: Option<&'a str>,
    #[serde(default)]
    vpn: Option<Flag>,
    #[serde(default)]
    proxy: Option<Flag>,
    #[serde(default)]
    tor: Option<Flag>,
    #[serde(default)]
    relay: Option<Flag>,
    #[serde(default)]
    hosting: Option<Flag>,
}

impl<'a> IpinfoRecord<'a> {
    fn facts(self, kind: DatabaseKind) -> RawFacts<'a> {
        // Lite (and anything with `country_code`) names the country in
        // `country`; the legacy files put the ISO code there.
        let (code, name) = if kind == DatabaseKind::IpinfoLite || self.country_code.is_some() {
            (self.country_code, self.country)
        } else {
            (self.country, self.country_name)
        };
        let (vpn, proxy, tor, relay) = (
            set(self.vpn),
            set(self.proxy),
            set(self.tor),
            set(self.relay),
        );
        RawFacts {
            asn: self.asn.and_then(|a| a.0),
            as_org: text(self.as_name).or(text(self.name)),
            domain: text(self.as_domain).or(text(self.domain)),
            country_code: text(code),
            country_en: text(name),
            city_en: text(self.city),
            user_type: text(self.network_type),
            flags: OwnerFlags {
                anonymous: vpn || proxy || tor || relay,
                anonymous_vpn: vpn,
                hosting_provider: set(self.hosting),
                public_proxy: proxy,
                residential_proxy: false,
                tor_exit_node: tor,
            },
            ..RawFacts::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asn_text_forms() {
        assert_eq!(parse_asn("AS13335"), Some(13335));
        assert_eq!(parse_asn("as64500"), Some(64500));
        assert_eq!(parse_asn("15169"), Some(15169));
        assert_eq!(parse_asn(""), None);
        assert_eq!(parse_asn("ASX"), None);
    }

    #[test]
    fn empty_facts_are_no_data() {
        assert!(RawFacts::default().is_empty());
        let some = RawFacts {
            asn: Some(1),
            ..RawFacts::default()
        };
        assert!(!some.is_empty());
    }
}
