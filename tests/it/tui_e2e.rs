//! The real binary in a real terminal: tmux runs `whoclicked`, the test types
//! with `send-keys` and reads the screen with `capture-pane`, polling with a
//! deadline (never a bare sleep). Each test has its own tmux server socket
//! and session, killed at the end; a failing wait prints the screen.
//!
//! `WHOCLICKED_E2E_TIMEOUT` (seconds, default 20) sets the deadline of each wait.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_whoclicked");

struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    /// A tmux server of its own running an interactive shell at `width`×`height`.
    fn start(width: u16, height: u16) -> Tmux {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmux = Tmux {
            socket: format!("whoclicked-e2e-{}-{n}", std::process::id()),
            session: format!("e2e{n}"),
        };
        let status = Command::new("tmux")
            .args(["-L", &tmux.socket, "-f", "/dev/null"])
            .args(["new-session", "-d", "-s", &tmux.session])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            // A plain shell with a known prompt, no rc files.
            .args(["-e", "PS1=e2e$ ", "-e", "NO_COLOR="])
            .args(["bash", "--norc", "--noprofile"])
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux must be installed (.ci/run installs it)");
        assert!(status.success(), "tmux new-session failed");
        tmux.wait_for("the shell prompt", |s| s.contains("e2e$"));
        tmux
    }

    fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    /// Types `keys` (tmux key names, e.g. `Enter`, `C-r`, `Right`).
    fn keys(&self, keys: &[&str]) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Types `text` literally.
    fn text(&self, text: &str) {
        let status = self
            .tmux()
            .args(["send-keys", "-l", "-t", &self.session, text])
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Runs a shell command line in the pane.
    fn run(&self, line: &str) {
        self.text(line);
        self.keys(&["Enter"]);
    }

    fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn display(&self, format: &str) -> String {
        let out = self
            .tmux()
            .args(["display-message", "-p", "-t", &self.session, format])
            .output()
            .expect("tmux display-message");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Polls the screen until `ok` holds on two captures in a row that are
    /// the same (a capture can catch a frame half drawn: the header new,
    /// the rows old); fails with the screen after the deadline.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let seconds = std::env::var("WHOCLICKED_E2E_TIMEOUT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20);
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut held: Option<String> = None;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                if held.as_deref() == Some(screen.as_str()) {
                    return screen;
                }
                held = Some(screen.clone());
            } else {
                held = None;
            }
            if Instant::now() > deadline {
                panic!("timed out after {seconds} s waiting for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().args(["kill-server"]).status();
    }
}

fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// The lines of the screen's table that contain `needle`.
fn rows_with<'a>(screen: &'a str, needle: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(needle)).collect()
}

