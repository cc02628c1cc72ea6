//! Builds one campaign's world from its spec: the recipients and the send,
//! then the people (`humans.rs`), then the machines (`scanners.rs`, which
//! react to what people did: click-time checks, reports).

use whoclicked::testing::Rng;

use super::clock::{self, DAY_MS, Date, MINUTE_MS};
use super::model::{Family, Method, Recipient, Visit, World};
use super::specs::{Country, Spec};

/// The world under construction; the family files add visits to it.
pub struct Builder<'s> {
    pub spec: &'s Spec,
    /// The campaign's date (shifted when the world is built a year later).
    pub on: Date,
    pub rng: Rng,
    pub recipients: Vec<Recipient>,
    pub visits: Vec<Visit>,
    /// Per recipient: when the person read the mail, if they did (for reports).
    pub read_ms: Vec<Option<i64>>,
}

impl Builder<'_> {
    pub fn offset(&self) -> i32 {
        self.spec.offset_minutes
    }

    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        at_ms: i64,
        recipient: usize,
        ip: std::net::IpAddr,
        user_agent: &str,
        method: Method,
        screen: Option<(u16, u16)>,
        family: Family,
        source: &'static str,
    ) {
        let beacon_after_ms = if screen.is_some() {
            600 + self.rng.below(2400) as i64
        } else {
            0
        };
        self.visits.push(Visit {
            at_ms,
            recipient,
            ip,
            user_agent: user_agent.to_string(),
            method,
            screen,
            beacon_after_ms,
            family,
            source,
        });
    }

    /// Milliseconds, uniformly in `lo..hi` seconds.
    pub fn seconds(&mut self, lo: f64, hi: f64) -> i64 {
        (self.rng.float_range(lo, hi) * 1000.0) as i64
    }

    /// A log-normal delay around `median_s` seconds, clamped.
    pub fn delay(&mut self, median_s: f64, sigma: f64, min_s: f64, max_s: f64) -> i64 {
        (self.rng.lognormal(median_s, sigma).clamp(min_s, max_s) * 1000.0) as i64
    }

    /// Delivered recipients' indexes.
    pub fn delivered(&self) -> Vec<usize> {
        (0..self.recipients.len())
            .filter(|&i| !self.recipients[i].bounced)
            .collect()
    }
}

#[rustfmt::skip]
const GIVEN_EN: &[&str] = &[
    "james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda", "david",
    "elizabeth", "william", "barbara", "richard", "susan", "joseph", "jessica", "thomas",
    "sarah", "carlos", "karen", "daniel", "lisa", "matthew", "nancy", "anthony", "betty",
    "mark", "sandra", "steven", "ashley", "andrew", "emily", "kevin", "michelle", "brian",
    "amanda", "priya", "wei", "fatima", "diego", "laura", "ryan", "rachel", "jacob", "nicole",
    "gary", "angela", "eric", "helen", "jonathan", "samantha", "justin", "katherine", "scott",
    "christine", "brandon", "deborah", "raymond", "olivia", "tyler",
];
#[rustfmt::skip]
const FAMILY_EN: &[&str] = &[
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
    "rodriguez", "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson",
    "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson", "white",
    "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen",
    "king", "wright", "scott", "nguyen", "hill", "patel", "chen", "flores", "green", "adams",
    "nelson", "baker", "hall", "rivera", "campbell", "mitchell", "carter", "roberts", "kim",
    "phillips", "evans", "turner", "torres", "parker", "collins", "edwards", "stewart",
];
#[rustfmt::skip]
const GIVEN_JA: &[&str] = &[
    "hiroshi", "takashi", "kenji", "yuki", "akira", "makoto", "naoki", "daisuke", "shota",
    "kazuya", "yusuke", "tomoko", "yoko", "keiko", "naomi", "ayaka", "misaki", "haruka",
    "yui", "sakura", "kaori", "emi", "megumi", "rina", "satoshi", "takuya", "ryo", "koji",
    "manabu", "erika", "hideki", "masato", "kazuki", "tsubasa", "yuta", "shinji", "tetsuya",
    "noriko", "chihiro", "mai", "asuka", "nana", "saori", "kyoko", "junko", "tomoya",
    "hayato", "kenta", "ren", "sho", "aoi", "mio", "hina", "riko", "miki", "yoshiko",
    "takeshi", "osamu", "isamu", "minoru",
];
#[rustfmt::skip]
const FAMILY_JA: &[&str] = &[
    "sato", "suzuki", "takahashi", "tanaka", "watanabe", "ito", "yamamoto", "nakamura",
    "kobayashi", "kato", "yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto", "inoue",
    "kimura", "hayashi", "shimizu", "yamazaki", "mori", "abe", "ikeda", "hashimoto",
    "yamashita", "ishikawa", "nakajima", "maeda", "fujita", "ogawa", "goto", "okada",
    "hasegawa", "murakami", "kondo", "ishii", "saito", "sakamoto", "endo", "aoki",
    "fujii", "nishimura", "fukuda", "ota", "miura", "fujiwara", "okamoto", "matsuda",
    "nakagawa", "nakano", "harada", "ono", "tamura", "takeuchi", "kaneko", "wada",
    "nakayama", "ishida", "ueda", "morita",
];

