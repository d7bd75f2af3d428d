//! The corpus in its own encoding, for the persistent index (`crate::store`): the feature
//! table's rows and the documents as feature ids, exported a batch at a time and restored
//! without analysing, hashing labels or sorting again. Restoring the parts of a corpus, in
//! order, gives a corpus that answers exactly as the original (same ids, same sums).

use super::corpus::{Corpus, Doc, Fid, NOT_A_COPY};
use crate::sketch::signature::Signature;
use crate::{FeatureKind, Lang, Result};
use std::sync::Arc;

/// Rows of the feature table: the features first seen from some id on, in id order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FeatureRows {
    /// Id of the first row.
    pub(crate) first: Fid,
    pub(crate) hashes: Vec<u64>,
    pub(crate) kinds: Vec<FeatureKind>,
    /// Labels, when the corpus keeps them (else empty).
    pub(crate) labels: Vec<Arc<str>>,
}

/// A held document in the corpus's encoding.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DocRow {
    pub(crate) id: Arc<str>,
    pub(crate) lang: Option<Lang>,
    /// The copy-group key (0: none).
    pub(crate) key: u64,
    /// Whether the document is a near-exact copy (of the held document with the same key):
    /// then the lists below are empty.
    pub(crate) copy: bool,
    pub(crate) features: Box<[Fid]>,
    pub(crate) lead: Box<[Fid]>,
    pub(crate) dates: Box<[Fid]>,
    pub(crate) years: Box<[Fid]>,
    pub(crate) numbers: Box<[Fid]>,
    /// Positions (one per feature), weekdays and lead figures.
    pub(crate) event: super::event::EventLists,
}

/// The documents added from a slot on (live ones, in slot order) and the features first
/// seen from a feature id on.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Part {
    pub(crate) features: FeatureRows,
    pub(crate) docs: Vec<DocRow>,
}

impl Corpus {
    /// Rows in the feature table (the id the next new feature gets).
    pub(crate) fn feature_rows(&self) -> Fid {
        self.table.hashes.len() as Fid
    }

    /// The documents held from `first_slot` on and the features from id `first_feature` on.
    pub(crate) fn export(&self, first_slot: u32, first_feature: Fid) -> Part {
        let t = &self.table;
        let from = (first_feature as usize).min(t.hashes.len());
        let features = FeatureRows {
            first: from as Fid,
            hashes: t.hashes[from..].to_vec(),
            kinds: t.kinds[from..].to_vec(),
            labels: t.labels.get(from..).map(<[_]>::to_vec).unwrap_or_default(),
        };
        let key_of = |d: &Doc| {
            if d.copy_of == NOT_A_COPY {
                d.key
            } else {
                self.docs[d.copy_of as usize].as_ref().map_or(0, |r| r.key)
            }
        };
        let docs = self.docs[(first_slot as usize).min(self.docs.len())..]
            .iter()
            .flatten()
            .map(|d| DocRow {
                id: d.id.clone(),
                lang: d.lang,
                key: key_of(d),
                copy: d.copy_of != NOT_A_COPY,
                features: d.features.clone(),
                lead: d.lead.clone(),
                dates: d.dates.clone(),
                years: d.years.clone(),
                numbers: d.numbers.clone(),
                event: d.event.clone(),
            })
            .collect();
        Part { features, docs }
    }

    /// Reserves room for `documents` more documents (the documents of the stored parts
    /// about to be restored), so that the LSH index and the id map do not grow step by step.
    pub(crate) fn reserve(&mut self, documents: usize) {
        self.index.reserve(documents);
        self.ids.reserve(documents);
        self.docs.reserve(documents);
    }

