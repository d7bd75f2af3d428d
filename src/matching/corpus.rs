//! The corpus: documents held as features, with their signatures in an LSH index, their
//! document frequencies and their rare-feature postings. Candidates, verification and
//! clustering are the sibling modules.

use super::verify::{sort_matches, Match};
use crate::sketch::lsh::{LshIndex, LshParams};
use crate::sketch::minhash::MinHasher;
use crate::sketch::signature::Signature;
use crate::{AnchorClass, Error, Feature, FeatureKind, Lang, Result};
use ahash::AHashMap;
use std::sync::Arc;

/// A feature's id in the corpus's [`FeatureTable`]: features are held once, by id, and a
/// document is a sorted list of ids (4 bytes a feature instead of a hash, a kind, a position
/// and a label).
pub(super) type Fid = u32;

/// In a queried document's date, year and figure lists: a feature the corpus has never seen
/// (it can equal nothing held, but it still makes the list non-empty).
pub(super) const UNSEEN: Fid = u32::MAX;

/// In [`FeatureTable::first`]: no document holds the feature.
const NO_POSTING: u32 = u32::MAX;
/// In [`FeatureTable::first`]: the feature is in more than [`MAX_RARE_POSTINGS`] documents,
/// so blocking never reads its postings and they are not kept.
const OVERFLOW: u32 = u32::MAX - 1;

/// Every feature the corpus holds, once: its hash, kind, anchor class, label, document
/// frequency and postings (the documents holding it).
#[derive(Debug, Clone, Default)]
pub(super) struct FeatureTable {
    pub(super) ids: AHashMap<u64, Fid>,
    pub(super) hashes: Vec<u64>,
    pub(super) kinds: Vec<FeatureKind>,
    /// Document frequency: live documents holding the feature.
    pub(super) df: Vec<u32>,
    /// Labels by id (empty when the corpus keeps no labels).
    pub(super) labels: Vec<Arc<str>>,
    /// The first posting of each feature ([`NO_POSTING`], [`OVERFLOW`] or a slot); the others
    /// are in `more`. Most features are in one document: they cost no list.
    pub(super) first: Vec<u32>,
    pub(super) more: AHashMap<Fid, Vec<u32>>,
    /// Anchor or concept feature → slots holding it in their headline or lead (dropped with
    /// the postings on overflow: headline/lead blocking reads only rare features).
    pub(super) lead: AHashMap<Fid, Vec<u32>>,
}

impl FeatureTable {
    /// The slots holding a feature, when its postings are kept (`None` past
    /// [`MAX_RARE_POSTINGS`] documents).
    pub(super) fn postings(&self, id: Fid) -> Option<impl Iterator<Item = u32> + '_> {
        let first = self.first[id as usize];
        if first == OVERFLOW {
            return None;
        }
        let more = self.more.get(&id).map_or(&[][..], |v| &v[..]);
        Some(
            (first != NO_POSTING)
                .then_some(first)
                .into_iter()
                .chain(more.iter().copied()),
        )
    }

    fn push_posting(&mut self, id: Fid, slot: u32, lead: bool) {
        let i = id as usize;
        if self.first[i] == OVERFLOW {
            return;
        }
        if self.df[i] > MAX_RARE_POSTINGS {
            self.first[i] = OVERFLOW;
            self.more.remove(&id);
            self.lead.remove(&id);
            return;
        }
        if self.first[i] == NO_POSTING {
            self.first[i] = slot;
        } else {
            self.more.entry(id).or_default().push(slot);
        }
        if lead {
            self.lead.entry(id).or_default().push(slot);
        }
    }

    /// Removes `slot` from a feature's postings; returns whether the postings must be rebuilt
    /// (they were dropped on overflow and the feature is rare again).
    fn remove_posting(&mut self, id: Fid, slot: u32) -> bool {
        let i = id as usize;
        if self.first[i] == OVERFLOW {
            return self.df[i] <= MAX_RARE_POSTINGS;
        }
        if self.first[i] == slot {
            self.first[i] = match self.more.get_mut(&id) {
                Some(v) if !v.is_empty() => v.remove(0),
                _ => NO_POSTING,
            };
        } else if let Some(v) = self.more.get_mut(&id) {
            v.retain(|&s| s != slot);
        }
        if self.more.get(&id).is_some_and(Vec::is_empty) {
            self.more.remove(&id);
        }
        if let Some(v) = self.lead.get_mut(&id) {
            v.retain(|&s| s != slot);
            if v.is_empty() {
                self.lead.remove(&id);
            }
        }
        false
    }
}

