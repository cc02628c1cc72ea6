//! The keymap is data: for each mode, which keys do which action, with a
//! short hint for the footer and a sentence for the help overlay. The
//! handlers look keys up here and the footer and help are generated from
//! here, so what the screen says a key does is what it does.

use super::action::{Action, StatusKey};
use super::app::Edit;
use crate::model::Verdict;

/// A key as the review screen sees it, independent of the terminal library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyPress {
    Char(char),
    Ctrl(char),
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Enter,
    Esc,
    Tab,
    /// Shift-Tab.
    BackTab,
    Backspace,
    Delete,
    F(u8),
}

impl KeyPress {
    /// How the footer and help name the key.
    pub fn name(self) -> String {
        match self {
            KeyPress::Char(' ') => "Space".to_string(),
            KeyPress::Char(c) => c.to_string(),
            KeyPress::Ctrl(c) => format!("Ctrl-{c}"),
            KeyPress::Up => "↑".to_string(),
            KeyPress::Down => "↓".to_string(),
            KeyPress::Left => "←".to_string(),
            KeyPress::Right => "→".to_string(),
            KeyPress::Home => "Home".to_string(),
            KeyPress::End => "End".to_string(),
            KeyPress::PageUp => "PgUp".to_string(),
            KeyPress::PageDown => "PgDn".to_string(),
            KeyPress::Enter => "Enter".to_string(),
            KeyPress::Esc => "Esc".to_string(),
            KeyPress::Tab => "Tab".to_string(),
            KeyPress::BackTab => "Shift-Tab".to_string(),
            KeyPress::Delete => "Del".to_string(),
            KeyPress::Backspace => "Backspace".to_string(),
            KeyPress::F(n) => format!("F{n}"),
        }
    }
}

/// What the keys currently act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The table (accesses or a group view).
    Table,
    /// The detail pane of the access under the cursor: it scrolls, and the
    /// access can be labelled or the next one shown.
    Detail,
    /// Typing a filter; the table follows as you type.
    Filter,
    /// Choosing what `H`/`S`/`C` applies to.
    Scope,
    /// Editing the path the report is exported to.
    Export,
    Help,
    ReadErrors,
    /// The follow-up sheet of the recipient under the cursor.
    Followup,
}

impl Mode {
    pub const ALL: [Mode; 8] = [
        Mode::Table,
        Mode::Detail,
        Mode::Filter,
        Mode::Scope,
        Mode::Export,
        Mode::Help,
        Mode::ReadErrors,
        Mode::Followup,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Mode::Table => "Table",
            Mode::Detail => "Detail pane",
            Mode::Filter => "Filter prompt",
            Mode::Scope => "Scope chooser (H / S / C)",
            Mode::Export => "Export prompt",
            Mode::Help => "Help",
            Mode::ReadErrors => "Read errors",
            Mode::Followup => "Follow-up sheet",
        }
    }

    /// Printable keys that are not bound become text input in these modes.
    pub fn takes_text(self) -> bool {
        matches!(self, Mode::Filter | Mode::Export)
    }
}

/// One line of the keymap.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub mode: Mode,
    pub keys: &'static [KeyPress],
    pub action: Action,
    /// Shown in the footer when set, in keymap order.
    pub hint: Option<&'static str>,
    /// The help overlay's sentence.
    pub help: &'static str,
}

const fn b(
    mode: Mode,
    keys: &'static [KeyPress],
    action: Action,
    hint: Option<&'static str>,
    help: &'static str,
) -> Binding {
    Binding {
        mode,
        keys,
        action,
        hint,
        help,
    }
}

use KeyPress::*;
use Mode::*;

