//! The bundled demo campaign (`assets/demo/`): the committed files are exactly
//! what the generator in `tests/support/demo_campaign.rs` writes, the story has
//! every trap it promises, the README's ground-truth table is true, and (an
//! extra test run by `.ci/run`) the owner table agrees with a real ASN database.
//!
//! Refresh the committed files after changing the generator with
//! `WHOCLICKED_REGENERATE_DEMO=1 cargo test --test demo_assets`.

#[path = "support/demo_campaign.rs"]
mod demo_campaign;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr};

use demo_campaign::{
    Block, Carrier, DEPARTMENTS, DOMAIN, DemoRow, EPOCH_UNIX, HEADER, MIMECAST_DEPARTMENT,
    Malformed, PROOFPOINT_DEPARTMENT, RANGES, RECIPIENTS, Source, Truth, WAVES, demo_campaign,
    demo_cast, format_time, hms, range, range_of, ranges_tsv, to_csv,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo");
const CAMPAIGN_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/campaign.csv");
const RANGES_TSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/ranges.tsv");
const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/README.md");
const REAL_DB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/asn-real.mmdb");
const REGENERATE: &str = "WHOCLICKED_REGENERATE_DEMO";

// ---------------------------------------------------------------------------
// The committed files are the generator's output
// ---------------------------------------------------------------------------

fn first_difference(committed: &str, generated: &str) -> String {
    let (mut a, mut b) = (committed.lines(), generated.lines());
    let mut line = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => line += 1,
            (None, None) => return "line endings or a final newline differ".to_string(),
            (x, y) => {
                return format!(
                    "first difference at line {line}:\n  committed: {}\n  generated: {}",
                    x.unwrap_or("<end of file>"),
                    y.unwrap_or("<end of file>")
                );
            }
        }
    }
}

fn check_or_regenerate(path: &str, generated: &str) {
    if std::env::var_os(REGENERATE).is_some_and(|v| v == "1") {
        std::fs::create_dir_all(DIR).expect("create assets/demo");
        let tmp = format!("{path}.tmp");
        std::fs::write(&tmp, generated).expect("write the regenerated file");
        std::fs::rename(&tmp, path).expect("move the regenerated file in place");
        eprintln!("rewrote {path}");
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != generated {
        panic!(
            "{path} is not what tests/support/demo_campaign.rs generates ({}).\n\
             If the generator change is intended, refresh the committed file with\n\
             \n    {REGENERATE}=1 cargo test --test demo_assets\n\n\
             and update the ground-truth table in assets/demo/README.md.",
            first_difference(&committed, generated)
        );
    }
}

#[test]
fn committed_campaign_is_the_generated_one() {
    check_or_regenerate(CAMPAIGN_CSV, &to_csv(&demo_campaign()));
}

#[test]
fn committed_ranges_are_the_generated_ones() {
    check_or_regenerate(RANGES_TSV, &ranges_tsv());
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(demo_campaign(), demo_campaign());
}

#[test]
fn campaign_file_is_small_utf8_csv_with_the_native_header() {
    let text = to_csv(&demo_campaign());
    assert!(
        text.len() < 200 * 1024,
        "campaign.csv is {} bytes",
        text.len()
    );
    assert!(text.starts_with(&format!("{HEADER}\n")));
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    assert!(!text.contains('\r'));
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header.join(","), HEADER);
    let rows = demo_campaign();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), rows.len());
    for (record, row) in records.iter().zip(&rows) {
        assert_eq!(record.len(), 8, "row {record:?}");
        assert_eq!(record.iter().collect::<Vec<_>>(), row.fields().to_vec());
    }
}

// ---------------------------------------------------------------------------
// Helpers over the rows
// ---------------------------------------------------------------------------

