//! The review screen: a thin terminal shell over the review model. The
//! runtime here reads events, hands actions to `App::update`, carries out
//! the effects it returns (view builds, label writes, exports) and draws.
//!
//! `action` (what can be done), `keymap` (which key does it, as data),
//! `app` (state and update), `ui` (drawing from `&App`), `frame` (what the
//! last frame put where: drawing writes it, `update` reads it), `columns`
//! (the table's columns and cell text, for drawing and view builds alike),
//! `jobs` (background work), `event` (input), `terminal` (raw mode and its
//! restoration), `store` (where labels go) and `kb_store` (the knowledge base
//! as that store), `data` (the loaded campaign as shown), `export` (the `e`
//! CSV), `testing` (made-up campaigns and an inline runner for tests and
//! benches, with the `testing` feature only).
//!
//! Imports go one way: `app` knows nothing of `ui`; `ui` reads `app`; both
//! read `frame` and `columns`.

pub mod action;
pub mod app;
pub mod columns;
pub mod data;
pub mod event;
pub mod export;
pub mod frame;
pub mod jobs;
pub mod kb_store;
pub mod keymap;
pub mod store;
pub mod terminal;
#[cfg(feature = "testing")]
pub mod testing;
pub mod ui;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};

use app::{App, Effect, Session};
use event::{AppEvent, Events};
use jobs::{Loader, Progress};
use store::{LabelStore, StoreError};

/// How often the screen redraws while something runs in the background.
const TICK: Duration = Duration::from_millis(100);
/// How often the knowledge base is checked for another process's changes.
const REFRESH: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("reading the keyboard: {0}")]
    Input(String),
    /// The campaign could not be loaded; the analyst has seen why and quit.
    #[error("could not load the campaign: {0}")]
    LoadFailed(String),
}

/// Everything the screen needs to start.
pub struct TuiOptions {
    pub session: Session,
    /// Reads and enriches the campaign on a background thread.
    pub loader: Loader,
    pub store: Arc<Mutex<Box<dyn LabelStore>>>,
    /// False when `NO_COLOR` is set.
    pub colour: bool,
}

/// Whether colour is wanted: `NO_COLOR` set to anything non-empty turns it off.
pub fn colour_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Where effects are carried out: with background threads in the real
/// screen, inline in tests.
pub struct Executor {
    pub store: Arc<Mutex<Box<dyn LabelStore>>>,
    pub progress: Arc<Progress>,
    /// Sends background results to the event loop; `None` runs everything inline.
    pub send: Option<Sender>,
}

impl Executor {
    /// Carries out `effects` and any they lead to; returns true to quit.
    pub fn run(&self, app: &mut App, effects: Vec<Effect>) -> bool {
        let mut queue: VecDeque<Effect> = effects.into();
        let mut quit = false;
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::BuildView(job) => match &self.send {
                    Some(send) if !job.is_small() => {
                        let send = clone_sender(send);
                        jobs::spawn_view(job, send);
                    }
                    _ => queue.extend(app.on_job(jobs::JobResult::View(jobs::run_view_job(&job)))),
                },
                Effect::Persist { id, writes } => {
                    let result = match (self.store.lock(), &app.data) {
                        (Ok(mut store), Some(data)) => store.write(data.analysis(), &writes),
                        (Err(_), _) => Err(StoreError::store_poisoned()),
                        (_, None) => Err(StoreError::NoCampaign),
                    };
                    queue.extend(app.saved(id, result));
                }
                Effect::Export(job) => match &self.send {
                    Some(send) => jobs::spawn_export(*job, clone_sender(send)),
                    None => queue.extend(app.on_job(jobs::run_export_job(&job))),
                },
                Effect::ReadLabels(read) => match &self.send {
                    Some(send) => {
                        jobs::spawn_label_read(Arc::clone(&self.store), read, clone_sender(send))
                    }
                    None => queue.extend(app.on_job(jobs::run_label_read(&self.store, &read))),
                },
                Effect::CancelLoad => self.progress.cancel(),
                Effect::Quit => quit = true,
            }
        }
        quit
    }
}

/// Where background jobs deliver their results.
pub type Sender = Arc<dyn Fn(jobs::JobResult) + Send + Sync>;

fn clone_sender(send: &Sender) -> impl Fn(jobs::JobResult) + Send + 'static {
    let send = Arc::clone(send);
    move |r| send(r)
}

