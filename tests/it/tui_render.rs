//! What the review screen draws, on ratatui's TestBackend: text snapshots at
//! 80×24 and 160×48, and assertions on the styles snapshots cannot show
//! (verdict colours, their non-colour cues, NO_COLOR).

use crate::support::screen::render;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use whoclicked::tui::app::App;
use whoclicked::tui::keymap::KeyPress;
use whoclicked::tui::testing::traps_app;
use whoclicked::tui::{Executor, press};

fn keys(app: &mut App, ex: &Executor, keys: &[KeyPress]) {
    for &k in keys {
        press(app, ex, k);
    }
}

fn typed(app: &mut App, ex: &Executor, text: &str) {
    for c in text.chars() {
        press(app, ex, KeyPress::Char(c));
    }
}

fn line(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

/// The x of `title` in the table's header row, and that row's y.
fn column_x(buf: &Buffer, title: &str) -> (u16, u16) {
    for y in 0..buf.area.height {
        let text = line(buf, y);
        if text.trim_start().starts_with("time") {
            let byte = text.find(title).expect("column shown");
            return (text[..byte].chars().count() as u16, y);
        }
    }
    panic!("no table header");
}

/// Labels: AS8075 scanner, the Azure user's IP human, alice's phone click human.
fn labelled(width: u16, height: u16) -> (App, Executor) {
    let (mut app, ex, _) = traps_app(width, height);
    keys(&mut app, &ex, &[KeyPress::Char('S'), KeyPress::Char('4')]);
    keys(
        &mut app,
        &ex,
        &[
            KeyPress::Char('j'),
            KeyPress::Char('j'),
            KeyPress::Char('j'),
            KeyPress::Char('j'),
        ],
    );
    keys(
        &mut app,
        &ex,
        &[
            KeyPress::Char('H'),
            KeyPress::Char('2'),
            KeyPress::Char('j'),
            KeyPress::Char('h'),
        ],
    );
    (app, ex)
}

#[test]
fn accesses_at_both_sizes() {
    for (w, h) in [(80, 24), (160, 48)] {
        let (app, _) = labelled(w, h);
        insta::assert_snapshot!(format!("accesses_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn review_queue_at_both_sizes() {
    for (w, h) in [(80, 24), (160, 48)] {
        let (mut app, ex, _) = traps_app(w, h);
        keys(&mut app, &ex, &[KeyPress::Char('r')]);
        insta::assert_snapshot!(format!("queue_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn detail_pane_with_a_hostile_user_agent() {
    for (w, h) in [(80, 24), (160, 48)] {
        let (mut app, ex) = labelled(w, h);
        keys(&mut app, &ex, &[KeyPress::Char('G'), KeyPress::Enter]);
        let terminal = render(&app);
        let screen = terminal.backend().to_string();
        assert!(screen.contains("\\x1b]0;pwned\\x07"), "{screen}");
        assert!(!screen.contains('\x1b') && !screen.contains('\x07'));
        insta::assert_snapshot!(format!("detail_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn group_view_after_labelling() {
    for (w, h) in [(80, 24), (160, 48)] {
        let (mut app, ex) = labelled(w, h);
        keys(
            &mut app,
            &ex,
            &[KeyPress::Tab, KeyPress::Tab, KeyPress::Tab],
        );
        insta::assert_snapshot!(format!("by_asn_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn dialogs_and_prompts() {
    let (mut app, ex, _) = traps_app(80, 24);
    press(&mut app, &ex, KeyPress::Char('S'));
    insta::assert_snapshot!("scope_80x24", render(&app).backend());
    press(&mut app, &ex, KeyPress::Esc);
    press(&mut app, &ex, KeyPress::Char('/'));
    typed(&mut app, &ex, "org:micro dt:<x");
    insta::assert_snapshot!("filter_error_80x24", render(&app).backend());
    press(&mut app, &ex, KeyPress::Esc);
    press(&mut app, &ex, KeyPress::Char('E'));
    insta::assert_snapshot!("read_errors_80x24", render(&app).backend());
    press(&mut app, &ex, KeyPress::Esc);
    press(&mut app, &ex, KeyPress::Char('?'));
    insta::assert_snapshot!("help_80x24", render(&app).backend());
    let (mut app, ex, _) = traps_app(160, 48);
    press(&mut app, &ex, KeyPress::F(1));
    insta::assert_snapshot!("help_160x48", render(&app).backend());
}

#[test]
fn verdicts_have_a_colour_and_a_letter() {
    let (mut app, ex) = labelled(160, 48);
    // Move the cursor off the rows checked, so no reversed highlight mixes in.
    press(&mut app, &ex, KeyPress::Char('G'));
    let terminal = render(&app);
    let buf = terminal.backend().buffer();
    let (x, header_y) = column_x(buf, "verdict");
    let cell = |row: u16| {
        let y = header_y + 1 + row;
        let text: String = (x..x + 5)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        (text.trim_end().to_string(), buf[(x, y)].style())
    };
    // Rows in log order: 0–3 Safe Links (AS rule), 4 Azure (IP rule), 5 alice's phone (own verdict).
    let (text, style) = cell(0);
    assert_eq!(text, "s·as");
    assert_eq!(style.fg, Some(Color::Red));
    assert!(
        !style.add_modifier.contains(Modifier::BOLD),
        "a rule is not bold"
    );
    let (text, style) = cell(4);
    assert_eq!(text, "h·ip");
    assert_eq!(style.fg, Some(Color::Green));
    let (text, style) = cell(5);
    assert_eq!(text, "H");
    assert_eq!(style.fg, Some(Color::Green));
    assert!(
        style.add_modifier.contains(Modifier::BOLD),
        "an access's own verdict is bold"
    );
    let (text, _) = cell(6);
    assert_eq!(text, "·", "no verdict yet");
    // The selected row is reversed, whatever its colours.
    let selected_y = header_y + 1 + 8;
    assert!(
        buf[(x, selected_y)]
            .style()
            .add_modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn no_color_keeps_the_cues_and_drops_the_colours() {
    let (mut app, ex) = labelled(160, 48);
    app.colour = false;
    press(&mut app, &ex, KeyPress::Char('G'));
    let terminal = render(&app);
    let buf = terminal.backend().buffer();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let style = buf[(x, y)].style();
            assert!(
                matches!(style.fg, None | Some(Color::Reset))
                    && matches!(style.bg, None | Some(Color::Reset)),
                "colour at {x},{y}: {style:?}"
            );
        }
    }
    let (x, header_y) = column_x(buf, "verdict");
    let own = buf[(x, header_y + 1 + 5)].style();
    assert!(own.add_modifier.contains(Modifier::BOLD));
    assert_eq!(buf[(x, header_y + 1 + 5)].symbol(), "H");
}

#[test]
fn every_size_draws_without_panicking() {
    let (mut app, ex) = labelled(160, 48);
    let sizes = [
        (1, 1),
        (2, 3),
        (10, 4),
        (20, 6),
        (40, 10),
        (60, 15),
        (79, 23),
        (81, 25),
        (119, 30),
        (200, 60),
    ];
    let overlays: [&[KeyPress]; 5] = [
        &[],
        &[KeyPress::Enter],
        &[KeyPress::Char('S')],
        &[KeyPress::Char('?')],
        &[KeyPress::Char('E')],
    ];
    for keys_first in overlays {
        for &(w, h) in &sizes {
            whoclicked::tui::act(
                &mut app,
                &ex,
                whoclicked::tui::action::Action::Resize {
                    width: w,
                    height: h,
                },
            );
            keys(&mut app, &ex, keys_first);
            render(&app);
            keys(&mut app, &ex, &[KeyPress::Esc]);
            // Esc in the table may clear the detail toggle's partner state; reset it.
            app.detail = false;
        }
    }
    for _ in 0..5 {
        for &(w, h) in &sizes {
            whoclicked::tui::act(
                &mut app,
                &ex,
                whoclicked::tui::action::Action::Resize {
                    width: w,
                    height: h,
                },
            );
            render(&app);
        }
        press(&mut app, &ex, KeyPress::Tab);
    }
}

/// The traps campaign at 80×24 with the read-errors panel open, after
/// `change` added read problems to it.
fn read_errors_open(
    change: impl FnOnce(&mut whoclicked::tui::data::Loaded),
) -> (whoclicked::tui::app::App, whoclicked::tui::Executor) {
    let mut loaded = whoclicked::tui::testing::traps();
    change(&mut loaded);
    let (mut app, ex) = whoclicked::tui::testing::app_with(
        loaded,
        Box::new(whoclicked::tui::store::MemoryStore::new()),
        80,
        24,
    );
    press(&mut app, &ex, KeyPress::Char('E'));
    (app, ex)
}

/// A row skipped at `line` for `reason`.
fn skipped(
    loaded: &mut whoclicked::tui::data::Loaded,
    line: u64,
    field: Option<&str>,
    reason: String,
) {
    let analysis = std::sync::Arc::get_mut(&mut loaded.analysis).expect("not shared yet");
    analysis
        .campaign_mut()
        .push_issue(whoclicked::model::ReadIssue {
            file: 0,
            line,
            field: field.map(str::to_string),
            reason,
        });
}

#[test]
fn a_long_read_error_list_scrolls_to_its_end_and_no_further() {
    let (mut app, ex) = read_errors_open(|loaded| {
        for line in 0..100_000u64 {
            skipped(loaded, line + 100, None, format!("bad row {line}"));
        }
    });
    press(&mut app, &ex, KeyPress::PageDown);
    assert!(render(&app).backend().to_string().contains("bad row 18"));
    press(&mut app, &ex, KeyPress::Char('G'));
    let screen = render(&app).backend().to_string();
    assert!(screen.contains("bad row 99999"), "{screen}");
    assert!(screen.contains("100,001 rows skipped"), "{screen}");
    // One step up is one line up, however often PgDn was pressed.
    press(&mut app, &ex, KeyPress::Char('k'));
    let screen = render(&app).backend().to_string();
    assert!(
        !screen.contains("bad row 99999") && screen.contains("bad row 99998"),
        "{screen}"
    );
}

#[test]
fn skipped_rows_and_warnings_are_counted_apart() {
    let (app, _ex) = read_errors_open(|loaded| {
        // A row kept with its screen left blank, and a database that could not be read.
        let analysis = std::sync::Arc::get_mut(&mut loaded.analysis).expect("not shared yet");
        analysis
            .campaign_mut()
            .issues
            .push(whoclicked::model::ReadIssue {
                file: 0,
                line: 14,
                field: Some("screen".to_string()),
                reason: "\"axb\" is not a plausible screen size (expected WIDTHxHEIGHT, e.g. \
                     1920x1080); left blank"
                    .to_string(),
            });
        loaded
            .warnings
            .push("broken.mmdb could not be read".to_string());
    });
    let screen = render(&app).backend().to_string();
    assert!(screen.contains(" 1 row skipped, 2 warnings "), "{screen}");
    assert!(screen.contains("broken.mmdb could not be read"), "{screen}");
    // A reason longer than the panel wraps instead of being cut.
    assert!(
        screen.contains("│  WIDTHxHEIGHT, e.g. 1920x1080); left blank"),
        "{screen}"
    );
}

#[test]
fn the_end_of_a_list_of_long_reasons_is_reachable_whole() {
    let (mut app, ex) = read_errors_open(|loaded| {
        for line in 0..40u64 {
            let reason = format!(
                "row {line}: a reason long enough to wrap over two lines of the panel at \
                 eighty columns, ending here {line}"
            );
            skipped(loaded, line + 100, Some("time"), reason);
        }
    });
    press(&mut app, &ex, KeyPress::Char('G'));
    let screen = render(&app).backend().to_string();
    assert!(screen.contains("ending here 39"), "{screen}");
    // One step up shows the entry before the first one on screen.
    let first_shown = (0..40)
        .find(|n| screen.contains(&format!("row {n}:")))
        .expect("some entry on screen");
    press(&mut app, &ex, KeyPress::Char('k'));
    let screen = render(&app).backend().to_string();
    assert!(
        screen.contains(&format!("row {}:", first_shown - 1)),
        "{screen}"
    );
}

/// The detail pane words a verdict's source like the report and the export
/// (`kb::describe_source`), with the time of day it has room for.
#[test]
fn detail_pane_names_the_verdict_source_in_the_one_wording() {
    let (mut app, ex) = labelled(160, 48);
    let screen = |app: &App| {
        let terminal = render(app);
        let buf = terminal.backend().buffer();
        (0..buf.area.height)
            .map(|y| line(buf, y))
            .collect::<Vec<_>>()
            .join("\n")
    };
    app.detail = true;
    press(&mut app, &ex, KeyPress::Char('g'));
    let text = screen(&app);
    assert!(text.contains("from rule asn:8075 ("), "{text}");
    keys(&mut app, &ex, &[KeyPress::Char('j'); 5]);
    let text = screen(&app);
    assert!(text.contains("from access ("), "{text}");
}

/// The confidence of each suggestion is a column of the table and is named
/// in the detail pane: how sure a decided suggestion is, and for an unsure
/// one the side it leans to.
#[test]
fn the_table_and_the_detail_pane_show_how_sure_each_suggestion_is() {
    use std::sync::Arc;
    use whoclicked::analysis::Analysis;
    use whoclicked::signals::{Signatures, Suggestions};
    use whoclicked::tui::data::Loaded;

    // The traps, with suggestions weighed rather than stated.
    let stated = whoclicked::tui::testing::traps();
    let databases = stated.databases.clone();
    let enriched = Arc::try_unwrap(stated.analysis)
        .unwrap_or_else(|_| panic!("the only owner"))
        .into_enriched();
    let sigs = Arc::new(Signatures::builtin().unwrap());
    let suggestions = Suggestions::compute(&enriched, sigs);
    let weighed = Analysis::from_parts(enriched, suggestions, Default::default());
    let mut loaded = Loaded::new(Arc::new(weighed));
    loaded.databases = databases;
    let (mut app, ex) = whoclicked::tui::testing::app_with(
        loaded,
        Box::new(whoclicked::tui::store::MemoryStore::new()),
        160,
        48,
    );
    let terminal = render(&app);
    let buf = terminal.backend().buffer();
    let (x, header) = column_x(buf, "conf");
    let cell = |y: u16| -> String {
        (x..x + 4)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect()
    };
    // The first row: Go-http-client seconds after delivery.
    assert_eq!(cell(header + 1), "99% ", "{}", line(buf, header + 1));
    for y in header + 1..header + 10 {
        let text = cell(y);
        let sure: u32 = text.trim().trim_end_matches('%').parse().unwrap();
        assert!((50..=99).contains(&sure), "{}", line(buf, y));
    }

    app.detail = true;
    let text = |app: &App| render(app).backend().to_string();
    let screen = text(&app);
    assert!(screen.contains("suggestion scanner (99% sure)"), "{screen}");
    // The Chrome at 198.51.100.7 no database knows: unsure, and the side
    // it leans to is named with how likely it is.
    keys(&mut app, &ex, &[KeyPress::Char('j'); 7]);
    let screen = text(&app);
    let detail = screen
        .lines()
        .find(|l| l.contains("suggestion unsure"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(detail.contains("(leans "), "{detail}");
    assert!(detail.contains("%)"), "{detail}");
}
