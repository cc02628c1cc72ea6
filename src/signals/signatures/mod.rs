//! The signature list in force: known networks (by AS number or prefix),
//! User-Agent patterns, browser release tables, timing bands, weights and
//! tuning. Built from the embedded `assets/signatures.toml` (and the release
//! table `assets/browser-releases.toml`), optionally
//! extended or patched by a user file (see [`file`](mod@file)). The weights and
//! tuning are named in [`params`].

mod file;
mod params;
mod releases;

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use ipnetwork::IpNetwork;

pub use file::{
    BUILTIN, BUILTIN_RELEASES, ENV_VAR, FILE_NAME, FORMAT, SignatureError, default_user_file,
    user_file,
};
pub use params::{Tunable, Tuning, Weight, Weights};
pub use releases::{AssumedRelease, BrowserEntry};

/// What a known network is, which decides the default weight of its evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NetworkKind {
    /// A mail-security vendor's own network: link scanners and sandboxes.
    MailSecurity,
    /// Another security vendor's own network (antivirus, endpoint, URL
    /// reputation): its sandboxes and crawlers check links its customers
    /// meet; no campaign's recipients browse from it.
    SecurityVendor,
    /// A public cloud or hosting network: scanners run there, but so do
    /// virtual desktops and VPN egress of real people.
    Cloud,
    /// A forward proxy or SASE service that real people's browsing goes through.
    SecurityProxy,
    /// A fixed-line provider's subscriber lines: homes and small offices.
    Residential,
    /// A mobile carrier.
    Cellular,
}

impl NetworkKind {
    pub const ALL: [NetworkKind; 6] = [
        NetworkKind::MailSecurity,
        NetworkKind::SecurityVendor,
        NetworkKind::Cloud,
        NetworkKind::SecurityProxy,
        NetworkKind::Residential,
        NetworkKind::Cellular,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NetworkKind::MailSecurity => "mail-security",
            NetworkKind::SecurityVendor => "security-vendor",
            NetworkKind::Cloud => "cloud",
            NetworkKind::SecurityProxy => "security-proxy",
            NetworkKind::Residential => "residential",
            NetworkKind::Cellular => "cellular",
        }
    }

    /// How a reason describes the kind.
    pub fn describe(self) -> &'static str {
        match self {
            NetworkKind::MailSecurity => "mail-security gateway",
            NetworkKind::SecurityVendor => {
                "a security vendor's own network (URL checks, sandboxes)"
            }
            NetworkKind::Cloud => "cloud/hosting network (scanners, but also virtual desktops)",
            NetworkKind::SecurityProxy => "security proxy that people browse through",
            NetworkKind::Residential => "a provider's subscriber lines (homes, small offices)",
            NetworkKind::Cellular => "mobile carrier",
        }
    }

    pub fn from_name(name: &str) -> Option<NetworkKind> {
        NetworkKind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn weight_key(self) -> Weight {
        match self {
            NetworkKind::MailSecurity => Weight::NetworkMailSecurity,
            NetworkKind::SecurityVendor => Weight::NetworkSecurityVendor,
            NetworkKind::Cloud => Weight::NetworkCloud,
            NetworkKind::SecurityProxy => Weight::NetworkSecurityProxy,
            NetworkKind::Residential => Weight::NetworkResidential,
            NetworkKind::Cellular => Weight::NetworkCellular,
        }
    }
}

/// What a User-Agent pattern identifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgentKind {
    /// An HTTP library or command-line tool.
    Library,
    /// A headless or automation browser.
    Headless,
    /// A named security scanner or URL checker.
    Scanner,
    /// A link-preview fetcher (chat apps, mail previews).
    Preview,
    /// Microsoft Office / Outlook fetching on the recipient's own device:
    /// a link check or preview on a click, an image load on an open.
    OfficeClient,
}

impl AgentKind {
    pub const ALL: [AgentKind; 5] = [
        AgentKind::Library,
        AgentKind::Headless,
        AgentKind::Scanner,
        AgentKind::Preview,
        AgentKind::OfficeClient,
    ];

