//! The column cursor, sorting and the mouse: ← → step over the columns the
//! last frame showed, `[` `]` sort by the column under the cursor, a click
//! on a title sorts by it (a second click reverses), a click on a row
//! selects it. Where things were is read from the frame state, never
//! computed here.

use super::{App, Effect};
use crate::review::{Direction, SortBy};
use crate::tui::columns::{Col, columns};
use crate::tui::frame::Hit;

impl App {
    /// Moves the column cursor over the columns the last frame showed (all
    /// of the view's before a frame of this view was drawn).
    pub(super) fn move_column(&mut self, delta: i32) {
        let kind = self.view.kind();
        let shown: Vec<usize> = match self.frame.table.columns_of(kind) {
            Some(placed) => placed.iter().map(|p| p.index).collect(),
            None => (0..columns(self.row_kind(), kind).len()).collect(),
        };
        if shown.is_empty() {
            return;
        }
        let here = shown
            .iter()
            .position(|&i| i == self.view.column)
            .unwrap_or(0);
        let next = (here as i32 + delta).clamp(0, shown.len() as i32 - 1) as usize;
        self.view.column = shown[next];
    }

    /// A click lands on what the last frame drew there: a column title
    /// sorts, a row is selected. A click on a table of another view (one
    /// drawn before the analyst moved on) does nothing.
    pub(super) fn click(&mut self, x: u16, y: u16) -> Vec<Effect> {
        if self.frame.table.kind != Some(self.view.kind()) {
            return Vec::new();
        }
        match self.frame.table.hit(x, y) {
            Hit::Title(column) => self.sort_by_click(column),
            Hit::Row(pos) if pos < self.view.len() => {
                let page = self.page();
                self.view.select(pos, page);
                Vec::new()
            }
            Hit::Row(_) | Hit::Nothing => Vec::new(),
        }
    }

    /// A click on a column's title sorts by it; a second click reverses.
    fn sort_by_click(&mut self, column: usize) -> Vec<Effect> {
        let direction = match (self.view.spec.sort, self.sort_key(column)) {
            (Some(current), Some(wanted)) if same_column(current, wanted) => {
                match sort_direction(current) {
                    Direction::Ascending => Direction::Descending,
                    Direction::Descending => Direction::Ascending,
                }
            }
            _ => Direction::Ascending,
        };
        self.view.column = column;
        self.sort_current(direction)
    }

    fn sort_key(&self, column: usize) -> Option<SortBy> {
        match columns(self.row_kind(), self.view.kind()).get(column)? {
            Col::Access(field) => Some(SortBy::Access(*field, Direction::Ascending)),
            Col::Group(field) => Some(SortBy::Group(*field, Direction::Ascending)),
            Col::Rule => None,
        }
    }

    pub(super) fn sort_current(&mut self, direction: Direction) -> Vec<Effect> {
        let Some(key) = self.sort_key(self.view.column) else {
            self.info("this column cannot be sorted; move the column cursor with ← →");
            return Vec::new();
        };
        let sort = match key {
            SortBy::Access(f, _) => SortBy::Access(f, direction),
            SortBy::Group(f, _) => SortBy::Group(f, direction),
        };
        self.view.spec.sort = Some(sort);
        let (rows, kind) = (self.row_kind(), self.view.kind());
        let title = columns(rows, kind)[self.view.column].title(rows, kind);
        self.info(format!("sorted by {title} {}", direction.arrow()));
        self.rebuild()
    }
}

fn same_column(a: SortBy, b: SortBy) -> bool {
    match (a, b) {
        (SortBy::Access(x, _), SortBy::Access(y, _)) => x == y,
        (SortBy::Group(x, _), SortBy::Group(y, _)) => x == y,
        _ => false,
    }
}

fn sort_direction(s: SortBy) -> Direction {
    match s {
        SortBy::Access(_, d) | SortBy::Group(_, d) => d,
    }
}