/// A document as the corpus holds it.
#[derive(Debug, Clone)]
pub(super) struct Doc {
    pub(super) id: Arc<str>,
    pub(super) lang: Option<Lang>,
    /// Sorted, deduplicated feature ids (for a queried document, those the corpus holds).
    pub(super) features: Box<[Fid]>,
    /// A queried document's features the corpus has never seen, by kind (they weigh in its
    /// total but can be shared with nothing). Zero for a held document.
    pub(super) unseen: [u32; 4],
    /// Anchors and concepts of the headline or the lead: what headline/lead blocking reads.
    pub(super) lead: Box<[Fid]>,
    /// Date anchors, for the conflict penalty.
    pub(super) dates: Box<[Fid]>,
    /// Year anchors, for the conflict penalty.
    pub(super) years: Box<[Fid]>,
    /// Quantity anchors (`num:`, `amt:`, `pct:`), for the conflict penalty.
    pub(super) numbers: Box<[Fid]>,
    /// Position in `Corpus::docs` (`u32::MAX` for a queried document that is not held).
    pub(super) slot: u32,
    /// The signature when the index does not hold it (an empty document, a query). A held
    /// document's signature lives in the index only.
    pub(super) signature: Option<Signature>,
}

impl Doc {
    /// Whether the document has no feature at all.
    pub(super) fn is_empty(&self) -> bool {
        self.features.is_empty() && self.unseen == [0; 4]
    }
}

/// Memory held per document, in bytes (averages).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryReport {
    /// Documents held.
    pub documents: usize,
    /// Bytes per document including explanation labels.
    pub per_document_with_labels: f64,
    /// Bytes per document without labels (what [`CorpusBuilder::keep_labels`]`(false)` holds).
    pub per_document_without_labels: f64,
}

/// Settings of a [`Corpus`]. Defaults are the ones chosen on the dev pools (DESIGN.md).
#[derive(Debug, Clone)]
pub struct CorpusBuilder {
    pub(super) num_hashes: usize,
    pub(super) seed: Option<u64>,
    pub(super) candidate_threshold: f64,
    pub(super) threshold: f64,
    pub(super) cross_threshold: f64,
    pub(super) containment_factor: f64,
    pub(super) containment_ratio: f64,
    pub(super) min_shared_rare: usize,
    pub(super) max_rare_df: f64,
    pub(super) min_shared_lead: usize,
    pub(super) max_lead_df: f64,
    pub(super) keep_labels: bool,
    pub(super) date_penalty: f64,
    pub(super) number_penalty: f64,
    pub(super) number_conflict_min: usize,
    pub(super) kind_weights: [f64; 4],
    pub(super) weighted_sketch: bool,
    pub(super) rarity_prior: f64,
}

/// The most documents a feature may have and still count as rare for blocking.
pub const MAX_RARE_POSTINGS: u32 = 64;

/// Default decision threshold for same-language pairs.
pub const DEFAULT_THRESHOLD: f64 = 0.14;
/// Default decision threshold for cross-language pairs.
pub const DEFAULT_CROSS_THRESHOLD: f64 = 0.17;

impl Default for CorpusBuilder {
    fn default() -> Self {
        CorpusBuilder {
            num_hashes: 128,
            seed: None,
            candidate_threshold: 0.4,
            threshold: DEFAULT_THRESHOLD,
            cross_threshold: DEFAULT_CROSS_THRESHOLD,
            containment_factor: 0.4,
            containment_ratio: 3.0,
            min_shared_rare: 2,
            max_rare_df: 0.02,
            min_shared_lead: 2,
            max_lead_df: 0.05,
            keep_labels: true,
            date_penalty: 0.85,
            number_penalty: 0.7,
            number_conflict_min: 3,
            kind_weights: [2.0, 1.0, 1.0, 1.0],
            weighted_sketch: false,
            rarity_prior: 0.0,
        }
    }
}

