//! User-Agent evidence, once per distinct string: empty agents, the
//! signature list's library/headless/scanner/preview/Office patterns,
//! woothee's crawler and library categories, agents no browser sends,
//! obsolete or impossible platforms, and browsers far behind the campaign.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rayon::slice::ParallelSliceMut;

use crate::enriched::Enriched;
use crate::model::{Event, Timestamp};
use crate::signals::evidence::{Evidence, Fact};
use crate::signals::signatures::{AgentKind, Signatures, Tunable, Weight};
use crate::ua::{UaCategory, UaInfo};

/// The version a browser family's users are at in this campaign, per
/// `Signatures::browsers` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrowserReference {
    pub major: u32,
    /// Taken from the campaign's own accesses rather than the release cadence.
    pub from_campaign: bool,
}

/// The campaign's date (the median access, in UTC), for browser cadences.
pub fn campaign_date(enriched: &Enriched) -> Option<Date> {
    let mut times: Vec<i64> = enriched
        .campaign
        .accesses
        .iter()
        .map(|a| a.time.as_nanos())
        .collect();
    if times.is_empty() {
        return None;
    }
    let mid = times.len() / 2;
    let (_, &mut median, _) = times.select_nth_unstable(mid);
    Some(
        Timestamp::from_nanos(median)
            .to_jiff()
            .to_zoned_datetime(TimeZone::UTC)
            .date(),
    )
}

/// For each browser family of the signature list: the newest major that a
/// meaningful share of this campaign's recipients use, or, when too few use
/// the family, the major the release table expects by the campaign date.
/// Scanners that all report one old build cannot drag the reference down
/// because the newest versions are taken, and rollouts lag, so the table's
/// figure is lowered by two releases.
pub fn browser_references(
    enriched: &Enriched,
    sigs: &Signatures,
    has_agent: &[bool],
    date: Option<Date>,
) -> Vec<Option<BrowserReference>> {
    let campaign = &enriched.campaign;
    // Each (recipient, major) pair packed in a u64 in the same order, so the
    // pairs sort as plain integers on every core.
    let mut pairs: Vec<Vec<u64>> = vec![Vec::new(); sigs.browsers.len()];
    let family_of: Vec<Option<usize>> = enriched
        .user_agents
        .iter()
        .map(|info| sigs.browsers.iter().position(|b| b.family == info.browser))
        .collect();
    for access in &campaign.accesses {
        if !matches!(access.event, Event::Click | Event::Submit) {
            continue;
        }
        let (Some(recipient), u) = (access.recipient(), access.user_agent.index()) else {
            continue;
        };
        if has_agent[u] {
            continue;
        }
        if let (Some(f), Some(major)) = (family_of[u], enriched.user_agents[u].major_version()) {
            pairs[f].push(u64::from(recipient.0) << 32 | u64::from(major));
        }
    }
    let quantile = sigs.tuning(Tunable::PopulationQuantile).clamp(0.0, 1.0);
    let min = sigs.tuning(Tunable::PopulationMin).max(1.0) as usize;
    sigs.browsers
        .iter()
        .zip(pairs)
        .map(|(entry, mut pairs)| {
            pairs.par_sort_unstable();
            pairs.dedup();
            let mut majors: Vec<u32> = pairs.into_iter().map(|pair| pair as u32).collect();
            let cadence = date
                .and_then(|d| entry.expected_major(d))
                .map(|m| entry.releases_before(m, 2));
            let population = (majors.len() >= min).then(|| {
                majors.sort_unstable_by(|a, b| b.cmp(a));
                majors[((majors.len() as f32 * quantile) as usize).min(majors.len() - 1)]
            });
            match (population, cadence) {
                (Some(p), Some(c)) if p >= c => Some(BrowserReference {
                    major: p,
                    from_campaign: true,
                }),
                (Some(p), None) => Some(BrowserReference {
                    major: p,
                    from_campaign: true,
                }),
                (_, Some(c)) => Some(BrowserReference {
                    major: c,
                    from_campaign: false,
                }),
                (None, None) => None,
            }
        })
        .collect()
}

