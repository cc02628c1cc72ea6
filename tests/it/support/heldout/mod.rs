//! A held-out world: labelled phishing-simulation campaigns generated
//! independently of the evaluation set in `eval/` and of the signature file,
//! from the product brief and the research notes only, so that whoclicked's
//! judgement can be scored on campaigns it was never tuned on (issue 10,
//! item 3a).
//!
//! Six companies (`specs.rs`) in the US and Japan, each with its own mail
//! security (Defender Safe Links, Proofpoint, Mimecast, Barracuda, Trend
//! Micro, Google Workspace), its people's ways onto the web (office egress,
//! carriers, home lines, virtual desktops, cloud VPNs, Private Relay,
//! held-back browsers) and the other machines that fetch links. Every access
//! carries its truth (human or scanner) and its scenario [`Family`], so an
//! evaluation can score families one by one and leave each out.
//!
//! Use:
//! ```ignore
//! for campaign in heldout::campaigns() {
//!     for p in campaign.perturbations() {
//!         for format in Format::ALL {
//!             let written = campaign.write_files(dir, format, p);
//!             let loaded = whoclicked::input::load(&[written.path.clone()], &campaign.load_options(), …)?;
//!             let truth = written.truth_in_read_order(&loaded); // one per access
//!         }
//!     }
//! }
//! let databases = heldout::databases(dir); // the owner database for --mmdb
//! ```
//! Accesses are matched to their truth by the row whoclicked gives them
//! (`Access::row`, the report's `row` column): the 1-based data row of a CSV
//! (header excluded, delivery rows counted) or the 1-based line of an access
//! log. Each written campaign is a single file.
//!
//! The same seed gives the same bytes; perturbations change only what is
//! written (no screens, no delivery times), except `year_later`, which
//! builds the same company 52 weeks later with the browsers of that date.

#![allow(dead_code)]

mod agents;
mod builder;
mod clock;
mod combined;
mod gophish;
mod humans;
mod machine_agents;
mod machines;
mod model;
mod native;
mod networks;
mod releases;
mod scanners;
mod specs;
mod truth;

use std::path::{Path, PathBuf};

use whoclicked::input::LoadOptions;
use whoclicked::testing::Rng;

pub use clock::Date;
pub use model::{Actor, Family, Method, World};
pub use networks::{Pool, asn_database, pool_of};
pub use releases::KNOWN_UNTIL;
#[allow(unused_imports)]
pub use specs::{Channel, Country, Gateway, Machines, NativeStyle, Spec, Vpn};
pub use truth::{AccessTruth, Written};

/// The input formats whoclicked reads, as the issue's matrix names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    NativeWithDelivery,
    NativeWithoutDelivery,
    GoPhish,
    Combined,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::NativeWithDelivery,
        Format::NativeWithoutDelivery,
        Format::GoPhish,
        Format::Combined,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::NativeWithDelivery => "native-with-delivery",
            Format::NativeWithoutDelivery => "native-without-delivery",
            Format::GoPhish => "gophish",
            Format::Combined => "combined",
        }
    }

    fn file_suffix(self) -> &'static str {
        match self {
            Format::NativeWithDelivery | Format::NativeWithoutDelivery => "clicks.csv",
            Format::GoPhish => "events.csv",
            Format::Combined => "access.log",
        }
    }
}

/// What is taken away or moved when a campaign is written. Flags combine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Perturbation {
    /// No screen sizes (native: empty column; access log: no beacons).
    /// GoPhish never has them.
    pub no_screens: bool,
    /// No delivery times (native: no `sent` rows; GoPhish: no `Email Sent`).
    /// An access log never has them.
    pub no_delivery: bool,
    /// The same company 52 weeks later, with the browsers current then.
    pub year_later: bool,
}

impl Perturbation {
    pub const NONE: Perturbation = Perturbation {
        no_screens: false,
        no_delivery: false,
        year_later: false,
    };
    pub const NO_SCREENS: Perturbation = Perturbation {
        no_screens: true,
        ..Perturbation::NONE
    };
    pub const NO_DELIVERY: Perturbation = Perturbation {
        no_delivery: true,
        ..Perturbation::NONE
    };
    pub const YEAR_LATER: Perturbation = Perturbation {
        year_later: true,
        ..Perturbation::NONE
    };

    pub fn name(self) -> String {
        let mut parts = Vec::new();
        if self.year_later {
            parts.push("year-later");
        }
        if self.no_screens {
            parts.push("no-screens");
        }
        if self.no_delivery {
            parts.push("no-delivery");
        }
        if parts.is_empty() {
            "as-is".to_string()
        } else {
            parts.join("+")
        }
    }
}

/// One held-out campaign.
#[derive(Clone, Debug)]
pub struct HeldoutCampaign {
    spec: Spec,
}

/// Every held-out campaign, in a fixed order.
pub fn campaigns() -> Vec<HeldoutCampaign> {
    specs::all()
        .into_iter()
        .map(|spec| HeldoutCampaign { spec })
        .collect()
}

/// The owner database for the world's addresses, written into `dir`
/// (GeoLite2-ASN schema, the real database's records for every block used).
pub fn databases(dir: &Path) -> Vec<PathBuf> {
    vec![networks::write_database(dir)]
}