macro_rules! setter {
    ($(#[$doc:meta])* $name:ident: $ty:ty) => {
        $(#[$doc])*
        pub fn $name(mut self, v: $ty) -> Self {
            self.$name = v;
            self
        }
    };
}

impl CorpusBuilder {
    setter!(
        /// MinHash size (default 128).
        num_hashes: usize
    );
    setter!(
        /// Similarity the LSH bands are tuned for (default 0.4, i.e. 32 bands × 4 rows of 128
        /// hashes): candidates, not decisions; rare-feature blocking finds the rest.
        candidate_threshold: f64
    );
    setter!(
        /// Decision threshold for same-language pairs (default [`DEFAULT_THRESHOLD`]).
        threshold: f64
    );
    setter!(
        /// Decision threshold for cross-language pairs (default [`DEFAULT_CROSS_THRESHOLD`]).
        cross_threshold: f64
    );
    setter!(
        /// Weight of containment in the score when one document is at least
        /// `containment_ratio` times shorter (default 0.4; 0 disables containment).
        containment_factor: f64
    );
    setter!(
        /// Size ratio from which containment counts (default 3.0).
        containment_ratio: f64
    );
    setter!(
        /// Rare features two documents must share to become candidates by blocking (default 2;
        /// 0 disables blocking).
        min_shared_rare: usize
    );
    setter!(
        /// A feature is "rare" when at most this fraction of documents has it (default 0.02;
        /// never fewer than 20 documents nor more than [`MAX_RARE_POSTINGS`]).
        max_rare_df: f64
    );
    setter!(
        /// Headline/lead blocking: anchors and concepts two documents must share in their
        /// headlines or leads ([`Position::is_head_or_lead`](crate::Position::is_head_or_lead)) to become candidates (default 2;
        /// 0 disables it). News puts the event there; write-ups by other outlets share it in
        /// their leads more often than in enough rare body words (DESIGN.md "Positions").
        min_shared_lead: usize
    );
    setter!(
        /// A headline/lead feature counts for headline/lead blocking when at most this
        /// fraction of documents has it anywhere (default 0.05; never fewer than 20 documents
        /// nor more than [`MAX_RARE_POSTINGS`]).
        max_lead_df: f64
    );
    setter!(
        /// **Experimental.** Index signatures built with the kind weights (integer-weight
        /// MinHash, each weight rounded, at least 1) instead of plain set signatures. Default
        /// false: measured no better (96.89% of the exact oracle's flags among candidates
        /// against 96.93% for set signatures, at the same candidate volume; DESIGN.md §5).
        weighted_sketch: bool
    );
    setter!(
        /// Keep feature labels for explanations (default true).
        keep_labels: bool
    );
    setter!(
        /// Score multiplier when both documents carry dates (or years) and share none
        /// (default 0.85; 1 disables the penalty).
        date_penalty: f64
    );

    setter!(
        /// Score multiplier when both documents give at least `number_conflict_min` figures
        /// (numbers, amounts, percentages) and share none (default 0.7; 1 disables it).
        number_penalty: f64
    );
    setter!(
        /// Figures each document must give before a numbers conflict counts (default 3; 0
        /// disables the penalty).
        number_conflict_min: usize
    );

    /// Multiplies the rarity weight of every feature of `kind` (default 2 for anchors, 1 for
    /// the other kinds).
    pub fn kind_weight(mut self, kind: FeatureKind, weight: f64) -> Self {
        self.kind_weights[kind.index()] = weight;
        self
    }

    /// Rarity with a prior: `n0` background documents in which every feature occurs at the
    /// rate [`PRIOR_RATE`](crate::PRIOR_RATE) (0.01), so that a small corpus is
    /// not scored by the rarity two samples give. A feature in `df` of the corpus's `N`
    /// documents then weighs
    ///
    /// ```text
    /// idf = ln((N + n0) / (df + 0.01 × n0))        (n0 = 100: ln((N + 100) / (df + 1)))
    /// ```
    ///
    /// times its kind weight. In a two-document corpus, df 1 and df 2 weigh 3.93 and 3.53
    /// (nearly alike); in 1,400 documents the spread is the usual one (df 1: 6.6, df 700:
    /// 0.76). Default 0: no prior, `idf = ln(1 + N / df)`, the weighting the thresholds were
    /// chosen with (DESIGN.md "Rarity"). Scores use the document frequencies as they stand
    /// when a batch is matched ([`Corpus::pairs`]: all documents; [`Corpus::insert`]: those
    /// held so far, the new one included).
    ///
    /// ```
    /// use lintas::Corpus;
    /// assert!(Corpus::builder().rarity_prior(100.0).build().is_ok());
    /// assert!(Corpus::builder().rarity_prior(-1.0).build().is_err());
    /// ```
    pub fn rarity_prior(mut self, n0: f64) -> Self {
        self.rarity_prior = n0;
        self
    }

    /// Seed of the MinHash permutations (default [`crate::sketch::minhash::DEFAULT_SEED`]).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Sets both decision thresholds, keeping their default ratio: the cross-language
    /// threshold becomes `threshold × DEFAULT_CROSS_THRESHOLD / DEFAULT_THRESHOLD`.
    pub fn overall_threshold(mut self, threshold: f64) -> Self {
        self.threshold = threshold;
        self.cross_threshold = threshold * DEFAULT_CROSS_THRESHOLD / DEFAULT_THRESHOLD;
        self
    }

    /// Builds the corpus.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for thresholds outside (0, 1], a negative containment
    /// factor or date penalty outside [0, 1], a containment ratio below 1, or MinHash sizes
    /// the [`MinHasher`] rejects.
    pub fn build(self) -> Result<Corpus> {
        for (name, v) in [
            ("threshold", self.threshold),
            ("cross_threshold", self.cross_threshold),
            ("candidate_threshold", self.candidate_threshold),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(Error::invalid(name, v, "must be in (0, 1]"));
            }
        }
        if !(self.containment_factor >= 0.0 && self.containment_factor <= 1.0) {
            return Err(Error::invalid(
                "containment_factor",
                self.containment_factor,
                "must be in [0, 1]",
            ));
        }
        if self.containment_ratio.is_nan() || self.containment_ratio < 1.0 {
            return Err(Error::invalid(
                "containment_ratio",
                self.containment_ratio,
                "must be at least 1",
            ));
        }
        if !(self.date_penalty >= 0.0 && self.date_penalty <= 1.0) {
            return Err(Error::invalid(
                "date_penalty",
                self.date_penalty,
                "must be in [0, 1]",
            ));
        }
        if !(self.number_penalty >= 0.0 && self.number_penalty <= 1.0) {
            return Err(Error::invalid(
                "number_penalty",
                self.number_penalty,
                "must be in [0, 1]",
            ));
        }
        if self
            .kind_weights
            .iter()
            .any(|w| !(*w >= 0.0 && w.is_finite()))
        {
            return Err(Error::invalid(
                "kind_weight",
                format!("{:?}", self.kind_weights),
                "must be finite and non-negative",
            ));
        }
        if self.kind_weights.iter().all(|w| *w == 0.0) {
            return Err(Error::invalid(
                "kind_weight",
                format!("{:?}", self.kind_weights),
                "at least one kind must weigh more than 0, or no pair can ever match",
            ));
        }
        if !(self.rarity_prior >= 0.0 && self.rarity_prior.is_finite()) {
            return Err(Error::invalid(
                "rarity_prior",
                self.rarity_prior,
                "must be finite and non-negative",
            ));
        }
        for (name, v) in [
            ("max_rare_df", self.max_rare_df),
            ("max_lead_df", self.max_lead_df),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(Error::invalid(name, v, "must be in (0, 1]"));
            }
        }
        let mut hb = MinHasher::builder().num_hashes(self.num_hashes);
        if let Some(s) = self.seed {
            hb = hb.seed(s);
        }
        let hasher = hb.build()?;
        let params = LshParams::from_threshold(self.candidate_threshold, self.num_hashes)?;
        Ok(Corpus {
            hasher,
            index: LshIndex::new(params),
            docs: Vec::new(),
            ids: AHashMap::new(),
            table: FeatureTable::default(),
            live: 0,
            config: self,
        })
    }
}

