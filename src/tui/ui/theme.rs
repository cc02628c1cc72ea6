//! Styles. Colours are the terminal's own named colours on the default
//! background, so dark and light themes both read well; every colour has a
//! modifier or a letter beside it, and under `NO_COLOR` only those remain.

use ratatui::style::{Color, Modifier, Style};

use crate::model::{Leaning, Verdict};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub colour: bool,
}

impl Theme {
    fn fg(self, style: Style, colour: Color) -> Style {
        if self.colour { style.fg(colour) } else { style }
    }

    /// A verdict: bold when the access has its own, plain when a rule gives it.
    pub fn verdict(self, verdict: Verdict, own: bool) -> Style {
        let base = if own {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        match verdict {
            Verdict::Human => self.fg(base, Color::Green),
            Verdict::Scanner => self.fg(base, Color::Red),
        }
    }

    /// A suggestion is only a hint: dim, in the verdict's colour.
    pub fn suggestion(self, leaning: Leaning) -> Style {
        let base = Style::new().add_modifier(Modifier::DIM);
        match leaning {
            Leaning::Human => self.fg(base, Color::Green),
            Leaning::Scanner => self.fg(base, Color::Red),
            Leaning::Unsure => self.fg(base.remove_modifier(Modifier::DIM), Color::Yellow),
        }
    }

    pub fn table_header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// The header cell under the column cursor.
    pub fn column_cursor(self) -> Style {
        self.table_header().add_modifier(Modifier::REVERSED)
    }

    pub fn selected_row(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn mark(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn key(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    pub fn error(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Red)
    }

    pub fn active_tab(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    /// Where the filter matched in a cell.
    pub fn filter_match(self) -> Style {
        self.fg(
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            Color::Yellow,
        )
    }

    pub fn busy(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Yellow)
    }
}
