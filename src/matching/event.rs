//! The event verifier: evidence a wire editor would use to tell "same event" from "same
//! story", and a small logistic model that turns it into one probability.
//!
//! Each document keeps, besides its feature ids, the position of every feature (headline,
//! lead, body), the weekdays it names (in its headline or lead, and anywhere) and the figures
//! of its headline and lead with their kind (an amount in one currency, a percentage, a
//! number ≥ 10). A pair's [`Evidence`] is computed from these in one merge of the two sorted
//! feature lists, with rarity from the document frequencies as they stand when the batch is
//! matched (DESIGN.md "Event verifier").

use super::corpus::{Doc, Fid, UNSEEN};
use super::verify::for_each_shared;
use crate::{AnchorClass, Error, Feature, FeatureKind, Result};
use std::sync::LazyLock;

/// Position codes stored per feature (the order of [`Position`](crate::Position)).
pub(super) const HEAD: u8 = 0;
pub(super) const LEAD: u8 = 1;

/// Whether a document has a feature of its headline or lead (of any kind): its evidence has
/// positions to read. Features made without a text are all [`Position::Body`](crate::Position::Body).
pub(super) fn positioned(d: &Doc) -> bool {
    d.event.positions.iter().any(|&p| p <= LEAD)
}

/// A feature is *specific* when its rarity, with the event prior, is at least this:
/// `ln((N + 100) / (df + 1)) ≥ 3`, i.e. at most about 5% of a large corpus holds it, and
/// every feature of a tiny one.
pub const SPECIFIC_IDF: f64 = 3.0;

/// The rarity prior of the event verifier: `n0` background documents in which every feature
/// occurs at the rate [`PRIOR_RATE`](crate::PRIOR_RATE), so a corpus of two documents is not
/// scored by the rarity two samples give.
pub const EVENT_PRIOR: f64 = 100.0;

/// Per-document data of the event verifier.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct EventLists {
    /// The position code of each of [`Doc::features`] (same order).
    pub(crate) positions: Box<[u8]>,
    /// Weekdays named anywhere (bit 0 Monday … bit 6 Sunday).
    pub(crate) days: u8,
    /// Weekdays named in the headline or lead.
    pub(crate) lead_days: u8,
    /// Figures of the headline and lead with their kind code, sorted ([`UNSEEN`] for a
    /// queried document's figure the corpus has never seen).
    pub(crate) lead_figures: Box<[(Fid, u32)]>,
}

/// The concept hashes of the weekdays, Monday first (the lexicons map every language's
/// weekday names to these English concepts).
static WEEKDAYS: LazyLock<[u64; 7]> = LazyLock::new(|| {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .map(|d| crate::hash::feature_hash(FeatureKind::Concept, d))
});

/// The kind code of a figure for conflicts: its currency for an amount, one code each for
/// percentages, numbers of at least 10 (smaller numbers are too common to conflict) and
/// scores (`code:1-2`, smaller side first); `None` for what is not a figure of a conflicting kind.
fn figure_kind(f: &Feature) -> Option<u32> {
    match f.anchor_class()? {
        AnchorClass::Amount => {
            let currency = f.label.split(':').nth(1).unwrap_or("");
            Some(3 + (crate::hash::feature_hash(FeatureKind::Anchor, currency) as u32 >> 2))
        }
        AnchorClass::Percent => Some(0),
        AnchorClass::Number => {
            let v: f64 = f.label.trim_start_matches("num:").parse().ok()?;
            (v >= 10.0).then_some(1)
        }
        // A score (`code:17-21`): digits on both sides of one dash.
        AnchorClass::Code => {
            crate::analysis::anchors::score_sides(f.label.trim_start_matches("code:")).map(|_| 2)
        }
        _ => None,
    }
}

impl EventLists {
    /// The lists of a document from its features by id (sorted by id; [`UNSEEN`] ids are
    /// left out of `positions`, as they are of [`Doc::features`]).
    pub(super) fn of(ids: &[(Fid, &Feature)]) -> EventLists {
        let mut positions = Vec::with_capacity(ids.len());
        let (mut days, mut lead_days) = (0u8, 0u8);
        let mut lead_figures = Vec::new();
        for &(id, f) in ids {
            let head_or_lead = f.position.is_head_or_lead();
            if id != UNSEEN {
                positions.push(f.position as u8);
            }
            if f.kind == FeatureKind::Concept {
                if let Some(d) = WEEKDAYS.iter().position(|&h| h == f.hash) {
                    days |= 1 << d;
                    if head_or_lead {
                        lead_days |= 1 << d;
                    }
                }
            }
            if head_or_lead {
                if let Some(k) = figure_kind(f) {
                    lead_figures.push((id, k));
                }
            }
        }
        lead_figures.sort_unstable();
        EventLists {
            positions: positions.into(),
            days,
            lead_days,
            lead_figures: lead_figures.into(),
        }
    }
}

