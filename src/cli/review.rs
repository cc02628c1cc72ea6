//! `whoclicked LOG...` and `whoclicked --demo`: the review screen. This file
//! only turns arguments into the screen's options: which campaign to load
//! (through the same pipeline as `report`), which knowledge base labels go
//! to, who the analyst is.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::bail;
use whoclicked::kb::Author;
use whoclicked::pipeline::{self, CampaignSource, KnowledgeSource, PrepareOptions};
use whoclicked::tui::app::{Session, system_clock};
use whoclicked::tui::jobs::{Heard, prepare_loader};
use whoclicked::tui::kb_store::KbStore;
use whoclicked::tui::store::{LabelStore, MemoryStore};
use whoclicked::tui::{TuiOptions, colour_wanted};

use super::review_args::ReviewArgs;
use super::{GlobalArgs, setup};

impl ReviewArgs {
    /// The campaign's name in the knowledge base's history.
    fn campaign_name(&self) -> String {
        if self.load.demo {
            return "demo".to_string();
        }
        self.logs.first().and_then(|p| p.file_stem()).map_or_else(
            || "campaign".to_string(),
            |s| s.to_string_lossy().into_owned(),
        )
    }
}

pub fn run(args: ReviewArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    if !args.given() {
        bail!(
            "no log given: whoclicked LOG... opens the review screen, whoclicked --demo shows \
             the demo (see whoclicked --help)"
        );
    }
    if args.load.demo && !args.logs.is_empty() {
        bail!("--demo opens the bundled campaign; give either --demo or log files");
    }
    let mail = super::load::mail_given(&args.logs, args.headers)?;
    if args.logs.iter().any(|p| p.as_os_str() == "-") {
        // The screen reads keys from stdin, so the log cannot come from there.
        bail!(
            "the review screen reads its keys from the terminal: name the log as a file \
             (`whoclicked report -` reads standard input)"
        );
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the review screen needs a terminal (stdin and stdout); to write the results to a \
             file or a pipe, use `whoclicked report`"
        );
    }
    // Fail on bad options now, not on the load thread.
    let load = args.load.options()?;
    let campaign = if mail {
        for item in &args.trust {
            whoclicked::mail::Trust::default()
                .add(item)
                .map_err(anyhow::Error::msg)?;
        }
        CampaignSource::Mail {
            files: args.logs.clone(),
            trust: args.trust.clone(),
        }
    } else {
        args.load.source(&args.logs)?
    };
    let campaign_name = args.campaign_name();
    let author = Author::new(global.analyst.as_deref(), Some(&campaign_name));

    let (store, kb, location, warnings): (Box<dyn LabelStore>, _, _, _) = if args.load.no_kb {
        (
            Box::new(MemoryStore::new()),
            KnowledgeSource::Without,
            "not kept (--no-kb)".to_string(),
            Vec::new(),
        )
    } else {
        let dir = setup::kb_dir(global, args.load.demo)?;
        let mut heard = Heard::default();
        let kb = pipeline::open_knowledge_base(&dir, &mut heard)?;
        let store = KbStore::new(kb, author.clone());
        let mut location = store.location();
        if dir.ends_with("demo-kb") && args.load.demo {
            location.push_str(" (the demo's own)");
        }
        let kb = KnowledgeSource::Shared(store.knowledge_base());
        (
            Box::new(store) as Box<dyn LabelStore>,
            kb,
            location,
            heard.warnings,
        )
    };
    let store: Arc<Mutex<Box<dyn LabelStore>>> = Arc::new(Mutex::new(store));

    let stem = if args.load.demo {
        "whoclicked-demo".to_string()
    } else {
        format!("{campaign_name}-whoclicked")
    };
    let session = Session {
        files: if args.load.demo {
            vec!["demo: 桜商事, 2026-11-10".to_string()]
        } else {
            args.logs.iter().map(|p| p.display().to_string()).collect()
        },
        analyst: Arc::from(author.analyst()),
        store_location: location,
        export_path: PathBuf::from(format!("{stem}.csv")),
        clock: system_clock,
    };
    let options = PrepareOptions {
        campaign,
        load,
        mmdb: global.mmdb.clone(),
        kb,
        author,
        // The demo's owners come from its bundled database: nothing to remember.
        cache_owners: !args.load.demo,
        decoys: args.load.decoys.clone(),
        network: args.load.network()?,
    };
    whoclicked::tui::run(TuiOptions {
        session,
        loader: prepare_loader(options, warnings),
        store,
        colour: colour_wanted(),
    })?;
    Ok(())
}
