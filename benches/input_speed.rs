//! Load speed on generated 1M-line inputs of each format:
//! `cargo bench --bench input_speed`.

#[path = "../tests/it/support/logs.rs"]
mod logs;

use std::path::Path;
use std::time::Instant;

use whoclicked::input::{LoadOptions, LoadProgress, load};
use whoclicked::model::parse_zone;

const LINES: usize = 1_000_000;

fn measure(what: &str, path: &Path, expected: usize) {
    let options = LoadOptions {
        zone: parse_zone("Asia/Tokyo").unwrap(),
        ..LoadOptions::default()
    };
    let bytes = std::fs::metadata(path).unwrap().len();
    let cpu_start = thread_cpu_seconds();
    let start = Instant::now();
    let c = load(&[path.to_path_buf()], &options, &LoadProgress::default()).unwrap();
    let secs = start.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds()
        .zip(cpu_start)
        .map(|(end, start)| end - start);
    assert_eq!(c.accesses.len(), expected);
    println!(
        "{what}: {LINES} lines, {:.0} MB, {} accesses in {secs:.2} s wall = {:.0} lines/s, {:.0} MB/s",
        bytes as f64 / 1e6,
        c.accesses.len(),
        LINES as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    // On a shared machine wall time depends on the neighbours; CPU time less so.
    if let Some(cpu) = cpu {
        println!(
            "{what}: {cpu:.2} s CPU = {:.0} lines/s per core",
            LINES as f64 / cpu
        );
    }
}

/// This thread's user+system CPU time, from Linux's /proc (`None` elsewhere).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux that matters.
    Some(ticks / 100.0)
}

fn main() {
    combined_log_speed();
    native_csv_speed();
    gophish_events_speed();
}

fn combined_log_speed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log");
    std::fs::write(&path, logs::combined_log(LINES)).unwrap();
    measure("combined", &path, logs::combined_accesses(LINES));
}

fn native_csv_speed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clicks.csv");
    std::fs::write(&path, logs::native_csv(LINES)).unwrap();
    measure("native CSV", &path, LINES);
}

fn gophish_events_speed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.csv");
    std::fs::write(&path, logs::gophish_events(LINES)).unwrap();
    measure("GoPhish events", &path, LINES - logs::RECIPIENTS);
}