/// What a candidate pair's decision is made from: overlap, where it sits, how specific it is,
/// and what conflicts. Every value is computed from the two documents' features and the
/// corpus's document frequencies; see [`Evidence::NAMES`] for the names a model file uses.
///
/// Rarity here is `idf = ln((N + 100) / (df + 1))` (the [`EVENT_PRIOR`]) times the kind
/// weight; *specific* means `idf ≥` [`SPECIFIC_IDF`]. "Lead" means the headline and the first
/// sentences ([`Position::is_head_or_lead`](crate::Position::is_head_or_lead)); the *short* document is the one with fewer
/// features.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Evidence {
    /// Weighted Jaccard of the whole documents.
    pub jaccard: f64,
    /// Weighted containment of the lighter document in the heavier.
    pub containment: f64,
    /// Weighted overlap of the two leads, over the lighter lead.
    pub lead_overlap: f64,
    /// The headline's evidence found in the other document's headline or lead: the larger of
    /// the two directions, as a weighted share of the headline.
    pub headline_in_lead: f64,
    /// The short document's specific evidence found anywhere in the long one (weighted share).
    pub specific_coverage: f64,
    /// The short document's specific evidence found in the long one's headline or lead.
    pub specific_coverage_lead: f64,
    /// `ln(1 + weight)` of the specific anchors (names, figures, dates) both documents hold.
    pub specific_anchors: f64,
    /// 1 when both documents give years and share none.
    pub year_conflict: f64,
    /// 1 when both documents give dates (`date:` anchors) and share none.
    pub date_conflict: f64,
    /// 1 when both leads name a weekday and neither lead's weekday is named anywhere in the
    /// other document.
    pub weekday_conflict: f64,
    /// Kinds of figure (an amount in one currency, a percentage, a number ≥ 10, a score) that both
    /// leads give and where neither lead's figures of that kind appear in the other document.
    pub figure_conflicts: f64,
    /// `ln(long / short)`, sizes in features.
    pub length_ratio: f64,
    /// 1 when both languages are known and differ.
    pub cross_language: f64,
}

impl Evidence {
    /// The names of the values, in the order of [`Evidence::values`].
    pub const NAMES: [&'static str; 13] = [
        "jaccard",
        "containment",
        "lead_overlap",
        "headline_in_lead",
        "specific_coverage",
        "specific_coverage_lead",
        "specific_anchors",
        "year_conflict",
        "date_conflict",
        "weekday_conflict",
        "figure_conflicts",
        "length_ratio",
        "cross_language",
    ];

    /// The values, in the order of [`Evidence::NAMES`].
    pub fn values(&self) -> [f64; 13] {
        [
            self.jaccard,
            self.containment,
            self.lead_overlap,
            self.headline_in_lead,
            self.specific_coverage,
            self.specific_coverage_lead,
            self.specific_anchors,
            self.year_conflict,
            self.date_conflict,
            self.weekday_conflict,
            self.figure_conflicts,
            self.length_ratio,
            self.cross_language,
        ]
    }
}

/// A logistic model over [`Evidence`]: `p = σ(intercept + Σ wᵢ·xᵢ)`.
///
/// The built-in model ([`EventModel::builtin`]) is reviewed data in the repository
/// (`src/matching/event_model.tsv`), fitted with grouped cross-validation on the dev pools by
/// `cargo run --release -p lintas-eval --bin evaluate -- … --fit FILE`.
#[derive(Debug, Clone, PartialEq)]
pub struct EventModel {
    intercept: f64,
    /// (index in [`Evidence::NAMES`], raw weight)
    weights: Vec<(usize, f64)>,
    /// Operating points measured out of fold, by increasing precision.
    points: Vec<OperatingPoint>,
}

/// A threshold on the event probability and what it gave out of fold on the dev pools'
/// labelled candidate pairs (`evaluate --oof --fit`): the lowest threshold whose precision
/// reached `precision`, and the recall there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OperatingPoint {
    /// The precision asked for.
    pub precision: f64,
    /// The threshold that reaches it.
    pub threshold: f64,
    /// The recall at that threshold (of the same-event candidate pairs).
    pub recall: f64,
}

