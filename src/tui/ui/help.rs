//! The help overlay, generated from the keymap: every mode, every key.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::dialogs::centered;
use super::theme::Theme;
use crate::model::RowKind;
use crate::review::{Common, Field, ViewKind};
use crate::text::{display_width, fit_to_width, wrap_to_width};
use crate::tui::app::App;
use crate::tui::columns::{Col, columns};
use crate::tui::frame::OverlayFrame;
use crate::tui::keymap::{Mode, help};

/// Every line of the help at `width` columns for rows of kind `rows`, for
/// drawing and for tests: the keymap, then the table's columns with the
/// filter names of each (from the catalogue, so only the fields these rows
/// have), then what the verdict column says.
pub fn help_lines(theme: Theme, width: u16, rows: RowKind) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let key_width = Mode::ALL
        .iter()
        .flat_map(|&m| help(m))
        .map(|(keys, _)| display_width(&keys))
        .max()
        .unwrap_or(8)
        .min(18);
    // Two spaces before the keys, two after.
    let text_width = usize::from(width).saturating_sub(key_width + 4).max(20);
    let entry = |keys: &str, sentence: &str| -> Vec<Line<'static>> {
        wrap_to_width(sentence, text_width)
            .into_iter()
            .enumerate()
            .map(|(n, part)| {
                let key = if n == 0 { keys } else { "" };
                Line::from(vec![
                    Span::styled(format!("  {}", fit_to_width(key, key_width)), theme.key()),
                    Span::raw(format!("  {part}")),
                ])
            })
            .collect()
    };
    for mode in Mode::ALL {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(mode.title(), theme.title()));
        for (keys, sentence) in help(mode) {
            lines.extend(entry(&keys, sentence));
        }
        if mode.takes_text() {
            lines.extend(entry("text", "anything else you type goes into the prompt"));
        }
    }
    lines.push(Line::default());
    let (_, many) = rows.nouns();
    lines.push(Line::styled(
        format!("Columns of the {many} (field:value filters by them)"),
        theme.title(),
    ));
    let shown: Vec<Field> = columns(rows, ViewKind::Accesses)
        .iter()
        .filter_map(|c| match c {
            Col::Access(f) => Some(*f),
            _ => None,
        })
        .collect();
    let filters = |f: Field| -> String {
        match f.filter_names() {
            [] => "(not a filter field)".to_string(),
            names => names
                .iter()
                .map(|n| format!("{n}:"))
                .collect::<Vec<_>>()
                .join(" "),
        }
    };
    for &f in &shown {
        lines.extend(entry(f.title(), &filters(f)));
    }
    let more: Vec<String> = Field::of_kind(rows)
        .filter(|f| !shown.contains(f))
        .filter_map(|f| f.filter_names().first().map(|n| format!("{n}:")))
        .collect();
    if !more.is_empty() {
        lines.extend(entry("also", &more.join(" ")));
    }
    lines.push(Line::default());
    lines.push(Line::styled("Verdict column", theme.title()));
    let suggests = Field::Common(Common::Suggestion).applies_to(rows);
    let unlabelled = if suggests {
        "no verdict yet: the suggestion column says where the evidence leans"
    } else {
        "no verdict yet"
    };
    for (tag, meaning) in [
        ("H / S", "the access's own verdict: human / scanner"),
        ("h·ip", "from a rule on the IP"),
        (
            "s·net",
            "from a rule on the network (the longest prefix wins)",
        ),
        ("s·as", "from a rule on the AS"),
        ("·", unlabelled),
        (
            "scan? human?",
            "no verdict yet, on terminals too narrow for the suggestion column: the suggestion",
        ),
    ] {
        if tag == "scan? human?" && !suggests {
            continue;
        }
        lines.extend(entry(tag, meaning));
    }
    lines.extend(entry(
        "",
        if suggests {
            "Precedence: access verdict > IP rule > network rule (longest prefix) > AS rule > suggestion."
        } else {
            "Precedence: the row's own verdict > IP rule > network rule (longest prefix) > AS rule."
        },
    ));
    lines
}

/// Draws the help over the frame; says how far it scrolls at this size.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame) -> OverlayFrame {
    let area = centered(frame.area(), 100, frame.area().height.saturating_sub(2));
    let lines = help_lines(theme, area.width.saturating_sub(2), app.row_kind());
    let inner_h = usize::from(area.height.saturating_sub(2));
    let max_scroll = lines.len().saturating_sub(inner_h);
    let scroll = app.overlay_scroll.min(max_scroll);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        " help — j/k scroll, Esc closes ",
        theme.title(),
    ));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0)),
        area,
    );
    OverlayFrame {
        mode: Mode::Help,
        last_scroll: max_scroll,
        page: inner_h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: RowKind) -> String {
        help_lines(Theme { colour: false }, 100, rows)
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The columns part of the help names the filters of the rows on
    /// screen: a hop's for mails, a click's for a campaign, never the other's.
    #[test]
    fn the_help_names_the_columns_and_filters_of_the_rows_shown() {
        let hops = text(RowKind::Hop);
        for want in [
            "Columns of the hops",
            "place:",
            "delay:",
            "hop:",
            "by:",
            "class:",
            "flag:",
        ] {
            assert!(hops.contains(want), "{want}: {hops}");
        }
        for click in [
            "dt:",
            "screen:",
            "suggest:",
            "cat:",
            "the suggestion column",
        ] {
            assert!(!hops.contains(click), "{click}: {hops}");
        }
        let accesses = text(RowKind::Access);
        for want in ["Columns of the accesses", "dt:", "screen:", "suggest:"] {
            assert!(accesses.contains(want), "{want}: {accesses}");
        }
        assert!(!accesses.contains("place:"), "{accesses}");
    }
}
