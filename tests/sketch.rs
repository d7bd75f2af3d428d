//! The similarity core against its oracle: MinHash estimates against exact Jaccard, the LSH
//! candidate rate against the S-curve, the binary format against malformed input, and the
//! index against a brute-force model.

use lintas::sketch::Construction;
use lintas::sketch::{DEFAULT_SEED, MAX_WEIGHT};
use lintas::{exact, Error, LshIndex, LshParams, MinHasher, Signature};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------- helpers

/// SplitMix64: a tiny deterministic generator (and a bijection on `u64`, so distinct counters
/// give distinct features).
struct Rng(u64);

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(1);
        splitmix(self.0 ^ 0x5555_5555_0000_0000)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, lo: usize, hi_inclusive: usize) -> usize {
        lo + self.below(hi_inclusive - lo + 1)
    }

    /// `n` features never returned before by this generator.
    fn fresh(&mut self, n: usize) -> Vec<u64> {
        (0..n).map(|_| self.next()).collect()
    }
}

/// Two sets with `|A| = na`, `|B| = nb` sharing exactly `shared` features.
fn pair(rng: &mut Rng, na: usize, nb: usize, shared: usize) -> (Vec<u64>, Vec<u64>) {
    let common = rng.fresh(shared);
    let mut a = common.clone();
    a.extend(rng.fresh(na - shared));
    let mut b = common;
    b.extend(rng.fresh(nb - shared));
    (a, b)
}

/// A pair with random sizes in 20..=2000 and an overlap aimed at Jaccard `target`.
fn pair_near(rng: &mut Rng, target: f64) -> (Vec<u64>, Vec<u64>) {
    let na = rng.range(20, 2000);
    let nb = rng.range(20, 2000);
    let shared = (target * (na + nb) as f64 / (1.0 + target)).round() as usize;
    pair(rng, na, nb, shared.min(na).min(nb))
}

/// The documented per-pair error bound: 2.5 standard errors plus 0.02 of slack.
fn bound(j: f64, k: usize) -> f64 {
    2.5 * (j * (1.0 - j) / k as f64).sqrt() + 0.02
}

fn shuffled(v: &[u64], rng: &mut Rng) -> Vec<u64> {
    let mut v = v.to_vec();
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
    v
}

fn hasher(k: usize) -> MinHasher {
    MinHasher::builder().num_hashes(k).build().unwrap()
}

// ---------------------------------------------------------------- accuracy against the oracle

#[test]
fn oph_and_naive_estimates_are_within_bounds_and_equally_accurate() {
    const PAIRS: usize = 120;
    let k = 128;
    let h = hasher(k);
    let mut rng = Rng(1);
    let (mut ok_oph, mut ok_naive) = (0, 0);
    let (mut se_oph, mut se_naive) = (0.0, 0.0);
    for i in 0..PAIRS {
        let target = i as f64 / (PAIRS - 1) as f64; // 0 ..= 1
        let (a, b) = pair_near(&mut rng, target);
        let exact = exact::jaccard(&a, &b);
        let oph = h.sketch(&a).jaccard(&h.sketch(&b)).unwrap().value;
        let naive = h
            .sketch_naive_khash(&a)
            .jaccard(&h.sketch_naive_khash(&b))
            .unwrap()
            .value;
        ok_oph += usize::from((oph - exact).abs() <= bound(exact, k));
        ok_naive += usize::from((naive - exact).abs() <= bound(exact, k));
        se_oph += (oph - exact).powi(2);
        se_naive += (naive - exact).powi(2);
    }
    let (frac_oph, frac_naive) = (ok_oph as f64 / PAIRS as f64, ok_naive as f64 / PAIRS as f64);
    let (rmse_oph, rmse_naive) = (
        (se_oph / PAIRS as f64).sqrt(),
        (se_naive / PAIRS as f64).sqrt(),
    );
    assert!(frac_oph >= 0.95, "one-permutation within bound: {frac_oph}");
    assert!(frac_naive >= 0.95, "k-hash within bound: {frac_naive}");
    // Same accuracy: the RMSE of 120 pairs fluctuates by about ±10%, hence the 25% margin.
    assert!(
        rmse_oph <= 1.25 * rmse_naive + 0.002,
        "rmse one-permutation {rmse_oph} vs k-hash {rmse_naive}"
    );
}