static BUILTIN: LazyLock<std::result::Result<EventModel, String>> = LazyLock::new(|| {
    EventModel::from_tsv(include_str!("event_model.tsv")).map_err(|e| e.to_string())
});

impl EventModel {
    /// The model shipped with lintas.
    ///
    /// # Errors
    /// Never in a released build (a test parses the file); an edited model file that does not
    /// parse gives [`Error::Malformed`].
    pub fn builtin() -> Result<EventModel> {
        BUILTIN
            .clone()
            .map_err(|e| Error::malformed("built-in event model", e))
    }

    /// A model from its text: `#` comment lines, then `name<TAB>weight` lines, one of them
    /// `intercept`, the others names from [`Evidence::NAMES`] (each at most once), and
    /// optionally `@precision<TAB>P<TAB>THRESHOLD<TAB>RECALL` lines ([`OperatingPoint`]s).
    ///
    /// ```
    /// use lintas::EventModel;
    /// let m = EventModel::from_tsv("# toy\nintercept\t-2\njaccard\t8\n").unwrap();
    /// assert!(m.probability(&lintas::Evidence { jaccard: 0.5, ..Default::default() }) > 0.5);
    /// assert!(EventModel::from_tsv("intercept\t0\nnot_a_feature\t1\n").is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the line: an unknown or repeated name, a weight that
    /// is not a finite number, a line without a tab, or no intercept.
    pub fn from_tsv(text: &str) -> Result<EventModel> {
        let bad =
            |line: usize, why: &str| Error::malformed("event model", format!("line {line}: {why}"));
        let mut intercept = None;
        let mut weights: Vec<(usize, f64)> = Vec::new();
        let mut points = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("@precision\t") {
                let v: Vec<f64> = rest
                    .split('\t')
                    .map(|x| x.trim().parse::<f64>())
                    .collect::<std::result::Result<_, _>>()
                    .ok()
                    .filter(|v: &Vec<f64>| {
                        v.len() == 3 && v.iter().all(|x| (0.0..=1.0).contains(x))
                    })
                    .ok_or_else(|| {
                        bad(
                            i + 1,
                            "expected @precision<TAB>P<TAB>THRESHOLD<TAB>RECALL in [0, 1]",
                        )
                    })?;
                points.push(OperatingPoint {
                    precision: v[0],
                    threshold: v[1],
                    recall: v[2],
                });
                continue;
            }
            let (name, value) = line
                .split_once('\t')
                .ok_or_else(|| bad(i + 1, "expected NAME<TAB>WEIGHT"))?;
            let w: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|w: &f64| w.is_finite())
                .ok_or_else(|| bad(i + 1, "the weight is not a finite number"))?;
            if name == "intercept" {
                if intercept.replace(w).is_some() {
                    return Err(bad(i + 1, "a second intercept"));
                }
                continue;
            }
            let k = Evidence::NAMES
                .iter()
                .position(|n| *n == name)
                .ok_or_else(|| bad(i + 1, "unknown evidence name (see Evidence::NAMES)"))?;
            if weights.iter().any(|&(j, _)| j == k) {
                return Err(bad(i + 1, "a name given twice"));
            }
            weights.push((k, w));
        }
        let intercept = intercept.ok_or_else(|| bad(0, "no intercept line"))?;
        points.sort_by(|a: &OperatingPoint, b| a.precision.total_cmp(&b.precision));
        Ok(EventModel {
            intercept,
            weights,
            points,
        })
    }

    /// The operating points the model file lists, by increasing precision.
    pub fn operating_points(&self) -> &[OperatingPoint] {
        &self.points
    }

    /// The operating point for a wanted precision: the listed one with the lowest precision
    /// at or above `precision` (`None` when every listed point is below it).
    ///
    /// ```
    /// let m = lintas::EventModel::builtin().unwrap();
    /// let p = m.operating_point(0.9).unwrap();
    /// assert!(p.precision >= 0.9 && p.threshold > 0.0 && p.recall > 0.0);
    /// assert!(m.operating_point(1.5).is_none());
    /// ```
    pub fn operating_point(&self, precision: f64) -> Option<OperatingPoint> {
        self.points
            .iter()
            .find(|p| p.precision + 1e-12 >= precision)
            .copied()
    }

    /// `intercept + Σ wᵢ·xᵢ`: the log-odds of the same event.
    pub fn logit(&self, e: &Evidence) -> f64 {
        let x = e.values();
        self.intercept + self.weights.iter().map(|&(k, w)| w * x[k]).sum::<f64>()
    }

    /// The probability of the same event.
    pub fn probability(&self, e: &Evidence) -> f64 {
        let z = self.logit(e);
        if z >= 0.0 {
            1.0 / (1.0 + (-z).exp())
        } else {
            let t = z.exp();
            t / (1.0 + t)
        }
    }

    /// Each used value's contribution `wᵢ·xᵢ` to the log-odds, by name (zero ones left out),
    /// largest magnitude first.
    pub fn contributions(&self, e: &Evidence) -> Vec<(&'static str, f64)> {
        let x = e.values();
        let mut v: Vec<(&'static str, f64)> = self
            .weights
            .iter()
            .map(|&(k, w)| (Evidence::NAMES[k], w * x[k]))
            .filter(|&(_, c)| c != 0.0)
            .collect();
        v.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(b.0)));
        v
    }

    /// The intercept (the log-odds when every value is 0).
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// The weights by name, in file order.
    pub fn weights(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        self.weights.iter().map(|&(k, w)| (Evidence::NAMES[k], w))
    }
}

