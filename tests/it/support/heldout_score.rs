//! Scoring the suggestions on the held-out world (`heldout`): every
//! campaign written in every format under every perturbation, read through
//! whoclicked's readers and pipeline with the world's owner database, and
//! each suggestion set beside its access's truth. MEASURING only: nothing
//! is tuned against these figures (the evaluation set in `eval` is for
//! that).
//!
//! The tables: the matrix per input format (scanner recall, humans
//! suggested scanner, unsure), the same per perturbation, per scenario
//! family, and a reliability table (the confidence shown against how often
//! the suggestion was right).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;
use whoclicked::input::{LoadProgress, load};
use whoclicked::kb::Author;
use whoclicked::model::Leaning;
use whoclicked::owner::OwnerDatabases;
use whoclicked::pipeline::{PipelineInputs, analyse};
use whoclicked::signals::Signatures;

use super::heldout::{self, Actor, Family, Format, Perturbation};

/// One access's truth and what whoclicked suggested.
#[derive(Clone, Copy, Debug)]
pub struct Scored {
    pub family: Family,
    pub actor: Actor,
    pub label: Leaning,
    /// The confidence the suggestion carries (0.5 to 1).
    pub confidence: f32,
}

/// One written file, scored.
#[derive(Clone, Debug)]
pub struct ScoredFile {
    pub campaign: &'static str,
    pub format: Format,
    pub perturbation: Perturbation,
    pub accesses: Vec<Scored>,
}

/// Counts per truth and suggestion: `[human, scanner, unsure]` per actor.
#[derive(Clone, Copy, Debug, Default)]
pub struct Matrix {
    pub human: [usize; 3],
    pub scanner: [usize; 3],
}

fn column(l: Leaning) -> usize {
    match l {
        Leaning::Human => 0,
        Leaning::Scanner => 1,
        Leaning::Unsure => 2,
    }
}

impl Matrix {
    pub fn add(&mut self, s: &Scored) {
        let row = match s.actor {
            Actor::Human => &mut self.human,
            Actor::Scanner => &mut self.scanner,
        };
        row[column(s.label)] += 1;
    }

    pub fn of(scored: impl IntoIterator<Item = Scored>) -> Matrix {
        let mut m = Matrix::default();
        for s in scored {
            m.add(&s);
        }
        m
    }

    pub fn total(&self) -> usize {
        self.human.iter().chain(&self.scanner).sum()
    }

    pub fn scanner_recall(&self) -> f64 {
        self.scanner[1] as f64 / self.scanner.iter().sum::<usize>().max(1) as f64
    }

    pub fn human_as_scanner(&self) -> f64 {
        self.human[1] as f64 / self.human.iter().sum::<usize>().max(1) as f64
    }

    pub fn unsure(&self) -> f64 {
        (self.human[2] + self.scanner[2]) as f64 / self.total().max(1) as f64
    }

    /// Scanner recall ≥ 98 %, humans called scanner ≤ 1 %, unsure ≤ 5 %.
    pub fn meets_floors(&self) -> bool {
        self.scanner_recall() >= 0.98 && self.human_as_scanner() <= 0.01 && self.unsure() <= 0.05
    }

    /// `| 96.1% | 2.0% | 6.3% |` with the counts behind.
    pub fn row(&self) -> String {
        format!(
            "{:>6.2}% | {:>5.2}% | {:>5.2}% | {:>6} | {}",
            self.scanner_recall() * 100.0,
            self.human_as_scanner() * 100.0,
            self.unsure() * 100.0,
            self.total(),
            if self.meets_floors() { "ok" } else { "BELOW" }
        )
    }
}

/// Writes, reads and analyses every held-out campaign in every format
/// under every perturbation that changes what the format holds (a GoPhish
/// file has no screens to take away, an access log and the native file
/// without delivery no delivery times).
pub fn score_all(signatures: &Arc<Signatures>) -> Vec<ScoredFile> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let paths = heldout::databases(dir.path());
    let databases = OwnerDatabases::open(&paths).expect("the held-out database opens");
    let mut out = Vec::new();
    for campaign in heldout::campaigns() {
        for p in campaign.perturbations() {
            for format in Format::ALL {
                let same_as_is = (p.no_screens && format == Format::GoPhish)
                    || (p.no_delivery
                        && matches!(format, Format::NativeWithoutDelivery | Format::Combined));
                if same_as_is {
                    continue;
                }
                out.push(score_file(
                    &campaign,
                    format,
                    p,
                    dir.path(),
                    &databases,
                    signatures,
                ));
            }
        }
    }
    out
}