/// A set of documents (as features) that finds, verifies and explains near-duplicate pairs.
///
/// ```
/// use lintas::{Corpus, Feature, FeatureKind};
/// let doc = |labels: &[&str]| -> Vec<Feature> {
///     labels.iter().map(|l| Feature::new(FeatureKind::Concept, l)).collect()
/// };
/// let mut corpus = Corpus::new();
/// corpus.insert("a", None, &doc(&["flood", "river", "evacu", "rain", "semarang"])).unwrap();
/// let matches = corpus.insert("b", None, &doc(&["flood", "river", "evacu", "rain", "demak"])).unwrap();
/// assert_eq!(matches.len(), 1);
/// assert!(matches[0].explanation.shared(FeatureKind::Concept) >= 4);
/// ```
///
/// Each distinct feature is held once (its hash, kind, label, document frequency and
/// postings); a document holds 4 bytes per feature. A feature's kind and label are those of
/// its first occurrence in the corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub(super) hasher: MinHasher,
    pub(super) index: LshIndex<u32>,
    pub(super) docs: Vec<Option<Doc>>,
    pub(super) ids: AHashMap<Arc<str>, u32>,
    pub(super) table: FeatureTable,
    pub(super) live: usize,
    pub(super) config: CorpusBuilder,
}

