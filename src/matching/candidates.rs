//! Candidates: LSH banding over MinHash signatures, rare-feature blocking, and
//! headline/lead blocking.

use super::corpus::{Corpus, Doc, FeatureTable, Fid, MAX_RARE_POSTINGS};
use ahash::{AHashMap, AHashSet};
use std::sync::Arc;

impl Corpus {
    /// Longest posting list blocking reads: `max_rare_df` of the documents, at least 20 and
    /// at most [`MAX_RARE_POSTINGS`], so a query's blocking cost does not grow with the corpus.
    pub(super) fn rare_df_cap(&self) -> u32 {
        ((self.distinct as f64 * self.config.max_rare_df).ceil() as u32)
            .clamp(20, MAX_RARE_POSTINGS)
    }

    /// Longest document frequency headline/lead blocking reads: `max_lead_df` of the
    /// documents, at least 20 and at most [`MAX_RARE_POSTINGS`].
    pub(super) fn lead_df_cap(&self) -> u32 {
        ((self.distinct as f64 * self.config.max_lead_df).ceil() as u32)
            .clamp(20, MAX_RARE_POSTINGS)
    }

    /// Candidate slots for a document: LSH buckets, rare-feature blocking (at least
    /// `min_shared_rare` shared features of any kind, each in at most `rare_df_cap`
    /// documents) and headline/lead blocking (at least `min_shared_lead` anchors or concepts
    /// in both documents' headline or lead, each in at most `lead_df_cap` documents).
    pub(super) fn candidates(&self, doc: &Doc, keep: &dyn Fn(u32) -> bool) -> Vec<u32> {
        let mut set: AHashSet<u32> = AHashSet::new();
        if let Some(sig) = self.sig(doc).filter(|s| !s.is_empty()) {
            if let Ok(c) = self.index.query(sig) {
                set.extend(c.into_iter().copied().filter(|&s| keep(s)));
            }
        }
        let t = &self.table;
        if self.config.min_shared_rare > 0 {
            let cap = self.rare_df_cap();
            let mut counts: AHashMap<u32, usize> = AHashMap::new();
            for &f in doc.features.iter() {
                if t.df[f as usize] > cap {
                    continue;
                }
                if let Some(p) = t.postings(f) {
                    for s in p.filter(|&s| keep(s)) {
                        *counts.entry(s).or_insert(0) += 1;
                    }
                }
            }
            let min = self.config.min_shared_rare;
            set.extend(
                counts
                    .into_iter()
                    .filter(|&(_, c)| c >= min)
                    .map(|(s, _)| s),
            );
        }
        if self.config.min_shared_lead > 0 {
            set.extend(lead_blocked(
                t,
                &doc.lead,
                self.lead_df_cap(),
                self.config.min_shared_lead,
                keep,
            ));
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

/// Headline/lead blocking: the held documents (that `keep` accepts) sharing at least `min`
/// of `lead` in their own headline or lead, counting only features in at most `cap`
/// documents.
fn lead_blocked<'a>(
    t: &'a FeatureTable,
    lead: &'a [Fid],
    cap: u32,
    min: usize,
    keep: &'a dyn Fn(u32) -> bool,
) -> impl Iterator<Item = u32> + 'a {
    let mut counts: AHashMap<u32, usize> = AHashMap::new();
    for &f in lead {
        if t.df[f as usize] > cap {
            continue;
        }
        if let Some(p) = t.lead.get(&f) {
            for &s in p.iter().filter(|&&s| keep(s)) {
                *counts.entry(s).or_insert(0) += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter(move |&(_, c)| c >= min)
        .map(|(s, _)| s)
}