fn score_file(
    campaign: &heldout::HeldoutCampaign,
    format: Format,
    p: Perturbation,
    dir: &Path,
    databases: &OwnerDatabases,
    signatures: &Arc<Signatures>,
) -> ScoredFile {
    let written = campaign.write_files(dir, format, p);
    let loaded = load(
        std::slice::from_ref(&written.path),
        &campaign.load_options(),
        &LoadProgress::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", written.path.display()));
    let truths: Vec<(Family, Actor)> = written
        .truth_in_read_order(&loaded)
        .into_iter()
        .map(|t| (t.family, t.actor))
        .collect();
    let author = Author::new(Some("evaluation"), Some(campaign.id()));
    let (analysis, _) = analyse(
        loaded,
        PipelineInputs {
            databases,
            kb: None,
            cache_owners: false,
            author: &author,
            signatures: signatures.clone(),
            zone: TimeZone::UTC,
        },
    );
    let table = analysis.suggestions();
    let accesses = truths
        .into_iter()
        .enumerate()
        .map(|(i, (family, actor))| {
            let s = table.get(i).expect("one suggestion per access");
            Scored {
                family,
                actor,
                label: s.label,
                confidence: s.confidence(),
            }
        })
        .collect();
    std::fs::remove_file(&written.path).ok();
    ScoredFile {
        campaign: campaign.id(),
        format,
        perturbation: p,
        accesses,
    }
}

/// The matrix of the files that `keep` selects.
pub fn matrix(files: &[ScoredFile], keep: impl Fn(&ScoredFile) -> bool) -> Matrix {
    Matrix::of(
        files
            .iter()
            .filter(|f| keep(f))
            .flat_map(|f| f.accesses.iter().copied()),
    )
}

const HEADER: &str = "scanner recall | human→scanner | unsure | accesses | floors";

/// The matrix: per input format, as written and under each
/// perturbation, then per scenario family and format.
pub fn tables(files: &[ScoredFile]) -> String {
    let mut out = String::new();
    let perturbations = [
        Perturbation::NONE,
        Perturbation::NO_SCREENS,
        Perturbation::NO_DELIVERY,
        Perturbation::YEAR_LATER,
    ];
    writeln!(out, "== per input format and perturbation").unwrap();
    writeln!(out, "{:<24} {:<12} {HEADER}", "format", "perturbation").unwrap();
    for format in Format::ALL {
        for p in perturbations {
            let m = matrix(files, |f| f.format == format && f.perturbation == p);
            if m.total() > 0 {
                writeln!(out, "{:<24} {:<12} {}", format.name(), p.name(), m.row()).unwrap();
            }
        }
        let m = matrix(files, |f| f.format == format);
        writeln!(out, "{:<24} {:<12} {}", format.name(), "all", m.row()).unwrap();
    }
    writeln!(out, "{:<37} {}", "all", matrix(files, |_| true).row()).unwrap();

    writeln!(
        out,
        "\n== per family (every format and perturbation): suggested human / scanner / unsure"
    )
    .unwrap();
    let mut by_family: BTreeMap<Family, BTreeMap<Format, [usize; 3]>> = BTreeMap::new();
    for f in files {
        for s in &f.accesses {
            by_family
                .entry(s.family)
                .or_default()
                .entry(f.format)
                .or_default()[column(s.label)] += 1;
        }
    }
    write!(out, "{:<26}", "family").unwrap();
    for format in Format::ALL {
        write!(out, " {:>24}", format.name()).unwrap();
    }
    writeln!(out, " {:>24}", "all").unwrap();
    for (family, formats) in &by_family {
        let right = column(match family.actor() {
            Actor::Human => Leaning::Human,
            Actor::Scanner => Leaning::Scanner,
        });
        write!(out, "{:<26}", family.name()).unwrap();
        let mut all = [0usize; 3];
        for c in formats.values() {
            for k in 0..3 {
                all[k] += c[k];
            }
        }
        let columns = Format::ALL
            .iter()
            .map(|format| formats.get(format).copied().unwrap_or_default())
            .chain([all]);
        for c in columns {
            let n = c.iter().sum::<usize>().max(1) as f64;
            let wrong = c.iter().sum::<usize>() - c[right] - c[2];
            write!(
                out,
                " {:>7.1}% ok {:>4.1}%w {:>4.1}%?",
                c[right] as f64 * 100.0 / n,
                wrong as f64 * 100.0 / n,
                c[2] as f64 * 100.0 / n
            )
            .unwrap();
        }
        writeln!(out).unwrap();
    }
    out
}

/// Confidence bins against how often a decided suggestion (human or
/// scanner) was right; unsure suggestions are counted apart.
pub fn reliability(files: &[ScoredFile]) -> String {
    let all = || files.iter().flat_map(|f| &f.accesses);
    let unsure = all().filter(|s| s.label == Leaning::Unsure).count();
    let decided = all().filter(|s| s.label != Leaning::Unsure).map(|s| {
        let truth = match s.actor {
            Actor::Human => Leaning::Human,
            Actor::Scanner => Leaning::Scanner,
        };
        (s.confidence, s.label == truth)
    });
    super::reliability::table(decided, unsure)
}
