//! whoclicked's report against GoAccess on the same log, side by side.
//!
//! `cargo bench --bench vs_goaccess` (or `benches/vs-goaccess.sh`): writes a
//! deterministic 1,000,000-line combined log of campaign traffic with
//! 266,000 distinct client addresses, all in networks the real ASN database
//! (`../shared/data/asn-real.mmdb`) knows, then runs, interleaved,
//! `goaccess LOG --log-format=COMBINED --geoip-database=DB -o out.json` and
//! `whoclicked report --no-kb --format csv LOG` (release build), and prints
//! the medians of wall time and peak RSS and their ratios. Needs Debian's
//! `goaccess` on the PATH. `VS_RUNS` sets the runs per program (default 3),
//! `VS_LINES` the log's size, `VS_KEEP_LOG` a path to keep the log at.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use whoclicked::owner::OwnerDatabases;
use whoclicked::testing::Rng;

const DATABASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/asn-real.mmdb");

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `count` distinct public addresses that the database places in a network
/// (so in ranges someone really announces), in a fixed order.
fn addresses(count: usize, rng: &mut Rng) -> Vec<IpAddr> {
    let databases = OwnerDatabases::open(&[PathBuf::from(DATABASE)]).expect("open the database");
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let candidates: Vec<IpAddr> = (0..count)
            .map(|_| IpAddr::V4(Ipv4Addr::from(rng.next_u64() as u32)))
            .collect();
        let owners = databases.lookup_all(&candidates);
        for (ip, owner) in candidates.into_iter().zip(owners) {
            if out.len() < count
                && owner.internal.is_none()
                && owner.asn.is_some()
                && seen.insert(ip)
            {
                out.push(ip);
            }
        }
    }
    out
}

/// The log: every address at least once, the rest of the lines from a
/// few busy ones (scanners, proxies) and many quiet ones.
fn generate(path: &Path, lines: usize, distinct: usize) {
    let mut rng = Rng::splitmix64(2026);
    let ips: Vec<String> = addresses(distinct, &mut rng)
        .iter()
        .map(ToString::to_string)
        .collect();
    let agents: Vec<String> = (0..800)
        .map(|i| match i % 5 {
            0 | 1 => format!(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.{}.{} Safari/537.36",
                110 + i % 47,
                6000 + i,
                i % 200
            ),
            2 => format!(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_{} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{}.{} Mobile/15E148 Safari/604.1",
                i % 7,
                17 + i % 10,
                i % 5
            ),
            3 => format!(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{}.0) Gecko/20100101 Firefox/{}.0",
                120 + i % 38,
                120 + i % 38
            ),
            _ => format!("python-requests/2.{}.0", i % 33),
        })
        .collect();
    let mut out = String::with_capacity(lines * 230);
    for i in 0..lines {
        let t = 1_790_000_000 + (i as i64) * 2 + rng.below(2) as i64;
        let ts = jiff::Timestamp::from_second(t)
            .expect("a time")
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)));
        let ip = if i < distinct {
            &ips[i]
        } else if rng.percent(30) {
            &ips[rng.below(2_000) as usize]
        } else {
            &ips[rng.below(ips.len() as u64) as usize]
        };
        let ua = &agents[rng.below(agents.len() as u64) as usize];
        let rid = rng.below(100_000);
        let (method, target) = match rng.below(20) {
            0..=3 => ("GET", "/static/site.css".to_string()),
            4 => ("HEAD", format!("/?rid=R{rid:06}")),
            5 => ("POST", format!("/login?rid=R{rid:06}")),
            6 => ("GET", format!("/?rid=R{rid:06}&screen=1920x1080")),
            _ => ("GET", format!("/?rid=R{rid:06}")),
        };
        let _ = writeln!(
            out,
            "{ip} - - [{}] \"{method} {target} HTTP/1.1\" 200 5120 \"-\" \"{ua}\"",
            ts.strftime("%d/%b/%Y:%H:%M:%S %z")
        );
    }
    std::fs::write(path, out).expect("write the generated log");
}

