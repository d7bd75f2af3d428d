//! Candidates: LSH banding over MinHash signatures, rare-feature blocking, and
//! headline/lead blocking.

use super::corpus::{Corpus, Doc, Fid, MAX_RARE_POSTINGS};
use super::engine::{Key, KeySource};
use std::sync::Arc;

impl Corpus {
    /// Longest posting list blocking reads: `max_rare_df` of the documents, at least 20 and
    /// at most [`MAX_RARE_POSTINGS`], so a query's blocking cost does not grow with the corpus.
    pub(super) fn rare_df_cap(&self) -> u32 {
        blocking_cap(self.distinct as u64, self.config.max_rare_df)
    }

    /// Longest document frequency headline/lead blocking reads: `max_lead_df` of the
    /// documents, at least 20 and at most [`MAX_RARE_POSTINGS`].
    pub(super) fn lead_df_cap(&self) -> u32 {
        blocking_cap(self.distinct as u64, self.config.max_lead_df)
    }

    /// Candidate slots for a document: LSH buckets, rare-feature blocking (at least
    /// `min_shared_rare` shared features of any kind, each in at most `rare_df_cap`
    /// documents) and headline/lead blocking (at least `min_shared_lead` anchors or concepts
    /// in both documents' headline or lead, each in at most `lead_df_cap` documents).
    pub(super) fn candidates(&self, doc: &Doc, keep: &dyn Fn(u32) -> bool) -> Vec<u32> {
        // Collected in vectors and sorted, not in hash sets: a document's candidates and
        // postings are a few hundred slots, which sorting handles faster.
        let mut v: Vec<u32> = Vec::new();
        if let Some(sig) = self.sig(doc).filter(|s| !s.is_empty()) {
            // Unsorted, repeated when several bands are shared: deduplicated below.
            let _ = self.index.for_each_candidate(sig, |&s| {
                if keep(s) {
                    v.push(s);
                }
            });
        }
        let t = &self.table;
        let mut hits: Vec<u32> = Vec::new();
        if self.config.min_shared_rare > 0 {
            let cap = self.rare_df_cap();
            for &f in doc.features.iter() {
                if t.df[f as usize] > cap {
                    continue;
                }
                if let Some(p) = t.postings(f) {
                    hits.extend(p.filter(|&s| keep(s)));
                }
            }
            push_repeated(&mut hits, self.config.min_shared_rare, &mut v);
        }
        if self.config.min_shared_lead > 0 {
            let cap = self.lead_df_cap();
            hits.clear();
            for &f in doc.lead.iter() {
                if t.df[f as usize] > cap {
                    continue;
                }
                if let Some(p) = t.lead.get(&f) {
                    hits.extend(p.iter().copied().filter(|&s| keep(s)));
                }
            }
            push_repeated(&mut hits, self.config.min_shared_lead, &mut v);
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Every candidate pair the index and anchor blocking produce (each once, as slots in
    /// insertion order, mapped to ids), before verification: what [`Corpus::pairs`] scores.
    /// For measuring the candidate stage.
    pub fn candidate_pairs(&self) -> Vec<(Arc<str>, Arc<str>)> {
        let mut out = Vec::new();
        for (slot, doc) in self.docs.iter().enumerate() {
            let Some(doc) = doc else { continue };
            let slot = slot as u32;
            if doc.is_empty() {
                continue;
            }
            for c in self.candidates(doc, &|o| o < slot) {
                if let Some(other) = &self.docs[c as usize] {
                    out.push((other.id.clone(), doc.id.clone()));
                }
            }
        }
        out
    }
}

/// Pushes onto `out` each slot that occurs at least `min` times in `hits` (a slot's count
/// of shared blocking features); `hits` is sorted in place.
fn push_repeated(hits: &mut [u32], min: usize, out: &mut Vec<u32>) {
    hits.sort_unstable();
    for run in hits.chunk_by(|a, b| a == b) {
        if run.len() >= min {
            out.push(run[0]);
        }
    }
}

/// One held document as exchange files see it (see `Corpus::held_rows`): its input order,
/// id, language, copy-group key, whether it represents its group, and its signature (that of
/// its group; `None` only for a document never indexed).
#[cfg(feature = "parquet")]
#[derive(Debug, Clone)]
pub(crate) struct HeldRow<'a> {
    pub(crate) ord: u32,
    pub(crate) id: &'a Arc<str>,
    pub(crate) lang: Option<crate::Lang>,
    pub(crate) copy_key: u64,
    pub(crate) representative: bool,
    pub(crate) signature: Option<&'a crate::Signature>,
    /// A representative's keys ([`Corpus::keys`]) when asked for; empty otherwise.
    pub(crate) keys: Vec<Key>,
}

impl Corpus {
    /// The candidate keys of a held document, as [`Engine::keys`](super::Engine::keys) gives
    /// them for its fingerprint with this corpus's document frequencies (copy groups counted
    /// once): one per LSH band, one per rare feature, one per rare headline/lead feature.
    /// Two held documents are a candidate pair ([`Corpus::candidate_pairs`]) exactly when
    /// [`Engine::is_candidate`](super::Engine::is_candidate) accepts the counts of keys they
    /// share by source. A copy has its group's keys. `None` for an id not held.
    ///
    /// ```
    /// use lintas::{Corpus, Feature, FeatureKind, KeySource};
    /// let doc = |w: &[&str]| -> Vec<Feature> {
    ///     w.iter().map(|l| Feature::new(FeatureKind::Concept, l)).collect()
    /// };
    /// let mut corpus = Corpus::new();
    /// corpus.add("a", None, &doc(&["flood", "river", "rain"])).unwrap();
    /// let keys = corpus.keys("a").unwrap();
    /// assert_eq!(keys.iter().filter(|k| matches!(k.source, KeySource::Band(_))).count(), 32);
    /// assert!(corpus.keys("b").is_none());
    /// ```
    pub fn keys(&self, id: &str) -> Option<Vec<Key>> {
        Some(self.keys_of(self.held(self.doc_by_id(id)?)))
    }

    /// The keys of a document that holds its features (see [`Corpus::keys`]).
    pub(super) fn keys_of(&self, doc: &Doc) -> Vec<Key> {
        let mut out: Vec<Key> = self
            .sig(doc)
            .and_then(|s| self.index.params().band_keys(s).ok())
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(b, key)| Key {
                source: KeySource::Band(b as u16),
                key,
            })
            .collect();
        let t = &self.table;
        let mut rare = |ids: &[Fid], cap: u32, source: KeySource| {
            let mut hs: Vec<u64> = ids
                .iter()
                .filter(|&&f| t.df[f as usize] <= cap)
                .map(|&f| t.hashes[f as usize])
                .collect();
            hs.sort_unstable();
            out.extend(hs.into_iter().map(|key| Key { source, key }));
        };
        if self.config.min_shared_rare > 0 {
            rare(&doc.features, self.rare_df_cap(), KeySource::Rare);
        }
        if self.config.min_shared_lead > 0 {
            rare(&doc.lead, self.lead_df_cap(), KeySource::Lead);
        }
        out
    }
}

/// What `crate::parquet` reads of a corpus.
#[cfg(feature = "parquet")]
impl Corpus {
    /// Every held document in input order (slot order), with its group's signature and key,
    /// and with `keys` a representative's keys.
    pub(crate) fn held_rows(&self, keys: bool) -> impl Iterator<Item = HeldRow<'_>> + '_ {
        self.docs.iter().flatten().map(move |d| {
            let held = self.held(d);
            let representative = d.copy_of == super::corpus::NOT_A_COPY;
            HeldRow {
                ord: d.slot,
                id: &d.id,
                lang: d.lang,
                copy_key: held.key,
                representative,
                signature: self.sig(held),
                keys: if keys && representative {
                    self.keys_of(d)
                } else {
                    Vec::new()
                },
            }
        })
    }

    /// The `(rare, lead)` blocking caps of a corpus of `documents` documents (copy groups
    /// counted once).
    pub(crate) fn caps_for(&self, documents: u64) -> (u32, u32) {
        let c = &self.config;
        (
            blocking_cap(documents, c.max_rare_df),
            blocking_cap(documents, c.max_lead_df),
        )
    }

    /// Documents held that are not copies: the document count of rarity and of the caps.
    pub(crate) fn distinct_documents(&self) -> u64 {
        self.distinct as u64
    }

    /// The MinHash hasher's seed (the default one when none was set).
    pub(crate) fn sketch_seed(&self) -> u64 {
        self.hasher.seed()
    }
}

/// A blocking cap: `share` of `documents`, at least 20 and at most [`MAX_RARE_POSTINGS`] (the
/// corpus's caps, and [`Engine::keys`](super::Engine::keys)'s from global frequencies).
pub(super) fn blocking_cap(documents: u64, share: f64) -> u32 {
    ((documents as f64 * share).ceil() as u32).clamp(20, MAX_RARE_POSTINGS)
}
