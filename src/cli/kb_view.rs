//! What `whoclicked kb` shows: the listing, history, statistics and import
//! report, as aligned tables (sanitised) or JSON.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use jiff::tz::TimeZone;

use super::kb::EntryKind;
use super::stdout::{out, outln};
use super::table::{Table, truncate};
use whoclicked::kb::{
    Category, Entry, EntryChange, ImportReport, Key, Kind, KnowledgeBase, Location, Side, Verdict,
    format,
};
use whoclicked::text::bytes;

/// How a category is named in messages.
pub(super) fn what(category: Category) -> &'static str {
    match category {
        Category::Access => "access verdict",
        Category::Ip => "IP rule",
        Category::Net => "network rule",
        Category::Asn => "AS rule",
        Category::Note => "owner note",
        Category::Owner => "cached owner",
    }
}

/// The zone `--tz` named, once set; else the system's.
static ZONE: std::sync::OnceLock<TimeZone> = std::sync::OnceLock::new();

pub(super) fn set_zone(zone: TimeZone) {
    let _ = ZONE.set(zone);
}

/// One zone rule with the other commands: `--tz`, else local.
pub(super) fn zone() -> TimeZone {
    ZONE.get().cloned().unwrap_or_else(TimeZone::system)
}

/// How a column heading names the zone its times are in: `DATE (UTC)`,
/// `TIME (Asia/Tokyo)`, `TIME (+09:00)`.
/// (Leaked: a table's headings are static, and a command prints one table.)
fn heading(name: &str, zone: &TimeZone) -> &'static str {
    let label = whoclicked::model::zone_label(zone, jiff::Timestamp::now());
    Box::leak(format!("{name} ({label})").into_boxed_str())
}

pub(super) fn date(time: jiff::Timestamp, zone: &TimeZone) -> String {
    time.to_zoned_datetime(zone.clone()).date().to_string()
}

