//! Labelling: turning `h`/`s`/`c` (on a row, a group, the marked rows) and
//! the `H`/`S`/`C` scope chooser into label changes, applying them with
//! precedence, asking the runtime to persist them, and undoing them.

use std::sync::Arc;

use super::{App, Effect};
use crate::analysis::Analysis;
use crate::model::Verdict;
use crate::review::{
    Change, GroupKey, LabelInfo, LabelKey, Scope, apply_changes, group_rule, preview,
    revert_changes, shadowed,
};
use crate::text::count;
use crate::tui::keymap::Mode;
use crate::tui::store::{LabelWrite, StoreError};

/// One labelling step as the analyst made it; undo reverts it as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelOp {
    /// `AS8075 Microsoft Corporation`, `3 marked accesses`…
    pub what: String,
    pub verdict: Option<Verdict>,
    pub changes: Vec<Change>,
}

impl LabelOp {
    fn writes(&self, undo: bool) -> Vec<LabelWrite> {
        self.changes
            .iter()
            .map(|c| LabelWrite {
                key: c.key,
                verdict: if undo { &c.before } else { &c.after }
                    .as_ref()
                    .map(|i| i.verdict),
            })
            .collect()
    }

    fn verb(&self) -> &'static str {
        match self.verdict {
            Some(Verdict::Human) => "→ human",
            Some(Verdict::Scanner) => "→ scanner",
            None => "cleared",
        }
    }
}

/// Which direction a write in flight went, to roll it back if it fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WriteKind {
    Do,
    Undo,
    Redo,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    pub done: Vec<LabelOp>,
    pub undone: Vec<LabelOp>,
    /// The write the runtime is carrying out, with the message to confirm it.
    pending: Option<(u64, WriteKind, String)>,
    /// The last `u` found keys someone else changed since and asked; the
    /// next `u` takes the change back anyway, any other key forgets it.
    pub confirm_undo: bool,
}

/// Whether the label now in force for a key is no longer the one this
/// analyst's change put there: another whoclicked changed it since.
fn changed_since(now: Option<&LabelInfo>, mine: Option<&LabelInfo>) -> bool {
    match (now, mine) {
        (Some(now), Some(mine)) => {
            now.verdict != mine.verdict
                || matches!((&now.analyst, &mine.analyst), (Some(a), Some(b)) if a != b)
        }
        (None, None) => false,
        _ => true,
    }
}

/// One line of the scope chooser.
#[derive(Clone, Debug, PartialEq)]
pub struct ScopeChoice {
    /// `this IP 40.94.1.2`.
    pub label: String,
    /// `None` where the scope does not exist for this access (no AS known…).
    pub scope: Option<Scope>,
    /// Why it is not offered.
    pub unavailable: Option<String>,
    /// Accesses whose verdict the choice would change.
    pub changes: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScopeDialog {
    pub verdict: Option<Verdict>,
    pub choices: Vec<ScopeChoice>,
}

/// Why a group row has no rule (see `review::group_rule`), and what to do instead.
fn group_refusal(key: &GroupKey) -> &'static str {
    match key {
        GroupKey::Network { .. } => {
            "this network is only an estimate (no database knew these addresses), so no rule can be \
             stored for it: open the group (Enter) and label its accesses, or label by IP"
        }
        GroupKey::Asn(None) => {
            "no AS is known for these addresses, so no rule can be stored: open the group (Enter) \
             and label its accesses, or label by IP"
        }
        _ => "no rule is possible for this group",
    }
}

