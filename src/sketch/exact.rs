//! The exact oracle: set and multiset similarities computed from the features themselves.
//!
//! MinHash estimates are tested against these functions, and a detector can use them to verify
//! a candidate pair exactly when both feature sets are at hand.
//!
//! Conventions shared with the sketches: inputs are sets (order and repeats ignored, except
//! that [`weighted_jaccard`] sums the weights of a repeated key), and any similarity involving
//! an empty set is 0 — including `jaccard(∅, ∅)`: an empty document is a duplicate of nothing.

/// A sorted, deduplicated copy of `features`.
fn sorted_set(features: &[u64]) -> Vec<u64> {
    let mut v = features.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Whether `s` is strictly increasing (sorted and free of repeats).
fn is_strictly_increasing(s: &[u64]) -> bool {
    s.windows(2).all(|w| w[0] < w[1])
}

/// The exact Jaccard similarity `|A ∩ B| / |A ∪ B|` of two feature sets.
///
/// Order and repeats are ignored (both inputs are sorted and deduplicated in copies). If either
/// set is empty the similarity is 0.
///
/// ```
/// use lintas::exact;
/// assert_eq!(exact::jaccard(&[1, 2, 3], &[3, 2, 4, 4]), 0.5);
/// assert_eq!(exact::jaccard(&[], &[]), 0.0);
/// ```
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    jaccard_sorted(&sorted_set(a), &sorted_set(b))
}

/// The exact containment `|A ∩ B| / |A|` of `a` in `b`; 0 when `a` is empty.
///
/// Order and repeats are ignored.
///
/// ```
/// use lintas::exact;
/// assert_eq!(exact::containment(&[1, 2], &[1, 2, 3, 4]), 1.0);
/// assert_eq!(exact::containment(&[1, 2, 3, 4], &[1, 2]), 0.5);
/// ```
pub fn containment(a: &[u64], b: &[u64]) -> f64 {
    containment_sorted(&sorted_set(a), &sorted_set(b))
}

/// The exact weighted (multiset) Jaccard similarity `Σ min(wᴬ, wᴮ) / Σ max(wᴬ, wᴮ)` over the
/// union of keys; a key missing from one side has weight 0 there.
///
/// The weights of a repeated key are summed. Negative, NaN and infinite weights count as 0.
/// If the sum of maxima is 0 (both sides empty or all-zero) the similarity is 0.
///
/// ```
/// use lintas::exact;
/// let a = [(1, 2.0), (2, 1.0)];
/// let b = [(1, 1.0), (3, 1.0)];
/// assert_eq!(exact::weighted_jaccard(&a, &b), 1.0 / 4.0);
/// ```
pub fn weighted_jaccard(a: &[(u64, f64)], b: &[(u64, f64)]) -> f64 {
    fn merged(v: &[(u64, f64)]) -> Vec<(u64, f64)> {
        let mut s: Vec<(u64, f64)> = v
            .iter()
            .map(|&(k, w)| (k, if w.is_finite() && w > 0.0 { w } else { 0.0 }))
            .collect();
        s.sort_unstable_by_key(|&(k, _)| k);
        let mut out: Vec<(u64, f64)> = Vec::with_capacity(s.len());
        for (k, w) in s {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 += w,
                _ => out.push((k, w)),
            }
        }
        out
    }
    let (a, b) = (merged(a), merged(b));
    let (mut i, mut j) = (0, 0);
    let (mut sum_min, mut sum_max) = (0.0f64, 0.0f64);
    while i < a.len() && j < b.len() {
        let ((ka, wa), (kb, wb)) = (a[i], b[j]);
        match ka.cmp(&kb) {
            std::cmp::Ordering::Less => {
                sum_max += wa;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                sum_max += wb;
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                sum_min += wa.min(wb);
                sum_max += wa.max(wb);
                i += 1;
                j += 1;
            }
        }
    }
    sum_max += a[i..].iter().map(|&(_, w)| w).sum::<f64>();
    sum_max += b[j..].iter().map(|&(_, w)| w).sum::<f64>();
    if sum_max > 0.0 && sum_max.is_finite() {
        sum_min / sum_max
    } else {
        0.0
    }
}

/// The size of the intersection of two **sorted, deduplicated** slices, by a linear merge.
///
/// Precondition: both slices are strictly increasing. It is checked in debug builds only; in
/// release builds an unsorted input gives a meaningless (but not unsafe) count.
///
/// # Panics
///
/// In debug builds, if either slice is not strictly increasing.
///
/// ```
/// use lintas::exact::intersection_size_sorted;
/// assert_eq!(intersection_size_sorted(&[1, 3, 5, 7], &[3, 4, 5]), 2);
/// ```
pub fn intersection_size_sorted(a: &[u64], b: &[u64]) -> usize {
    debug_assert!(
        is_strictly_increasing(a),
        "`a` must be sorted and deduplicated"
    );
    debug_assert!(
        is_strictly_increasing(b),
        "`b` must be sorted and deduplicated"
    );
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// [`jaccard`] of two **sorted, deduplicated** slices, without copying.
///
/// # Panics
///
/// In debug builds, if either slice is not strictly increasing (see
/// [`intersection_size_sorted`]).
///
/// ```
/// use lintas::exact::jaccard_sorted;
/// assert_eq!(jaccard_sorted(&[1, 2, 3], &[2, 3, 4]), 0.5);
/// ```
pub fn jaccard_sorted(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = intersection_size_sorted(a, b);
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// [`containment`] of `a` in `b` for **sorted, deduplicated** slices, without copying.
///
/// # Panics
///
/// In debug builds, if either slice is not strictly increasing (see
/// [`intersection_size_sorted`]).
///
/// ```
/// use lintas::exact::containment_sorted;
/// assert_eq!(containment_sorted(&[1, 2], &[2, 3]), 0.5);
/// ```
pub fn containment_sorted(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    intersection_size_sorted(a, b) as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_handles_bad_weights_and_repeats() {
        assert_eq!(weighted_jaccard(&[(1, f64::NAN)], &[(1, 1.0)]), 0.0);
        assert_eq!(weighted_jaccard(&[(1, 1.0), (1, 1.0)], &[(1, 2.0)]), 1.0);
        assert_eq!(weighted_jaccard(&[], &[]), 0.0);
    }

    #[test]
    fn set_functions() {
        assert_eq!(jaccard(&[1, 1, 1], &[1]), 1.0);
        assert_eq!(jaccard(&[1], &[]), 0.0);
        assert_eq!(containment(&[], &[1]), 0.0);
        assert_eq!(jaccard(&[1, 2], &[3, 4]), 0.0);
    }
}