impl Default for Corpus {
    fn default() -> Self {
        Corpus::new()
    }
}

/// A document's features, sorted by hash and deduplicated (a hash given twice keeps its
/// earliest position).
fn sorted_features(features: &[Feature]) -> Vec<&Feature> {
    let mut fs: Vec<&Feature> = features.iter().collect();
    fs.sort_by_key(|f| (f.hash, f.position));
    fs.dedup_by_key(|f| f.hash);
    fs
}

impl Corpus {
    /// A corpus with the default settings.
    pub fn new() -> Corpus {
        CorpusBuilder::default()
            .build()
            .expect("defaults are valid")
    }

    /// A builder with the default settings.
    pub fn builder() -> CorpusBuilder {
        CorpusBuilder::default()
    }

    /// Documents held.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether the corpus holds no document.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The slot the next added document gets ([`Corpus::add`] returns it): slots count every
    /// document ever added, removed ones included, so `pairs_from(next_slot())` taken before a
    /// batch is added gives the pairs involving the batch.
    pub fn next_slot(&self) -> u32 {
        self.docs.len() as u32
    }

    /// The MinHash signature of a held document (`None` for an unknown id).
    pub fn signature(&self, id: &str) -> Option<&Signature> {
        let slot = *self.ids.get(id)?;
        self.sig(self.docs[slot as usize].as_ref()?)
    }

    pub(super) fn sig<'a>(&'a self, d: &'a Doc) -> Option<&'a Signature> {
        d.signature.as_ref().or_else(|| self.index.get(&d.slot))
    }

    /// The LSH parameters in use.
    pub fn lsh_params(&self) -> LshParams {
        self.index.params()
    }

    /// The decision thresholds `(same_language, cross_language)`.
    pub fn thresholds(&self) -> (f64, f64) {
        (self.config.threshold, self.config.cross_threshold)
    }

    /// Adds a document and returns its verified matches among the documents already held
    /// (scored with the document frequencies known so far).
    ///
    /// `lang` selects the pair-type threshold (documents of different known languages use
    /// the cross-language threshold). A document with no features is held but matches
    /// nothing.
    ///
    /// # Errors
    /// [`Error::DuplicateId`] when the id is already held.
    pub fn insert(
        &mut self,
        id: impl Into<Arc<str>>,
        lang: Option<Lang>,
        features: &[Feature],
    ) -> Result<Vec<Match>> {
        let slot = self.add(id, lang, features)?;
        let doc = self.docs[slot as usize].as_ref().expect("just added");
        let mut out = self.matches_of(doc, Some(slot), None, |other| other < slot);
        sort_matches(&mut out);
        Ok(out)
    }

