//! The review screen's state and its one entry point, `update`: an action in,
//! the state changed, and a list of effects out for the runtime to carry out
//! (build a view, persist labels, write the report, quit). No terminal or
//! file IO happens here, so every action is testable without a terminal.
//! Geometry (how many rows a page is, what was drawn under a click) comes
//! from the last frame drawn, which the runtime hands over with `framed`;
//! this module never reads the drawing code.

mod labelling;
mod line;
mod prompt;
mod sorting;
mod view;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub use labelling::{History, LabelOp, ScopeChoice, ScopeDialog};
pub use line::{Edit, Prompt};
pub use prompt::{ExportChoice, ExportChoices, FilterHistory};
pub use view::{Marks, View};

use super::action::Action;
use super::columns::{Col, columns};
use super::data::{Data, Loaded};
use super::frame::FrameState;
use super::jobs::{Anchor, ExportJob, JobResult, LabelRead, Progress, ViewBuilt, ViewJob};
use super::keymap::Mode;
use super::store::{LabelWrite, StoreError, StoredLabels};
use crate::model::Timestamp;
use crate::review::{
    Direction, Filter, GroupBy, GroupField, SortBy, StatusFilter, ViewKind, ViewSpec,
};
use crate::text::count;

/// Something for the runtime to do after `update`.
pub enum Effect {
    BuildView(ViewJob),
    /// Write these decisions durably, then report with `App::saved(id, …)`.
    Persist {
        id: u64,
        writes: Vec<LabelWrite>,
    },
    Export(Box<ExportJob>),
    /// Re-read the label store (another whoclicked may have labelled), then
    /// report with `App::on_job(JobResult::Labels …)`.
    ReadLabels(LabelRead),
    CancelLoad,
    Quit,
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Effect::BuildView(job) => write!(f, "BuildView(gen {})", job.generation),
            Effect::Persist { id, writes } => write!(f, "Persist({id}, {writes:?})"),
            Effect::Export(job) => write!(f, "Export({})", job.path.display()),
            Effect::ReadLabels(read) => {
                write!(f, "ReadLabels(v{}, full {})", read.version, read.full)
            }
            Effect::CancelLoad => f.write_str("CancelLoad"),
            Effect::Quit => f.write_str("Quit"),
        }
    }
}

/// Where the campaign is in its life.
pub enum LoadState {
    Loading {
        progress: Arc<Progress>,
        started: Instant,
    },
    Ready,
    Failed(LoadFailure),
    Cancelled,
}

/// Why the campaign could not be loaded: the whole reason, and the rows of
/// the file that failed (when too many failed for the file to be taken),
/// for the read-errors panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadFailure {
    /// The error with every cause, as the command line prints it.
    pub message: String,
    /// The file the rows are of.
    pub file: String,
    pub rows: Vec<crate::model::ReadIssue>,
}

impl LoadFailure {
    pub fn new(error: crate::pipeline::PipelineError) -> Self {
        let message = error.with_causes();
        match error {
            crate::pipeline::PipelineError::Read(crate::input::LoadError::Unreadable {
                file,
                failed_rows,
                ..
            }) => LoadFailure {
                message,
                file,
                rows: failed_rows,
            },
            _ => LoadFailure {
                message,
                file: String::new(),
                rows: Vec::new(),
            },
        }
    }
}

/// A line for the analyst about what just happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// Facts about the session that do not change while it runs.
#[derive(Clone)]
pub struct Session {
    /// The campaign's files as named on the command line (or `demo`).
    pub files: Vec<String>,
    pub analyst: Arc<str>,
    /// Where labels are kept, for the header.
    pub store_location: String,
    pub export_path: PathBuf,
    /// The clock labels are stamped with (fixed in tests).
    pub clock: fn() -> Timestamp,
}

pub fn system_clock() -> Timestamp {
    Timestamp::from_jiff(jiff::Timestamp::now()).unwrap_or_default()
}

