//! Verification: every candidate pair re-scored exactly from the stored features, with
//! rarity (IDF) weights, decided against its pair type's threshold and explained.

use super::corpus::{Corpus, Doc, Fid, Verifier};
use super::event::{self, Evidence, Totals, EVENT_PRIOR, SPECIFIC_IDF};
use crate::{FeatureKind, Lang};
use std::sync::Arc;

/// A flagged (or scored) pair of documents.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Match {
    /// Id of the first document (the one inserted earlier).
    pub a: Arc<str>,
    /// Id of the second document.
    pub b: Arc<str>,
    /// The decision score (compare with [`Match::threshold`]): with the default
    /// [`Verifier::Overlap`](crate::Verifier::Overlap), lintas 0.1's overlap score; with
    /// [`Verifier::Event`](crate::Verifier::Event), the probability that the two documents
    /// report the same event (then equal to [`Match::probability`]); with
    /// [`Verifier::Combined`](crate::Verifier::Combined), the probability for a pair of one
    /// language the model was fitted on (English, Indonesian; both documents with a headline
    /// or lead) and the overlap score for the others — for a pair of one other language,
    /// times [`even_odds_discount`]`(probability)`, below 1 when the probability is under
    /// even odds ([`Corpus::overlap_discount`](crate::Corpus::overlap_discount)).
    pub score: f64,
    /// The threshold that applied to this pair's type.
    pub threshold: f64,
    /// Whether the pair is cross-language: both languages known and different (the pair
    /// then used the cross-language threshold; an undetermined language counts as the same).
    pub cross_language: bool,
    /// Rarity-weighted Jaccard of the two feature sets (exact).
    pub jaccard: f64,
    /// Rarity-weighted containment of the smaller document in the larger (exact).
    pub containment: f64,
    /// MinHash estimate of the unweighted Jaccard (from the signatures).
    pub estimate: f64,
    /// The event verifier's probability that the two documents report the same event
    /// (computed with every verifier; the decision with [`Verifier::Event`](crate::Verifier::Event),
    /// and with [`Verifier::Combined`](crate::Verifier::Combined) for pairs of one language).
    pub probability: f64,
    /// The evidence the event verifier decides from (computed with either verifier).
    pub evidence: Evidence,
    /// Why they matched.
    pub explanation: Explanation,
}

/// What two documents share, by kind.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Explanation {
    /// Shared features per kind: `[anchor, concept, pair, local]` counts.
    pub shared_counts: [usize; 4],
    /// The most telling shared features (rarest first), with their kinds; empty when the
    /// corpus keeps no labels.
    pub top: Vec<(FeatureKind, Arc<str>)>,
    /// Evidence for the same event: each [`Evidence`] value's contribution to the event
    /// verifier's log-odds, where positive, largest first.
    pub evidence_for: Vec<(String, f64)>,
    /// Evidence against: the negative contributions (conflicting years, dates, weekdays,
    /// figures), largest magnitude first.
    pub evidence_against: Vec<(String, f64)>,
    /// The conflicting anchors behind `evidence_against`, when labels are kept: the years,
    /// dates and lead figures of either document that the other does not hold, sorted.
    pub conflicts: Vec<String>,
}

impl Explanation {
    /// Shared features of one kind.
    pub fn shared(&self, kind: FeatureKind) -> usize {
        self.shared_counts[kind.index()]
    }
}

/// How often a feature occurs in the prior's background documents
/// ([`CorpusBuilder::rarity_prior`](crate::CorpusBuilder::rarity_prior)).
pub const PRIOR_RATE: f64 = 0.01;

/// [`Verifier::Overlap`]: the factor on the score of two documents of one language that
/// share nothing but names (name, entity, acronym and code anchors: no word, concept, date
/// or figure).
pub const NAMES_ONLY_PENALTY: f64 = 0.5;