/// Runs the review screen until the analyst quits.
pub fn run(options: TuiOptions) -> Result<(), TuiError> {
    // Read once: the hidden test hook that proves a panic restores the terminal.
    let panic_after_draw = std::env::var("WHOCLICKED_TEST_PANIC").is_ok_and(|v| v == "after-draw");
    let mut guard = terminal::TerminalGuard::enter()?;
    let progress = Arc::new(Progress::default());
    let mut app = App::new(options.session, Arc::clone(&progress));
    app.colour = options.colour;

    let events = Events::start();
    let send: Sender = Arc::new(events.job_sender());
    jobs::spawn_load(options.loader, Arc::clone(&progress), clone_sender(&send));
    let executor = Executor {
        store: options.store,
        progress,
        send: Some(send),
    };
    let mut dirty = true;
    let mut last_refresh = std::time::Instant::now();
    loop {
        if dirty {
            draw(&mut guard.terminal, &mut app)?;
            dirty = false;
            if panic_after_draw {
                panic!("WHOCLICKED_TEST_PANIC=after-draw: panicking on purpose");
            }
        }
        let mut event = events.next(TICK);
        let mut quit = false;
        // Handle everything already queued before drawing again, so a burst
        // of keys (or a held key) costs one frame, not one per key.
        loop {
            let is_tick = matches!(event, AppEvent::Tick);
            let effects = match event {
                AppEvent::Key(key) => app.update(keymap::action_for(app.mode, key)),
                AppEvent::Action(action) => app.update(action),
                AppEvent::Paste(text) => app.paste(&text),
                AppEvent::Job(result) => app.on_job(result),
                AppEvent::Tick => {
                    // Only progress and the building indicator move by themselves.
                    if matches!(app.load, app::LoadState::Loading { .. }) || app.is_building() {
                        dirty = true;
                    }
                    if last_refresh.elapsed() >= REFRESH {
                        last_refresh = std::time::Instant::now();
                        app.refresh_labels()
                    } else {
                        Vec::new()
                    }
                }
                AppEvent::InputFailed(err) => return Err(TuiError::Input(err)),
            };
            if !is_tick {
                dirty = true;
            }
            quit |= executor.run(&mut app, effects);
            if quit {
                break;
            }
            match events.try_next() {
                Some(next) => event = next,
                None => break,
            }
        }
        if quit {
            return match app.load_failure() {
                Some(failure) => Err(TuiError::LoadFailed(failure.message.clone())),
                None => Ok(()),
            };
        }
    }
}

/// Draws one frame of `app` on `terminal`, laid out from the terminal's
/// size as it is now, and hands the app what the frame put where.
pub fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> Result<(), B::Error> {
    let mut drawn = frame::FrameState::default();
    terminal.draw(|frame| drawn = ui::draw(app, frame))?;
    app.framed(drawn);
    Ok(())
}

/// Draws `app` as a terminal of `width`×`height` would show it and keeps
/// what the frame put where, as the runtime does after every burst of events.
pub fn draw_offscreen(app: &mut App, width: u16, height: u16) {
    let Ok(mut terminal) = Terminal::new(TestBackend::new(width, height));
    let Ok(()) = draw(&mut terminal, app);
}

/// Sent by a test or bench to the app as if typed.
#[cfg(feature = "testing")]
pub fn press(app: &mut App, executor: &Executor, key: keymap::KeyPress) -> bool {
    act(app, executor, keymap::action_for(app.mode, key))
}

/// Pastes `text` as a terminal with bracketed paste would, runs the
/// effects inline and draws the next frame off screen.
#[cfg(feature = "testing")]
pub fn paste(app: &mut App, executor: &Executor, text: &str) -> bool {
    let effects = app.paste(text);
    let quit = executor.run(app, effects);
    draw_offscreen(app, app.frame.area.width, app.frame.area.height);
    quit
}

/// Applies `action`, runs its effects inline, then draws the next frame off
/// screen like the runtime, so the next action reads the geometry the
/// analyst would have seen: at the size of the last frame, or the new size
/// after a resize. Returns true to quit.
#[cfg(feature = "testing")]
pub fn act(app: &mut App, executor: &Executor, action: action::Action) -> bool {
    let effects = app.update(action);
    let quit = executor.run(app, effects);
    let (width, height) = match action {
        action::Action::Resize { width, height } => (width, height),
        _ => (app.frame.area.width, app.frame.area.height),
    };
    draw_offscreen(app, width, height);
    quit
}
