//! How fast the review screen answers at a million accesses: the time from a
//! key press to a drawn frame (update + draw on a 160×48 TestBackend), and
//! how long the background view builds take. Prints figures; asserts nothing.
//!
//! `cargo bench --bench tui_frame` (release). `WHOCLICKED_BENCH_ROWS` sets the
//! campaign size (default 1,000,000).

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use whoclicked::review::{
    AccessField, Common, Direction, Field, Filter, GroupBy, GroupField, SortBy, StatusFilter,
    ViewKind, ViewSpec,
};
use whoclicked::tui::action::Action;
use whoclicked::tui::app::{App, Effect};
use whoclicked::tui::jobs::{ViewJob, run_label_read, run_view_job};
use whoclicked::tui::testing::synthetic_app;

fn stats(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let n = samples.len();
    let mean = samples.iter().sum::<Duration>() / n as u32;
    let p99 = samples[(n * 99 / 100).min(n - 1)];
    println!(
        "{name:<48} mean {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  (n={n})",
        ms(mean),
        ms(p99),
        ms(samples[n - 1])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Update + draw, without running the effects (view builds go to a worker
/// in the real screen; the frame after the key does not wait for them).
fn key_to_frame(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    action: Action,
) -> (Duration, Vec<Effect>) {
    let started = Instant::now();
    let effects = app.update(action);
    whoclicked::tui::draw(terminal, app).expect("draw");
    (started.elapsed(), effects)
}

fn build(app: &App, spec: ViewSpec) -> Duration {
    let data = app.data.as_ref().expect("loaded");
    let job = ViewJob {
        generation: 0,
        snapshot: data.snapshot.clone(),
        spec,
        anchor: None,
    };
    let started = Instant::now();
    let built = run_view_job(&job);
    let took = started.elapsed();
    assert!(built.rows.len() <= 2_000_000);
    took
}

fn main() {
    let n: usize = std::env::var("WHOCLICKED_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let started = Instant::now();
    let (mut app, ex) = synthetic_app(n, 160, 48);
    println!(
        "synthetic campaign of {n} accesses loaded and first view built in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    whoclicked::tui::draw(&mut terminal, &mut app).expect("draw");

    // Plain movement: the common case.
    let mut samples = Vec::new();
    for k in 0..300 {
        let action = if k % 50 == 49 {
            Action::PageDown
        } else {
            Action::Down
        };
        samples.push(key_to_frame(&mut app, &mut terminal, action).0);
    }
    stats("key → frame: j / PgDn (accesses)", samples);
    let mut samples = Vec::new();
    for _ in 0..20 {
        samples.push(key_to_frame(&mut app, &mut terminal, Action::Bottom).0);
        samples.push(key_to_frame(&mut app, &mut terminal, Action::Top).0);
    }
    stats("key → frame: G / g", samples);
    app.update(Action::Open);
    let mut samples = Vec::new();
    for _ in 0..100 {
        samples.push(key_to_frame(&mut app, &mut terminal, Action::Down).0);
    }
    stats("key → frame: j with the detail pane", samples);
    app.update(Action::Open);

    // A key that starts a rebuild: the frame comes at once with the indicator.
    let mut samples = Vec::new();
    for _ in 0..10 {
        let (took, effects) = key_to_frame(&mut app, &mut terminal, Action::SortAscending);
        assert!(effects.iter().any(|e| matches!(e, Effect::BuildView(_))));
        samples.push(took);
    }
    stats("key → frame: [ (sort starts in the background)", samples);

    // The background builds themselves.
    let kinds = [
        ("build: accesses, log order", ViewSpec::default()),
        (
            "build: accesses sorted by time ↓",
            ViewSpec {
                sort: Some(SortBy::Access(
                    Field::Common(Common::Time),
                    Direction::Descending,
                )),
                ..ViewSpec::default()
            },
        ),
        (
            "build: accesses sorted by owner ↑",
            ViewSpec {
                sort: Some(SortBy::Access(
                    Field::Common(Common::OwnerLabel),
                    Direction::Ascending,
                )),
                ..ViewSpec::default()
            },
        ),
        (
            "build: accesses sorted by browser ↑",
            ViewSpec {
                sort: Some(SortBy::Access(
                    Field::Access(AccessField::Browser),
                    Direction::Ascending,
                )),
                ..ViewSpec::default()
            },
        ),
        (
            "build: filter org:microsoft",
            ViewSpec {
                filter: Filter::parse("org:microsoft").expect("filter"),
                ..ViewSpec::default()
            },
        ),
        (
            "build: filter free word 'docomo'",
            ViewSpec {
                filter: Filter::parse("docomo").expect("filter"),
                ..ViewSpec::default()
            },
        ),
        (
            "build: status unlabelled",
            ViewSpec {
                status: StatusFilter::Unlabelled,
                ..ViewSpec::default()
            },
        ),
        (
            "build: grouped by IP",
            ViewSpec {
                kind: ViewKind::Grouped(GroupBy::Ip),
                ..ViewSpec::default()
            },
        ),
        (
            "build: grouped by IP, sorted by accesses ↓",
            ViewSpec {
                kind: ViewKind::Grouped(GroupBy::Ip),
                sort: Some(SortBy::Group(GroupField::Accesses, Direction::Descending)),
                ..ViewSpec::default()
            },
        ),
        (
            "build: grouped by network",
            ViewSpec {
                kind: ViewKind::Grouped(GroupBy::Network),
                ..ViewSpec::default()
            },
        ),
        (
            "build: grouped by AS",
            ViewSpec {
                kind: ViewKind::Grouped(GroupBy::Asn),
                ..ViewSpec::default()
            },
        ),
        (
            "build: grouped by recipient",
            ViewSpec {
                kind: ViewKind::Grouped(GroupBy::Recipient),
                ..ViewSpec::default()
            },
        ),
    ];
    for (name, spec) in kinds {
        let samples = (0..3).map(|_| build(&app, spec.clone())).collect();
        stats(name, samples);
    }

    let data = app.data.as_ref().expect("loaded");
    let samples = (0..5)
        .map(|_| {
            let started = Instant::now();
            let counts = whoclicked::review::Counts::new(&data.ctx());
            assert!(counts.accesses == n);
            started.elapsed()
        })
        .collect();
    stats("header counts (after every label)", samples);

    // Labelling a whole AS: apply, recount, ask for a rebuild; then the frame.
    whoclicked::tui::act(&mut app, &ex, Action::NextView);
    whoclicked::tui::act(&mut app, &ex, Action::NextView);
    whoclicked::tui::act(&mut app, &ex, Action::NextView);
    let mut samples = Vec::new();
    for verdict in [
        Some(whoclicked::model::Verdict::Scanner),
        None,
        Some(whoclicked::model::Verdict::Scanner),
    ] {
        let started = Instant::now();
        let effects = app.update(Action::Label(verdict));
        // The write itself (memory here; fsync with the knowledge base).
        for effect in effects {
            if let Effect::Persist { id, .. } = effect {
                app.saved(id, Ok(()));
            }
        }
        whoclicked::tui::draw(&mut terminal, &mut app).expect("draw");
        samples.push(started.elapsed());
    }
    stats(
        "key → frame: s on the AS8075 group (400k accesses)",
        samples,
    );

    other_process_labels(&mut app, &mut terminal);
}

/// Another whoclicked labels in the same knowledge base: how long the
/// screen's periodic re-read takes to show it (store refresh, then the new
/// verdicts resolved and counted, then a frame).
fn other_process_labels(app: &mut App, terminal: &mut Terminal<TestBackend>) {
    use whoclicked::kb::{Author, KnowledgeBase};
    use whoclicked::review::LabelKey;
    use whoclicked::tui::kb_store::KbStore;
    use whoclicked::tui::store::{LabelStore, LabelWrite};

    let dir = std::env::temp_dir().join(format!("whoclicked-bench-refresh-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let open = |who: &str| {
        KbStore::new(
            KnowledgeBase::open(&dir).expect("knowledge base"),
            Author::new(Some(who), Some("bench")),
        )
    };
    let analysis = std::sync::Arc::clone(&app.data.as_ref().expect("loaded").snapshot.analysis);
    let n = analysis.campaign.accesses.len();
    let screen: std::sync::Mutex<Box<dyn LabelStore>> =
        std::sync::Mutex::new(Box::new(open("screen")));
    let mut other = open("other");
    let writes: Vec<LabelWrite> = (0..2_000)
        .map(|k| LabelWrite {
            key: LabelKey::Access((k * (n / 2_000)) as u32),
            verdict: Some(whoclicked::model::Verdict::Human),
        })
        .collect();
    other.write(&analysis, &writes).expect("write");
    let (mut reread, mut shown) = (Vec::new(), Vec::new());
    for k in 0..5u32 {
        let one = [LabelWrite {
            key: LabelKey::Access(k * 7 + 1),
            verdict: Some(whoclicked::model::Verdict::Scanner),
        }];
        other.write(&analysis, &one).expect("write");
        let Some(Effect::ReadLabels(read)) = app.refresh_labels().pop() else {
            panic!("the screen asks for a re-read");
        };
        // On a worker thread in the screen.
        let started = Instant::now();
        let result = run_label_read(&screen, &read);
        reread.push(started.elapsed());
        // On the UI thread, when the result arrives.
        let started = Instant::now();
        let _ = app.on_job(result);
        whoclicked::tui::draw(terminal, app).expect("draw");
        shown.push(started.elapsed());
    }
    stats(
        "other process labels: store re-read (worker thread)",
        reread,
    );
    stats(
        "other process labels: resolve, count, frame (UI thread)",
        shown,
    );
    let _ = std::fs::remove_dir_all(&dir);
}