/// [`Verifier::Combined`](crate::Verifier::Combined): the probability under which the overlap
/// score of a pair of one language the event model was not fitted on is scaled down, by
/// [`even_odds_discount`] (both documents with a headline or lead). Even odds: the model
/// reads the pair as more likely two events than one. The model's words are English and
/// Indonesian concepts, so it decides no other language's pairs (it misses rewritten ones),
/// but where it finds the pair's overlap in background passages rather than in leads and
/// specific names, that overlap counts for less.
pub const EVEN_ODDS: f64 = 0.5;

/// The factor on the overlap score of a pair the event model reads but does not decide (see
/// [`EVEN_ODDS`]): the model's odds of one event, `p / (1 − p)`, over even odds' (1), for a
/// probability under even odds; 1 from even odds up. A pair the model reads as one event in
/// three (p 1/3, odds 1/2) keeps half its overlap; one in ten (odds 1/9), a ninth. A
/// probability that is not a number reads as 0.
///
/// ```
/// use lintas::even_odds_discount;
/// assert_eq!(even_odds_discount(0.5), 1.0);
/// assert_eq!(even_odds_discount(0.9), 1.0);
/// assert!((even_odds_discount(1.0 / 3.0) - 0.5).abs() < 1e-12);
/// assert_eq!(even_odds_discount(0.0), 0.0);
/// assert_eq!(even_odds_discount(f64::NAN), 0.0);
/// ```
pub fn even_odds_discount(probability: f64) -> f64 {
    let odds = |p: f64| p / (1.0 - p);
    if probability >= EVEN_ODDS {
        1.0
    } else {
        odds(probability.max(0.0)) / odds(EVEN_ODDS)
    }
}

/// Strongest first; ties by ids, so output order is deterministic.
pub(super) fn sort_matches(v: &mut [Match]) {
    v.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
}

