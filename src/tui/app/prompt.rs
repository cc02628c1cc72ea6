//! The prompts and overlays: the filter that the table follows as it is
//! typed, the export path, and scrolling the help and read-errors lists.

use std::path::PathBuf;

use super::{App, Edit, Effect, Prompt};
use crate::review::{Filter, ViewKind, ViewRows};
use crate::text::count;
use crate::tui::action::Action;
use crate::tui::export::ExportRows;
use crate::tui::jobs::ExportJob;
use crate::tui::keymap::Mode;

/// Filters the analyst kept with Enter, oldest first, for Up and Down in
/// the prompt (as a shell's history: the line being typed comes back after
/// the newest).
#[derive(Clone, Debug, Default)]
pub struct FilterHistory {
    pub entries: Vec<String>,
    /// While browsing: the entry shown, and the line typed before browsing.
    pub(super) browsing: Option<(usize, String)>,
}

impl FilterHistory {
    fn keep(&mut self, text: &str) {
        let text = text.trim();
        if !text.is_empty() && self.entries.last().map(String::as_str) != Some(text) {
            self.entries.push(text.to_string());
        }
        self.browsing = None;
    }
}

/// What `e` can write: the rows the view shows, every access, and in a
/// group view the groups themselves; the first is what is on screen.
#[derive(Clone, Debug, Default)]
pub struct ExportChoices {
    pub choices: Vec<ExportChoice>,
    pub chosen: usize,
}

#[derive(Clone, Debug)]
pub struct ExportChoice {
    /// `the 32 accesses shown`, `all 484 accesses`.
    pub label: String,
    pub rows: ExportRows,
}

impl App {
    /// The choices for the view on screen, the rows shown first (as
    /// VisiData saves the sheet shown).
    pub(super) fn export_choices_now(&self) -> ExportChoices {
        let Some(data) = &self.data else {
            return ExportChoices::default();
        };
        let total = data.analysis().campaign.accesses.len();
        let all = ExportChoice {
            label: format!("all {}", count(total, "access", "accesses")),
            rows: ExportRows::All,
        };
        let mut choices = Vec::new();
        match &self.view.rows {
            ViewRows::Accesses(rows) if rows.len() < total => choices.push(ExportChoice {
                label: format!("the {} shown", count(rows.len(), "access", "accesses")),
                rows: ExportRows::Accesses(rows.clone().into()),
            }),
            ViewRows::Accesses(_) => {}
            ViewRows::Groups(groups) => {
                let by = match self.view.kind() {
                    ViewKind::Grouped(by) => by,
                    ViewKind::Accesses => return ExportChoices::default(),
                };
                choices.push(ExportChoice {
                    label: format!(
                        "the {} shown, one row each",
                        count(groups.len(), "group", "groups")
                    ),
                    rows: ExportRows::Groups(by, groups.clone().into()),
                });
                let mut members: Vec<u32> = groups
                    .iter()
                    .flat_map(|g| g.members.iter().copied())
                    .collect();
                members.sort_unstable();
                members.dedup();
                if members.len() < total {
                    choices.push(ExportChoice {
                        label: format!(
                            "the {} of the groups shown",
                            count(members.len(), "access", "accesses")
                        ),
                        rows: ExportRows::Accesses(members.into()),
                    });
                }
            }
        }
        choices.push(all);
        ExportChoices { choices, chosen: 0 }
    }

