//! `whoclicked report` through the real binary: the three formats on a small
//! Japanese-headed fixture, the Excel shape, knowledge-base verdicts with
//! their precedence, the demo, stdin, and errors that name file and line.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/report/clicks.csv"
);

const RANGES: &str = "\
40.94.0.0\t40.94.255.255\t8075\tUS\tMicrosoft Corporation
133.106.32.0\t133.106.63.255\t138384\tJP\tRakuten Mobile, Inc.
210.130.0.0\t210.130.127.255\t2497\tJP\tInternet Initiative Japan Inc.
";

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    /// A temp dir holding an owner database built by `mmdb build` and an empty knowledge base.
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let ranges = dir.path().join("ranges.tsv");
        std::fs::write(&ranges, RANGES).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
            .args(["mmdb", "build", "--build-date", "2026-09-01", "--from"])
            .arg(&ranges)
            .arg("--out")
            .arg(dir.path().join("owners.mmdb"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Setup { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_whoclicked"));
        cmd.args(args)
            .arg("--mmdb")
            .arg(self.path("owners.mmdb"))
            .arg("--kb")
            .arg(self.path("kb"))
            .args(["--analyst", "sato"])
            .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
            .env_remove("WHOCLICKED_MMDB")
            .env_remove("WHOCLICKED_KB")
            .env_remove("WHOCLICKED_SIGNATURES")
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("LC_ALL", "C");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// CSV rows as maps from column name to value.
fn rows(csv_text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn csv_report_has_every_fact() {
    let s = Setup::new();
    let out = s.run(&[
        "report", FIXTURE, "--tz", "+09:00", "--format", "csv", "--no-kb",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "row,time,recipient,event,method,ip,network,asn,as_org,isp,country,city,user_agent,browser,browser_version,os,os_version,category,screen,seconds_after_sent,suggestion,confidence,reasons,verdict,verdict_source,organization,connection_type,user_type,owner_flags,部署"
    );
    let rows = rows(&text);
    assert_eq!(rows.len(), 5, "the row with a bad IP is skipped");
    let r = &rows[0];
    assert_eq!(r["row"], "1");
    assert_eq!(r["time"], "2026-10-01T09:00:03+09:00");
    assert_eq!(r["recipient"], "alice@example.co.jp");
    assert_eq!(r["network"], "40.94.0.0/16");
    assert_eq!(r["asn"], "8075");
    assert_eq!(r["as_org"], "Microsoft Corporation");
    assert_eq!(r["country"], "US");
    assert_eq!(r["browser"], "Go-http-client");
    assert_eq!(r["seconds_after_sent"], "3");
    assert_eq!(r["部署"], "経理部");
    assert_eq!(r["suggestion"], "scanner");
    // A library's User-Agent seconds after delivery: as sure as the
    // suggestions say anything, and never written as certain.
    assert_eq!(r["confidence"], "0.99");
    assert!(!r["reasons"].is_empty());
    let phone = &rows[3];
    assert_eq!(
        phone["recipient"], "'=bob@example.co.jp",
        "GoPhish's quote is stripped, ours guards the formula"
    );
    assert_eq!(phone["os"], "iPhone");
    assert_eq!(phone["category"], "smartphone");
    assert_eq!(phone["screen"], "390x844");
    assert_eq!(phone["asn"], "138384");
    let sure: f32 = phone["confidence"].parse().unwrap();
    assert!((0.5..1.0).contains(&sure), "{sure}");
    let internal = &rows[4];
    assert_eq!(internal["as_org"], "internal (private)");
    assert_eq!(internal["row"], "6");
    let err = stderr(&out);
    assert!(
        err.contains("clicks.csv:6: IPアドレス: \"10.0.300.1\" is not an IP address"),
        "{err}"
    );
}

#[test]
fn json_report_types_values_and_lists_issues() {
    let s = Setup::new();
    let json_path = s.path("out.json");
    let out = s.run(&[
        "report",
        FIXTURE,
        "--tz",
        "+09:00",
        "--no-kb",
        "-o",
        json_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(v["accesses"].as_array().unwrap().len(), 5);
    assert_eq!(v["accesses"][2]["seconds_after_sent"], 4360);
    assert_eq!(v["accesses"][2]["asn"], 2497);
    assert_eq!(v["accesses"][0]["screen"], serde_json::Value::Null);
    // The confidence is a number, not text.
    assert_eq!(v["accesses"][0]["confidence"], 0.99);
    assert_eq!(v["summary"]["recipients_delivered"], 3);
    assert_eq!(v["summary"]["skipped_rows"], 1);
    assert_eq!(v["issues"][0]["line"], 6);
    assert_eq!(v["issues"][0]["field"], "IPアドレス");
    assert!(stderr(&out).contains("wrote 5 accesses"));
}

#[test]
fn excel_csv_is_shaped_for_excel() {
    let s = Setup::new();
    let path = s.path("for-excel.csv");
    let out = s.run(&[
        "report",
        FIXTURE,
        "--no-kb",
        "--excel",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with("\u{feff}row,".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.matches("\r\n").count(), 6);
    assert_eq!(text.matches('\n').count(), 6);
    assert!(text.contains("経理部"));
    let bad = s.run(&["report", FIXTURE, "--no-kb", "--excel", "--format", "json"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--excel"));
}

#[test]
fn knowledge_base_verdicts_fill_the_report_with_precedence() {
    let s = Setup::new();
    for args in [
        ["kb", "add", "asn", "8075", "scanner"].as_slice(),
        [
            "kb",
            "add",
            "ip",
            "210.130.87.195",
            "human",
            "--note",
            "head office proxy",
        ]
        .as_slice(),
        ["kb", "add", "net", "40.94.0.0/24", "human"].as_slice(),
    ] {
        let out = s.run(args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = s.run(&["report", FIXTURE, "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = rows(&stdout(&out));
    // 40.94.0.10 is in AS8075 (scanner) but the /24 rule is more specific.
    assert_eq!(rows[0]["verdict"], "human");
    assert!(
        rows[0]["verdict_source"].starts_with("rule net:40.94.0.0/24 ("),
        "{}",
        rows[0]["verdict_source"]
    );
    assert!(rows[0]["verdict_source"].ends_with(", sato)"));
    assert_eq!(rows[2]["verdict"], "human");
    assert!(rows[2]["verdict_source"].starts_with("rule ip:210.130.87.195"));
    assert_eq!(rows[3]["verdict"], "", "no rule for the phone");
    // The summary counts verdicts first, suggestions only where there is none.
    let json = s.run(&["report", FIXTURE, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let judged = &v["summary"]["judgement"];
    assert_eq!(
        judged["unlabelled"], 2,
        "only the phone and the internal address have no verdict"
    );
    assert_eq!(
        judged["human"].as_u64().unwrap()
            + judged["scanner"].as_u64().unwrap()
            + judged["unsure"].as_u64().unwrap(),
        5
    );
    assert!(
        judged["human"].as_u64().unwrap() >= 3,
        "three accesses are human by rule: {judged}"
    );
    // Reviewed and suggested apart; the rate is an estimate while a click has no verdict.
    let n = |k: &str| {
        judged[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k}: {judged}"))
    };
    assert_eq!(n("reviewed_human") + n("reviewed_scanner"), 3, "{judged}");
    assert_eq!(
        n("suggested_human") + n("suggested_scanner") + n("suggested_unsure"),
        2,
        "{judged}"
    );
    assert!(n("clicks_unreviewed") > 0, "{judged}");
    assert_eq!(judged["human_click_rate_is_estimate"], true, "{judged}");
    let table = s.run(&["report", FIXTURE]);
    assert!(
        stdout(&table).contains("judged      reviewed human 3, scanner 0; suggested "),
        "{}",
        stdout(&table)
    );
    // The owner cache now knows the networks of the three public addresses
    // the database told about; it is counted only when asked for.
    let stats = s.run(&["kb", "stats", "--json", "--owners"]);
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["in_force"]["owner"], 3);
    assert_eq!(stats["owner_cache"]["networks"], 3);
    assert_eq!(stats["in_force"]["ip"], 1);
    let stats = s.run(&["kb", "stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert!(stats["in_force"].get("owner").is_none(), "{stats}");
}

#[test]
fn owner_cache_answers_without_the_database() {
    let s = Setup::new();
    let out = s.run(&["report", FIXTURE, "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Same knowledge base, no database at all.
    let again = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(["report", FIXTURE, "--format", "csv", "--kb"])
        .arg(s.path("kb"))
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("no owner database found"));
    let rows = rows(&stdout(&again));
    assert_eq!(rows[0]["as_org"], "Microsoft Corporation");
    assert_eq!(rows[3]["as_org"], "Rakuten Mobile, Inc.");
}

#[test]
fn the_summary_gives_the_rate_with_its_range_and_the_queue_orders_the_unsure() {
    let s = Setup::new();
    let out = s.run(&["report", "--demo", "--no-kb", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let judged = &v["summary"]["judgement"];
    let n = |k: &str| {
        judged[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k}: {judged}"))
    };
    let f = |k: &str| {
        judged[k]
            .as_f64()
            .unwrap_or_else(|| panic!("{k}: {judged}"))
    };
    let delivered = v["summary"]["recipients_delivered"].as_f64().unwrap();
    assert_eq!(judged["human_click_rate_basis"], "suggested", "{judged}");
    assert_eq!(n("recipients_clicked_reviewed"), 0, "{judged}");
    let unsure = n("recipients_unsure");
    assert!(unsure > 0, "the demo leaves someone unsure: {judged}");
    let high = f("human_click_rate_high");
    let low = f("human_click_rate");
    assert!(
        (high - low - unsure as f64 / delivered).abs() < 1e-9,
        "{judged}"
    );
    let headline = judged["headline"].as_str().unwrap();
    assert!(
        headline.starts_with(&format!(
            "human click rate {:.1}% ({:.1} – {:.1}% while ",
            low * 100.0,
            low * 100.0,
            high * 100.0
        )) && headline.ends_with(&format!(
            "unsure; suggested, 0 of {} reviewed)",
            v["summary"]["recipients_clicked"]
        )),
        "{headline}"
    );
    let table = stdout(&s.run(&["report", "--demo", "--no-kb"]));
    assert!(
        table.contains(&format!("while {unsure} recipient")),
        "the text summary says the range too:\n{table}"
    );

    // The queue: every unsure recipient once, most impact first.
    let out = s.run(&["report", "--demo", "--no-kb", "--queue", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let q: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let queue = q["queue"].as_array().unwrap();
    assert_eq!(queue.len() as u64, unsure);
    let impacts: Vec<u64> = queue
        .iter()
        .map(|r| r["impact"].as_u64().unwrap())
        .collect();
    assert!(impacts.windows(2).all(|w| w[0] >= w[1]), "{impacts:?}");
    assert!(impacts.iter().all(|&i| i >= 1));
    assert_eq!(queue[0]["rank"], 1);
    assert!(!queue[0]["reasons"].as_str().unwrap().is_empty());
    assert_eq!(q["summary"]["judgement"]["headline"], judged["headline"]);
    let csv = stdout(&s.run(&["report", "--demo", "--no-kb", "--queue", "--format", "csv"]));
    assert!(
        csv.starts_with("rank,recipient,impact,points,unsure_clicks,ips,owner,reasons\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count() as u64, unsure + 1);
    let table = stdout(&s.run(&["report", "--demo", "--no-kb", "--queue"]));
    assert!(
        table.starts_with(&format!("review queue: {unsure} unsure recipients")),
        "{table}"
    );
}

#[test]
fn demo_report_loads_the_bundled_campaign() {
    let s = Setup::new();
    let out = s.run(&["report", "--demo", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["accesses"], 484);
    assert_eq!(v["summary"]["recipients_delivered"], 240);
    assert_eq!(v["issues"].as_array().unwrap().len(), 3);
    let lines: Vec<u64> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![248, 385, 493]);
    assert_eq!(v["accesses"][0]["as_org"], "Microsoft Corporation");
    assert!(
        v["accesses"][0]["time"]
            .as_str()
            .unwrap()
            .ends_with("+09:00")
    );
}

#[test]
fn stdin_and_bad_inputs() {
    let s = Setup::new();
    let mut child = s
        .command(&["report", "-", "--format", "csv", "--no-kb"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(FIXTURE).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(rows(&stdout(&out)).len(), 5);

    let missing = s.run(&["report", "/nonexistent/clicks.csv", "--no-kb"]);
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("/nonexistent/clicks.csv"),
        "{}",
        stderr(&missing)
    );

    let junk = s.path("junk.bin");
    std::fs::write(
        &junk,
        (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let junk_out = s.run(&["report", junk.to_str().unwrap(), "--no-kb"]);
    assert!(!junk_out.status.success());
    assert!(
        stderr(&junk_out).contains("junk.bin"),
        "{}",
        stderr(&junk_out)
    );

    let nothing = s.run(&["report", "--no-kb"]);
    assert!(!nothing.status.success());
    assert!(stderr(&nothing).contains("no log file given"));
}

#[test]
fn report_piped_into_head_is_not_an_error() {
    let s = Setup::new();
    let mut child = s
        .command(&["report", "--demo", "--format", "csv", "--no-kb"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe like `head -1` would.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn lookup_answers_from_the_owner_cache_without_a_database() {
    let s = Setup::new();
    let first = s.run(&["lookup", "40.94.3.3", "9.9.9.9"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("AS8075 Microsoft Corporation"));
    let later = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(["lookup", "--json", "40.94.3.3", "9.9.9.9", "--kb"])
        .arg(s.path("kb"))
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .output()
        .unwrap();
    assert!(later.status.success(), "{}", stderr(&later));
    let lines: Vec<serde_json::Value> = stdout(&later)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["asn"], 8075);
    assert_eq!(lines[0]["network"], "40.94.0.0/16");
    assert_eq!(lines[0]["sources"][0]["file"], "knowledge-base owner cache");
    assert_eq!(lines[0]["sources"][0]["build_date"], "2026-09-01");
    assert_eq!(
        lines[1]["asn"],
        serde_json::Value::Null,
        "an unknown address stays unknown"
    );
    let no_kb = s.run(&["lookup", "--no-kb", "9.9.9.9"]);
    assert!(no_kb.status.success());
}

#[test]
fn a_cdn_in_front_of_the_landing_page_is_seen_through_with_trusted_proxy() {
    let s = Setup::new();
    let log = s.path("access.log");
    // The CDN (a documentation range here) connects; the header names the phone.
    std::fs::write(
        &log,
        "192.0.2.10 - - [10/Nov/2026:09:05:03 +0900] \"GET /l?rid=a HTTP/1.1\" 200 512 \"-\" \
         \"Mozilla/5.0 (iPhone)\" \"133.106.40.7, 192.0.2.10\"\n",
    )
    .unwrap();
    let log = log.to_str().unwrap();
    let ip_of = |args: &[&str]| {
        let out = s.run(args);
        assert!(out.status.success(), "{}", stderr(&out));
        let rows = rows(&stdout(&out));
        (rows[0]["ip"].clone(), rows[0]["as_org"].clone())
    };
    let plain = ["report", log, "--format", "csv", "--no-kb"];
    assert_eq!(
        ip_of(&plain).0,
        "192.0.2.10",
        "an untrusted hop's header is not believed"
    );
    let trusted = [&plain[..], &["--trusted-proxy", "192.0.2.0/24"]].concat();
    assert_eq!(
        ip_of(&trusted),
        (
            "133.106.40.7".to_string(),
            "Rakuten Mobile, Inc.".to_string()
        )
    );
    let out = s.run(&[&plain[..], &["--trusted-proxy", "192.0.2.10/24"]].concat());
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("has host bits set; the network is 192.0.2.0/24"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn output_goes_through_links_and_devices_and_errors_name_the_path() {
    use std::os::unix::fs::FileTypeExt;
    let s = Setup::new();
    // A link is followed: the link stays a link and its target gets the report.
    let real = s.path("real.csv");
    std::fs::write(&real, "old\n").unwrap();
    let link = s.path("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = s.run(&["report", FIXTURE, "--no-kb", "-o", link.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("row,"));

    // A device is written into, never replaced by a regular file (this
    // only reads /dev/null's type: the write goes through to the device).
    let out = s.run(&["report", "--demo", "--no-kb", "-o", "/dev/null"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    // A failed write names the path and gives the system's reason once.
    let missing = s.path("no/such/dir/out.csv");
    let out = s.run(&[
        "report",
        FIXTURE,
        "--no-kb",
        "-o",
        missing.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "cannot write the report to {}: ",
            missing.display()
        )),
        "{err}"
    );
    assert_eq!(err.matches("os error").count(), 1, "{err}");
}

#[test]
fn empty_and_awkward_inputs_are_said_plainly() {
    let s = Setup::new();
    let empty = s.path("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let header = s.path("header.csv");
    std::fs::write(&header, "time,ip,recipient\n").unwrap();
    for file in [&empty, &header] {
        let out = s.run(&["report", "--no-kb", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{}", stdout(&out));
        assert!(
            stderr(&out).contains("nothing to report: "),
            "{}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("has no data rows"),
            "{}",
            stderr(&out)
        );
    }
    // An extension it cannot write is refused before anything is read.
    let xlsx = s.path("r.xlsx");
    let out = s.run(&["report", "--demo", "--no-kb", "-o", xlsx.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot write .xlsx files"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--excel"), "{}", stderr(&out));
    assert!(!xlsx.exists());
    // Month-first dates: why they are refused and what to do.
    let us = s.path("us.csv");
    std::fs::write(&us, "time,ip,recipient\n10/01/2026 09:00:00,40.94.1.1,a@example.jp\n2026-10-01 09:00:00,40.94.1.2,b@example.jp\n").unwrap();
    let out = s.run(&["report", "--no-kb", us.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(
        err.contains("month-first (US) and day-first dates cannot be told apart"),
        "{err}"
    );
    assert!(err.contains("yyyy-mm-dd"), "{err}");
    assert!(err.contains("--date-order mdy"), "{err}");
    // A file none of whose rows can be read is not "nobody clicked".
    let us_only = s.path("us-only.csv");
    std::fs::write(&us_only, "time,ip,recipient\n10/01/2026 09:00:00,40.94.1.1,a@example.jp\n10/02/2026 09:00:00,40.94.1.1,b@example.jp\n").unwrap();
    let none = s.run(&["report", "--no-kb", us_only.to_str().unwrap()]);
    assert!(!none.status.success(), "{}", stdout(&none));
    assert!(
        stderr(&none).contains("nothing to report: none of the 2 rows of "),
        "{}",
        stderr(&none)
    );
    // One of each reads as one, not "1 rows", "(1 recipients)".
    let text = stdout(&out);
    assert!(text.contains("2 rows, 1 access, 1 skipped"), "{text}");
    assert!(!text.contains("1 recipients"), "{text}");
    assert!(text.contains("1 User-Agent\n"), "{text}");
}

#[test]
fn date_order_reads_month_first_dates() {
    let s = Setup::new();
    let us = s.path("us.csv");
    std::fs::write(
        &us,
        "time,ip,recipient\n10/01/2026 9:00:00 AM,40.94.1.1,a@example.jp\n10/02/2026 1:30 PM,40.94.1.2,b@example.jp\n",
    )
    .unwrap();
    let out = s.run(&[
        "report",
        "--no-kb",
        "--tz",
        "UTC",
        "--date-order",
        "mdy",
        "--format",
        "csv",
        us.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("month-first"), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("2026-10-01"), "{text}");
    assert!(text.contains("2026-10-02"), "{text}");
    assert!(text.contains("13:30"), "{text}");
    // dmy reads the same file as January and February.
    let out = s.run(&[
        "report",
        "--no-kb",
        "--tz",
        "UTC",
        "--date-order",
        "dmy",
        "--format",
        "csv",
        us.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2026-01-10"), "{}", stdout(&out));
}

#[test]
fn lookup_skips_the_heading_of_a_column_cut_from_a_csv() {
    let s = Setup::new();
    let mut child = s
        .command(&["lookup", "--no-kb"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"ip\n10.1.2.3\n8.8.8.8\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("10.1.2.3"), "{}", stdout(&out));
}

/// One zone rule (`--tz`, else local) for the report and `kb`, the zone named
/// wherever a time stands without an offset (issue 14, item 10).
#[test]
fn report_and_kb_tell_the_same_time_in_the_named_zone() {
    let s = Setup::new();
    let out = s.run(&["kb", "add", "asn", "8075", "scanner"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // +14:00 puts most of the day on another date than UTC.
    let history = s.run(&["kb", "history", "asn:8075", "--tz", "+14:00"]);
    assert!(history.status.success(), "{}", stderr(&history));
    let history = stdout(&history);
    assert!(history.contains("\nTIME (+14:00) "), "{history}");
    let line = history.lines().find(|l| l.starts_with("20")).unwrap();
    let when = &line[..16]; // 2026-12-03 09:03
    let out = s.run(&["report", FIXTURE, "--tz", "+14:00", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = rows(&stdout(&out));
    let scanner = rows
        .iter()
        .find(|r| r["verdict"] == "scanner")
        .expect("a row under the AS rule");
    assert_eq!(
        scanner["verdict_source"],
        format!("rule asn:8075 ({when} +14:00, sato)")
    );
    // The table's times carry no offset: the heading says which zone.
    let table = s.run(&["report", FIXTURE, "--tz", "UTC"]);
    assert!(
        stdout(&table).starts_with("time (UTC) "),
        "{}",
        stdout(&table)
    );
    let table = s.run(&["report", FIXTURE, "--tz", "+09:00"]);
    assert!(
        stdout(&table).starts_with("time (+09:00) "),
        "{}",
        stdout(&table)
    );
}