/// Calls `f(i, j)` for every value `a[i] == b[j]` the two share (both sorted, deduplicated).
pub(super) fn for_each_shared<T: Ord + Copy>(a: &[T], b: &[T], mut f: impl FnMut(usize, usize)) {
    let (mut i, mut j) = (0, 0);
    // Both cursors advance without a branch (mispredicted half the time in a plain merge);
    // only a match branches.
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x == y {
            f(i, j);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
}

/// Whether two documents share a specific feature (see [`SPECIFIC_IDF`]).
fn shares_specific(a: &Doc, b: &Doc, specific: &dyn Fn(Fid) -> bool) -> bool {
    let mut found = false;
    for_each_shared(&a.features, &b.features, |i, _| {
        found = found || specific(a.features[i]);
    });
    found
}

/// Weights fixed for a batch: every feature's rarity × kind weight, and every held
/// document's total, from the document frequencies as they stand when the batch is matched.
pub(super) struct BatchWeights {
    /// Event rarity × kind weight of every feature.
    event: Vec<f64>,
    /// Whether each feature is specific.
    specific: Vec<bool>,
    /// Every held document's event totals.
    totals: Vec<Totals>,
    /// [`Verifier::Overlap`] and [`Verifier::Combined`] only: the overlap score's rarity × kind
    /// weight of every feature, and every held document's total (empty otherwise).
    overlap: Vec<f64>,
    overlap_totals: Vec<f64>,
}

/// `values[k]` placed at `at[k]` in a table of `len` entries, the others zero (`values` itself
/// when `at` is every index).
fn spread<T: Copy + Default>(len: usize, at: &[u32], values: Vec<T>) -> Vec<T> {
    if at.len() == len {
        return values;
    }
    let mut out = vec![T::default(); len];
    for (&i, v) in at.iter().zip(values) {
        out[i as usize] = v;
    }
    out
}

impl Corpus {
    /// Rarity (IDF) of a feature in `df` documents with a prior of `n0` background documents
    /// (see [`CorpusBuilder::rarity_prior`](crate::CorpusBuilder::rarity_prior)).
    /// Rarity among `n` documents.
    fn idf_in(&self, n: usize, df: u32, n0: f64) -> f64 {
        let n = n.max(1) as f64;
        if n0 > 0.0 {
            ((n + n0) / (df as f64 + n0 * PRIOR_RATE)).ln()
        } else {
            (1.0 + n / df.max(1) as f64).ln()
        }
    }

    /// Event rarity ([`EVENT_PRIOR`]) × kind weight of a held feature, from the document
    /// frequencies as they stand.
    fn event_weight(&self, f: Fid) -> f64 {
        let kind = self.table.kinds[f as usize];
        self.feature_idf(f, EVENT_PRIOR) * self.config.kind_weights[kind.index()]
    }

    /// The documents a feature's rarity is counted among, those that could hold it: a local
    /// word's language's documents; for a concept or a pair of concepts, the documents
    /// holding any concept (the languages a lexicon or dictionary maps into the concept
    /// space); every document for an anchor.
    fn population(&self, f: Fid) -> usize {
        match self.table.langs.get(f as usize) {
            Some(&l) if l != super::corpus::NO_LANG => self.in_language(l),
            _ if matches!(
                self.table.kinds[f as usize],
                FeatureKind::Concept | FeatureKind::Pair
            ) =>
            {
                self.concept_docs
            }
            _ => self.distinct,
        }
    }

    /// The documents of one language ([`lang_slot`](super::corpus::lang_slot)); every
    /// document when the counts by language are not known (frequencies made from rows
    /// without them).
    fn in_language(&self, l: u8) -> usize {
        if self.by_lang.is_empty() {
            self.distinct
        } else {
            self.by_lang.get(l as usize).copied().unwrap_or(0)
        }
    }

    /// A held feature's rarity with a prior of `n0`.
    fn feature_idf(&self, f: Fid, n0: f64) -> f64 {
        self.idf_in(self.population(f), self.table.df[f as usize], n0)
    }

    /// The overlap score's rarity (the corpus's `rarity_prior`) × kind weight.
    fn overlap_weight(&self, f: Fid) -> f64 {
        let kind = self.table.kinds[f as usize];
        self.feature_idf(f, self.config.rarity_prior) * self.config.kind_weights[kind.index()]
    }

    /// The weight of a queried document's unseen features, with a prior of `n0`.
    fn unseen_weight(&self, d: &Doc, n0: f64) -> f64 {
        FeatureKind::ALL
            .iter()
            .map(|&k| self.unseen_weight_of(d, k, n0))
            .sum()
    }

    /// The weight of a queried document's unseen features of one kind.
    fn unseen_weight_of(&self, d: &Doc, k: FeatureKind, n0: f64) -> f64 {
        let n = match k {
            FeatureKind::Local => self.in_language(super::corpus::lang_slot(d.lang)),
            FeatureKind::Concept | FeatureKind::Pair => self.concept_docs,
            FeatureKind::Anchor => self.distinct,
        };
        d.unseen[k.index()] as f64 * self.idf_in(n, 0, n0) * self.config.kind_weights[k.index()]
    }

    /// Whether a held feature is specific (see [`SPECIFIC_IDF`]).
    fn is_specific(&self, f: Fid) -> bool {
        self.feature_idf(f, EVENT_PRIOR) >= SPECIFIC_IDF
    }

    /// A document's event totals: its held features and, for a query, its unseen ones.
    fn total(&self, d: &Doc, w: &dyn Fn(Fid) -> f64, specific: &dyn Fn(Fid) -> bool) -> Totals {
        event::totals(d, w, specific, self.unseen_weight(d, EVENT_PRIOR))
    }

    /// A document's overlap total.
    fn overlap_total(&self, d: &Doc, w: &dyn Fn(Fid) -> f64) -> f64 {
        let held: f64 = d.features.iter().map(|&f| w(f)).sum();
        held + self.unseen_weight(d, self.config.rarity_prior)
    }

    /// The weights of a batch (see [`BatchWeights`]): of every feature and every held
    /// document.
    pub(super) fn batch_weights(&self) -> BatchWeights {
        let ids: Vec<Fid> = (0..self.table.hashes.len() as Fid).collect();
        let slots: Vec<u32> = (0..self.docs.len() as u32).collect();
        self.weights_of(&ids, &slots)
    }

    /// The weights of a batch that matches the groups `touched` since `first_slot`
    /// ([`Corpus::touched_since`]): [`Corpus::batch_weights`] when they
    /// are many; when they are few against the corpus (an index adding a batch), the same
    /// values for the features and totals of the documents they can meet (the touched
    /// representatives and all their candidates) and zeros elsewhere, which nothing reads.
    /// Work proportional to the batch, not to the corpus; the same pairs and scores.
    pub(super) fn batch_weights_since(&self, first_slot: u32, touched: &[u32]) -> BatchWeights {
        /// A batch of at most 1/`SPARSE` of the held documents gets sparse weights.
        const SPARSE: usize = 8;
        if first_slot == 0 || touched.len().saturating_mul(SPARSE) > self.live {
            return self.batch_weights();
        }
        // The documents a touched representative can be scored against: every candidate
        // (the stream's candidates are these, filtered), and itself (its copies' own pair).
        let found = super::par_map(touched, |&rep| match self.docs[rep as usize].as_ref() {
            Some(d) if !d.is_empty() => self.candidates(d, &|_| true),
            _ => Vec::new(),
        });
        let mut involved = vec![false; self.docs.len()];
        for &s in touched.iter().chain(found.iter().flatten()) {
            involved[s as usize] = true;
        }
        let slots: Vec<u32> = (0..self.docs.len() as u32)
            .filter(|&s| involved[s as usize])
            .collect();
        let mut needed = vec![false; self.table.hashes.len()];
        for d in slots.iter().filter_map(|&s| self.docs[s as usize].as_ref()) {
            for &f in d.features.iter() {
                needed[f as usize] = true;
            }
        }
        let ids: Vec<Fid> = (0..needed.len() as Fid)
            .filter(|&f| needed[f as usize])
            .collect();
        self.weights_of(&ids, &slots)
    }

    /// The weights of the features `ids` and the totals of the documents at `slots` (both
    /// increasing), in tables over every feature and every slot whose other entries are zero
    /// (computed in place when `ids` and `slots` are all of them).
    fn weights_of(&self, ids: &[Fid], slots: &[u32]) -> BatchWeights {
        let n = self.table.hashes.len();
        let event = spread(n, ids, super::par_map(ids, |&f| self.event_weight(f)));
        let specific = spread(n, ids, super::par_map(ids, |&f| self.is_specific(f)));
        let w = |f: Fid| event[f as usize];
        let sp = |f: Fid| specific[f as usize];
        let docs = self.docs.len();
        let totals = super::par_map(slots, |&s| {
            self.docs[s as usize]
                .as_ref()
                .map_or(Totals::default(), |d| self.total(d, &w, &sp))
        });
        let totals = spread(docs, slots, totals);
        let (overlap, overlap_totals) = if self.config.verifier != Verifier::Event {
            let o = spread(n, ids, super::par_map(ids, |&f| self.overlap_weight(f)));
            let w = |f: Fid| o[f as usize];
            let t = super::par_map(slots, |&s| {
                self.docs[s as usize]
                    .as_ref()
                    .map_or(0.0, |d| self.overlap_total(d, &w))
            });
            (o, spread(docs, slots, t))
        } else {
            (Vec::new(), Vec::new())
        };
        BatchWeights {
            event,
            specific,
            totals,
            overlap,
            overlap_totals,
        }
    }

    pub(super) fn matches_of(
        &self,
        doc: &Doc,
        slot: Option<u32>,
        table: Option<&BatchWeights>,
        keep: impl Fn(u32) -> bool,
    ) -> Vec<(u32, Match)> {
        let keep = |s: u32| Some(s) != slot && keep(s);
        let mut out = Vec::new();
        if doc.is_empty() {
            return out;
        }
        for c in self.candidates(doc, &keep) {
            let Some(other) = self.docs[c as usize].as_ref() else {
                continue;
            };
            if let Some(m) = self.score_with(other, doc, table, true) {
                out.push((c, m));
            }
        }
        out
    }

    /// Exact, rarity-weighted score of a pair (`a` is the earlier, held document), with the
    /// batch's weights when given, else the current ones. With `flagged_only`, a pair below
    /// its threshold returns `None` before its explanation is built.
    pub(super) fn score_with(
        &self,
        a: &Doc,
        b: &Doc,
        table: Option<&BatchWeights>,
        flagged_only: bool,
    ) -> Option<Match> {
        if a.is_empty() || b.is_empty() {
            return None;
        }
        // A batch reads its table (a predictable branch, no indirect call per feature).
        let fixed = table.map(|t| (&t.event[..], &t.specific[..]));
        let w = |f: Fid| match fixed {
            Some((v, _)) => v[f as usize],
            None => self.event_weight(f),
        };
        let specific = |f: Fid| match fixed {
            Some((_, s)) => s[f as usize],
            None => self.is_specific(f),
        };
        let total = |d: &Doc| match table {
            Some(t) if d.slot != u32::MAX => t.totals[d.slot as usize],
            _ => self.total(d, &w, &specific),
        };
        let (fa, fb) = (&a.features, &b.features);
        let cross = matches!((a.lang, b.lang), (Some(x), Some(y)) if x != y);
        let by_event = self.by_event_pair(a, b);
        let threshold = self.threshold_of(a, b, cross, by_event);
        // The overlap score is decided before the evidence is computed: most candidates are
        // not flagged, and they cost one merge, not two. The evidence is computed once, when
        // first asked for: by the overlap score's containment check (its headline in the
        // other's lead, for the rare pair that passes every other condition), or here.
        let evidence = std::cell::OnceCell::new();
        let evidence_of = || {
            *evidence.get_or_init(|| {
                event::evidence(a, b, w, specific, &self.table.kinds, (total(a), total(b)))
            })
        };
        let overlap = if by_event {
            None
        } else {
            let head_in_lead = || {
                if !(event::positioned(a) && event::positioned(b)) {
                    return 1.0;
                }
                evidence_of().headline_in_lead
            };
            let o = self.overlap_score(a, b, table, &specific, &head_in_lead);
            if flagged_only && o.0 < threshold {
                return None;
            }
            Some(o)
        };
        let evidence = evidence_of();
        let probability = self.model.probability(&evidence);
        let (mut score, jaccard, containment) =
            overlap.unwrap_or((probability, evidence.jaccard, evidence.containment));
        score *= self.discount_of(a, b, cross, by_event, probability);
        if flagged_only && score < threshold {
            return None;
        }
        let estimate = match (self.sig(a), self.sig(b)) {
            (Some(x), Some(y)) => x.jaccard(y).map(|e| e.value).unwrap_or(0.0),
            _ => 0.0,
        };
        // The explanation: shared features by kind, rarest first (ties by hash), by the
        // deciding verifier's weights.
        let overlap = table.map(|t| &t.overlap[..]).filter(|o| !o.is_empty());
        let rank = |f: Fid| match (by_event, overlap) {
            (true, _) => w(f),
            (_, Some(o)) => o[f as usize],
            _ => self.overlap_weight(f),
        };
        let t = &self.table;
        let mut shared: Vec<(Fid, f64)> = Vec::new();
        let mut counts = [0usize; 4];
        for_each_shared(fa, fb, |i, _| {
            counts[t.kinds[fa[i] as usize].index()] += 1;
            shared.push((fa[i], rank(fa[i])));
        });
        let top = if t.labels.is_empty() {
            Vec::new()
        } else {
            shared.sort_by(|x, y| {
                y.1.total_cmp(&x.1)
                    .then_with(|| t.hashes[x.0 as usize].cmp(&t.hashes[y.0 as usize]))
            });
            shared
                .iter()
                .take(12)
                .map(|&(f, _)| (t.kinds[f as usize], t.labels[f as usize].clone()))
                .collect()
        };
        Some(Match {
            a: a.id.clone(),
            b: b.id.clone(),
            score,
            threshold,
            cross_language: cross,
            jaccard,
            containment,
            estimate,
            probability,
            evidence,
            explanation: self.explain(a, b, &evidence, counts, top),
        })
    }

    /// lintas 0.1's score ([`Verifier::Overlap`]): weighted Jaccard, or scaled containment
    /// when one document is much shorter, times the date and figure penalties; with the
    /// Jaccard and containment it comes from.
    fn overlap_score(
        &self,
        a: &Doc,
        b: &Doc,
        table: Option<&BatchWeights>,
        specific: &dyn Fn(Fid) -> bool,
        head_in_lead: &dyn Fn() -> f64,
    ) -> (f64, f64, f64) {
        let fixed = table.map(|t| &t.overlap[..]);
        let w = |f: Fid| match fixed {
            Some(v) => v[f as usize],
            None => self.overlap_weight(f),
        };
        let total = |d: &Doc| match table {
            Some(t) if d.slot != u32::MAX => t.overlap_totals[d.slot as usize],
            _ => self.overlap_total(d, &w),
        };
        let (fa, fb) = (&a.features, &b.features);
        let (wa, wb) = (total(a), total(b));
        let mut inter = 0.0;
        let kinds = &self.table.kinds;
        // Whether some shared feature is not a name: a word, a concept, a date or a figure.
        let mut beyond_names = false;
        for_each_shared(fa, fb, |i, _| {
            let f = fa[i];
            inter += w(f);
            beyond_names = beyond_names
                || kinds[f as usize] != FeatureKind::Anchor
                || a.dates.contains(&f)
                || a.years.contains(&f)
                || a.numbers.contains(&f);
        });
        let union = wa + wb - inter;
        let jaccard = if union > 0.0 { inter / union } else { 0.0 };
        let small = wa.min(wb);
        let containment = if small > 0.0 { inter / small } else { 0.0 };
        let ratio = wa.max(wb) / small.max(f64::MIN_POSITIVE);
        let mut score = jaccard;
        let contained = containment * self.config.containment_factor;
        if self.config.containment_factor > 0.0
            && ratio >= self.config.containment_ratio
            && contained > score
            && self.holds_short_anchors(a, b, wa <= wb, &w)
            && (!self.config.containment_specific || shares_specific(a, b, specific))
            && (self.config.containment_headline <= 0.0
                || head_in_lead() >= self.config.containment_headline)
        {
            score = contained;
        }
        if event::disjoint(&a.dates, &b.dates) || event::disjoint(&a.years, &b.years) {
            score *= self.config.date_penalty;
        }
        // Two texts of one language about one event share more than its names: a word of
        // what happened, a date or a figure. Sharing only names (people, places,
        // organisations, acronyms) is the story, not the event. Across languages names may be
        // all a pair without a dictionary shares, so it is left to the score there.
        if !beyond_names && inter > 0.0 && a.lang == b.lang {
            score *= NAMES_ONLY_PENALTY;
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
        (score, jaccard, containment)
    }

    /// The factor on the score of the pair `a`, `b` (`cross`: of two languages; `by_event`:
    /// decided by the probability, [`Corpus::by_event_pair`]), from the event `probability`:
    /// [`even_odds_discount`] under even odds for a same-language pair the overlap score
    /// decides with [`Verifier::Combined`], both languages known and both documents with a
    /// feature of their headline or lead (of any kind: a language without a lexicon has its
    /// words there, not concepts); 1 otherwise. The probability is tested first: most pairs
    /// are not under even odds, and they skip the scan of positions.
    pub(super) fn discount_of(
        &self,
        a: &Doc,
        b: &Doc,
        cross: bool,
        by_event: bool,
        probability: f64,
    ) -> f64 {
        let applies = probability < EVEN_ODDS
            && !by_event
            && !cross
            && self.config.verifier == Verifier::Combined
            && a.lang.is_some()
            && b.lang.is_some()
            && event::positioned(a)
            && event::positioned(b);
        if applies {
            even_odds_discount(probability)
        } else {
            1.0
        }
    }

    /// Whether the verifier decides the pair `a`, `b` by the event probability
    /// ([`Verifier::by_event`]).
    pub(super) fn by_event_pair(&self, a: &Doc, b: &Doc) -> bool {
        let cross = matches!((a.lang, b.lang), (Some(x), Some(y)) if x != y);
        // Both languages known and fitted: an undetermined document is the overlap score's,
        // whichever side it is on.
        let fitted = matches!((a.lang, b.lang), (Some(x), Some(y)) if x == y && x.has_lexicon());
        let positioned = !a.lead.is_empty() && !b.lead.is_empty();
        self.config.verifier.by_event(cross, fitted, positioned)
    }

    /// The threshold of a pair of documents: its
    /// [`CorpusBuilder::pair_threshold`](crate::CorpusBuilder::pair_threshold) if one is set,
    /// else the
    /// [`CorpusBuilder::dictionary_threshold`](crate::CorpusBuilder::dictionary_threshold)
    /// of its coverage for a pair through runtime dictionaries, else the cross- or
    /// same-language one. `by_event`: the event probability decides the pair. A pair of one
    /// language that [`Verifier::Combined`] decides by the overlap score (a language the model
    /// was not fitted on, an undetermined one, a document without positions) takes the
    /// cross-language threshold × [`DEFAULT_THRESHOLD`](crate::DEFAULT_THRESHOLD) /
    /// [`DEFAULT_CROSS_THRESHOLD`](crate::DEFAULT_CROSS_THRESHOLD), both on that score's scale.
    pub(super) fn threshold_of(&self, a: &Doc, b: &Doc, cross: bool, by_event: bool) -> f64 {
        let pairs = &self.config.pair_thresholds;
        if let (Some(x), Some(y), false) = (a.lang, b.lang, pairs.is_empty()) {
            let key = if x <= y { (x, y) } else { (y, x) };
            if let Some(&(_, _, t)) = pairs.iter().find(|&&(p, q, _)| (p, q) == key) {
                return t;
            }
        }
        if cross {
            if let (Some(x), Some(y)) = (a.lang, b.lang) {
                if self.through_dictionary(x, y) {
                    let (intercept, slope) = self.config.dictionary_threshold;
                    return intercept + slope * self.coverage(a) * self.coverage(b);
                }
            }
            self.config.cross_threshold
        } else if self.config.verifier == Verifier::Combined && !by_event {
            self.config.cross_threshold * super::corpus::DEFAULT_THRESHOLD
                / super::corpus::DEFAULT_CROSS_THRESHOLD
        } else {
            self.config.threshold
        }
    }

    /// Whether a pair of two different languages is scored through a runtime dictionary: one
    /// of them is a [`CorpusBuilder::dictionary_languages`](crate::CorpusBuilder::dictionary_languages)
    /// and the other is English, has a built-in lexicon or dictionary, or is one too.
    fn through_dictionary(&self, x: Lang, y: Lang) -> bool {
        let d = &self.config.dictionary_languages;
        if d.is_empty() || x == y {
            return false;
        }
        let mapped = |l: Lang| l.builtin_mapped() || d.contains(&l);
        (d.contains(&x) || d.contains(&y)) && mapped(x) && mapped(y)
    }

    /// A document's coverage: the share of concepts among its concept and local features
    /// (held and unseen), 1 when it has neither.
    pub(super) fn coverage(&self, d: &Doc) -> f64 {
        let (c, l) = (FeatureKind::Concept.index(), FeatureKind::Local.index());
        let mut n = [d.unseen[c] as usize, d.unseen[l] as usize];
        for &f in d.features.iter() {
            let k = self.table.kinds[f as usize].index();
            if k == c {
                n[0] += 1;
            } else if k == l {
                n[1] += 1;
            }
        }
        if n[0] + n[1] == 0 {
            1.0
        } else {
            n[0] as f64 / (n[0] + n[1]) as f64
        }
    }

    /// Whether the long document holds at least [`CorpusBuilder::containment_anchors`] of the
    /// short one's anchor weight (true for a short document without anchors), the condition
    /// for containment to count in the overlap score.
    ///
    /// [`CorpusBuilder::containment_anchors`]: crate::CorpusBuilder::containment_anchors
    fn holds_short_anchors(&self, a: &Doc, b: &Doc, a_short: bool, w: &dyn Fn(Fid) -> f64) -> bool {
        let share = self.config.containment_anchors;
        if share <= 0.0 {
            return true;
        }
        let (short, long) = if a_short { (a, b) } else { (b, a) };
        let k = FeatureKind::Anchor;
        let anchor = |f: Fid| self.table.kinds[f as usize] == k;
        // A queried document's unseen anchors weigh as features in no document.
        let unseen = self.unseen_weight_of(short, k, self.config.rarity_prior);
        let own = short
            .features
            .iter()
            .filter(|&&f| anchor(f))
            .map(|&f| w(f))
            .sum::<f64>()
            + unseen;
        if own <= 0.0 {
            return true;
        }
        let mut held = 0.0;
        for_each_shared(&short.features, &long.features, |i, _| {
            let f = short.features[i];
            if anchor(f) {
                held += w(f);
            }
        });
        held >= share * own
    }

    /// The explanation of a scored pair: shared features, the event evidence for and against,
    /// and the conflicting anchors.
    fn explain(
        &self,
        a: &Doc,
        b: &Doc,
        e: &Evidence,
        shared_counts: [usize; 4],
        top: Vec<(FeatureKind, Arc<str>)>,
    ) -> Explanation {
        let (mut evidence_for, mut evidence_against) = (Vec::new(), Vec::new());
        for (name, c) in self.model.contributions(e) {
            let v = (name.to_string(), c);
            if c > 0.0 {
                evidence_for.push(v);
            } else {
                evidence_against.push(v);
            }
        }
        // The conflicting anchors, sorted (the same whichever document came first).
        let mut conflicts: Vec<String> = Vec::new();
        let labels = &self.table.labels;
        if !labels.is_empty() {
            let mut side = |x: &[Fid], y: &Doc| {
                for &f in x {
                    if f != super::corpus::UNSEEN && y.features.binary_search(&f).is_err() {
                        conflicts.push(labels[f as usize].to_string());
                    }
                }
            };
            if e.year_conflict > 0.0 {
                side(&a.years, b);
                side(&b.years, a);
            }
            if e.date_conflict > 0.0 {
                side(&a.dates, b);
                side(&b.dates, a);
            }
            if e.figure_conflicts > 0.0 {
                let figs =
                    |d: &Doc| -> Vec<Fid> { d.event.lead_figures.iter().map(|x| x.0).collect() };
                side(&figs(a), b);
                side(&figs(b), a);
            }
            conflicts.sort();
            conflicts.dedup();
        }
        Explanation {
            shared_counts,
            top,
            evidence_for,
            evidence_against,
            conflicts,
        }
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use crate::Detector;

    #[test]
    fn a_match_serialises_with_its_explanation() {
        let mut d = Detector::new();
        d.add(
            "en",
            "Floods in Semarang killed eight people on Monday and forced 12,000 residents \
             from their homes, the disaster agency BNPB said.",
        )
        .unwrap();
        let m = d
            .add(
                "id",
                "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 \
                 warga mengungsi, kata BNPB.",
            )
            .unwrap()
            .remove(0);
        assert!(m.cross_language);
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["a"], "en");
        assert_eq!(v["b"], "id");
        assert_eq!(v["cross_language"], true);
        assert!(v["explanation"]["top"]
            .as_array()
            .is_some_and(|t| !t.is_empty()));
        let back: crate::Match = serde_json::from_value(v).unwrap();
        assert_eq!(back, m);
    }
}