impl App {
    /// `h`/`s`/`c`: the marked rows, else the row under the cursor (a group
    /// view's row as a rule).
    pub(super) fn label_current(&mut self, verdict: Option<Verdict>) -> Vec<Effect> {
        let Some(data) = &self.data else {
            self.info("nothing to label yet: the campaign is still loading");
            return Vec::new();
        };
        let analysis = data.analysis();
        let ctx = data.ctx();
        let mut targets: Vec<(Scope, String)> = Vec::new();
        let mut skipped = 0;
        if !self.view.marks.is_empty() {
            let marks = &self.view.marks;
            if !marks.accesses.is_empty() {
                let rows: Vec<u32> = marks.accesses.iter().copied().collect();
                let what = format!("{} marked accesses", rows.len());
                targets.push((Scope::Accesses(rows), what));
            }
            if let crate::review::ViewRows::Groups(groups) = &self.view.rows {
                for g in groups.iter().filter(|g| marks.groups.contains(&g.key)) {
                    match group_scope(analysis, g) {
                        Some(scope) => targets.push((scope, g.label(&ctx))),
                        None => skipped += 1,
                    }
                }
            }
            if targets.len() > 1 {
                let what = format!("{} marked rows", self.view.marks.len() - skipped);
                for t in &mut targets {
                    t.1 = what.clone();
                }
            }
        } else if let Some(i) = self.view.selected_access() {
            if verdict.is_none() && data.book.get(LabelKey::Access(i)).is_none() {
                let text = match data.book.resolve(analysis, i) {
                    Some((key, _)) => format!(
                        "this access has no verdict of its own; it follows rule {key}: clear \
                         that in its group view, or with C"
                    ),
                    None => "this access has no verdict to clear".to_string(),
                };
                self.info(text);
                return Vec::new();
            }
            targets.push((Scope::Access(i), describe_access(data, i)));
        } else if let Some(group) = self.view.selected_group() {
            match group_scope(analysis, group) {
                Some(scope) => {
                    let mut what = group.label(&ctx);
                    let owner = group.owner_label(&ctx);
                    if !owner.is_empty() && !matches!(group.key, GroupKey::Recipient(_)) {
                        what = format!("{what} {owner}");
                    }
                    targets.push((scope, what));
                }
                None => {
                    let text = group_refusal(&group.key);
                    self.error(text);
                    return Vec::new();
                }
            }
        } else {
            self.info("no row here to label");
            return Vec::new();
        }
        let what = targets.first().map(|t| t.1.clone()).unwrap_or_default();
        let scopes: Vec<Scope> = targets.into_iter().map(|t| t.0).collect();
        let note = (skipped > 0)
            .then(|| format!("; {skipped} marked groups skipped (no rule possible for them)"));
        let effects = self.apply(scopes, verdict, what, note);
        self.view.marks.clear();
        effects
    }