fn readable(rows: &[DemoRow]) -> impl Iterator<Item = &DemoRow> {
    rows.iter().filter(|r| r.malformed.is_none())
}

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
fn every_row_is_well_formed_except_three() {
    let rows = demo_campaign();
    let mut seen = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        let time_ok = row.time.parse::<jiff::Timestamp>().is_ok() && row.time.ends_with("+09:00");
        let ip_ok = if row.event == "sent" {
            row.ip.is_empty()
        } else {
            row.ip.parse::<Ipv4Addr>().is_ok()
        };
        let screen_ok = row.screen.is_empty() || {
            let (w, h) = row.screen.split_once('x').unwrap_or(("", ""));
            w.parse::<u16>().is_ok_and(|w| w > 0) && h.parse::<u16>().is_ok_and(|h| h > 0)
        };
        match row.malformed {
            None => {
                assert!(time_ok && ip_ok && screen_ok, "row {}: {row:?}", i + 1);
                assert_eq!(row.time, format_time(row.at));
            }
            Some(Malformed::Ip) => {
                assert!(time_ok && !ip_ok && screen_ok, "{row:?}");
                assert!(row.ip.parse::<IpAddr>().is_err());
            }
            Some(Malformed::Time) => {
                assert!(!time_ok && ip_ok && screen_ok, "{row:?}");
                assert!(row.time.parse::<jiff::civil::DateTime>().is_err());
            }
            Some(Malformed::Screen) => assert!(time_ok && ip_ok && !screen_ok, "{row:?}"),
        }
        if let Some(kind) = row.malformed {
            assert!(seen.insert(format!("{kind:?}")), "two {kind:?} rows");
            // Mid-file: well inside, not at either end.
            let at = i * 100 / rows.len();
            assert!((20..=80).contains(&at), "{kind:?} row at {at}% of the file");
            assert!(row.truth != Truth::Delivery);
        }
        assert!(
            matches!(row.event, "sent" | "click" | "open" | "submit"),
            "{row:?}"
        );
        let method_ok = match row.event {
            "sent" => row.method.is_empty() && row.user_agent.is_empty() && row.screen.is_empty(),
            "submit" => row.method == "POST",
            _ => matches!(row.method, "GET" | "HEAD"),
        };
        assert!(method_ok, "{row:?}");
        assert!(row.recipient.ends_with(&format!("@{DOMAIN}")));
        assert!(DEPARTMENTS.iter().any(|(d, _)| *d == row.department));
        assert_eq!(row.truth, row.source.truth());
    }
    assert_eq!(seen.len(), 3);
    // The three broken rows repeat accesses the story already has: dropping them
    // changes no recipient's truth.
    for bad in rows.iter().filter(|r| r.malformed.is_some()) {
        assert!(
            readable(&rows).any(|r| r.recipient == bad.recipient
                && r.source == bad.source
                && r.event == bad.event
                && r.user_agent == bad.user_agent),
            "{bad:?} repeats no readable access"
        );
    }
}

#[test]
fn rows_are_in_time_order_and_dates_match_the_story() {
    let rows = demo_campaign();
    assert!(rows.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(rows.first().is_some_and(|r| r.event == "sent"));
    assert!(
        rows.iter()
            .all(|r| (hms(0, 9, 0, 0)..hms(2, 0, 0, 0)).contains(&r.at))
    );
    // EPOCH_UNIX really is midnight of 2026-11-10 in Japan.
    let ts: jiff::Timestamp = "2026-11-10T00:00:00+09:00".parse().expect("valid");
    assert_eq!(ts.as_second(), EPOCH_UNIX);
    for r in readable(&rows) {
        let t: jiff::Timestamp = r.time.parse().expect("valid time");
        assert_eq!(t.as_second(), EPOCH_UNIX + r.at, "{r:?}");
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

// ---------------------------------------------------------------------------
// The owner table
// ---------------------------------------------------------------------------

struct TsvRow {
    first: Ipv4Addr,
    last: Ipv4Addr,
    asn: u32,
    country: String,
    org: String,
}

fn committed_ranges() -> Vec<TsvRow> {
    let text = std::fs::read_to_string(RANGES_TSV).expect("assets/demo/ranges.tsv");
    text.lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 5, "{line:?}");
            TsvRow {
                first: f[0].parse().unwrap_or_else(|_| panic!("{line:?}")),
                last: f[1].parse().unwrap_or_else(|_| panic!("{line:?}")),
                asn: f[2].parse().unwrap_or_else(|_| panic!("{line:?}")),
                country: f[3].to_string(),
                org: f[4].to_string(),
            }
        })
        .collect()
}

