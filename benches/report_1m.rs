//! How long `whoclicked report --format csv` takes on a 1M-line combined
//! access log with the real full-size ASN database, and its peak memory.
//!
//! `cargo bench --bench report_1m` (needs `../shared/data/asn-real.mmdb`).
//! Prints the end-to-end figures of the real binary, then a per-stage split
//! of the same pipeline run in-process.

use std::fmt::Write as _;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use whoclicked::input::{LoadOptions, LoadProgress, load};
use whoclicked::kb::Author;
use whoclicked::model::parse_zone;
use whoclicked::owner::OwnerDatabases;
use whoclicked::pipeline::{PipelineInputs, analyse};
use whoclicked::report::{OutputFormat, ReportOptions, write_report};
use whoclicked::signals::Signatures;
use whoclicked::testing::Rng;

const LINES: usize = 1_000_000;
const DATABASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/asn-real.mmdb");

/// A million lines of a landing page's log: 40,000 recipients, 120,000
/// public addresses, a few hundred User-Agent builds, a stylesheet request
/// after many clicks (not an access), some HEADs and POSTs.
fn generate(path: &Path) -> usize {
    let mut rng = Rng::splitmix64(2026);
    let addresses: Vec<String> = (0..120_000)
        .map(|_| {
            loop {
                let a = rng.next_u64() as u32;
                let first = a >> 24;
                // Public unicast only, so every address is really looked up.
                if (1..224).contains(&first)
                    && first != 10
                    && first != 127
                    && first != 100
                    && first != 192
                    && first != 172
                {
                    break std::net::Ipv4Addr::from(a).to_string();
                }
            }
        })
        .collect();
    let agents: Vec<String> = (0..600)
        .map(|i| match i % 4 {
            0 => format!(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.{}.{} Safari/537.36",
                110 + i % 47,
                6000 + i,
                i % 200
            ),
            1 => format!(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_{} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{}.{} Mobile/15E148 Safari/604.1",
                i % 7,
                17 + i % 10,
                i % 5
            ),
            2 => format!(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{}.0) Gecko/20100101 Firefox/{}.0",
                120 + i % 38,
                120 + i % 38
            ),
            _ => format!("python-requests/2.{}.0", i % 33),
        })
        .collect();
    let mut out = String::with_capacity(LINES * 230);
    let mut accesses = 0;
    for i in 0..LINES {
        let t = 1_790_000_000 + (i as u64) * 2 + rng.below(2);
        let ts = jiff::Timestamp::from_second(t as i64)
            .unwrap()
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)));
        let ip = &addresses[rng.below(addresses.len() as u64) as usize];
        let ua = &agents[rng.below(agents.len() as u64) as usize];
        let rid = rng.below(40_000);
        let (method, target) = match rng.below(20) {
            0..=3 => ("GET", "/static/site.css".to_string()),
            4 => ("HEAD", format!("/?rid=R{rid:05}")),
            5 => ("POST", format!("/login?rid=R{rid:05}")),
            6 => ("GET", format!("/?rid=R{rid:05}&screen=1920x1080")),
            _ => ("GET", format!("/?rid=R{rid:05}")),
        };
        if !target.starts_with("/static") {
            accesses += 1;
        }
        let _ = writeln!(
            out,
            "{ip} - - [{}] \"{method} {target} HTTP/1.1\" 200 5120 \"-\" \"{ua}\"",
            ts.strftime("%d/%b/%Y:%H:%M:%S %z")
        );
    }
    std::fs::write(path, out).expect("write the generated log");
    accesses
}

/// Peak resident memory of a process, from Linux's /proc (kB).
fn peak_kb(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the real binary; returns wall time and the last peak RSS seen.
fn run_binary(log: &Path, out: &Path, kb: &Path) -> (Duration, Option<u64>) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args([
            "report", "--format", "csv", "--tz", "+09:00", "--mmdb", DATABASE, "-o",
        ])
        .arg(out)
        .arg("--kb")
        .arg(kb)
        .arg(log)
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .spawn()
        .expect("run whoclicked");
    let pid = child.id().to_string();
    let mut peak = None;
    loop {
        if let Some(kb) = peak_kb(&pid) {
            peak = Some(kb);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "whoclicked failed");
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (start.elapsed(), peak)
}

fn main() {
    if !Path::new(DATABASE).exists() {
        eprintln!("report_1m: {DATABASE} is missing; this bench needs the shared ASN database");
        std::process::exit(1);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("access.log");
    let accesses = generate(&log);
    let size = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    println!(
        "input: {LINES} lines, {:.0} MB, {accesses} accesses",
        size as f64 / 1e6
    );

    for (label, kb) in [
        ("first run (fills the owner cache)", "kb"),
        ("second run (cache warm)", "kb"),
    ] {
        let out = dir.path().join("report.csv");
        let (wall, peak) = run_binary(&log, &out, &dir.path().join(kb));
        println!(
            "whoclicked report --format csv, {label}: {:.2} s wall, peak RSS {} MB",
            wall.as_secs_f64(),
            peak.map_or("?".to_string(), |kb| format!("{:.0}", kb as f64 / 1024.0))
        );
    }

    // The same pipeline in-process, stage by stage (no knowledge base).
    let options = LoadOptions {
        zone: parse_zone("+09:00").expect("zone"),
        ..LoadOptions::default()
    };
    let t = Instant::now();
    let campaign = load(
        std::slice::from_ref(&log),
        &options,
        &LoadProgress::default(),
    )
    .expect("load");
    let t_load = t.elapsed();
    let distinct_ips = campaign.ips.len();
    let distinct_uas = campaign.user_agents.len();
    let t = Instant::now();
    let databases = OwnerDatabases::open(&[PathBuf::from(DATABASE)]).expect("open database");
    let t_open = t.elapsed();
    let signatures = Arc::new(Signatures::builtin().expect("signatures"));
    let author = Author::new(Some("bench"), None);
    let t = Instant::now();
    let (analysis, _) = analyse(
        campaign,
        PipelineInputs {
            databases: &databases,
            kb: None,
            cache_owners: false,
            author: &author,
            signatures,
            zone: options.zone.clone(),
        },
    );
    let t_analyse = t.elapsed();
    let t = Instant::now();
    let file = std::fs::File::create(dir.path().join("inproc.csv")).expect("create");
    let mut out = BufWriter::new(file);
    write_report(
        &analysis,
        &ReportOptions {
            format: OutputFormat::Csv,
            excel: false,
            queue: false,
        },
        &mut out,
    )
    .expect("write");
    drop(out);
    let t_write = t.elapsed();
    println!(
        "stages: load {:.2} s ({distinct_ips} IPs, {distinct_uas} UAs), open database {:.3} s, \
         owners+UA+suggestions {:.2} s, CSV {:.2} s; peak RSS of this process {} MB",
        t_load.as_secs_f64(),
        t_open.as_secs_f64(),
        t_analyse.as_secs_f64(),
        t_write.as_secs_f64(),
        peak_kb("self").map_or("?".to_string(), |kb| format!("{:.0}", kb as f64 / 1024.0))
    );
}
