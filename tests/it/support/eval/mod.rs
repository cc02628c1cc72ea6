//! Shared test support: the labelled evaluation campaigns and their scoring.

#![allow(dead_code)]

pub mod eval_campaigns;
pub mod eval_files;
pub mod eval_generate;
pub mod eval_load;
pub mod eval_owners;
pub mod eval_people;
pub mod eval_world;

use std::collections::BTreeMap;
use std::fmt;

use eval_campaigns::{Actor, Format, NativeDelivery, Truth};
use eval_load::Labelled;
use whoclicked::model::Leaning;

/// Truth × suggestion counts, plus the same per actor.
#[derive(Clone, Debug, Default)]
pub struct Confusion {
    /// `[truth][suggestion]`: truth 0 human, 1 scanner; suggestion 0 human, 1 scanner, 2 unsure.
    pub cells: [[usize; 3]; 2],
    pub by_actor: BTreeMap<Actor, [usize; 3]>,
}

fn column(l: Leaning) -> usize {
    match l {
        Leaning::Human => 0,
        Leaning::Scanner => 1,
        Leaning::Unsure => 2,
    }
}

impl Confusion {
    pub fn add(&mut self, actor: Actor, suggested: Leaning) {
        let row = usize::from(actor.truth() == Truth::Scanner);
        self.cells[row][column(suggested)] += 1;
        self.by_actor.entry(actor).or_default()[column(suggested)] += 1;
    }

    pub fn merge(&mut self, other: &Confusion) {
        for r in 0..2 {
            for c in 0..3 {
                self.cells[r][c] += other.cells[r][c];
            }
        }
        for (a, counts) in &other.by_actor {
            let mine = self.by_actor.entry(*a).or_default();
            for c in 0..3 {
                mine[c] += counts[c];
            }
        }
    }

    pub fn total(&self) -> usize {
        self.cells.iter().flatten().sum()
    }

    /// Share of scanner accesses suggested scanner.
    pub fn scanner_recall(&self) -> f64 {
        let row = self.cells[1];
        row[1] as f64 / row.iter().sum::<usize>().max(1) as f64
    }

    /// Share of human accesses suggested scanner.
    pub fn human_as_scanner(&self) -> f64 {
        let row = self.cells[0];
        row[1] as f64 / row.iter().sum::<usize>().max(1) as f64
    }

    /// Share of all accesses suggested unsure.
    pub fn unsure(&self) -> f64 {
        (self.cells[0][2] + self.cells[1][2]) as f64 / self.total().max(1) as f64
    }
}

impl fmt::Display for Confusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "                  suggested human  scanner   unsure")?;
        for (name, row) in [
            ("truth human", self.cells[0]),
            ("truth scanner", self.cells[1]),
        ] {
            writeln!(f, "  {name:<22} {:>8} {:>8} {:>8}", row[0], row[1], row[2])?;
        }
        writeln!(
            f,
            "  scanner recall {:.2}%  human→scanner {:.2}%  unsure {:.2}%  ({} accesses)",
            self.scanner_recall() * 100.0,
            self.human_as_scanner() * 100.0,
            self.unsure() * 100.0,
            self.total()
        )?;
        for (actor, c) in &self.by_actor {
            writeln!(
                f,
                "    {:<22} human {:>6} scanner {:>6} unsure {:>6}",
                format!("{actor:?}"),
                c[0],
                c[1],
                c[2]
            )?;
        }
        Ok(())
    }
}

/// The log variant a campaign's format belongs to, as the matrices group them.
pub fn variant(format: Format) -> &'static str {
    match format {
        Format::Native {
            delivery: NativeDelivery::Column | NativeDelivery::Rows,
        } => "native CSV with delivery times",
        Format::Native {
            delivery: NativeDelivery::Unknown,
        } => "native CSV without delivery times",
        Format::GoPhish => "GoPhish Raw Events",
        Format::Combined => "combined access log",
    }
}

/// The confusion of the suggestions the pipeline made for one campaign.
pub fn confusion(labelled: &Labelled) -> Confusion {
    let table = labelled.analysis.suggestions();
    let mut confusion = Confusion::default();
    for (i, &actor) in labelled.actors.iter().enumerate() {
        confusion.add(actor, table.label(i).expect("one suggestion per access"));
    }
    confusion
}
