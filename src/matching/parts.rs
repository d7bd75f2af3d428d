//! The corpus in its own encoding, for the persistent index (`crate::store`): the feature
//! table's rows and the documents as feature ids, exported a batch at a time and restored
//! without analysing, hashing labels or sorting again. Restoring the parts of a corpus, in
//! order, gives a corpus that answers exactly as the original (same ids, same sums).

use super::corpus::{Corpus, Doc, FeatureTable, Fid, NOT_A_COPY};
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
        let mut unfiled = Unfiled::default();
        self.restore_part(part, &mut unfiled, true)?;
        self.file(unfiled)
    }

    /// [`Corpus::restore`] without filing: the documents' signatures are added to
    /// `unfiled`, and the new feature rows are not entered in the table's map from hash to
    /// id, for [`Corpus::file`] to file all at once (as `restore` would have one part after
    /// the other, and much faster). Until then the corpus must not be matched, added to nor
    /// have documents removed; restoring more parts is fine.
    ///
    /// # Errors
    /// As [`Corpus::restore`] (nothing is changed then, `unfiled` neither), except that a
    /// feature row repeating an earlier one is found by [`Corpus::file`].
    pub(crate) fn restore_unfiled(&mut self, part: Part, unfiled: &mut Unfiled) -> Result<()> {
        self.restore_part(part, unfiled, false)
    }

    /// [`Corpus::restore_unfiled`], entering the new feature rows in the map at once when
    /// `rows_now` (then a repeated row is refused here, with nothing changed).
    fn restore_part(&mut self, part: Part, unfiled: &mut Unfiled, rows_now: bool) -> Result<()> {
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
        // set), and taken back on a repeated hash; or later, by `file`.
        if rows_now && t.ids.len() == t.hashes.len() {
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
        }
        t.hashes.extend_from_slice(&f.hashes);
        t.kinds.extend_from_slice(&f.kinds);
        t.df.resize(rows, 0);
        t.first.resize(rows, super::corpus::NO_POSTING);
        t.langs.resize(rows, super::corpus::NO_LANG);
        if keep_labels {
            t.labels.extend(f.labels.iter().cloned());
        }
        // Signatures, from the stored hashes, on every core.
        let sigs = super::par_map(&part.docs, |d| {
            (!d.copy).then(|| self.sketch_rows(&d.features))
        });
        // The signatures for the LSH index (filed later, all at once), the feature counts and
        // postings now: what `Corpus::hold` does a document at a time, in the same order.
        let base = self.docs.len() as u32;
        self.docs.reserve(part.docs.len());
        self.ids.reserve(part.docs.len());
        let mut sigs = sigs;
        let empty: Vec<Option<Signature>> = sigs
            .iter_mut()
            .map(|s| s.take_if(|s| s.is_empty()))
            .collect();
        unfiled.sigs.extend(
            sigs.into_iter()
                .zip(base..)
                .filter_map(|(sig, slot)| sig.map(|sig| (slot, sig))),
        );
        // Counted by `file`, with every part restored before it.
        unfiled.from.get_or_insert(base);
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

    /// Files what [`Corpus::restore_unfiled`] left: the signatures in the LSH index and the
    /// new feature rows in the table's map, the two on two threads.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when a restored feature row repeats another: the
    /// corpus is unusable then (it must be dropped).
    pub(crate) fn file(&mut self, unfiled: Unfiled) -> Result<()> {
        let Unfiled { sigs, from } = unfiled;
        let (index, table) = (&mut self.index, &mut self.table);
        let docs = &self.docs[from.map_or(self.docs.len(), |f| f as usize)..];
        // The map from hash to id is filled beside the counting, which does not read it.
        let mut ids = std::mem::take(&mut table.ids);
        let hashes = std::mem::take(&mut table.hashes);
        let ((), rows) = super::join(
            move || {
                // The corpus's own hasher made them and the slots are new: cannot fail.
                index
                    .insert_new(sigs)
                    .expect("new slots with the corpus's own signatures");
            },
            || {
                super::join(
                    || file_rows(&mut ids, &hashes),
                    || table.count_restored(docs),
                )
                .0
            },
        );
        self.table.ids = ids;
        self.table.hashes = hashes;
        if rows {
            Ok(())
        } else {
            Err(crate::Error::invalid(
                "corpus part",
                "feature rows".to_string(),
                "does not continue this corpus",
            ))
        }
    }
}

impl FeatureTable {
    /// Counts held documents restored without counting ([`Corpus::restore_unfiled`]), in
    /// slot order: every document frequency first (and each local word's language, its
    /// first holder's), then the postings. The table ends as counting document after
    /// document leaves it (document frequencies only grow while parts are restored, so a
    /// feature overflows then exactly when it does in the end), but a feature past
    /// [`super::corpus::MAX_RARE_POSTINGS`] is never posted only to be dropped, and its
    /// headline/lead search is skipped.
    fn count_restored(&mut self, docs: &[Option<Doc>]) {
        let held = || docs.iter().flatten().filter(|d| d.copy_of == NOT_A_COPY);
        for d in held() {
            self.add_frequencies(&d.features);
            self.claim_local(&d.features, d.lang);
        }
        for d in held() {
            self.post(&d.features, &d.lead, d.slot);
        }
    }
}

