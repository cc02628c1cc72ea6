//! Note evidence, once per distinct address: the analyst's owner note from
//! the knowledge base ("head office proxy"). A note with a hint weighs the
//! way it points; one without is shown with the reasons and weighs nothing.

use crate::kb::OwnerNote;
use crate::model::Verdict;
use crate::signals::evidence::{Evidence, Fact};
use crate::signals::signatures::{Signatures, Weight};

/// The note evidence of one address, when it has a note.
pub fn note_evidence(note: Option<&OwnerNote>, sigs: &Signatures, out: &mut Vec<Evidence>) {
    let Some(note) = note else {
        return;
    };
    let weight = match note.hint {
        Some(Verdict::Human) => sigs.weight(Weight::NoteHuman),
        Some(Verdict::Scanner) => sigs.weight(Weight::NoteScanner),
        None => 0.0,
    };
    out.push(Evidence {
        weight,
        fact: Fact::Note,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(hint: Option<Verdict>) -> Vec<Evidence> {
        let sigs = Signatures::builtin().unwrap();
        let note = OwnerNote {
            hint,
            text: "head office proxy".into(),
        };
        let mut out = Vec::new();
        note_evidence(Some(&note), &sigs, &mut out);
        out
    }

    #[test]
    fn a_note_weighs_the_way_its_hint_points() {
        let human = evidence(Some(Verdict::Human));
        assert_eq!(human[0].fact, Fact::Note);
        assert!(human[0].weight < -2.0);
        assert!(evidence(Some(Verdict::Scanner))[0].weight > 0.0);
        assert_eq!(evidence(None)[0].weight, 0.0);
        let mut out = Vec::new();
        note_evidence(None, &Signatures::builtin().unwrap(), &mut out);
        assert!(out.is_empty());
    }
}
