//! Accesses from the office egress tied to PCs through the proxy and DHCP
//! logs: the chain per access, the reasons in the suggestions, the
//! "someone else's machine" flag, and clear messages for logs of another
//! day, overlapping leases and clocks minutes apart.

use std::path::PathBuf;

use whoclicked::analysis::Analysis;
use whoclicked::input::LoadProgress;
use whoclicked::model::{Campaign, Leaning};
use whoclicked::network::{HostMap, LeaseFact, MatchedBy, NetworkOptions, Untied};
use whoclicked::pipeline::{Observer, Warning, prepare};

use crate::input_network::{campaign_proxy_dhcp, fixture, network_options};

#[derive(Default)]
struct Heard(Vec<String>);

impl Observer for Heard {
    fn warning(&mut self, warning: Warning) {
        if let Warning::Network(text) = warning {
            self.0.push(text);
        }
    }
}

fn run(files: Vec<PathBuf>, network: NetworkOptions) -> (Analysis, Vec<String>) {
    let options = network_options(files, Vec::new(), network);
    let mut heard = Heard::default();
    let prepared = prepare(&options, &LoadProgress::default(), &mut heard).unwrap();
    (prepared.analysis, heard.0)
}

fn hosts() -> HostMap {
    HostMap::read(&fixture("hosts.csv")).unwrap()
}

/// The access of `email` at `hhmm` UTC.
fn access(c: &Campaign, email: &str, utc: &str) -> usize {
    c.accesses
        .iter()
        .position(|a| {
            c.recipient_name(a) == email
                && a.time
                    .format_rfc3339(&jiff::tz::TimeZone::UTC)
                    .contains(utc)
        })
        .unwrap_or_else(|| panic!("no access of {email} at {utc}"))
}

#[test]
fn ties_clicks_to_pcs_users_and_hosts_and_flags_a_forwarded_mail() {
    let (a, messages) = run(
        vec![
            fixture("campaign.csv"),
            fixture("squid_native.log"),
            fixture("DhcpSrvLog-Thu.log"),
        ],
        NetworkOptions {
            hosts: hosts(),
            ..NetworkOptions::default()
        },
    );
    assert_eq!(messages, Vec::<String>::new());
    let c = &a.campaign;
    let net = &a.enriched().network;
    assert_eq!(net.landing_host.as_deref(), Some("training.example-kit.jp"));
    assert!(net.landing_learned);
    assert_eq!(
        net.egress,
        vec!["198.51.100.7".parse::<std::net::IpAddr>().unwrap()]
    );

    let tanaka = access(c, "tanaka@corp.example", "T01:03:10");
    let tie = a.enriched().tie(tanaka).expect("tanaka's click is tied");
    assert_eq!(tie.client.to_string(), "10.1.2.3");
    assert_eq!(c.strings.get(tie.user), "CORP\\tanaka");
    assert_eq!(c.strings.get(tie.host), "PC-TANAKA.corp.example");
    assert_eq!(c.strings.get(tie.mac), "00:1a:2b:3c:4d:5e");
    assert_eq!(tie.matched_by, MatchedBy::Recipient);
    assert!(matches!(tie.lease, LeaseFact::Found(_)));
    assert_eq!(tie.elsewhere, None);
    assert!((tie.gap - 0.4).abs() < 0.01, "{}", tie.gap);

    // sato's mail was opened on yamada's PC: someone else's machine.
    let sato = access(c, "sato@corp.example", "T02:00:00");
    let tie = a.enriched().tie(sato).expect("sato's click is tied");
    assert_eq!(c.strings.get(tie.host), "PC-YAMADA.corp.example");
    assert_eq!(tie.elsewhere.as_deref(), Some("yamada@corp.example"));

    // Untied egress accesses are counted, with why.
    let suzuki = access(c, "suzuki@corp.example", "T01:20:00");
    assert_eq!(net.untied(suzuki), Some(Untied::NoRecordInWindow));
    let late = access(c, "tanaka@corp.example", "T05:00:00");
    assert_eq!(net.untied(late), Some(Untied::NotCovered));
    // Other networks' accesses are neither tied nor counted.
    let ito = access(c, "ito@corp.example", "T00:00:05");
    assert_eq!((a.enriched().tie(ito), net.untied(ito)), (None, None));

    let summary = net.summary();
    assert_eq!(
        summary,
        vec![
            "proxy: 2 access(es) tied to a PC (landing host training.example-kit.jp (learned \
             from the proxy log); records within ±10.0s of an access, --clock-skew); egress \
             198.51.100.7",
            "proxy: 2 access(es) from the egress could not be tied: 1 no proxy record within \
             the window; 1 the proxy log does not cover that time",
            "proxy: 1 access(es) came from someone else's machine (forwarded mail?)",
        ]
    );

    // A tied access weighs as a person, with the reason.
    assert_eq!(a.suggestions().label(tanaka), Some(Leaning::Human));
    let reasons = a.suggestions().reasons_line(a.enriched(), tanaka);
    assert!(
        reasons.contains(
            "the company's proxy log ties it to PC-TANAKA.corp.example (10.1.2.3, user \
             CORP\\tanaka) by the recipient's id in the URL, 0.4s apart: a person at a PC (-4.0)"
        ),
        "{reasons}"
    );
    let reasons = a.suggestions().reasons_line(a.enriched(), sato);
    assert!(reasons.contains("someone else's machine"), "{reasons}");
}

