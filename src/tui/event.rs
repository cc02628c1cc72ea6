//! Events for the main loop: terminal input (keys, mouse, resize) read on a
//! thread of its own, background job results, and a tick when nothing
//! happens so progress keeps moving on screen.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::Duration;

use ratatui::crossterm::event::{
    self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

use super::action::Action;
use super::jobs::JobResult;
use super::keymap::KeyPress;

/// Rows the mouse wheel moves per notch.
pub const WHEEL_ROWS: u16 = 3;

#[derive(Debug)]
pub enum AppEvent {
    Key(KeyPress),
    /// Text pasted into the terminal (bracketed paste): text, never keys.
    Paste(String),
    /// Mouse and resize events become actions directly.
    Action(Action),
    Job(JobResult),
    Tick,
    /// The input thread could not read the terminal.
    InputFailed(String),
}

pub struct Events {
    rx: Receiver<AppEvent>,
    tx: Sender<AppEvent>,
    stop: Arc<AtomicBool>,
}

impl Events {
    /// Starts the input thread.
    pub fn start() -> Self {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let input_tx = tx.clone();
        let input_stop = Arc::clone(&stop);
        thread::spawn(move || {
            while !input_stop.load(Ordering::Relaxed) {
                // Polling with a timeout lets the thread notice `stop`.
                match event::poll(Duration::from_millis(50)) {
                    Ok(false) => continue,
                    Ok(true) => {}
                    Err(err) => {
                        let _ = input_tx.send(AppEvent::InputFailed(err.to_string()));
                        return;
                    }
                }
                let ev = match event::read() {
                    Ok(ev) => ev,
                    Err(err) => {
                        let _ = input_tx.send(AppEvent::InputFailed(err.to_string()));
                        return;
                    }
                };
                for app_event in translate(ev) {
                    if input_tx.send(app_event).is_err() {
                        return;
                    }
                }
            }
        });
        Events { rx, tx, stop }
    }

    /// A sender for job results.
    pub fn job_sender(&self) -> impl Fn(JobResult) + Send + Clone + 'static {
        let tx = self.tx.clone();
        move |result| {
            let _ = tx.send(AppEvent::Job(result));
        }
    }

    /// The next event, or `Tick` after `tick` of quiet.
    pub fn next(&self, tick: Duration) -> AppEvent {
        match self.rx.recv_timeout(tick) {
            Ok(ev) => ev,
            Err(RecvTimeoutError::Timeout) => AppEvent::Tick,
            // Cannot happen while `self.tx` lives; treat it as quiet.
            Err(RecvTimeoutError::Disconnected) => AppEvent::Tick,
        }
    }

    /// Events already waiting, without blocking.
    pub fn try_next(&self) -> Option<AppEvent> {
        self.rx.try_recv().ok()
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A terminal event as the app sees it; `None` for what it ignores.
pub fn translate(ev: Event) -> Vec<AppEvent> {
    match ev {
        // An Alt key is how a terminal reports Esc typed just before that
        // key (they arrive as one sequence); nothing is bound to Alt, so it
        // is taken for what the analyst typed: Esc, then the key.
        Event::Key(key) if key.modifiers.contains(KeyModifiers::ALT) => {
            let mut plain = key;
            plain.modifiers.remove(KeyModifiers::ALT);
            match translate_key(plain) {
                Some(k) => vec![AppEvent::Key(KeyPress::Esc), AppEvent::Key(k)],
                None => Vec::new(),
            }
        }
        Event::Key(key) => translate_key(key).map(AppEvent::Key).into_iter().collect(),
        Event::Mouse(mouse) => translate_mouse(mouse)
            .map(AppEvent::Action)
            .into_iter()
            .collect(),
        Event::Resize(width, height) => vec![AppEvent::Action(Action::Resize { width, height })],
        Event::Paste(text) => vec![AppEvent::Paste(text)],
        _ => Vec::new(),
    }
}

pub fn translate_key(key: KeyEvent) -> Option<KeyPress> {
    // Release events (Windows, kitty protocol) would act twice.
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char(c) if ctrl => KeyPress::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => KeyPress::Char(c),
        KeyCode::Up => KeyPress::Up,
        KeyCode::Down => KeyPress::Down,
        KeyCode::Left => KeyPress::Left,
        KeyCode::Right => KeyPress::Right,
        KeyCode::Home => KeyPress::Home,
        KeyCode::End => KeyPress::End,
        KeyCode::PageUp => KeyPress::PageUp,
        KeyCode::PageDown => KeyPress::PageDown,
        KeyCode::Enter => KeyPress::Enter,
        KeyCode::Esc => KeyPress::Esc,
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => KeyPress::BackTab,
        KeyCode::Tab => KeyPress::Tab,
        KeyCode::BackTab => KeyPress::BackTab,
        KeyCode::Backspace => KeyPress::Backspace,
        KeyCode::Delete => KeyPress::Delete,
        KeyCode::F(n) => KeyPress::F(n),
        _ => return None,
    })
}

fn translate_mouse(mouse: MouseEvent) -> Option<Action> {
    match mouse.kind {
        MouseEventKind::ScrollDown => Some(Action::ScrollDown(WHEEL_ROWS)),
        MouseEventKind::ScrollUp => Some(Action::ScrollUp(WHEEL_ROWS)),
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
            x: mouse.column,
            y: mouse.row,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_translate() {
        let k = |code, modifiers| translate_key(KeyEvent::new(code, modifiers));
        assert_eq!(
            k(KeyCode::Char('j'), KeyModifiers::NONE),
            Some(KeyPress::Char('j'))
        );
        assert_eq!(
            k(KeyCode::Char('H'), KeyModifiers::SHIFT),
            Some(KeyPress::Char('H'))
        );
        assert_eq!(
            k(KeyCode::Char('r'), KeyModifiers::CONTROL),
            Some(KeyPress::Ctrl('r'))
        );
        assert_eq!(k(KeyCode::F(1), KeyModifiers::NONE), Some(KeyPress::F(1)));
        let alt_tab = translate(Event::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::ALT)));
        assert!(matches!(
            alt_tab.as_slice(),
            [AppEvent::Key(KeyPress::Esc), AppEvent::Key(KeyPress::Tab)]
        ));
        let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(translate_key(release), None);
    }
}