/// Sums over one document that the evidence divides by.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Totals {
    /// All features (a query's unseen ones included).
    pub(super) whole: f64,
    /// Headline and lead features.
    pub(super) lead: f64,
    /// Headline features.
    pub(super) head: f64,
    /// Specific features.
    pub(super) specific: f64,
    /// Distinct features (a query's unseen ones included).
    pub(super) size: u32,
}

/// Whether two non-empty lists share nothing.
pub(super) fn disjoint(x: &[Fid], y: &[Fid]) -> bool {
    !x.is_empty() && !y.is_empty() && !x.iter().any(|d| y.contains(d))
}

/// The figure-kind conflicts of two documents (see [`Evidence::figure_conflicts`]).
fn figure_conflicts(a: &Doc, b: &Doc) -> f64 {
    let (fa, fb) = (&a.event.lead_figures, &b.event.lead_figures);
    if fa.is_empty() || fb.is_empty() {
        return 0.0;
    }
    let mut kinds: Vec<u32> = fa.iter().map(|&(_, k)| k).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut n = 0;
    for k in kinds {
        let of = |v: &[(Fid, u32)]| -> Vec<Fid> {
            v.iter()
                .filter(|&&(_, c)| c == k)
                .map(|&(f, _)| f)
                .collect()
        };
        let (xa, xb) = (of(fa), of(fb));
        if xb.is_empty() {
            continue;
        }
        let found = |xs: &[Fid], d: &Doc| xs.iter().any(|f| d.features.binary_search(f).is_ok());
        if !found(&xa, b) && !found(&xb, a) {
            n += 1;
        }
    }
    f64::from(n)
}

