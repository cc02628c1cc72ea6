//! How long a million audit-log records take to read, enrich and judge,
//! and the peak memory: the sign-in counterpart of `report_1m`.
//!
//! `cargo bench --bench signin_1m`. Generates a Purview audit export of
//! 1,000,000 records (5,000 accounts, 60,000 public addresses, a month of
//! sign-ins, failures, mailbox reads, sends, inbox rules and deletions) in
//! a temporary directory, then times each stage in-process with the
//! bundled ASN database, and the CSV written to nowhere. Prints figures,
//! asserts nothing.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::time::Instant;

use whoclicked::input::LoadProgress;
use whoclicked::owner::OwnerDatabases;
use whoclicked::pipeline::signin::address_facts;
use whoclicked::signals::Signatures;
use whoclicked::signin::judge::{Context, judge_and_learn};
use whoclicked::signin::output::{self, Context as OutContext};
use whoclicked::signin::{Investigation, ReadOptions};
use whoclicked::testing::Rng;

const RECORDS: usize = 1_000_000;

fn generate(path: &std::path::Path) -> u64 {
    let mut rng = Rng::splitmix64(2026);
    let addresses: Vec<String> = (0..60_000)
        .map(|_| {
            loop {
                let a = rng.next_u64() as u32;
                let first = a >> 24;
                if (1..224).contains(&first) && ![10, 100, 127, 172, 192].contains(&first) {
                    break std::net::Ipv4Addr::from(a).to_string();
                }
            }
        })
        .collect();
    let accounts: Vec<String> = (0..5_000)
        .map(|i| format!("user{i:04}@example.co.jp"))
        .collect();
    let file = std::fs::File::create(path).unwrap();
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(b"RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n").unwrap();
    let start = 1_740_787_200i64; // 2025-03-01
    let mut line = String::with_capacity(1024);
    for n in 0..RECORDS {
        let t = start + (n as i64 * 2_592_000 / RECORDS as i64);
        let when = jiff::Timestamp::from_second(t)
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%S")
            .to_string();
        let acc = rng.index(accounts.len());
        let user = &accounts[acc];
        // Each account mostly uses its own few addresses.
        let ip = if rng.percent(90) {
            &addresses[(acc * 7 + rng.index(3)) % addresses.len()]
        } else {
            rng.pick(&addresses)
        };
        let roll = rng.below(100);
        let (op, extra) = match roll {
            0..40 => ("UserLoggedIn", r#","ResultStatus":"Success","ExtendedProperties":[{"Name":"UserAgent","Value":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/133.0"}]"#.to_string()),
            40..70 => ("MailItemsAccessed", format!(r#","ResultStatus":"Succeeded","ClientInfoString":"Client=MSExchangeRPC","SessionId":"s-{acc}""#)),
            70..90 => ("Send", format!(r#","ClientInfoString":"Client=OWA","Item":{{"Subject":"議事録 {n}","InternetMessageId":"<M{n}@example.jpnprd01.prod.outlook.com>"}}"#)),
            90..98 => ("UserLoginFailed", r#","ErrorNumber":"50126","ResultStatus":"Failed""#.to_string()),
            98 => ("New-InboxRule", r#","Parameters":[{"Name":"Name","Value":"."},{"Name":"ForwardTo","Value":"x@example.net"}]"#.to_string()),
            _ => ("HardDelete", String::new()),
        };
        let port = if n % 3 == 0 { ":50122" } else { "" };
        let audit = format!(
            r#"{{"CreationTime":"{when}","Id":"{n:08}-0000-4000-8000-000000000000","Operation":"{op}","RecordType":15,"UserId":"{user}","Workload":"Exchange","ClientIP":"{ip}{port}"{extra}}}"#
        );
        line.clear();
        let _ = write!(
            line,
            "{n},{when}.0000000Z,15,{op},{user},\"{}\",,\r\n",
            audit.replace('"', "\"\"")
        );
        out.write_all(line.as_bytes()).unwrap();
    }
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

fn peak_rss_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or("?".to_string(), |kb| format!("{}", kb / 1024))
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("AuditLog_1m.csv");
    let t = Instant::now();
    let bytes = generate(&path);
    println!(
        "generated {RECORDS} audit records, {:.0} MB, in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let mut inv = Investigation::new();
    let options = ReadOptions {
        keep_raw: false,
        ..ReadOptions::default()
    };
    inv.read(
        "AuditLog_1m.csv",
        std::fs::File::open(&path).unwrap(),
        &options,
    )
    .unwrap();
    inv.finish();
    let read = t.elapsed();

    let t = Instant::now();
    let mut databases = OwnerDatabases::empty();
    databases.add_bundled().unwrap();
    let ips = inv.addresses();
    let (facts, _) = address_facts(&ips, &databases, None, &LoadProgress::default());
    let enrich = t.elapsed();

    let t = Instant::now();
    let sigs = Signatures::builtin().unwrap();
    let zone = jiff::tz::TimeZone::UTC;
    let judge_ctx = Context {
        facts: &facts,
        signatures: &sigs,
        zone: &zone,
        prior: None,
    };
    // As the pipeline does it: every event judged, and the accounts' usual
    // places for the knowledge base worked out from the same keys.
    let (judged, learned) = judge_and_learn(&inv.events, &judge_ctx);
    let judge_time = t.elapsed();

    let t = Instant::now();
    let ctx = OutContext {
        investigation: &inv,
        judged: &judged,
        facts: &facts,
        zone: &zone,
        warnings: &[],
        sent: &[],
    };
    let mut sink = BufWriter::new(std::io::sink());
    output::write_csv(&mut sink, &ctx, false).unwrap();
    let write = t.elapsed();

    let suspicious = judged
        .iter()
        .filter(|j| j.suggestion() == whoclicked::signin::judge::Suggestion::Suspicious)
        .count();
    println!(
        "read {} events ({} issues) in {:.2} s; owners of {} addresses {:.2} s; judged in {:.2} s ({suspicious} suspicious); CSV written in {:.2} s",
        inv.events.len(),
        inv.issues.len(),
        read.as_secs_f64(),
        ips.len(),
        enrich.as_secs_f64(),
        judge_time.as_secs_f64(),
        write.as_secs_f64()
    );
    println!(
        "usual places kept for {} accounts (part of the judging)",
        learned.accounts.len()
    );
    println!(
        "read + enrich + judge: {:.2} s; peak RSS {} MB",
        (read + enrich + judge_time).as_secs_f64(),
        peak_rss_mb()
    );
}