    pub(super) fn update_filter(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Input(c) => {
                self.prompt.insert(c.encode_utf8(&mut [0; 4]));
                self.apply_prompt_filter()
            }
            Action::DeleteBack => self.edit_filter(Edit::DeleteBack),
            Action::Edit(edit) => self.edit_filter(edit),
            Action::HistoryOlder | Action::HistoryNewer => {
                self.browse_history(action == Action::HistoryOlder)
            }
            Action::Confirm => {
                self.mode = Mode::Table;
                self.filter_history.keep(&self.prompt.text);
                if let Some(err) = self.prompt.error.take() {
                    self.error(format!("filter kept without {err}"));
                }
                Vec::new()
            }
            Action::Back => {
                self.mode = Mode::Table;
                self.prompt = Prompt::default();
                self.filter_history.browsing = None;
                self.view.set_filter("", Filter::default());
                self.view.filter_problem = None;
                self.info("filter cleared");
                self.rebuild()
            }
            Action::Quit => self.quit(),
            _ => Vec::new(),
        }
    }

    fn edit_filter(&mut self, edit: Edit) -> Vec<Effect> {
        if self.prompt.edit(edit) {
            self.apply_prompt_filter()
        } else {
            Vec::new()
        }
    }

    /// Up shows the filter kept before the one shown, Down the next; past
    /// the newest comes back what was being typed.
    fn browse_history(&mut self, older: bool) -> Vec<Effect> {
        let history = &mut self.filter_history;
        let len = history.entries.len();
        let next = match (history.browsing.as_ref().map(|b| b.0), older) {
            (None, true) if len > 0 => Some(len - 1),
            (None, _) => return Vec::new(),
            (Some(0), true) => Some(0),
            (Some(n), true) => Some(n - 1),
            (Some(n), false) if n + 1 < len => Some(n + 1),
            (Some(_), false) => None,
        };
        let text = match next {
            Some(n) => {
                let typed = history
                    .browsing
                    .take()
                    .map_or_else(|| self.prompt.text.clone(), |b| b.1);
                history.browsing = Some((n, typed));
                history.entries[n].clone()
            }
            None => history.browsing.take().map(|b| b.1).unwrap_or_default(),
        };
        self.prompt.set(&text);
        self.apply_prompt_filter()
    }

    /// Pasted text: put in at the prompt's cursor as one edit (one filter,
    /// one view build), never read as keys. Elsewhere it goes nowhere.
    pub fn paste(&mut self, text: &str) -> Vec<Effect> {
        match self.mode {
            Mode::Filter => {
                self.prompt.insert(text);
                self.apply_prompt_filter()
            }
            Mode::Export => {
                self.prompt.insert(text);
                Vec::new()
            }
            _ => {
                self.info("pasted text goes into the filter (/) or the export path (e)");
                Vec::new()
            }
        }
    }

    /// The table follows the prompt as it is typed. Terms that do not parse
    /// are left out (and named) while the others apply, so a mistyped or
    /// half-typed term never stands in for the filter.
    fn apply_prompt_filter(&mut self) -> Vec<Effect> {
        let (filter, errors) = Filter::parse_lenient_in(self.row_kind(), &self.prompt.text);
        let problem = errors.first().map(|err| {
            let more = match errors.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            crate::text::escape_controls(&format!("{err}{more}")).into_owned()
        });
        self.prompt.error = problem.clone();
        self.view.filter_problem = problem;
        let text = self.prompt.text.clone();
        if filter == self.view.spec.filter {
            self.view.filter_text = text;
            return Vec::new();
        }
        self.view.set_filter(&text, filter);
        self.rebuild()
    }

    pub(super) fn update_export(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Input(c) => self.prompt.insert(c.encode_utf8(&mut [0; 4])),
            Action::DeleteBack => {
                self.prompt.edit(Edit::DeleteBack);
            }
            Action::Edit(edit) => {
                self.prompt.edit(edit);
            }
            Action::Back => {
                self.mode = Mode::Table;
                self.info("export cancelled");
            }
            Action::NextView | Action::PreviousView => {
                let n = self.export_choices.choices.len().max(1);
                let step = if action == Action::NextView { 1 } else { n - 1 };
                self.export_choices.chosen = (self.export_choices.chosen + step) % n;
            }
            Action::Confirm => {
                self.mode = Mode::Table;
                let path = PathBuf::from(self.prompt.text.trim());
                let Some(data) = &self.data else {
                    return Vec::new();
                };
                if path.as_os_str().is_empty() {
                    self.error("no path given: nothing exported");
                    return Vec::new();
                }
                self.session.export_path = path.clone();
                let rows = self
                    .export_choices
                    .choices
                    .get(self.export_choices.chosen)
                    .map_or(ExportRows::All, |c| c.rows.clone());
                let what = rows.describe(data.analysis());
                let job = ExportJob {
                    path: path.clone(),
                    snapshot: data.snapshot.clone(),
                    book: data.book.clone(),
                    rows,
                };
                // Said in the header until it is done, whatever else happens.
                self.exporting = Some(format!("{what} to {}", path.display()));
                self.info(format!("exporting {what} to {}…", path.display()));
                return vec![Effect::Export(Box::new(job))];
            }
            Action::Quit => return self.quit(),
            _ => {}
        }
        Vec::new()
    }

    /// Scrolls the help or read-errors overlay by the extent the last frame
    /// drew it with. Before it was drawn at all (opened in the same burst of
    /// keys), a page is a line and the next frame clamps the scroll.
    pub(super) fn update_overlay(&mut self, action: Action) -> Vec<Effect> {
        let drawn = self.frame.overlay.filter(|o| o.mode == self.mode);
        let page = drawn.map_or(1, |o| o.page.max(1));
        match action {
            Action::Back => self.mode = self.base_mode(),
            Action::Quit => return self.quit(),
            Action::Down => self.overlay_scroll += 1,
            Action::Up => self.overlay_scroll = self.overlay_scroll.saturating_sub(1),
            Action::PageDown => self.overlay_scroll += page,
            Action::PageUp => self.overlay_scroll = self.overlay_scroll.saturating_sub(page),
            Action::Top => self.overlay_scroll = 0,
            Action::Bottom => self.overlay_scroll = usize::MAX,
            _ => {}
        }
        // Scrolling past the end would only make the way back longer.
        if let Some(drawn) = drawn {
            self.overlay_scroll = self.overlay_scroll.min(drawn.last_scroll);
        }
        Vec::new()
    }
}
