//! The story the proxy and DHCP logs are for: forty people behind the one
//! office egress address, where the address alone cannot tell them apart.
//! The proxy log (half with full URLs, half HTTPS tunnels naming only the
//! host) and the DHCP audit log tie each click to its PC; the hosts table
//! shows that two clicks were made on a colleague's PC (forwarded mail).

use std::fmt::Write as _;
use std::path::PathBuf;

use whoclicked::input::LoadProgress;
use whoclicked::kb::Author;
use whoclicked::model::Leaning;
use whoclicked::network::{HostMap, MatchedBy, NetworkOptions};
use whoclicked::pipeline::{CampaignSource, KnowledgeSource, PrepareOptions, Warning, prepare};

use crate::input_network::tokyo;

const PEOPLE: usize = 40;
const SENT: i64 = 1_796_256_000; // 2026-12-03 00:00:00Z, 09:00 in Tokyo
const EGRESS: &str = "203.0.113.50";
const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
/// Person 38's mail was opened on person 5's PC, 39's on 12's.
const FORWARDED: [(usize, usize); 2] = [(38, 5), (39, 12)];

fn email(i: usize) -> String {
    format!("emp{i:02}@corp.example")
}

fn pc(i: usize) -> String {
    format!("PC-{i:03}")
}

fn client(i: usize) -> String {
    format!("10.20.0.{}", 10 + i)
}

/// The PC each person's click was made on.
fn clicked_on(i: usize) -> usize {
    FORWARDED
        .iter()
        .find(|(who, _)| *who == i)
        .map_or(i, |(_, on)| *on)
}

fn click_time(i: usize) -> i64 {
    SENT + 3600 + i as i64 * 150
}

fn write_logs(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut campaign = String::from("campaign_id,email,time,message,details\n");
    for i in 0..PEOPLE {
        let _ = writeln!(campaign, "1,{},2026-12-03T00:00:00Z,Email Sent,", email(i));
    }
    let mut squid = String::new();
    let mut dhcp = String::from(
        "\t\tMicrosoft DHCP Service Activity Log\n\n\nEvent ID  Meaning\n00\tThe log was started.\n\
         10\tA new IP address was leased to a client.\n11\tA lease was renewed by a client.\n\n\
         ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID, \
         QResult,Probationtime, CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),\
         UserClass(Hex),UserClass(ASCII),RelayAgentInformation,DnsRegError.\n",
    );
    let mut hosts = String::from("host,recipient\n");
    for i in 0..PEOPLE {
        let t = click_time(i);
        let rid = format!("r{i:02}x");
        let details = format!(
            "\"{{\"\"payload\"\":{{\"\"rid\"\":[\"\"{rid}\"\"]}},\"\"browser\"\":{{\"\"address\"\":\"\"{EGRESS}\"\",\"\"user-agent\"\":\"\"{CHROME}\"\"}}}}\""
        );
        let when = jiff::Timestamp::from_second(t).unwrap();
        let _ = writeln!(campaign, "1,{},{when},Clicked Link,{details}", email(i));
        let on = clicked_on(i);
        // Half the proxy saw whole (with the recipient id), half only as a tunnel.
        let (method, url) = if i.is_multiple_of(2) {
            ("GET", format!("http://training.example-kit.jp/?rid={rid}"))
        } else {
            ("CONNECT", "training.example-kit.jp:443".to_string())
        };
        let _ = writeln!(
            squid,
            "{}.300    210 {} TCP_MISS/200 4100 {method} {url} CORP%5C{} HIER_DIRECT/198.51.100.80 text/html",
            t,
            client(on),
            email(on).split('@').next().unwrap()
        );
        let _ = writeln!(
            dhcp,
            "10,12/03/26,08:{:02}:00,Assign,{},{}.corp.example,00155D00{:04X},,{},0,,,,,,,,,0",
            i % 60,
            client(i),
            pc(i),
            i,
            1000 + i
        );
        let _ = writeln!(hosts, "{},{}", pc(i), email(i));
    }
    // Someone's unrelated browsing around the clicks.
    let _ = writeln!(
        squid,
        "{}.000    100 10.20.0.99 TCP_MISS/200 900 GET http://news.example.com/ - HIER_DIRECT/198.51.100.81 text/html",
        SENT + 3700
    );
    let files = [
        ("campaign.csv", campaign),
        ("access.log", squid),
        ("DhcpSrvLog-Thu.log", dhcp),
        ("hosts.csv", hosts),
    ];
    files
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

struct Quiet(Vec<String>);
impl whoclicked::pipeline::Observer for Quiet {
    fn warning(&mut self, w: Warning) {
        if let Warning::Network(text) = w {
            self.0.push(text);
        }
    }
}

#[test]
fn forty_people_behind_one_egress_are_each_tied_to_their_pc() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_logs(dir.path());
    let options = PrepareOptions {
        campaign: CampaignSource::Logs(paths[..3].to_vec()),
        load: tokyo(),
        mmdb: Vec::new(),
        kb: KnowledgeSource::Without,
        author: Author::new(Some("sato"), Some("story")),
        cache_owners: false,
        decoys: Vec::new(),
        network: NetworkOptions {
            hosts: HostMap::read(&paths[3]).unwrap(),
            ..NetworkOptions::default()
        },
    };
    let mut heard = Quiet(Vec::new());
    let a = prepare(&options, &LoadProgress::default(), &mut heard)
        .unwrap()
        .analysis;
    assert_eq!(heard.0, Vec::<String>::new());
    let c = &a.campaign;
    assert_eq!(c.accesses.len(), PEOPLE);
    // One address for everyone: the address alone tells no one apart.
    assert_eq!(c.ips.len(), 1);
    let net = &a.enriched().network;
    assert_eq!(net.tied_count(), PEOPLE);
    assert!(net.untied_counts().is_empty());
    let mut flagged = Vec::new();
    for (i, access) in c.accesses.iter().enumerate() {
        let person: usize = c.recipient_name(access)[3..5].parse().unwrap();
        let tie = a.enriched().tie(i).expect("every click tied");
        let on = clicked_on(person);
        assert_eq!(tie.client.to_string(), client(on), "{person}");
        assert_eq!(
            c.strings.get(tie.host),
            format!("{}.corp.example", pc(on)),
            "{person}"
        );
        let by = if person.is_multiple_of(2) {
            MatchedBy::Recipient
        } else {
            MatchedBy::Host
        };
        assert_eq!(tie.matched_by, by, "{person}");
        assert_eq!(a.suggestions().label(i), Some(Leaning::Human), "{person}");
        if let Some(owner) = &tie.elsewhere {
            flagged.push((person, owner.clone()));
        }
    }
    flagged.sort();
    assert_eq!(
        flagged,
        vec![(38, email(5)), (39, email(12))],
        "the two forwarded clicks, and only they"
    );
    assert_eq!(net.elsewhere_count(), 2);
}