#[test]
fn demo_sort_filter_label_undo_redo_and_reopen() {
    let kb = tempfile::tempdir().unwrap();
    let t = Tmux::start(160, 48);
    let command = format!("{BIN} --demo --kb {} --analyst e2e", quote(kb.path()));
    t.run(&command);
    t.wait_for("the demo to load", |s| {
        shows_rate(s) && s.contains("accesses")
    });

    // Sort by owner: the column cursor moves right to it, `[` sorts.
    t.keys(&["Right", "Right", "Right", "["]);
    t.wait_text("sort: owner ↑");
    t.wait_text("owner↑");

    // Filter org:microsoft.
    t.keys(&["/"]);
    t.text("org:microsoft");
    t.keys(&["Enter"]);
    let screen = t.wait_text("filter: org:microsoft");
    assert!(
        rows_with(&screen, "Microsoft Corpor").len() > 10,
        "{screen}"
    );

    // The AS, as scanner, from the first row (a Microsoft address).
    t.keys(&["g", "S"]);
    t.wait_text("this AS AS8075 Microsoft Corporation");
    t.keys(&["4"]);
    let screen = t.wait_text("AS8075 Microsoft Corporation → scanner");
    t.wait_text(", saved");
    assert!(rows_with(&screen, "s·as").len() > 10, "{screen}");

    // One IP as human: the Azure Virtual Desktop user's address.
    t.keys(&["/"]);
    t.text(" ip:20.210.0.0/16");
    t.keys(&["Enter"]);
    t.wait_text("filter: org:microsoft ip:20.210.0.0/16");
    t.keys(&["g", "H"]);
    t.wait_text("this IP 20.210.");
    t.keys(&["2"]);
    let screen = t.wait_for("the IP rule saved", |s| {
        s.contains("→ human") && s.contains(", saved")
    });
    assert!(!rows_with(&screen, "h·ip").is_empty(), "{screen}");

    // Undo, then redo.
    t.keys(&["u"]);
    let screen = t.wait_for("the undo saved", |s| {
        s.contains("took back IP 20.210.") && s.contains(", saved")
    });
    assert!(rows_with(&screen, "h·ip").is_empty(), "{screen}");
    assert!(
        !rows_with(&screen, "s·as").is_empty(),
        "the AS rule is back in charge: {screen}"
    );
    t.keys(&["C-r"]);
    let screen = t.wait_for("the redo saved", |s| {
        s.contains("made again: IP 20.210.") && s.contains(", saved")
    });
    assert!(!rows_with(&screen, "h·ip").is_empty(), "{screen}");

    // Quit, and the shell is back.
    t.keys(&["q"]);
    t.wait_for("the shell after quitting", |s| {
        s.lines().rev().any(|l| l.starts_with("e2e$")) && !shows_rate(s)
    });
    assert_eq!(t.display("#{alternate_on}"), "0");

    // Reopen with the same knowledge base: the labels are back.
    t.run(&format!("clear; {command}"));
    t.wait_for("the demo to load again", shows_rate);
    t.keys(&["/"]);
    t.text("org:microsoft");
    t.keys(&["Enter"]);
    let screen = t.wait_text("filter: org:microsoft");
    assert!(
        rows_with(&screen, "s·as").len() > 10,
        "the AS rule is restored: {screen}"
    );
    t.keys(&["/"]);
    t.text(" ip:20.210.0.0/16");
    t.keys(&["Enter"]);
    let screen = t.wait_text("filter: org:microsoft ip:20.210.0.0/16");
    assert!(
        !rows_with(&screen, "h·ip").is_empty(),
        "the IP rule is restored: {screen}"
    );
    t.keys(&["q"]);
    t.wait_for("the shell", |s| !shows_rate(s));
}

#[test]
fn a_hostile_user_agent_is_shown_escaped_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hostile.csv");
    let hostile = "Mozilla/5.0 \x1b]0;pwned\x07\x1b[2J\x1b[31mEVIL\x1b[0m\u{9b}1;1H";
    std::fs::write(
        &log,
        format!(
            "time,event,recipient,ip,user_agent,screen\n\
             2026-11-10T09:00:03+09:00,click,alice@example.jp,40.94.1.1,Go-http-client/1.1,\n\
             2026-11-10T11:00:00+09:00,click,bob@example.jp,1.72.3.4,\"{hostile}\",390x844\n"
        ),
    )
    .unwrap();
    let t = Tmux::start(160, 48);
    let title_before = t.display("#{pane_title}");
    t.run(&format!(
        "{BIN} {} --kb {}",
        quote(&log),
        quote(&dir.path().join("kb"))
    ));
    t.wait_text("bob@example.jp");
    // The detail pane of the second row shows the raw User-Agent, escaped.
    t.keys(&["j", "Enter"]);
    let screen = t.wait_text("user agent");
    assert!(
        screen.contains("\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mEVIL"),
        "{screen}"
    );
    assert!(screen.contains("\\x9b1;1H"), "{screen}");
    // Nothing was cleared or moved: the header is still on line one.
    assert!(
        screen
            .lines()
            .next()
            .unwrap_or("")
            .starts_with("whoclicked"),
        "{screen}"
    );
    let title_after = t.display("#{pane_title}");
    assert_eq!(
        title_after, title_before,
        "the UA must not retitle the terminal"
    );
    assert_ne!(title_after, "pwned");
    t.keys(&["q"]);
    t.wait_for("the shell", |s| !s.contains("user agent"));
}

