//! The bundled demo's story (`assets/demo/`): the campaign has every trap it
//! promises (Safe Links, the gateways, the crawler, the office proxy, phones,
//! the Azure Virtual Desktop user, the JavaScript-less reader, submits and
//! repeat clicks), its truth agrees with the evidence, and the README's
//! ground-truth table and named people are true. The files themselves are
//! tested in `demo_files.rs`.

use crate::support::demo;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use demo::{
    Block, Carrier, DEPARTMENTS, DemoRow, MIMECAST_DEPARTMENT, Malformed, PROOFPOINT_DEPARTMENT,
    RANGES, RECIPIENTS, Source, Truth, WAVES, demo_campaign, demo_cast, hms, range, range_of,
    readable,
};

const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/README.md");

// ---------------------------------------------------------------------------
// Helpers over the rows
// ---------------------------------------------------------------------------

fn deliveries(rows: &[DemoRow]) -> HashMap<&str, i64> {
    rows.iter()
        .filter(|r| r.event == "sent")
        .map(|r| (r.recipient.as_str(), r.at))
        .collect()
}

fn since_delivery(row: &DemoRow, delivered: &HashMap<&str, i64>) -> i64 {
    row.at - delivered[row.recipient.as_str()]
}

fn net_of(row: &DemoRow) -> Block {
    let addr = row.addr().unwrap_or_else(|| panic!("no address: {row:?}"));
    range_of(addr)
        .unwrap_or_else(|| panic!("{addr} is in no row of ranges.tsv"))
        .net
}

fn recipients_where(rows: &[DemoRow], pred: impl Fn(&DemoRow) -> bool) -> BTreeSet<&str> {
    readable(rows)
        .filter(|r| pred(r))
        .map(|r| r.recipient.as_str())
        .collect()
}

fn human(event: &'static str) -> impl Fn(&DemoRow) -> bool {
    move |r| r.truth == Truth::Human && r.event == event
}

fn is_phone_ua(ua: &str) -> bool {
    ua.contains("iPhone") || (ua.contains("Android") && ua.contains("Mobile"))
}

fn chrome_major(ua: &str) -> Option<u32> {
    let rest = &ua[ua.find("Chrome/")? + "Chrome/".len()..];
    rest.split('.').next()?.parse().ok()
}

const MICROSOFT: [Block; 3] = [
    Block::MicrosoftEop40,
    Block::MicrosoftEop104,
    Block::AzureJapan,
];
const HOME_LINES: [Block; 4] = [Block::Ocn, Block::SoNet, Block::Biglobe, Block::Optage];

/// The ground truth, as the README's table states it (label, count).
fn ground_truth(rows: &[DemoRow]) -> Vec<(&'static str, usize)> {
    let count = |pred: &dyn Fn(&DemoRow) -> bool| readable(rows).filter(|r| pred(r)).count();
    let source = |s: Source| move |r: &DemoRow| r.source == s;
    let clickers = recipients_where(rows, human("click"));
    let mut clicks_per: BTreeMap<&str, usize> = BTreeMap::new();
    for r in readable(rows).filter(|r| human("click")(r)) {
        *clicks_per.entry(&r.recipient).or_default() += 1;
    }
    let openers = recipients_where(rows, human("open"));
    let scanned = recipients_where(rows, |r| r.truth == Truth::Scanner);
    let naive = recipients_where(rows, |r| matches!(r.event, "click" | "submit"));
    vec![
        ("rows (without the header)", rows.len()),
        (
            "recipients delivered",
            recipients_where(rows, |r| r.event == "sent").len(),
        ),
        (
            "recipients with a click or submit row (naive count)",
            naive.len(),
        ),
        ("recipients who really clicked", clickers.len()),
        (
            "recipients who really submitted the form",
            recipients_where(rows, human("submit")).len(),
        ),
        (
            "recipients who clicked more than once",
            clicks_per.values().filter(|&&n| n > 1).count(),
        ),
        (
            "recipients who only opened the mail",
            openers.difference(&clickers).count(),
        ),
        (
            "recipients reached by scanners only",
            scanned.difference(&clickers).count(),
        ),
        ("human click rows", count(&human("click"))),
        ("human submit rows", count(&human("submit"))),
        ("human open rows", count(&human("open"))),
        ("scanner rows", count(&|r| r.truth == Truth::Scanner)),
        ("Safe Links at delivery", count(&source(Source::SafeLinks))),
        (
            "Safe Links at the moment of a click",
            count(&source(Source::SafeLinksAtClick)),
        ),
        ("Proofpoint", count(&source(Source::Proofpoint))),
        ("Mimecast", count(&source(Source::Mimecast))),
        ("headless crawler", count(&source(Source::CloudCrawler))),
        (
            "scanner submit rows",
            count(&|r| r.truth == Truth::Scanner && r.event == "submit"),
        ),
        (
            "malformed rows",
            rows.iter().filter(|r| r.malformed.is_some()).count(),
        ),
    ]
}