/// Every campaign in every format under every perturbation it allows,
/// written into `dir` (about 90 files, 60 MB).
pub fn write_everything(dir: &Path) -> Vec<Written> {
    let mut out = Vec::new();
    for campaign in campaigns() {
        for perturbation in campaign.perturbations() {
            for format in Format::ALL {
                out.push(campaign.write_files(dir, format, perturbation));
            }
        }
    }
    out
}

/// Every address block the world draws from.
pub fn pools() -> &'static [Pool] {
    networks::ALL
}

/// Days a `year_later` world is moved: 52 weeks, so weekdays stay.
pub const YEAR_LATER_DAYS: i64 = 364;

impl HeldoutCampaign {
    pub fn id(&self) -> &'static str {
        self.spec.id
    }

    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The campaign's date under a perturbation.
    pub fn date(&self, perturbation: Perturbation) -> Date {
        if perturbation.year_later {
            self.spec.date.plus_days(YEAR_LATER_DAYS)
        } else {
            self.spec.date
        }
    }

    /// What `--tz` must say for the native CSV's local times (`+09:00`).
    pub fn tz(&self) -> String {
        clock::zone_text(self.spec.offset_minutes)
    }

    /// Load options that read every written format right (the zone of the
    /// Japanese kits' local times).
    pub fn load_options(&self) -> LoadOptions {
        let offset = jiff::tz::Offset::from_seconds(self.spec.offset_minutes * 60)
            .expect("a real UTC offset");
        LoadOptions {
            zone: jiff::tz::TimeZone::fixed(offset),
            ..LoadOptions::default()
        }
    }

    /// The perturbations this campaign can be written with: all of them,
    /// except a move a year later past the release tables.
    pub fn perturbations(&self) -> Vec<Perturbation> {
        let mut out = vec![
            Perturbation::NONE,
            Perturbation::NO_SCREENS,
            Perturbation::NO_DELIVERY,
        ];
        if self.date(Perturbation::YEAR_LATER) <= KNOWN_UNTIL {
            out.push(Perturbation::YEAR_LATER);
        }
        out
    }

    /// The world (what happened), before any format.
    pub fn world(&self, perturbation: Perturbation) -> World {
        let on = self.date(perturbation);
        let mut b = builder::Builder {
            spec: &self.spec,
            on,
            rng: Rng::splitmix64(self.spec.seed),
            recipients: Vec::new(),
            visits: Vec::new(),
            read_ms: Vec::new(),
        };
        let launched = builder::recipients(&mut b);
        let shared = humans::shared_egress(&mut b);
        b.people(&shared);
        let safe_links = self.spec.safe_links.then(|| b.safe_links_fleet());
        if let Some(fleet) = &safe_links {
            b.safe_links(fleet);
        }
        let gateway = self.spec.gateway.map(|g| b.gateway_fleet(g));
        if let Some(fleet) = &gateway {
            b.gateway_prefetch(fleet);
        }
        b.click_time_checks(gateway.as_ref(), safe_links.as_ref());
        b.modern_detonation();
        b.headless_crawlers(launched);
        b.link_checkers();
        b.library_agents();
        b.residential_proxies();
        b.reports();
        b.chat_previews();
        b.google_fetchers();
        builder::finish(b, launched)
    }

    /// The file name a written campaign gets.
    pub fn file_name(&self, format: Format, perturbation: Perturbation) -> String {
        let mut name = self.spec.id.to_string();
        let mut p = perturbation;
        if format == Format::NativeWithoutDelivery {
            // The format's name says it already.
            p.no_delivery = false;
        }
        if p != Perturbation::NONE {
            name.push('.');
            name.push_str(&p.name());
        }
        format!("{name}.{}.{}", format.name(), format.file_suffix())
    }

    /// Writes the campaign in `format` under `perturbation` into `dir` and
    /// returns the file with the truth of every access it holds.
    pub fn write_files(&self, dir: &Path, format: Format, perturbation: Perturbation) -> Written {
        assert!(
            self.perturbations().contains(&Perturbation {
                no_screens: false,
                no_delivery: false,
                ..perturbation
            }),
            "{}: cannot be moved a year later (past {KNOWN_UNTIL:?})",
            self.spec.id
        );
        let world = self.world(perturbation);
        let (bytes, rows, delivered) = self.render(&world, format, perturbation);
        let path = dir.join(self.file_name(format, perturbation));
        std::fs::write(&path, bytes).expect("write a held-out campaign");
        Written {
            campaign: self.spec.id,
            path,
            format,
            perturbation,
            rows,
            delivered,
            delivered_in_truth: world.recipients.iter().filter(|r| !r.bounced).count(),
        }
    }

    /// The bytes of one format, without touching the disk.
    pub fn render(
        &self,
        world: &World,
        format: Format,
        perturbation: Perturbation,
    ) -> (
        Vec<u8>,
        std::collections::BTreeMap<u32, AccessTruth>,
        Option<usize>,
    ) {
        let screens = !perturbation.no_screens;
        match format {
            Format::NativeWithDelivery => {
                native::write(&self.spec, world, screens, !perturbation.no_delivery)
            }
            Format::NativeWithoutDelivery => native::write(&self.spec, world, screens, false),
            Format::GoPhish => gophish::write(&self.spec, world, !perturbation.no_delivery),
            Format::Combined => {
                let (bytes, rows) = combined::write(&self.spec, world, screens);
                (bytes, rows, None)
            }
        }
    }
}
