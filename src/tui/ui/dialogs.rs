//! Modal boxes over the table: the scope chooser and the read-errors list.
//! (The filter and export prompts live in the footer line.)

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::model::ReadIssue;
use crate::model::Verdict;
use crate::text::{count, escape_controls, thousands, wrap_to_width};
use crate::tui::app::{App, LoadFailure, read_problems};
use crate::tui::data::Data;
use crate::tui::frame::OverlayFrame;
use crate::tui::keymap::Mode;
use crate::tui::keymap::worded;

/// A box of at most `width`×`height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub fn scope(app: &App, theme: Theme, frame: &mut Frame) {
    let Some(dialog) = &app.scope else {
        return;
    };
    let verb = match dialog.verdict {
        Some(Verdict::Human) => "Label human",
        Some(Verdict::Scanner) => "Label scanner",
        None => "Clear the label of",
    };
    // The count comes first, so a narrow terminal cuts only the description.
    let mut lines = vec![
        Line::styled(
            worded(
                &format!("{verb}: how many accesses each choice changes"),
                app.row_kind(),
            )
            .into_owned(),
            theme.title(),
        ),
        Line::default(),
    ];
    let count_width = dialog
        .choices
        .iter()
        .map(|c| thousands(c.changes).len())
        .max()
        .unwrap_or(1);
    for (n, choice) in dialog.choices.iter().enumerate() {
        let key = Span::styled(format!(" {} ", n + 1), theme.key());
        match (&choice.scope, &choice.unavailable) {
            (Some(_), _) => lines.push(Line::from(vec![
                key,
                Span::styled(
                    format!(" {:>count_width$} ", thousands(choice.changes)),
                    theme.title(),
                ),
                Span::raw(worded(&choice.label, app.row_kind()).into_owned()),
            ])),
            (None, why) => lines.push(Line::from(vec![
                key,
                Span::styled(
                    format!(
                        " {:>count_width$} {}: not possible, {}",
                        "–",
                        worded(&choice.label, app.row_kind()),
                        why.clone().unwrap_or_default()
                    ),
                    theme.dim(),
                ),
            ])),
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "IP, network and AS are rules: kept in the knowledge base for later campaigns.",
        theme.dim(),
    ));
    lines.push(Line::styled(
        "1–5 (or a i n o r) chooses · Esc cancels",
        theme.dim(),
    ));
    let width = lines
        .iter()
        .map(|l| l.width() as u16 + 4)
        .max()
        .unwrap_or(40)
        .min(frame.area().width);
    let area = centered(frame.area(), width, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" scope ", theme.title())),
        ),
        area,
    );
}

/// What the read-errors panel lists: the loaded campaign's warnings and
/// unreadable rows, or why loading failed and the rows that made it fail.
enum Listing<'a> {
    Loaded(&'a Data),
    Failed(&'a LoadFailure),
    Loading,
}

fn listing(app: &App) -> Listing<'_> {
    match (&app.data, app.load_failure()) {
        (Some(data), _) => Listing::Loaded(data),
        (None, Some(failure)) => Listing::Failed(failure),
        (None, None) => Listing::Loading,
    }
}

/// How many entries the read-errors list has: warnings, then one per row
/// (or the failure, then one per failed row).
fn read_error_count(app: &App) -> usize {
    match listing(app) {
        Listing::Loaded(data) => data.warnings.len() + data.analysis().campaign.issues.len().max(1),
        Listing::Failed(failure) => 1 + failure.rows.len(),
        Listing::Loading => 1,
    }
}

/// `file:line  [field]  reason`.
fn issue_text(file: &str, issue: &ReadIssue) -> String {
    let file = escape_controls(file).into_owned();
    let place = if issue.line == 0 {
        file
    } else {
        format!("{file}:{}", issue.line)
    };
    let field = issue
        .field
        .as_deref()
        .map(|f| format!("  [{}]", escape_controls(f)))
        .unwrap_or_default();
    format!("{place}{field}  {}", escape_controls(&issue.reason))
}

/// Entry `n` of the read-errors list.
fn read_error_text(app: &App, n: usize) -> String {
    let data = match listing(app) {
        Listing::Loaded(data) => data,
        Listing::Failed(failure) => {
            return match n.checked_sub(1).and_then(|k| failure.rows.get(k)) {
                Some(issue) => issue_text(&failure.file, issue),
                None => format!("error: {}", escape_controls(&failure.message)),
            };
        }
        Listing::Loading => return "the campaign is still loading".to_string(),
    };
    let campaign = &data.analysis().campaign;
    let warnings = data.warnings.len();
    if n < warnings {
        return format!("warning: {}", escape_controls(&data.warnings[n]));
    }
    let Some(issue) = campaign.issues.get(n - warnings) else {
        return "every row was read".to_string();
    };
    issue_text(campaign.file_name(issue.file), issue)
}

