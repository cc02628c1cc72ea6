//! What the last frame put where. Drawing lays everything out from the frame
//! it is given (never from a size remembered from a resize event) and
//! returns this; the runtime hands it to `App::framed`, and `update` reads it
//! wherever it needs geometry: a page is the rows the table showed, a click
//! is the row or column drawn under it, a column move steps over the columns
//! that fitted, an overlay scrolls no further than its end as drawn. The
//! state side owns this type; drawing only fills it in.

use ratatui::layout::{Position, Rect};

use super::keymap::Mode;
use crate::review::ViewKind;

/// The last frame drawn. `Default` is "nothing drawn yet": no rows, no
/// columns, so a page is one row and a click lands nowhere.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrameState {
    /// The whole frame: the terminal's real size when it was drawn.
    pub area: Rect,
    pub table: TableFrame,
    /// The help or read-errors overlay, when one was drawn.
    pub overlay: Option<OverlayFrame>,
    /// The detail pane, when it was drawn: how far it scrolls, its page.
    pub detail: Option<DetailFrame>,
}

/// The detail pane as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DetailFrame {
    /// The furthest it scrolls: from there its last line is at the bottom.
    pub last_scroll: usize,
    /// The lines it shows.
    pub page: usize,
}

/// The table as drawn.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableFrame {
    /// The table with its header row.
    pub area: Rect,
    /// Its rows, below the header row (no height when the terminal leaves
    /// room for none).
    pub body: Rect,
    /// The view the columns were placed for; `None` while nothing is loaded.
    pub kind: Option<ViewKind>,
    /// The columns that fitted, left to right, in screen coordinates.
    pub columns: Vec<Placed>,
    /// The view position of the row drawn at the top of the body.
    pub first_row: usize,
}

impl TableFrame {
    /// Rows of the table on screen.
    pub fn body_rows(&self) -> usize {
        usize::from(self.body.height)
    }

    /// How far a page moves: the rows on screen, at least one.
    pub fn page(&self) -> usize {
        self.body_rows().max(1)
    }

    /// The columns placed for `kind`, or `None` when the frame showed
    /// another view (or none).
    pub fn columns_of(&self, kind: ViewKind) -> Option<&[Placed]> {
        (self.kind == Some(kind)).then_some(self.columns.as_slice())
    }

    /// What was drawn at `(x, y)`.
    pub fn hit(&self, x: u16, y: u16) -> Hit {
        let at = Position { x, y };
        if self.body.contains(at) {
            return Hit::Row(self.first_row + usize::from(y - self.body.y));
        }
        if !self.area.contains(at) {
            return Hit::Nothing;
        }
        match self.columns.iter().find(|p| x >= p.x && x < p.x + p.width) {
            Some(p) => Hit::Title(p.index),
            None => Hit::Nothing,
        }
    }
}

/// What a click landed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A column's title in the table's header row (its index in the view's columns).
    Title(usize),
    /// A row of the table, by its position in the view (maybe past its end).
    Row(usize),
    Nothing,
}

/// A column as placed on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    /// Index into the view's columns (`tui::columns::columns`).
    pub index: usize,
    pub x: u16,
    pub width: u16,
}

/// A scrolling overlay as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverlayFrame {
    /// Which overlay (`Mode::Help` or `Mode::ReadErrors`).
    pub mode: Mode,
    /// The furthest it scrolls: from there its end just fills the panel.
    pub last_scroll: usize,
    /// How far a page moves: the lines the panel shows.
    pub page: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_hits_what_was_drawn_there() {
        // A table from row 3 of the screen: its header row, then 5 rows
        // showing the view from position 40.
        let table = TableFrame {
            area: Rect::new(0, 3, 80, 6),
            body: Rect::new(0, 4, 80, 5),
            kind: Some(ViewKind::Accesses),
            columns: vec![
                Placed {
                    index: 0,
                    x: 2,
                    width: 10,
                },
                Placed {
                    index: 3,
                    x: 13,
                    width: 20,
                },
            ],
            first_row: 40,
        };
        assert_eq!(table.hit(5, 3), Hit::Title(0));
        assert_eq!(table.hit(13, 3), Hit::Title(3));
        assert_eq!(table.hit(12, 3), Hit::Nothing, "the gap between columns");
        assert_eq!(table.hit(50, 3), Hit::Nothing, "right of the last column");
        assert_eq!(table.hit(5, 4), Hit::Row(40));
        assert_eq!(table.hit(70, 8), Hit::Row(44));
        assert_eq!(table.hit(5, 9), Hit::Nothing, "below the table");
        assert_eq!(table.hit(5, 2), Hit::Nothing, "above it");
        assert_eq!(table.page(), 5);
        assert_eq!(TableFrame::default().page(), 1, "nothing drawn yet");
    }
}