#[test]
fn small_sets_are_densified_accurately() {
    // Sets smaller than k leave most bins empty before densification.
    let k = 256;
    let h = hasher(k);
    let mut rng = Rng(2);
    let mut ok = 0;
    const PAIRS: usize = 100;
    for _ in 0..PAIRS {
        let na = rng.range(10, 60);
        let shared = rng.range(0, na);
        let (a, b) = pair(&mut rng, na, na, shared);
        let exact = exact::jaccard(&a, &b);
        let est = h.sketch(&a).jaccard(&h.sketch(&b)).unwrap().value;
        ok += usize::from((est - exact).abs() <= bound(exact, k));
    }
    assert!(ok as f64 / PAIRS as f64 >= 0.95, "{ok} of {PAIRS}");
}

#[test]
fn interval_covers_the_exact_value() {
    let h = MinHasher::new();
    let mut rng = Rng(3);
    let mut covered = 0;
    const PAIRS: usize = 100;
    for i in 0..PAIRS {
        let (a, b) = pair_near(&mut rng, (i % 10) as f64 / 10.0 + 0.05);
        let exact = exact::jaccard(&a, &b);
        let est = h.sketch(&a).jaccard(&h.sketch(&b)).unwrap();
        assert!(est.lower <= est.value && est.value <= est.upper);
        covered += usize::from(est.lower <= exact && exact <= est.upper);
    }
    // Nominal 95%; with 100 pairs anything at or above 88% is consistent with it.
    assert!(covered >= 88, "covered {covered} of {PAIRS}");
}

#[test]
fn weighted_sketch_estimates_weighted_jaccard() {
    let k = 128;
    let h = hasher(k);
    let mut rng = Rng(4);
    let mut ok = 0;
    const PAIRS: usize = 100;
    for i in 0..PAIRS {
        let n = rng.range(20, 200);
        let keys = rng.fresh(n);
        let overlap = i % 11; // 0..=10 tenths of the keys shared
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (j, &key) in keys.iter().enumerate() {
            let wa = rng.range(1, 20) as u32;
            let wb = rng.range(1, 20) as u32;
            if j * 10 < overlap * n {
                a.push((key, wa));
                b.push((key, wb));
            } else if j % 2 == 0 {
                a.push((key, wa));
            } else {
                b.push((key, wb));
            }
        }
        let to_f = |v: &[(u64, u32)]| -> Vec<(u64, f64)> {
            v.iter().map(|&(k, w)| (k, f64::from(w))).collect()
        };
        let exact = exact::weighted_jaccard(&to_f(&a), &to_f(&b));
        let est = h
            .sketch_weighted(&a)
            .jaccard(&h.sketch_weighted(&b))
            .unwrap()
            .value;
        ok += usize::from((est - exact).abs() <= bound(exact, k));
    }
    assert!(ok as f64 / PAIRS as f64 >= 0.95, "{ok} of {PAIRS}");
}

