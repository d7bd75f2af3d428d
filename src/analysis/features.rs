//! Stage 8: features — what the similarity core receives.
//!
//! Each feature is a `u64` ([`feature_hash`](crate::sketch::hash::feature_hash) of its kind
//! and label) with its [`FeatureKind`], its label (for explanations) and how often it
//! occurred. Concept unigrams, language-neutral anchors, language-local words and, when
//! enabled, order-free concept pairs within a short window (ordered n-grams collapse across
//! languages: Indonesian puts the head first).

use crate::sketch::hash::feature_hash;
use crate::FeatureKind;
use ahash::AHashMap;
use std::sync::Arc;

pub use crate::sketch::Feature;

/// Collects features of one document, deduplicated by hash.
#[derive(Debug)]
pub(crate) struct FeatureBag {
    map: AHashMap<u64, usize>,
    items: Vec<Feature>,
    /// Concept labels in text order, for pairs (kept only when pairs are on).
    sequence: Vec<Arc<str>>,
    pairs: bool,
}

impl FeatureBag {
    /// A bag sized for a news article; `pairs` keeps the concept sequence for pairs.
    pub fn new(pairs: bool) -> FeatureBag {
        FeatureBag {
            map: AHashMap::with_capacity(256),
            items: Vec::with_capacity(256),
            sequence: Vec::new(),
            pairs,
        }
    }

    /// Like [`FeatureBag::push_hashed`], reading the label only if the feature is new.
    pub fn push_lazy(&mut self, hash: u64, kind: FeatureKind, label: impl FnOnce() -> Arc<str>) {
        let next = self.items.len();
        match self.map.entry(hash) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let i = *e.get();
                self.items[i].count += 1;
                if self.pairs && kind == FeatureKind::Concept {
                    let l = self.items[i].label.clone();
                    self.sequence.push(l);
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(next);
                let label = label();
                if self.pairs && kind == FeatureKind::Concept {
                    self.sequence.push(label.clone());
                }
                self.items.push(Feature {
                    hash,
                    kind,
                    label,
                    count: 1,
                });
            }
        }
    }

    pub fn push_hashed(&mut self, hash: u64, kind: FeatureKind, label: &Arc<str>) {
        let next = self.items.len();
        match self.map.entry(hash) {
            std::collections::hash_map::Entry::Occupied(e) => self.items[*e.get()].count += 1,
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(next);
                self.items.push(Feature {
                    hash,
                    kind,
                    label: label.clone(),
                    count: 1,
                });
            }
        }
        if self.pairs && kind == FeatureKind::Concept {
            self.sequence.push(label.clone());
        }
    }

    pub fn push(&mut self, kind: FeatureKind, label: &str) {
        let hash = feature_hash(kind, label);
        if let Some(&i) = self.map.get(&hash) {
            self.items[i].count += 1;
            if self.pairs && kind == FeatureKind::Concept {
                let l = self.items[i].label.clone();
                self.sequence.push(l);
            }
            return;
        }
        let label: Arc<str> = Arc::from(label);
        self.push_hashed(hash, kind, &label);
    }

    /// Order-free pairs of concepts at most `window` positions apart.
    fn add_pairs(&mut self, window: usize) {
        if window == 0 {
            return;
        }
        let seq = std::mem::take(&mut self.sequence);
        for i in 0..seq.len() {
            for j in i + 1..seq.len().min(i + 1 + window) {
                let (a, b) = if seq[i] <= seq[j] {
                    (&seq[i], &seq[j])
                } else {
                    (&seq[j], &seq[i])
                };
                if a == b {
                    continue;
                }
                let label = format!("{a}+{b}");
                self.push(FeatureKind::Pair, &label);
            }
        }
    }

    pub fn finish(mut self, pair_window: usize) -> Vec<Feature> {
        self.add_pairs(pair_window);
        let mut items = self.items;
        items.sort_unstable_by_key(|f| f.hash);
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_order_free_and_windowed() {
        let mut a = FeatureBag::new(true);
        for w in ["artifici", "intellig", "industri"] {
            a.push(FeatureKind::Concept, w);
        }
        let mut b = FeatureBag::new(true);
        for w in ["industri", "intellig", "artifici"] {
            b.push(FeatureKind::Concept, w);
        }
        let pa: Vec<_> = a
            .finish(2)
            .into_iter()
            .filter(|f| f.kind == FeatureKind::Pair)
            .map(|f| f.label)
            .collect();
        let pb: Vec<_> = b
            .finish(2)
            .into_iter()
            .filter(|f| f.kind == FeatureKind::Pair)
            .map(|f| f.label)
            .collect();
        let (mut pa, mut pb) = (pa, pb);
        pa.sort();
        pb.sort();
        assert_eq!(pa, pb);
        assert_eq!(pa.len(), 3);
        let mut c = FeatureBag::new(true);
        for w in ["x", "y", "z"] {
            c.push(FeatureKind::Concept, w);
        }
        assert_eq!(
            c.finish(1)
                .iter()
                .filter(|f| f.kind == FeatureKind::Pair)
                .count(),
            2
        );
    }

    #[test]
    fn counts_and_dedup() {
        let mut a = FeatureBag::new(true);
        a.push(FeatureKind::Anchor, "num:5");
        a.push(FeatureKind::Anchor, "num:5");
        a.push(FeatureKind::Concept, "num:5");
        let f = a.finish(0);
        assert_eq!(f.len(), 2);
        assert_eq!(f.iter().map(|x| x.count).sum::<u32>(), 3);
    }
}
