//! Documents as feature sets: add them one by one and get their matches, or run a whole
//! corpus and get verified pairs and clusters, each match explained.
//!
//! # How a pair is found and decided
//!
//! 1. **Candidates** come from two sources: LSH banding over MinHash signatures (tuned for a
//!    moderate similarity), and *rare-feature blocking* — documents sharing at least
//!    [`CorpusBuilder::min_shared_rare`] rare features (names, amounts, unusual words whose
//!    document frequency is low). The decision weights rare features most, so blocking on
//!    them finds what banding over unweighted sets misses: pairs held together by a few rare
//!    features, and a short item inside a long article.
//! 2. **Verification** re-scores every candidate exactly from the stored features, with
//!    rarity (IDF) weights: weighted Jaccard, and weighted containment of the smaller document
//!    in the larger.
//! 3. **Decision**: a pair is flagged when its score reaches the threshold for its pair type
//!    (same language, cross-language). The score is the weighted Jaccard, or the containment
//!    scaled by [`CorpusBuilder::containment_factor`] when one document is much shorter.
//!    Documents whose dated anchors all disagree are penalised.
//!
//! Pairs are the primary result. [`Corpus::clusters`] groups documents only through verified
//! pairs and merges two groups only when most cross pairs are flagged (average linkage, strict majority), so
//! one bridging document cannot chain unrelated groups together.

use super::lsh::{LshIndex, LshParams};
use super::minhash::MinHasher;
use super::signature::Signature;
use crate::{AnchorClass, Feature, FeatureKind};
use crate::{Error, Lang, Result};
use ahash::{AHashMap, AHashSet};
use std::sync::Arc;

/// A flagged (or scored) pair of documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Id of the first document (the one inserted earlier).
    pub a: Arc<str>,
    /// Id of the second document.
    pub b: Arc<str>,
    /// The decision score (compare with [`Match::threshold`]).
    pub score: f64,
    /// The threshold that applied to this pair's type.
    pub threshold: f64,
    /// Rarity-weighted Jaccard of the two feature sets (exact).
    pub jaccard: f64,
    /// Rarity-weighted containment of the smaller document in the larger (exact).
    pub containment: f64,
    /// MinHash estimate of the unweighted Jaccard (from the signatures).
    pub estimate: f64,
    /// Why they matched.
    pub explanation: Explanation,
}

/// What two documents share, by kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Explanation {
    /// Shared features per kind: `[anchor, concept, pair, local]` counts.
    pub shared_counts: [usize; 4],
    /// The most telling shared features (rarest first), with their kinds; empty when the
    /// corpus keeps no labels.
    pub top: Vec<(FeatureKind, Arc<str>)>,
}

impl Explanation {
    /// Shared features of one kind.
    pub fn shared(&self, kind: FeatureKind) -> usize {
        self.shared_counts[kind.index()]
    }
}

/// Strongest first; ties by ids, so output order is deterministic.
fn sort_matches(v: &mut [Match]) {
    v.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
}