#[test]
fn a_panic_leaves_the_terminal_usable() {
    let kb = tempfile::tempdir().unwrap();
    let t = Tmux::start(100, 30);
    t.run(&format!(
        "WHOCLICKED_TEST_PANIC=after-draw {BIN} --demo --kb {}",
        quote(kb.path())
    ));
    let screen = t.wait_text("panicking on purpose");
    // The panic message is on the main screen, after the command line.
    assert!(
        screen.contains("WHOCLICKED_TEST_PANIC=after-draw"),
        "{screen}"
    );
    t.wait_for("the shell prompt after the panic", |s| {
        s.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.starts_with("e2e$"))
    });
    assert_eq!(
        t.display("#{alternate_on}"),
        "0",
        "still on the alternate screen"
    );
    // Cooked mode with echo: what is typed shows, and a command runs.
    t.run("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo done-$((40+2))");
    let screen = t.wait_text("done-42");
    assert!(screen.contains("icanon,echo,"), "{screen}");
    // The mouse is not captured any more: no mouse mode is on.
    assert_eq!(t.display("#{mouse_any_flag}"), "0");
}

#[test]
fn a_log_that_fails_to_load_says_why_on_screen_and_on_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("us100.csv");
    let mut text = String::from("time,ip,recipient\n");
    for i in 0..100 {
        text.push_str(&format!(
            "10/{:02}/2026 09:00:00,40.94.1.{i},u{i}@example.jp\n",
            i % 28 + 1
        ));
    }
    std::fs::write(&log, text).unwrap();
    let t = Tmux::start(120, 30);
    t.run(&format!(
        "WHOCLICKED_NO_DEFAULT_MMDB=1 {BIN} --no-kb {}; echo \"rc=$?\"",
        quote(&log)
    ));
    // A capture can catch a frame half drawn: wait for everything looked for.
    t.wait_for("the reason on screen", |s| {
        s.contains("E lists the 100 rows that failed") && s.contains("month-first (US)")
    });
    t.keys(&["E"]);
    t.wait_for("the failed rows", |s| {
        s.contains("why loading failed") && s.contains("us100.csv:2  [time]")
    });
    // Escape and q sent together can arrive as one Alt-q: wait for the
    // panel to close before quitting.
    t.keys(&["Escape"]);
    t.wait_for("the panel to close", |s| {
        !s.contains("why loading failed") && s.contains("E lists the 100 rows")
    });
    t.keys(&["q"]);
    let screen = t.wait_for("the exit status", |s| {
        s.lines().any(|l| l.starts_with("rc="))
    });
    assert!(screen.lines().any(|l| l == "rc=1"), "{screen}");
    assert!(
        screen.contains("whoclicked: could not load the campaign: ")
            && screen.contains("100 of 100 rows failed"),
        "{screen}"
    );
}

#[test]
fn a_paste_into_the_filter_is_text_and_runs_no_key() {
    let kb = tempfile::tempdir().unwrap();
    let t = Tmux::start(120, 30);
    t.run(&format!(
        "{BIN} --demo --kb {} --analyst e2e",
        quote(kb.path())
    ));
    t.wait_for("the demo to load", |s| {
        shows_rate(s) && s.contains("accesses")
    });
    t.keys(&["/"]);
    t.wait_text("Enter keeps");
    // As a terminal pastes it: bracketed when the program asked for that.
    let status = t
        .tmux()
        .args(["set-buffer", "--", "org:microsoft\nsato"])
        .status()
        .unwrap();
    assert!(status.success());
    let status = t
        .tmux()
        .args(["paste-buffer", "-p", "-t", &t.session])
        .status()
        .unwrap();
    assert!(status.success());
    let screen = t.wait_text("/ org:microsoft sato");
    assert!(!screen.contains("saved"), "a key ran:\n{screen}");
    // Escape and q sent together can arrive as one Alt-q.
    t.keys(&["Escape"]);
    t.wait_for("the prompt to close", |s| !s.contains("Enter keeps"));
    t.keys(&["q"]);
    t.wait_for("the shell", |s| !shows_rate(s));
    let out = Command::new(BIN)
        .args(["kb", "list", "--kb"])
        .arg(kb.path())
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.starts_with("nothing in"),
        "something was labelled:\n{listed}"
    );
}

