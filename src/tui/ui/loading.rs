//! The header's line while a campaign loads: what step it is at, how much of
//! that step is done and about how long the rest will take. A rows/s figure
//! alone says nothing once reading is over (it only falls while the owners
//! are looked up), so each step counts what it works through.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::pipeline::Stage;
use crate::text::{bytes, thousands};
use crate::tui::jobs::Progress;

/// The counters of a load at one moment, and the time spent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadFigures {
    pub stage: Option<Stage>,
    pub rows: u64,
    pub bytes_read: u64,
    pub total_bytes: u64,
    pub addresses_done: u64,
    pub addresses_total: u64,
    /// Since the load began.
    pub elapsed: Duration,
    /// Since the current step began.
    pub in_stage: Duration,
}

impl LoadFigures {
    pub fn of(progress: &Progress, elapsed: Duration) -> Self {
        let load = &progress.load;
        LoadFigures {
            stage: Some(progress.stage()),
            rows: load.rows.load(Ordering::Relaxed),
            bytes_read: load.bytes_read.load(Ordering::Relaxed),
            total_bytes: load.total_bytes.load(Ordering::Relaxed),
            addresses_done: load.addresses_done.load(Ordering::Relaxed),
            addresses_total: load.addresses_total.load(Ordering::Relaxed),
            elapsed,
            in_stage: progress.in_stage(),
        }
    }
}

/// `loading: looking up owners · 12,288 of 80,000 addresses (15%) · about 4 s
/// left · q cancels`.
pub fn loading_text(f: &LoadFigures) -> String {
    let stage = f.stage.unwrap_or(Stage::Reading);
    let mut text = format!("loading: {}", stage.title());
    match stage {
        Stage::Reading => {
            text.push_str(&format!(" · {} rows", thousands(f.rows as usize)));
            if f.total_bytes > 0 {
                text.push_str(&format!(
                    " · {} of {} ({}%)",
                    bytes(f.bytes_read),
                    bytes(f.total_bytes),
                    percent(f.bytes_read, f.total_bytes)
                ));
                if let Some(left) = time_left(f.bytes_read, f.total_bytes, f.in_stage) {
                    text.push_str(&format!(" · {left}"));
                }
            } else {
                let secs = f.in_stage.as_secs_f64().max(0.001);
                text.push_str(&format!(
                    " · {} rows/s",
                    thousands((f.rows as f64 / secs) as usize)
                ));
            }
        }
        Stage::Enriching if f.addresses_total > 0 => {
            let done = f.addresses_done.min(f.addresses_total);
            text.push_str(&format!(
                " · {} of {} ({}%)",
                thousands(done as usize),
                count_addresses(f.addresses_total),
                percent(done, f.addresses_total)
            ));
            if done == f.addresses_total {
                // What is left (User-Agents, notes, the owner cache) has no count.
                text.push_str(" · finishing");
            } else if let Some(left) = time_left(done, f.addresses_total, f.in_stage) {
                text.push_str(&format!(" · {left}"));
            }
        }
        Stage::Enriching | Stage::Suggesting => {
            text.push_str(&format!(" · {} rows read", thousands(f.rows as usize)));
        }
    }
    text.push_str(" · q cancels");
    text
}

fn count_addresses(n: u64) -> String {
    if n == 1 {
        "1 address".to_string()
    } else {
        format!("{} addresses", thousands(n as usize))
    }
}

fn percent(done: u64, total: u64) -> u64 {
    done.saturating_mul(100) / total.max(1)
}

/// `about 4 s left`, `about 3 min left`, from the pace so far; `None` until
/// a second has gone by and some work is done, when a guess would jump about.
pub fn time_left(done: u64, total: u64, spent: Duration) -> Option<String> {
    if done == 0 || done >= total || spent < Duration::from_secs(1) {
        return None;
    }
    let left = spent.as_secs_f64() * (total - done) as f64 / done as f64;
    let secs = left.ceil() as u64;
    Some(if secs < 90 {
        format!("about {} s left", secs.max(1))
    } else if secs < 90 * 60 {
        format!("about {} min left", secs.div_ceil(60))
    } else {
        format!("about {} h left", secs.div_ceil(3600))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(stage: Stage) -> LoadFigures {
        LoadFigures {
            stage: Some(stage),
            rows: 1_000_000,
            bytes_read: 150_000_000,
            total_bytes: 150_000_000,
            elapsed: Duration::from_secs(20),
            ..LoadFigures::default()
        }
    }

    #[test]
    fn owner_lookup_says_done_of_total_and_time_left() {
        let mut f = at(Stage::Enriching);
        f.addresses_total = 80_000;
        f.addresses_done = 20_000;
        f.in_stage = Duration::from_secs(3);
        assert_eq!(
            loading_text(&f),
            "loading: looking up owners · 20,000 of 80,000 addresses (25%) · about 9 s left \
             · q cancels"
        );
        // No rows/s figure that only falls while no row is read.
        assert!(!loading_text(&f).contains("rows/s"));
        f.addresses_done = 80_000;
        assert_eq!(
            loading_text(&f),
            "loading: looking up owners · 80,000 of 80,000 addresses (100%) · finishing \
             · q cancels"
        );
        // Before the lookup starts: what was read, no pace.
        f.addresses_total = 0;
        assert_eq!(
            loading_text(&f),
            "loading: looking up owners · 1,000,000 rows read · q cancels"
        );
    }

    #[test]
    fn reading_says_how_far_through_the_files() {
        let mut f = at(Stage::Reading);
        f.rows = 250_000;
        f.bytes_read = 37_500_000;
        f.in_stage = Duration::from_secs(5);
        let text = loading_text(&f);
        assert!(
            text.starts_with("loading: reading · 250,000 rows · "),
            "{text}"
        );
        assert!(
            text.ends_with("(25%) · about 15 s left · q cancels"),
            "{text}"
        );
        // Standard input has no size: rows/s is all there is.
        f.total_bytes = 0;
        assert_eq!(
            loading_text(&f),
            "loading: reading · 250,000 rows · 50,000 rows/s · q cancels"
        );
    }

    #[test]
    fn time_left_waits_for_a_pace_and_rounds_up() {
        let s = Duration::from_secs;
        assert_eq!(time_left(0, 100, s(5)), None);
        assert_eq!(time_left(10, 100, Duration::from_millis(500)), None);
        assert_eq!(time_left(100, 100, s(5)), None);
        assert_eq!(time_left(99, 100, s(1)).as_deref(), Some("about 1 s left"));
        assert_eq!(time_left(1, 100, s(2)).as_deref(), Some("about 4 min left"));
        assert_eq!(time_left(1, 100, s(60)).as_deref(), Some("about 2 h left"));
    }
}