/// Peak resident memory of a running process, from /proc (kB).
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `cmd` to the end; its wall time and peak RSS (MB).
fn measure(mut cmd: Command) -> (Duration, f64) {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the program");
    let mut peak = 0;
    loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "{cmd:?} failed: {status}");
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    (start.elapsed(), peak as f64 / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if !Path::new(DATABASE).exists() {
        eprintln!("vs_goaccess: {DATABASE} is missing; this bench needs the shared ASN database");
        std::process::exit(1);
    }
    let goaccess = Command::new("goaccess").arg("--version").output();
    let Ok(version) = goaccess else {
        eprintln!("vs_goaccess: goaccess is not installed (apt-get install goaccess)");
        std::process::exit(1);
    };
    let version = String::from_utf8_lossy(&version.stdout).to_string();
    let geoip2 = version.contains("--enable-geoip=mmdb");
    println!(
        "{} (GeoIP2/mmdb support: {})",
        version.lines().next().unwrap_or("goaccess"),
        if geoip2 { "yes" } else { "NO" }
    );
    let lines = env_or("VS_LINES", 1_000_000);
    let distinct = env_or("VS_DISTINCT", lines * 266 / 1000);
    let runs = env_or("VS_RUNS", 3);
    let dir = tempfile::tempdir().expect("temporary directory");
    // VS_KEEP_LOG=PATH writes the log there too, to profile either tool on it.
    let log = dir.path().join("access.log");
    let t = Instant::now();
    generate(&log, lines, distinct);
    if let Ok(keep) = std::env::var("VS_KEEP_LOG") {
        std::fs::copy(&log, &keep).expect("copy the log to VS_KEEP_LOG");
    }
    let size = std::fs::metadata(&log).map_or(0, |m| m.len());
    println!(
        "log: {lines} lines, {distinct} distinct addresses, {:.0} MB (generated in {:.1?})",
        size as f64 / 1e6,
        t.elapsed()
    );
    let whoclicked = PathBuf::from(env!("CARGO_BIN_EXE_whoclicked"));
    let (mut g_wall, mut g_rss, mut w_wall, mut w_rss) = (vec![], vec![], vec![], vec![]);
    for run in 0..runs {
        let mut g = Command::new("goaccess");
        g.arg(&log)
            .arg("--log-format=COMBINED")
            .arg(format!("--geoip-database={DATABASE}"))
            .arg("-o")
            .arg(dir.path().join("out.json"));
        let (wall, rss) = measure(g);
        g_wall.push(wall.as_secs_f64());
        g_rss.push(rss);
        let mut w = Command::new(&whoclicked);
        w.args(["report", "--no-kb", "--format", "csv", "--mmdb", DATABASE])
            .arg(&log)
            .env("WHOCLICKED_NO_DEFAULT_MMDB", "1");
        let (w_time, w_mem) = measure(w);
        w_wall.push(w_time.as_secs_f64());
        w_rss.push(w_mem);
        println!(
            "run {}: goaccess {:.2} s {:.0} MB · whoclicked {:.2} s {:.0} MB",
            run + 1,
            wall.as_secs_f64(),
            rss,
            w_time.as_secs_f64(),
            w_mem
        );
    }
    let (gw, gr, ww, wr) = (median(g_wall), median(g_rss), median(w_wall), median(w_rss));
    println!("| | wall time (median of {runs}) | peak RSS (median) |");
    println!("|---|---|---|");
    println!("| goaccess (COMBINED, --geoip-database, -o out.json) | {gw:.2} s | {gr:.0} MB |");
    println!(
        "| whoclicked report --no-kb --format csv | {ww:.2} s ({:.2}×) | {wr:.0} MB ({:.2}×) |",
        ww / gw,
        wr / gr
    );
}