pub struct App {
    pub mode: Mode,
    /// What the last frame drawn put where: the only geometry `update` reads.
    pub frame: FrameState,
    /// False under `NO_COLOR`: styles keep their modifiers, lose their colours.
    pub colour: bool,
    pub load: LoadState,
    pub data: Option<Data>,
    pub view: View,
    /// Views the analyst left with Tab, by kind, to come back to.
    pub stashed: Vec<View>,
    /// Group views the analyst opened a group from (Enter), innermost last.
    pub parents: Vec<View>,
    pub detail: bool,
    pub prompt: Prompt,
    pub filter_history: FilterHistory,
    /// What `e` offers to write, and which is chosen.
    pub export_choices: ExportChoices,
    /// An export under way: `32 accesses to report.csv`.
    pub exporting: Option<String>,
    pub scope: Option<ScopeDialog>,
    pub history: History,
    pub message: Option<Message>,
    /// Scroll position of the help or read-errors overlay.
    pub overlay_scroll: usize,
    /// The follow-up sheet shown by `f`, as text lines.
    pub followup: Vec<String>,
    /// Scroll position of the detail pane, in wrapped lines.
    pub detail_scroll: usize,
    pub session: Session,
    generation: u64,
    /// Counts the screen's own label writes; also the version of its labels.
    next_write: u64,
    /// A re-read of the label store is under way.
    reading_labels: bool,
}

impl App {
    /// What kind of event the loaded rows are (accesses while loading):
    /// it decides the table's columns and the fields the filter knows.
    pub fn row_kind(&self) -> crate::model::RowKind {
        self.data
            .as_ref()
            .map_or(crate::model::RowKind::default(), |d| d.ctx().kind())
    }

    pub fn new(session: Session, progress: Arc<Progress>) -> Self {
        App {
            mode: Mode::Table,
            frame: FrameState::default(),
            colour: true,
            load: LoadState::Loading {
                progress,
                started: Instant::now(),
            },
            data: None,
            view: View::new(ViewKind::Accesses),
            stashed: Vec::new(),
            parents: Vec::new(),
            detail: false,
            prompt: Prompt::default(),
            filter_history: FilterHistory::default(),
            export_choices: ExportChoices::default(),
            exporting: None,
            scope: None,
            history: History::default(),
            message: None,
            overlay_scroll: 0,
            followup: Vec::new(),
            detail_scroll: 0,
            session,
            generation: 0,
            next_write: 0,
            reading_labels: false,
        }
    }

    /// The detail pane is for the accesses view.
    pub fn detail_shown(&self) -> bool {
        self.detail && self.view.kind() == ViewKind::Accesses
    }

    /// The rows a page moves: those the last frame showed.
    fn page(&self) -> usize {
        self.frame.table.page()
    }