    /// Adds a document without matching it (use [`Corpus::pairs`] afterwards). Returns its
    /// slot (see [`Corpus::next_slot`]).
    ///
    /// # Errors
    /// [`Error::DuplicateId`] when the id is already held; [`Error::InvalidParameter`] past
    /// 2³² − 2 documents or distinct features.
    pub fn add(
        &mut self,
        id: impl Into<Arc<str>>,
        lang: Option<Lang>,
        features: &[Feature],
    ) -> Result<u32> {
        let id: Arc<str> = id.into();
        if self.ids.contains_key(&id) {
            return Err(Error::DuplicateId(id.to_string()));
        }
        let slot = u32::try_from(self.docs.len())
            .ok()
            .filter(|&s| s < OVERFLOW)
            .ok_or_else(|| {
                Error::invalid(
                    "documents",
                    self.docs.len(),
                    "a corpus holds at most 2^32 - 2",
                )
            })?;
        if self.table.hashes.len() + features.len() >= OVERFLOW as usize {
            return Err(Error::invalid(
                "features",
                self.table.hashes.len(),
                "a corpus holds at most 2^32 - 2 distinct features",
            ));
        }
        let fs = sorted_features(features);
        let sig = self.sketch(&fs);
        // The index is the one fallible step left: do it before anything else changes.
        let signature = if sig.is_empty() {
            Some(sig)
        } else {
            self.index.insert(slot, sig)?;
            None
        };
        let keep_labels = self.config.keep_labels;
        let t = &mut self.table;
        let mut ids: Vec<(Fid, &Feature)> = fs
            .iter()
            .map(|f| {
                let next = t.hashes.len() as Fid;
                let id = *t.ids.entry(f.hash).or_insert(next);
                if id == next {
                    t.hashes.push(f.hash);
                    t.kinds.push(f.kind);
                    t.df.push(0);
                    t.first.push(NO_POSTING);
                    if keep_labels {
                        t.labels.push(f.label.clone());
                    }
                }
                t.df[id as usize] += 1;
                (id, *f)
            })
            .collect();
        ids.sort_unstable_by_key(|&(id, _)| id);
        let of_class = |keep: &dyn Fn(AnchorClass) -> bool| -> Box<[Fid]> {
            ids.iter()
                .filter(|(_, f)| f.anchor_class().is_some_and(keep))
                .map(|&(id, _)| id)
                .collect()
        };
        let doc = Doc {
            id: id.clone(),
            lang,
            slot,
            signature,
            unseen: [0; 4],
            dates: of_class(&|c| c == AnchorClass::Date),
            years: of_class(&|c| c == AnchorClass::Year),
            numbers: of_class(&AnchorClass::is_figure),
            lead: ids
                .iter()
                .filter(|(_, f)| is_lead(f))
                .map(|&(id, _)| id)
                .collect(),
            features: ids.iter().map(|&(id, _)| id).collect(),
        };
        for (fid, f) in &ids {
            t.push_posting(*fid, slot, is_lead(f));
        }
        self.ids.insert(id, slot);
        self.docs.push(Some(doc));
        self.live += 1;
        Ok(slot)
    }

    /// The signature of a document's (sorted, deduplicated) features.
    fn sketch(&self, fs: &[&Feature]) -> Signature {
        if self.config.weighted_sketch {
            let w: Vec<(u64, u32)> = fs
                .iter()
                .map(|f| {
                    (
                        f.hash,
                        self.config.kind_weights[f.kind.index()].round().max(1.0) as u32,
                    )
                })
                .collect();
            self.hasher.sketch_weighted(&w)
        } else {
            let hashes: Vec<u64> = fs.iter().map(|f| f.hash).collect();
            self.hasher.sketch(&hashes)
        }
    }