    /// Appends a part exported by a corpus with the same settings whose earlier parts were
    /// restored here before, in order.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when the part does not continue this corpus
    /// (feature rows out of order or already held, a feature id out of the table, a copy
    /// without its group, a repeated document id): nothing is changed then.
    pub(crate) fn restore(&mut self, part: Part) -> Result<()> {
        let bad = |what: &str| {
            crate::Error::invalid(
                "corpus part",
                what.to_string(),
                "does not continue this corpus",
            )
        };
        let f = &part.features;
        let keep_labels = self.config.keep_labels;
        if f.first as usize != self.table.hashes.len()
            || f.kinds.len() != f.hashes.len()
            || (keep_labels && f.labels.len() != f.hashes.len())
        {
            return Err(bad("feature rows"));
        }
        let rows = self.table.hashes.len() + f.hashes.len();
        let mut seen = ahash::AHashSet::with_capacity(part.docs.len());
        let mut keys = ahash::AHashSet::new();
        for d in &part.docs {
            let in_table = |v: &[Fid]| v.iter().all(|&x| (x as usize) < rows);
            let sorted = d.features.windows(2).all(|w| w[0] < w[1]);
            if self.ids.contains_key(&d.id)
                || !seen.insert(&d.id)
                || !sorted
                || ![&d.features, &d.lead, &d.dates, &d.years, &d.numbers]
                    .iter()
                    .all(|v| in_table(v))
                || d.event.positions.len() != d.features.len()
                || d.event.positions.iter().any(|&p| p > 2)
                || !d
                    .event
                    .lead_figures
                    .iter()
                    .all(|&(x, _)| (x as usize) < rows)
                || (d.copy
                    && (d.key == 0
                        || !(self.copies.by_key.contains_key(&d.key) || keys.contains(&d.key))))
            {
                return Err(bad(&format!("document {:?}", d.id)));
            }
            if !d.copy && d.key != 0 {
                keys.insert(d.key);
            }
        }
        self.check_room(part.docs.len(), 0)?;
        let t = &mut self.table;
        // New rows must be new: checked by inserting (one pass over the map, not a second
        // set), and taken back on a repeated hash.
        t.ids.reserve(f.hashes.len());
        for (i, &h) in f.hashes.iter().enumerate() {
            if let Some(old) = t.ids.insert(h, f.first + i as Fid) {
                t.ids.insert(h, old);
                for h in &f.hashes[..i] {
                    t.ids.remove(h);
                }
                return Err(bad("feature rows"));
            }
        }
        t.hashes.extend_from_slice(&f.hashes);
        t.kinds.extend_from_slice(&f.kinds);
        t.df.resize(rows, 0);
        t.first.resize(rows, super::corpus::NO_POSTING);
        t.langs.resize(rows, super::corpus::NO_LANG);
        for d in part.docs.iter().filter(|d| !d.copy) {
            for &x in &d.features {
                let x = x as usize;
                if t.kinds[x] == FeatureKind::Local && t.langs[x] == super::corpus::NO_LANG {
                    t.langs[x] = super::corpus::lang_slot(d.lang);
                }
            }
        }
        if keep_labels {
            t.labels.extend(f.labels.iter().cloned());
        }
        // Signatures, from the stored hashes, on every core.
        let sigs = super::par_map(&part.docs, |d| {
            (!d.copy).then(|| {
                let mut hs: Vec<(u64, FeatureKind)> = d
                    .features
                    .iter()
                    .map(|&x| (self.table.hashes[x as usize], self.table.kinds[x as usize]))
                    .collect();
                hs.sort_unstable_by_key(|&(h, _)| h);
                self.sketch_hashes(&hs)
            })
        });
        // The LSH index on one thread, the feature counts and postings on the other: what
        // `Corpus::hold` does a document at a time, in the same order within each.
        let base = self.docs.len() as u32;
        self.docs.reserve(part.docs.len());
        self.ids.reserve(part.docs.len());
        let mut sigs = sigs;
        let empty: Vec<Option<Signature>> = sigs
            .iter_mut()
            .map(|s| s.take_if(|s| s.is_empty()))
            .collect();
        let (index, table, docs) = (&mut self.index, &mut self.table, &part.docs);
        super::join(
            move || {
                for (i, sig) in sigs.into_iter().enumerate() {
                    if let Some(sig) = sig {
                        // The corpus's own hasher made it and the slot is new: cannot fail.
                        index
                            .insert(base + i as u32, sig)
                            .expect("a new slot with the corpus's own signature");
                    }
                }
            },
            move || {
                for (i, d) in docs.iter().enumerate().filter(|(_, d)| !d.copy) {
                    table.count(&d.features, &d.lead, base + i as u32);
                }
            },
        );
        for ((d, sig), i) in part.docs.into_iter().zip(empty).zip(0u32..) {
            let slot = base + i;
            if d.copy {
                let rep = self.copies.by_key[&d.key];
                self.hold_copy(d.id, d.lang, rep);
                continue;
            }
            self.hold_counted(Doc {
                id: d.id,
                lang: d.lang,
                features: d.features,
                unseen: [0; 4],
                lead: d.lead,
                dates: d.dates,
                years: d.years,
                numbers: d.numbers,
                event: d.event,
                slot,
                signature: sig,
                copy_of: NOT_A_COPY,
                key: d.key,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Corpus, Feature, FeatureKind, Lang, Position};

    fn doc(story: usize, own: usize, lead: bool) -> Vec<Feature> {
        let mut v: Vec<Feature> = (0..20)
            .map(|i| Feature::new(FeatureKind::Concept, &format!("s{story}-{i}")))
            .chain((0..8).map(|i| Feature::new(FeatureKind::Concept, &format!("o{own}-{i}"))))
            .chain([
                Feature::new(FeatureKind::Anchor, &format!("name:n{story}")),
                Feature::new(
                    FeatureKind::Anchor,
                    &format!("date:0{}-1{}", story % 9 + 1, own % 10),
                ),
                Feature::new(FeatureKind::Anchor, &format!("num:{}", own * 7)),
            ])
            .collect();
        if lead {
            for f in v.iter_mut().take(4) {
                f.position = Position::Lead;
            }
        }
        v
    }

    fn fill(c: &mut Corpus, range: std::ops::Range<usize>) {
        for i in range {
            // Stories of three documents, every seventh a copy of the one before.
            let f = if i % 7 == 6 {
                doc((i - 1) / 3, i - 1, i % 2 == 1)
            } else {
                doc(i / 3, i, i % 2 == 0)
            };
            let lang = if i % 5 == 0 {
                Lang::Indonesian
            } else {
                Lang::English
            };
            // Words of its language only: their rarity is counted among that language's
            // documents, a count the restored corpus must rebuild.
            // (A copy has its original's.)
            let src = if i % 7 == 6 { i - 1 } else { i };
            let code = if src % 5 == 0 { "id" } else { "en" };
            let mut f = f;
            f.extend(
                (0..3).map(|k| {
                    Feature::new(FeatureKind::Local, &format!("{code}:w{}", (src + k) % 5))
                }),
            );
            c.add(format!("d{i}"), Some(lang), &f).unwrap();
        }
    }

    #[test]
    fn restored_parts_answer_as_the_original() {
        let mut c = Corpus::new();
        fill(&mut c, 0..60);
        assert!(c.remove("d10"));
        let p1 = c.export(0, 0);
        let (slot, rows) = (c.next_slot(), c.feature_rows());
        fill(&mut c, 60..150);
        assert!(c.remove("d70"));
        let p2 = c.export(slot, rows);
        let mut r = Corpus::new();
        r.restore(p1.clone()).unwrap();
        r.restore(p2.clone()).unwrap();
        assert_eq!(r.len(), c.len());
        assert!(!c.copy_groups().is_empty());
        assert_eq!(r.copy_groups(), c.copy_groups());
        let pairs = c.pairs();
        assert!(pairs.len() > 50);
        assert_eq!(r.pairs(), pairs);
        let mut a = r.candidate_pairs();
        let mut b = c.candidate_pairs();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        // Out of order, twice, or into another corpus: refused, nothing changed.
        let mut s = Corpus::new();
        assert!(s.restore(p2.clone()).is_err());
        assert!(s.is_empty());
        assert!(r.restore(p2).is_err());
        assert_eq!(r.len(), c.len());
    }
}