#[test]
fn weighted_repeats_are_summed_and_capped() {
    let h = MinHasher::new();
    let merged = h.sketch_weighted(&[(1, 5), (2, 3)]);
    let repeated = h.sketch_weighted(&[(2, 1), (1, 2), (2, 2), (1, 3)]);
    assert_eq!(merged, repeated);
    assert_eq!(merged.cardinality(), 8);
    let capped = h.sketch_weighted(&[(1, MAX_WEIGHT), (2, 1)]);
    assert_eq!(h.sketch_weighted(&[(1, u32::MAX), (2, 1)]), capped);
    assert!(h.sketch_weighted(&[(1, 0)]).is_empty());
    assert_eq!(h.sketch_weighted(&[(3, 1), (1, 1)]), h.sketch(&[1, 3]));
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn jaccard_is_symmetric(a in prop::collection::vec(0u64..500, 0..200),
                            b in prop::collection::vec(0u64..500, 0..200)) {
        let h = MinHasher::new();
        let (sa, sb) = (h.sketch(&a), h.sketch(&b));
        prop_assert_eq!(sa.jaccard(&sb).unwrap(), sb.jaccard(&sa).unwrap());
        prop_assert_eq!(exact::jaccard(&a, &b), exact::jaccard(&b, &a));
    }

    #[test]
    fn order_and_repeats_do_not_matter(a in prop::collection::vec(any::<u64>(), 1..300), seed in any::<u64>()) {
        let h = MinHasher::builder().seed(seed).build().unwrap();
        let mut rng = Rng(seed);
        let mut b = shuffled(&a, &mut rng);
        b.extend_from_slice(&a[..a.len() / 2]);
        let (sa, sb) = (h.sketch(&a), h.sketch(&b));
        prop_assert_eq!(&sa, &sb);
        prop_assert_eq!(h.sketch_naive_khash(&a), h.sketch_naive_khash(&b));
        prop_assert_eq!(sa.jaccard(&sb).unwrap().value, 1.0);
        let distinct: BTreeSet<u64> = a.iter().copied().collect();
        prop_assert_eq!(sa.cardinality(), distinct.len() as u64);
    }

    #[test]
    fn binary_round_trip(a in prop::collection::vec(any::<u64>(), 0..100),
                         k in 8usize..300, seed in any::<u64>(), naive in any::<bool>()) {
        let h = MinHasher::builder().num_hashes(k).seed(seed).build().unwrap();
        let sig = if naive { h.sketch_naive_khash(&a) } else { h.sketch(&a) };
        let bytes = sig.to_bytes();
        prop_assert_eq!(bytes.len(), 28 + 4 * sig.values().len());
        prop_assert_eq!(Signature::from_bytes(&bytes).unwrap(), sig);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = Signature::from_bytes(&bytes);
        let mut with_header = b"LNTS\x01\x01\x00\x01".to_vec();
        with_header.extend_from_slice(&bytes);
        let _ = Signature::from_bytes(&with_header);
    }

    #[test]
    fn estimates_are_ordered_and_in_range(a in prop::collection::vec(0u64..300, 0..150),
                                          b in prop::collection::vec(0u64..300, 0..150)) {
        let h = MinHasher::new();
        let (sa, sb) = (h.sketch(&a), h.sketch(&b));
        for e in [sa.jaccard(&sb).unwrap(), sa.containment(&sb).unwrap()] {
            prop_assert!(0.0 <= e.lower && e.lower <= e.value && e.value <= e.upper && e.upper <= 1.0, "{:?}", e);
            prop_assert!(e.std_error >= 0.0);
        }
    }

    #[test]
    fn exact_oracle_agrees_with_sets(a in prop::collection::vec(0u64..100, 0..80),
                                     b in prop::collection::vec(0u64..100, 0..80)) {
        let sa: BTreeSet<u64> = a.iter().copied().collect();
        let sb: BTreeSet<u64> = b.iter().copied().collect();
        let inter = sa.intersection(&sb).count();
        let union = sa.union(&sb).count();
        let expected = if sa.is_empty() || sb.is_empty() { 0.0 } else { inter as f64 / union as f64 };
        prop_assert_eq!(exact::jaccard(&a, &b), expected);
        let va: Vec<u64> = sa.iter().copied().collect();
        let vb: Vec<u64> = sb.iter().copied().collect();
        prop_assert_eq!(exact::intersection_size_sorted(&va, &vb), inter);
        prop_assert_eq!(exact::jaccard_sorted(&va, &vb), expected);
        let c = if sa.is_empty() { 0.0 } else { inter as f64 / sa.len() as f64 };
        prop_assert_eq!(exact::containment(&a, &b), c);
        prop_assert_eq!(exact::containment_sorted(&va, &vb), c);
        // Weighted Jaccard with unit weights is the set Jaccard.
        let wa: Vec<(u64, f64)> = va.iter().map(|&k| (k, 1.0)).collect();
        let wb: Vec<(u64, f64)> = vb.iter().map(|&k| (k, 1.0)).collect();
        prop_assert!((exact::weighted_jaccard(&wa, &wb) - expected).abs() < 1e-12);
    }
}