/// The evidence of one User-Agent string.
pub fn agent_evidence(
    raw: &str,
    info: &UaInfo,
    sigs: &Signatures,
    references: &[Option<BrowserReference>],
    out: &mut Vec<Evidence>,
) {
    if info.category == UaCategory::Empty {
        out.push(Evidence {
            weight: sigs.weight(Weight::AgentEmpty),
            fact: Fact::EmptyAgent,
        });
        return;
    }
    if let Some(i) = sigs.agent_for(raw) {
        let entry = &sigs.agents[i];
        let weight = entry.weight(&sigs.weights);
        out.push(Evidence {
            weight,
            fact: Fact::Agent {
                entry: i as u32,
                kind: entry.kind,
            },
        });
        return;
    }
    match info.category {
        UaCategory::Crawler => {
            out.push(Evidence {
                weight: sigs.weight(Weight::AgentCrawler),
                fact: Fact::Crawler,
            });
            return;
        }
        UaCategory::Misc => {
            out.push(Evidence {
                weight: sigs.weight(Weight::AgentLibrary),
                fact: Fact::HttpLibrary,
            });
            return;
        }
        UaCategory::Unknown => {
            out.push(Evidence {
                weight: sigs.weight(Weight::AgentUnknown),
                fact: Fact::UnknownAgent,
            });
            return;
        }
        _ => {}
    }
    if is_impossible(info) {
        out.push(Evidence {
            weight: sigs.weight(Weight::AgentImpossible),
            fact: Fact::Impossible,
        });
    } else if is_ancient_os(info) {
        out.push(Evidence {
            weight: sigs.weight(Weight::AgentAncientOs),
            fact: Fact::AncientOs,
        });
    } else if info.browser == "Internet Explorer" && info.major_version().is_some_and(|v| v <= 10) {
        out.push(Evidence {
            weight: sigs.weight(Weight::AgentAncientOs),
            fact: Fact::AncientBrowser,
        });
    }
    if let Some(stale) = staleness(info, sigs, references) {
        out.push(stale);
    }
}

/// A piece of the agent's evidence ([`agent_evidence`]) as it applies to an
/// access of `event`: Outlook fetching on an open is the person's mail
/// client loading images; on a click it is the client checking the link.
/// (An Office entry with a weight of its own keeps it.)
pub fn on_event(evidence: Evidence, event: Event, sigs: &Signatures) -> Evidence {
    match evidence.fact {
        Fact::Agent {
            entry,
            kind: AgentKind::OfficeClient,
        } if event == Event::Open && sigs.agents[entry as usize].weight.is_none() => Evidence {
            weight: sigs.weight(Weight::AgentOfficeOpen),
            ..evidence
        },
        _ => evidence,
    }
}

fn is_ancient_os(info: &UaInfo) -> bool {
    let major = |v: &str| {
        v.split(['.', '_'])
            .next()
            .and_then(|m| m.parse::<u32>().ok())
    };
    match info.os.as_str() {
        "Windows XP" | "Windows Vista" | "Windows 2000" | "Windows 98" | "Windows 95"
        | "Windows Me" | "Windows ME" | "Windows NT 4.0" => true,
        "Android" => major(&info.os_version).is_some_and(|m| m <= 4),
        "iPhone" | "iPad" | "iOS" => major(&info.os_version).is_some_and(|m| m <= 9),
        _ => false,
    }
}

/// Combinations no real device produces: Internet Explorer outside
/// Windows, Safari on Windows after 2012, and Chromium browsers newer than
/// the last release for Windows 7/8 (109).
fn is_impossible(info: &UaInfo) -> bool {
    let os = info.os.as_str();
    let windows = os.starts_with("Windows");
    match info.browser.as_str() {
        "Internet Explorer" => !windows && !os.is_empty(),
        "Safari" => windows,
        "Chrome" | "Edge" => {
            matches!(os, "Windows 7" | "Windows 8" | "Windows 8.1")
                && info.major_version().is_some_and(|v| v > 109)
        }
        _ => false,
    }
}