#[test]
fn ranges_tsv_is_iptoasn_format_sorted_and_disjoint() {
    let rows = committed_ranges();
    assert_eq!(rows.len(), RANGES.len());
    for r in &rows {
        assert!(r.first <= r.last);
        assert!(r.asn > 0);
        assert!(r.country.len() == 2 && r.country.bytes().all(|b| b.is_ascii_uppercase()));
        assert!(!r.org.is_empty() && !r.org.contains('\t'));
    }
    for w in rows.windows(2) {
        assert!(
            w[0].last < w[1].first,
            "{} overlaps {}",
            w[0].last,
            w[1].first
        );
    }
    let countries: BTreeMap<u32, &str> = rows.iter().map(|r| (r.asn, r.country.as_str())).collect();
    for asn in [8075, 26_211, 22_843, 13_916, 30_031, 396_982] {
        assert_eq!(countries[&asn], "US", "AS{asn}");
    }
    for asn in [9605, 2516, 17_676, 138_384, 2497, 4713, 2527, 2518, 17_511] {
        assert_eq!(countries[&asn], "JP", "AS{asn}");
    }
}

#[test]
fn readme_lists_every_range_as_the_table_has_it() {
    let readme = std::fs::read_to_string(README).expect("assets/demo/README.md");
    for r in RANGES {
        let line = format!(
            "| {} – {} | {} | {} | {} |",
            r.first, r.last, r.asn, r.org, r.db_prefix
        );
        assert!(readme.contains(&line), "README should list {line:?}");
    }
}

fn chrome_major(ua: &str) -> Option<u32> {
    let rest = &ua[ua.find("Chrome/")? + "Chrome/".len()..];
    rest.split('.').next()?.parse().ok()
}

/// Extra test (`.ci/run` runs it): every row of `ranges.tsv`, and every address
/// of the campaign, against the real, full-size ASN database in `../shared/`.
#[test]
#[ignore = "needs ../shared/data/asn-real.mmdb"]
fn ranges_agree_with_the_real_asn_database() {
    let reader = maxminddb::Reader::open_readfile(REAL_DB)
        .unwrap_or_else(|e| panic!("cannot open {REAL_DB}: {e}"));
    let lookup = |addr: Ipv4Addr| {
        let res = reader
            .lookup(IpAddr::V4(addr))
            .unwrap_or_else(|e| panic!("lookup {addr}: {e}"));
        let asn = res
            .decode::<maxminddb::geoip2::Asn>()
            .unwrap_or_else(|e| panic!("decode {addr}: {e}"))
            .unwrap_or_else(|| panic!("{addr} is not in {REAL_DB}"));
        let network = res
            .network()
            .unwrap_or_else(|e| panic!("network {addr}: {e}"));
        (
            asn.autonomous_system_number,
            asn.autonomous_system_organization.map(str::to_string),
            network,
        )
    };
    for row in committed_ranges() {
        let mid =
            Ipv4Addr::from(u32::from(row.first) + (u32::from(row.last) - u32::from(row.first)) / 2);
        for addr in [row.first, mid, row.last] {
            let (asn, org, network) = lookup(addr);
            assert_eq!(asn, Some(row.asn), "AS of {addr}");
            assert_eq!(
                org.as_deref(),
                Some(row.org.as_str()),
                "organisation of {addr}"
            );
            assert!(
                network.contains(IpAddr::V4(row.first)) && network.contains(IpAddr::V4(row.last)),
                "{}-{} is not inside the database's {network}",
                row.first,
                row.last
            );
            let declared = RANGES
                .iter()
                .find(|r| r.first == row.first)
                .expect("row in RANGES");
            assert_eq!(network.to_string(), declared.db_prefix, "prefix of {addr}");
        }
    }
    for r in readable(&demo_campaign()).filter(|r| r.event != "sent") {
        let addr = r.addr().expect("readable address");
        let (asn, org, _) = lookup(addr);
        let row = range_of(addr).expect("in ranges.tsv");
        assert_eq!(asn, Some(row.asn), "{addr}");
        assert_eq!(org.as_deref(), Some(row.org), "{addr}");
    }
}
