//! Property tests: no input a caller can construct makes the library panic.

use lintas::{Analyzer, Detector, Signature};
use proptest::prelude::*;
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::new)
}

/// Text that stresses the tokenizer and the anchor parser: digits with every separator,
/// currency symbols, hyphens, initialisms, mixed scripts and combining marks.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,12}",
        "[0-9]{1,4}[.,/][0-9]{1,4}([.,/][0-9]{1,4})?",
        Just("US$".to_string()),
        Just("Rp".to_string()),
        Just("%".to_string()),
        Just("ke-".to_string()),
        Just("-".to_string()),
        Just("U.S.".to_string()),
        "[A-Za-z]{1,12}",
        "[A-Z]{2,6}",
        "(juta|million|miliar|ribu|bn|persen|Januari|Sept\\.)",
        "[\\u{0300}-\\u{036F}\\u{4E00}-\\u{4E20}\\u{0E01}-\\u{0E30}\\u{0600}-\\u{0620}]{1,4}",
        "[ \\n\\t.,;:!?()\"'“”—]{1,3}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn analysing_any_text_does_not_panic(s in any::<String>()) {
        let a = analyzer().analyze(&s);
        for f in a.features() {
            prop_assert!(!f.label.is_empty());
        }
        let _ = analyzer().trace(&s);
    }

    #[test]
    fn tricky_text_does_not_panic_and_is_deterministic(s in tricky_text()) {
        let a = analyzer().analyze(&s);
        let b = analyzer().analyze(&s);
        prop_assert_eq!(a.features(), b.features());
        for lang in [lintas::Lang::English, lintas::Lang::Indonesian, lintas::Lang::German] {
            let _ = analyzer().analyze_as(&s, lang);
        }
    }

    #[test]
    fn decoding_any_bytes_does_not_panic(bytes in prop::collection::vec(any::<u8>(), 0..700)) {
        let _ = Signature::from_bytes(&bytes);
    }

    #[test]
    fn a_detector_takes_any_sequence_of_texts(texts in prop::collection::vec(tricky_text(), 0..8)) {
        let mut d = Detector::new();
        for (i, t) in texts.iter().enumerate() {
            d.add(i.to_string(), t).unwrap();
        }
        let pairs = d.pairs();
        for m in &pairs {
            prop_assert!(m.score.is_finite() && m.score >= m.threshold);
        }
        for g in d.clusters(&pairs) {
            prop_assert!(g.len() >= 2);
        }
    }
}