#[test]
fn a_connect_only_log_ties_by_host_and_leases_give_the_pc() {
    let (a, messages) = run(
        vec![
            fixture("campaign.csv"),
            fixture("squid_common.log"),
            fixture("dhcpd.leases"),
        ],
        NetworkOptions::default(),
    );
    assert_eq!(messages, Vec::<String>::new());
    let c = &a.campaign;
    let suzuki = access(c, "suzuki@corp.example", "T01:20:00");
    let tie = a.enriched().tie(suzuki).expect("tied by host");
    assert_eq!(tie.matched_by, MatchedBy::Host);
    assert_eq!(c.strings.get(tie.user), "suzuki");
    // The renewal holds the address at 01:20, after the first lease ended.
    assert_eq!(c.strings.get(tie.host), "PC-SUZUKI");
}

#[test]
fn the_landing_host_can_be_given() {
    let (a, messages) = run(
        vec![fixture("campaign.csv"), fixture("squid_native.log")],
        NetworkOptions {
            landing_host: Some("https://news.example.com/".into()),
            ..NetworkOptions::default()
        },
    );
    assert_eq!(a.enriched().network.tied_count(), 0);
    assert!(!a.enriched().network.landing_learned);
    assert_eq!(messages, Vec::<String>::new());
    let (a, messages) = run(
        vec![fixture("campaign.csv"), fixture("squid_native.log")],
        NetworkOptions {
            landing_host: Some("nowhere.example".into()),
            ..NetworkOptions::default()
        },
    );
    assert_eq!(a.enriched().network.tied_count(), 0);
    assert_eq!(
        messages,
        vec![
            "proxy: no record in the proxy log requested the landing host nowhere.example \
             (--landing-host); nothing could be tied"
        ]
    );
}

/// The fixture's Squid log with every time moved by `seconds`.
fn shifted_squid(dir: &tempfile::TempDir, seconds: i64) -> PathBuf {
    let text = std::fs::read_to_string(fixture("squid_native.log")).unwrap();
    let out: Vec<String> = text
        .lines()
        .map(|line| match line.split_once('.') {
            Some((secs, rest)) if secs.len() == 10 => {
                format!("{}.{rest}", secs.parse::<i64>().unwrap() + seconds)
            }
            _ => line.to_string(),
        })
        .collect();
    let path = dir.path().join("access.log");
    std::fs::write(&path, out.join("\n")).unwrap();
    path
}

#[test]
fn clocks_minutes_apart_are_said_and_the_window_widens() {
    let dir = tempfile::tempdir().unwrap();
    let squid = shifted_squid(&dir, 150);
    let (a, messages) = run(
        vec![fixture("campaign.csv"), squid.clone()],
        NetworkOptions {
            landing_host: Some("training.example-kit.jp".into()),
            ..NetworkOptions::default()
        },
    );
    assert_eq!(a.enriched().network.tied_count(), 0);
    assert_eq!(
        messages,
        vec![
            "proxy: the requests carrying the recipients' ids come a median 2m30s after their \
             accesses, beyond the window of ±10.0s: the proxy's and the landing page's clocks \
             are apart; widen the window, e.g. --clock-skew 181s"
        ]
    );
    let (a, messages) = run(
        vec![fixture("campaign.csv"), squid],
        NetworkOptions {
            clock_skew_ms: whoclicked::network::parse_clock_skew("181s").unwrap(),
            ..NetworkOptions::default()
        },
    );
    assert_eq!(messages, Vec::<String>::new());
    assert_eq!(a.enriched().network.tied_count(), 2);
    assert!(a.enriched().network.summary()[0].contains("within ±3m01s"));
}

