//! Golden values that pin the hash scheme (`lintas::hash::SCHEME_VERSION` = 1) and the
//! signature format. If one of these changes, stored signatures of the old scheme no longer
//! compare with new ones: that is a new scheme version, not a test to update.

use lintas::hash::{densify_probe, feature_hash, permute, weighted_element, SCHEME_VERSION};
use lintas::sketch::DEFAULT_SEED;
use lintas::FeatureKind;
use lintas::{MinHasher, Signature};

#[test]
fn scheme_version() {
    assert_eq!(SCHEME_VERSION, 1);
    assert_eq!(DEFAULT_SEED, u64::from_le_bytes(*b"lintas-m"));
}

#[test]
fn feature_hash_is_pinned() {
    assert_eq!(
        feature_hash(FeatureKind::Anchor, "shanghai"),
        0x7d3a_adbc_4ee3_9d2a
    );
}

#[test]
fn permute_is_pinned() {
    assert_eq!(permute(42, DEFAULT_SEED), 0xd914_6163_9df0_4614);
}

#[test]
fn densify_probe_is_pinned() {
    assert_eq!(densify_probe(3, 0, DEFAULT_SEED), 0x8dad_0e02_6ce7_c1cd);
}

#[test]
fn weighted_element_is_pinned() {
    assert_eq!(weighted_element(5, 0), 5);
    assert_eq!(weighted_element(5, 1), 5 ^ 0x9E37_79B9_7F4A_7C15);
}

fn one_to_hundred() -> Signature {
    let features: Vec<u64> = (1..=100).collect();
    MinHasher::new().sketch(&features)
}

#[test]
fn signature_values_are_pinned() {
    let sig = one_to_hundred();
    assert_eq!(
        &sig.values()[..8],
        &[
            2433635912, 684624099, 1065221874, 3195393400, 1009225485, 621932285, 4216231605,
            3245197771
        ]
    );
}

#[test]
fn weighted_and_naive_values_are_pinned() {
    let w = MinHasher::new().sketch_weighted(&[(1, 3), (2, 1), (5, 2)]);
    assert_eq!(
        &w.values()[..8],
        &[
            2988591412, 3420899088, 4146960642, 4146960642, 505220482, 3420899088, 4146960642,
            337984609
        ]
    );
    let features: Vec<u64> = (1..=100).collect();
    let n = MinHasher::new().sketch_naive_khash(&features);
    assert_eq!(
        &n.values()[..8],
        &[306475793, 70783425, 3964535, 107442429, 15899698, 35625357, 47667245, 166175389]
    );
}

#[test]
fn signature_bytes_are_pinned() {
    let bytes = one_to_hundred().to_bytes();
    assert_eq!(bytes.len(), 540);
    assert_eq!(
        &bytes[..36],
        &[
            b'L', b'N', b'T', b'S', // magic
            1,    // format version
            1, 0, // scheme 1
            1, // construction: one-permutation
            128, 0, 0, 0, // num_hashes
            b'l', b'i', b'n', b't', b'a', b's', b'-', b'm', // seed DEFAULT_SEED
            100, 0, 0, 0, 0, 0, 0, 0, // cardinality
            72, 86, 14, 145, // value 0 = 2433635912
            227, 136, 206, 40, // value 1 = 684624099
        ]
    );
}

#[test]
fn band_keys_are_pinned() {
    let params = lintas::LshParams::new(32, 4).unwrap();
    let keys = params.band_keys(&one_to_hundred()).unwrap();
    assert_eq!(keys.len(), 32);
    assert_eq!(
        &keys[..3],
        &[
            1_201_160_356_957_118_451,
            4_310_006_194_020_135_192,
            5_798_385_892_260_674_079
        ]
    );
    // Band 0's key is XXH3-64, seed 0, of its four values as little-endian u32s.
    let v = one_to_hundred().values()[..4].to_vec();
    let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
    assert_eq!(keys[0], xxhash_rust::xxh3::xxh3_64_with_seed(&bytes, 0));
}

/// The README's English sample sentence, analysed with the default analyser, signed and banded
/// with the defaults. Unlike the pins above this one also covers the analysis, which may change
/// on purpose (a new lexicon entry); python/tests/test_lintas.py pins the same values, so the
/// Python package is checked against the library: update both together.
#[test]
fn text_signature_and_band_keys_are_pinned() {
    let text = "Floods in Semarang killed eight people on Monday and forced 12,000 residents \
                from their homes, the disaster agency BNPB said.";
    let sig = MinHasher::new().sketch(lintas::Analyzer::new().analyze(text).hashes());
    assert_eq!(
        &sig.values()[..8],
        &[
            3420196027, 2192580986, 3857609287, 683841301, 3790548116, 683841301, 1824571387,
            2192580986
        ]
    );
    let keys = lintas::LshParams::new(32, 4)
        .unwrap()
        .band_keys(&sig)
        .unwrap();
    assert_eq!(
        &keys[..3],
        &[
            13432495942771403040,
            15260060303019025994,
            14447409936436669275
        ]
    );
}
