//! Reading on two cores without giving up order: the thread that owns the
//! input reads it and does the work each line needs alone (splitting fields,
//! parsing times), in batches; a second thread applies the batches, in the
//! order they were read, to what lines share (the campaign's tables, the
//! issues, the counters). The second stage sees exactly the sequence a
//! single thread would have produced, so the campaign comes out the same,
//! and the first stage runs on the thread that already holds the input,
//! which need not be `Send` (a locked stdin is not).

use std::sync::mpsc::{self, SyncSender};

/// Batches in flight between the stages: enough to ride out a slow batch on
/// either side, few enough that memory stays a few megabytes.
const BATCHES_IN_FLIGHT: usize = 4;

/// Where the reading stage puts its batches.
pub struct Sink<'a, B, E> {
    to: To<'a, B, E>,
}

enum To<'a, B, E> {
    /// Applied at once, on the reading thread.
    InLine {
        apply: &'a mut dyn FnMut(B) -> Result<(), E>,
        failed: Option<E>,
    },
    Thread(SyncSender<B>),
}

impl<B, E> Sink<'_, B, E> {
    /// Hands a batch on. `false` once the applying stage has stopped (it
    /// failed or was cancelled): the reader should stop too.
    pub fn send(&mut self, batch: B) -> bool {
        match &mut self.to {
            To::InLine { apply, failed } => {
                if failed.is_some() {
                    return false;
                }
                match apply(batch) {
                    Ok(()) => true,
                    Err(e) => {
                        *failed = Some(e);
                        false
                    }
                }
            }
            To::Thread(tx) => tx.send(batch).is_ok(),
        }
    }
}

/// Runs `read` on this thread and `apply` over what it sends, on a second
/// thread when `threaded`, else in line. Returns what `read` returned and
/// the first error of `apply` (after which it sees no more batches).
pub fn pipelined<B, E, R>(
    threaded: bool,
    read: impl FnOnce(&mut Sink<'_, B, E>) -> R,
    mut apply: impl FnMut(B) -> Result<(), E> + Send,
) -> (R, Result<(), E>)
where
    B: Send,
    E: Send,
{
    if !threaded {
        let mut sink = Sink {
            to: To::InLine {
                apply: &mut apply,
                failed: None,
            },
        };
        let read_out = read(&mut sink);
        let applied = match sink.to {
            To::InLine {
                failed: Some(e), ..
            } => Err(e),
            _ => Ok(()),
        };
        return (read_out, applied);
    }
    let (tx, rx) = mpsc::sync_channel::<B>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        let applier = scope.spawn(move || {
            for batch in rx {
                apply(batch)?;
            }
            Ok(())
        });
        let mut sink = Sink { to: To::Thread(tx) };
        let read_out = read(&mut sink);
        // Closing the channel ends the applier's loop.
        drop(sink);
        let applied = applier
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read_out, applied)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends 1..=n, one per batch, and says how many the sink took.
    fn send_all(n: u32) -> impl FnOnce(&mut Sink<'_, u32, String>) -> u32 {
        move |sink| {
            let mut taken = 0;
            for i in 1..=n {
                if !sink.send(i) {
                    break;
                }
                taken += 1;
            }
            taken
        }
    }

    #[test]
    fn both_ways_apply_every_batch_in_order() {
        for threaded in [false, true] {
            let mut seen = Vec::new();
            let (taken, applied) = pipelined(threaded, send_all(1000), |b| {
                seen.push(b);
                Ok::<(), String>(())
            });
            assert_eq!(taken, 1000);
            assert_eq!(applied, Ok(()));
            assert_eq!(seen, (1..=1000).collect::<Vec<_>>(), "threaded: {threaded}");
        }
    }

    #[test]
    fn a_failing_apply_stops_the_reader_and_its_error_comes_back() {
        for threaded in [false, true] {
            let mut seen = Vec::new();
            let (taken, applied) = pipelined(threaded, send_all(100_000), |b| {
                if b == 7 {
                    return Err(format!("stopped at {b}"));
                }
                seen.push(b);
                Ok(())
            });
            assert_eq!(applied, Err("stopped at 7".to_string()));
            assert_eq!(seen, (1..7).collect::<Vec<_>>());
            // The reader stops soon after: at most the batches in flight more.
            assert!(
                taken < 7 + BATCHES_IN_FLIGHT as u32 + 2,
                "threaded: {threaded}, taken {taken}"
            );
        }
    }
}
