//! The fitting half of the event-level pair verifier: a small L2-regularised logistic
//! regression ([`fit`], [`Logistic`]), fitted with grouped cross-validation ([`assign_folds`],
//! [`out_of_fold`]) so that every pair is scored by a model that never saw its topic, and the
//! checks of its scores: a reliability table ([`reliability`]), the threshold for a precision
//! ([`threshold_for_precision`]) and a bootstrap interval of F1 ([`bootstrap_f1`]). A fitted
//! model is written as reviewed text ([`write_weights`]); the library parses it.
//!
//! # The fit
//!
//! [`fit`] minimises `0.5·||β||² + c·Σ wᵢ·logloss(yᵢ, b + β·zᵢ)` where `zᵢ` are the features
//! standardised with the weighted mean and (population) standard deviation, the intercept `b`
//! is not penalised: scikit-learn's `StandardScaler().fit(X, sample_weight=w)` followed by
//! `LogisticRegression(C=c).fit(Z, y, sample_weight=w)` (the tests pin an example to 1e-5).
//! Newton's method with a backtracking line search solves it; the model is returned in raw
//! feature units, so that scoring needs no scaler.
//!
//! # Grouped cross-validation
//!
//! A pair joins two documents, each of a group (a topic: an ECB event, a TICO-19 source text,
//! a set-aside independent story). [`assign_folds`] deals the groups of each family over the
//! folds, and [`out_of_fold`] scores a pair whose documents lie in folds `F` with a model fitted
//! on the pairs that touch no fold of `F`: no document of the pair's groups, nor any other
//! document of those folds, was seen in its fit. [`fold_plan`] lists the fits and the rows each
//! uses.

use crate::scale::Rng;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;

/// Newton iterations at most.
const MAX_ITER: usize = 100;
/// The fit stops when the gradient norm of the objective is below this.
const GRAD_TOL: f64 = 1e-8;
/// … or when a Newton step moves no standardised coefficient by more than this (relative to
/// the largest, or 1): the optimum to rounding.
const STEP_TOL: f64 = 1e-12;

/// A logistic model in raw feature units: p = sigmoid(intercept + Σ weights\[i\]·x\[i\]).
#[derive(Debug, Clone, PartialEq)]
pub struct Logistic {
    /// The constant term of the logit.
    pub intercept: f64,
    /// One weight per feature, in the feature's raw units.
    pub weights: Vec<f64>,
}

impl Logistic {
    /// The logit (log-odds) of a feature vector: `intercept + Σ weights[i]·x[i]`.
    ///
    /// # Panics
    ///
    /// When `x` does not have one value per weight.
    pub fn logit(&self, x: &[f64]) -> f64 {
        assert_eq!(
            x.len(),
            self.weights.len(),
            "Logistic: {} features for {} weights",
            x.len(),
            self.weights.len()
        );
        self.intercept + dot(&self.weights, x)
    }