    /// Keeps what the frame just drawn put where, for `update`, and takes
    /// over the positions it was drawn with: the table's scroll (drawing
    /// keeps the cursor on screen when the terminal shrank) and the
    /// overlay's (clamped to its end at this size).
    pub fn framed(&mut self, frame: FrameState) {
        self.view.scroll_into_view(frame.table.page());
        if let Some(overlay) = frame.overlay.filter(|o| o.mode == self.mode) {
            self.overlay_scroll = self.overlay_scroll.min(overlay.last_scroll);
        }
        if let Some(detail) = frame.detail {
            self.detail_scroll = self.detail_scroll.min(detail.last_scroll);
        }
        self.frame = frame;
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    /// Asks for the current view to be built again, keeping the cursor on
    /// the same row if it is still there.
    fn rebuild(&mut self) -> Vec<Effect> {
        let Some(data) = &self.data else {
            return Vec::new();
        };
        self.generation += 1;
        self.view.building = Some(self.generation);
        vec![Effect::BuildView(ViewJob {
            generation: self.generation,
            snapshot: data.snapshot.clone(),
            spec: self.view.spec.clone(),
            anchor: self.view.anchor(),
        })]
    }

    /// The one entry point: apply `action`, return what the runtime must do.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if let Action::Resize { .. } = action {
            // Nothing to keep: the next frame is laid out from the terminal
            // as it then is, and `framed` brings the cursor back on screen.
            return Vec::new();
        }
        if let Action::Unbound(key) = action {
            // In a prompt the line shows the prompt, and keys type into it.
            if !self.mode.takes_text() {
                self.info(format!("{}: no such key here, ? for help", key.name()));
            }
            return Vec::new();
        }
        if !matches!(action, Action::Undo) {
            // An undo that asked for confirmation is confirmed by `u` alone.
            self.history.confirm_undo = false;
        }
        match self.mode {
            Mode::Table => self.update_table(action),
            Mode::Detail => self.update_detail(action),
            Mode::Filter => self.update_filter(action),
            Mode::Scope => self.update_scope(action),
            Mode::Export => self.update_export(action),
            Mode::Help | Mode::ReadErrors | Mode::Followup => self.update_overlay(action),
        }
    }

    fn quit(&mut self) -> Vec<Effect> {
        match self.load {
            LoadState::Loading { .. } => vec![Effect::CancelLoad, Effect::Quit],
            _ => vec![Effect::Quit],
        }
    }

    fn update_table(&mut self, action: Action) -> Vec<Effect> {
        let page = self.page();
        match action {
            Action::Quit if !self.parents.is_empty() => return self.leave_group(),
            Action::Quit => return self.quit(),
            Action::Back => return self.back(),
            Action::Down => self.view.move_by(1, page),
            Action::Up => self.view.move_by(-1, page),
            Action::Top => self.view.select(0, page),
            Action::Bottom => self.view.select(usize::MAX, page),
            Action::PageDown => self.view.move_by(page as isize, page),
            Action::PageUp => self.view.move_by(-(page as isize), page),
            Action::HalfPageDown => self.view.move_by((page / 2).max(1) as isize, page),
            Action::HalfPageUp => self.view.move_by(-((page / 2).max(1) as isize), page),
            Action::ScrollDown(n) => self.view.move_by(n as isize, page),
            Action::ScrollUp(n) => self.view.move_by(-(n as isize), page),
            Action::ColumnLeft => self.move_column(-1),
            Action::ColumnRight => self.move_column(1),
            Action::Click { x, y } => return self.click(x, y),
            Action::SortAscending => return self.sort_current(Direction::Ascending),
            Action::SortDescending => return self.sort_current(Direction::Descending),
            Action::OpenFilter => {
                self.mode = Mode::Filter;
                self.prompt = Prompt::new(self.view.filter_text.clone());
                self.filter_history.browsing = None;
            }
            Action::Status(key) => {
                self.view.spec.status = key.filter();
                self.info(format!("showing {}", key.filter().title()));
                return self.rebuild();
            }
            Action::NextView => return self.next_view(true),
            Action::ReviewQueue => return self.review_queue(),
            Action::PreviousView => return self.next_view(false),
            Action::Open => return self.open(),
            Action::Label(verdict) => return self.label_current(verdict),
            Action::ChooseScope(verdict) => self.open_scope(verdict),
            Action::ToggleMark => {
                // The cursor stays on the row: what is marked is what the
                // analyst sees highlighted, never the row below it.
                if !self.view.is_empty() {
                    self.view.toggle_mark();
                    let n = self.view.marks.len();
                    self.info(format!(
                        "{n} marked: h / s / c apply to all of them, Esc clears"
                    ));
                }
            }
            Action::Undo => return self.undo(),
            Action::Redo => return self.redo(),
            Action::Export => {
                if self.data.is_some() {
                    self.mode = Mode::Export;
                    self.export_choices = self.export_choices_now();
                    self.prompt = Prompt::new(self.session.export_path.display().to_string());
                } else {
                    self.info("nothing to export yet: the campaign is still loading");
                }
            }
            Action::Help => {
                self.mode = Mode::Help;
                self.overlay_scroll = 0;
            }
            Action::ReadErrors => {
                self.mode = Mode::ReadErrors;
                self.overlay_scroll = 0;
            }
            Action::Followup => self.open_followup(),
            Action::NextAccess | Action::PreviousAccess => {}
            Action::Edit(_) | Action::HistoryOlder | Action::HistoryNewer => {}
            Action::Unbound(_) => {}
            Action::Input(_)
            | Action::DeleteBack
            | Action::Confirm
            | Action::Choose(_)
            | Action::Resize { .. } => {}
        }
        Vec::new()
    }

    /// `f`: the follow-up sheet of the recipient of the access under the
    /// cursor, or of the recipient group under it, in the system's language.
    fn open_followup(&mut self) {
        let Some(data) = &self.data else {
            self.info("nothing to show yet: the campaign is still loading");
            return;
        };
        let analysis = data.analysis();
        let recipient = match (self.view.selected_access(), self.view.selected_group()) {
            (Some(i), _) => analysis.campaign.accesses[i as usize].recipient(),
            (None, Some(group)) => match group.key {
                crate::review::GroupKey::Recipient(r) => r,
                _ => None,
            },
            (None, None) => None,
        };
        let Some(r) = recipient else {
            self.info("f shows a recipient's follow-up sheet: put the cursor on an access or a recipient group");
            return;
        };
        // The screen's index already lists each recipient's accesses.
        let indices = data.index.by_recipient(r);
        let sheet = crate::followup::sheet(analysis, crate::followup::Lang::from_env(), r, indices);
        self.followup = sheet.text().lines().map(str::to_string).collect();
        self.mode = Mode::Followup;
        self.overlay_scroll = 0;
    }

    /// The mode the table's keys return to: the detail pane when it is open.
    pub(super) fn base_mode(&self) -> Mode {
        if self.detail_shown() {
            Mode::Detail
        } else {
            Mode::Table
        }
    }

    /// The detail pane scrolls like a pager; `n` / `p` step through the
    /// table's accesses; labels, undo and help work as in the table.
    fn update_detail(&mut self, action: Action) -> Vec<Effect> {
        let page = self.frame.detail.map_or(1, |d| d.page.max(1));
        match action {
            Action::Back | Action::Open => {
                self.detail = false;
                self.mode = Mode::Table;
                let page = self.page();
                self.view.scroll_into_view(page);
            }
            Action::Quit => return self.quit(),
            Action::Down | Action::ScrollDown(_) => self.scroll_detail(1),
            Action::Up | Action::ScrollUp(_) => self.scroll_detail(-1),
            Action::PageDown => self.scroll_detail(page as isize),
            Action::PageUp => self.scroll_detail(-(page as isize)),
            Action::Top => self.detail_scroll = 0,
            Action::Bottom => self.detail_scroll = usize::MAX,
            Action::NextAccess | Action::PreviousAccess => {
                let delta = if action == Action::NextAccess { 1 } else { -1 };
                let table_page = self.page();
                self.view.move_by(delta, table_page);
                self.detail_scroll = 0;
            }
            Action::Click { .. } => {
                let before = self.view.selected;
                let effects = self.update_table(action);
                if self.view.selected != before {
                    self.detail_scroll = 0;
                }
                return effects;
            }
            Action::Label(_) => {
                // The pane's access, whatever rows the table has marked.
                let marks = std::mem::take(&mut self.view.marks);
                let effects = self.update_table(action);
                self.view.marks = marks;
                return effects;
            }
            Action::ChooseScope(_)
            | Action::Undo
            | Action::Redo
            | Action::Help
            | Action::Followup => {
                return self.update_table(action);
            }
            _ => {}
        }
        if let Some(drawn) = self.frame.detail {
            self.detail_scroll = self.detail_scroll.min(drawn.last_scroll);
        }
        Vec::new()
    }

    fn scroll_detail(&mut self, delta: isize) {
        self.detail_scroll = if delta < 0 {
            self.detail_scroll.saturating_sub(delta.unsigned_abs())
        } else {
            self.detail_scroll.saturating_add(delta as usize)
        };
    }

    /// Esc peels one layer: an opened group, then the marks, then the filter.
    fn back(&mut self) -> Vec<Effect> {
        if !self.parents.is_empty() {
            return self.leave_group();
        }
        if !self.view.marks.is_empty() {
            self.view.marks.clear();
            self.info("marks cleared");
            return Vec::new();
        }
        if !self.view.filter_text.is_empty() {
            self.view.set_filter("", Filter::default());
            self.info("filter cleared");
            return self.rebuild();
        }
        Vec::new()
    }

    /// Tab: the next view in the cycle; Shift-Tab (`forward` false) the one before.
    fn next_view(&mut self, forward: bool) -> Vec<Effect> {
        // Leaving an opened group: Tab moves between the top-level views.
        if let Some(root) = self.parents.drain(..).next() {
            self.view = root;
        }
        let next_kind = if forward {
            self.view.kind().next()
        } else {
            self.view.kind().previous()
        };
        self.switch_view(next_kind);
        self.info(format!("view: {}", next_kind.title_for(self.row_kind())));
        self.rebuild()
    }

    /// The review queue: the recipients left unsure, in the by-recipient
    /// view, the one whose decision can move the human click rate most
    /// first (its impact column under the cursor).
    fn review_queue(&mut self) -> Vec<Effect> {
        if self.row_kind() != crate::model::RowKind::Access {
            // The queue orders recipients by what they move of the click rate.
            self.info("no review queue for a mail's hops: there is no click rate to settle");
            return Vec::new();
        }
        if let Some(root) = self.parents.drain(..).next() {
            self.view = root;
        }
        let kind = ViewKind::Grouped(GroupBy::Recipient);
        if self.view.kind() != kind {
            self.switch_view(kind);
        }
        self.view.spec.status = StatusFilter::Queue;
        self.view.spec.sort = Some(SortBy::Group(GroupField::Impact, Direction::Descending));
        if let Some(column) = columns(self.row_kind(), kind)
            .iter()
            .position(|c| *c == Col::Group(GroupField::Impact))
        {
            self.view.column = column;
        }
        self.view.selected = 0;
        self.view.offset = 0;
        self.info(
            "review queue: unsure recipients, most impact first (Enter opens one, 1 shows all)",
        );
        self.rebuild()
    }

    /// Puts the view of `next_kind` on screen (the one kept from before, if
    /// any), the filter and the status filter following the analyst.
    fn switch_view(&mut self, next_kind: ViewKind) {
        let status = self.view.spec.status;
        let filter_text = self.view.filter_text.clone();
        let filter = self.view.spec.filter.clone();
        let mut next = match self.stashed.iter().position(|v| v.kind() == next_kind) {
            Some(pos) => self.stashed.swap_remove(pos),
            None => View::new(next_kind),
        };
        // The filter and the status filter follow the analyst across views.
        next.spec.status = status;
        next.set_filter(&filter_text, filter);
        next.filter_problem = self.view.filter_problem.clone();
        let current = std::mem::replace(&mut self.view, next);
        self.stashed.push(current);
    }

    fn open(&mut self) -> Vec<Effect> {
        match self.view.kind() {
            ViewKind::Accesses => {
                if self.view.selected_access().is_none() {
                    self.info("no access here to show");
                    return Vec::new();
                }
                self.detail = true;
                self.detail_scroll = 0;
                self.mode = Mode::Detail;
                let page = self.page();
                self.view.scroll_into_view(page);
                Vec::new()
            }
            ViewKind::Grouped(_) => {
                let (Some(group), Some(data)) = (self.view.selected_group(), &self.data) else {
                    return Vec::new();
                };
                let ctx = data.ctx();
                let mut title = group.label(&ctx);
                let owner = group.owner_label(&ctx);
                if !owner.is_empty() {
                    title = format!("{title} {owner}");
                }
                let members: Arc<[u32]> = group.members.clone().into();
                let mut inner = View::new(ViewKind::Accesses);
                inner.spec = ViewSpec {
                    within: Some(members),
                    ..ViewSpec::default()
                };
                inner.title = Some(crate::text::escape_controls(&title).into_owned());
                let outer = std::mem::replace(&mut self.view, inner);
                self.parents.push(outer);
                self.info("Esc or q goes back to the groups");
                self.rebuild()
            }
        }
    }

    fn leave_group(&mut self) -> Vec<Effect> {
        let Some(parent) = self.parents.pop() else {
            return Vec::new();
        };
        self.view = parent;
        // Labels made inside the group change the group's numbers.
        self.rebuild()
    }

    /// A background job finished.
    pub fn on_job(&mut self, result: JobResult) -> Vec<Effect> {
        match result {
            JobResult::Loaded(loaded) => self.loaded(*loaded),
            JobResult::LoadFailed(error) => {
                // Every cause, as the command line prints it: the table's
                // place shows it whole, and quitting prints it again.
                let failure = LoadFailure::new(error);
                let hint = if failure.rows.is_empty() {
                    "q quits"
                } else {
                    "E lists the rows that failed, q quits"
                };
                self.error(format!("could not load the campaign: {hint}"));
                self.load = LoadState::Failed(failure);
                Vec::new()
            }
            JobResult::LoadCancelled => {
                self.load = LoadState::Cancelled;
                Vec::new()
            }
            JobResult::View(built) => {
                self.view_built(built);
                Vec::new()
            }
            JobResult::Exported { path, what } => {
                self.exporting = None;
                self.info(format!("exported {what} to {}", path.display()));
                Vec::new()
            }
            JobResult::ExportFailed { path, error } => {
                self.exporting = None;
                self.error(format!("could not write {}: {error}", path.display()));
                Vec::new()
            }
            JobResult::Labels { version, result } => self.labels_read(version, result),
        }
    }

    /// Asks for the label store to be re-read, for labels another whoclicked
    /// made; one read at a time.
    pub fn refresh_labels(&mut self) -> Vec<Effect> {
        self.read_labels(false)
    }

    fn read_labels(&mut self, full: bool) -> Vec<Effect> {
        let Some(data) = &self.data else {
            return Vec::new();
        };
        if self.reading_labels {
            return Vec::new();
        }
        self.reading_labels = true;
        vec![Effect::ReadLabels(LabelRead {
            version: self.next_write,
            full,
            analysis: Arc::clone(&data.snapshot.analysis),
        })]
    }

    fn labels_read(
        &mut self,
        version: u64,
        result: Result<Option<Box<StoredLabels>>, StoreError>,
    ) -> Vec<Effect> {
        self.reading_labels = false;
        match result {
            Ok(None) => Vec::new(),
            Ok(Some(stored)) if version == self.next_write => self.labels_refreshed(*stored),
            // The analyst labelled while the store was being read, so this
            // picture may lack that label: read everything again.
            Ok(Some(_)) => self.read_labels(true),
            Err(err) => {
                self.error(format!("could not re-read the labels: {err}"));
                Vec::new()
            }
        }
    }

    pub fn loaded(&mut self, loaded: Loaded) -> Vec<Effect> {
        let data = Data::from_loaded(loaded);
        let accesses = data.analysis().campaign.accesses.len();
        let problems = read_problems(&data);
        self.data = Some(data);
        self.load = LoadState::Ready;
        let kind = self.row_kind();
        let (one, many) = kind.nouns();
        let mut text = format!("loaded {}", count(accesses, one, many));
        if kind == crate::model::RowKind::Hop {
            let mails = self
                .data
                .as_ref()
                .map_or(0, |d| d.analysis().campaign.recipients.len());
            text.push_str(&format!(" of {}", count(mails, "mail", "mails")));
        }
        if let Some(problems) = problems {
            text.push_str(&format!("; {problems} (E shows them)"));
        }
        self.info(text);
        self.rebuild()
    }

    /// Another process changed the labels: take the store's view of them.
    fn labels_refreshed(&mut self, stored: StoredLabels) -> Vec<Effect> {
        let Some(data) = &mut self.data else {
            return Vec::new();
        };
        let analysis = Arc::clone(&data.snapshot.analysis);
        let mut notes = stored.notes;
        notes.resize(analysis.campaign.ips.len(), None);
        data.book = stored.book;
        data.snapshot.verdicts = Arc::new(crate::review::resolve_all(&data.book, &analysis));
        data.snapshot.notes = Arc::new(notes);
        data.recount();
        self.info("labels changed by another whoclicked: reloaded");
        self.rebuild()
    }

    fn view_built(&mut self, built: ViewBuilt) {
        if self.view.building != Some(built.generation) {
            // The analyst asked for something else meanwhile.
            return;
        }
        let page = self.page();
        let v = &mut self.view;
        v.building = None;
        v.rows = built.rows;
        v.widths = built.widths;
        let pos = built.anchor_pos.unwrap_or(v.selected);
        v.select(pos, page);
    }

    pub fn is_building(&self) -> bool {
        self.view.building.is_some()
    }

    fn new_write_id(&mut self) -> u64 {
        self.next_write += 1;
        self.next_write
    }

    fn now(&self) -> Timestamp {
        (self.session.clock)()
    }

    /// Why loading failed, once it has: the runtime ends with it, so the
    /// reason reaches the shell and the exit status says it failed.
    pub fn load_failure(&self) -> Option<&LoadFailure> {
        match &self.load {
            LoadState::Failed(failure) => Some(failure),
            _ => None,
        }
    }

    /// The position of the anchor the view was on, for tests.
    pub fn anchor(&self) -> Option<Anchor> {
        self.view.anchor()
    }
}

/// What loading left behind, e.g. `2 rows skipped, 1 warning`: rows that
/// could not be read are skipped; a warning keeps its row (a nonsense screen
/// size left blank) or is about the campaign as a whole (a database that
/// could not be read). `None` when there is nothing.
pub fn read_problems(data: &Data) -> Option<String> {
    let campaign = &data.analysis().campaign;
    let skipped = usize::try_from(campaign.skipped()).unwrap_or(usize::MAX);
    let warnings = campaign.issues.len().saturating_sub(skipped) + data.warnings.len();
    let mut parts = Vec::new();
    if skipped > 0 {
        parts.push(format!("{} skipped", count(skipped, "row", "rows")));
    }
    if warnings > 0 {
        parts.push(count(warnings, "warning", "warnings"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}