/// Enters the feature rows not in `ids`, the map from hash to id, yet (the last of
/// `hashes`) in it; false when one repeats another's hash. Many rows are entered by their
/// place in the map's table, a region at a time, rather than at random (one cache and TLB
/// miss a row otherwise).
fn file_rows(ids: &mut ahash::AHashMap<u64, Fid>, hashes: &[u64]) -> bool {
    let from = ids.len();
    if from >= hashes.len() {
        return true;
    }
    let new = &hashes[from..];
    let id = |i: usize| (from + i) as Fid;
    ids.reserve(new.len());
    if new.len() < 1 << 16 {
        return new
            .iter()
            .enumerate()
            .all(|(i, &h)| ids.insert(h, id(i)).is_none());
    }
    // hashbrown places a key at `hash & (buckets − 1)`, with `capacity = buckets × 7/8`:
    // a wrong guess only costs speed.
    let buckets = (ids.capacity().saturating_mul(8) / 7)
        .next_power_of_two()
        .max(1);
    const REGION_BITS: u32 = 12;
    let regions = (buckets >> REGION_BITS).max(1);
    let state = ids.hasher().clone();
    let region = |h: u64| {
        (std::hash::BuildHasher::hash_one(&state, h) as usize & (buckets - 1)) >> REGION_BITS
    };
    let mut count = vec![0usize; regions];
    for &h in new {
        count[region(h)] += 1;
    }
    // Windows of regions of at most WINDOW rows, through one buffer.
    const WINDOW: usize = 1 << 21;
    let mut order: Vec<(u64, Fid)> = Vec::with_capacity(WINDOW.min(new.len()));
    let mut next = vec![0usize; regions];
    let mut lo = 0;
    while lo < regions {
        let (mut hi, mut rows) = (lo, 0);
        while hi < regions && (hi == lo || rows + count[hi] <= WINDOW) {
            next[hi] = rows;
            rows += count[hi];
            hi += 1;
        }
        order.clear();
        order.resize(rows, (0, 0));
        for (i, &h) in new.iter().enumerate() {
            let r = region(h);
            if (lo..hi).contains(&r) {
                order[next[r]] = (h, id(i));
                next[r] += 1;
            }
        }
        for &(h, x) in &order {
            if ids.insert(h, x).is_some() {
                return false;
            }
        }
        lo = hi;
    }
    true
}

/// What restoring parts leaves for [`Corpus::file`].
#[derive(Debug, Default)]
pub(crate) struct Unfiled {
    /// Signatures of restored documents not yet filed in the LSH index, by slot, in order.
    sigs: Vec<(u32, Signature)>,
    /// The first restored slot whose features are not counted yet (the slots after it
    /// neither).
    from: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::Part;
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

    #[test]
    fn parts_restored_unfiled_then_filed_answer_as_restored() {
        // Over 65,536 new feature rows: the rows are filed a region of the map at a time.
        // Overlap: these rows have no language or positions for the event model to read.
        let overlap = || {
            Corpus::builder()
                .verifier(crate::Verifier::Overlap)
                .build()
                .unwrap()
        };
        let mut c = overlap();
        for i in 0..3000 {
            let story = i / 4;
            let f: Vec<Feature> = (0..60)
                .map(|j| Feature::new(FeatureKind::Concept, &format!("s{story}-{j}")))
                .chain((0..20).map(|j| Feature::new(FeatureKind::Concept, &format!("o{i}-{j}"))))
                .collect();
            c.add(format!("d{i}"), None, &f).unwrap();
            if i == 500 {
                assert!(c.remove("d3"));
            }
        }
        let whole = c.export(0, 0);
        assert!(whole.features.hashes.len() > 1 << 16);
        let (a, b) = {
            let mut p = whole.clone();
            let rest = p.docs.split_off(1700);
            let cut = p.docs.iter().flat_map(|d| d.features.iter()).max().unwrap() + 1;
            let mut q = Part {
                features: p.features.clone(),
                docs: rest,
            };
            p.features.hashes.truncate(cut as usize);
            p.features.kinds.truncate(cut as usize);
            p.features.labels.truncate(cut as usize);
            q.features.first = cut;
            q.features.hashes.drain(..cut as usize);
            q.features.kinds.drain(..cut as usize);
            q.features.labels.drain(..cut as usize);
            (p, q)
        };
        let mut eager = overlap();
        eager.restore(a.clone()).unwrap();
        eager.restore(b.clone()).unwrap();
        let mut late = overlap();
        let mut unfiled = super::Unfiled::default();
        late.restore_unfiled(a.clone(), &mut unfiled).unwrap();
        late.restore_unfiled(b.clone(), &mut unfiled).unwrap();
        late.file(unfiled).unwrap();
        assert_eq!(late.table.ids, eager.table.ids);
        assert!(c.pairs().len() > 1000);
        assert_eq!(late.pairs(), c.pairs());
        assert_eq!(eager.pairs(), c.pairs());
        // A row repeating an earlier one: refused by `file`.
        let mut bad = b;
        bad.features.hashes[5] = a.features.hashes[9];
        let mut late = Corpus::new();
        let mut unfiled = super::Unfiled::default();
        late.restore_unfiled(a, &mut unfiled).unwrap();
        late.restore_unfiled(bad, &mut unfiled).unwrap();
        assert!(late.file(unfiled).is_err());
    }
}
