//! One table on screen: what it shows (the view spec), the rows last built
//! for it, and where the analyst is in it (selection, scroll, column cursor,
//! marks). Positions are in view coordinates; rows are built elsewhere.

use std::collections::{BTreeSet, HashSet};

use crate::review::{Filter, Group, GroupKey, ViewKind, ViewRows, ViewSpec};

use super::super::jobs::Anchor;

/// Rows the analyst marked with Space.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    pub accesses: BTreeSet<u32>,
    pub groups: HashSet<GroupKey>,
}

impl Marks {
    pub fn len(&self) -> usize {
        self.accesses.len() + self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&mut self) {
        self.accesses.clear();
        self.groups.clear();
    }
}

#[derive(Clone, Debug)]
pub struct View {
    pub spec: ViewSpec,
    /// The text of the filter in force, as typed.
    pub filter_text: String,
    /// A term of it that could not be understood and is left out.
    pub filter_problem: Option<String>,
    pub rows: ViewRows,
    /// Natural column widths, measured when the rows were built.
    pub widths: Vec<u16>,
    /// The generation of the build in flight, if any.
    pub building: Option<u64>,
    pub selected: usize,
    pub offset: usize,
    /// Index into the view's columns.
    pub column: usize,
    pub marks: Marks,
    /// For a group the analyst opened: what it is (`AS8075 Microsoft Corporation`).
    pub title: Option<String>,
}

impl View {
    pub fn new(kind: ViewKind) -> Self {
        View {
            spec: ViewSpec {
                kind,
                ..ViewSpec::default()
            },
            filter_text: String::new(),
            filter_problem: None,
            rows: match kind {
                ViewKind::Accesses => ViewRows::Accesses(Vec::new()),
                ViewKind::Grouped(_) => ViewRows::Groups(Vec::new()),
            },
            widths: Vec::new(),
            building: None,
            selected: 0,
            offset: 0,
            column: 0,
            marks: Marks::default(),
            title: None,
        }
    }

    pub fn kind(&self) -> ViewKind {
        self.spec.kind
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The access under the cursor, in the accesses view.
    pub fn selected_access(&self) -> Option<u32> {
        match &self.rows {
            ViewRows::Accesses(rows) => rows.get(self.selected).copied(),
            ViewRows::Groups(_) => None,
        }
    }

    pub fn selected_group(&self) -> Option<&Group> {
        match &self.rows {
            ViewRows::Groups(groups) => groups.get(self.selected),
            ViewRows::Accesses(_) => None,
        }
    }

    pub fn anchor(&self) -> Option<Anchor> {
        match &self.rows {
            ViewRows::Accesses(rows) => rows.get(self.selected).map(|&i| Anchor::Access(i)),
            ViewRows::Groups(groups) => groups.get(self.selected).map(|g| Anchor::Group(g.key)),
        }
    }

    /// Moves the cursor by `delta` rows, staying inside the view.
    pub fn move_by(&mut self, delta: isize, page: usize) {
        let last = self.len().saturating_sub(1);
        let target = if delta < 0 {
            self.selected.saturating_sub(delta.unsigned_abs())
        } else {
            self.selected.saturating_add(delta as usize).min(last)
        };
        self.select(target, page);
    }

    /// Puts the cursor on `pos` and scrolls just enough to show it.
    pub fn select(&mut self, pos: usize, page: usize) {
        self.selected = pos.min(self.len().saturating_sub(1));
        self.scroll_into_view(page);
    }

    pub fn scroll_into_view(&mut self, page: usize) {
        self.offset = self.visible_offset(page);
    }

    /// The first row to show on `page` rows so the cursor is on screen:
    /// the current offset, moved just enough. Drawing shows the table from
    /// here, and `scroll_into_view` keeps it, so the two always agree.
    pub fn visible_offset(&self, page: usize) -> usize {
        let page = page.max(1);
        let mut offset = self.offset;
        if self.selected < offset {
            offset = self.selected;
        } else if self.selected >= offset + page {
            offset = self.selected + 1 - page;
        }
        // Never leave empty space below the last row when there are rows above.
        offset.min(self.len().saturating_sub(page))
    }

    pub fn set_filter(&mut self, text: &str, filter: Filter) {
        self.filter_text = text.to_string();
        self.spec.filter = filter;
    }

    pub fn is_marked(&self, pos: usize) -> bool {
        match &self.rows {
            ViewRows::Accesses(rows) => rows
                .get(pos)
                .is_some_and(|i| self.marks.accesses.contains(i)),
            ViewRows::Groups(groups) => groups
                .get(pos)
                .is_some_and(|g| self.marks.groups.contains(&g.key)),
        }
    }

    pub fn toggle_mark(&mut self) {
        match &self.rows {
            ViewRows::Accesses(rows) => {
                if let Some(&i) = rows.get(self.selected)
                    && !self.marks.accesses.remove(&i)
                {
                    self.marks.accesses.insert(i);
                }
            }
            ViewRows::Groups(groups) => {
                if let Some(g) = groups.get(self.selected)
                    && !self.marks.groups.remove(&g.key)
                {
                    self.marks.groups.insert(g.key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(n: u32) -> View {
        let mut v = View::new(ViewKind::Accesses);
        v.rows = ViewRows::Accesses((0..n).collect());
        v
    }

    #[test]
    fn cursor_stays_visible_and_inside() {
        let mut v = view(100);
        v.move_by(15, 10);
        assert_eq!((v.selected, v.offset), (15, 6));
        v.move_by(-100, 10);
        assert_eq!((v.selected, v.offset), (0, 0));
        v.move_by(1_000, 10);
        assert_eq!((v.selected, v.offset), (99, 90));
        let mut empty = view(0);
        empty.move_by(3, 10);
        assert_eq!((empty.selected, empty.offset), (0, 0));
    }

    #[test]
    fn marks_toggle() {
        let mut v = view(3);
        v.toggle_mark();
        assert!(v.is_marked(0));
        v.toggle_mark();
        assert!(!v.is_marked(0));
    }
}
