//! Candidates: LSH banding over MinHash signatures, and rare-feature blocking.

use super::corpus::{Corpus, Doc, MAX_RARE_POSTINGS};
use ahash::{AHashMap, AHashSet};
use std::sync::Arc;

impl Corpus {
    /// Longest posting list blocking reads: `max_rare_df` of the documents, at least 20 and
    /// at most [`MAX_RARE_POSTINGS`], so a query's blocking cost does not grow with the corpus.
    pub(super) fn rare_df_cap(&self) -> u32 {
        ((self.live as f64 * self.config.max_rare_df).ceil() as u32).clamp(20, MAX_RARE_POSTINGS)
    }

    /// Candidate slots for a document: LSH buckets plus rare-anchor blocking.
    pub(super) fn candidates(&self, doc: &Doc, keep: &dyn Fn(u32) -> bool) -> Vec<u32> {
        let mut set: AHashSet<u32> = AHashSet::new();
        if let Some(sig) = self.sig(doc).filter(|s| !s.is_empty()) {
            if let Ok(c) = self.index.query(sig) {
                set.extend(c.into_iter().copied().filter(|&s| keep(s)));
            }
        }
        if self.config.min_shared_rare > 0 {
            let cap = self.rare_df_cap();
            let mut counts: AHashMap<u32, usize> = AHashMap::new();
            for f in doc.features.iter() {
                let Some(p) = self.postings.get(f) else {
                    continue;
                };
                if p.len() as u32 > cap {
                    continue;
                }
                for &s in p {
                    if keep(s) {
                        *counts.entry(s).or_insert(0) += 1;
                    }
                }
            }
            set.extend(
                counts
                    .into_iter()
                    .filter(|&(_, c)| c >= self.config.min_shared_rare)
                    .map(|(s, _)| s),
            );
        }
        let mut v: Vec<u32> = set.into_iter().collect();
        v.sort_unstable();
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
            if doc.features.is_empty() {
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