fn date_time(time: jiff::Timestamp, zone: &TimeZone) -> String {
    time.to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Entries as a JSON array of file lines: the same schema as the files.
fn json_array(entries: &[&Entry]) -> String {
    let mut out = String::from("[");
    for (i, e) in entries.iter().enumerate() {
        let mut line = Vec::new();
        format::write_entry(e, &mut line);
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(String::from_utf8_lossy(&line).trim_end());
    }
    out.push_str("\n]");
    out
}

/// The verdict, the note's hint, or nothing.
pub(super) fn verdict_cell(entry: &Entry) -> String {
    match entry.change() {
        EntryChange::Verdict { verdict, .. } => verdict.to_string(),
        EntryChange::Note(note) => note.hint.map_or(String::new(), |h| format!("({h})")),
        EntryChange::Owner(_) => String::new(),
        EntryChange::Removed(_) => "removed".to_string(),
    }
}

/// What the entry says beyond its verdict: the access, the note, the owner.
fn detail(entry: &Entry, zone: &TimeZone) -> String {
    let mut out = String::new();
    match entry.change() {
        EntryChange::Verdict {
            access: Some(facts),
            ..
        } => {
            let _ = write!(
                out,
                "{} {} from {} at {}, UA {}",
                facts.event,
                if facts.recipient.is_empty() {
                    "(no recipient)"
                } else {
                    &facts.recipient
                },
                facts.ip,
                date_time(facts.time.to_jiff(), zone),
                truncate(&facts.user_agent, 60),
            );
        }
        EntryChange::Note(note) => out.push_str(&note.text),
        EntryChange::Owner(owner) => {
            let o = owner.to_owner();
            out.push_str(&o.to_string());
            for part in [
                o.country_code.as_deref(),
                o.network.map(|n| n.to_string()).as_deref(),
            ]
            .into_iter()
            .flatten()
            {
                let _ = write!(out, ", {part}");
            }
            for s in &owner.sources {
                let built = s.built.map(|b| format!(" {}", date(b, &TimeZone::UTC)));
                let _ = write!(out, " [{}{}]", s.database, built.unwrap_or_default());
            }
        }
        EntryChange::Verdict { access: None, .. } | EntryChange::Removed(_) => {}
    }
    if let Some(reason) = entry.note() {
        if !out.is_empty() {
            out.push_str(" — ");
        }
        out.push_str(reason);
    }
    out
}

pub(super) fn list(
    kb: &KnowledgeBase,
    kind: Option<EntryKind>,
    json: bool,
    owners: bool,
) -> Result<()> {
    let cache = match kind {
        Some(EntryKind::Owner) => kb.owner_entries(),
        None if owners => kb.owner_entries(),
        _ => Vec::new(),
    };
    let mut entries = kb.list(kind.map(EntryKind::category));
    entries.extend(&cache);
    if json {
        outln!("{}", json_array(&entries))?;
        return Ok(());
    }
    if entries.is_empty() {
        outln!("nothing in {}", kb.dir().display())?;
        return Ok(());
    }
    let zone = zone();
    let date_heading = heading("DATE", &zone);
    let mut table = Table::new(&[
        "KIND",
        "KEY",
        "VERDICT",
        "BY",
        date_heading,
        "CAMPAIGN",
        "DETAIL",
    ]);
    for e in &entries {
        let key = e.key().to_string();
        let key = key
            .split_once(':')
            .map_or(key.as_str(), |(_, k)| k)
            .to_string();
        table.row(vec![
            e.slot().category().to_string(),
            key,
            verdict_cell(e),
            truncate(e.analyst(), 16),
            date(e.time(), &zone),
            truncate(e.campaign().unwrap_or(""), 24),
            detail(e, &zone),
        ]);
    }
    out!("{}", table.render())?;
    Ok(())
}

pub(super) fn history(kb: &KnowledgeBase, key: &str, json: bool) -> Result<()> {
    let key = Key::parse_any(key)?;
    let entries = kb.history(&key);
    if json {
        outln!("{}", json_array(&entries))?;
        return Ok(());
    }
    if entries.is_empty() {
        outln!("no entries for {key}")?;
        return Ok(());
    }
    let zone = zone();
    let time_heading = heading("TIME", &zone);
    let mut table = Table::new(&[time_heading, "BY", "CAMPAIGN", "KIND", "CHANGE", "DETAIL"]);
    for e in &entries {
        let change = match e.change() {
            EntryChange::Note(_) => "set".to_string(),
            EntryChange::Owner(_) => "looked up".to_string(),
            _ => verdict_cell(e),
        };
        table.row(vec![
            date_time(e.time(), &zone),
            truncate(e.analyst(), 16),
            truncate(e.campaign().unwrap_or(""), 24),
            e.kind().to_string(),
            change,
            detail(e, &zone),
        ]);
    }
    outln!("{key}")?;
    out!("{}", table.render())?;
    Ok(())
}

pub(super) fn stats(
    kb: &KnowledgeBase,
    location: &Location,
    json: bool,
    owners: bool,
) -> Result<()> {
    let mut s = kb.stats();
    if !owners {
        s.live.retain(|(c, _)| *c != Category::Owner);
    }
    let live = |c: Category| s.live.iter().find(|(k, _)| *k == c).map_or(0, |(_, n)| *n);
    let mut split = std::collections::BTreeMap::new();
    for e in kb.list(None) {
        if let Some(v) = e.verdict_value() {
            *split.entry((e.slot().category(), v)).or_insert(0usize) += 1;
        }
    }
    let of = |c: Category, v: Verdict| split.get(&(c, v)).copied().unwrap_or(0);
    if json {
        let mut counts = serde_json::Map::new();
        for (c, n) in &s.live {
            counts.insert(c.to_string(), (*n).into());
        }
        let mut value = serde_json::json!({
            "path": location.dir,
            "location_from": location.source.to_string(),
            "in_force": counts,
            "entries": s.entries,
            "analysts": s.analysts,
            "campaigns": s.campaigns,
            "first": s.first.map(|t| t.to_string()),
            "last": s.last.map(|t| t.to_string()),
            "generation": s.generation,
            "journal_bytes": s.journal_bytes,
            "snapshot_bytes": s.snapshot_bytes,
        });
        if owners {
            value["owner_cache"] = serde_json::json!({
                "networks": live(Category::Owner),
                "bytes": s.owners_bytes,
            });
        }
        outln!("{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    let zone = zone();
    let rules = |c: Category| {
        format!(
            "{} ({} human, {} scanner)",
            live(c),
            of(c, Verdict::Human),
            of(c, Verdict::Scanner)
        )
    };
    let mut t = Table::new(&["", ""]);
    t.row(vec![
        "location".into(),
        format!("{} (from {})", location.dir.display(), location.source),
    ]);
    t.row(vec!["access verdicts".into(), rules(Category::Access)]);
    t.row(vec!["IP rules".into(), rules(Category::Ip)]);
    t.row(vec!["network rules".into(), rules(Category::Net)]);
    t.row(vec!["AS rules".into(), rules(Category::Asn)]);
    t.row(vec!["owner notes".into(), live(Category::Note).to_string()]);
    if owners {
        t.row(vec![
            "owner cache".into(),
            format!(
                "{} networks ({})",
                live(Category::Owner),
                bytes(s.owners_bytes)
            ),
        ]);
    }
    t.row(vec![
        "history".into(),
        format!(
            "{} entries by {} analyst(s), {} campaign(s)",
            s.entries,
            s.analysts.len(),
            s.campaigns.len()
        ),
    ]);
    if let (Some(first), Some(last)) = (s.first, s.last) {
        t.row(vec![
            "period".into(),
            format!("{} … {}", date(first, &zone), date(last, &zone)),
        ]);
    }
    t.row(vec![
        "files".into(),
        format!(
            "journal {}, snapshot {} (generation {})",
            bytes(s.journal_bytes),
            bytes(s.snapshot_bytes),
            s.generation
        ),
    ]);
    // The header row of a two-column key/value list is blank; skip it.
    out!(
        "{}",
        t.render().split_once('\n').map_or("", |(_, rest)| rest)
    )?;
    Ok(())
}

fn side_cell(e: &Entry, zone: &TimeZone) -> String {
    format!(
        "{} ({}, {})",
        truncate(&verdict_cell_or_change(e), 30),
        date(e.time(), zone),
        e.analyst()
    )
}

fn verdict_cell_or_change(e: &Entry) -> String {
    match e.change() {
        EntryChange::Verdict { verdict, .. } => verdict.to_string(),
        other => other.to_string(),
    }
}

pub(super) fn import(
    kb: &mut KnowledgeBase,
    file: &Path,
    json: bool,
    allow_wide: bool,
) -> Result<()> {
    let r = kb.import_allowing(file, allow_wide)?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&import_json(&r))?)?;
        return Ok(());
    }
    outln!(
        "imported {}: {} entries read, {} added ({} now in force, {} older than decisions here and kept as history), {} already present",
        file.display(),
        r.read,
        r.added,
        r.in_force,
        r.added - r.in_force,
        r.duplicates
    )?;
    if r.owners > 0 {
        outln!("{} owner facts went into the owner cache", r.owners)?;
    }
    if r.addresses_known > 0 {
        outln!(
            "verdict changed for {} of the {} networks of earlier campaigns known here (the owner cache)",
            r.addresses_changed,
            r.addresses_known
        )?;
    }
    if r.conflicts.is_empty() {
        outln!("no conflicts")?;
        return Ok(());
    }
    outln!(
        "{} conflict(s); the newer decision is in force:",
        r.conflicts.len()
    )?;
    let zone = zone();
    let mut t = Table::new(&["KEY", "HERE", "THEIRS", "IN FORCE"]);
    for c in &r.conflicts {
        let key = match c.slot.kind {
            Kind::Verdict => c.slot.key.to_string(),
            kind => format!("{} {kind}", c.slot.key),
        };
        t.row(vec![
            key,
            side_cell(&c.local, &zone),
            side_cell(&c.theirs, &zone),
            match c.winner {
                Side::Local => "here".to_string(),
                Side::Theirs => "theirs".to_string(),
            },
        ]);
    }
    out!("{}", t.render())?;
    Ok(())
}

fn import_json(r: &ImportReport) -> serde_json::Value {
    let side = |e: &Entry| {
        serde_json::json!({
            "decision": verdict_cell_or_change(e),
            "by": e.analyst(),
            "at": e.time().to_string(),
        })
    };
    serde_json::json!({
        "file": r.path,
        "read": r.read,
        "added": r.added,
        "in_force": r.in_force,
        "duplicates": r.duplicates,
        "owners": r.owners,
        "addresses_known": r.addresses_known,
        "addresses_changed": r.addresses_changed,
        "conflicts": r.conflicts.iter().map(|c| serde_json::json!({
            "key": c.slot.key.to_string(),
            "kind": c.slot.kind.to_string(),
            "here": side(&c.local),
            "theirs": side(&c.theirs),
            "in_force": match c.winner { Side::Local => "here", Side::Theirs => "theirs" },
        })).collect::<Vec<_>>(),
    })
}