// ---------------------------------------------------------------- fixed cases

#[test]
fn identical_disjoint_and_empty() {
    let h = MinHasher::new();
    let mut rng = Rng(5);
    let a = rng.fresh(500);
    let b = rng.fresh(500);
    let sa = h.sketch(&a);
    assert_eq!(sa.jaccard(&h.sketch(&a)).unwrap().value, 1.0);
    assert!(sa.jaccard(&h.sketch(&b)).unwrap().value < 0.02);

    let empty = h.sketch(&[]);
    assert!(empty.is_empty());
    assert_eq!(empty.len(), 0);
    assert!(empty.values().is_empty());
    assert_eq!(empty.num_hashes(), 128);
    let zero = empty.jaccard(&empty).unwrap();
    assert_eq!(
        (zero.value, zero.lower, zero.upper, zero.std_error),
        (0.0, 0.0, 0.0, 0.0)
    );
    assert_eq!(empty.jaccard(&sa).unwrap().value, 0.0);
    assert_eq!(sa.jaccard(&empty).unwrap().value, 0.0);
    assert_eq!(sa.containment(&empty).unwrap().value, 0.0);
    assert_eq!(empty.containment(&sa).unwrap().value, 0.0);
    assert!(h.sketch_naive_khash(&[]).is_empty());
    assert_eq!(exact::jaccard(&[], &[]), 0.0);
    assert_eq!(exact::containment(&[], &[]), 0.0);
}

#[test]
fn containment_of_subset_and_of_big_set_in_small_part() {
    let h = MinHasher::new();
    let mut rng = Rng(6);
    let big = rng.fresh(1000);
    let subset = big[..500].to_vec();
    let c = h.sketch(&subset).containment(&h.sketch(&big)).unwrap();
    assert!(c.value >= 0.85, "{c:?}");
    assert!(c.upper >= 0.99 && c.lower <= c.value);

    let huge = rng.fresh(3000);
    let part = huge[..300].to_vec();
    let c = h.sketch(&huge).containment(&h.sketch(&part)).unwrap();
    assert!((c.value - 0.1).abs() < 0.07, "{c:?}");
    assert!(c.lower <= 0.1 && 0.1 <= c.upper, "{c:?}");
    assert_eq!(exact::containment(&huge, &part), 0.1);
}

#[test]
fn builder_validates_and_reports_parameters() {
    let h = MinHasher::builder().num_hashes(64).seed(9).build().unwrap();
    assert_eq!((h.num_hashes(), h.seed()), (64, 9));
    assert_eq!(MinHasher::new().seed(), DEFAULT_SEED);
    for k in [0, 1, 7, 4097, usize::MAX] {
        match MinHasher::builder().num_hashes(k).build() {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "num_hashes"),
            other => panic!("num_hashes {k}: {other:?}"),
        }
    }
    let sig = h.sketch(&[1, 2, 3]);
    assert_eq!((sig.num_hashes(), sig.seed(), sig.scheme()), (64, 9, 1));
    assert_eq!(sig.construction(), Construction::OnePermutation);
}

fn incompatible_field(result: Result<impl std::fmt::Debug, Error>) -> &'static str {
    match result {
        Err(Error::IncompatibleSignatures { field, .. }) => field,
        other => panic!("expected IncompatibleSignatures, got {other:?}"),
    }
}