/// The header's human click rate is on screen (the campaign has loaded),
/// in its wide or its narrow wording.
fn shows_rate(screen: &str) -> bool {
    screen.contains("human click rate ") || screen.contains("human rate ")
}

/// The pid of the program the pane's shell runs in the foreground.
fn foreground_child(t: &Tmux) -> u32 {
    let shell = t.display("#{pane_pid}");
    let children = format!("/proc/{shell}/task/{shell}/children");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(&children).unwrap_or_default();
        if let Some(pid) = text.split_whitespace().next() {
            return pid.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "no child of the shell {shell}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SIGTERM (a `kill`) and SIGHUP (the window closed) end the screen with the
/// terminal given back: main screen, no mouse reports, cooked mode.
#[test]
fn sigterm_and_sighup_give_the_terminal_back() {
    for signal in ["TERM", "HUP"] {
        let kb = tempfile::tempdir().unwrap();
        let t = Tmux::start(100, 30);
        t.run(&format!(
            "{BIN} --demo --kb {}; echo \"rc=$?\"",
            quote(kb.path())
        ));
        t.wait_for("the demo to load", |s| {
            shows_rate(s) && s.contains("accesses")
        });
        assert_eq!(t.display("#{alternate_on}"), "1");
        assert_eq!(t.display("#{mouse_any_flag}"), "1");
        let pid = foreground_child(&t);
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let screen = t.wait_for("the exit status", |s| {
            s.lines().any(|l| l.starts_with("rc="))
        });
        let number = if signal == "TERM" { 15 } else { 1 };
        assert!(
            screen.lines().any(|l| l == format!("rc={}", 128 + number)),
            "{signal}: {screen}"
        );
        assert_eq!(t.display("#{alternate_on}"), "0", "{signal}");
        assert_eq!(t.display("#{mouse_any_flag}"), "0", "{signal}");
        t.run(
            "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo done-$((40+2))",
        );
        let screen = t.wait_text("done-42");
        assert!(screen.contains("icanon,echo,"), "{signal}: {screen}");
    }
}

/// The reported crash (issue 16): resizing between 300×24 and 80×100 while
/// moving panicked within seconds (`index outside of buffer`). The screen
/// must still be there, answering keys, at the size the terminal has.
#[test]
fn resizing_while_moving_never_panics() {
    let kb = tempfile::tempdir().unwrap();
    let t = Tmux::start(300, 24);
    t.run(&format!(
        "{BIN} --demo --kb {}; echo \"rc=$?\"",
        quote(kb.path())
    ));
    t.wait_for("the demo to load", |s| {
        shows_rate(s) && s.contains("accesses")
    });
    let moves: [&[&str]; 6] = [
        &["j", "j", "PageDown"],
        &["G"],
        &["Right", "Right"],
        &["Enter"],
        &["Escape", "k", "PageUp"],
        &["g", "Left"],
    ];
    for round in 0..60 {
        let (width, height) = if round % 2 == 0 { (80, 100) } else { (300, 24) };
        let status = t
            .tmux()
            .args(["resize-window", "-t", &t.session])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        t.keys(moves[round % moves.len()]);
    }
    t.keys(&["Escape", "g"]);
    let screen = t.wait_for("the screen at 300×24", |s| {
        s.lines().count() == 24 && shows_rate(s)
    });
    assert!(!screen.contains("panicked"), "{screen}");
    t.keys(&["q"]);
    let screen = t.wait_for("the exit status", |s| {
        s.lines().any(|l| l.starts_with("rc="))
    });
    assert!(screen.lines().any(|l| l == "rc=0"), "{screen}");
}

/// Two mails open the review screen with one row per hop, the message each
/// belongs to, and the raw Received line in the detail pane.
#[test]
fn two_mails_open_the_screen_with_one_row_per_hop() {
    let mail = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail");
    let t = Tmux::start(160, 40);
    t.run(&format!(
        "{BIN} --no-kb {} {}; echo \"rc=$?\"",
        quote(&mail.join("exim.eml")),
        quote(&mail.join("postfix.eml"))
    ));
    let screen = t.wait_text("loaded 4 hops of 2 mails");
    assert_eq!(rows_with(&screen, "#1 hello").len(), 2, "{screen}");
    assert_eq!(rows_with(&screen, "#2 wire").len(), 2, "{screen}");
    // The hop view's own columns, and none of a click's.
    let heading = screen
        .lines()
        .find(|l| l.contains("mail") && l.contains(" ip "))
        .unwrap_or_else(|| panic!("no column heading: {screen}"));
    for title in ["hop", "place", "class", "delay", "with"] {
        assert!(heading.contains(title), "{title}: {heading}");
    }
    for click in ["browser", "screen", "after", "suggest"] {
        assert!(!heading.contains(click), "{click}: {heading}");
    }
    assert!(screen.contains("2 mails · 4 hops"), "{screen}");
    assert!(!screen.contains("click rate"), "{screen}");
    // Each hop's place in its row: the origin of each mail.
    let origins = rows_with(&screen, " origin ");
    assert_eq!(
        origins.iter().filter(|l| l.contains('#')).count(),
        2,
        "{screen}"
    );
    t.keys(&["Enter"]);
    let screen = t.wait_text("received");
    assert!(screen.contains("from "), "{screen}");
    assert!(screen.contains("place below-trust"), "{screen}");
    // Escape and q sent together can arrive as one Alt-q: wait for the
    // detail pane to close before quitting.
    t.keys(&["Escape"]);
    t.wait_for("the detail pane to close", |s| {
        !s.contains("place below-trust")
    });
    t.keys(&["q"]);
    let screen = t.wait_for("the exit status", |s| {
        s.lines().any(|l| l.starts_with("rc="))
    });
    assert!(screen.lines().any(|l| l == "rc=0"), "{screen}");
}

/// Sign-in and audit logs open the review screen with one row per event,
/// their own columns and counts, and a filter on the events' own fields.
#[test]
fn sign_in_logs_open_the_screen_with_one_row_per_event() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/signins");
    let t = Tmux::start(200, 30);
    t.run(&format!(
        "{BIN} --no-kb --tz +09:00 --mmdb {} {} {}; echo \"rc=$?\"",
        quote(&demo.join("signins-asn.mmdb")),
        quote(&demo.join("InteractiveSignIns_2025-03-03_2025-03-10.csv")),
        quote(&demo.join("AuditLog_2025-03-10_093000.csv"))
    ));
    let screen = t.wait_text("3 accounts · 144 events");
    let heading = screen
        .lines()
        .find(|l| l.contains("account") && l.contains(" ip "))
        .unwrap_or_else(|| panic!("no column heading: {screen}"));
    for title in ["operation", "result", "judged", "why"] {
        assert!(heading.contains(title), "{title}: {heading}");
    }
    assert!(!screen.contains("click rate"), "{screen}");
    t.keys(&["/"]);
    t.text("op:new-inboxrule");
    t.keys(&["Enter"]);
    let screen = t.wait_for("the filtered rows", |s| rows_with(s, "expected").is_empty());
    let rules = rows_with(&screen, "New-InboxRule");
    assert_eq!(rules.len(), 1, "{screen}");
    assert!(rules[0].contains("suspicious"), "{screen}");
    t.keys(&["q"]);
    let screen = t.wait_for("the exit status", |s| {
        s.lines().any(|l| l.starts_with("rc="))
    });
    assert!(screen.lines().any(|l| l == "rc=0"), "{screen}");
}