    /// Removes a document; returns whether it was held.
    ///
    /// Its features' document frequencies drop; a feature no document holds any more keeps
    /// its table entry (a few bytes) until the corpus is rebuilt.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(slot) = self.ids.remove(id) else {
            return false;
        };
        let Some(doc) = self.docs[slot as usize].take() else {
            return false;
        };
        let mut rebuild = Vec::new();
        for &f in doc.features.iter() {
            self.table.df[f as usize] -= 1;
            if self.table.remove_posting(f, slot) {
                rebuild.push(f);
            }
        }
        self.index.remove(&slot);
        self.live -= 1;
        if !rebuild.is_empty() {
            self.rebuild_postings(&rebuild);
        }
        true
    }

    /// Restores the postings of features that had more than [`MAX_RARE_POSTINGS`] documents
    /// (so their postings were dropped) and are rare again after removals: one pass over the
    /// held documents.
    fn rebuild_postings(&mut self, features: &[Fid]) {
        let wanted: ahash::AHashSet<Fid> = features.iter().copied().collect();
        for &f in features {
            self.table.first[f as usize] = NO_POSTING;
            self.table.more.remove(&f);
            self.table.lead.remove(&f);
        }
        for d in self.docs.iter().flatten() {
            for &f in d.features.iter().filter(|f| wanted.contains(f)) {
                let lead = d.lead.binary_search(&f).is_ok();
                let t = &mut self.table;
                if t.first[f as usize] == NO_POSTING {
                    t.first[f as usize] = d.slot;
                } else {
                    t.more.entry(f).or_default().push(d.slot);
                }
                if lead {
                    t.lead.entry(f).or_default().push(d.slot);
                }
            }
        }
    }

    /// Matches of a document that is not added (the corpus is unchanged). In each match, `a`
    /// is the held document and `b` is the query, whose id is empty.
    pub fn query(&self, lang: Option<Lang>, features: &[Feature]) -> Vec<Match> {
        let doc = self.query_doc(lang, features);
        let mut out = self.matches_of(&doc, None, None, |_| true);
        sort_matches(&mut out);
        out
    }

    /// A document that is not held, with its features looked up in the table.
    fn query_doc(&self, lang: Option<Lang>, features: &[Feature]) -> Doc {
        let fs = sorted_features(features);
        let mut unseen = [0u32; 4];
        let mut ids: Vec<(Fid, &Feature)> = fs
            .iter()
            .map(|f| match self.table.ids.get(&f.hash) {
                Some(&id) => (id, *f),
                None => {
                    unseen[f.kind.index()] += 1;
                    (UNSEEN, *f)
                }
            })
            .collect();
        ids.sort_unstable_by_key(|&(id, _)| id);
        let of_class = |keep: &dyn Fn(AnchorClass) -> bool| -> Box<[Fid]> {
            ids.iter()
                .filter(|(_, f)| f.anchor_class().is_some_and(keep))
                .map(|&(id, _)| id)
                .collect()
        };
        Doc {
            id: Arc::from(""),
            lang,
            slot: u32::MAX,
            signature: Some(self.sketch(&fs)),
            unseen,
            dates: of_class(&|c| c == AnchorClass::Date),
            years: of_class(&|c| c == AnchorClass::Year),
            numbers: of_class(&AnchorClass::is_figure),
            lead: ids
                .iter()
                .filter(|&&(id, f)| id != UNSEEN && is_lead(f))
                .map(|&(id, _)| id)
                .collect(),
            features: ids
                .iter()
                .filter(|&&(id, _)| id != UNSEEN)
                .map(|&(id, _)| id)
                .collect(),
        }
    }

    /// Every flagged pair in the corpus, scored with the final document frequencies,
    /// strongest first. Each pair appears once, `a` inserted before `b`.
    ///
    /// With the `parallel` feature (on by default), documents are matched on every core; the
    /// result does not depend on the number of threads.
    pub fn pairs(&self) -> Vec<Match> {
        self.pairs_from(0)
    }

    /// The flagged pairs whose later document has slot `first_slot` or more (see
    /// [`Corpus::next_slot`]): the pairs involving the documents added since, among
    /// themselves and with the documents held before. The same pairs, scores and order as
    /// that subset of [`Corpus::pairs`].
    ///
    /// ```
    /// use lintas::{Corpus, Feature, FeatureKind};
    /// let doc = |labels: &[&str]| -> Vec<Feature> {
    ///     labels.iter().map(|l| Feature::new(FeatureKind::Concept, l)).collect()
    /// };
    /// let mut corpus = Corpus::new();
    /// corpus.add("a", None, &doc(&["flood", "river", "evacu", "rain", "semarang"])).unwrap();
    /// corpus.add("b", None, &doc(&["flood", "river", "evacu", "rain", "semarang", "demak"])).unwrap();
    /// let batch = corpus.next_slot();
    /// corpus.add("c", None, &doc(&["flood", "river", "evacu", "rain", "demak"])).unwrap();
    /// let new = corpus.pairs_from(batch);
    /// assert!(new.iter().all(|m| &*m.b == "c"));
    /// let all = corpus.pairs();
    /// let subset: Vec<_> = all.into_iter().filter(|m| &*m.b == "c").collect();
    /// assert_eq!(new, subset);
    /// ```
    pub fn pairs_from(&self, first_slot: u32) -> Vec<Match> {
        let mut out = Vec::new();
        let _ = self.try_for_each_pair(first_slot, |m| {
            out.push(m);
            Ok::<(), std::convert::Infallible>(())
        });
        sort_matches(&mut out);
        out
    }

    /// Streams the flagged pairs whose later document has slot `first_slot` or more, without
    /// holding them all: documents are matched in chunks (in parallel with the `parallel`
    /// feature) and their pairs handed to `sink` in document order — by the later document's
    /// slot, strongest first within it — the same order whatever the thread count. Stops at
    /// the first error `sink` returns.
    ///
    /// # Errors
    /// The first error of `sink`.
    pub fn try_for_each_pair<E>(
        &self,
        first_slot: u32,
        mut sink: impl FnMut(Match) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        /// Documents matched per chunk: enough to keep every core busy, few enough that a
        /// chunk's pairs stay small.
        const CHUNK: usize = 1024;
        let table = self.batch_weights();
        let slots: Vec<u32> = (first_slot as usize..self.docs.len())
            .filter(|&s| self.docs[s].is_some())
            .map(|s| s as u32)
            .collect();
        for chunk in slots.chunks(CHUNK) {
            let found = super::par_map(chunk, |&slot| {
                let doc = self.docs[slot as usize].as_ref().expect("live slot");
                let mut v = self.matches_of(doc, Some(slot), Some(&table), |o| o < slot);
                sort_matches(&mut v);
                v
            });
            for m in found.into_iter().flatten() {
                sink(m)?;
            }
        }
        Ok(())
    }

    /// Groups of documents linked by verified pairs (see [`clusters`](super::clusters)).
    pub fn clusters(&self, pairs: &[Match]) -> Vec<Vec<Arc<str>>> {
        super::clusters(pairs)
    }

    /// Memory held per document, with and without explanation labels: an estimate from
    /// sizes, including the shared structures (LSH index, feature table, postings) divided by
    /// the number of documents. Labels are counted as if unshared, an upper bound (concept
    /// labels are shared with the analyser's cache).
    pub fn memory_report(&self) -> MemoryReport {
        use std::mem::size_of;
        let n = self.live.max(1) as f64;
        let mut base = self.docs.capacity() * size_of::<Option<Doc>>();
        for d in self.docs.iter().flatten() {
            base +=
                (d.features.len() + d.lead.len() + d.dates.len() + d.years.len() + d.numbers.len())
                    * size_of::<Fid>()
                    + d.signature.as_ref().map_or(0, |s| s.values().len() * 4)
                    + d.id.len()
                    + 16;
        }
        base += self.ids.capacity() * (size_of::<(Arc<str>, u32)>() + 1);
        let t = &self.table;
        let vecs = |m: &AHashMap<Fid, Vec<u32>>| -> usize {
            m.capacity() * (size_of::<(Fid, Vec<u32>)>() + 1)
                + m.values().map(|v| v.capacity() * 4 + 16).sum::<usize>()
        };
        let shared = self.index.memory_bytes()
            + t.ids.capacity() * (size_of::<(u64, Fid)>() + 1)
            + t.hashes.capacity() * 8
            + t.kinds.capacity()
            + t.df.capacity() * 4
            + t.first.capacity() * 4
            + vecs(&t.more)
            + vecs(&t.lead);
        let labels = t.labels.capacity() * size_of::<Arc<str>>()
            + t.labels.iter().map(|s| s.len() + 16).sum::<usize>();
        MemoryReport {
            documents: self.live,
            per_document_with_labels: (base + labels + shared) as f64 / n,
            per_document_without_labels: (base + shared) as f64 / n,
        }
    }

    /// The exact oracle of [`Corpus::pairs`]: every pair of held documents scored, no
    /// candidate stage. O(n²): for verifying the candidate stage on small corpora.
    ///
    /// Hidden from the documentation: a test oracle, not part of the supported API (the
    /// tests and the evaluation tools call it; it may change without a version bump).
    #[doc(hidden)]
    pub fn pairs_exhaustive(&self) -> Vec<Match> {
        let table = self.batch_weights();
        let docs: Vec<&Doc> = self.docs.iter().flatten().collect();
        let mut out = Vec::new();
        for j in 0..docs.len() {
            for i in 0..j {
                if let Some(m) = self.score_with(docs[i], docs[j], Some(&table), true) {
                    out.push(m);
                }
            }
        }
        sort_matches(&mut out);
        out
    }

    /// Scores a held pair regardless of thresholds and candidates (for inspection).
    pub fn score_pair(&self, a: &str, b: &str) -> Option<Match> {
        let da = self.docs[*self.ids.get(a)? as usize].as_ref()?;
        let db = self.docs[*self.ids.get(b)? as usize].as_ref()?;
        self.score_with(da, db, None, false)
    }
}

/// Whether a feature counts for headline/lead blocking: an anchor or a concept in the
/// headline or the lead.
fn is_lead(f: &Feature) -> bool {
    matches!(f.kind, FeatureKind::Anchor | FeatureKind::Concept) && f.position.is_head_or_lead()
}
