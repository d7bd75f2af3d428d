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
#[derive(Debug, Default)]
pub(crate) struct FeatureBag {
    map: AHashMap<u64, usize>,
    items: Vec<Feature>,
    /// Concept labels in text order, for pairs.
    sequence: Vec<Arc<str>>,
}

impl FeatureBag {
    pub fn push_hashed(&mut self, hash: u64, kind: FeatureKind, label: &Arc<str>) {
        match self.map.get(&hash) {
            Some(&i) => self.items[i].count += 1,
            None => {
                self.map.insert(hash, self.items.len());
                self.items.push(Feature {
                    hash,
                    kind,
                    label: label.clone(),
                    count: 1,
                });
            }
        }
        if kind == FeatureKind::Concept {
            self.sequence.push(label.clone());
        }
    }

    pub fn push(&mut self, kind: FeatureKind, label: &str) {
        let hash = feature_hash(kind, label);
        if let Some(&i) = self.map.get(&hash) {
            self.items[i].count += 1;
            if kind == FeatureKind::Concept {
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
        let mut a = FeatureBag::default();
        for w in ["artifici", "intellig", "industri"] {
            a.push(FeatureKind::Concept, w);
        }
        let mut b = FeatureBag::default();
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
        let mut c = FeatureBag::default();
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
        let mut a = FeatureBag::default();
        a.push(FeatureKind::Anchor, "num:5");
        a.push(FeatureKind::Anchor, "num:5");
        a.push(FeatureKind::Concept, "num:5");
        let f = a.finish(0);
        assert_eq!(f.len(), 2);
        assert_eq!(f.iter().map(|x| x.count).sum::<u32>(), 3);
    }
}
