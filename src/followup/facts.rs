//! What a sheet tells about one access, read from the analysis: what it was
//! (the analyst's verdict, else the suggestion), from which network and
//! device, how long after delivery, and the PC the proxy log tied it to.

use crate::analysis::Analysis;
use crate::model::{Event, Leaning, Timestamp, Verdict};
use crate::signals::{DbClass, Fact, NetworkKind};
use crate::ua::UaCategory;

/// What the access was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A program checking the link (a mail-security service, a crawler).
    Scanner,
    /// A person.
    Human,
    /// Cannot be told.
    Unsure,
}

/// The network the access came from, as a person would name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Network {
    /// Behind the office egress, tied by the proxy log to a PC.
    Office {
        host: String,
        user: String,
        client: String,
        /// The hosts table says the PC is this person's, not the recipient's.
        elsewhere: Option<String>,
    },
    /// A mobile carrier.
    Cellular(String),
    /// A home or small-office line.
    Residential(String),
    /// A mail-security or other security vendor's network.
    Security(String),
    /// A cloud or hosting network.
    Cloud(String),
    /// An internal address of the company's own network.
    Internal,
    /// An owner no list classes.
    Other(String),
    Unknown,
}

/// The device the User-Agent claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Device {
    /// A smartphone or feature phone, with its system (`iPhone`, `Android`).
    Phone(String),
    /// A computer, with its system and browser.
    Pc {
        os: String,
        browser: String,
    },
    /// A program (an HTTP library, a crawler) or no User-Agent at all.
    Program,
    Unknown,
}

/// One access as a sheet tells it.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessFacts {
    pub time: Timestamp,
    /// `HH:MM:SS` in the campaign's zone, with the date when it is not the
    /// delivery's day.
    pub clock: String,
    pub event: Event,
    pub kind: Kind,
    /// The analyst who decided, when one did (else the suggestion stands).
    pub decided_by: Option<String>,
    pub network: Network,
    pub device: Device,
    /// Seconds after delivery, when delivery is known (or estimated).
    pub after_delivery: Option<f64>,
}

/// The facts of access `i`. Its time is written as a clock time when it
/// falls on the day of `day_of` (the delivery, or the day of all the
/// recipient's accesses), else with its date.
pub fn of_access(
    analysis: &Analysis,
    i: usize,
    delivery: Option<Timestamp>,
    day_of: Option<Timestamp>,
) -> AccessFacts {
    let campaign = &analysis.campaign;
    let access = &campaign.accesses[i];
    let zone = &analysis.zone;
    let zoned = access.time.to_jiff().to_zoned_datetime(zone.clone());
    let same_day =
        day_of.is_some_and(|d| d.to_jiff().to_zoned_datetime(zone.clone()).date() == zoned.date());
    let clock = if same_day {
        zoned.strftime("%H:%M:%S").to_string()
    } else {
        zoned.strftime("%m/%d %H:%M:%S").to_string()
    };
    let (kind, decided_by) = match analysis.verdict(i) {
        Some(resolved) => (
            match resolved.verdict {
                Verdict::Human => Kind::Human,
                Verdict::Scanner => Kind::Scanner,
            },
            Some(resolved.source.analyst.to_string()),
        ),
        None => (
            match analysis.suggestions().label(i) {
                Some(Leaning::Human) => Kind::Human,
                Some(Leaning::Scanner) => Kind::Scanner,
                _ => Kind::Unsure,
            },
            None,
        ),
    };
    AccessFacts {
        time: access.time,
        clock,
        event: access.event,
        kind,
        decided_by,
        network: network(analysis, i),
        device: device(analysis, i),
        after_delivery: delivery.map(|d| access.time.seconds_since(d)),
    }
}

fn network(analysis: &Analysis, i: usize) -> Network {
    let campaign = &analysis.campaign;
    if let Some(tie) = analysis.tie(i) {
        return Network::Office {
            host: campaign.strings.get(tie.host).to_string(),
            user: campaign.strings.get(tie.user).to_string(),
            client: tie.client.to_string(),
            elsewhere: tie.elsewhere.clone(),
        };
    }
    let access = &campaign.accesses[i];
    let owner = analysis.owner(access);
    if owner.internal.is_some() {
        return Network::Internal;
    }
    let org = owner.display_name().map(str::to_string).unwrap_or_default();
    let sigs = analysis.suggestions().signatures();
    for e in analysis.suggestions().evidence(analysis.enriched(), i) {
        match e.fact {
            Fact::Network { entry, .. } => {
                let entry = &sigs.networks[entry as usize];
                let name = entry.name.clone();
                return match entry.kind {
                    NetworkKind::Cellular => Network::Cellular(name),
                    NetworkKind::Residential => Network::Residential(name),
                    NetworkKind::MailSecurity | NetworkKind::SecurityVendor => {
                        Network::Security(name)
                    }
                    NetworkKind::Cloud => Network::Cloud(name),
                    _ => Network::Other(name),
                };
            }
            Fact::Database(DbClass::Cellular) => return Network::Cellular(org),
            Fact::Database(DbClass::Residential) => return Network::Residential(org),
            Fact::Database(DbClass::Hosting) => return Network::Cloud(org),
            _ => {}
        }
    }
    if org.is_empty() {
        Network::Unknown
    } else {
        Network::Other(org)
    }
}

fn device(analysis: &Analysis, i: usize) -> Device {
    let access = &analysis.campaign.accesses[i];
    let ua = analysis.ua(access);
    match ua.category {
        UaCategory::Smartphone | UaCategory::Mobilephone => Device::Phone(ua.os.clone()),
        UaCategory::Pc => Device::Pc {
            os: ua.os.clone(),
            browser: ua.browser.clone(),
        },
        UaCategory::Misc | UaCategory::Crawler => Device::Program,
        _ if analysis.campaign.user_agent(access.user_agent).is_empty() => Device::Program,
        _ => Device::Unknown,
    }
}