fn readme_truth_table() -> Vec<(String, usize)> {
    let text = std::fs::read_to_string(README).expect("assets/demo/README.md");
    let start = text
        .find("<!-- truth:begin -->")
        .expect("README has <!-- truth:begin -->");
    let end = text
        .find("<!-- truth:end -->")
        .expect("README has <!-- truth:end -->");
    text[start..end]
        .lines()
        .filter(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let value = cells.last()?.parse().ok()?;
            Some((cells[0].to_string(), value))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The story
// ---------------------------------------------------------------------------

#[test]
fn readme_ground_truth_matches_the_rows() {
    let rows = demo_campaign();
    let computed: Vec<(String, usize)> = ground_truth(&rows)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    assert_eq!(readme_truth_table(), computed);
}

#[test]
fn readme_names_the_trap_people_and_the_broken_lines() {
    let readme = std::fs::read_to_string(README).expect("assets/demo/README.md");
    let cast = demo_cast();
    for who in [cast.avd, cast.no_js] {
        let email = &cast.people[who].email;
        assert!(
            readme.contains(email.as_str()),
            "README should name {email}"
        );
    }
    let rows = demo_campaign();
    for (i, row) in rows.iter().enumerate() {
        let (kind, value) = match row.malformed {
            None => continue,
            Some(Malformed::Ip) => ("address", &row.ip),
            Some(Malformed::Time) => ("time", &row.time),
            Some(Malformed::Screen) => ("screen", &row.screen),
        };
        // Line numbers count the header as line 1.
        let line = format!("- line {}: the {kind} `{value}`", i + 2);
        assert!(readme.contains(&line), "README should say {line:?}");
    }
}

#[test]
fn mail_is_delivered_once_to_each_recipient_in_three_morning_waves() {
    let rows = demo_campaign();
    let sent: Vec<&DemoRow> = rows.iter().filter(|r| r.event == "sent").collect();
    assert_eq!(sent.len(), RECIPIENTS);
    let distinct: BTreeSet<&str> = sent.iter().map(|r| r.recipient.as_str()).collect();
    assert_eq!(distinct.len(), RECIPIENTS);
    let delivered = deliveries(&rows);
    for r in rows.iter().filter(|r| r.event != "sent") {
        assert!(
            delivered[r.recipient.as_str()] <= r.at,
            "access before delivery: {r:?}"
        );
    }
    for (w, &(start, count)) in WAVES.iter().enumerate() {
        let in_wave = sent
            .iter()
            .filter(|r| (start..start + 30 * 60).contains(&r.at))
            .count();
        assert_eq!(in_wave, count, "wave {}", w + 1);
    }
    let mut per_department: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &sent {
        *per_department.entry(r.department).or_default() += 1;
    }
    for &(d, n) in DEPARTMENTS {
        assert_eq!(per_department[d], n, "{d}");
    }
}

#[test]
fn every_address_belongs_to_the_owner_its_story_says() {
    let rows = demo_campaign();
    for r in readable(&rows).filter(|r| r.event != "sent") {
        let net = net_of(r);
        let ok = match r.source {
            Source::SafeLinks | Source::SafeLinksAtClick => {
                matches!(net, Block::MicrosoftEop40 | Block::MicrosoftEop104)
            }
            Source::Proofpoint => matches!(
                net,
                Block::Proofpoint26211 | Block::Proofpoint22843 | Block::Proofpoint13916
            ),
            Source::Mimecast => net == Block::Mimecast,
            Source::CloudCrawler => net == Block::GoogleCloud,
            Source::Office => net == Block::OfficeIij,
            Source::Phone(Carrier::Docomo) => matches!(net, Block::Docomo1 | Block::Docomo49),
            Source::Phone(Carrier::Kddi) => net == Block::Kddi,
            Source::Phone(Carrier::SoftBank) => net == Block::SoftBank,
            Source::Phone(Carrier::Rakuten) => net == Block::Rakuten,
            Source::HomePc | Source::NoJavaScript => HOME_LINES.contains(&net),
            Source::AzureVirtualDesktop => net == Block::AzureJapan,
            Source::Delivery => false,
        };
        assert!(ok, "{:?} from {net:?}: {r:?}", r.source);
    }
    // Every row of the owner table is used by the story.
    let used: BTreeSet<Block> = readable(&rows)
        .filter(|r| r.event != "sent")
        .map(net_of)
        .collect();
    for r in RANGES {
        assert!(used.contains(&r.net), "{:?} is never used", r.net);
    }
}

#[test]
fn safe_links_fetches_most_mail_within_seconds_in_three_ways() {
    let rows = demo_campaign();
    let delivered = deliveries(&rows);
    let safe: Vec<&DemoRow> = readable(&rows)
        .filter(|r| r.source == Source::SafeLinks)
        .collect();
    let reached: BTreeSet<&str> = safe.iter().map(|r| r.recipient.as_str()).collect();
    assert!(
        reached.len() * 100 >= RECIPIENTS * 75,
        "Safe Links reached only {} recipients",
        reached.len()
    );
    assert!(safe.iter().all(|r| since_delivery(r, &delivered) <= 30));
    // HEAD with Go's client, an empty UA, and a JavaScript-running browser.
    assert!(
        safe.iter()
            .any(|r| r.method == "HEAD" && r.user_agent == "Go-http-client/1.1")
    );
    assert!(
        safe.iter()
            .any(|r| r.method == "GET" && r.user_agent.is_empty())
    );
    let js: Vec<&&DemoRow> = safe.iter().filter(|r| !r.screen.is_empty()).collect();
    assert!(js.len() >= 20);
    assert!(js.iter().all(|r| r.user_agent.contains("Windows NT 10.0")));
    // Old Chrome builds, years behind the campaign.
    for r in safe.iter().filter(|r| r.user_agent.contains("Chrome/")) {
        let major = chrome_major(&r.user_agent).expect("Chrome version");
        assert!(major <= 120, "{}", r.user_agent);
    }
    // It even submits the form.
    let submits: Vec<&&DemoRow> = safe.iter().filter(|r| r.event == "submit").collect();
    assert_eq!(submits.len(), 1);
    assert!(safe.iter().any(|r| r.event == "click"
        && r.recipient == submits[0].recipient
        && r.ip == submits[0].ip
        && r.at < submits[0].at));
}

#[test]
fn safe_links_also_checks_at_the_moment_people_click() {
    let rows = demo_campaign();
    let at_click: Vec<&DemoRow> = readable(&rows)
        .filter(|r| r.source == Source::SafeLinksAtClick)
        .collect();
    assert!(at_click.len() >= 5);
    for s in at_click {
        assert!(
            readable(&rows).any(|h| h.truth == Truth::Human
                && h.event == "click"
                && h.recipient == s.recipient
                && (h.at - s.at).abs() <= 5),
            "no human click next to {s:?}"
        );
    }
}

#[test]
fn gateways_fetch_only_their_departments_mail() {
    let rows = demo_campaign();
    let delivered = deliveries(&rows);
    for (source, department) in [
        (Source::Proofpoint, PROOFPOINT_DEPARTMENT),
        (Source::Mimecast, MIMECAST_DEPARTMENT),
    ] {
        let fetches: Vec<&DemoRow> = readable(&rows).filter(|r| r.source == source).collect();
        assert!(fetches.len() >= 10, "{source:?}");
        assert!(fetches.iter().all(|r| r.department == department));
        assert!(fetches.iter().all(|r| r.screen.is_empty()));
        let quick = fetches
            .iter()
            .filter(|r| since_delivery(r, &delivered) <= 60)
            .count();
        assert!(quick * 100 >= fetches.len() * 80, "{source:?}");
    }
    // Proofpoint's sandbox comes back much later from another of its networks.
    let late: Vec<&DemoRow> = readable(&rows)
        .filter(|r| r.source == Source::Proofpoint && since_delivery(r, &delivered) > 30 * 60)
        .collect();
    assert!(!late.is_empty());
    assert!(late.iter().all(|r| net_of(r) == Block::Proofpoint22843));
}

#[test]
fn headless_crawler_sweeps_many_recipients_in_seconds_hours_later() {
    let rows = demo_campaign();
    let delivered = deliveries(&rows);
    let sweep: Vec<&DemoRow> = readable(&rows)
        .filter(|r| r.source == Source::CloudCrawler)
        .collect();
    let recipients: BTreeSet<&str> = sweep.iter().map(|r| r.recipient.as_str()).collect();
    assert!(recipients.len() >= 40);
    let span = sweep.last().expect("sweep").at - sweep[0].at;
    assert!(span <= 60, "sweep takes {span} s");
    assert!(
        sweep
            .iter()
            .all(|r| since_delivery(r, &delivered) >= 3 * 3600)
    );
    assert!(
        sweep
            .iter()
            .all(|r| r.user_agent.contains("HeadlessChrome/")
                && r.screen == "800x600"
                && r.method == "GET")
    );
    let addresses: BTreeSet<&str> = sweep.iter().map(|r| r.ip.as_str()).collect();
    assert!(addresses.len() <= 2);
}

#[test]
fn office_proxy_is_one_address_for_many_people_over_hours() {
    let rows = demo_campaign();
    let delivered = deliveries(&rows);
    let office: Vec<&DemoRow> = readable(&rows)
        .filter(|r| r.source == Source::Office)
        .collect();
    let addresses: BTreeSet<&str> = office.iter().map(|r| r.ip.as_str()).collect();
    assert_eq!(addresses.len(), 1);
    let clicks: Vec<&&DemoRow> = office.iter().filter(|r| r.event == "click").collect();
    let people: BTreeSet<&str> = clicks.iter().map(|r| r.recipient.as_str()).collect();
    assert!(people.len() >= 20);
    let span = clicks.last().expect("clicks").at - clicks[0].at;
    assert!(span >= 4 * 3600, "office clicks span only {span} s");
    let uas: BTreeSet<&str> = clicks.iter().map(|r| r.user_agent.as_str()).collect();
    let screens: BTreeSet<&str> = clicks.iter().map(|r| r.screen.as_str()).collect();
    assert!(uas.len() >= 4 && screens.len() >= 4);
    for s in ["1920x1080", "1536x864", "1366x768"] {
        assert!(screens.contains(s), "{s}");
    }
    assert!(clicks.iter().all(|r| !is_phone_ua(&r.user_agent)));
    // Mostly minutes to hours after delivery; one quick reader inside two minutes.
    let quick = clicks
        .iter()
        .filter(|r| since_delivery(r, &delivered) < 120)
        .count();
    assert_eq!(quick, 1);
    assert!(clicks.iter().all(|r| since_delivery(r, &delivered) >= 60));
    // Outlook loads the tracking image when people open the mail.
    assert!(office.iter().any(|r| r.event == "open"
        && r.user_agent.starts_with("Microsoft Office/16.0")
        && r.screen.is_empty()));
}

#[test]
fn phones_click_in_the_evening_on_all_four_carriers() {
    let rows = demo_campaign();
    let phones: Vec<&DemoRow> = readable(&rows)
        .filter(|r| matches!(r.source, Source::Phone(_)))
        .collect();
    let carriers: BTreeSet<String> = phones.iter().map(|r| format!("{:?}", r.source)).collect();
    assert_eq!(carriers.len(), 4, "{carriers:?}");
    for r in &phones {
        assert!(is_phone_ua(&r.user_agent), "{r:?}");
        let (w, h) = r.screen.split_once('x').expect("phones run JavaScript");
        let (w, h): (u32, u32) = (w.parse().unwrap(), h.parse().unwrap());
        assert!(w < 500 && h > w, "{r:?}");
        let evening = (hms(0, 19, 0, 0)..=hms(0, 23, 59, 59)).contains(&r.at);
        let commute = (hms(1, 7, 0, 0)..=hms(1, 9, 0, 0)).contains(&r.at);
        assert!(evening || commute, "{r:?}");
    }
    let screens: BTreeSet<&str> = phones.iter().map(|r| r.screen.as_str()).collect();
    assert!(screens.len() >= 4);
    assert!(phones.iter().any(|r| r.user_agent.contains("iPhone")));
    assert!(phones.iter().any(|r| r.user_agent.contains("Android")));
}

#[test]
fn one_person_works_in_azure_virtual_desktop() {
    let rows = demo_campaign();
    let delivered = deliveries(&rows);
    let from_microsoft_humans: Vec<&DemoRow> = readable(&rows)
        .filter(|r| r.truth == Truth::Human && MICROSOFT.contains(&net_of(r)))
        .collect();
    assert_eq!(from_microsoft_humans.len(), 1);
    let avd = from_microsoft_humans[0];
    assert_eq!(avd.source, Source::AzureVirtualDesktop);
    assert_eq!(avd.recipient, demo_cast().people[demo_cast().avd].email);
    assert_eq!(net_of(avd), Block::AzureJapan);
    assert_eq!(
        range(Block::AzureJapan).asn,
        range(Block::MicrosoftEop40).asn
    );
    assert!(avd.user_agent.contains("Edg/156"));
    assert_eq!(avd.screen, "1920x1080");
    let after = since_delivery(avd, &delivered);
    assert!((45 * 60..=90 * 60).contains(&after), "{after} s");
}

#[test]
fn one_person_reads_without_javascript_next_morning_from_home() {
    let rows = demo_campaign();
    let no_js: Vec<&DemoRow> = readable(&rows)
        .filter(|r| r.source == Source::NoJavaScript)
        .collect();
    assert_eq!(no_js.len(), 1);
    let r = no_js[0];
    assert_eq!(r.recipient, demo_cast().people[demo_cast().no_js].email);
    assert!(r.screen.is_empty());
    assert!(r.user_agent.contains("Firefox/157"));
    assert!(HOME_LINES.contains(&net_of(r)));
    assert!((hms(1, 6, 0, 0)..hms(1, 12, 0, 0)).contains(&r.at));
    // The only human click without a screen size.
    let blind = readable(&rows)
        .filter(|r| human("click")(r) && r.screen.is_empty())
        .count();
    assert_eq!(blind, 1);
}

#[test]
fn submits_and_repeat_clicks_follow_real_clicks() {
    let rows = demo_campaign();
    let submits: Vec<&DemoRow> = readable(&rows).filter(|r| human("submit")(r)).collect();
    assert_eq!(submits.len(), 3);
    for s in &submits {
        assert!(
            readable(&rows).any(|c| human("click")(c)
                && c.recipient == s.recipient
                && c.ip == s.ip
                && c.user_agent == s.user_agent
                && c.screen == s.screen
                && (1..=300).contains(&(s.at - c.at))),
            "{s:?} follows no click"
        );
    }
    let mut clicks: BTreeMap<&str, Vec<&DemoRow>> = BTreeMap::new();
    for r in readable(&rows).filter(|r| human("click")(r)) {
        clicks.entry(&r.recipient).or_default().push(r);
    }
    let repeaters: Vec<&Vec<&DemoRow>> = clicks.values().filter(|v| v.len() > 1).collect();
    assert_eq!(repeaters.len(), 4);
    // One of them comes back on another device.
    assert!(repeaters.iter().any(|v| {
        let uas: BTreeSet<&str> = v.iter().map(|r| r.user_agent.as_str()).collect();
        uas.len() > 1
    }));
}

#[test]
fn the_truth_is_consistent_with_the_evidence() {
    let rows = demo_campaign();
    let delivered = deliveries(&rows);
    let scanner_owned = |net: Block| {
        matches!(
            net,
            Block::MicrosoftEop40
                | Block::MicrosoftEop104
                | Block::Proofpoint26211
                | Block::Proofpoint22843
                | Block::Proofpoint13916
                | Block::Mimecast
                | Block::GoogleCloud
        )
    };
    for r in readable(&rows) {
        match r.truth {
            Truth::Scanner => assert!(scanner_owned(net_of(r)), "{r:?}"),
            Truth::Human => {
                assert!(!scanner_owned(net_of(r)), "{r:?}");
                if r.event != "open" {
                    assert!(since_delivery(r, &delivered) >= 60, "{r:?}");
                    assert!(!r.user_agent.is_empty() && !r.user_agent.contains("Headless"));
                }
            }
            Truth::Delivery => assert_eq!(r.event, "sent"),
        }
    }
    // Scanners inflate the naive click count well beyond the real one.
    let truth: HashMap<&str, usize> = ground_truth(&rows).into_iter().collect();
    assert!(
        truth["recipients with a click or submit row (naive count)"]
            >= 4 * truth["recipients who really clicked"]
    );
}