#[test]
fn incompatible_signatures_are_errors() {
    let features = [1u64, 2, 3, 4, 5];
    let base = MinHasher::new().sketch(&features);
    let other_seed = MinHasher::builder()
        .seed(1)
        .build()
        .unwrap()
        .sketch(&features);
    let other_k = hasher(256).sketch(&features);
    let naive = MinHasher::new().sketch_naive_khash(&features);
    for (other, field) in [
        (&other_seed, "seed"),
        (&other_k, "num_hashes"),
        (&naive, "construction"),
    ] {
        assert_eq!(incompatible_field(base.jaccard(other)), field);
        assert_eq!(incompatible_field(base.containment(other)), field);
        assert_eq!(incompatible_field(base.check_compatible(other)), field);

        let mut index = LshIndex::new(LshParams::from_threshold(0.5, 128).unwrap());
        index.insert(0u32, base.clone()).unwrap();
        assert_eq!(incompatible_field(index.insert(1, other.clone())), field);
        assert_eq!(incompatible_field(index.query(other)), field);
        assert_eq!(incompatible_field(index.top_k(other, 5, 0.0)), field);
        assert_eq!(index.len(), 1);
    }
    // Empty signatures are still checked.
    let empty_other = MinHasher::builder().seed(1).build().unwrap().sketch(&[]);
    assert_eq!(incompatible_field(base.jaccard(&empty_other)), "seed");
}

// ---------------------------------------------------------------- binary format

fn valid_bytes() -> (Signature, Vec<u8>) {
    let sig = MinHasher::new().sketch(&[10, 20, 30, 40]);
    let bytes = sig.to_bytes();
    (sig, bytes)
}

fn assert_malformed(bytes: &[u8], why: &str) {
    match Signature::from_bytes(bytes) {
        Err(Error::Malformed { what, .. }) => assert_eq!(what, "signature"),
        other => panic!("{why}: expected Malformed, got {other:?}"),
    }
}

#[test]
fn binary_round_trip_fixed_cases() {
    let (sig, bytes) = valid_bytes();
    assert_eq!(Signature::from_bytes(&bytes).unwrap(), sig);
    let empty = MinHasher::new().sketch(&[]);
    let eb = empty.to_bytes();
    assert_eq!(eb.len(), 28);
    assert_eq!(Signature::from_bytes(&eb).unwrap(), empty);
    let naive = MinHasher::new().sketch_naive_khash(&[1, 2]);
    let back = Signature::from_bytes(&naive.to_bytes()).unwrap();
    assert_eq!(back.construction(), Construction::KHash);
    assert_eq!(back, naive);
}

#[test]
fn malformed_bytes_are_rejected() {
    let (_, bytes) = valid_bytes();
    let patched = |at: usize, new: &[u8]| {
        let mut b = bytes.clone();
        b[at..at + new.len()].copy_from_slice(new);
        b
    };
    assert_malformed(&patched(0, b"LNTZ"), "wrong magic");
    assert_malformed(&patched(4, &[2]), "unknown format version");
    assert_malformed(&patched(4, &[0]), "format version 0");
    assert_malformed(&patched(5, &2u16.to_le_bytes()), "unknown scheme");
    assert_malformed(&patched(7, &[0]), "construction 0");
    assert_malformed(&patched(7, &[9]), "construction 9");
    assert_malformed(&patched(8, &0u32.to_le_bytes()), "num_hashes 0");
    assert_malformed(&patched(8, &5000u32.to_le_bytes()), "num_hashes too large");
    assert_malformed(
        &patched(8, &64u32.to_le_bytes()),
        "num_hashes disagrees with values",
    );
    assert_malformed(
        &patched(20, &0u64.to_le_bytes()),
        "empty signature with values",
    );
    for len in 0..bytes.len() {
        assert_malformed(&bytes[..len], "truncated");
    }
    let mut extra = bytes.clone();
    extra.extend_from_slice(&[0, 0, 0, 0]);
    assert_malformed(&extra, "extra value");
    let mut odd = bytes.clone();
    odd.push(0);
    assert_malformed(&odd, "extra byte");
    // num_hashes 0 on an empty signature (header only) is rejected too.
    let empty = MinHasher::new().sketch(&[]).to_bytes();
    let mut zero_k = empty.clone();
    zero_k[8..12].copy_from_slice(&0u32.to_le_bytes());
    assert_malformed(&zero_k, "num_hashes 0, empty");
    let mut empty_extra = empty;
    empty_extra.extend_from_slice(&[1, 2, 3, 4]);
    assert_malformed(&empty_extra, "empty signature with trailing bytes");
}

