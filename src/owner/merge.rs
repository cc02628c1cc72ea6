//! Merging the answers of several databases into one `Owner`.
//!
//! Rules: databases are consulted in the order they were given (explicit
//! files first); for each field the first database that knows it wins, so a
//! user who lists a commercial ISP file before a free ASN file gets its
//! names. Two exceptions: `network` is the most specific matched prefix of
//! any database that had data (ties: the first), and a place name in the
//! display language replaces one in English from an earlier database when
//! both agree on the country.

use std::sync::Arc;

use super::Owner;
use super::cache::Facts;
use super::database::Hit;
use super::language::Language;

/// Accumulates hits, in database order, into an owner.
pub(crate) struct Merger {
    owner: Owner,
    language: Language,
    country_in_language: bool,
    city_in_language: bool,
}

impl Merger {
    pub fn new(language: Language) -> Self {
        Merger {
            owner: Owner::default(),
            language,
            country_in_language: false,
            city_in_language: false,
        }
    }

    pub fn add(&mut self, source: u16, hit: &Hit) {
        let o = &mut self.owner;
        let f: &Facts = &hit.facts;
        o.sources.push(source);
        let more_specific = o
            .network
            .is_none_or(|known| hit.network.prefix() > known.prefix());
        if more_specific {
            o.network = Some(hit.network);
        }
        if o.asn.is_none() {
            o.asn = f.asn;
        }
        fill(&mut o.as_org, &f.as_org);
        fill(&mut o.isp, &f.isp);
        fill(&mut o.organization, &f.organization);
        fill(&mut o.connection_type, &f.connection_type);
        fill(&mut o.user_type, &f.user_type);
        fill(&mut o.domain, &f.domain);
        o.flags.merge(f.flags);

        let same_country = match (&o.country_code, &f.country_code) {
            (Some(known), Some(new)) => known == new,
            _ => true,
        };
        fill(&mut o.country_code, &f.country_code);
        if same_country {
            let (localised, english) = names(self.language, &f.country_ja, &f.country_en);
            take_name(
                &mut o.country_name,
                &mut self.country_in_language,
                localised,
                english,
            );
            let (localised, english) = names(self.language, &f.city_ja, &f.city_en);
            take_name(&mut o.city, &mut self.city_in_language, localised, english);
        }
    }

    pub fn finish(self) -> Owner {
        self.owner
    }
}

fn fill(slot: &mut Option<Arc<str>>, value: &Option<Arc<str>>) {
    if slot.is_none() {
        slot.clone_from(value);
    }
}

/// (name in the display language if the record has one, English name).
fn names<'a>(
    language: Language,
    ja: &'a Option<Arc<str>>,
    en: &'a Option<Arc<str>>,
) -> (Option<&'a Arc<str>>, Option<&'a Arc<str>>) {
    match language {
        Language::Japanese => (ja.as_ref(), en.as_ref()),
        Language::English => (en.as_ref(), en.as_ref()),
    }
}

fn take_name(
    slot: &mut Option<Arc<str>>,
    in_language: &mut bool,
    localised: Option<&Arc<str>>,
    english: Option<&Arc<str>>,
) {
    if *in_language {
        return;
    }
    if let Some(name) = localised {
        *slot = Some(Arc::clone(name));
        *in_language = true;
    } else if slot.is_none() {
        *slot = english.cloned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(network: &str, facts: Facts) -> Hit {
        Hit {
            network: network.parse().expect("net"),
            facts: Arc::new(facts),
        }
    }

    fn s(text: &str) -> Option<Arc<str>> {
        Some(Arc::from(text))
    }

    #[test]
    fn first_database_wins_and_network_is_most_specific() {
        let asn = hit(
            "40.88.0.0/13",
            Facts {
                asn: Some(8075),
                as_org: s("Microsoft Corporation"),
                ..Facts::default()
            },
        );
        let city = hit(
            "40.94.0.0/16",
            Facts {
                asn: Some(1),
                country_code: s("US"),
                country_en: s("United States"),
                country_ja: s("アメリカ"),
                ..Facts::default()
            },
        );
        let mut m = Merger::new(Language::English);
        m.add(0, &asn);
        m.add(3, &city);
        let owner = m.finish();
        assert_eq!(owner.asn, Some(8075));
        assert_eq!(
            owner.network.map(|n| n.to_string()).as_deref(),
            Some("40.94.0.0/16")
        );
        assert_eq!(owner.country_name.as_deref(), Some("United States"));
        assert_eq!(owner.sources, vec![0, 3]);
    }

    #[test]
    fn japanese_name_from_a_later_database() {
        let lite = hit(
            "1.0.0.0/24",
            Facts {
                country_code: s("AU"),
                country_en: s("Australia"),
                ..Facts::default()
            },
        );
        let city = hit(
            "1.0.0.0/24",
            Facts {
                country_code: s("AU"),
                country_en: s("Australia"),
                country_ja: s("オーストラリア"),
                ..Facts::default()
            },
        );
        let mut m = Merger::new(Language::Japanese);
        m.add(0, &lite);
        m.add(1, &city);
        let owner = m.finish();
        assert_eq!(owner.country_name.as_deref(), Some("オーストラリア"));
        assert_eq!(
            owner.network.map(|n| n.to_string()).as_deref(),
            Some("1.0.0.0/24")
        );
    }
}