/// Calls `f` with the index in `a` of every value `a` and `b` share (both sorted, deduplicated).
fn for_each_shared(a: &[u64], b: &[u64], mut f: impl FnMut(usize)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(i);
                i += 1;
                j += 1;
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Doc {
    id: Arc<str>,
    lang: Option<Lang>,
    /// Sorted, deduplicated feature hashes.
    features: Box<[u64]>,
    kinds: Box<[FeatureKind]>,
    labels: Option<Box<[Arc<str>]>>,
    /// Date anchors (`date:` labels hashed), for the conflict penalty.
    dates: Box<[u64]>,
    /// Year anchors (`year:` labels hashed), for the conflict penalty.
    years: Box<[u64]>,
    /// Quantity anchors (`num:`, `amt:`, `pct:`), for the conflict penalty.
    numbers: Box<[u64]>,
    /// Position in `Corpus::docs` (`u32::MAX` for a queried document that is not held).
    slot: u32,
    /// The signature when the index does not hold it (an empty document, a query). A held
    /// document's signature lives in the index only.
    signature: Option<Signature>,
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
    num_hashes: usize,
    seed: Option<u64>,
    candidate_threshold: f64,
    threshold: f64,
    cross_threshold: f64,
    containment_factor: f64,
    containment_ratio: f64,
    min_shared_rare: usize,
    max_rare_df: f64,
    keep_labels: bool,
    date_penalty: f64,
    number_penalty: f64,
    number_conflict_min: usize,
    kind_weights: [f64; 4],
    weighted_sketch: bool,
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
            keep_labels: true,
            date_penalty: 0.85,
            number_penalty: 0.7,
            number_conflict_min: 3,
            kind_weights: [2.0, 1.0, 1.0, 1.0],
            weighted_sketch: false,
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
        /// Index signatures built with the kind weights (integer-weight MinHash, each weight
        /// rounded, at least 1) instead of plain set signatures (default false: measured no
        /// better, see DESIGN.md).
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

    /// Seed of the MinHash permutations (default [`super::minhash::DEFAULT_SEED`]).
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
        if !(self.max_rare_df > 0.0 && self.max_rare_df <= 1.0) {
            return Err(Error::invalid(
                "max_rare_df",
                self.max_rare_df,
                "must be in (0, 1]",
            ));
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
    hasher: MinHasher,
    index: LshIndex<u32>,
    docs: Vec<Option<Doc>>,
    ids: AHashMap<Arc<str>, u32>,
    df: AHashMap<u64, u32>,
    /// Feature → slots holding it (only lists no longer than the rarity cap are read).
    postings: AHashMap<u64, Vec<u32>>,
    live: usize,
    config: CorpusBuilder,
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

    fn sig<'a>(&'a self, d: &'a Doc) -> Option<&'a Signature> {
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
        out.sort_by(|x, y| y.score.total_cmp(&x.score));
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
        self.index.remove(&slot);
        self.live -= 1;
        true
    }

    /// Matches of a document that is not added (the corpus is unchanged). In each match, `a`
    /// is the held document and `b` is the query, whose id is empty.
    pub fn query(&self, lang: Option<Lang>, features: &[Feature]) -> Vec<Match> {
        let doc = self.make_doc(Arc::from(""), lang, features, u32::MAX);
        let mut out = self.matches_of(&doc, None, None, |_| true);
        out.sort_by(|x, y| y.score.total_cmp(&x.score));
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

    /// Groups of documents linked by verified pairs, without chaining: two groups merge only
    /// when more than half of the document pairs between them are flagged. Singletons are
    /// left out. Groups are sorted by size, largest first.
    pub fn clusters(&self, pairs: &[Match]) -> Vec<Vec<Arc<str>>> {
        let mut edges: AHashSet<(Arc<str>, Arc<str>)> = AHashSet::new();
        for m in pairs {
            edges.insert((m.a.clone(), m.b.clone()));
            edges.insert((m.b.clone(), m.a.clone()));
        }
        let mut group_of: AHashMap<Arc<str>, usize> = AHashMap::new();
        let mut groups: Vec<Vec<Arc<str>>> = Vec::new();
        for m in pairs {
            let ga = group_of.get(&m.a).copied();
            let gb = group_of.get(&m.b).copied();
            match (ga, gb) {
                (None, None) => {
                    group_of.insert(m.a.clone(), groups.len());
                    group_of.insert(m.b.clone(), groups.len());
                    groups.push(vec![m.a.clone(), m.b.clone()]);
                }
                (Some(g), None) | (None, Some(g)) => {
                    let newcomer = if ga.is_some() { &m.b } else { &m.a };
                    let linked = groups[g]
                        .iter()
                        .filter(|x| edges.contains(&((*x).clone(), newcomer.clone())))
                        .count();
                    if linked * 2 > groups[g].len() {
                        group_of.insert(newcomer.clone(), g);
                        groups[g].push(newcomer.clone());
                    }
                }
                (Some(x), Some(y)) if x != y => {
                    let (small, big) = if groups[x].len() <= groups[y].len() {
                        (x, y)
                    } else {
                        (y, x)
                    };
                    let linked = groups[small]
                        .iter()
                        .map(|p| {
                            groups[big]
                                .iter()
                                .filter(|q| edges.contains(&(p.clone(), (*q).clone())))
                                .count()
                        })
                        .sum::<usize>();
                    if linked * 2 > groups[small].len() * groups[big].len() {
                        let moved = std::mem::take(&mut groups[small]);
                        for d in &moved {
                            group_of.insert(d.clone(), big);
                        }
                        groups[big].extend(moved);
                    }
                }
                _ => {}
            }
        }
        let mut groups: Vec<Vec<Arc<str>>> = groups.into_iter().filter(|g| g.len() > 1).collect();
        for g in &mut groups {
            g.sort();
        }
        groups.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        groups
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
                + d.features.len() * (8 + 1)
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
                .map(|p| 24 + p.len() * 4 + 8)
                .sum::<usize>();
        MemoryReport {
            documents: self.live,
            per_document_with_labels: (base + labels + shared) as f64 / n,
            per_document_without_labels: (base + shared) as f64 / n,
        }
    }

    fn make_doc(&self, id: Arc<str>, lang: Option<Lang>, features: &[Feature], slot: u32) -> Doc {
        let mut fs: Vec<&Feature> = features.iter().collect();
        fs.sort_by_key(|f| f.hash);
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

    fn weight(&self, f: u64, kind: FeatureKind) -> f64 {
        let n = self.live.max(1) as f64;
        let df = self.df.get(&f).copied().unwrap_or(0).max(1) as f64;
        (1.0 + n / df).ln() * self.config.kind_weights[kind.index()]
    }

    /// Longest posting list blocking reads: `max_rare_df` of the documents, at least 20 and
    /// at most [`MAX_RARE_POSTINGS`], so a query's blocking cost does not grow with the corpus.
    fn rare_df_cap(&self) -> u32 {
        ((self.live as f64 * self.config.max_rare_df).ceil() as u32).clamp(20, MAX_RARE_POSTINGS)
    }

    /// Candidate slots for a document: LSH buckets plus rare-anchor blocking.
    fn candidates(&self, doc: &Doc, keep: &dyn Fn(u32) -> bool) -> Vec<u32> {
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

    /// Rarity × kind weight of each feature of a document, in feature order.
    fn doc_weights(&self, d: &Doc) -> Vec<f64> {
        d.features
            .iter()
            .zip(d.kinds.iter())
            .map(|(&f, &k)| self.weight(f, k))
            .collect()
    }

    /// Weights of every held document (for a batch, where document frequencies are fixed).
    fn all_weights(&self) -> Vec<Vec<f64>> {
        self.docs
            .iter()
            .map(|d| d.as_ref().map(|d| self.doc_weights(d)).unwrap_or_default())
            .collect()
    }

    fn matches_of(
        &self,
        doc: &Doc,
        slot: Option<u32>,
        table: Option<&[Vec<f64>]>,
        keep: impl Fn(u32) -> bool,
    ) -> Vec<Match> {
        let keep = |s: u32| Some(s) != slot && keep(s);
        let mut out = Vec::new();
        if doc.features.is_empty() {
            return out;
        }
        let own;
        let wd: &[f64] = match (table, slot) {
            (Some(t), Some(s)) => &t[s as usize],
            _ => {
                own = self.doc_weights(doc);
                &own
            }
        };
        for c in self.candidates(doc, &keep) {
            let Some(other) = self.docs[c as usize].as_ref() else {
                continue;
            };
            let computed;
            let wo: &[f64] = match table {
                Some(t) => &t[c as usize],
                None => {
                    computed = self.doc_weights(other);
                    &computed
                }
            };
            if let Some(m) = self.score_with(other, wo, doc, wd, true) {
                out.push(m);
            }
        }
        out
    }

    /// Exact, rarity-weighted score of a pair (`a` is the earlier document), computing the
    /// weights.
    fn score(&self, a: &Doc, b: &Doc) -> Option<Match> {
        self.score_with(a, &self.doc_weights(a), b, &self.doc_weights(b), false)
    }

    /// Exact, rarity-weighted score of a pair with the documents' weights given. With
    /// `flagged_only`, a pair below its threshold returns `None` before its explanation is
    /// built.
    fn score_with(
        &self,
        a: &Doc,
        wts_a: &[f64],
        b: &Doc,
        wts_b: &[f64],
        flagged_only: bool,
    ) -> Option<Match> {
        if a.features.is_empty() || b.features.is_empty() {
            return None;
        }
        let (fa, fb) = (&a.features, &b.features);
        let wa: f64 = wts_a.iter().sum();
        let wb: f64 = wts_b.iter().sum();
        let mut inter = 0.0;
        for_each_shared(fa, fb, |i| inter += wts_a[i]);
        let union = wa + wb - inter;
        let jaccard = if union > 0.0 { inter / union } else { 0.0 };
        let small = wa.min(wb);
        let containment = if small > 0.0 { inter / small } else { 0.0 };
        let ratio = wa.max(wb) / small.max(f64::MIN_POSITIVE);
        let mut score = jaccard;
        if self.config.containment_factor > 0.0 && ratio >= self.config.containment_ratio {
            score = score.max(containment * self.config.containment_factor);
        }
        let disjoint = |x: &[u64], y: &[u64]| {
            !x.is_empty() && !y.is_empty() && !x.iter().any(|d| y.contains(d))
        };
        if disjoint(&a.dates, &b.dates) || disjoint(&a.years, &b.years) {
            score *= self.config.date_penalty;
        }
        // Quantities: both documents give at least `min` figures and share none of them.
        let min = self.config.number_conflict_min;
        if min > 0
            && a.numbers.len() >= min
            && b.numbers.len() >= min
            && !a.numbers.iter().any(|d| b.numbers.contains(d))
        {
            score *= self.config.number_penalty;
        }
        let cross = matches!((a.lang, b.lang), (Some(x), Some(y)) if x != y);
        let threshold = if cross {
            self.config.cross_threshold
        } else {
            self.config.threshold
        };
        if flagged_only && score < threshold {
            return None;
        }
        let estimate = match (self.sig(a), self.sig(b)) {
            (Some(x), Some(y)) => x.jaccard(y).map(|e| e.value).unwrap_or(0.0),
            _ => 0.0,
        };
        // The explanation: shared features by kind, rarest first.
        let mut shared: Vec<(usize, f64)> = Vec::new();
        let mut counts = [0usize; 4];
        for_each_shared(fa, fb, |i| {
            counts[a.kinds[i].index()] += 1;
            shared.push((i, wts_a[i]));
        });
        shared.sort_by(|x, y| y.1.total_cmp(&x.1));
        let top = match &a.labels {
            Some(l) => shared
                .iter()
                .take(12)
                .map(|&(i, _)| (a.kinds[i], l[i].clone()))
                .collect(),
            None => Vec::new(),
        };
        Some(Match {
            a: a.id.clone(),
            b: b.id.clone(),
            score,
            threshold,
            jaccard,
            containment,
            estimate,
            explanation: Explanation {
                shared_counts: counts,
                top,
            },
        })
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

    /// The exact oracle of [`Corpus::pairs`]: every pair of held documents scored, no
    /// candidate stage. O(n²): for verifying the candidate stage on small corpora.
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
