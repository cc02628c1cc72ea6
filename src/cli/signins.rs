//! `whoclicked report` on sign-in and audit logs: every event with its
//! owner and judgement as a table, CSV or JSON, then the summary per
//! account, the Message-ID link for mails given alongside, and what the
//! logs cannot show.

use std::io::{self, BufWriter, Read, Write};

use anyhow::{Context as _, bail};
use whoclicked::atomic_file::{self, FileMode, WriteError};
use whoclicked::demo;
use whoclicked::input::{DateOrder, LoadProgress};
use whoclicked::pipeline::{cache_owners, signin::judge_investigation};
use whoclicked::report::OutputFormat;
use whoclicked::signals::Signatures;
use whoclicked::signin::output::{self, Context};
use whoclicked::signin::{Investigation, ReadOptions, summary};
use whoclicked::text::escape_controls;

use super::GlobalArgs;
use super::load::{LogFormatArg, SigninSource};
use super::report::ReportArgs;
use super::setup;

/// Reads the investigation's files; unreadable files are reported and the
/// others read (an error only when none could be).
fn read(
    source: &SigninSource,
    options: &ReadOptions,
) -> anyhow::Result<(Investigation, Vec<String>)> {
    let mut inv = Investigation::new();
    let mut message_ids = Vec::new();
    match source {
        SigninSource::Demo => {
            inv = demo::signins::load(options)?;
            let (name, bytes) = demo::signins::MAIL;
            message_ids.extend(mail_ids(name, bytes));
        }
        SigninSource::Files { logs, mails } => {
            let mut failed = 0;
            for path in logs {
                let name = path.display().to_string();
                let result = if path.as_os_str() == "-" {
                    let mut bytes = Vec::new();
                    io::stdin()
                        .read_to_end(&mut bytes)
                        .context("reading standard input")?;
                    inv.read("standard input", &bytes[..], options)
                } else {
                    match std::fs::File::open(path) {
                        Ok(file) => inv.read(&name, file, options),
                        Err(e) => {
                            eprintln!("whoclicked: cannot read {}: {e}", escape_controls(&name));
                            failed += 1;
                            continue;
                        }
                    }
                };
                if let Err(e) = result {
                    eprintln!("whoclicked: {}", escape_controls(&e.to_string()));
                    failed += 1;
                }
            }
            if failed == logs.len() && !logs.is_empty() {
                bail!(
                    "none of the {} file(s) could be read as a sign-in or audit log",
                    logs.len()
                );
            }
            for path in mails {
                let name = path.display().to_string();
                match std::fs::read(path) {
                    Ok(bytes) => message_ids.extend(mail_ids(&name, &bytes)),
                    Err(e) => eprintln!("whoclicked: cannot read {}: {e}", escape_controls(&name)),
                }
            }
            inv.finish();
        }
    }
    Ok((inv, message_ids))
}

/// The Message-IDs of a mail file's messages.
fn mail_ids(name: &str, bytes: &[u8]) -> Vec<String> {
    match whoclicked::mail::read(name, bytes) {
        Ok(messages) => messages
            .iter()
            .filter_map(|m| m.first("Message-ID").map(|h| h.value.trim().to_string()))
            .collect(),
        Err(e) => {
            eprintln!("whoclicked: {}", escape_controls(&e.to_string()));
            Vec::new()
        }
    }
}

pub fn run(
    global: &GlobalArgs,
    args: &ReportArgs,
    source: SigninSource,
    format: OutputFormat,
) -> anyhow::Result<()> {
    let demo_run = matches!(source, SigninSource::Demo);
    let zone = args.load.zone()?;
    let since = match &args.since {
        Some(text) => {
            let mut parser = whoclicked::input::TimeParser::new(zone.clone());
            Some(
                parser
                    .parse(text)
                    .map_err(|e| anyhow::anyhow!("--since {text:?} {}", e.describe()))?,
            )
        }
        None => None,
    };
    let options = ReadOptions {
        kind: args.load.log_format.and_then(LogFormatArg::signin_kind),
        date_order: args
            .load
            .date_order
            .map(DateOrder::from)
            .unwrap_or_default(),
        keep_raw: format == OutputFormat::Json,
    };
    let (inv, message_ids) = read(&source, &options)?;
    for issue in inv.issues.iter().take(20) {
        let file = inv
            .files
            .get(usize::from(issue.file))
            .map_or("?", |f| f.name.as_str());
        let column = issue
            .column
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default();
        eprintln!(
            "whoclicked: {}:{}{column}: {}",
            escape_controls(file),
            issue.line,
            escape_controls(&issue.reason)
        );
    }
    if inv.issues.len() > 20 {
        eprintln!(
            "whoclicked: … and {} more unreadable records (all of them are in the JSON output)",
            inv.issues.len() - 20
        );
    }
    let databases = if demo_run {
        demo::signins::databases(&global.mmdb)?
    } else {
        setup::open_databases(global)?
    };
    let mut kb = if args.load.no_kb {
        None
    } else {
        Some(setup::open_kb(global, demo_run)?)
    };
    let signatures = Signatures::builtin()?;
    let judgement = judge_investigation(
        &inv,
        &databases,
        kb.as_ref(),
        &signatures,
        &zone,
        &LoadProgress::default(),
    );
    if let Some(kb) = kb.as_mut()
        && !demo_run
        && !judgement.to_cache.is_empty()
    {
        let author = setup::author(global, args.campaign.as_deref());
        if let Err(err) = cache_owners(kb, &author, &judgement.to_cache) {
            eprintln!("whoclicked: warning: owner facts not cached: {err}");
        }
    }
    for warning in &judgement.warnings {
        eprintln!("whoclicked: warning: {warning}");
    }
    // What these logs show as the accounts' usual places joins the
    // knowledge base's account history, for the next investigation.
    if let Some(kb) = kb.as_mut()
        && !demo_run
        && !kb.read_only()
        && let Err(err) = kb.remember_accounts(&judgement.learned)
    {
        eprintln!("whoclicked: warning: the accounts' usual places were not kept: {err}");
    }
    let mut sent = Vec::new();
    for id in &message_ids {
        match summary::sent_by(&inv.events, id) {
            Some(found) => sent.push(found),
            None => eprintln!(
                "whoclicked: no Send record with Message-ID {} in these logs",
                escape_controls(id)
            ),
        }
    }
    let warnings = summary::warnings(&inv, since, &zone);
    let ctx = Context {
        investigation: &inv,
        judged: &judgement.judged,
        facts: &judgement.facts,
        zone: &zone,
        warnings: &warnings,
        sent: &sent,
    };
    let write = |out: &mut dyn Write| match format {
        OutputFormat::Table => output::write_table(out, &ctx),
        OutputFormat::Csv => output::write_csv(out, &ctx, args.excel),
        OutputFormat::Json => output::write_json(out, &ctx),
    };
    let written = match &args.output {
        Some(path) => atomic_file::write(path, FileMode::Usual, |out| write(out)),
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out)
                .and_then(|()| out.flush())
                .map_err(|source| WriteError::new("standard output", source))
        }
    };
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        Err(e) => bail!(
            "cannot write the report to {}: {}",
            whoclicked::text::path_text(&e.path),
            e.source
        ),
        Ok(()) => {}
    }
    if let Some(path) = &args.output {
        eprintln!(
            "whoclicked: wrote {} events to {}",
            inv.events.len(),
            whoclicked::text::path_text(path)
        );
    }
    if format != OutputFormat::Table {
        for w in &warnings {
            eprintln!("whoclicked: note: {}", escape_controls(w));
        }
    }
    Ok(())
}
