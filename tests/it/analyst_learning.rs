//! What learning from the analyst buys, measured (a printout, not a floor):
//! an analyst who labels the 20 highest-impact unsure recipients of each
//! evaluation campaign correctly (every unsure click of theirs, by its
//! truth), and the errors left among the accesses still unlabelled, before
//! and after the suggestions learn from those labels. Run with
//! `cargo test --test it analyst_learning -- --ignored --nocapture`.

use crate::support::eval as support;

use std::sync::Arc;

use crate::support::heldout::{self, Actor, Format, Perturbation};
use support::eval_campaigns::{Truth, generate, scenarios};
use support::eval_load::load;
use whoclicked::analysis::Analysis;
use whoclicked::input::LoadProgress;
use whoclicked::kb::Author;
use whoclicked::model::{Leaning, Verdict};
use whoclicked::pipeline::{
    CampaignSource, KnowledgeSource, Observer, PrepareOptions, Warning, prepare,
};
use whoclicked::review::{ReviewContext, learn, review_queue};
use whoclicked::signals::Signatures;

/// The analyst's queue budget.
const LABELLED_RECIPIENTS: usize = 20;

#[derive(Default, Debug)]
struct Errors {
    unlabelled: usize,
    humans: usize,
    scanners: usize,
    human_as_scanner: usize,
    scanner_missed: usize,
    unsure: usize,
}

impl Errors {
    fn add(&mut self, truth: Truth, label: Leaning) {
        self.unlabelled += 1;
        match truth {
            Truth::Human => self.humans += 1,
            Truth::Scanner => self.scanners += 1,
        }
        match (truth, label) {
            (_, Leaning::Unsure) => self.unsure += 1,
            (Truth::Human, Leaning::Scanner) => self.human_as_scanner += 1,
            (Truth::Scanner, Leaning::Human) => self.scanner_missed += 1,
            _ => {}
        }
    }

    fn line(&self) -> String {
        format!(
            "{} unlabelled: {} humans called scanner ({:.2}%), {} scanners called human ({:.2}%), {} unsure ({:.2}%)",
            self.unlabelled,
            self.human_as_scanner,
            100.0 * self.human_as_scanner as f64 / self.humans.max(1) as f64,
            self.scanner_missed,
            100.0 * self.scanner_missed as f64 / self.scanners.max(1) as f64,
            self.unsure,
            100.0 * self.unsure as f64 / self.unlabelled.max(1) as f64,
        )
    }
}

/// Labels the queue's head by `truth`, learns, and counts the errors left
/// among the unlabelled accesses: (before, after, accesses labelled).
fn simulate(analysis: &Analysis, truth: &[Truth]) -> (Errors, Errors, usize) {
    let n = analysis.campaign.accesses.len();
    let none = vec![None; n];
    let ctx = ReviewContext::judged(analysis, &none);
    let mut verdicts: Vec<Option<Verdict>> = vec![None; n];
    let mut labelled = 0;
    for entry in review_queue(&ctx).iter().take(LABELLED_RECIPIENTS) {
        for &i in &entry.accesses {
            verdicts[i as usize] = Some(match truth[i as usize] {
                Truth::Human => Verdict::Human,
                Truth::Scanner => Verdict::Scanner,
            });
            labelled += 1;
        }
    }
    let learned = learn(analysis, &verdicts);
    let base = analysis.suggestions().labels();
    let (mut b, mut a) = (Errors::default(), Errors::default());
    for i in 0..n {
        if verdicts[i].is_none() {
            b.add(truth[i], base[i]);
            a.add(truth[i], learned.labels[i]);
        }
    }
    (b, a, labelled)
}

fn merge(total: &mut Errors, part: &Errors) {
    total.unlabelled += part.unlabelled;
    total.humans += part.humans;
    total.scanners += part.scanners;
    total.human_as_scanner += part.human_as_scanner;
    total.scanner_missed += part.scanner_missed;
    total.unsure += part.unsure;
}

#[test]
#[ignore = "a measurement: prints figures, asserts none"]
fn an_analyst_labelling_the_queue_head_on_the_evaluation_set() {
    let signatures = Arc::new(Signatures::builtin().unwrap());
    let (mut before, mut after) = (Errors::default(), Errors::default());
    let mut labelled_accesses = 0;
    for scenario in scenarios() {
        let labelled = load(&generate(&scenario), &signatures);
        let truth: Vec<Truth> = labelled.actors.iter().map(|a| a.truth()).collect();
        let (b, a, n) = simulate(&labelled.analysis, &truth);
        println!(
            "{}\n  before: {}\n  after:  {}",
            scenario.name,
            b.line(),
            a.line()
        );
        merge(&mut before, &b);
        merge(&mut after, &a);
        labelled_accesses += n;
    }
    println!(
        "evaluation set, {labelled_accesses} accesses labelled\n  before: {}\n  after:  {}",
        before.line(),
        after.line()
    );
}

struct Quiet;

impl Observer for Quiet {
    fn warning(&mut self, _warning: Warning) {}
}

/// The held-out world, for measuring only: nothing here may be tuned
/// against it.
#[test]
#[ignore = "a measurement: prints figures, asserts none"]
fn an_analyst_labelling_the_queue_head_on_the_held_out_world() {
    let dir = tempfile::tempdir().unwrap();
    let databases = heldout::databases(dir.path());
    for format in Format::ALL {
        let (mut before, mut after) = (Errors::default(), Errors::default());
        let mut labelled_accesses = 0;
        for campaign in heldout::campaigns() {
            let written = campaign.write_files(dir.path(), format, Perturbation::NONE);
            let options = PrepareOptions {
                campaign: CampaignSource::Logs(vec![written.path.clone()]),
                load: campaign.load_options(),
                mmdb: databases.clone(),
                kb: KnowledgeSource::Without,
                author: Author::new(Some("measure"), None),
                cache_owners: false,
                decoys: Vec::new(),
                network: Default::default(),
            };
            let analysis = prepare(&options, &LoadProgress::default(), &mut Quiet)
                .unwrap()
                .analysis;
            let truth: Vec<Truth> = written
                .truth_in_read_order(&analysis.campaign)
                .iter()
                .map(|t| match t.actor {
                    Actor::Human => Truth::Human,
                    Actor::Scanner => Truth::Scanner,
                })
                .collect();
            let (b, a, n) = simulate(&analysis, &truth);
            merge(&mut before, &b);
            merge(&mut after, &a);
            labelled_accesses += n;
        }
        println!(
            "held-out, {}: {labelled_accesses} accesses labelled\n  before: {}\n  after:  {}",
            format.name(),
            before.line(),
            after.line()
        );
    }
}