#[test]
fn a_proxy_log_of_another_day_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let squid = shifted_squid(&dir, -86_400);
    let (a, messages) = run(
        vec![fixture("campaign.csv"), squid.clone()],
        NetworkOptions {
            landing_host: Some("training.example-kit.jp".into()),
            ..NetworkOptions::default()
        },
    );
    assert_eq!(a.enriched().network.tied_count(), 0);
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert_eq!(
        messages[0],
        format!(
            "{}: this proxy log covers 2026-12-02 00:50:00 to 2026-12-02 03:53:20 UTC but the \
             campaign's accesses are from 2026-12-03 00:00:05 to 2026-12-03 05:00:00 UTC: a \
             log of another day? none of its records can be used",
            squid.display()
        )
    );
}

#[test]
fn overlapping_leases_are_said_and_name_no_host() {
    let dir = tempfile::tempdir().unwrap();
    let leases = dir.path().join("dhcpd.leases");
    std::fs::write(
        &leases,
        "lease 10.1.2.3 {\n  starts 4 2026/12/03 00:00:00;\n  ends 4 2026/12/03 08:00:00;\n  \
         hardware ethernet 00:1a:2b:3c:4d:5e;\n  client-hostname \"PC-TANAKA\";\n}\n\
         lease 10.1.2.3 {\n  starts 4 2026/12/03 01:00:00;\n  ends 4 2026/12/03 09:00:00;\n  \
         hardware ethernet 00:1a:2b:3c:4d:99;\n  client-hostname \"PC-ROGUE\";\n}\n",
    )
    .unwrap();
    let (a, messages) = run(
        vec![
            fixture("campaign.csv"),
            fixture("squid_native.log"),
            leases.clone(),
        ],
        NetworkOptions::default(),
    );
    assert_eq!(
        messages,
        vec![format!(
            "overlapping leases of 10.1.2.3: PC-TANAKA (00:1a:2b:3c:4d:5e) in {0} line 1 and \
             PC-ROGUE (00:1a:2b:3c:4d:99) in {0} line 7 both cover the time from \
             2026-12-03T01:00:00Z; accesses then get no host name",
            leases.display()
        )]
    );
    let tanaka = access(&a.campaign, "tanaka@corp.example", "T01:03:10");
    let tie = a.enriched().tie(tanaka).unwrap();
    assert_eq!(tie.lease, LeaseFact::Ambiguous);
    assert_eq!(a.campaign.strings.get(tie.host), "");
}

#[test]
fn leases_without_a_proxy_log_are_said() {
    let (a, messages) = run(
        vec![fixture("campaign.csv"), fixture("dhcpd.leases")],
        NetworkOptions::default(),
    );
    assert_eq!(a.enriched().network.tied_count(), 0);
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].starts_with("DHCP leases were read but no proxy log"),
        "{messages:?}"
    );
}

#[test]
fn a_dhcp_log_read_in_the_wrong_zone_says_the_zone_may_be_why() {
    // The Windows DHCP log holds Tokyo time without an offset; read as UTC
    // its leases start nine hours late, after every access.
    let mut options = network_options(campaign_proxy_dhcp(), Vec::new(), NetworkOptions::default());
    options.load.zone = jiff::tz::TimeZone::UTC;
    let mut heard = Heard::default();
    prepare(&options, &LoadProgress::default(), &mut heard).unwrap();
    let said = heard
        .0
        .iter()
        .find(|m| m.contains("DhcpSrvLog-Thu.log"))
        .unwrap_or_else(|| panic!("{:#?}", heard.0));
    assert!(said.contains("starts 2026-12-03 08:30:12 UTC"), "{said}");
    assert!(
        said.contains("a log of another day, or its times read in the wrong zone"),
        "{said}"
    );
    // In the right zone the same log is used, and nothing is said of it.
    let (_, messages) = run(campaign_proxy_dhcp(), NetworkOptions::default());
    assert!(
        !messages.iter().any(|m| m.contains("another day")),
        "{messages:#?}"
    );
}