/// The whole keymap. Order matters: the footer shows hints in this order and
/// drops from the end when the terminal is narrow.
#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    // Table: most used first, so a narrow footer keeps them.
    b(Table, &[Char('q'), Ctrl('c')], Action::Quit, Some("quit"), "quit (also cancels loading); in an opened group, q goes back"),
    b(Table, &[Char('?'), F(1)], Action::Help, Some("help"), "this help"),
    b(Table, &[Char('h')], Action::Label(Some(Verdict::Human)), Some("human"), "label human: the row, every marked row, or in a group view the whole group as a rule"),
    b(Table, &[Char('s')], Action::Label(Some(Verdict::Scanner)), Some("scanner"), "label scanner: the row, every marked row, or in a group view the whole group as a rule"),
    b(Table, &[Char('c')], Action::Label(None), Some("clear"), "clear the label of the row, the marked rows or the group's rule"),
    b(Table, &[Char('H')], Action::ChooseScope(Some(Verdict::Human)), Some("human…"), "label human, choosing the scope: access, IP, network, AS or recipient"),
    b(Table, &[Char('S')], Action::ChooseScope(Some(Verdict::Scanner)), Some("scanner…"), "label scanner, choosing the scope: access, IP, network, AS or recipient"),
    b(Table, &[Char('C')], Action::ChooseScope(None), None, "clear a label, choosing the scope"),
    b(Table, &[Char('/')], Action::OpenFilter, Some("filter"), "filter: words match any column; field:value narrows (org:, ip:CIDR, verdict:none…: the columns below name each field's filters), -term excludes"),
    b(Table, &[Tab], Action::NextView, Some("view"), "next view: accesses, by IP, by network, by organisation (AS), by recipient"),
    b(Table, &[BackTab], Action::PreviousView, None, "previous view"),
    b(Table, &[Enter], Action::Open, Some("open"), "accesses view: the detail pane (it scrolls with j / k; n / p show the next / previous access); group view: the group's accesses"),
    b(Table, &[Char(' ')], Action::ToggleMark, Some("mark"), "mark or unmark the row under the cursor; the cursor stays (j / k move it); h / s / c then apply to every marked row"),
    b(Table, &[Char('u')], Action::Undo, Some("undo"), "undo the last labelling (the knowledge base follows)"),
    b(Table, &[Ctrl('r')], Action::Redo, None, "redo what was undone"),
    b(Table, &[Char('[')], Action::SortAscending, Some("sort"), "sort ascending by the column under the cursor (← → move it; time breaks ties)"),
    b(Table, &[Char(']')], Action::SortDescending, None, "sort descending by the column under the cursor"),
    b(Table, &[Char('1')], Action::Status(StatusKey::All), Some("all"), "show all accesses"),
    b(Table, &[Char('2')], Action::Status(StatusKey::Unlabelled), Some("unlabelled"), "show accesses without a verdict"),
    b(Table, &[Char('3')], Action::Status(StatusKey::Human), None, "show human accesses (verdict, else suggestion)"),
    b(Table, &[Char('4')], Action::Status(StatusKey::Scanner), None, "show scanner accesses (verdict, else suggestion)"),
    b(Table, &[Char('5')], Action::Status(StatusKey::Unsure), None, "show accesses nobody has decided and the suggestion leaves open"),
    b(Table, &[Char('e')], Action::Export, Some("export"), "export the report (CSV for Excel, with verdicts) to a path you can edit"),
    b(Table, &[Char('E')], Action::ReadErrors, Some("errors"), "show the rows that could not be read (file, line, field, reason)"),
    b(Table, &[Char('f')], Action::Followup, None, "the follow-up sheet of the recipient under the cursor (an access or a recipient group): the facts in plain words, ready to copy"),
    b(Table, &[Char('r')], Action::ReviewQueue, Some("queue"), "review queue: the recipients left unsure, by recipient, the one whose decision can move the human click rate most first (impact: unsure recipients its addresses settle); 1 shows all again"),
    b(Table, &[Esc], Action::Back, None, "back: leave an opened group, else clear the marks, else clear the filter"),
    b(Table, &[Char('j'), Down], Action::Down, None, "next row"),
    b(Table, &[Char('k'), Up], Action::Up, None, "previous row"),
    b(Table, &[Char('g'), Home], Action::Top, None, "first row"),
    b(Table, &[Char('G'), End], Action::Bottom, None, "last row"),
    b(Table, &[PageDown, Ctrl('f')], Action::PageDown, None, "next page"),
    b(Table, &[PageUp, Ctrl('b')], Action::PageUp, None, "previous page"),
    b(Table, &[Ctrl('d')], Action::HalfPageDown, None, "half a page down"),
    b(Table, &[Ctrl('u')], Action::HalfPageUp, None, "half a page up"),
    b(Table, &[Left], Action::ColumnLeft, None, "column cursor left"),
    b(Table, &[Right], Action::ColumnRight, None, "column cursor right"),
    // Detail pane: it scrolls like a pager; the access can be labelled.
    b(Detail, &[Enter, Esc, Char('q')], Action::Back, Some("close"), "close the detail pane"),
    b(Detail, &[Char('j'), Down], Action::Down, Some("scroll"), "scroll the detail down"),
    b(Detail, &[Char('k'), Up], Action::Up, None, "scroll the detail up"),
    b(Detail, &[PageDown, Ctrl('f'), Char(' ')], Action::PageDown, None, "detail: page down"),
    b(Detail, &[PageUp, Ctrl('b')], Action::PageUp, None, "detail: page up"),
    b(Detail, &[Char('g'), Home], Action::Top, None, "detail: to the top"),
    b(Detail, &[Char('G'), End], Action::Bottom, None, "detail: to the end"),
    b(Detail, &[Char('n')], Action::NextAccess, Some("next"), "the next access of the table"),
    b(Detail, &[Char('p')], Action::PreviousAccess, Some("previous"), "the previous access of the table"),
    b(Detail, &[Char('h')], Action::Label(Some(Verdict::Human)), Some("human"), "label this access human"),
    b(Detail, &[Char('s')], Action::Label(Some(Verdict::Scanner)), Some("scanner"), "label this access scanner"),
    b(Detail, &[Char('c')], Action::Label(None), Some("clear"), "clear this access's label"),
    b(Detail, &[Char('H')], Action::ChooseScope(Some(Verdict::Human)), Some("human…"), "label human, choosing the scope: access, IP, network, AS or recipient"),
    b(Detail, &[Char('S')], Action::ChooseScope(Some(Verdict::Scanner)), Some("scanner…"), "label scanner, choosing the scope"),
    b(Detail, &[Char('C')], Action::ChooseScope(None), None, "clear a label, choosing the scope"),
    b(Detail, &[Char('u')], Action::Undo, Some("undo"), "undo the last labelling"),
    b(Detail, &[Ctrl('r')], Action::Redo, None, "redo what was undone"),
    b(Detail, &[Char('f')], Action::Followup, None, "the follow-up sheet of this access's recipient"),
    b(Detail, &[Char('?'), F(1)], Action::Help, Some("help"), "all keys"),
    // Filter prompt.
    b(Filter, &[Enter], Action::Confirm, Some("keep"), "keep the filter and return to the table"),
    b(Filter, &[Esc], Action::Back, Some("clear"), "clear the filter and return to the table"),
    b(Filter, &[Backspace], Action::DeleteBack, None, "delete the character before the cursor"),
    b(Filter, &[Up, Ctrl('p')], Action::HistoryOlder, Some("history"), "the filter kept before (history of this session)"),
    b(Filter, &[Down, Ctrl('n')], Action::HistoryNewer, None, "the filter kept after it; past the newest, what you were typing"),
    b(Filter, &[Left], Action::Edit(Edit::Left), None, "cursor left"),
    b(Filter, &[Right], Action::Edit(Edit::Right), None, "cursor right"),
    b(Filter, &[Home, Ctrl('a')], Action::Edit(Edit::Home), None, "cursor to the start"),
    b(Filter, &[End, Ctrl('e')], Action::Edit(Edit::End), None, "cursor to the end"),
    b(Filter, &[Delete, Ctrl('d')], Action::Edit(Edit::DeleteForward), None, "delete the character under the cursor"),
    b(Filter, &[Ctrl('u')], Action::Edit(Edit::KillToStart), None, "delete everything before the cursor"),
    b(Filter, &[Ctrl('k')], Action::Edit(Edit::KillToEnd), None, "delete everything from the cursor on"),
    b(Filter, &[Ctrl('w')], Action::Edit(Edit::KillWordBack), None, "delete the word before the cursor"),
    // Scope chooser.
    b(Scope, &[Char('1'), Char('a')], Action::Choose(1), Some("access"), "this access only"),
    b(Scope, &[Char('2'), Char('i')], Action::Choose(2), Some("IP"), "every access from this IP (a rule, kept for later campaigns)"),
    b(Scope, &[Char('3'), Char('n')], Action::Choose(3), Some("network"), "every access from this network prefix (a rule)"),
    b(Scope, &[Char('4'), Char('o')], Action::Choose(4), Some("AS"), "every access from this AS (a rule)"),
    b(Scope, &[Char('5'), Char('r')], Action::Choose(5), Some("recipient"), "every access of this recipient (one verdict each)"),
    b(Scope, &[Esc, Char('q')], Action::Back, Some("cancel"), "cancel"),
    // Export prompt.
    b(Export, &[Enter], Action::Confirm, Some("write"), "write the report to this path"),
    b(Export, &[Esc], Action::Back, Some("cancel"), "cancel"),
    b(Export, &[Tab], Action::NextView, Some("what"), "choose what to write: the rows shown, every access, or a group view's groups"),
    b(Export, &[BackTab], Action::PreviousView, None, "the choice before"),
    b(Export, &[Backspace], Action::DeleteBack, None, "delete the character before the cursor"),
    b(Export, &[Left], Action::Edit(Edit::Left), None, "cursor left"),
    b(Export, &[Right], Action::Edit(Edit::Right), None, "cursor right"),
    b(Export, &[Home, Ctrl('a')], Action::Edit(Edit::Home), None, "cursor to the start"),
    b(Export, &[End, Ctrl('e')], Action::Edit(Edit::End), None, "cursor to the end"),
    b(Export, &[Delete, Ctrl('d')], Action::Edit(Edit::DeleteForward), None, "delete the character under the cursor"),
    b(Export, &[Ctrl('u')], Action::Edit(Edit::KillToStart), None, "delete everything before the cursor"),
    b(Export, &[Ctrl('k')], Action::Edit(Edit::KillToEnd), None, "delete everything from the cursor on"),
    b(Export, &[Ctrl('w')], Action::Edit(Edit::KillWordBack), None, "delete the word before the cursor"),
    // Help and read errors: scroll, then close.
    b(Help, &[Esc, Char('q'), Char('?'), F(1)], Action::Back, Some("close"), "close the help"),
    b(Help, &[Char('j'), Down], Action::Down, None, "scroll down"),
    b(Help, &[Char('k'), Up], Action::Up, None, "scroll up"),
    b(Help, &[PageDown, Ctrl('f'), Char(' ')], Action::PageDown, None, "page down"),
    b(Help, &[PageUp, Ctrl('b')], Action::PageUp, None, "page up"),
    b(Help, &[Char('g'), Home], Action::Top, None, "to the top"),
    b(Help, &[Char('G'), End], Action::Bottom, None, "to the end"),
    b(ReadErrors, &[Esc, Char('q'), Char('E')], Action::Back, Some("close"), "close the list"),
    b(ReadErrors, &[Char('j'), Down], Action::Down, None, "scroll down"),
    b(ReadErrors, &[Char('k'), Up], Action::Up, None, "scroll up"),
    b(ReadErrors, &[PageDown, Ctrl('f')], Action::PageDown, None, "page down"),
    b(ReadErrors, &[PageUp, Ctrl('b')], Action::PageUp, None, "page up"),
    b(ReadErrors, &[Char('g'), Home], Action::Top, None, "to the first row"),
    b(ReadErrors, &[Char('G'), End], Action::Bottom, None, "to the last row"),
    b(Followup, &[Esc, Char('q'), Char('f')], Action::Back, Some("close"), "close the sheet"),
    b(Followup, &[Char('j'), Down], Action::Down, None, "scroll down"),
    b(Followup, &[Char('k'), Up], Action::Up, None, "scroll up"),
    b(Followup, &[PageDown, Ctrl('f'), Char(' ')], Action::PageDown, None, "page down"),
    b(Followup, &[PageUp, Ctrl('b')], Action::PageUp, None, "page up"),
    b(Followup, &[Char('g'), Home], Action::Top, None, "to the top"),
    b(Followup, &[Char('G'), End], Action::Bottom, None, "to the end"),
];