    /// Turns scopes into changes, applies them, records them for undo and
    /// asks for them to be persisted.
    fn apply(
        &mut self,
        scopes: Vec<Scope>,
        verdict: Option<Verdict>,
        what: String,
        note: Option<String>,
    ) -> Vec<Effect> {
        let analyst = self.session.analyst.clone();
        let now = self.now();
        let Some(data) = &mut self.data else {
            return Vec::new();
        };
        let analysis = Arc::clone(&data.snapshot.analysis);
        let index = Arc::clone(&data.index);
        let mut keys: Vec<LabelKey> = Vec::new();
        for scope in &scopes {
            for key in scope.keys(&analysis, &index) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        let changes: Vec<Change> = keys
            .iter()
            .filter_map(|&key| {
                let before = data.book.get(key).cloned();
                if before.as_ref().map(|b| b.verdict) == verdict {
                    return None;
                }
                let after = verdict.map(|v| LabelInfo {
                    verdict: v,
                    analyst: Some(analyst.clone()),
                    at: Some(now),
                    note: before.as_ref().and_then(|b| b.note.clone()),
                });
                Some(Change { key, before, after })
            })
            .collect();
        let verb = match verdict {
            Some(Verdict::Human) => "human",
            Some(Verdict::Scanner) => "scanner",
            None => "unlabelled",
        };
        if changes.is_empty() {
            self.info(format!("{what} is already {verb}: nothing changed"));
            return Vec::new();
        }
        // Accesses a new rule leaves alone because something more specific decides them.
        let kept = match changes.as_slice() {
            [single] if verdict.is_some() => shadowed(&data.book, &analysis, &index, single.key),
            _ => 0,
        };
        let verdicts = Arc::make_mut(&mut data.snapshot.verdicts);
        let moved = apply_changes(&mut data.book, verdicts, &analysis, &index, &changes);
        data.recount();
        let op = LabelOp {
            what,
            verdict,
            changes,
        };
        let mut text = format!(
            "{} {} ({})",
            op.what,
            op.verb(),
            count(moved, "access", "accesses")
        );
        if kept > 0 {
            text.push_str(&format!("; {kept} keep a more specific label"));
        }
        if let Some(note) = note {
            text.push_str(&note);
        }
        let writes = op.writes(false);
        self.history.done.push(op);
        self.history.undone.clear();
        self.persist(WriteKind::Do, writes, text)
    }

    fn persist(&mut self, kind: WriteKind, writes: Vec<LabelWrite>, text: String) -> Vec<Effect> {
        let id = self.new_write_id();
        self.info(format!("{text}, saving…"));
        self.history.pending = Some((id, kind, text));
        let mut effects = vec![Effect::Persist { id, writes }];
        effects.extend(self.rebuild());
        effects
    }

    /// The runtime's answer to `Effect::Persist`. Only a confirmed write is
    /// reported as saved; a failed one is rolled back on screen.
    pub fn saved(&mut self, id: u64, result: Result<(), StoreError>) -> Vec<Effect> {
        let Some((pending, kind, text)) = self.history.pending.take() else {
            return Vec::new();
        };
        if pending != id {
            self.history.pending = Some((pending, kind, text));
            return Vec::new();
        }
        let err = match result {
            Ok(()) => {
                self.info(format!("{text}, saved"));
                return Vec::new();
            }
            Err(err) => err,
        };
        // Put the screen back the way the knowledge base still has it.
        let op = match kind {
            WriteKind::Do | WriteKind::Redo => self.history.done.pop(),
            WriteKind::Undo => self.history.undone.pop(),
        };
        if let (Some(op), Some(data)) = (op, &mut self.data) {
            let analysis = Arc::clone(&data.snapshot.analysis);
            let verdicts = Arc::make_mut(&mut data.snapshot.verdicts);
            match kind {
                WriteKind::Do => {
                    revert_changes(
                        &mut data.book,
                        verdicts,
                        &analysis,
                        &data.index,
                        &op.changes,
                    );
                }
                WriteKind::Redo => {
                    revert_changes(
                        &mut data.book,
                        verdicts,
                        &analysis,
                        &data.index,
                        &op.changes,
                    );
                    self.history.undone.push(op);
                }
                WriteKind::Undo => {
                    apply_changes(
                        &mut data.book,
                        verdicts,
                        &analysis,
                        &data.index,
                        &op.changes,
                    );
                    self.history.done.push(op);
                }
            }
            data.recount();
        }
        self.error(format!("NOT saved ({err}); the change was taken back"));
        self.rebuild()
    }

    pub(super) fn undo(&mut self) -> Vec<Effect> {
        self.step_history(true)
    }

    pub(super) fn redo(&mut self) -> Vec<Effect> {
        self.step_history(false)
    }

    /// Undo takes the last done operation back, redo makes the last undone
    /// one again; either way the operation moves to the other stack and the
    /// knowledge base is told, like any label.
    fn step_history(&mut self, undo: bool) -> Vec<Effect> {
        let word = if undo { "undo" } else { "redo" };
        if undo
            && !std::mem::take(&mut self.history.confirm_undo)
            && let Some(question) = self.changed_by_others()
        {
            self.history.confirm_undo = true;
            self.info(question);
            return Vec::new();
        }
        let from = if undo {
            &mut self.history.done
        } else {
            &mut self.history.undone
        };
        let Some(op) = from.pop() else {
            self.info(format!("nothing to {word}"));
            return Vec::new();
        };
        let Some(data) = &mut self.data else {
            return Vec::new();
        };
        let analysis = Arc::clone(&data.snapshot.analysis);
        let verdicts = Arc::make_mut(&mut data.snapshot.verdicts);
        let step = if undo { revert_changes } else { apply_changes };
        let moved = step(
            &mut data.book,
            verdicts,
            &analysis,
            &data.index,
            &op.changes,
        );
        data.recount();
        // "took back X → human" cannot be read as X now being human.
        let text = format!(
            "{} {} {} ({})",
            if undo { "took back" } else { "made again:" },
            op.what,
            op.verb(),
            count(moved, "access", "accesses")
        );
        let writes = op.writes(undo);
        let kind = if undo {
            self.history.undone.push(op);
            WriteKind::Undo
        } else {
            self.history.done.push(op);
            WriteKind::Redo
        };
        self.persist(kind, writes, text)
    }

    /// When the last labelling's keys were changed by someone else since
    /// (the screen re-read the knowledge base), the question to ask before
    /// undoing it: undoing would remove their newer decision.
    fn changed_by_others(&self) -> Option<String> {
        let op = self.history.done.last()?;
        let data = self.data.as_ref()?;
        let changed: Vec<&crate::review::Change> = op
            .changes
            .iter()
            .filter(|c| changed_since(data.book.get(c.key), c.after.as_ref()))
            .collect();
        let first = changed.first()?;
        let now = match data.book.get(first.key) {
            Some(info) => format!(
                "now {}{}",
                info.verdict,
                info.analyst
                    .as_deref()
                    .map(|a| format!(" by {}", crate::text::escape_controls(a)))
                    .unwrap_or_default()
            ),
            None => "now removed".to_string(),
        };
        let others = match changed.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        Some(format!(
            "{}{others} changed since your label ({now}): u again takes yours back anyway and removes that; any other key leaves it",
            first.key
        ))
    }

    /// `H`/`S`/`C`: offer the scopes of the access under the cursor, each
    /// with the number of accesses it would change.
    pub(super) fn open_scope(&mut self, verdict: Option<Verdict>) {
        let Some(i) = self.view.selected_access() else {
            let text = if self.data.is_none() {
                "nothing to label yet: the campaign is still loading"
            } else {
                "the scope chooser works on an access: in a group view h / s / c label the whole group"
            };
            self.info(text);
            return;
        };
        let Some(data) = &mut self.data else {
            return;
        };
        let analysis = Arc::clone(&data.snapshot.analysis);
        let campaign = &analysis.campaign;
        let access = campaign.accesses[i as usize];
        let owner = &analysis.owners[access.ip.index()];
        let owner_name = owner
            .display_name()
            .map(|n| format!(" ({})", crate::text::escape_controls(n)))
            .unwrap_or_default();
        let mut choices = vec![
            ScopeChoice {
                label: format!(
                    "this access ({})",
                    describe_access(data, i)
                        .trim_start_matches("access ")
                        .get(5..)
                        .unwrap_or_default()
                ),
                scope: Some(Scope::Access(i)),
                unavailable: None,
                changes: 0,
            },
            ScopeChoice {
                label: format!("this IP {}{owner_name}", campaign.ip(access.ip)),
                scope: Some(Scope::Ip(access.ip)),
                unavailable: None,
                changes: 0,
            },
        ];
        choices.push(match owner.network {
            Some(net) => ScopeChoice {
                label: format!(
                    "this network {}{owner_name}",
                    LabelKey::network(net)
                        .to_string()
                        .trim_start_matches("net:")
                ),
                scope: Some(Scope::Network(net)),
                unavailable: None,
                changes: 0,
            },
            None => unavailable("this network", "no database gave a prefix for this address"),
        });
        choices.push(match owner.asn {
            Some(n) => ScopeChoice {
                label: format!(
                    "this AS AS{n}{}",
                    owner
                        .as_org
                        .as_deref()
                        .map(|o| format!(" {}", crate::text::escape_controls(o)))
                        .unwrap_or_default()
                ),
                scope: Some(Scope::Asn(n)),
                unavailable: None,
                changes: 0,
            },
            None => unavailable("this AS", "no AS is known for this address"),
        });
        choices.push(match access.recipient() {
            Some(r) => ScopeChoice {
                label: format!(
                    "all accesses of {}",
                    crate::text::escape_controls(campaign.strings.get(campaign.recipient(r).name))
                ),
                scope: Some(Scope::Recipient(r)),
                unavailable: None,
                changes: 0,
            },
            None => unavailable(
                "all accesses of this recipient",
                "the access has no recipient",
            ),
        });
        for choice in &mut choices {
            if let Some(scope) = &choice.scope {
                let keys = scope.keys(&analysis, &data.index);
                choice.changes = preview(
                    &mut data.book,
                    &data.snapshot.verdicts,
                    &analysis,
                    &data.index,
                    &keys,
                    verdict,
                );
            }
        }
        self.scope = Some(ScopeDialog { verdict, choices });
        self.mode = Mode::Scope;
    }

    pub(super) fn update_scope(&mut self, action: crate::tui::action::Action) -> Vec<Effect> {
        use crate::tui::action::Action;
        match action {
            Action::Back => {
                self.scope = None;
                self.mode = self.base_mode();
                Vec::new()
            }
            Action::Quit => self.quit(),
            Action::Choose(n) => {
                let Some(dialog) = &self.scope else {
                    self.mode = self.base_mode();
                    return Vec::new();
                };
                let Some(choice) = dialog
                    .choices
                    .get(usize::from(n).saturating_sub(1))
                    .cloned()
                else {
                    return Vec::new();
                };
                let verdict = dialog.verdict;
                match choice.scope {
                    Some(scope) => {
                        self.scope = None;
                        self.mode = self.base_mode();
                        let what = choice.label.trim_start_matches("this ").to_string();
                        let what = match scope {
                            Scope::Access(i) => self
                                .data
                                .as_ref()
                                .map(|d| describe_access(d, i))
                                .unwrap_or(what),
                            _ => what,
                        };
                        self.apply(vec![scope], verdict, what, None)
                    }
                    None => {
                        let why = choice.unavailable.unwrap_or_default();
                        self.error(format!("{}: {why}", choice.label));
                        Vec::new()
                    }
                }
            }
            _ => Vec::new(),
        }
    }
}

fn unavailable(label: &str, why: &str) -> ScopeChoice {
    ScopeChoice {
        label: label.to_string(),
        scope: None,
        unavailable: Some(why.to_string()),
        changes: 0,
    }
}

fn group_scope(analysis: &Analysis, group: &crate::review::Group) -> Option<Scope> {
    match group.key {
        GroupKey::Recipient(_) => Some(Scope::Accesses(group.members.clone())),
        key => group_rule(analysis, &key).map(|k| match k {
            LabelKey::Ip(_) => match key {
                GroupKey::Ip(id) => Scope::Ip(id),
                _ => Scope::Accesses(group.members.clone()),
            },
            LabelKey::Net(net) => Scope::Network(net),
            LabelKey::Asn(n) => Scope::Asn(n),
            LabelKey::Access(i) => Scope::Access(i),
        }),
    }
}

/// `access 09:14:03 alice@example.jp` for messages.
fn describe_access(data: &crate::tui::data::Data, i: u32) -> String {
    let analysis = data.analysis();
    let a = &analysis.campaign.accesses[i as usize];
    let ctx = data.ctx();
    let time = ctx
        .time_of(i)
        .map_or(crate::review::NO_DATE.to_string(), |t| {
            t.format_short(&analysis.zone)
        });
    let noun = ctx.kind().nouns().0;
    let who = analysis.campaign.recipient_name(a);
    let text = if who.is_empty() {
        format!("{noun} {time} {}", analysis.campaign.ip(a.ip))
    } else {
        format!("{noun} {time} {who}")
    };
    crate::text::escape_controls(&text).into_owned()
}
