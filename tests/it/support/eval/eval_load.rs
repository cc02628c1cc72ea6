//! A generated campaign read the way the analyst's files are read: written
//! to disk as the log files it would have, loaded with `whoclicked::input`,
//! owners from `.mmdb` databases built in memory, and through
//! `pipeline::analyse` (owners, User-Agents, suggestions). Every access is
//! traced back to the actor that made it by its file and data row.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::tz::TimeZone;
use whoclicked::analysis::Analysis;
use whoclicked::input::{LoadOptions, LoadProgress};
use whoclicked::kb::Author;
use whoclicked::pipeline::{PipelineInputs, analyse};
use whoclicked::signals::Signatures;

use super::eval_campaigns::{Actor, Format, Generated};
use super::eval_files::write_files;
use super::eval_owners::databases;

/// A loaded and analysed campaign with the actor (and so the truth) of
/// every access, indexed like `analysis.campaign.accesses`.
pub struct Labelled {
    pub name: &'static str,
    pub format: Format,
    pub analysis: Analysis,
    pub actors: Vec<Actor>,
}

/// Writes, reads and analyses one generated campaign.
pub fn load(g: &Generated, signatures: &Arc<Signatures>) -> Labelled {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let files = write_files(g);
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|f| {
            let path = dir.path().join(&f.name);
            std::fs::write(&path, &f.text).expect("the log file is written");
            path
        })
        .collect();
    let options = LoadOptions {
        zone: TimeZone::UTC,
        ..LoadOptions::default()
    };
    let campaign = whoclicked::input::load(&paths, &options, &LoadProgress::default())
        .unwrap_or_else(|e| panic!("{}: the generated logs load: {e}", g.scenario.name));
    assert!(
        campaign.issues.is_empty(),
        "{}: the readers reported {:?}",
        g.scenario.name,
        &campaign.issues[..campaign.issues.len().min(3)]
    );

    // The reader may order files differently from how they were named.
    let by_name: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    let file_of: Vec<usize> = campaign
        .files
        .iter()
        .map(|sf| {
            let name = std::path::Path::new(&sf.name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            by_name[name]
        })
        .collect();
    let actors: Vec<Actor> = campaign
        .accesses
        .iter()
        .map(|a| {
            files[file_of[usize::from(a.file)]]
                .actor(a.row)
                .unwrap_or_else(|| panic!("row {} of file {} is no access", a.row, a.file))
        })
        .collect();
    let written: usize = files.iter().map(|f| f.access_rows()).sum();
    assert_eq!(
        actors.len(),
        written,
        "{}: every access row is read, once",
        g.scenario.name
    );

    let dbs = databases(g.scenario.databases);
    let author = Author::new(Some("evaluation"), Some(g.scenario.name));
    let (analysis, report) = analyse(
        campaign,
        PipelineInputs {
            databases: &dbs,
            kb: None,
            cache_owners: false,
            author: &author,
            signatures: signatures.clone(),
            zone: TimeZone::UTC,
        },
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    Labelled {
        name: g.scenario.name,
        format: g.scenario.format,
        analysis,
        actors,
    }
}