// ---------------------------------------------------------------- LSH parameters

#[test]
fn from_threshold_picks_sensible_params() {
    let p = LshParams::from_threshold(0.5, 128).unwrap();
    assert!(p.hashes_used() <= 128);
    assert_eq!(p.hashes_used(), p.bands() * p.rows());
    assert!(p.probability(0.5) > 0.5, "{p:?}");
    assert!(
        p.probability(0.3) < 0.5 && p.probability(0.3) < 0.1,
        "{p:?}"
    );
    assert!(p.probability(0.7) > 0.95, "{p:?}");
    for t in [0.2, 0.4, 0.6, 0.8, 0.9] {
        let p = LshParams::from_threshold(t, 128).unwrap();
        assert!(p.hashes_used() <= 128);
        // The steep part of the S-curve sits around the threshold.
        assert!(
            p.probability(t - 0.15) < 0.5 && p.probability((t + 0.15).min(1.0)) > 0.5,
            "{t}: {p:?}"
        );
    }
    // A higher threshold needs more rows per band.
    let low = LshParams::from_threshold(0.3, 128).unwrap();
    let high = LshParams::from_threshold(0.8, 128).unwrap();
    assert!(high.rows() > low.rows());
    // Weighting false negatives more moves the curve left (more recall).
    let recall = LshParams::from_threshold_weighted(0.5, 128, 0.2, 0.8).unwrap();
    assert!(recall.probability(0.4) >= p.probability(0.4));
}

#[test]
fn lsh_params_validation() {
    assert!(LshParams::new(0, 4).is_err());
    assert!(LshParams::new(4, 0).is_err());
    assert!(LshParams::new(usize::MAX, 2).is_err());
    assert!(LshParams::new(64, 64).is_ok());
    assert!(LshParams::new(65, 64).is_err());
    for t in [-0.1, 1.1, f64::NAN] {
        assert!(LshParams::from_threshold(t, 128).is_err(), "{t}");
    }
    assert!(LshParams::from_threshold(0.5, 4).is_err());
    assert!(LshParams::from_threshold(0.5, 5000).is_err());
    assert!(LshParams::from_threshold_weighted(0.5, 128, -1.0, 0.5).is_err());
    assert!(LshParams::from_threshold_weighted(0.5, 128, 0.0, 0.0).is_err());
    assert!(LshParams::from_threshold_weighted(0.5, 128, f64::INFINITY, 0.5).is_err());
    assert!(LshParams::from_threshold(0.0, 8).is_ok());
    assert!(LshParams::from_threshold(1.0, 8).is_ok());
    let p = LshParams::new(20, 5).unwrap();
    assert_eq!(p.probability(-1.0), 0.0);
    assert_eq!(p.probability(2.0), 1.0);
}

#[test]
fn candidate_rate_tracks_the_s_curve() {
    // Pairs with an exact Jaccard s: a union of 300 features of which 300·s are shared.
    // Tolerance: 4 binomial standard errors of the observed rate (sampling; a false failure
    // has probability below 1e-4 per point) plus 0.03 for the model: the banded slots of one
    // signature are minima of disjoint parts of the same union, i.e. draws without
    // replacement, not the independent trials the S-curve assumes (the gap is below 1% here).
    const PAIRS: usize = 300;
    const UNION: usize = 300;
    let h = MinHasher::new();
    let params = LshParams::from_threshold(0.5, 128).unwrap();
    let mut rng = Rng(7);
    for s in [0.1, 0.3, 0.5, 0.7, 0.9] {
        let shared = (s * UNION as f64).round() as usize;
        let mut index = LshIndex::new(params);
        let mut queries = Vec::new();
        for i in 0..PAIRS {
            let only_a = rng.range(0, UNION - shared);
            let (a, b) = pair(&mut rng, shared + only_a, UNION - only_a, shared);
            assert!((exact::jaccard(&a, &b) - s).abs() < 1e-12);
            index.insert(i, h.sketch(&a)).unwrap();
            queries.push(h.sketch(&b));
        }
        let hits = queries
            .iter()
            .enumerate()
            .filter(|(i, q)| index.query(q).unwrap().contains(&i))
            .count();
        let rate = hits as f64 / PAIRS as f64;
        let p = params.probability(s);
        let tolerance = 4.0 * (p * (1.0 - p) / PAIRS as f64).sqrt() + 0.03;
        assert!(
            (rate - p).abs() <= tolerance,
            "s = {s}: candidate rate {rate}, S-curve {p}, tolerance {tolerance}"
        );
    }
}

