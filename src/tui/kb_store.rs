//! The knowledge base as the screen's label store: rules and access verdicts
//! are read from it when the campaign loads, and every label is written to it
//! (appended and synced) before the screen says "saved".

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::store::{LabelStore, LabelWrite, StoreError, StoredLabels};
use crate::analysis::Analysis;
use crate::kb::{self, Author, Category, Entry, Fingerprinter, Key, KnowledgeBase, Slot};
use crate::model::Timestamp;
use crate::review::{LabelBook, LabelInfo, LabelKey};

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
        self.kb
            .lock()
            .map_err(|_| StoreError("the knowledge base is unusable after an earlier crash".into()))
    }

    /// Problems the knowledge base met while reading (a torn last line…),
    /// as sentences for the read-errors panel.
    pub fn take_warnings(&mut self) -> Vec<String> {
        match self.lock() {
            Ok(mut kb) => kb
                .take_warnings()
                .into_iter()
                .map(|w| format!("knowledge base: {w}"))
                .collect(),
            Err(err) => vec![err.to_string()],
        }
    }
}

fn info_of(entry: &Entry) -> Option<LabelInfo> {
    Some(LabelInfo {
        verdict: entry.verdict_value()?,
        analyst: Some(Arc::from(entry.analyst())),
        at: Timestamp::from_jiff(entry.time()),
        note: entry.note().map(Arc::from),
    })
}

fn key_of(key: &Key) -> Option<LabelKey> {
    match *key {
        Key::Ip(ip) => Some(LabelKey::Ip(ip)),
        Key::Net(net) => Some(LabelKey::network(net)),
        Key::Asn(n) => Some(LabelKey::Asn(n)),
        Key::Access(_) => None,
    }
}

impl LabelStore for KbStore {
    fn load(&mut self, analysis: &Analysis) -> Result<StoredLabels, StoreError> {
        let kb = self.lock()?;
        let campaign = &analysis.campaign;
        let mut book = LabelBook::new();
        for category in [Category::Ip, Category::Net, Category::Asn] {
            for entry in kb.list(Some(category)) {
                if let (Some(key), Some(info)) = (key_of(&entry.key()), info_of(entry)) {
                    book.set(key, Some(info));
                }
            }
        }
        let access_entries = kb.list(Some(Category::Access));
        if !access_entries.is_empty() {
            let wanted: HashMap<kb::Fingerprint, &Entry> = access_entries
                .into_iter()
                .filter_map(|e| match e.key() {
                    Key::Access(fp) => Some((fp, e)),
                    _ => None,
                })
                .collect();
            let fingerprinter = Fingerprinter::new(campaign);
            for (i, access) in campaign.accesses.iter().enumerate() {
                let fp = fingerprinter.fingerprint(access);
                if let Some(info) = wanted.get(&fp).and_then(|e| info_of(e)) {
                    book.set(LabelKey::Access(i as u32), Some(info));
                }
            }
        }
        let notes = campaign
            .ips
            .iter()
            .map(|&ip| kb.note_for(ip).map(|n| Arc::from(n.text)))
            .collect();
        Ok(StoredLabels { book, notes })
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
                        .ok_or_else(|| StoreError(format!("no access #{i} in this campaign")))?;
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
                        LabelKey::Network(net) => {
                            Key::from_network(net).map_err(|e| StoreError(e.to_string()))?
                        }
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
        self.lock()?
            .record_all(entries)
            .map_err(|e| StoreError(e.to_string()))
    }

    fn location(&self) -> String {
        match self.lock() {
            Ok(kb) => kb.dir().display().to_string(),
            Err(err) => err.to_string(),
        }
    }

    fn refresh(&mut self, analysis: &Analysis) -> Result<Option<StoredLabels>, StoreError> {
        let refreshed = self
            .lock()?
            .refresh()
            .map_err(|e| StoreError(e.to_string()))?;
        if refreshed.new_entries == 0 && !refreshed.reloaded {
            return Ok(None);
        }
        self.load(analysis).map(Some)
    }
}
