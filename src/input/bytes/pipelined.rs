//! Reading on two cores without giving up order: the thread that owns the
//! input reads it and does the work each line needs alone (splitting fields,
//! parsing times), in batches; a second thread applies the batches, in the
//! order they were read, to what lines share (the campaign's tables, the
//! issues, the counters). The second stage sees exactly the sequence a
//! single thread would have produced, so the campaign comes out the same,
//! and the first stage runs on the thread that already holds the input,
//! which need not be `Send` (a locked stdin is not). Applied batches go back
//! to the reader to be filled again, so their buffers are allocated once.

use std::sync::mpsc::{self, Receiver, SyncSender};

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
        apply: &'a mut dyn FnMut(&mut B) -> Result<(), E>,
        failed: Option<E>,
        spare: Option<B>,
    },
    Thread {
        batches: SyncSender<B>,
        spares: Receiver<B>,
    },
}

impl<B, E> Sink<'_, B, E> {
    /// Hands a batch on. `false` once the applying stage has stopped (it
    /// failed or was cancelled): the reader should stop too.
    pub fn send(&mut self, mut batch: B) -> bool {
        match &mut self.to {
            To::InLine {
                apply,
                failed,
                spare,
            } => {
                if failed.is_some() {
                    return false;
                }
                match apply(&mut batch) {
                    Ok(()) => {
                        *spare = Some(batch);
                        true
                    }
                    Err(e) => {
                        *failed = Some(e);
                        false
                    }
                }
            }
            To::Thread { batches, .. } => batches.send(batch).is_ok(),
        }
    }

    /// A batch already applied, to be cleared and filled again, if one is
    /// back.
    pub fn spare(&mut self) -> Option<B> {
        match &mut self.to {
            To::InLine { spare, .. } => spare.take(),
            To::Thread { spares, .. } => spares.try_recv().ok(),
        }
    }
}

/// Runs `read` on this thread and `apply` over what it sends, on a second
/// thread when `threaded`, else in line. Returns what `read` returned and
/// the first error of `apply` (after which it sees no more batches).
pub fn pipelined<B, E, R>(
    threaded: bool,
    read: impl FnOnce(&mut Sink<'_, B, E>) -> R,
    mut apply: impl FnMut(&mut B) -> Result<(), E> + Send,
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
                spare: None,
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
    let (batches, to_apply) = mpsc::sync_channel::<B>(BATCHES_IN_FLIGHT);
    let (give_back, spares) = mpsc::sync_channel::<B>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        let applier = scope.spawn(move || {
            for mut batch in to_apply {
                apply(&mut batch)?;
                // A full return channel means the reader has spares enough.
                let _ = give_back.try_send(batch);
            }
            Ok(())
        });
        let mut sink = Sink {
            to: To::Thread { batches, spares },
        };
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
            let (taken, applied) = pipelined(threaded, send_all(1000), |b: &mut u32| {
                seen.push(*b);
                Ok::<(), String>(())
            });
            assert_eq!(taken, 1000);
            assert_eq!(applied, Ok(()));
            assert_eq!(seen, (1..=1000).collect::<Vec<_>>(), "threaded: {threaded}");
        }
    }

    #[test]
    fn applied_batches_come_back_to_be_filled_again() {
        for threaded in [false, true] {
            let (reused, applied) = pipelined(
                threaded,
                |sink: &mut Sink<'_, Vec<u32>, String>| {
                    let mut reused = 0;
                    for i in 0..1000 {
                        let mut batch = match sink.spare() {
                            Some(mut spare) => {
                                reused += 1;
                                spare.clear();
                                spare
                            }
                            None => Vec::with_capacity(16),
                        };
                        batch.push(i);
                        sink.send(batch);
                    }
                    reused
                },
                |b: &mut Vec<u32>| {
                    assert_eq!(b.len(), 1);
                    Ok(())
                },
            );
            assert_eq!(applied, Ok(()));
            // In line every batch but the first is a spare; on two threads
            // most are, once the applier has caught up.
            assert!(reused > 500, "threaded: {threaded}, reused {reused}");
        }
    }

    #[test]
    fn a_failing_apply_stops_the_reader_and_its_error_comes_back() {
        for threaded in [false, true] {
            let mut seen = Vec::new();
            let (taken, applied) = pipelined(threaded, send_all(100_000), |b: &mut u32| {
                if *b == 7 {
                    return Err(format!("stopped at {b}"));
                }
                seen.push(*b);
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