    /// The probability of a feature vector: the sigmoid of its [`logit`](Self::logit),
    /// computed without overflow for any logit.
    ///
    /// # Panics
    ///
    /// When `x` does not have one value per weight.
    pub fn probability(&self, x: &[f64]) -> f64 {
        sigmoid(self.logit(x))
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// `1 / (1 + e^-z)`, with `e^z` taken only of a non-positive `z`.
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^z)` without overflow: the log loss of a logit `z` against the other label.
fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// Fits L2-regularised logistic regression like scikit-learn's `LogisticRegression(C=c)` on
/// features standardised to mean 0 / sd 1 (weighted mean and population sd with the sample
/// weights; a constant column — sd within rounding of 0, scikit-learn's test — gets sd 1), the
/// intercept not penalised. Objective: `0.5·||β||² + c·Σ sample_weight·logloss`. Newton's
/// method with a backtracking (Armijo) line search, from the zero model with the intercept at
/// the weighted log-odds of the labels, until the gradient norm is below 1e-8 or 100 iterations
/// have run — or sooner when the optimum is reached to rounding, which large `c` reach before
/// the absolute gradient tolerance: a step that moves no standardised coefficient by more than
/// 1e-12 (relative to the largest, or 1), or no step that decreases the objective. Returns the
/// model in RAW units: `weights_raw = β/sd`, `intercept_raw = b − Σ β·mean/sd`.
///
/// # Panics
///
/// When the lengths of `x`, `y` and `sample_weight` differ, rows differ in length, a weight
/// is negative or not finite, `c` is not positive and finite, or either class has no positive
/// weight (the unpenalised intercept would then have no finite optimum).
pub fn fit(x: &[Vec<f64>], y: &[bool], sample_weight: &[f64], c: f64) -> Logistic {
    let n = x.len();
    assert!(
        y.len() == n && sample_weight.len() == n,
        "fit: {n} rows, {} labels, {} weights",
        y.len(),
        sample_weight.len()
    );
    assert!(c > 0.0 && c.is_finite(), "fit: c must be positive, not {c}");
    let d = x.first().map_or(0, Vec::len);
    assert!(x.iter().all(|r| r.len() == d), "fit: rows differ in length");
    assert!(
        sample_weight.iter().all(|w| w.is_finite() && *w >= 0.0),
        "fit: sample weights must be finite and non-negative"
    );
    let (mut pos, mut neg) = (0.0, 0.0);
    for (&yi, &wi) in y.iter().zip(sample_weight) {
        if yi {
            pos += wi;
        } else {
            neg += wi;
        }
    }
    assert!(
        pos > 0.0 && neg > 0.0,
        "fit: both classes need a positive sample weight (positives {pos}, negatives {neg})"
    );
    let total = pos + neg;

    // Weighted mean and population sd of each column.
    let mut mean = vec![0.0; d];
    let mut sd = vec![1.0; d];
    for j in 0..d {
        let m = x
            .iter()
            .zip(sample_weight)
            .map(|(r, w)| w * r[j])
            .sum::<f64>()
            / total;
        let var = x
            .iter()
            .zip(sample_weight)
            .map(|(r, w)| w * (r[j] - m) * (r[j] - m))
            .sum::<f64>()
            / total;
        let s = var.sqrt();
        mean[j] = m;
        // scikit-learn's `_is_constant_feature`: var ≤ n·eps·var + (n·mean·eps)².
        let bound = n as f64 * f64::EPSILON * var + (n as f64 * m * f64::EPSILON).powi(2);
        sd[j] = if s.is_finite() && var > bound { s } else { 1.0 };
    }
    let mut z = Vec::with_capacity(n * d);
    for r in x {
        z.extend(
            r.iter()
                .zip(mean.iter().zip(&sd))
                .map(|(v, (m, s))| (v - m) / s),
        );
    }
    let row = |i: usize| &z[i * d..(i + 1) * d];

    // θ = [b, β₁ … β_d].
    let m = d + 1;
    let objective = |theta: &[f64]| -> f64 {
        let mut f = 0.5 * theta[1..].iter().map(|b| b * b).sum::<f64>();
        let mut loss = 0.0;
        for i in 0..n {
            let w = sample_weight[i];
            if w == 0.0 {
                continue;
            }
            let eta = theta[0] + dot(&theta[1..], row(i));
            loss += w * softplus(if y[i] { -eta } else { eta });
        }
        f += c * loss;
        f
    };
    let mut theta = vec![0.0; m];
    theta[0] = (pos / neg).ln();
    let mut f = objective(&theta);
    for _ in 0..MAX_ITER {
        // Gradient and Hessian of the objective.
        let mut g = theta.clone();
        g[0] = 0.0;
        let mut h = vec![0.0; m * m];
        for j in 1..m {
            h[j * m + j] = 1.0;
        }
        for i in 0..n {
            let w = sample_weight[i];
            if w == 0.0 {
                continue;
            }
            let zi = row(i);
            let p = sigmoid(theta[0] + dot(&theta[1..], zi));
            let r = c * w * (p - if y[i] { 1.0 } else { 0.0 });
            let s = c * w * p * (1.0 - p);
            g[0] += r;
            h[0] += s;
            for a in 0..d {
                g[a + 1] += r * zi[a];
                h[a + 1] += s * zi[a];
                for b in a..d {
                    h[(a + 1) * m + b + 1] += s * zi[a] * zi[b];
                }
            }
        }
        for a in 0..m {
            for b in 0..a {
                h[a * m + b] = h[b * m + a];
            }
        }
        let gnorm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        if gnorm < GRAD_TOL {
            break;
        }
        let neg_g: Vec<f64> = g.iter().map(|v| -v).collect();
        let mut step = solve(h, neg_g.clone(), m).unwrap_or_else(|| neg_g.clone());
        let mut slope = dot(&g, &step);
        if !(slope < 0.0 && slope.is_finite()) {
            step = neg_g;
            slope = -gnorm * gnorm;
        }
        let mut t = 1.0;
        let mut moved = false;
        while t >= 1e-10 {
            let cand: Vec<f64> = theta.iter().zip(&step).map(|(a, s)| a + t * s).collect();
            let fc = objective(&cand);
            if fc <= f + 1e-4 * t * slope {
                theta = cand;
                f = fc;
                moved = true;
                break;
            }
            t *= 0.5;
        }
        let size = step.iter().fold(0.0f64, |s, v| s.max(t * v.abs()));
        let scale = theta.iter().fold(1.0f64, |s, v| s.max(v.abs()));
        if !moved || size <= STEP_TOL * scale {
            break;
        }
    }

    let weights: Vec<f64> = (0..d).map(|j| theta[j + 1] / sd[j]).collect();
    let intercept = theta[0] - (0..d).map(|j| weights[j] * mean[j]).sum::<f64>();
    Logistic { intercept, weights }
}

/// Solves `a·x = b` (`a` is `m`×`m`, row-major) by Gaussian elimination with partial
/// pivoting; `None` when `a` is singular to working precision.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, m: usize) -> Option<Vec<f64>> {
    let scale = a.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    for col in 0..m {
        let piv =
            (col..m).max_by(|&r, &s| a[r * m + col].abs().total_cmp(&a[s * m + col].abs()))?;
        let pv = a[piv * m + col];
        if !pv.is_finite() || pv.abs() <= scale * 1e-14 {
            return None;
        }
        if piv != col {
            for k in 0..m {
                a.swap(piv * m + k, col * m + k);
            }
            b.swap(piv, col);
        }
        for r in col + 1..m {
            let factor = a[r * m + col] / pv;
            if factor != 0.0 {
                for k in col..m {
                    a[r * m + k] -= factor * a[col * m + k];
                }
                b[r] -= factor * b[col];
            }
        }
    }
    let mut x = vec![0.0; m];
    for r in (0..m).rev() {
        let s: f64 = (r + 1..m).map(|k| a[r * m + k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r * m + r];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// FNV-1a, 64 bits, of a string's UTF-8 bytes: the stable hash that orders groups.
pub fn fnv1a64(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in s.as_bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The family of a group name: what precedes its first `:`, or the whole name.
pub fn family(group: &str) -> &str {
    group.split_once(':').map_or(group, |(f, _)| f)
}

/// Cross-validation folds for groups named "family:name" (e.g. "ecb:5", "tico:1234",
/// "indep:kashmir", "click:abc", "seed"; a name without ':' is its own family). Within each
/// family, the distinct groups are sorted by the FNV-1a 64 hash of the full name ([`fnv1a64`];
/// ties by name) and dealt round-robin to folds 0..k, so every fold has a share of every
/// family (a family of at least `k` groups reaches every fold). The deal of a family starts
/// at fold `fnv1a64(family) mod k` rather than 0, so that families of fewer than `k` groups
/// (a lone "seed") do not all land in fold 0. Returns the fold of each input group (same
/// order; a repeated name gets one fold). Deterministic across platforms and runs, and
/// independent of the order of the input.
///
/// # Panics
///
/// When `k` is 0.
pub fn assign_folds(groups: &[&str], k: usize) -> Vec<usize> {
    assert!(k > 0, "assign_folds: k must be positive");
    let mut families: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &g in groups {
        families.entry(family(g)).or_default().push(g);
    }
    let mut fold: HashMap<&str, usize> = HashMap::new();
    for (fam, mut names) in families {
        names.sort_by_key(|n| (fnv1a64(n), *n));
        names.dedup();
        let start = (fnv1a64(fam) % k as u64) as usize;
        for (i, n) in names.into_iter().enumerate() {
            fold.insert(n, (start + i) % k);
        }
    }
    groups.iter().map(|g| fold[g]).collect()
}

/// One labelled pair: its feature vector, label, sample weight, and the fold of each of its
/// two documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The pair's features, in the order of the model's weights.
    pub x: Vec<f64>,
    /// Whether the pair is a positive (one event).
    pub y: bool,
    /// The pair's sample weight in the fit.
    pub weight: f64,
    /// The folds of the pair's two documents (from [`assign_folds`]).
    pub folds: [usize; 2],
}

/// One fit of [`out_of_fold`]: the folds it holds out, the rows it is fitted on and the rows
/// it scores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldFit {
    /// The held-out folds F, ascending (equal when a pair's documents share a fold).
    pub held_out: [usize; 2],
    /// The rows fitted on (ascending): no document in a fold of F, and not score-only.
    pub train: Vec<usize>,
    /// The rows scored (ascending): those whose two documents' folds are exactly F.
    pub scored: Vec<usize>,
}

/// The fits of [`out_of_fold`], one per distinct set of folds F among the rows, by ascending
/// F (at most k + k(k−1)/2): which rows each fits on and which it scores. `score_only` is
/// empty (no row) or has one flag per row.
///
/// # Panics
///
/// When a row's fold is not below `k`, or `score_only` is neither empty nor one flag per row.
pub fn fold_plan(rows: &[Row], k: usize, score_only: &[bool]) -> Vec<FoldFit> {
    assert!(
        score_only.is_empty() || score_only.len() == rows.len(),
        "out_of_fold: {} score_only flags for {} rows",
        score_only.len(),
        rows.len()
    );
    let mut scored: BTreeMap<[usize; 2], Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        assert!(
            r.folds.iter().all(|&f| f < k),
            "out_of_fold: row {i} has folds {:?}, k is {k}",
            r.folds
        );
        let key = [r.folds[0].min(r.folds[1]), r.folds[0].max(r.folds[1])];
        scored.entry(key).or_default().push(i);
    }
    let only = |i: usize| score_only.get(i).copied().unwrap_or(false);
    scored
        .into_iter()
        .map(|(held_out, scored)| {
            let train = (0..rows.len())
                .filter(|&i| !only(i) && !rows[i].folds.iter().any(|f| held_out.contains(f)))
                .collect();
            FoldFit {
                held_out,
                train,
                scored,
            }
        })
        .collect()
}

/// Out-of-fold probabilities: a pair whose documents lie in folds F = {folds\[0\],
/// folds\[1\]} is scored by a model fitted (with [`fit`], the rows' weights and `c`) only on
/// rows with NEITHER document in F: one fit per distinct F ([`fold_plan`]; at most
/// k + k(k−1)/2 for k folds), run in parallel with rayon, the results independent of the
/// thread count. Rows flagged in `score_only` (by index; an empty slice flags none) are scored
/// but never fitted on (e.g. a set-aside group). Returns one probability per row.
///
/// # Panics
///
/// As [`fold_plan`], and when the rows of a fit lack either class (with few folds, a pair
/// across two folds may leave no row to fit on: k ≥ 3 is needed for such pairs).
pub fn out_of_fold(rows: &[Row], k: usize, c: f64, score_only: &[bool]) -> Vec<f64> {
    let plan = fold_plan(rows, k, score_only);
    let scores: Vec<Vec<f64>> = plan
        .par_iter()
        .map(|fold| {
            let has = |label: bool| {
                fold.train
                    .iter()
                    .any(|&i| rows[i].y == label && rows[i].weight > 0.0)
            };
            assert!(
                has(true) && has(false),
                "out_of_fold: holding out folds {:?} leaves {} rows to fit on, without both classes",
                fold.held_out,
                fold.train.len()
            );
            let x: Vec<Vec<f64>> = fold.train.iter().map(|&i| rows[i].x.clone()).collect();
            let y: Vec<bool> = fold.train.iter().map(|&i| rows[i].y).collect();
            let w: Vec<f64> = fold.train.iter().map(|&i| rows[i].weight).collect();
            let model = fit(&x, &y, &w, c);
            fold.scored
                .iter()
                .map(|&i| model.probability(&rows[i].x))
                .collect()
        })
        .collect();
    let mut p = vec![f64::NAN; rows.len()];
    for (fold, s) in plan.iter().zip(scores) {
        for (&i, v) in fold.scored.iter().zip(s) {
            p[i] = v;
        }
    }
    p
}

/// One bin of a reliability table.
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    /// The bin's lower bound (inclusive).
    pub lo: f64,
    /// The bin's upper bound (exclusive, but for the last bin, which holds p = 1).
    pub hi: f64,
    /// Rows whose predicted p falls in the bin (unweighted).
    pub count: usize,
    /// Mean predicted p of those rows (0 when the bin is empty).
    pub mean_p: f64,
    /// Share of those rows that are positive (0 when the bin is empty).
    pub observed: f64,
}

/// Reliability table: 10 equal-width bins of predicted p in \[0,1\], bin `i` holding
/// `i/10 ≤ p < (i+1)/10` (p = 1.0 falls in the last bin); per bin: count, mean predicted p
/// and observed positive rate, all unweighted (sample weights are ignored). Empty bins are
/// included with count 0 and mean and rate 0.
///
/// # Panics
///
/// When `p` and `y` differ in length or a p is not in \[0, 1\].
pub fn reliability(p: &[f64], y: &[bool]) -> Vec<Bin> {
    const BINS: usize = 10;
    assert_eq!(
        p.len(),
        y.len(),
        "reliability: {} p, {} labels",
        p.len(),
        y.len()
    );
    let bound = |i: usize| i as f64 / BINS as f64;
    let mut count = [0usize; BINS];
    let mut sum_p = [0.0; BINS];
    let mut positives = [0usize; BINS];
    for (&pi, &yi) in p.iter().zip(y) {
        assert!(
            (0.0..=1.0).contains(&pi),
            "reliability: p {pi} is not in [0, 1]"
        );
        let b = (1..BINS).take_while(|&i| pi >= bound(i)).count();
        count[b] += 1;
        sum_p[b] += pi;
        positives[b] += usize::from(yi);
    }
    (0..BINS)
        .map(|b| {
            let (mean_p, observed) = if count[b] == 0 {
                (0.0, 0.0)
            } else {
                (
                    sum_p[b] / count[b] as f64,
                    positives[b] as f64 / count[b] as f64,
                )
            };
            Bin {
                lo: bound(b),
                hi: bound(b + 1),
                count: count[b],
                mean_p,
                observed,
            }
        })
        .collect()
}

/// The lowest threshold t (among the distinct predicted values, ascending) at which the
/// precision of {p ≥ t} (unweighted, over the given rows) reaches `target`, with the
/// precision and recall there: `(t, precision, recall)`. `None` when no threshold reaches it
/// or there is no positive.
///
/// # Panics
///
/// When `p` and `y` differ in length or a p is NaN.
pub fn threshold_for_precision(p: &[f64], y: &[bool], target: f64) -> Option<(f64, f64, f64)> {
    assert_eq!(
        p.len(),
        y.len(),
        "threshold_for_precision: {} p, {} labels",
        p.len(),
        y.len()
    );
    assert!(
        p.iter().all(|v| !v.is_nan()),
        "threshold_for_precision: p is NaN"
    );
    let positives = y.iter().filter(|&&v| v).count();
    if positives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    // Down the thresholds: after each run of equal p, {p ≥ t} is counted.
    let (mut tp, mut flagged, mut best) = (0usize, 0usize, None);
    let mut i = 0;
    while i < order.len() {
        let t = p[order[i]];
        while i < order.len() && p[order[i]] == t {
            flagged += 1;
            tp += usize::from(y[order[i]]);
            i += 1;
        }
        let precision = tp as f64 / flagged as f64;
        if precision >= target {
            best = Some((t, precision, tp as f64 / positives as f64));
        }
    }
    best
}

/// F1 of counts: `2·tp / (2·tp + fp + fn)`, 0 when there is no true positive (as
/// [`crate::metrics::Prf::f1`]).
fn f1(tp: usize, fp: usize, fn_: usize) -> f64 {
    if tp == 0 {
        0.0
    } else {
        2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
    }
}

/// The `q` quantile of sorted values, interpolated linearly between ranks (numpy's default).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (pos - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Percentile bootstrap interval of F1 over "items" (each item: `(is_gold, is_flagged)`):
/// `resamples` resamples of as many items, drawn with replacement by a SplitMix64 generator
/// ([`crate::scale::Rng`]) started at `seed`; returns the (lo, hi) percentiles at the given
/// coverage (0.90 → the 5th and 95th percentiles, interpolated linearly between ranks). F1 is
/// 0 when a resample has no true positive; no items give (0, 0).
///
/// # Panics
///
/// When `resamples` is 0 or `coverage` is not in (0, 1].
pub fn bootstrap_f1(
    items: &[(bool, bool)],
    resamples: usize,
    coverage: f64,
    seed: u64,
) -> (f64, f64) {
    assert!(resamples > 0, "bootstrap_f1: no resample");
    assert!(
        coverage > 0.0 && coverage <= 1.0,
        "bootstrap_f1: coverage {coverage} is not in (0, 1]"
    );
    if items.is_empty() {
        return (0.0, 0.0);
    }
    let mut rng = Rng::new(seed);
    let mut scores: Vec<f64> = (0..resamples)
        .map(|_| {
            let (mut tp, mut fp, mut fn_) = (0, 0, 0);
            for _ in 0..items.len() {
                match items[rng.below(items.len())] {
                    (true, true) => tp += 1,
                    (false, true) => fp += 1,
                    (true, false) => fn_ += 1,
                    (false, false) => {}
                }
            }
            f1(tp, fp, fn_)
        })
        .collect();
    scores.sort_by(f64::total_cmp);
    let tail = (1.0 - coverage) / 2.0;
    (quantile(&scores, tail), quantile(&scores, 1.0 - tail))
}

/// Writes a fitted model as `name<TAB>weight` lines: first `intercept`, then each feature
/// name with its raw weight, in Rust's shortest round-trip decimal form (`{}`: parsing the
/// text gives the same `f64`), preceded by one `# ` comment line per line of `comments`. An
/// error of kind `InvalidInput` (and nothing written) when the names are not one per weight,
/// a name is empty, `intercept`, repeated, starts with `#` or holds a tab or a line break, or
/// a weight is not finite.
pub fn write_weights(
    out: &mut impl io::Write,
    comments: &[String],
    names: &[&str],
    m: &Logistic,
) -> io::Result<()> {
    let invalid = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
    if names.len() != m.weights.len() {
        return invalid(format!(
            "write_weights: {} names for {} weights",
            names.len(),
            m.weights.len()
        ));
    }
    let mut seen = BTreeSet::new();
    for name in names {
        if name.is_empty()
            || *name == "intercept"
            || name.starts_with('#')
            || name.contains(['\t', '\n', '\r'])
            || !seen.insert(*name)
        {
            return invalid(format!("write_weights: bad feature name {name:?}"));
        }
    }
    if !m.intercept.is_finite() || m.weights.iter().any(|w| !w.is_finite()) {
        return invalid("write_weights: a weight is not finite".to_string());
    }
    let mut text = String::new();
    for comment in comments {
        if comment.is_empty() {
            text.push_str("#\n");
        }
        for line in comment.lines() {
            text.push_str(if line.is_empty() { "#" } else { "# " });
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push_str(&format!("intercept\t{}\n", m.intercept));
    for (name, w) in names.iter().zip(&m.weights) {
        text.push_str(&format!("{name}\t{w}\n"));
    }
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A uniform draw in [0, 1).
    fn unit(rng: &mut Rng) -> f64 {
        (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal draw (Box–Muller).
    fn normal(rng: &mut Rng) -> f64 {
        let u = 1.0 - unit(rng);
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * unit(rng)).cos()
    }

    #[test]
    fn sigmoid_is_stable() {
        let m = Logistic {
            intercept: 0.0,
            weights: vec![1.0],
        };
        assert_eq!(m.probability(&[0.0]), 0.5);
        assert_eq!(m.probability(&[1000.0]), 1.0);
        assert_eq!(m.probability(&[-1000.0]), 0.0);
        assert!((m.probability(&[-30.0]) - (-30f64).exp() / (1.0 + (-30f64).exp())).abs() < 1e-25);
        assert!((m.probability(&[2.0]) + m.probability(&[-2.0]) - 1.0).abs() < 1e-15);
        assert!((softplus(800.0) - 800.0).abs() < 1e-12);
        assert!((softplus(0.0) - 2f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn fit_recovers_known_coefficients() {
        // Three features of very different scales and means.
        let truth = Logistic {
            intercept: -4.0,
            weights: vec![0.3, 0.002, 40.0],
        };
        let sd = [3.0, 2000.0 / 12f64.sqrt(), 0.1 / 12f64.sqrt()];
        let mut rng = Rng::new(42);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for _ in 0..5000 {
            let row = vec![
                10.0 + 3.0 * normal(&mut rng),
                -500.0 + 2000.0 * unit(&mut rng),
                -0.05 + 0.1 * unit(&mut rng),
            ];
            y.push(unit(&mut rng) < truth.probability(&row));
            x.push(row);
        }
        let w = vec![1.0; x.len()];
        let m = fit(&x, &y, &w, 1e6);
        // Standardised units: each feature's effect per sd (standard errors ≈ 0.04 here).
        for (j, sd) in sd.iter().enumerate() {
            let err = (m.weights[j] - truth.weights[j]) * sd;
            assert!(
                err.abs() < 0.1,
                "weight {j}: {} vs {}",
                m.weights[j],
                truth.weights[j]
            );
        }
        // The logit at the features' means.
        let centre = [10.0, 500.0, 0.0];
        assert!(
            (m.logit(&centre) - truth.logit(&centre)).abs() < 0.15,
            "{m:?}"
        );
    }

    /// The scikit-learn example: features (a, b, c), label, sample weight.
    #[rustfmt::skip]
    const DATA: [(f64, f64, f64, bool, f64); 40] = [
        (0.32, 60.2, 0.0, false, 1.0), (0.37, 64.1, 0.0, false, 1.0), (0.04, 45.8, 0.0, false, 1.0),
        (0.83, 51.8, 0.0, false, 10.0), (0.95, 39.3, 1.0, true, 1.0), (0.29, 44.4, 1.0, false, 2.0),
        (0.31, 53.1, 4.0, false, 1.0), (0.37, 43.1, 4.0, false, 2.0), (0.06, 55.0, 3.0, false, 0.5),
        (0.59, 67.4, 3.0, true, 1.0), (0.79, 47.2, 4.0, true, 0.5), (0.88, 41.5, 5.0, true, 2.0),
        (0.98, 59.2, 2.0, true, 0.5), (0.42, 58.4, 5.0, true, 2.0), (0.57, 57.4, 5.0, true, 0.5),
        (0.58, 42.7, 3.0, true, 1.0), (0.94, 32.5, 0.0, true, 1.0), (0.65, 52.9, 5.0, false, 1.0),
        (0.72, 58.4, 3.0, true, 2.0), (0.12, 42.8, 0.0, true, 1.0), (0.13, 50.2, 3.0, true, 0.5),
        (0.4, 61.9, 2.0, false, 0.5), (0.86, 47.8, 2.0, true, 0.5), (0.96, 62.2, 1.0, true, 1.0),
        (0.23, 51.4, 4.0, true, 1.0), (0.0, 63.7, 3.0, false, 2.0), (0.57, 67.6, 4.0, false, 1.0),
        (0.46, 44.7, 5.0, false, 0.5), (0.4, 39.2, 3.0, true, 1.0), (0.98, 58.5, 3.0, true, 1.0),
        (0.6, 62.4, 4.0, true, 1.0), (0.61, 59.3, 0.0, false, 2.0), (0.38, 30.1, 4.0, true, 1.0),
        (0.12, 27.6, 3.0, false, 0.5), (0.48, 47.5, 5.0, true, 1.0), (0.48, 56.2, 5.0, true, 1.0),
        (0.21, 60.9, 5.0, false, 1.0), (0.76, 46.6, 2.0, false, 1.0), (0.7, 49.2, 1.0, true, 1.0),
        (0.53, 61.4, 4.0, true, 1.0),
    ];

    #[test]
    fn fit_agrees_with_scikit_learn() {
        // scikit-learn 1.9.1; D holds DATA's tuples with the labels as 0/1:
        //
        //   import numpy as np
        //   from sklearn.linear_model import LogisticRegression
        //   from sklearn.preprocessing import StandardScaler
        //   D = np.array([(0.32, 60.2, 0.0, 0, 1.0), ...])
        //   X, y, w = D[:, :3], D[:, 3], D[:, 4]
        //   s = StandardScaler().fit(X, sample_weight=w)
        //   m = LogisticRegression(C=1, solver="newton-cholesky", tol=1e-12, max_iter=10000)
        //   m.fit(s.transform(X), y, sample_weight=w)
        //   beta = m.coef_[0] / s.scale_
        //   print(repr(m.intercept_[0] - beta @ s.mean_), [repr(b) for b in beta])
        //
        // (solver="lbfgs" with the same tol agrees to 1e-9.)
        let x: Vec<Vec<f64>> = DATA.iter().map(|r| vec![r.0, r.1, r.2]).collect();
        let y: Vec<bool> = DATA.iter().map(|r| r.3).collect();
        let w: Vec<f64> = DATA.iter().map(|r| r.4).collect();
        let m = fit(&x, &y, &w, 1.0);
        let intercept = -1.2865290890200969;
        let weights = [2.7657292585470548, -0.03677314159277741, 0.608547215565394];
        assert!((m.intercept - intercept).abs() < 1e-5, "{m:?}");
        for (a, b) in m.weights.iter().zip(weights) {
            assert!((a - b).abs() < 1e-5, "{m:?}");
        }
        // A weight of 2 is the row twice.
        let mut x2 = x.clone();
        let mut y2 = y.clone();
        let mut w2 = w.clone();
        for i in (0..DATA.len()).filter(|&i| w[i] == 2.0) {
            w2[i] = 1.0;
            x2.push(x[i].clone());
            y2.push(y[i]);
            w2.push(1.0);
        }
        let m2 = fit(&x2, &y2, &w2, 1.0);
        assert!((m2.intercept - m.intercept).abs() < 1e-9);
        for (a, b) in m2.weights.iter().zip(&m.weights) {
            assert!((a - b).abs() < 1e-9);
        }
    }

    #[test]
    fn constant_column_gets_no_weight() {
        let x: Vec<Vec<f64>> = DATA.iter().map(|r| vec![r.0, 0.1, r.2]).collect();
        let y: Vec<bool> = DATA.iter().map(|r| r.3).collect();
        let w: Vec<f64> = DATA.iter().map(|r| r.4).collect();
        let m = fit(&x, &y, &w, 1.0);
        assert!(
            m.weights[1].abs() < 1e-12 && m.intercept.is_finite(),
            "{m:?}"
        );
    }

    #[test]
    #[should_panic(expected = "both classes")]
    fn fit_needs_both_classes() {
        fit(&[vec![1.0], vec![2.0]], &[true, true], &[1.0, 1.0], 1.0);
    }

    #[test]
    fn fnv_reference_values() {
        assert_eq!(fnv1a64(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn folds_are_deterministic_and_spread() {
        let mut names: Vec<String> = (0..23).map(|i| format!("tico:{}", 1000 + i)).collect();
        names.extend((0..5).map(|i| format!("ecb:{i}")));
        names.extend(["indep:kashmir", "indep:flood", "seed", "click:abc"].map(String::from));
        let groups: Vec<&str> = names.iter().map(String::as_str).collect();
        let k = 5;
        let folds = assign_folds(&groups, k);
        assert_eq!(folds, assign_folds(&groups, k));
        assert!(folds.iter().all(|&f| f < k));
        // A family of ≥ k groups reaches every fold, as evenly as dealing allows.
        for (fam, size) in [("tico", 23), ("ecb", 5)] {
            let mut per_fold = vec![0; k];
            for (g, f) in groups.iter().zip(&folds) {
                if family(g) == fam {
                    per_fold[*f] += 1;
                }
            }
            assert!(
                per_fold.iter().all(|&c| c == size / k || c == size / k + 1),
                "{per_fold:?}"
            );
        }
        // The order of the input (and repeats) do not change a group's fold.
        let by_name: HashMap<&str, usize> =
            groups.iter().copied().zip(folds.iter().copied()).collect();
        let mut shuffled = groups.clone();
        shuffled.reverse();
        shuffled.swap(3, 17);
        shuffled.push("tico:1004");
        shuffled.push("seed");
        let again = assign_folds(&shuffled, k);
        for (g, f) in shuffled.iter().zip(again) {
            assert_eq!(by_name[g], f, "{g}");
        }
        // A family's groups do not depend on other families.
        let alone: Vec<&str> = groups
            .iter()
            .copied()
            .filter(|g| family(g) == "ecb")
            .collect();
        for (g, f) in alone.iter().zip(assign_folds(&alone, k)) {
            assert_eq!(by_name[g], f);
        }
        // Pinned (checked against a Python FNV-1a): "ecb" deals from fold fnv("ecb") % 3 = 0,
        // in hash order ecb:1, ecb:0, ecb:2 → folds 0, 1, 2; "seed" and "x" are families of
        // one, at fnv("seed") % 3 = 1 and fnv("x") % 3 = 2.
        assert_eq!(
            assign_folds(&["ecb:0", "ecb:1", "ecb:2", "seed", "x"], 3),
            [1, 0, 2, 1, 2]
        );
    }

    #[test]
    fn fold_plan_never_fits_on_a_scored_fold() {
        let k = 4;
        let mut rows = Vec::new();
        for a in 0..k {
            for b in 0..k {
                for j in 0..3 {
                    rows.push(Row {
                        x: vec![j as f64],
                        y: j % 2 == 0,
                        weight: 1.0,
                        folds: [a, b],
                    });
                }
            }
        }
        let score_only: Vec<bool> = (0..rows.len()).map(|i| i % 7 == 0).collect();
        let plan = fold_plan(&rows, k, &score_only);
        assert_eq!(plan.len(), k + k * (k - 1) / 2);
        let mut scored = vec![0; rows.len()];
        for fit in &plan {
            let held = fit.held_out;
            assert!(held[0] <= held[1]);
            for &i in &fit.scored {
                scored[i] += 1;
                let mut f = rows[i].folds;
                f.sort();
                assert_eq!(f, held);
            }
            assert!(!fit.train.is_empty());
            for &i in &fit.train {
                assert!(!score_only[i]);
                assert!(
                    !rows[i].folds.iter().any(|f| held.contains(f)),
                    "{held:?} fitted on {i}"
                );
            }
            // Every other row that touches no held-out fold is fitted on.
            let expected = (0..rows.len())
                .filter(|&i| !score_only[i] && !rows[i].folds.iter().any(|f| held.contains(f)))
                .count();
            assert_eq!(fit.train.len(), expected);
        }
        assert!(scored.iter().all(|&c| c == 1));
    }

    #[test]
    fn out_of_fold_never_sees_the_group() {
        // Ten topics; in "t:odd" the label follows −x, in the others +x. The second and third
        // features mark the odd topic, so a model that saw it can learn its reversal.
        let names: Vec<String> = (0..10).map(|i| format!("t:{i}")).collect();
        let odd = "t:3";
        let groups: Vec<&str> = names.iter().map(String::as_str).collect();
        let k = 5;
        let fold: HashMap<&str, usize> = groups
            .iter()
            .copied()
            .zip(assign_folds(&groups, k))
            .collect();
        let mut rng = Rng::new(7);
        let mut rows = Vec::new();
        let mut in_odd = Vec::new();
        for g in &groups {
            for _ in 0..80 {
                let v = normal(&mut rng);
                let mark = if *g == odd { 1.0 } else { 0.0 };
                let sign = if *g == odd { -1.0 } else { 1.0 };
                in_odd.push(*g == odd);
                rows.push(Row {
                    x: vec![v, mark, v * mark],
                    y: unit(&mut rng) < sigmoid(6.0 * sign * v),
                    weight: 1.0,
                    folds: [fold[g], fold[g]],
                });
            }
        }
        // Pairs across topics (not the odd one): negatives.
        for i in 0..60 {
            let (a, b) = (groups[i % 10], groups[(i * 3 + 1) % 10]);
            if a == odd || b == odd || a == b {
                continue;
            }
            in_odd.push(false);
            rows.push(Row {
                x: vec![normal(&mut rng) - 2.0, 0.0, 0.0],
                y: false,
                weight: 0.5,
                folds: [fold[a], fold[b]],
            });
        }
        let accuracy = |p: &[f64]| {
            let (mut right, mut n) = (0, 0);
            for (i, r) in rows.iter().enumerate().filter(|(i, _)| in_odd[*i]) {
                n += 1;
                right += usize::from((p[i] >= 0.5) == r.y);
            }
            right as f64 / n as f64
        };
        // Fitted on everything, the odd topic is predicted well…
        let x: Vec<Vec<f64>> = rows.iter().map(|r| r.x.clone()).collect();
        let y: Vec<bool> = rows.iter().map(|r| r.y).collect();
        let w: Vec<f64> = rows.iter().map(|r| r.weight).collect();
        let all = fit(&x, &y, &w, 1.0);
        let seen: Vec<f64> = rows.iter().map(|r| all.probability(&r.x)).collect();
        assert!(accuracy(&seen) > 0.75, "in-sample {}", accuracy(&seen));
        // …out of fold, never: its models did not see it.
        let p = out_of_fold(&rows, k, 1.0, &[]);
        assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
        assert!(accuracy(&p) < 0.25, "out of fold {}", accuracy(&p));
        // The other topics are predicted well out of fold.
        let others = rows
            .iter()
            .enumerate()
            .filter(|(i, _)| !in_odd[*i])
            .filter(|(i, r)| (p[*i] >= 0.5) == r.y)
            .count() as f64
            / in_odd.iter().filter(|v| !**v).count() as f64;
        assert!(others > 0.75, "others {others}");
        // Deterministic; score-only rows are scored but change no fit.
        assert_eq!(p, out_of_fold(&rows, k, 1.0, &[]));
        let mut only = vec![false; rows.len()];
        let mut more = rows.clone();
        for _ in 0..20 {
            more.push(Row {
                x: vec![5.0, 0.0, 0.0],
                y: false,
                weight: 100.0,
                folds: [0, 1],
            });
            only.push(true);
        }
        let q = out_of_fold(&more, k, 1.0, &only);
        assert_eq!(&q[..rows.len()], &p[..]);
        assert!(q[rows.len()] > 0.9);
    }

    #[test]
    fn reliability_bins() {
        let p = [0.0, 0.05, 0.1, 0.15, 0.55, 0.95, 1.0];
        let y = [false, false, true, false, true, true, false];
        let bins = reliability(&p, &y);
        assert_eq!(bins.len(), 10);
        for (i, b) in bins.iter().enumerate() {
            assert_eq!((b.lo, b.hi), (i as f64 / 10.0, (i + 1) as f64 / 10.0));
        }
        let counts: Vec<usize> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, [2, 2, 0, 0, 0, 1, 0, 0, 0, 2]);
        assert!((bins[0].mean_p - 0.025).abs() < 1e-15 && bins[0].observed == 0.0);
        assert!((bins[1].mean_p - 0.125).abs() < 1e-15 && bins[1].observed == 0.5);
        assert_eq!((bins[2].mean_p, bins[2].observed), (0.0, 0.0));
        assert_eq!((bins[5].mean_p, bins[5].observed), (0.55, 1.0));
        assert!((bins[9].mean_p - 0.975).abs() < 1e-15 && bins[9].observed == 0.5);
        // A bin's lower bound is in it: 0.3 and 0.7 as written, not one ulp off.
        let b = reliability(&[0.3, 0.7, 0.2], &[true, true, true]);
        assert_eq!((b[3].count, b[7].count, b[2].count), (1, 1, 1));
        assert!(reliability(&[], &[]).iter().all(|b| b.count == 0));
    }

    #[test]
    fn threshold_for_a_precision() {
        let p = [0.9, 0.8, 0.8, 0.7, 0.6, 0.3];
        let y = [true, true, false, true, false, true];
        // Down the thresholds: 0.9 → 1/1, 0.8 → 2/3, 0.7 → 3/4, 0.6 → 3/5, 0.3 → 4/6.
        assert_eq!(threshold_for_precision(&p, &y, 1.0), Some((0.9, 1.0, 0.25)));
        assert_eq!(
            threshold_for_precision(&p, &y, 0.75),
            Some((0.7, 0.75, 0.75))
        );
        assert_eq!(
            threshold_for_precision(&p, &y, 0.7),
            Some((0.7, 0.75, 0.75))
        );
        // The lowest threshold, though precision dips above it.
        assert_eq!(
            threshold_for_precision(&p, &y, 0.65),
            Some((0.3, 4.0 / 6.0, 1.0))
        );
        assert_eq!(
            threshold_for_precision(&p, &y, 0.0),
            Some((0.3, 4.0 / 6.0, 1.0))
        );
        assert_eq!(threshold_for_precision(&p, &y, 1.01), None);
        assert_eq!(threshold_for_precision(&p, &[false; 6], 0.5), None);
        // Order of the rows does not matter.
        let (pr, yr): (Vec<f64>, Vec<bool>) = p.iter().zip(y).rev().map(|(a, b)| (*a, b)).unzip();
        assert_eq!(
            threshold_for_precision(&pr, &yr, 0.75),
            Some((0.7, 0.75, 0.75))
        );
    }

    #[test]
    fn bootstrap_interval() {
        // One found and one missed gold item: a resample is both found (F1 1, prob. ¼), one
        // of each (F1 2/3, ½) or both missed (F1 0, ¼).
        let items = [(true, true), (true, false)];
        assert_eq!(bootstrap_f1(&items, 4000, 0.9, 1), (0.0, 1.0));
        let (lo, hi) = bootstrap_f1(&items, 4000, 0.2, 1);
        assert!((lo - 2.0 / 3.0).abs() < 1e-12 && (hi - 2.0 / 3.0).abs() < 1e-12);
        // Degenerate: everything right, everything wrong, nothing.
        assert_eq!(bootstrap_f1(&[(true, true); 5], 100, 0.9, 3), (1.0, 1.0));
        assert_eq!(
            bootstrap_f1(&[(true, false), (false, true)], 100, 0.9, 3),
            (0.0, 0.0)
        );
        assert_eq!(bootstrap_f1(&[], 10, 0.9, 3), (0.0, 0.0));
        // Seeded: the same interval again; it holds the point estimate.
        let mixed: Vec<(bool, bool)> = (0..50).map(|i| (i % 3 != 0, i % 4 != 0)).collect();
        let a = bootstrap_f1(&mixed, 500, 0.9, 11);
        assert_eq!(a, bootstrap_f1(&mixed, 500, 0.9, 11));
        let tp = mixed.iter().filter(|v| v.0 && v.1).count();
        let fp = mixed.iter().filter(|v| !v.0 && v.1).count();
        let fn_ = mixed.iter().filter(|v| v.0 && !v.1).count();
        let point = f1(tp, fp, fn_);
        assert!(a.0 < point && point < a.1, "{a:?} {point}");
        assert_eq!(quantile(&[0.0, 1.0, 2.0, 3.0, 4.0], 0.05), 0.2);
        assert_eq!(quantile(&[0.0, 1.0, 2.0, 3.0, 4.0], 1.0), 4.0);
    }

    #[test]
    fn weights_text() {
        let m = Logistic {
            intercept: -1.2865290890200969,
            weights: vec![0.1, -3.5e-7, 2.0],
        };
        let mut out = Vec::new();
        let comments = vec!["fitted on dev".to_string(), "c = 1\n\nfolds: 5".to_string()];
        write_weights(
            &mut out,
            &comments,
            &["jaccard", "date_gap", "same_lang"],
            &m,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "# fitted on dev\n# c = 1\n#\n# folds: 5\nintercept\t-1.2865290890200969\n\
             jaccard\t0.1\ndate_gap\t-0.00000035\nsame_lang\t2\n"
        );
        // Every value reads back exactly.
        let values: Vec<f64> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').nth(1).unwrap().parse().unwrap())
            .collect();
        assert_eq!(values[0], m.intercept);
        assert_eq!(&values[1..], &m.weights[..]);
        let bad = |names: &[&str], m: &Logistic| {
            let mut out = Vec::new();
            let e = write_weights(&mut out, &[], names, m).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
            assert!(out.is_empty());
        };
        bad(&["a", "b"], &m);
        bad(&["a", "a", "b"], &m);
        bad(&["a", "intercept", "b"], &m);
        bad(&["a", "b\tc", "d"], &m);
        bad(
            &["a", "b", "c"],
            &Logistic {
                intercept: f64::NAN,
                weights: vec![0.0; 3],
            },
        );
    }
}
