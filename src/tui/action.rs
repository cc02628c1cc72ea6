//! Everything the analyst can ask the review screen to do. Keys map to these
//! through the keymap; the mouse, resizes and typed text produce them directly.

use super::app::Edit;
use super::keymap::KeyPress;
use crate::model::Verdict;

/// One thing to do. `App::update` handles each; no terminal IO happens there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Esc: close what is open, else leave a group, else clear marks, else clear the filter.
    Back,

    // Moving.
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    ScrollDown(u16),
    ScrollUp(u16),
    ColumnLeft,
    ColumnRight,
    /// A click at a screen position (column, row): selects a row or sorts by a header.
    Click {
        x: u16,
        y: u16,
    },

    // Sorting, filtering, views.
    SortAscending,
    SortDescending,
    OpenFilter,
    Status(StatusKey),
    NextView,
    /// Shift-Tab: the view before.
    PreviousView,
    /// The unsure recipients, by how much deciding them moves the rate.
    ReviewQueue,
    /// Enter: detail pane in the accesses view, the group's accesses in a group view.
    Open,
    /// In the detail pane: the next / previous access of the table.
    NextAccess,
    PreviousAccess,

    // Labelling.
    Label(Option<Verdict>),
    /// `H`/`S`/`C`: choose the scope first.
    ChooseScope(Option<Verdict>),
    ToggleMark,
    Undo,
    Redo,

    // Elsewhere.
    Export,
    Help,
    ReadErrors,
    /// Show the follow-up sheet of the recipient under the cursor.
    Followup,

    // Inside prompts and dialogs.
    Input(char),
    DeleteBack,
    /// Moving the prompt's cursor, deleting, killing.
    Edit(Edit),
    /// Up / Down in the filter prompt: the filters kept before.
    HistoryOlder,
    HistoryNewer,
    Confirm,
    /// Choosing the n-th entry of the scope dialog (1-based keys).
    Choose(u8),

    Resize {
        width: u16,
        height: u16,
    },

    /// A key nothing is bound to here: said so, briefly.
    Unbound(KeyPress),
}

/// The quick status filters on keys `1`–`5`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKey {
    All,
    Unlabelled,
    Human,
    Scanner,
    Unsure,
}

impl StatusKey {
    pub fn filter(self) -> crate::review::StatusFilter {
        use crate::review::StatusFilter as F;
        match self {
            StatusKey::All => F::All,
            StatusKey::Unlabelled => F::Unlabelled,
            StatusKey::Human => F::Human,
            StatusKey::Scanner => F::Scanner,
            StatusKey::Unsure => F::Unsure,
        }
    }
}