/// Entry `n` wrapped to `width` columns, its continuation lines indented.
fn read_error_entry(app: &App, n: usize, width: usize) -> Vec<String> {
    let mut lines = wrap_to_width(&read_error_text(app, n), width.saturating_sub(2));
    for line in lines.iter_mut().skip(1) {
        line.insert_str(0, "  ");
    }
    lines
}

/// The last entry the list may start at: the one from which the rest just
/// fills `height` lines. Only the entries at the end are wrapped.
fn read_error_last_start(app: &App, width: usize, height: usize) -> usize {
    let mut used = 0;
    let mut start = read_error_count(app);
    while start > 0 {
        used += read_error_entry(app, start - 1, width).len();
        if used > height {
            break;
        }
        start -= 1;
    }
    start
}

/// The lines of the list from entry `start`, as many as fit in `height`.
/// Only the entries in view are made, so a log with half a million bad rows
/// costs no more per frame than one with three.
fn read_error_lines(app: &App, start: usize, width: usize, height: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::with_capacity(height);
    for n in start..read_error_count(app) {
        if lines.len() >= height {
            break;
        }
        lines.extend(read_error_entry(app, n, width).into_iter().map(Line::raw));
    }
    lines.truncate(height);
    lines
}

/// The read-errors panel's inner size on a `width`×`height` screen.
fn read_errors_inner(width: u16, height: u16) -> (usize, usize) {
    (
        usize::from(width.saturating_sub(6)),
        usize::from(height.saturating_sub(6)),
    )
}

/// Draws the read-errors panel over the frame; says how far it scrolls (in
/// entries) at this size.
pub fn read_errors(app: &App, theme: Theme, frame: &mut Frame) -> OverlayFrame {
    let area = centered(
        frame.area(),
        frame.area().width.saturating_sub(4),
        frame.area().height.saturating_sub(4),
    );
    let title = match listing(app) {
        Listing::Loaded(data) => {
            read_problems(data).unwrap_or_else(|| "nothing went wrong reading".to_string())
        }
        Listing::Failed(failure) => format!(
            "why loading failed: {}",
            count(failure.rows.len(), "row", "rows")
        ),
        Listing::Loading => "the campaign is still loading".to_string(),
    };
    let (inner_w, inner_h) = read_errors_inner(frame.area().width, frame.area().height);
    let last_scroll = read_error_last_start(app, inner_w, inner_h);
    let scroll = app.overlay_scroll.min(last_scroll);
    let lines = read_error_lines(app, scroll, inner_w, inner_h);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" {title} — j/k scroll, Esc closes "),
            theme.title(),
        ))),
        area,
    );
    OverlayFrame {
        mode: Mode::ReadErrors,
        last_scroll,
        page: inner_h,
    }
}

/// Draws the follow-up sheet (`f`) over the frame, wrapped to its width and
/// escaped, for reading out or copying; says how far it scrolls.
pub fn followup(app: &App, theme: Theme, frame: &mut Frame) -> OverlayFrame {
    let area = centered(
        frame.area(),
        frame.area().width.saturating_sub(4),
        frame.area().height.saturating_sub(4),
    );
    let (inner_w, inner_h) = read_errors_inner(frame.area().width, frame.area().height);
    let mut wrapped: Vec<String> = Vec::new();
    for line in &app.followup {
        let line = crate::text::escape_controls(line);
        if line.is_empty() {
            wrapped.push(String::new());
        } else {
            wrapped.extend(crate::text::wrap_to_width(&line, inner_w.max(10)));
        }
    }
    let last_scroll = wrapped.len().saturating_sub(inner_h);
    let scroll = app.overlay_scroll.min(last_scroll);
    let lines: Vec<Line> = wrapped
        .into_iter()
        .skip(scroll)
        .take(inner_h)
        .map(Line::raw)
        .collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Span::styled(
            " follow-up sheet — j/k scroll, Esc closes ",
            theme.title(),
        ))),
        area,
    );
    OverlayFrame {
        mode: Mode::Followup,
        last_scroll,
        page: inner_h,
    }
}