    pub fn name(self) -> &'static str {
        match self {
            AgentKind::Library => "library",
            AgentKind::Headless => "headless",
            AgentKind::Scanner => "scanner",
            AgentKind::Preview => "preview",
            AgentKind::OfficeClient => "office-client",
        }
    }

    pub fn from_name(name: &str) -> Option<AgentKind> {
        AgentKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The weight of a match; Office clients are weighed per access (a
    /// click and an open mean different things), so this is their click weight.
    pub fn weight_key(self) -> Weight {
        match self {
            AgentKind::Library => Weight::AgentLibrary,
            AgentKind::Headless => Weight::AgentHeadless,
            AgentKind::Scanner => Weight::AgentScanner,
            AgentKind::Preview => Weight::AgentPreview,
            AgentKind::OfficeClient => Weight::AgentOfficeClick,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            AgentKind::Library => "HTTP library or tool",
            AgentKind::Headless => "headless/automation browser",
            AgentKind::Scanner => "security scanner agent",
            AgentKind::Preview => "link-preview fetcher",
            AgentKind::OfficeClient => "Office/Outlook client fetch",
        }
    }
}

/// Where an entry or setting came from, for `whoclicked signatures`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The list embedded in the binary, with its version.
    Builtin(String),
    /// A user file.
    User(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Builtin(version) => write!(f, "built-in {version}"),
            Origin::User(path) => write!(f, "{}", path.display()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkEntry {
    pub name: String,
    pub kind: NetworkKind,
    pub asns: Vec<u32>,
    pub prefixes: Vec<IpNetwork>,
    /// Overrides the kind's weight for this entry.
    pub weight: Option<f32>,
    pub note: String,
    pub origin: Origin,
}

impl NetworkEntry {
    pub fn weight(&self, weights: &Weights) -> f32 {
        self.weight.unwrap_or(weights[self.kind.weight_key()])
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AgentEntry {
    pub name: String,
    pub kind: AgentKind,
    /// Lower-case substrings; any one matches.
    pub contains: Vec<String>,
    /// Lower-case prefixes of the whole User-Agent; any one matches.
    pub starts_with: Vec<String>,
    pub weight: Option<f32>,
    pub note: String,
    pub origin: Origin,
}

impl AgentEntry {
    pub fn weight(&self, weights: &Weights) -> f32 {
        self.weight.unwrap_or(weights[self.kind.weight_key()])
    }

    pub fn matches(&self, lower_ua: &str) -> bool {
        self.starts_with
            .iter()
            .any(|p| lower_ua.starts_with(p.as_str()))
            || self.contains.iter().any(|p| lower_ua.contains(p.as_str()))
    }
}

/// Seconds after delivery below `below` give `weight` (the first band that fits).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimingBand {
    pub below: f32,
    pub weight: f32,
}

/// One file that contributed to the signatures in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceInfo {
    pub origin: Origin,
    /// The file's own `version`.
    pub version: String,
    /// The file dropped the built-in lists (`builtin = false`).
    pub replaces_builtin: bool,
}

/// How an address matched a network entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkMatch {
    Prefix(IpNetwork),
    Asn(u32),
}

/// Everything the suggestion rules read from data.
#[derive(Clone, Debug)]
pub struct Signatures {
    pub sources: Vec<SourceInfo>,
    /// User entries come first so that they win lookups.
    pub networks: Vec<NetworkEntry>,
    pub agents: Vec<AgentEntry>,
    pub browsers: Vec<BrowserEntry>,
    pub timing: Vec<TimingBand>,
    pub weights: Weights,
    pub tuning: Tuning,
    /// Where each weight and tuning value was last set.
    pub weight_origins: Vec<Origin>,
    pub tuning_origins: Vec<Origin>,
    /// Decoy link patterns: the signature file's `decoys` and `--decoy`
    /// (`signals::decoy`).
    pub decoys: Vec<String>,
    /// Where each of the first `decoy_origins.len()` decoys came from (the
    /// rest were given on the command line, `--decoy`).
    pub decoy_origins: Vec<Origin>,
    asn_index: HashMap<u32, usize>,
    /// Most specific prefix first.
    prefix_index: Vec<(IpNetwork, usize)>,
}

impl Signatures {
    pub(crate) fn assemble(
        sources: Vec<SourceInfo>,
        networks: Vec<NetworkEntry>,
        agents: Vec<AgentEntry>,
        browsers: Vec<BrowserEntry>,
        timing: Vec<TimingBand>,
        (weights, weight_origins): (Weights, Vec<Origin>),
        (tuning, tuning_origins): (Tuning, Vec<Origin>),
    ) -> Self {
        let mut asn_index = HashMap::new();
        let mut prefix_index = Vec::new();
        for (i, entry) in networks.iter().enumerate() {
            for &asn in &entry.asns {
                // First entry wins: user entries precede built-in ones.
                asn_index.entry(asn).or_insert(i);
            }
            for &prefix in &entry.prefixes {
                prefix_index.push((prefix, i));
            }
        }
        // Longest prefix first; the stable sort keeps user entries ahead on ties.
        prefix_index.sort_by_key(|(net, _)| std::cmp::Reverse(net.prefix()));
        Signatures {
            sources,
            networks,
            agents,
            browsers,
            timing,
            weights,
            tuning,
            weight_origins,
            tuning_origins,
            decoys: Vec::new(),
            decoy_origins: Vec::new(),
            asn_index,
            prefix_index,
        }
    }

    /// No entries and every number zero: what stands behind suggestions that
    /// were stated rather than weighed ([`Suggestions::stated`](crate::signals::Suggestions::stated)),
    /// which never read them.
    pub(crate) fn none() -> Self {
        Signatures::assemble(
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            (Weights::zeroed(), Vec::new()),
            (Tuning::zeroed(), Vec::new()),
        )
    }

    /// The known network of an address (its index in `networks`): the most
    /// specific listed prefix, else the entry for its AS number.
    pub fn network_for(&self, ip: IpAddr, asn: Option<u32>) -> Option<(usize, NetworkMatch)> {
        let ip = ip.to_canonical();
        if let Some(&(net, i)) = self.prefix_index.iter().find(|(net, _)| net.contains(ip)) {
            return Some((i, NetworkMatch::Prefix(net)));
        }
        let asn = asn?;
        let &i = self.asn_index.get(&asn)?;
        Some((i, NetworkMatch::Asn(asn)))
    }

    /// The index in `agents` of the first pattern that matches `user_agent`.
    pub fn agent_for(&self, user_agent: &str) -> Option<usize> {
        let lower = user_agent.to_ascii_lowercase();
        self.agents.iter().position(|a| a.matches(&lower))
    }

    pub fn browser(&self, family: &str) -> Option<&BrowserEntry> {
        self.browsers
            .iter()
            .find(|b| b.family.eq_ignore_ascii_case(family))
    }

    pub fn weight(&self, key: Weight) -> f32 {
        self.weights[key]
    }

    pub fn tuning(&self, key: Tunable) -> f32 {
        self.tuning[key]
    }

    /// The timing weight for `seconds` after delivery.
    pub fn timing_weight(&self, seconds: f32) -> f32 {
        self.timing
            .iter()
            .find(|band| seconds < band.below)
            .map_or(0.0, |band| band.weight)
    }
}
