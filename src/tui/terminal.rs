//! Taking over the terminal and giving it back. The guard restores it when it
//! is dropped (quit, error); a panic hook restores it before the panic
//! message is printed, so a crash never leaves a raw, alternate-screen shell;
//! SIGTERM and SIGHUP (a `kill`, a closed terminal window or ssh session)
//! restore it before the process ends as the signal would have ended it.

use std::io::{self, Stdout, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// The terminal in raw mode on the alternate screen, with mouse reports on.
pub struct TerminalGuard {
    pub terminal: Term,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        #[cfg(unix)]
        install_signal_handler();
        TAKEN.store(true, Ordering::SeqCst);
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        // Bracketed paste on: a paste arrives as one piece of text, never
        // as keys (a pasted line break would otherwise end the prompt and
        // the rest would run as commands).
        if let Err(err) = execute!(
            stdout,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        ) {
            restore();
            return Err(err);
        }
        match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(err) => {
                restore();
                Err(err)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // During a panic the hook has already restored the terminal and
        // printed the message; restoring again could wipe that message.
        if !std::thread::panicking() {
            restore();
        }
    }
}

/// Gives the terminal back: cooked mode, main screen, no mouse reports,
/// visible cursor. Never fails loudly: it runs on the way out of errors.
pub fn restore() {
    TAKEN.store(false, Ordering::SeqCst);
    let _ = disable_raw_mode();
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
    let _ = stdout.flush();
}

/// Whether the screen has the terminal now (a signal restores it only then).
static TAKEN: AtomicBool = AtomicBool::new(false);

/// A thread that waits for SIGTERM or SIGHUP, gives the terminal back if
/// the screen has it, and then ends the process the way the signal would.
#[cfg(unix)]
fn install_signal_handler() {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    use signal_hook::iterator::Signals;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let Ok(mut signals) = Signals::new([SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("signals".to_string())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    if TAKEN.load(Ordering::SeqCst) {
                        restore();
                    }
                    // Puts the default action back and raises the signal again.
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                }
            });
    });
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