const RID_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn rid(rng: &mut Rng) -> String {
    (0..7)
        .map(|_| char::from(RID_CHARS[rng.index(RID_CHARS.len())]))
        .collect()
}

/// The recipients and their send times: GoPhish hands mails over one after
/// another across the campaign's sending window; a few sends fail.
pub fn recipients(b: &mut Builder<'_>) -> i64 {
    let spec = b.spec;
    let launched = clock::instant(b.on, spec.send_at.0, spec.send_at.1, spec.offset_minutes);
    let (given, family) = match spec.country {
        Country::Japan => (GIVEN_JA, FAMILY_JA),
        Country::Us => (GIVEN_EN, FAMILY_EN),
    };
    let mut emails = std::collections::BTreeSet::new();
    let mut rids = std::collections::BTreeSet::new();
    let window = i64::from(spec.send_minutes) * MINUTE_MS;
    let n = spec.recipients as i64;
    for i in 0..spec.recipients {
        let g = *b.rng.pick(given);
        let f = *b.rng.pick(family);
        // Japanese companies write the family name first; a namesake gets a number.
        let local = match spec.country {
            Country::Japan => format!("{f}.{g}"),
            Country::Us => format!("{g}.{f}"),
        };
        let mut email = format!("{local}@{}", spec.domain);
        let mut k = 2;
        while emails.contains(&email) {
            email = format!("{local}{k}@{}", spec.domain);
            k += 1;
        }
        emails.insert(email.clone());
        let id = loop {
            let r = rid(&mut b.rng);
            if rids.insert(r.clone()) {
                break r;
            }
        };
        let sent_ms = launched + 1500 + window * i as i64 / n + b.rng.below(900) as i64;
        let bounced = b.rng.chance(0.006);
        b.recipients.push(Recipient {
            email,
            rid: id,
            sent_ms,
            bounced,
            reported_ms: None,
        });
    }
    b.read_ms = vec![None; b.recipients.len()];
    launched
}

/// Finishes the world: visits in time order (a stable sort keeps the order
/// of generation among equal instants).
pub fn finish(b: Builder<'_>, launched_ms: i64) -> World {
    let mut visits = b.visits;
    visits.sort_by_key(|v| v.at_ms);
    let last = b.recipients.iter().map(|r| r.sent_ms).max().unwrap_or(0);
    debug_assert!(visits.iter().all(|v| v.at_ms < last + 10 * DAY_MS));
    World {
        recipients: b.recipients,
        visits,
        launched_ms,
    }
}