/// The action of `key` in `mode`, if the keymap binds it; in text modes an
/// unbound printable key types itself.
pub fn lookup(mode: Mode, key: KeyPress) -> Option<Action> {
    if key == Ctrl('c') {
        // Ctrl-C always quits, whatever is open: the analyst's way out.
        return Some(Action::Quit);
    }
    let bound = KEYMAP
        .iter()
        .filter(|b| b.mode == mode)
        .find(|b| b.keys.contains(&key))
        .map(|b| b.action);
    match (bound, key) {
        (Some(a), _) => Some(a),
        (None, Char(c)) if mode.takes_text() => Some(Action::Input(c)),
        _ => None,
    }
}

/// What `key` does in `mode`: its action, or [`Action::Unbound`] so the
/// screen can say that nothing is bound to it.
pub fn action_for(mode: Mode, key: KeyPress) -> Action {
    lookup(mode, key).unwrap_or(Action::Unbound(key))
}

/// The footer hints of `mode`: `(key, hint)` in keymap order. Only the first
/// key of each binding is named there; the help lists them all.
pub fn hints(mode: Mode) -> Vec<(String, &'static str)> {
    KEYMAP
        .iter()
        .filter(|b| b.mode == mode)
        .filter_map(|b| {
            let first = b.keys.first()?;
            let label = if b.action == Action::SortAscending {
                "[ ]".to_string()
            } else {
                first.name()
            };
            b.hint.map(|h| (label, h))
        })
        .collect()
}

