//! The report is the same whatever the number of threads: reading, owner
//! lookups, User-Agent parsing, suggestions and CSV formatting run on
//! rayon's threads, and every part is joined back in order.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use whoclicked::input::{LoadOptions, LoadProgress, load};
use whoclicked::kb::Author;
use whoclicked::owner::OwnerDatabases;
use whoclicked::pipeline::{PipelineInputs, analyse};
use whoclicked::report::{OutputFormat, ReportOptions, write_report};
use whoclicked::signals::Signatures;
use whoclicked::testing::Rng;

use crate::support::mmdb;

/// Big enough that every parallel step splits its work in several parts:
/// 24,000 accesses from 9,000 addresses (most in the test database's
/// networks) with 2,500 distinct User-Agents.
fn log() -> String {
    let mut rng = Rng::splitmix64(41);
    let nets = ["40.88", "40.92", "148.163", "133.106", "205.139"];
    let mut out = String::new();
    for i in 0..30_000u32 {
        let a = rng.below(9_000) as u32;
        let ip = if a.is_multiple_of(9) {
            format!("2001:4860::{a:x}")
        } else {
            let net = nets[(a % 5) as usize];
            let third = if net == "133.106" {
                32 + a % 31
            } else {
                a % 250
            };
            format!("{net}.{third}.{}", a % 200 + 1)
        };
        let ua = match rng.below(4) {
            0 => format!(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.{}.0 Safari/537.36",
                100 + rng.below(40),
                rng.below(600)
            ),
            1 => format!("python-requests/2.{}.0", rng.below(33)),
            2 => format!(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_{} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.{} Mobile/15E148 Safari/604.1",
                rng.below(7),
                rng.below(5)
            ),
            _ => "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36".to_string(),
        };
        let target = match i % 5 {
            4 => "/static/site.css".to_string(),
            3 => format!("/?rid=R{:05}&screen=1920x1080", rng.below(6_000)),
            _ => format!("/?rid=R{:05}", rng.below(6_000)),
        };
        let (minute, second) = ((i / 60) % 60, i % 60);
        let _ = writeln!(
            out,
            "{ip} - - [10/Nov/2026:{:02}:{minute:02}:{second:02} +0900] \"GET {target} HTTP/1.1\" 200 5120 \"-\" \"{ua}\"",
            9 + i / 3600
        );
    }
    out
}

fn report(threads: usize, log: &PathBuf, db: &PathBuf, format: OutputFormat) -> Vec<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let options = LoadOptions::default();
        let campaign = load(
            std::slice::from_ref(log),
            &options,
            &LoadProgress::default(),
        )
        .unwrap();
        let databases = OwnerDatabases::open(std::slice::from_ref(db)).unwrap();
        let (analysis, _) = analyse(
            campaign,
            PipelineInputs {
                databases: &databases,
                kb: None,
                cache_owners: false,
                author: &Author::new(Some("test"), None),
                signatures: Arc::new(Signatures::builtin().unwrap()),
                zone: options.zone.clone(),
            },
        );
        let mut out = Vec::new();
        let options = ReportOptions {
            format,
            excel: false,
            queue: false,
        };
        write_report(&analysis, &options, &mut out).unwrap();
        out
    })
}

#[test]
fn one_thread_and_many_give_the_same_report() {
    let tmp = tempfile::tempdir().unwrap();
    let log_path = tmp.path().join("access.log");
    std::fs::write(&log_path, log()).unwrap();
    let db = mmdb::write(tmp.path(), "asn.mmdb", &mmdb::asn_db());
    let one = report(1, &log_path, &db, OutputFormat::Csv);
    let rows = one.iter().filter(|&&b| b == b'\n').count();
    assert!(rows > 20_000, "{rows} rows");
    let text = String::from_utf8_lossy(&one);
    assert!(
        text.contains("Microsoft Corporation"),
        "owners were looked up"
    );
    assert!(text.contains("scanner"), "suggestions were made");
    for threads in [2, 4] {
        assert!(
            report(threads, &log_path, &db, OutputFormat::Csv) == one,
            "CSV with {threads} threads differs from one thread"
        );
    }
    assert!(
        report(4, &log_path, &db, OutputFormat::Json)
            == report(1, &log_path, &db, OutputFormat::Json)
    );
}