// ---------------------------------------------------------------- LSH index

#[test]
fn index_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<LshIndex<String>>();
    assert_send_sync::<LshIndex<u64>>();
    assert_send_sync::<Signature>();
    assert_send_sync::<MinHasher>();
}

#[test]
fn index_insert_query_remove_top_k() {
    let h = MinHasher::new();
    let mut rng = Rng(8);
    let base = rng.fresh(300);
    let mut near = base.clone();
    near.truncate(270);
    near.extend(rng.fresh(30)); // Jaccard 270/330 ≈ 0.82
    let mut nearer = base.clone();
    nearer.truncate(290);
    nearer.extend(rng.fresh(10)); // ≈ 0.94
    let unrelated = rng.fresh(300);

    let mut index = LshIndex::new(LshParams::from_threshold(0.5, 128).unwrap());
    assert!(index.is_empty());
    assert!(index.query(&h.sketch(&base)).unwrap().is_empty());
    index.insert("near".to_string(), h.sketch(&near)).unwrap();
    index
        .insert("unrelated".to_string(), h.sketch(&unrelated))
        .unwrap();
    index
        .insert("nearer".to_string(), h.sketch(&nearer))
        .unwrap();
    index.insert("empty".to_string(), h.sketch(&[])).unwrap();
    assert_eq!(index.len(), 4);
    assert!(index.contains(&"near".to_string()));
    assert!(index.get(&"empty".to_string()).unwrap().is_empty());
    assert_eq!(index.iter().count(), 4);

    let q = h.sketch(&base);
    let mut cands: Vec<&String> = index.query(&q).unwrap();
    cands.sort();
    assert_eq!(cands, vec!["near", "nearer"]);

    let top = index.top_k(&q, 10, 0.0).unwrap();
    let names: Vec<&str> = top.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, vec!["nearer", "near"]);
    assert!(top[0].1 >= top[1].1);
    assert_eq!(index.top_k(&q, 1, 0.0).unwrap().len(), 1);
    assert!(index.top_k(&q, 0, 0.0).unwrap().is_empty());
    assert!(index.top_k(&q, 10, 1.01).unwrap().is_empty());
    assert!(index.top_k(&q, 10, f64::NAN).is_err());
    assert_eq!(index.top_k(&q, 10, top[1].1 + 1e-9).unwrap().len(), 1);

    // An empty signature is stored but never a candidate, and queries nothing.
    assert!(index.query(&h.sketch(&[])).unwrap().is_empty());

    // Removal.
    let removed = index.remove(&"nearer".to_string()).unwrap();
    assert_eq!(removed, h.sketch(&nearer));
    assert!(index.remove(&"nearer".to_string()).is_none());
    assert!(!index.contains(&"nearer".to_string()));
    assert_eq!(index.query(&q).unwrap(), vec!["near"]);
    assert_eq!(index.len(), 3);

    // Replacement: "near" now holds the unrelated set's signature.
    index
        .insert("near".to_string(), h.sketch(&unrelated))
        .unwrap();
    assert_eq!(index.len(), 3);
    assert!(index.query(&q).unwrap().is_empty());
    assert_eq!(index.get(&"near".to_string()), Some(&h.sketch(&unrelated)));
    let both = index.top_k(&h.sketch(&unrelated), 5, 0.99).unwrap();
    assert_eq!(
        both,
        vec![(&"unrelated".to_string(), 1.0), (&"near".to_string(), 1.0)]
    );
}