/// The evidence of a pair, from the features' weights (`w`), whether each is specific
/// (`specific`), and both documents' totals.
pub(super) fn evidence(
    a: &Doc,
    b: &Doc,
    w: impl Fn(Fid) -> f64,
    specific: impl Fn(Fid) -> bool,
    kinds: &[FeatureKind],
    (ta, tb): (Totals, Totals),
) -> Evidence {
    let share = |x: f64, of: f64| if of > 0.0 { (x / of).min(1.0) } else { 0.0 };
    let (fa, fb) = (&a.features, &b.features);
    let (pa, pb) = (&a.event.positions, &b.event.positions);
    let (mut inter, mut lead, mut a_head_in_b, mut b_head_in_a) = (0.0, 0.0, 0.0, 0.0);
    let (mut spec, mut spec_in_lead_of_b, mut spec_in_lead_of_a, mut anchors) =
        (0.0, 0.0, 0.0, 0.0);
    for_each_shared(fa, fb, |i, j| {
        let f = fa[i];
        let x = w(f);
        inter += x;
        let (ha, hb) = (pa[i], pb[j]);
        if ha <= LEAD && hb <= LEAD {
            lead += x;
        }
        if ha == HEAD && hb <= LEAD {
            a_head_in_b += x;
        }
        if hb == HEAD && ha <= LEAD {
            b_head_in_a += x;
        }
        if specific(f) {
            spec += x;
            if hb <= LEAD {
                spec_in_lead_of_b += x;
            }
            if ha <= LEAD {
                spec_in_lead_of_a += x;
            }
            if kinds[f as usize] == FeatureKind::Anchor {
                anchors += x;
            }
        }
    });
    let union = ta.whole + tb.whole - inter;
    // The short document: fewer features, then less specific weight; a full tie takes the
    // larger of both readings, so the evidence does not depend on which document came first.
    let a_short = (ta.size, ta.specific) < (tb.size, tb.specific);
    let b_short = (tb.size, tb.specific) < (ta.size, ta.specific);
    let cov_a = (
        share(spec, ta.specific),
        share(spec_in_lead_of_b, ta.specific),
    );
    let cov_b = (
        share(spec, tb.specific),
        share(spec_in_lead_of_a, tb.specific),
    );
    let (specific_coverage, specific_coverage_lead) = if a_short {
        cov_a
    } else if b_short {
        cov_b
    } else {
        (cov_a.0.max(cov_b.0), cov_a.1.max(cov_b.1))
    };
    let (small, large) = (ta.size.min(tb.size).max(1), ta.size.max(tb.size).max(1));
    let years = disjoint(&a.years, &b.years);
    let dates = disjoint(&a.dates, &b.dates);
    let (da, db) = (&a.event, &b.event);
    let weekday = da.lead_days != 0
        && db.lead_days != 0
        && da.lead_days & db.days == 0
        && db.lead_days & da.days == 0;
    let cross = matches!((a.lang, b.lang), (Some(x), Some(y)) if x != y);
    Evidence {
        jaccard: share(inter, union),
        containment: share(inter, ta.whole.min(tb.whole)),
        lead_overlap: share(lead, ta.lead.min(tb.lead)),
        headline_in_lead: share(a_head_in_b, ta.head).max(share(b_head_in_a, tb.head)),
        specific_coverage,
        specific_coverage_lead,
        specific_anchors: anchors.ln_1p(),
        year_conflict: f64::from(u8::from(years)),
        date_conflict: f64::from(u8::from(dates)),
        weekday_conflict: f64::from(u8::from(weekday)),
        figure_conflicts: figure_conflicts(a, b),
        length_ratio: (f64::from(large) / f64::from(small)).ln(),
        cross_language: f64::from(u8::from(cross)),
    }
}

/// A document's totals (see [`Totals`]), from the features' weights and specificity and the
/// weight of its unseen features.
pub(super) fn totals(
    d: &Doc,
    w: impl Fn(Fid) -> f64,
    specific: impl Fn(Fid) -> bool,
    unseen: f64,
) -> Totals {
    let mut t = Totals {
        whole: unseen,
        size: d.features.len() as u32 + d.unseen.iter().sum::<u32>(),
        ..Totals::default()
    };
    for (i, &f) in d.features.iter().enumerate() {
        let x = w(f);
        t.whole += x;
        let p = d.event.positions[i];
        if p <= LEAD {
            t.lead += x;
        }
        if p == HEAD {
            t.head += x;
        }
        if specific(f) {
            t.specific += x;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_model_parses_and_uses_known_names() {
        let m = EventModel::builtin().unwrap();
        assert!(m.weights().count() >= 5);
        assert!(
            m.intercept() < 0.0,
            "no evidence must mean: not the same event"
        );
    }

    #[test]
    fn bad_model_files_name_the_line() {
        for (text, line) in [
            ("intercept\t1\njaccard\tx\n", "line 2"),
            ("jaccard 1\n", "line 1"),
            ("intercept\t1\njaccard\t1\njaccard\t2\n", "line 3"),
            ("jaccard\t1\n", "line 0"),
            ("intercept\tinf\n", "line 1"),
            ("intercept\t1\n@precision\t0.9\t0.5\n", "line 2"),
            ("intercept\t1\n@precision\t0.9\t1.5\t0.3\n", "line 2"),
        ] {
            let e = EventModel::from_tsv(text).unwrap_err().to_string();
            assert!(e.contains(line), "{text:?}: {e}");
        }
    }

    #[test]
    fn probability_is_stable_at_extremes() {
        let m = EventModel::from_tsv("intercept\t-1000\njaccard\t2000\n").unwrap();
        let p = |j| {
            m.probability(&Evidence {
                jaccard: j,
                ..Default::default()
            })
        };
        assert_eq!(p(0.0), 0.0);
        assert_eq!(p(1.0), 1.0);
        assert!((p(0.5) - 0.5).abs() < 1e-12);
    }
}
