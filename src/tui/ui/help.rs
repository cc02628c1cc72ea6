//! The help overlay, generated from the keymap: every mode, every key.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::dialogs::centered;
use super::theme::Theme;
use crate::text::{display_width, fit_to_width, wrap_to_width};
use crate::tui::app::App;
use crate::tui::frame::OverlayFrame;
use crate::tui::keymap::{Mode, help};

/// Every line of the help at `width` columns, for drawing and for tests.
pub fn help_lines(theme: Theme, width: u16) -> Vec<Line<'static>> {
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
    lines.push(Line::styled("Verdict column", theme.title()));
    for (tag, meaning) in [
        ("H / S", "the access's own verdict: human / scanner"),
        ("h·ip", "from a rule on the IP"),
        (
            "s·net",
            "from a rule on the network (the longest prefix wins)",
        ),
        ("s·as", "from a rule on the AS"),
        (
            "·",
            "no verdict yet: the suggestion column says where the evidence leans",
        ),
        (
            "scan? human?",
            "no verdict yet, on terminals too narrow for the suggestion column: the suggestion",
        ),
    ] {
        lines.extend(entry(tag, meaning));
    }
    lines.extend(entry(
        "",
        "Precedence: access verdict > IP rule > network rule (longest prefix) > AS rule > suggestion.",
    ));
    lines
}

/// Draws the help over the frame; says how far it scrolls at this size.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame) -> OverlayFrame {
    let area = centered(frame.area(), 100, frame.area().height.saturating_sub(2));
    let lines = help_lines(theme, area.width.saturating_sub(2));
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
