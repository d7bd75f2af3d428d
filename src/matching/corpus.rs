//! The corpus: documents held as features, with their signatures in an LSH index, their
//! document frequencies and their rare-feature postings. Candidates, verification and
//! clustering are the sibling modules.

use super::verify::{sort_matches, Match};
use crate::sketch::lsh::{LshIndex, LshParams};
use crate::sketch::minhash::MinHasher;
use crate::sketch::signature::Signature;
use crate::{AnchorClass, Error, Feature, FeatureKind, Lang, Position, Result};
use ahash::AHashMap;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub(super) struct Doc {
    pub(super) id: Arc<str>,
    pub(super) lang: Option<Lang>,
    /// Sorted, deduplicated feature hashes.
    pub(super) features: Box<[u64]>,
    pub(super) kinds: Box<[FeatureKind]>,
    /// Where each feature first occurs (headline, lead, body), in feature order.
    pub(super) positions: Box<[Position]>,
    pub(super) labels: Option<Box<[Arc<str>]>>,
    /// Date anchors (`date:` labels hashed), for the conflict penalty.
    pub(super) dates: Box<[u64]>,
    /// Year anchors (`year:` labels hashed), for the conflict penalty.
    pub(super) years: Box<[u64]>,
    /// Quantity anchors (`num:`, `amt:`, `pct:`), for the conflict penalty.
    pub(super) numbers: Box<[u64]>,
    /// Position in `Corpus::docs` (`u32::MAX` for a queried document that is not held).
    pub(super) slot: u32,
    /// The signature when the index does not hold it (an empty document, a query). A held
    /// document's signature lives in the index only.
    pub(super) signature: Option<Signature>,
}

impl Doc {
    /// The anchors and concepts of the headline or the lead: what headline/lead blocking
    /// reads.
    pub(super) fn lead_features(&self) -> impl Iterator<Item = u64> + '_ {
        self.features
            .iter()
            .zip(self.kinds.iter().zip(self.positions.iter()))
            .filter(|(_, (k, p))| {
                matches!(k, FeatureKind::Anchor | FeatureKind::Concept) && p.is_head_or_lead()
            })
            .map(|(&f, _)| f)
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
        /// headlines or leads ([`Position::is_head_or_lead`]) to become candidates (default 2;
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
            df: AHashMap::new(),
            postings: AHashMap::new(),
            lead_postings: AHashMap::new(),
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
#[derive(Debug, Clone)]
pub struct Corpus {
    pub(super) hasher: MinHasher,
    pub(super) index: LshIndex<u32>,
    pub(super) docs: Vec<Option<Doc>>,
    pub(super) ids: AHashMap<Arc<str>, u32>,
    pub(super) df: AHashMap<u64, u32>,
    /// Feature → slots holding it (only lists no longer than the rarity cap are read).
    pub(super) postings: AHashMap<u64, Vec<u32>>,
    /// Anchor or concept feature → slots holding it in their headline or lead (for
    /// headline/lead blocking; only features rare enough by `df` are read).
    pub(super) lead_postings: AHashMap<u64, Vec<u32>>,
    pub(super) live: usize,
    pub(super) config: CorpusBuilder,
}

impl Default for Corpus {
    fn default() -> Self {
        Corpus::new()
    }
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
    /// internal slot.
    ///
    /// # Errors
    /// [`Error::DuplicateId`] when the id is already held.
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
        let slot = u32::try_from(self.docs.len()).map_err(|_| {
            Error::invalid(
                "documents",
                self.docs.len(),
                "a corpus holds at most 2^32 - 1",
            )
        })?;
        let mut doc = self.make_doc(id.clone(), lang, features, slot);
        // The index is the one fallible step: do it before anything else changes.
        if let Some(sig) = doc.signature.take() {
            if sig.is_empty() {
                doc.signature = Some(sig);
            } else {
                self.index.insert(slot, sig)?;
            }
        }
        for &f in doc.features.iter() {
            *self.df.entry(f).or_insert(0) += 1;
            self.postings.entry(f).or_default().push(slot);
        }
        for f in doc.lead_features() {
            self.lead_postings.entry(f).or_default().push(slot);
        }
        self.ids.insert(id, slot);
        self.docs.push(Some(doc));
        self.live += 1;
        Ok(slot)
    }

