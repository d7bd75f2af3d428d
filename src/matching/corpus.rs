//! The corpus: documents held as features, with their signatures in an LSH index, their
//! document frequencies and their rare-feature postings. Candidates, verification and
//! clustering are the sibling modules.

use super::event::EventLists;
use super::verify::{sort_matches, Match};
use crate::sketch::lsh::{LshIndex, LshParams};
use crate::sketch::minhash::MinHasher;
use crate::sketch::signature::Signature;
use crate::{AnchorClass, Date, Error, Feature, FeatureKind, Lang, Result};
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
pub(super) const NO_POSTING: u32 = u32::MAX;
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
    /// The language of each [`FeatureKind::Local`] feature ([`lang_slot`] of the first
    /// document holding it; [`NO_LANG`] for the other kinds): its rarity is counted among the
    /// documents of that language.
    pub(super) langs: Vec<u8>,
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

    /// Counts a held document's features (sorted ids) in their document frequencies and
    /// posts them under its slot (`lead`: those of its headline or lead).
    pub(super) fn count(&mut self, features: &[Fid], lead: &[Fid], slot: u32) {
        self.add_frequencies(features);
        self.post(features, lead, slot);
    }

    /// Counts a held document's features in their document frequencies.
    pub(super) fn add_frequencies(&mut self, features: &[Fid]) {
        for &f in features {
            self.df[f as usize] += 1;
        }
    }

    /// Posts a held document's features (counted) under its slot; a feature whose postings
    /// overflowed is skipped before its headline/lead search.
    pub(super) fn post(&mut self, features: &[Fid], lead: &[Fid], slot: u32) {
        for &f in features {
            if self.first[f as usize] != OVERFLOW {
                self.push_posting(f, slot, lead.binary_search(&f).is_ok());
            }
        }
    }

    /// Gives the local words among a document's features that have no language yet the
    /// document's (a local word belongs to the language of its first holder).
    pub(super) fn claim_local(&mut self, features: &[Fid], lang: Option<Lang>) {
        for &f in features {
            let f = f as usize;
            if self.kinds[f] == FeatureKind::Local && self.langs[f] == NO_LANG {
                self.langs[f] = lang_slot(lang);
            }
        }
    }

    pub(super) fn push_posting(&mut self, id: Fid, slot: u32, lead: bool) {
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

    /// Moves a feature's postings from slot `old` to slot `new` (a group's new
    /// representative).
    pub(super) fn replace_posting(&mut self, id: Fid, old: u32, new: u32) {
        let i = id as usize;
        if self.first[i] == OVERFLOW {
            return;
        }
        let swap = |s: &mut u32| {
            if *s == old {
                *s = new;
            }
        };
        swap(&mut self.first[i]);
        if let Some(v) = self.more.get_mut(&id) {
            v.iter_mut().for_each(swap);
        }
        if let Some(v) = self.lead.get_mut(&id) {
            v.iter_mut().for_each(swap);
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
    /// Positions, weekdays and lead figures, for the event verifier.
    pub(super) event: EventLists,
    /// Position in `Corpus::docs` (`u32::MAX` for a queried document that is not held).
    pub(super) slot: u32,
    /// The signature when the index does not hold it (an empty document, a query). A held
    /// document's signature lives in the index only.
    pub(super) signature: Option<Signature>,
    /// For a near-exact copy, the slot of its group's representative (which holds the
    /// features; a copy holds none); [`NOT_A_COPY`] otherwise.
    pub(super) copy_of: u32,
    /// The copy-group key of a representative (0 when copies are not collapsed or the
    /// document is empty).
    pub(super) key: u64,
}

/// [`Doc::copy_of`] of a document that is not a copy.
pub(super) const NOT_A_COPY: u32 = u32::MAX;

impl Doc {
    /// A near-exact copy of the representative in slot `rep`: its id, nothing else.
    pub(super) fn copy(id: Arc<str>, lang: Option<Lang>, slot: u32, rep: u32) -> Doc {
        Doc {
            id,
            lang,
            features: Box::default(),
            unseen: [0; 4],
            lead: Box::default(),
            dates: Box::default(),
            years: Box::default(),
            numbers: Box::default(),
            event: EventLists::default(),
            slot,
            signature: None,
            copy_of: rep,
            key: 0,
        }
    }

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
    pub(super) containment_anchors: f64,
    pub(super) containment_specific: bool,
    pub(super) containment_headline: f64,
    pub(super) pair_thresholds: Vec<(Lang, Lang, f64)>,
    pub(super) dictionary_languages: Vec<Lang>,
    pub(super) dictionary_threshold: (f64, f64),
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
    pub(super) collapse_copies: bool,
    pub(super) verifier: Verifier,
    pub(super) max_days_apart: Option<u32>,
}

/// The most documents a feature may have and still count as rare for blocking.
pub const MAX_RARE_POSTINGS: u32 = 64;

/// [`Verifier::Overlap`]'s default decision threshold for same-language pairs (its score).
/// The default verifier, [`Verifier::Combined`], decides those by [`COMBINED_THRESHOLD`].
pub const DEFAULT_THRESHOLD: f64 = 0.14;
/// Default [`CorpusBuilder::containment_anchors`]: the long document must hold a third of the
/// short one's anchor weight for containment to count.
pub const DEFAULT_CONTAINMENT_ANCHORS: f64 = 1.0 / 3.0;
/// Default [`CorpusBuilder::max_days_apart`]: two documents with publication dates more
/// than three days apart are not reported (a day or two either way, and a time zone).
pub const DEFAULT_MAX_DAYS_APART: u32 = 3;
/// Default [`CorpusBuilder::containment_headline`]: half of a headline's weight must be found
/// in the other document's headline or lead for containment to count.
pub const DEFAULT_CONTAINMENT_HEADLINE: f64 = 0.5;
/// The threshold of a cross-language pair scored through a dictionary loaded at run time
/// ([`CorpusBuilder::dictionary_languages`]; [`Verifier::Overlap`]'s score) is
/// `DICTIONARY_THRESHOLD_INTERCEPT + DICTIONARY_THRESHOLD_SLOPE × coverage`, the coverage
/// being the product of the two documents' shares of concepts among their concept and local
/// features ([`CorpusBuilder::dictionary_threshold`]). Such a pair shares fewer concepts than
/// one through the built-in lexicon, and the fewer words a dictionary maps, the fewer: a
/// thin dictionary's pairs get a lower threshold. Fitted on the 15-language pool with
/// Debian's eight FreeDict dictionaries, in five folds grouped by TICO-19 document
/// (`evaluate … --freedict auto --fit-dictionary-threshold`; DESIGN.md "Runtime
/// dictionaries").
pub const DICTIONARY_THRESHOLD_INTERCEPT: f64 = 0.025;
/// The slope of the dictionary threshold in the pair's coverage (see
/// [`DICTIONARY_THRESHOLD_INTERCEPT`]).
pub const DICTIONARY_THRESHOLD_SLOPE: f64 = 0.06;
/// Default decision threshold for cross-language pairs ([`Verifier::Overlap`]'s score).
pub const DEFAULT_CROSS_THRESHOLD: f64 = 0.17;
/// [`Verifier::Event`]'s default same-language threshold (the probability of the same event),
/// chosen on the out-of-fold dev figures (DESIGN.md "Event verifier").
pub const EVENT_THRESHOLD: f64 = 0.6;
/// [`Verifier::Event`]'s default cross-language threshold.
pub const EVENT_CROSS_THRESHOLD: f64 = 0.5;
/// [`Verifier::Combined`]'s default same-language threshold (the probability of the same
/// event): the built-in model's out-of-fold operating point for precision 0.93 on the dev
/// pools' labelled candidates (p ≥ 0.695 when it was set, and again with the model refitted
/// for `ANALYSIS_VERSION` 14, 0.693 for 16; [`EventModel::operating_points`](crate::EventModel::operating_points)), rounded. Its
/// cross-language threshold is [`DEFAULT_CROSS_THRESHOLD`], on the overlap score.
pub const COMBINED_THRESHOLD: f64 = 0.7;

/// How a candidate pair is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Verifier {
    /// lintas 0.1's score: rarity-weighted Jaccard, or scaled containment when one
    /// document is much shorter, times the date and figure penalties, and times
    /// [`NAMES_ONLY_PENALTY`](crate::NAMES_ONLY_PENALTY) for two documents of one language
    /// that share nothing but names. [`Verifier::Combined`] (the default) decides
    /// cross-language pairs by it.
    Overlap,
    /// **Experimental.** The event verifier: the probability that the two documents report
    /// the same event, from a logistic model over the pair's [`Evidence`](crate::Evidence) —
    /// overlap, where it sits (headline, lead), how specific it is, and conflicting years,
    /// dates, weekdays and figures ([`EventModel::builtin`](crate::EventModel::builtin)).
    /// Out of fold on the dev pools it finds more same-event pairs than `Overlap` but flags
    /// more same-story pairs across languages and misses translations `Overlap` finds
    /// (DESIGN.md "Event verifier"); [`Verifier::Combined`] (the default) uses it for pairs of
    /// one language only.
    Event,
    /// Same-language pairs by [`Verifier::Event`]'s probability, cross-language pairs by
    /// [`Verifier::Overlap`]'s score: the event model separates same-story articles of one
    /// language better than one overlap number, while the overlap score keeps translations
    /// (which it finds all of) and independent cross-language coverage as they are. The two
    /// thresholds are in their own units: [`COMBINED_THRESHOLD`] (a probability) and
    /// [`DEFAULT_CROSS_THRESHOLD`] (an overlap score).
    ///
    /// The overlap score also decides the pairs the event model knows nothing of: of a
    /// language it was not fitted on (it was fitted on English and Indonesian pairs; in
    /// Arabic, Thai or Chinese, whose words are language-local features, it misses rewritten
    /// pairs the overlap score finds), of an undetermined language, and pairs in which a
    /// document has no headline or lead feature (features given to [`Corpus::add`] without
    /// positions). Those take the same-language threshold on the overlap score's scale:
    /// the cross-language threshold × [`DEFAULT_THRESHOLD`] / [`DEFAULT_CROSS_THRESHOLD`].
    /// The model still reads a same-language pair of another language where both documents
    /// have a headline or lead: under even odds its odds scale the overlap score down
    /// ([`even_odds_discount`](crate::even_odds_discount)), so passages that share background
    /// text but neither lead nor specific names count for less (on the 15-language dev pool,
    /// same-language false flags of those languages 62 → 16 when the discount came, 9 of them
    /// copies; DESIGN.md section 10).
    ///
    /// The default. Out of fold on the dev pools (DESIGN.md "The combined verifier"):
    /// all-pairs precision 0.933 against `Overlap`'s 0.915, ECB+ English–English F1 0.834
    /// against 0.757, translations found as `Overlap` finds them (F1 1.000).
    #[default]
    Combined,
}

impl Verifier {
    /// The default `(same_language, cross_language)` thresholds of this verifier.
    pub fn default_thresholds(self) -> (f64, f64) {
        match self {
            Verifier::Event => (EVENT_THRESHOLD, EVENT_CROSS_THRESHOLD),
            Verifier::Overlap => (DEFAULT_THRESHOLD, DEFAULT_CROSS_THRESHOLD),
            Verifier::Combined => (COMBINED_THRESHOLD, DEFAULT_CROSS_THRESHOLD),
        }
    }

    /// Whether a pair is decided by the event probability (else by the overlap score):
    /// `cross`, its documents are of two languages; `fitted`, both are of one language the
    /// event model was fitted on (English, or one with a built-in lexicon into it);
    /// `positioned`, both documents have a headline or lead feature (analysed text does;
    /// features given without positions do not).
    pub(crate) fn by_event(self, cross: bool, fitted: bool, positioned: bool) -> bool {
        match self {
            Verifier::Overlap => false,
            Verifier::Event => true,
            Verifier::Combined => !cross && fitted && positioned,
        }
    }
}

impl Default for CorpusBuilder {
    fn default() -> Self {
        CorpusBuilder {
            num_hashes: 128,
            seed: None,
            candidate_threshold: 0.4,
            threshold: COMBINED_THRESHOLD,
            cross_threshold: DEFAULT_CROSS_THRESHOLD,
            containment_factor: 0.4,
            containment_ratio: 3.0,
            containment_anchors: DEFAULT_CONTAINMENT_ANCHORS,
            containment_specific: true,
            containment_headline: DEFAULT_CONTAINMENT_HEADLINE,
            pair_thresholds: Vec::new(),
            dictionary_languages: Vec::new(),
            dictionary_threshold: (DICTIONARY_THRESHOLD_INTERCEPT, DICTIONARY_THRESHOLD_SLOPE),
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
            collapse_copies: true,
            verifier: Verifier::Combined,
            max_days_apart: Some(DEFAULT_MAX_DAYS_APART),
        }
    }
}

/// The values of a [`CorpusBuilder`], read back ([`CorpusBuilder::settings`]): what a corpus
/// was built with, for storing, printing or passing to an engine. Each field is documented
/// on the builder method of the same name; `seed` is `None` for the default seed and
/// `kind_weights` is indexed by [`FeatureKind::index`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CorpusSettings {
    /// [`CorpusBuilder::num_hashes`].
    pub num_hashes: usize,
    /// [`CorpusBuilder::seed`] (`None`: the default seed).
    pub seed: Option<u64>,
    /// [`CorpusBuilder::candidate_threshold`].
    pub candidate_threshold: f64,
    /// [`CorpusBuilder::threshold`].
    pub threshold: f64,
    /// [`CorpusBuilder::cross_threshold`].
    pub cross_threshold: f64,
    /// [`CorpusBuilder::containment_factor`].
    pub containment_factor: f64,
    /// [`CorpusBuilder::containment_ratio`].
    pub containment_ratio: f64,
    /// [`CorpusBuilder::containment_anchors`].
    pub containment_anchors: f64,
    /// [`CorpusBuilder::containment_specific`].
    pub containment_specific: bool,
    /// [`CorpusBuilder::containment_headline`].
    pub containment_headline: f64,
    /// [`CorpusBuilder::pair_threshold`]s: `(a, b, threshold)` with `a <= b`, sorted.
    pub pair_thresholds: Vec<(Lang, Lang, f64)>,
    /// [`CorpusBuilder::dictionary_languages`]: sorted (in [`Lang`]'s order), without
    /// English and the languages with a built-in lexicon.
    pub dictionary_languages: Vec<Lang>,
    /// [`CorpusBuilder::dictionary_threshold`]: `(intercept, slope)`.
    pub dictionary_threshold: (f64, f64),
    /// [`CorpusBuilder::min_shared_rare`].
    pub min_shared_rare: usize,
    /// [`CorpusBuilder::max_rare_df`].
    pub max_rare_df: f64,
    /// [`CorpusBuilder::min_shared_lead`].
    pub min_shared_lead: usize,
    /// [`CorpusBuilder::max_lead_df`].
    pub max_lead_df: f64,
    /// [`CorpusBuilder::keep_labels`].
    pub keep_labels: bool,
    /// [`CorpusBuilder::date_penalty`].
    pub date_penalty: f64,
    /// [`CorpusBuilder::number_penalty`].
    pub number_penalty: f64,
    /// [`CorpusBuilder::number_conflict_min`].
    pub number_conflict_min: usize,
    /// [`CorpusBuilder::kind_weight`] of each kind, in [`FeatureKind::ALL`] order.
    pub kind_weights: [f64; 4],
    /// [`CorpusBuilder::weighted_sketch`].
    pub weighted_sketch: bool,
    /// [`CorpusBuilder::rarity_prior`].
    pub rarity_prior: f64,
    /// [`CorpusBuilder::collapse_copies`].
    pub collapse_copies: bool,
    /// [`CorpusBuilder::verifier`].
    pub verifier: Verifier,
    /// [`CorpusBuilder::max_days_apart`].
    pub max_days_apart: Option<u32>,
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
    /// The values set so far (defaults where nothing was set).
    ///
    /// ```
    /// use lintas::Corpus;
    /// let s = Corpus::builder().min_shared_rare(3).settings();
    /// assert_eq!(s.min_shared_rare, 3);
    /// assert_eq!(s.num_hashes, 128);
    /// ```
    pub fn settings(&self) -> CorpusSettings {
        let CorpusBuilder {
            num_hashes,
            seed,
            candidate_threshold,
            threshold,
            cross_threshold,
            containment_factor,
            containment_ratio,
            containment_anchors,
            containment_specific,
            containment_headline,
            pair_thresholds,
            dictionary_languages,
            dictionary_threshold,
            min_shared_rare,
            max_rare_df,
            min_shared_lead,
            max_lead_df,
            keep_labels,
            date_penalty,
            number_penalty,
            number_conflict_min,
            kind_weights,
            weighted_sketch,
            rarity_prior,
            collapse_copies,
            verifier,
            max_days_apart,
        } = self.clone();
        CorpusSettings {
            num_hashes,
            seed,
            candidate_threshold,
            threshold,
            cross_threshold,
            containment_factor,
            containment_ratio,
            containment_anchors,
            containment_specific,
            containment_headline,
            pair_thresholds,
            dictionary_languages,
            dictionary_threshold,
            min_shared_rare,
            max_rare_df,
            min_shared_lead,
            max_lead_df,
            keep_labels,
            date_penalty,
            number_penalty,
            number_conflict_min,
            kind_weights,
            weighted_sketch,
            rarity_prior,
            collapse_copies,
            verifier,
            max_days_apart,
        }
    }

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
        /// Decision threshold for same-language pairs, in the verifier's units (default
        /// [`COMBINED_THRESHOLD`] for [`Verifier::Combined`], [`DEFAULT_THRESHOLD`] for
        /// [`Verifier::Overlap`], [`EVENT_THRESHOLD`] for [`Verifier::Event`]; set it after
        /// [`CorpusBuilder::verifier`]).
        threshold: f64
    );
    setter!(
        /// Decision threshold for cross-language pairs, in the verifier's units (default
        /// [`DEFAULT_CROSS_THRESHOLD`] for [`Verifier::Combined`] and [`Verifier::Overlap`],
        /// [`EVENT_CROSS_THRESHOLD`] for [`Verifier::Event`]).
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
        /// Containment counts only when the long document holds at least this share of the
        /// short one's anchor weight — its names, entities, figures and dates, rarity-weighted
        /// (default [`DEFAULT_CONTAINMENT_ANCHORS`], a third; 0 lets containment count on
        /// shared words alone, as lintas 0.1 did). A short item (a headline and a line)
        /// matches a long article by what is specific to it, not by the story's common words:
        /// *"The parliament election is over in Turkmenistan"* is not contained in an article
        /// on another country's parliament election. A short document without anchors is not
        /// held to it. DESIGN.md "Short against long".
        containment_anchors: f64
    );
    setter!(
        /// Containment counts only when the two documents share a *specific* feature, one
        /// that few documents of the corpus hold: `ln((N + 100) / (df + 1)) ≥`
        /// [`SPECIFIC_IDF`](crate::SPECIFIC_IDF), the event verifier's definition, so at most
        /// about 5% of a large corpus and at most four documents of a small one. Default
        /// `true`; `false` scores as lintas did before (containment on shared common
        /// features alone). A short item (a headline and a line) on a story shares the
        /// story's common names and words with every long article on it, whatever the event;
        /// only what is specific to its event says it is the same one. An index written
        /// before this setting existed reads it as `false`, the scoring it was written with.
        /// DESIGN.md "Short against long".
        containment_specific: bool
    );
    setter!(
        /// Containment counts only when one document's headline is found in the other's
        /// headline or lead, at least this share of the headline's weight (the larger of the
        /// two directions, [`Evidence::headline_in_lead`](crate::Evidence::headline_in_lead),
        /// with the event verifier's rarity): a short item's headline *is* its event, and a
        /// long article on the same event gives that event in its headline or first sentences,
        /// while one on another event of the story names the short item's actors only in its
        /// background. Default [`DEFAULT_CONTAINMENT_HEADLINE`] (half); `0` scores as lintas did
        /// before. Pairs in which a document has no headline or lead feature (features given to
        /// [`Corpus::add`] without positions) are not held to it. An index written before this
        /// setting existed reads it as `0`. DESIGN.md "Short against long".
        containment_headline: f64
    );
    /// The threshold of pairs of documents in languages `a` and `b` (in either order; `a ==
    /// b` for one language's same-language pairs), instead of [`CorpusBuilder::threshold`]
    /// or [`CorpusBuilder::cross_threshold`]. Setting a pair again replaces its threshold.
    /// Not scaled by [`CorpusBuilder::overall_threshold`]. In the units of the score that
    /// decides the pair ([`Corpus::decides_by_event`]): with the default
    /// [`Verifier::Combined`], a probability for English–English and Indonesian–Indonesian,
    /// an overlap score for every other pair.
    ///
    /// ```
    /// use lintas::{Corpus, Lang};
    /// let s = Corpus::builder().pair_threshold(Lang::French, Lang::English, 0.1).settings();
    /// assert_eq!(s.pair_thresholds, [(Lang::English, Lang::French, 0.1)]);
    /// ```
    pub fn pair_threshold(mut self, a: Lang, b: Lang, threshold: f64) -> Self {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.pair_thresholds.retain(|&(x, y, _)| (x, y) != (a, b));
        self.pair_thresholds.push((a, b, threshold));
        self.pair_thresholds.sort_by_key(|&(x, y, _)| (x, y));
        self
    }

    /// Languages whose words reach English concepts only through dictionaries loaded at run
    /// time ([`Lexicon::dictionary_languages`](crate::Lexicon::dictionary_languages)): every
    /// cross-language pair between one of them and English, a language with a built-in
    /// lexicon, or another of them is decided at the [`CorpusBuilder::dictionary_threshold`]
    /// of its coverage, unless [`CorpusBuilder::pair_threshold`] sets its pair. Pairs with a
    /// language no lexicon maps keep the cross-language threshold: they share names and
    /// figures, not concepts. English and the languages with a built-in lexicon or dictionary
    /// ([`Lang::has_builtin_dictionary`]: their pairs keep the cross-language threshold) are
    /// ignored; languages given again are added to those given before.
    ///
    /// [`Detector`](crate::Detector) does this for its analyser's lexicon.
    ///
    /// ```
    /// use lintas::{Corpus, Lang};
    /// let s = Corpus::builder()
    ///     .dictionary_languages(&[Lang::German, Lang::English, Lang::French])
    ///     .dictionary_languages(&[Lang::German])
    ///     .settings();
    /// assert_eq!(s.dictionary_languages, [Lang::German]);
    /// ```
    pub fn dictionary_languages(mut self, langs: &[Lang]) -> Self {
        let v = &mut self.dictionary_languages;
        v.extend(langs.iter().copied().filter(|l| !l.builtin_mapped()));
        v.sort();
        v.dedup();
        self
    }

    /// The threshold of a pair through runtime dictionaries
    /// ([`CorpusBuilder::dictionary_languages`]): `intercept + slope × coverage`, where a
    /// document's coverage is the share of concepts among its concept and local features (the
    /// words a lexicon or dictionary mapped, among the words it kept), and a pair's is the
    /// product of its two documents'. A dictionary that maps few words leaves its documents'
    /// translations sharing few concepts, and the pair gets a lower threshold. Default
    /// [`DICTIONARY_THRESHOLD_INTERCEPT`] and [`DICTIONARY_THRESHOLD_SLOPE`]; `slope` 0 gives
    /// every such pair `intercept`. Not scaled by [`CorpusBuilder::overall_threshold`].
    ///
    /// ```
    /// use lintas::Corpus;
    /// assert!(Corpus::builder().dictionary_threshold(0.07, 0.0).build().is_ok());
    /// assert!(Corpus::builder().dictionary_threshold(0.0, 0.06).build().is_err());
    /// assert!(Corpus::builder().dictionary_threshold(0.5, 0.6).build().is_err());
    /// ```
    pub fn dictionary_threshold(mut self, intercept: f64, slope: f64) -> Self {
        self.dictionary_threshold = (intercept, slope);
        self
    }

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
        /// Collapse near-exact copies (default true): a document whose analysis gives the same
        /// language and the same features (hashes, and which of them are in the headline or
        /// lead) as a held one joins that document's group instead of being indexed. The
        /// group counts once in document frequencies and in the document count, its first
        /// document (the representative) alone is matched, and every pair of the group's
        /// members is flagged with the representative's score against itself (1). A feed
        /// carrying one wire story hundreds of times then costs one document's matching, not
        /// hundreds squared. Copies are exact texts or texts differing only in what analysis
        /// drops (case, punctuation, spacing, function words, repeats).
        collapse_copies: bool
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
    /// chosen with (DESIGN.md "Rarity"). `N` counts the documents (copy groups once) of the
    /// feature's language for a [`FeatureKind::Local`] word — the language of the first
    /// document holding it —, the documents holding any concept for a concept or concept
    /// pair, and every document for an anchor. Scores use the
    /// document frequencies as they stand when a batch is matched ([`Corpus::pairs`]: all
    /// documents; [`Corpus::insert`]: those held so far, the new one included).
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

    /// Sets both decision thresholds, keeping the verifier's default ratio: the
    /// cross-language threshold becomes `threshold × cross default / same default`.
    ///
    /// With [`Verifier::Combined`], whose two thresholds are in different units, `threshold`
    /// is on the overlap score's scale (as with [`Verifier::Overlap`]): the cross-language
    /// threshold becomes `threshold × DEFAULT_CROSS_THRESHOLD / DEFAULT_THRESHOLD`, and the
    /// same-language probability threshold moves by the same factor on the odds scale
    /// (`odds = odds(COMBINED_THRESHOLD) × threshold / DEFAULT_THRESHOLD`), so
    /// [`DEFAULT_THRESHOLD`] gives the defaults and a higher value asks more of both.
    pub fn overall_threshold(mut self, threshold: f64) -> Self {
        if self.verifier == Verifier::Combined {
            let factor = threshold / DEFAULT_THRESHOLD;
            let odds = COMBINED_THRESHOLD / (1.0 - COMBINED_THRESHOLD) * factor;
            self.threshold = if odds.is_finite() {
                odds / (1.0 + odds)
            } else {
                1.0
            };
            self.cross_threshold = DEFAULT_CROSS_THRESHOLD * factor;
            return self;
        }
        let (same, cross) = self.verifier.default_thresholds();
        self.threshold = threshold;
        self.cross_threshold = threshold * cross / same;
        self
    }

    /// The most days two documents' publication dates may lie apart for the pair to be
    /// reported (default `Some(`[`DEFAULT_MAX_DAYS_APART`]`)`; `None`: dates are held but not
    /// read). Only documents given a date ([`Corpus::set_published`],
    /// [`Document::with_published`](crate::Document::with_published)) are concerned: a pair
    /// in which either has none is decided as without this setting, so the default path needs
    /// no date. It applies to every reported pair, near-exact copies included, and to
    /// [`Corpus::pairs_exhaustive`]; a [`Corpus::query`] has no date.
    ///
    /// Two articles published a month apart are not one event, whatever names they share
    /// (issue 10's second kind of false flag: two announcements of one kind, two arrests at
    /// one club). A caller who counts an event's later developments as the same event (ECB+
    /// does: a trial with the shooting two years before it) sets a wider window or `None`.
    pub fn max_days_apart(mut self, days: Option<u32>) -> Self {
        self.max_days_apart = days;
        self
    }

    /// How candidate pairs are decided (default [`Verifier::Combined`]). This also sets both
    /// thresholds to the verifier's defaults (their units differ), so set thresholds after
    /// it.
    pub fn verifier(mut self, verifier: Verifier) -> Self {
        self.verifier = verifier;
        (self.threshold, self.cross_threshold) = verifier.default_thresholds();
        self
    }

    /// Builds the corpus.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for thresholds outside (0, 1], a negative containment
    /// factor, containment anchor share or date penalty outside [0, 1], a containment ratio
    /// below 1, or MinHash sizes
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
        for &(a, b, t) in &self.pair_thresholds {
            if !(t > 0.0 && t <= 1.0) {
                return Err(Error::invalid(
                    "pair_threshold",
                    format!("{t} ({a}-{b})"),
                    "must be in (0, 1]",
                ));
            }
        }
        let (intercept, slope) = self.dictionary_threshold;
        if !(intercept > 0.0 && slope >= 0.0 && intercept + slope <= 1.0) {
            return Err(Error::invalid(
                "dictionary_threshold",
                format!("({intercept}, {slope})"),
                "the intercept must be in (0, 1], the slope at least 0, their sum at most 1",
            ));
        }
        if !(0.0..=1.0).contains(&self.containment_headline) {
            return Err(Error::invalid(
                "containment_headline",
                self.containment_headline,
                "must be in [0, 1]",
            ));
        }
        if !(0.0..=1.0).contains(&self.containment_anchors) {
            return Err(Error::invalid(
                "containment_anchors",
                self.containment_anchors,
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
            copies: Default::default(),
            live: 0,
            distinct: 0,
            by_lang: Vec::new(),
            concept_docs: 0,
            config: self,
            model: Arc::new(super::event::EventModel::builtin()?),
            published: AHashMap::new(),
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
    pub(super) copies: super::copies::Copies,
    /// Documents held.
    pub(super) live: usize,
    /// Documents held that are not copies: the document count of rarity and caps.
    pub(super) distinct: usize,
    /// `distinct` by language ([`lang_slot`]): the document count of a local feature's rarity.
    pub(super) by_lang: Vec<usize>,
    /// `distinct` documents holding a concept: the document count of a concept's rarity.
    pub(super) concept_docs: usize,
    pub(super) config: CorpusBuilder,
    /// The event verifier's model.
    pub(super) model: Arc<super::event::EventModel>,
    /// Publication dates by slot, of the documents given one ([`Corpus::set_published`]).
    pub(super) published: AHashMap<u32, Date>,
}

impl Default for Corpus {
    fn default() -> Self {
        Corpus::new()
    }
}

/// A document made ready to add (see `Corpus::prepare`).
struct Prepared<'a> {
    fs: Vec<&'a Feature>,
    key: u64,
    sig: Signature,
}

/// A document that is not a copy, from its features paired with their ids and sorted by id:
/// its id lists (see [`Doc`]), no signature of its own, no unseen features. Features the
/// corpus has not seen ([`UNSEEN`]) are left out of `features` and `lead` (they can be shared
/// with nothing) but kept in the anchor lists (they still make a conflict).
pub(super) fn doc_of(
    id: Arc<str>,
    lang: Option<Lang>,
    slot: u32,
    key: u64,
    ids: &[(Fid, &Feature)],
) -> Doc {
    let of_class = |keep: &dyn Fn(AnchorClass) -> bool| -> Box<[Fid]> {
        ids.iter()
            .filter(|(_, f)| f.anchor_class().is_some_and(keep))
            .map(|&(id, _)| id)
            .collect()
    };
    let seen = |keep: &dyn Fn(&Feature) -> bool| -> Box<[Fid]> {
        ids.iter()
            .filter(|&&(id, f)| id != UNSEEN && keep(f))
            .map(|&(id, _)| id)
            .collect()
    };
    Doc {
        id,
        lang,
        slot,
        signature: None,
        copy_of: NOT_A_COPY,
        key,
        unseen: [0; 4],
        features: seen(&|_| true),
        lead: seen(&is_lead),
        dates: of_class(&|c| c == AnchorClass::Date),
        years: of_class(&|c| c == AnchorClass::Year),
        numbers: of_class(&AnchorClass::is_figure),
        event: EventLists::of(ids),
    }
}

/// A document's features, sorted by hash and deduplicated (a hash given twice keeps its
/// earliest position).
pub(super) fn sorted_features(features: &[Feature]) -> Vec<&Feature> {
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

    /// Whether the corpus holds a document of this id (not one removed).
    ///
    /// ```
    /// let mut d = lintas::Detector::new();
    /// d.add("a", "Gempa bermagnitudo 5,6 mengguncang Cianjur, Jawa Barat.").unwrap();
    /// assert!(d.corpus().contains("a") && !d.corpus().contains("b"));
    /// ```
    pub fn contains(&self, id: &str) -> bool {
        self.doc_by_id(id).is_some()
    }

    /// The held document of an id (itself, not its copy group's representative: see
    /// [`Corpus::held`]); `None` for an id never added or removed.
    pub(super) fn doc_by_id(&self, id: &str) -> Option<&Doc> {
        self.docs[*self.ids.get(id)? as usize].as_ref()
    }

    /// The slot the next added document gets ([`Corpus::add`] returns it): slots count every
    /// document ever added, removed ones included, so `pairs_from(next_slot())` taken before a
    /// batch is added gives the pairs involving the batch.
    pub fn next_slot(&self) -> u32 {
        self.docs.len() as u32
    }

    /// The MinHash signature of a held document (`None` for an unknown id).
    pub fn signature(&self, id: &str) -> Option<&Signature> {
        self.sig(self.held(self.doc_by_id(id)?))
    }

    /// The document holding a document's features: itself, or its group's representative.
    pub(super) fn held<'a>(&'a self, d: &'a Doc) -> &'a Doc {
        if d.copy_of == NOT_A_COPY {
            d
        } else {
            self.docs[d.copy_of as usize]
                .as_ref()
                .expect("a copy's representative is held")
        }
    }

    pub(super) fn sig<'a>(&'a self, d: &'a Doc) -> Option<&'a Signature> {
        d.signature.as_ref().or_else(|| self.index.get(&d.slot))
    }

    /// The LSH parameters in use.
    pub fn lsh_params(&self) -> LshParams {
        self.index.params()
    }

    /// The settings the corpus was built with.
    pub fn settings(&self) -> CorpusSettings {
        self.config.settings()
    }

    /// How candidate pairs are decided.
    pub fn verifier(&self) -> Verifier {
        self.config.verifier
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
        self.insert_dated(id, lang, features, None)
    }

    /// [`Corpus::insert`] with the document's publication date ([`Corpus::set_published`]),
    /// set before it is matched: its matches leave out documents published further apart
    /// than [`CorpusBuilder::max_days_apart`].
    ///
    /// # Errors
    /// As [`Corpus::insert`].
    pub fn insert_dated(
        &mut self,
        id: impl Into<Arc<str>>,
        lang: Option<Lang>,
        features: &[Feature],
        published: Option<Date>,
    ) -> Result<Vec<Match>> {
        let id: Arc<str> = id.into();
        let slot = self.add(id.clone(), lang, features)?;
        if published.is_some() {
            self.set_published(&id, published)?;
        }
        let mut out = Vec::new();
        // Scored with the document frequencies as they stand (no batch table).
        let touched = self.touched_since(slot);
        let _ = self.stream(slot, &touched, None, true, |m| {
            out.push(m);
            Ok::<(), std::convert::Infallible>(())
        });
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
        self.check_room(1, features.len())?;
        let prepared = self.prepare(lang, features);
        Ok(self.commit(id, lang, prepared))
    }

    /// Adds documents without matching them, as [`Corpus::add`] one after the other would,
    /// with the per-document work (sorting, sketching, the copy key) done on every core with
    /// the `parallel` feature. Returns their slots. Nothing is added when an id is held
    /// already or given twice.
    ///
    /// ```
    /// use lintas::{Corpus, Feature, FeatureKind};
    /// let doc = |w: &[&str]| -> Vec<Feature> {
    ///     w.iter().map(|l| Feature::new(FeatureKind::Concept, l)).collect()
    /// };
    /// let (a, b) = (doc(&["flood", "river", "rain"]), doc(&["flood", "river", "evacu"]));
    /// let mut corpus = Corpus::new();
    /// let slots = corpus.add_many([("a".into(), None, &a[..]), ("b".into(), None, &b[..])]).unwrap();
    /// assert_eq!(slots, vec![0, 1]);
    /// assert!(corpus.add_many([("a".into(), None, &a[..])]).is_err());
    /// assert_eq!(corpus.len(), 2);
    /// ```
    ///
    /// # Errors
    /// [`Error::DuplicateId`] when an id is held already or repeated in `docs`;
    /// [`Error::InvalidParameter`] past 2³² − 2 documents or distinct features.
    pub fn add_many<'a>(
        &mut self,
        docs: impl IntoIterator<Item = (Arc<str>, Option<Lang>, &'a [Feature])>,
    ) -> Result<Vec<u32>> {
        let docs: Vec<(Arc<str>, Option<Lang>, &[Feature])> = docs.into_iter().collect();
        let mut seen = ahash::AHashSet::with_capacity(docs.len());
        for (id, _, _) in &docs {
            if self.ids.contains_key(id) || !seen.insert(id) {
                return Err(Error::DuplicateId(id.to_string()));
            }
        }
        self.check_room(docs.len(), docs.iter().map(|d| d.2.len()).sum())?;
        let prepared = super::par_map(&docs, |(_, lang, f)| self.prepare(*lang, f));
        Ok(docs
            .iter()
            .zip(prepared)
            .map(|((id, lang, _), p)| self.commit(id.clone(), *lang, p))
            .collect())
    }

    /// Fails when `docs` more documents with `features` more features could overflow the
    /// 32-bit slots or feature ids.
    pub(super) fn check_room(&self, docs: usize, features: usize) -> Result<()> {
        if self.docs.len() + docs >= OVERFLOW as usize {
            return Err(Error::invalid(
                "documents",
                self.docs.len(),
                "a corpus holds at most 2^32 - 2",
            ));
        }
        if self.table.hashes.len() + features >= OVERFLOW as usize {
            return Err(Error::invalid(
                "features",
                self.table.hashes.len(),
                "a corpus holds at most 2^32 - 2 distinct features",
            ));
        }
        Ok(())
    }

    /// The per-document part of adding, which reads nothing the corpus changes: the features
    /// sorted and deduplicated, the copy key, the signature.
    fn prepare<'a>(&self, lang: Option<Lang>, features: &'a [Feature]) -> Prepared<'a> {
        let fs = sorted_features(features);
        let key = if self.config.collapse_copies && !fs.is_empty() {
            super::copies::copy_key(lang, &fs, is_lead)
        } else {
            0
        };
        let sig = self.sketch(&fs);
        Prepared { fs, key, sig }
    }

    /// Adds a prepared document (its id new, room checked): joins its copy group, or is
    /// indexed and interned.
    fn commit(&mut self, id: Arc<str>, lang: Option<Lang>, p: Prepared<'_>) -> u32 {
        let slot = self.docs.len() as u32;
        let Prepared { fs, key, sig } = p;
        if key != 0 {
            if let Some(&rep) = self.copies.by_key.get(&key) {
                self.hold_copy(id, lang, rep);
                return slot;
            }
        }
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
                    t.langs.push(NO_LANG);
                    if keep_labels {
                        t.labels.push(f.label.clone());
                    }
                }
                if f.kind == FeatureKind::Local && t.langs[id as usize] == NO_LANG {
                    t.langs[id as usize] = lang_slot(lang);
                }
                (id, *f)
            })
            .collect();
        ids.sort_unstable_by_key(|&(id, _)| id);
        self.hold(doc_of(id, lang, slot, key, &ids), sig);
        slot
    }

    /// Holds a near-exact copy of the representative in slot `rep` (its id only).
    pub(super) fn hold_copy(&mut self, id: Arc<str>, lang: Option<Lang>, rep: u32) {
        let slot = self.docs.len() as u32;
        self.copies.members.entry(rep).or_default().push(slot);
        self.docs.push(Some(Doc::copy(id.clone(), lang, slot, rep)));
        self.ids.insert(id, slot);
        self.live += 1;
    }

    /// Holds a document whose features are in the table (its slot the next one): indexes
    /// its signature, counts its features and posts them, and registers its copy key.
    pub(super) fn hold(&mut self, mut doc: Doc, sig: Signature) {
        let slot = doc.slot;
        debug_assert_eq!(slot as usize, self.docs.len());
        if sig.is_empty() {
            doc.signature = Some(sig);
        } else {
            // The index's own hasher made the signature and the slot is new: it cannot fail.
            self.index
                .insert(slot, sig)
                .expect("a new slot with the corpus's own signature");
        }
        self.table.count(&doc.features, &doc.lead, slot);
        self.hold_counted(doc);
    }

    /// [`Corpus::hold`] for a document whose signature the index already holds (or that
    /// carries its empty one) and whose features are counted and posted
    /// ([`FeatureTable::count`]).
    pub(super) fn hold_counted(&mut self, doc: Doc) {
        let slot = doc.slot;
        debug_assert_eq!(slot as usize, self.docs.len());
        if doc.key != 0 {
            self.copies.by_key.insert(doc.key, slot);
        }
        self.ids.insert(doc.id.clone(), slot);
        self.docs.push(Some(doc));
        self.live += 1;
        self.distinct += 1;
        if self.docs[slot as usize]
            .as_ref()
            .is_some_and(|d| self.holds_concepts(d))
        {
            self.concept_docs += 1;
        }
        let l = lang_slot(self.docs[slot as usize].as_ref().and_then(|d| d.lang)) as usize;
        if self.by_lang.len() <= l {
            self.by_lang.resize(l + 1, 0);
        }
        self.by_lang[l] += 1;
    }

    /// The signature of a document's (sorted, deduplicated) features.
    fn sketch(&self, fs: &[&Feature]) -> Signature {
        let hs: Vec<(u64, FeatureKind)> = fs.iter().map(|f| (f.hash, f.kind)).collect();
        self.sketch_hashes(&hs)
    }

    /// The signature of a document's features given as distinct rows of the table.
    pub(super) fn sketch_rows(&self, rows: &[Fid]) -> Signature {
        let t = &self.table;
        if self.config.weighted_sketch {
            let mut hs: Vec<(u64, FeatureKind)> = rows
                .iter()
                .map(|&x| (t.hashes[x as usize], t.kinds[x as usize]))
                .collect();
            hs.sort_unstable_by_key(|&(h, _)| h);
            self.sketch_hashes(&hs)
        } else {
            // Rows are distinct features: their hashes are distinct, in any order.
            let hs: Vec<u64> = rows.iter().map(|&x| t.hashes[x as usize]).collect();
            self.hasher.sketch_distinct(&hs)
        }
    }

    /// The signature of a document's features given as `(hash, kind)`, sorted by hash.
    pub(super) fn sketch_hashes(&self, fs: &[(u64, FeatureKind)]) -> Signature {
        if self.config.weighted_sketch {
            let w: Vec<(u64, u32)> = fs
                .iter()
                .map(|&(h, k)| {
                    (
                        h,
                        self.config.kind_weights[k.index()].round().max(1.0) as u32,
                    )
                })
                .collect();
            self.hasher.sketch_weighted(&w)
        } else {
            let hashes: Vec<u64> = fs.iter().map(|&(h, _)| h).collect();
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
        self.published.remove(&slot);
        self.live -= 1;
        if doc.copy_of != NOT_A_COPY {
            self.copies.leave(doc.copy_of, slot);
            return true;
        }
        if let Some(heir) = self.copies.heir(slot) {
            self.promote(doc, heir);
            return true;
        }
        if doc.key != 0 {
            self.copies.by_key.remove(&doc.key);
        }
        self.distinct -= 1;
        if self.holds_concepts(&doc) {
            self.concept_docs -= 1;
        }
        self.by_lang[lang_slot(doc.lang) as usize] -= 1;
        let mut rebuild = Vec::new();
        for &f in doc.features.iter() {
            self.table.df[f as usize] -= 1;
            if self.table.remove_posting(f, slot) {
                rebuild.push(f);
            }
        }
        self.index.remove(&slot);
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
        let mut out = Vec::new();
        for (rep, m) in self.matches_of(&doc, None, None, |_| true) {
            for member in self.copies.group(rep) {
                let id = self.docs[member as usize]
                    .as_ref()
                    .expect("live")
                    .id
                    .clone();
                out.push(Match { a: id, ..m.clone() });
            }
        }
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
        Doc {
            signature: Some(self.sketch(&fs)),
            unseen,
            ..doc_of(Arc::from(""), lang, u32::MAX, 0, &ids)
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
        let touched = self.touched_since(first_slot);
        let table = self.batch_weights_since(first_slot, &touched);
        self.stream(first_slot, &touched, Some(&table), true, &mut sink)
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
                    + d.event.positions.len()
                    + d.event.lead_figures.len() * size_of::<(Fid, u32)>()
                    + d.signature.as_ref().map_or(0, |s| s.values().len() * 4)
                    + d.id.len()
                    + 16;
        }
        base += self.ids.capacity() * (size_of::<(Arc<str>, u32)>() + 1)
            + self.published.capacity() * (size_of::<(u32, Date)>() + 1);
        let t = &self.table;
        let vecs = |m: &AHashMap<Fid, Vec<u32>>| -> usize {
            m.capacity() * (size_of::<(Fid, Vec<u32>)>() + 1)
                + m.values().map(|v| v.capacity() * 4 + 16).sum::<usize>()
        };
        let shared = self.index.memory_bytes()
            + t.ids.capacity() * (size_of::<(u64, Fid)>() + 1)
            + t.hashes.capacity() * 8
            + t.kinds.capacity()
            + t.langs.capacity()
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
                let (a, b) = (self.held(docs[i]), self.held(docs[j]));
                if self.published_apart(docs[i].slot, docs[j].slot) {
                    continue;
                }
                if let Some(m) = self.score_with(a, b, Some(&table), true) {
                    let (a, b) = (docs[i].id.clone(), docs[j].id.clone());
                    out.push(Match { a, b, ..m });
                }
            }
        }
        sort_matches(&mut out);
        out
    }

    /// Sets (or, with `None`, clears) the publication date of a held document. A pair of two
    /// documents with dates more than [`CorpusBuilder::max_days_apart`] days apart is not
    /// reported by [`Corpus::pairs`], [`Corpus::pairs_from`], [`Corpus::try_for_each_pair`]
    /// and the representative pairs; set the date before asking for the pairs
    /// ([`Corpus::insert`] matches at once: a dated document matched on arrival goes in with
    /// [`Corpus::insert_dated`]). A date is held per document, a near-exact copy too, and
    /// dropped with it. An [`Index`](crate::Index) stores the dates with its documents.
    ///
    /// ```
    /// use lintas::{Corpus, Date, Feature, FeatureKind};
    /// let doc = |w: &[&str]| -> Vec<Feature> {
    ///     w.iter().map(|l| Feature::new(FeatureKind::Concept, l)).collect()
    /// };
    /// let mut corpus = Corpus::new();
    /// let first = corpus.add("a", None, &doc(&["flood", "river", "evacu", "rain", "semarang"]))?;
    /// corpus.add("b", None, &doc(&["flood", "river", "evacu", "rain", "demak"]))?;
    /// assert_eq!(corpus.pairs_from(first).len(), 1);
    /// corpus.set_published("a", Some(Date::parse("2026-01-05")?))?;
    /// corpus.set_published("b", Some(Date::parse("2026-02-20")?))?;
    /// assert_eq!(corpus.days_apart("a", "b"), Some(46));
    /// assert!(corpus.pairs_from(first).is_empty());
    /// # Ok::<(), lintas::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`id`) when no document of that id is held.
    pub fn set_published(&mut self, id: &str, date: Option<Date>) -> Result<()> {
        let Some(&slot) = self.ids.get(id) else {
            return Err(Error::InvalidParameter {
                name: "id",
                value: format!("{id:?}"),
                reason: "no document of this id is held",
            });
        };
        match date {
            Some(d) => self.published.insert(slot, d),
            None => self.published.remove(&slot),
        };
        Ok(())
    }

    /// The publication date of a held document, if it was given one.
    pub fn published(&self, id: &str) -> Option<Date> {
        self.ids
            .get(id)
            .and_then(|slot| self.published.get(slot))
            .copied()
    }

    /// How many days apart two held documents were published; `None` unless both have a
    /// date. The pair is not reported when this exceeds [`CorpusBuilder::max_days_apart`].
    pub fn days_apart(&self, a: &str, b: &str) -> Option<u32> {
        Some(self.published(a)?.days_between(self.published(b)?))
    }

    /// Whether the documents in slots `x` and `y` both have a publication date and lie
    /// further apart than [`CorpusBuilder::max_days_apart`]: the pair is not reported.
    pub(super) fn published_apart(&self, x: u32, y: u32) -> bool {
        match self.config.max_days_apart {
            Some(max) if !self.published.is_empty() => {
                match (self.published.get(&x), self.published.get(&y)) {
                    (Some(a), Some(b)) => a.days_between(*b) > max,
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Scores a held pair regardless of thresholds and candidates (for inspection): a pair
    /// published too far apart ([`Corpus::days_apart`]) is scored too, though never reported.
    pub fn score_pair(&self, a: &str, b: &str) -> Option<Match> {
        let (da, db) = (self.doc_by_id(a)?, self.doc_by_id(b)?);
        let m = self.score_with(self.held(da), self.held(db), None, false)?;
        Some(Match {
            a: da.id.clone(),
            b: db.id.clone(),
            ..m
        })
    }

    /// Whether this corpus's verifier decides the held pair `a`, `b` by the event
    /// probability (else by the overlap score): always with [`Verifier::Event`], never with
    /// [`Verifier::Overlap`], and with [`Verifier::Combined`] for a pair of one language the
    /// model was fitted on whose documents both have a headline or lead. `None` when either
    /// id is not held. Says which units a [`Match::score`] of the pair is in.
    pub fn decides_by_event(&self, a: &str, b: &str) -> Option<bool> {
        let (da, db) = (self.doc_by_id(a)?, self.doc_by_id(b)?);
        Some(self.by_event_pair(self.held(da), self.held(db)))
    }

    /// The factor [`Verifier::Combined`] applied to the overlap score of a match it decides by
    /// that score ([`Match::score`]): below 1 for a pair of one language the event model was
    /// not fitted on whose probability is under even odds ([`EVEN_ODDS`](crate::EVEN_ODDS):
    /// [`even_odds_discount`](crate::even_odds_discount)`(probability)`, the model's odds
    /// over even odds), else 1 (also for a pair decided by the probability). `None` when
    /// either id is not held.
    ///
    /// ```
    /// use lintas::{even_odds_discount, Detector};
    /// let mut d = Detector::new();
    /// d.add("a", "Le gouvernement a annoncé mardi un plan pour les écoles de Lyon.").unwrap();
    /// d.add("b", "Le gouvernement a annoncé mardi un plan pour les écoles de Lyon.").unwrap();
    /// let m = d.corpus().score_pair("a", "b").unwrap();
    /// let f = d.corpus().overlap_discount(&m).unwrap();
    /// assert!(f > 0.0 && f <= 1.0);
    /// assert_eq!(d.corpus().overlap_discount(&m), Some(even_odds_discount(m.probability)));
    /// ```
    pub fn overlap_discount(&self, m: &Match) -> Option<f64> {
        let (da, db) = (self.doc_by_id(&m.a)?, self.doc_by_id(&m.b)?);
        let (a, b) = (self.held(da), self.held(db));
        let by_event = self.by_event_pair(a, b);
        Some(self.discount_of(a, b, m.cross_language, by_event, m.probability))
    }
}

/// Whether a feature counts for headline/lead blocking: an anchor or a concept in the
/// headline or the lead.
pub(super) fn is_lead(f: &Feature) -> bool {
    counts_for_lead(f.kind, f.position)
}

/// [`is_lead`] from a feature's kind and position.
pub(super) fn counts_for_lead(kind: FeatureKind, position: crate::Position) -> bool {
    matches!(kind, FeatureKind::Anchor | FeatureKind::Concept) && position.is_head_or_lead()
}

impl Corpus {
    /// Whether a held document holds a concept (a language that reaches the concept space).
    pub(super) fn holds_concepts(&self, d: &Doc) -> bool {
        d.features
            .iter()
            .any(|&f| self.table.kinds[f as usize] == FeatureKind::Concept)
    }
}

/// No language recorded for a feature row (a kind other than [`FeatureKind::Local`]).
pub(super) const NO_LANG: u8 = u8::MAX;

/// A language's index in [`Corpus::by_lang`] and [`FeatureTable::langs`]: its place in
/// [`Lang::ALL`], or one past the last for undetermined text.
pub(super) fn lang_slot(lang: Option<Lang>) -> u8 {
    const _: () = assert!(Lang::ALL.len() < NO_LANG as usize);
    lang.map_or(Lang::ALL.len() as u8, |l| l as u8)
}