fn staleness(
    info: &UaInfo,
    sigs: &Signatures,
    references: &[Option<BrowserReference>],
) -> Option<Evidence> {
    let index = sigs
        .browsers
        .iter()
        .position(|b| b.family == info.browser)?;
    let reference = references.get(index).copied().flatten()?;
    let major = info.major_version()?;
    if sigs.browsers[index].extended.contains(&major) {
        return None;
    }
    let behind = sigs.browsers[index].releases_behind(major, reference.major) as f32;
    let far = behind >= sigs.tuning(Tunable::StaleFarMajors);
    if !far && behind < sigs.tuning(Tunable::StaleMajors) {
        return None;
    }
    Some(Evidence {
        weight: sigs.weight(if far {
            Weight::AgentStaleFar
        } else {
            Weight::AgentStale
        }),
        fact: Fact::Stale {
            major,
            reference: reference.major,
            far,
            from_campaign: reference.from_campaign,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ua::parse;

    fn facts(ua: &str) -> Vec<Fact> {
        let sigs = Signatures::builtin().unwrap();
        let refs: Vec<Option<BrowserReference>> = sigs
            .browsers
            .iter()
            .map(|b| {
                Some(BrowserReference {
                    major: if b.family == "Safari" { 18 } else { 131 },
                    from_campaign: true,
                })
            })
            .collect();
        let mut out = Vec::new();
        agent_evidence(ua, &parse(ua), &sigs, &refs, &mut out);
        out.into_iter().map(|e| e.fact).collect()
    }

    const CHROME_131: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    #[test]
    fn current_browsers_say_nothing() {
        assert!(facts(CHROME_131).is_empty());
        assert!(facts("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1").is_empty());
        // Firefox ESR lags on purpose.
        assert!(
            facts(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0"
            )
            .is_empty()
        );
    }

    #[test]
    fn machines_are_named() {
        assert_eq!(facts(""), vec![Fact::EmptyAgent]);
        assert!(matches!(
            facts("python-requests/2.31.0")[0],
            Fact::Agent {
                kind: crate::signals::signatures::AgentKind::Library,
                ..
            }
        ));
        assert!(matches!(facts("Go-http-client/1.1")[0], Fact::Agent { .. }));
        assert!(matches!(
            facts(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36"
            )[0],
            Fact::Agent {
                kind: crate::signals::signatures::AgentKind::Headless,
                ..
            }
        ));
        assert!(matches!(
            facts("Mozilla/5.0 (compatible; Barracuda Sentinel (EE))")[0],
            Fact::Agent { .. }
        ));
        assert!(matches!(
            facts("Microsoft Office Existence Discovery")[0],
            Fact::Agent {
                kind: crate::signals::signatures::AgentKind::OfficeClient,
                ..
            }
        ));
        assert_eq!(
            facts("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
            vec![Fact::Crawler]
        );
        assert_eq!(facts("zzz{}"), vec![Fact::UnknownAgent]);
    }

    #[test]
    fn old_and_impossible_platforms() {
        assert_eq!(
            facts("Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)")[0],
            Fact::AncientOs
        );
        assert_eq!(
            facts("Mozilla/4.0 (compatible; MSIE 7.0; Mac_PowerPC)")[0],
            Fact::Impossible
        );
        let stale = facts(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/97.0.4692.99 Safari/537.36",
        );
        assert_eq!(
            stale,
            vec![Fact::Stale {
                major: 97,
                reference: 131,
                far: true,
                from_campaign: true
            }]
        );
        let behind = facts(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        );
        assert!(matches!(behind[0], Fact::Stale { far: false, .. }));
    }
}