    /// Removes a document; returns whether it was held.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(slot) = self.ids.remove(id) else {
            return false;
        };
        let Some(doc) = self.docs[slot as usize].take() else {
            return false;
        };
        for f in doc.features.iter() {
            if let Some(c) = self.df.get_mut(f) {
                *c -= 1;
                if *c == 0 {
                    self.df.remove(f);
                }
            }
        }
        for f in doc.features.iter() {
            if let Some(p) = self.postings.get_mut(f) {
                p.retain(|&s| s != slot);
                if p.is_empty() {
                    self.postings.remove(f);
                }
            }
        }
        for f in doc.lead_features() {
            if let Some(p) = self.lead_postings.get_mut(&f) {
                p.retain(|&s| s != slot);
                if p.is_empty() {
                    self.lead_postings.remove(&f);
                }
            }
        }
        self.index.remove(&slot);
        self.live -= 1;
        true
    }

    /// Matches of a document that is not added (the corpus is unchanged). In each match, `a`
    /// is the held document and `b` is the query, whose id is empty.
    pub fn query(&self, lang: Option<Lang>, features: &[Feature]) -> Vec<Match> {
        let doc = self.make_doc(Arc::from(""), lang, features, u32::MAX);
        let mut out = self.matches_of(&doc, None, None, |_| true);
        sort_matches(&mut out);
        out
    }

    /// Every flagged pair in the corpus, scored with the final document frequencies,
    /// strongest first. Each pair appears once, `a` inserted before `b`.
    pub fn pairs(&self) -> Vec<Match> {
        let table = self.all_weights();
        let mut out = Vec::new();
        for (slot, doc) in self.docs.iter().enumerate() {
            let Some(doc) = doc else { continue };
            let slot = slot as u32;
            out.extend(self.matches_of(doc, Some(slot), Some(&table), |o| o < slot));
        }
        sort_matches(&mut out);
        out
    }

    /// Groups of documents linked by verified pairs (see [`clusters`](super::clusters)).
    pub fn clusters(&self, pairs: &[Match]) -> Vec<Vec<Arc<str>>> {
        super::clusters(pairs)
    }

    /// Memory held per document, with and without explanation labels: an estimate from
    /// sizes, including the shared structures (LSH index, document frequencies, postings)
    /// divided by the number of documents. Labels are counted as if unshared, an upper bound
    /// (concept labels are shared with the analyser's cache).
    pub fn memory_report(&self) -> MemoryReport {
        let n = self.live.max(1) as f64;
        let mut base = 0usize;
        let mut labels = 0usize;
        for d in self.docs.iter().flatten() {
            base += std::mem::size_of::<Doc>()
                + d.features.len() * (8 + 1 + 1)
                + (d.dates.len() + d.years.len() + d.numbers.len()) * 8
                + d.signature.as_ref().map_or(0, |s| s.values().len() * 4)
                + d.id.len();
            if let Some(l) = &d.labels {
                labels += l.len() * 16 + l.iter().map(|s| s.len() + 16).sum::<usize>();
            }
        }
        let shared = self.index.memory_bytes()
            + self.df.len() * 16
            + self
                .postings
                .values()
                .chain(self.lead_postings.values())
                .map(|p| 24 + p.len() * 4 + 8)
                .sum::<usize>();
        MemoryReport {
            documents: self.live,
            per_document_with_labels: (base + labels + shared) as f64 / n,
            per_document_without_labels: (base + shared) as f64 / n,
        }
    }

    pub(super) fn make_doc(
        &self,
        id: Arc<str>,
        lang: Option<Lang>,
        features: &[Feature],
        slot: u32,
    ) -> Doc {
        let mut fs: Vec<&Feature> = features.iter().collect();
        // A hash given twice keeps its earliest position.
        fs.sort_by_key(|f| (f.hash, f.position));
        fs.dedup_by_key(|f| f.hash);
        let hashes: Vec<u64> = fs.iter().map(|f| f.hash).collect();
        let anchors_of = |keep: &dyn Fn(AnchorClass) -> bool| -> Box<[u64]> {
            fs.iter()
                .filter(|f| f.anchor_class().is_some_and(keep))
                .map(|f| f.hash)
                .collect()
        };
        let dates = anchors_of(&|c| c == AnchorClass::Date);
        let years = anchors_of(&|c| c == AnchorClass::Year);
        let numbers = anchors_of(&AnchorClass::is_figure);
        Doc {
            id,
            lang,
            slot,
            signature: Some(if self.config.weighted_sketch {
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
                self.hasher.sketch(&hashes)
            }),
            kinds: fs.iter().map(|f| f.kind).collect(),
            positions: fs.iter().map(|f| f.position).collect(),
            labels: self
                .config
                .keep_labels
                .then(|| fs.iter().map(|f| f.label.clone()).collect()),
            dates,
            years,
            numbers,
            features: hashes.into(),
        }
    }

    /// The exact oracle of [`Corpus::pairs`]: every pair of held documents scored, no
    /// candidate stage. O(n²): for verifying the candidate stage on small corpora.
    ///
    /// Hidden from the documentation: a test oracle, not part of the supported API (the
    /// tests and the evaluation tools call it; it may change without a version bump).
    #[doc(hidden)]
    pub fn pairs_exhaustive(&self) -> Vec<Match> {
        let table = self.all_weights();
        let docs: Vec<(usize, &Doc)> = self
            .docs
            .iter()
            .enumerate()
            .filter_map(|(s, d)| Some((s, d.as_ref()?)))
            .collect();
        let mut out = Vec::new();
        for j in 0..docs.len() {
            for i in 0..j {
                let ((si, di), (sj, dj)) = (docs[i], docs[j]);
                if let Some(m) = self.score_with(di, &table[si], dj, &table[sj], true) {
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
        self.score(da, db)
    }
}