#[test]
fn index_rejects_short_signatures() {
    let mut index = LshIndex::new(LshParams::new(20, 5).unwrap());
    let short = hasher(64).sketch(&[1, 2, 3]);
    match index.insert(0u8, short.clone()) {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "num_hashes"),
        other => panic!("{other:?}"),
    }
    assert!(index.query(&short).is_err());
    assert!(index.is_empty());
}

#[test]
fn memory_grows_with_the_index() {
    let h = MinHasher::new();
    let mut rng = Rng(9);
    let mut index = LshIndex::new(LshParams::from_threshold(0.5, 128).unwrap());
    let empty_bytes = index.memory_bytes();
    for i in 0..500u64 {
        index.insert(i, h.sketch(&rng.fresh(50))).unwrap();
    }
    let per_doc = (index.memory_bytes() - empty_bytes) / index.len();
    // At least the 512 bytes of values per signature, and not absurdly more.
    assert!(
        (512..4096).contains(&per_doc),
        "{per_doc} bytes per document"
    );
}

#[derive(Debug, Clone)]
enum Op {
    Insert(u8, usize),
    Remove(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..24, 0usize..8).prop_map(|(k, s)| Op::Insert(k, s)),
        1 => (0u8..24).prop_map(Op::Remove),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// After any sequence of inserts and removals, `query` returns exactly the live keys that
    /// share a band with the query (checked by brute force), never a removed key.
    #[test]
    fn index_matches_brute_force_model(ops in prop::collection::vec(op(), 1..80)) {
        let h = hasher(16);
        let params = LshParams::new(8, 2).unwrap();
        // Eight small overlapping sets so that buckets are shared.
        let sets: Vec<Vec<u64>> = (0..8u64).map(|i| (i..i + 6).collect()).collect();
        let sigs: Vec<Signature> = sets.iter().map(|s| h.sketch(s)).collect();
        let mut index = LshIndex::new(params);
        let mut model: BTreeMap<u8, usize> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Insert(k, s) => {
                    index.insert(k, sigs[s].clone()).unwrap();
                    model.insert(k, s);
                }
                Op::Remove(k) => {
                    let got = index.remove(&k);
                    let expected = model.remove(&k);
                    prop_assert_eq!(got, expected.map(|s| sigs[s].clone()));
                }
            }
            prop_assert_eq!(index.len(), model.len());
        }
        let shares_band = |a: &Signature, b: &Signature| {
            (0..params.bands()).any(|band| {
                let r = band * params.rows()..(band + 1) * params.rows();
                a.values()[r.clone()] == b.values()[r]
            })
        };
        for q in &sigs {
            let mut got: Vec<u8> = index.query(q).unwrap().into_iter().copied().collect();
            got.sort_unstable();
            let expected: Vec<u8> = model
                .iter()
                .filter(|(_, &s)| shares_band(q, &sigs[s]))
                .map(|(&k, _)| k)
                .collect();
            prop_assert_eq!(got, expected);
            let top = index.top_k(q, 100, 0.0).unwrap();
            prop_assert!(top.windows(2).all(|w| w[0].1 >= w[1].1));
            for (k, score) in top {
                let est = q.jaccard(&sigs[model[k]]).unwrap().value;
                prop_assert_eq!(score, est);
            }
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trip_and_validation() {
    let sig = MinHasher::new().sketch(&[1, 2, 3]);
    let json = serde_json::to_string(&sig).unwrap();
    assert_eq!(serde_json::from_str::<Signature>(&json).unwrap(), sig);
    // Values that disagree with num_hashes are rejected.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["values"] = serde_json::json!([1, 2, 3]);
    assert!(serde_json::from_value::<Signature>(value).is_err());

    let params = LshParams::new(20, 5).unwrap();
    let json = serde_json::to_string(&params).unwrap();
    assert_eq!(serde_json::from_str::<LshParams>(&json).unwrap(), params);
    assert!(serde_json::from_str::<LshParams>(r#"{"bands":0,"rows":5}"#).is_err());
}