/// How a binding's keys are written: `j/↓`, `[ ]`.
pub fn keys_label(binding: &Binding) -> String {
    let names: Vec<String> = binding.keys.iter().map(|k| k.name()).collect();
    names.join("/")
}

/// The help overlay's lines for `mode`: `(keys, sentence)`.
pub fn help(mode: Mode) -> Vec<(String, &'static str)> {
    KEYMAP
        .iter()
        .filter(|b| b.mode == mode)
        .map(|b| (keys_label(b), b.help))
        .collect()
}

/// A hint or help sentence for rows of `kind`: the keymap is written for
/// accesses and recipients; over a mail's hops the same keys act on hops
/// and mails, and the words say so.
pub fn worded(text: &str, kind: crate::model::RowKind) -> std::borrow::Cow<'_, str> {
    if kind == crate::model::RowKind::Access {
        return std::borrow::Cow::Borrowed(text);
    }
    let (one, many) = kind.nouns();
    let (recipient, recipients) = kind.recipient_nouns();
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(match word.as_str() {
            "access" => one,
            "accesses" => many,
            "recipient" => recipient,
            "recipients" => recipients,
            other => other,
        });
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn words_follow_the_rows() {
        use crate::model::RowKind;
        let text = "label this access's scope: access, IP or recipient; accesses (recipients)";
        assert_eq!(worded(text, RowKind::Access), text);
        assert_eq!(
            worded(text, RowKind::Hop),
            "label this hop's scope: hop, IP or mail; hops (mails)"
        );
        assert_eq!(worded("accessed", RowKind::Hop), "accessed");
    }

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for mode in Mode::ALL {
            let mut seen = HashSet::new();
            for binding in KEYMAP.iter().filter(|b| b.mode == mode) {
                for &key in binding.keys {
                    assert!(seen.insert(key), "{key:?} bound twice in {mode:?}");
                }
            }
        }
    }

    #[test]
    fn lookups_follow_the_table() {
        assert_eq!(lookup(Table, Char('j')), Some(Action::Down));
        assert_eq!(lookup(Table, Char(']')), Some(Action::SortDescending));
        assert_eq!(lookup(Table, Char('[')), Some(Action::SortAscending));
        assert_eq!(lookup(Filter, Char('j')), Some(Action::Input('j')));
        assert_eq!(lookup(Filter, Ctrl('c')), Some(Action::Quit));
        assert_eq!(lookup(Table, Char('z')), None);
        assert_eq!(lookup(Scope, Char('o')), Some(Action::Choose(4)));
    }

    #[test]
    fn every_mode_can_be_left() {
        for mode in Mode::ALL {
            let leaves = KEYMAP
                .iter()
                .any(|b| b.mode == mode && matches!(b.action, Action::Back | Action::Quit));
            assert!(leaves, "{mode:?} has no way back");
        }
    }
}
