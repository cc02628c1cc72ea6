//! The knowledge base as the screen's label store: every label is written to
//! it (appended and synced) before the screen says "saved", and its rules,
//! access verdicts and notes are read again when another whoclicked changed
//! them. (The first picture comes with the analysis, resolved by the pipeline.)

use std::sync::{Arc, Mutex, MutexGuard};

use super::store::{LabelStore, LabelWrite, StoreError, StoredLabels};
use crate::analysis::Analysis;
use crate::kb::{self, Author, Entry, Key, KnowledgeBase, Slot};
use crate::model::IpId;
use crate::review::{LabelBook, LabelKey};

/// An open knowledge base and who writes to it.
/// The knowledge base is shared: the load thread runs the analysis pipeline
/// with it (owner cache, notes, verdicts) before the screen writes to it.
pub struct KbStore {
    kb: Arc<Mutex<KnowledgeBase>>,
    author: Author,
}

impl KbStore {
    pub fn new(kb: KnowledgeBase, author: Author) -> Self {
        Self::shared(Arc::new(Mutex::new(kb)), author)
    }

    pub fn shared(kb: Arc<Mutex<KnowledgeBase>>, author: Author) -> Self {
        KbStore { kb, author }
    }

    /// The knowledge base, for the pipeline.
    pub fn knowledge_base(&self) -> Arc<Mutex<KnowledgeBase>> {
        Arc::clone(&self.kb)
    }

    fn lock(&self) -> Result<MutexGuard<'_, KnowledgeBase>, StoreError> {
        self.kb.lock().map_err(|_| StoreError::Poisoned {
            what: "knowledge base",
        })
    }
}

impl LabelStore for KbStore {
    /// What the knowledge base says about the campaign, resolved the way the
    /// pipeline resolves it (the same call), as a label book and notes.
    fn load(&mut self, analysis: &Analysis) -> Result<StoredLabels, StoreError> {
        let kb = self.lock()?;
        let campaign = &analysis.campaign;
        let verdicts = kb.resolve_campaign(campaign, |ip: IpId| analysis.owners[ip.index()].asn);
        let notes = kb
            .notes_for(&campaign.ips)
            .into_iter()
            .map(|n| n.map(|n| n.text))
            .collect();
        Ok(StoredLabels {
            book: LabelBook::from_verdicts(&verdicts),
            notes,
        })
    }

    fn write(&mut self, analysis: &Analysis, writes: &[LabelWrite]) -> Result<(), StoreError> {
        let campaign = &analysis.campaign;
        let mut entries = Vec::with_capacity(writes.len());
        for w in writes {
            let entry = match (w.key, w.verdict) {
                (LabelKey::Access(i), verdict) => {
                    let access = campaign
                        .accesses
                        .get(i as usize)
                        .ok_or(StoreError::NoSuchAccess(i))?;
                    match verdict {
                        Some(v) => Entry::access_verdict(&self.author, campaign, access, v),
                        None => {
                            let fp = kb::fingerprint(campaign, access);
                            Entry::removal(&self.author, Slot::verdict(Key::Access(fp)))
                        }
                    }
                }
                (rule, verdict) => {
                    let key = match rule {
                        LabelKey::Ip(ip) => Key::from_ip(ip),
                        LabelKey::Net(net) => Key::from_network(net)?,
                        LabelKey::Asn(n) => Key::Asn(n),
                        LabelKey::Access(_) => continue,
                    };
                    match verdict {
                        Some(v) => Entry::verdict(&self.author, key, v),
                        None => Entry::removal(&self.author, Slot::verdict(key)),
                    }
                }
            };
            entries.push(entry);
        }
        Ok(self.lock()?.record_all(entries)?)
    }

    fn location(&self) -> String {
        match self.lock() {
            Ok(kb) => kb.dir().display().to_string(),
            Err(err) => err.to_string(),
        }
    }

    fn refresh(&mut self, analysis: &Analysis) -> Result<Option<StoredLabels>, StoreError> {
        let refreshed = self.lock()?.refresh()?;
        if refreshed.new_entries == 0 && !refreshed.reloaded {
            return Ok(None);
        }
        self.load(analysis).map(Some)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use jiff::tz::TimeZone;

    use super::*;
    use crate::enriched::Enriched;
    use crate::kb::CampaignVerdicts;
    use crate::model::Campaign;
    use crate::signals::Suggestions;

    /// An analysis of a campaign with no accesses.
    pub fn empty_analysis() -> Analysis {
        Analysis::from_parts(
            Enriched::new(Campaign::new(), Vec::new(), TimeZone::UTC),
            Suggestions::stated(Vec::new()),
            CampaignVerdicts::default(),
        )
    }

    #[test]
    fn a_knowledge_base_left_by_a_crash_is_refused_saying_so() {
        let dir = tempfile::tempdir().unwrap();
        let kb = Arc::new(Mutex::new(KnowledgeBase::open(dir.path()).unwrap()));
        let held = Arc::clone(&kb);
        let crashed = std::thread::spawn(move || {
            let _guard = held.lock().unwrap();
            panic!("a crash while the knowledge base is held");
        })
        .join();
        assert!(crashed.is_err());
        let mut store = KbStore::shared(kb, Author::new(Some("sato"), None));
        let analysis = empty_analysis();
        let said = "the knowledge base is unusable after an earlier crash";
        assert_eq!(store.location(), said);
        let err = store.write(&analysis, &[]).unwrap_err();
        assert!(matches!(err, StoreError::Poisoned { .. }));
        assert_eq!(err.to_string(), said);
        assert_eq!(store.load(&analysis).unwrap_err().to_string(), said);
    }

    #[test]
    fn a_label_for_an_access_the_campaign_lacks_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let kb = KnowledgeBase::open(dir.path()).unwrap();
        let mut store = KbStore::new(kb, Author::new(Some("sato"), None));
        let write = LabelWrite {
            key: LabelKey::Access(3),
            verdict: Some(crate::model::Verdict::Human),
        };
        let err = store.write(&empty_analysis(), &[write]).unwrap_err();
        assert!(matches!(err, StoreError::NoSuchAccess(3)));
        assert_eq!(err.to_string(), "no access #3 in this campaign");
    }
}
