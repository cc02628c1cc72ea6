//! `whoclicked kb …`: look at and edit the knowledge base from the shell.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use super::GlobalArgs;
use super::kb_view::{date, history, import, list, stats, verdict_cell, what, zone};
use super::setup::Stderr;
use super::stdout::outln;
use super::table::{sanitize, truncate};
use whoclicked::kb::{
    Author, Category, Entry, EntryChange, Key, Kind, KnowledgeBase, Slot, Verdict, locate, too_wide,
};
use whoclicked::pipeline::{self, Observer, Warning};
use whoclicked::text::bytes;

/// Verdicts, rules, owner notes and cached owners, kept across campaigns.
#[derive(Debug, Args)]
pub struct KbArgs {
    #[command(subcommand)]
    pub command: KbCommand,
    /// The zone dates and times are shown in: +09:00, Asia/Tokyo, UTC or
    /// local [default: local]. The column headings name it.
    #[arg(long, value_name = "ZONE", global = true, allow_hyphen_values = true)]
    pub tz: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Print the knowledge-base directory.
    Path,
    /// List the verdicts, rules and notes in force.
    List {
        /// Only this kind of entry (`owner`: the owner cache).
        #[arg(long, value_enum)]
        kind: Option<EntryKind>,
        /// JSON (an array of entries as the files hold them).
        #[arg(long)]
        json: bool,
        /// Include the owner cache (one line per network looked up).
        #[arg(long)]
        owners: bool,
    },
    /// Add a rule: every access from this IP, network or AS gets the verdict.
    Add {
        #[arg(value_enum)]
        kind: RuleKind,
        /// An IP, a network in CIDR notation, or an AS number (AS8075 or 8075).
        key: String,
        #[arg(value_enum)]
        verdict: VerdictArg,
        /// Why (shown with the verdict and in the history).
        #[arg(long)]
        note: Option<String>,
        /// The campaign this decision belongs to.
        #[arg(long)]
        campaign: Option<String>,
        /// Take a network rule wider than an IPv4 /8 or an IPv6 /19 (it
        /// outranks the AS rules of every network inside it).
        #[arg(long)]
        allow_wide: bool,
    },
    /// Set the owner note of an IP or network ("head office proxy").
    Note {
        /// An IP or a network in CIDR notation.
        target: String,
        text: String,
        /// Which way the note points, for the suggestions.
        #[arg(long, value_enum)]
        hint: Option<VerdictArg>,
        #[arg(long)]
        campaign: Option<String>,
    },
    /// Remove an entry (the removal is recorded; history keeps the old one).
    Rm {
        #[arg(value_enum)]
        kind: EntryKind,
        key: String,
        /// Why.
        #[arg(long)]
        note: Option<String>,
    },
    /// Show every entry ever recorded about a key, oldest first.
    History {
        /// An IP, network, AS number or access fingerprint (prefixed like
        /// ip:…, net:…, asn:…, access:… or bare).
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// Count what the knowledge base holds.
    Stats {
        #[arg(long)]
        json: bool,
        /// Count the owner cache too.
        #[arg(long)]
        owners: bool,
    },
    /// Fold the journal into a new snapshot (history is kept).
    Compact,
    /// Write a self-contained copy for a colleague: verdicts, rules and
    /// notes with their history.
    Export {
        file: PathBuf,
        /// Include the owner cache (the networks of every address looked up).
        #[arg(long)]
        owners: bool,
    },
    /// Merge a colleague's export: the newest decision per key wins,
    /// conflicts are listed, nothing is dropped.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// Take network rules wider than an IPv4 /8 or an IPv6 /19.
        #[arg(long)]
        allow_wide: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EntryKind {
    Access,
    Ip,
    Net,
    Asn,
    Note,
    Owner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleKind {
    Ip,
    Net,
    Asn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerdictArg {
    Human,
    Scanner,
}

impl From<VerdictArg> for Verdict {
    fn from(v: VerdictArg) -> Verdict {
        match v {
            VerdictArg::Human => Verdict::Human,
            VerdictArg::Scanner => Verdict::Scanner,
        }
    }
}

impl EntryKind {
    pub(super) fn category(self) -> Category {
        match self {
            EntryKind::Access => Category::Access,
            EntryKind::Ip => Category::Ip,
            EntryKind::Net => Category::Net,
            EntryKind::Asn => Category::Asn,
            EntryKind::Note => Category::Note,
            EntryKind::Owner => Category::Owner,
        }
    }

    /// The slot `key` names for this kind, with the key checked for the kind.
    /// The prefixed spelling `kb history` shows (`ip:…`) is accepted too.
    fn slot(self, key: &str) -> Result<Slot> {
        let text = key.trim();
        let bare = |prefix: &str| text.strip_prefix(prefix).unwrap_or(text);
        let slot = match self {
            EntryKind::Access => Slot::verdict(Key::Access(bare("access:").parse()?)),
            EntryKind::Ip => Slot::verdict(Key::ip(bare("ip:"))?),
            EntryKind::Net => Slot::verdict(Key::net(bare("net:"))?),
            EntryKind::Asn => Slot::verdict(Key::asn(bare("asn:"))?),
            EntryKind::Note => Slot::new(Kind::Note, address_or_network(text)?)?,
            EntryKind::Owner => Slot::new(Kind::Owner, Key::ip(bare("ip:"))?)?,
        };
        Ok(slot)
    }
}

fn address_or_network(text: &str) -> Result<Key> {
    let text = text.trim();
    let text = ["ip:", "net:"]
        .iter()
        .fold(text, |t, p| t.strip_prefix(p).unwrap_or(t));
    Ok(if text.contains('/') {
        Key::net(text)?
    } else {
        Key::ip(text)?
    })
}

pub fn run(args: KbArgs, global: &GlobalArgs) -> Result<()> {
    if let Some(tz) = &args.tz {
        super::kb_view::set_zone(whoclicked::model::parse_zone(tz)?);
    }
    let location = locate(global.kb.as_deref())?;
    if let KbCommand::Path = args.command {
        outln!("{}", location.dir.display())?;
        return Ok(());
    }
    let mut kb = pipeline::open_knowledge_base(&location.dir, &mut Stderr)?;
    let analyst = global.analyst.as_deref();
    let result = match args.command {
        KbCommand::Path => Ok(()),
        KbCommand::List { kind, json, owners } => list(&kb, kind, json, owners),
        KbCommand::Add {
            kind,
            key,
            verdict,
            note,
            campaign,
            allow_wide,
        } => add(
            &mut kb,
            (kind, &key, allow_wide),
            verdict.into(),
            note.as_deref(),
            &Author::new(analyst, campaign.as_deref()),
        ),
        KbCommand::Note {
            target,
            text,
            hint,
            campaign,
        } => set_note(
            &mut kb,
            &target,
            &text,
            hint.map(Verdict::from),
            &Author::new(analyst, campaign.as_deref()),
        ),
        KbCommand::Rm { kind, key, note } => remove(
            &mut kb,
            kind,
            &key,
            note.as_deref(),
            &Author::new(analyst, None),
        ),
        KbCommand::History { key, json } => history(&kb, &key, json),
        KbCommand::Stats { json, owners } => stats(&kb, &location, json, owners),
        KbCommand::Compact => compact(&mut kb),
        KbCommand::Export { file, owners } => export(&mut kb, &file, owners),
        KbCommand::Import {
            file,
            json,
            allow_wide,
        } => import(&mut kb, &file, json, allow_wide),
    };
    warn(&mut kb);
    result
}

/// What the knowledge base met while the command ran, printed the way
/// opening it prints its warnings.
fn warn(kb: &mut KnowledgeBase) {
    for w in kb.take_warnings() {
        Stderr.warning(Warning::KnowledgeBase(w));
    }
}

fn add(
    kb: &mut KnowledgeBase,
    (kind, key, allow_wide): (RuleKind, &str, bool),
    verdict: Verdict,
    note: Option<&str>,
    author: &Author,
) -> Result<()> {
    let key = match kind {
        RuleKind::Ip => EntryKind::Ip,
        RuleKind::Net => EntryKind::Net,
        RuleKind::Asn => EntryKind::Asn,
    }
    .slot(key)?
    .key;
    if let Some(widest) = too_wide(&key)
        && !allow_wide
    {
        bail!(
            "{key} is wider than /{widest}, more than any one organisation holds: a rule on it would outrank the AS rules of every network inside it; name a narrower network, or give --allow-wide if this is meant"
        );
    }
    let before = kb.current(&Slot::verdict(key)).cloned();
    kb.record(Entry::verdict(author, key, verdict).with_note(note))?;
    let mut msg = format!("{key} → {verdict}");
    if let Some(old) = before {
        let _ = write!(
            msg,
            " (was {}, {}, {})",
            verdict_cell(&old),
            date(old.time(), &zone()),
            old.analyst()
        );
    }
    outln!("{}, saved", sanitize(&msg))?;
    Ok(())
}

fn set_note(
    kb: &mut KnowledgeBase,
    target: &str,
    text: &str,
    hint: Option<Verdict>,
    author: &Author,
) -> Result<()> {
    let key = address_or_network(target)?;
    kb.record(Entry::owner_note(author, key, text, hint)?)?;
    outln!("note on {key} saved")?;
    Ok(())
}

fn remove(
    kb: &mut KnowledgeBase,
    kind: EntryKind,
    key: &str,
    note: Option<&str>,
    author: &Author,
) -> Result<()> {
    let slot = kind.slot(key)?;
    if let (Kind::Owner, Key::Ip(ip)) = (slot.kind, slot.key) {
        return forget_owner(kb, ip);
    }
    let Some(old) = kb.current(&slot).cloned() else {
        bail!(
            "nothing to remove: no {} for {}",
            what(kind.category()),
            slot.key
        );
    };
    kb.record(Entry::removal(author, slot).with_note(note))?;
    let was = match old.change() {
        EntryChange::Verdict { verdict, .. } => verdict.to_string(),
        other => truncate(&other.to_string(), 40),
    };
    outln!(
        "{}",
        sanitize(&format!(
            "removed the {} for {} (was {was}, {}, {}), saved; `kb history` keeps it",
            what(kind.category()),
            slot.key,
            date(old.time(), &zone()),
            old.analyst()
        ))
    )?;
    Ok(())
}

/// The owner cache keeps no history: its record for the network holding
/// `ip` is dropped (the next lookup of an address there fills it again).
fn forget_owner(kb: &mut KnowledgeBase, ip: std::net::IpAddr) -> Result<()> {
    let Some(old) = kb.forget_owner(ip)? else {
        bail!("nothing to remove: no cached owner for {ip}");
    };
    outln!(
        "{}",
        sanitize(&format!(
            "removed the cached owner of {} (was {}, looked up {})",
            old.key(),
            truncate(&old.change().to_string(), 40),
            date(old.time(), &zone()),
        ))
    )?;
    Ok(())
}

fn compact(kb: &mut KnowledgeBase) -> Result<()> {
    let r = kb.compact()?;
    outln!(
        "compacted: {} → {} entries, {} → {} (generation {})",
        r.entries_before,
        r.entries_after,
        bytes(r.bytes_before),
        bytes(r.bytes_after),
        r.generation
    )?;
    Ok(())
}

fn export(kb: &mut KnowledgeBase, file: &Path, owners: bool) -> Result<()> {
    let n = kb.export(file, owners)?;
    outln!("exported {n} entries to {}", file.display())?;
    Ok(())
}
