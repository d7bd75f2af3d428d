//! Bad input gets a defined result or a clear error, never a panic.

use lintas::{Analyzer, Corpus, Detector, Error, Feature, FeatureKind, Lang, MinHasher, Signature};

#[test]
fn texts_without_words_give_empty_analyses() {
    let a = Analyzer::new();
    for text in [
        "",
        " ",
        "\n\n\t",
        "!!! ??? ...",
        "— – …",
        "\u{200B}\u{FEFF}",
        "🙂🙂🙂",
    ] {
        let r = a.analyze(text);
        assert!(r.detection().lang().is_none(), "{text:?}");
        assert!(r.is_empty(), "{text:?}: {:?}", r.features());
    }
    // Numbers alone: anchors, no language.
    let r = a.analyze("2024 12.500 3,5%");
    assert!(r.detection().lang().is_none());
    assert!(!r.is_empty());
}

#[test]
fn single_words_and_mixed_scripts() {
    let a = Analyzer::new();
    for text in [
        "Jakarta",
        "x",
        "COVID-19",
        "ﬁnance",
        "Ɛ̃ǯ",
        "a-b-c-d-e",
        "------a",
        "1/2/3/4/5",
        "9999999999999999999999999999",
    ] {
        let r = a.analyze(text);
        let _ = r.features();
    }
    // Mixed-language text is analysed as its dominant language, without panicking.
    let mixed = "The government said kemitraan dengan perusahaan itu akan berlanjut, and officials agreed. \
                 Pemerintah kota Kendari menyambut baik langkah tersebut. 上海 Москва القاهرة";
    let r = a.analyze(mixed);
    assert!(r.detection().lang().is_some());
    assert!(!r.is_empty());
}

#[test]
fn scripts_the_lexicon_lacks_still_give_anchors() {
    let a = Analyzer::new();
    let r = a.analyze("Правительство России выделит 2,5 млрд рублей на строительство 1 500 домов в 2025 году в Москве.");
    assert_eq!(r.detection().lang(), Some(Lang::Russian));
    let labels: Vec<&str> = r.features().iter().map(|f| &*f.label).collect();
    assert!(labels.contains(&"year:2025"), "{labels:?}");
}

#[test]
fn enormous_documents_are_cut_at_the_limit_and_say_so() {
    let a = Analyzer::builder().max_bytes(4096).build().unwrap();
    let para = "Pemerintah mengumumkan bantuan sebesar Rp 2,5 triliun untuk korban banjir. ";
    let big = para.repeat(2000);
    let r = a.analyze(&big);
    assert!(r.truncated());
    assert!(!r.is_empty());
    // A cut in the middle of a multi-byte character is moved back to the boundary before it:
    // after one ASCII byte, byte 4096 falls inside a two-byte `é`.
    let s = format!("x{}", "é".repeat(3000));
    assert!(!s.is_char_boundary(4096));
    let r = a.analyze(&s);
    assert!(r.truncated());
    let kept = a.analyze(&s[..4095]);
    assert!(!kept.truncated());
    assert_eq!(r.features(), kept.features());
    assert_eq!(r.word_count(), kept.word_count());
    assert!(Analyzer::builder().max_bytes(10).build().is_err());
}

#[test]
fn empty_documents_match_nothing_not_even_each_other() {
    let mut d = Detector::new();
    assert!(d.add("a", "").unwrap().is_empty());
    assert!(d.add("b", "").unwrap().is_empty());
    assert!(d.add("c", "!!!").unwrap().is_empty());
    assert!(d.pairs().is_empty());
    assert_eq!(d.corpus().len(), 3);
    // The empty signature is defined: similarity 0 with anything, itself included.
    let h = MinHasher::new();
    let e = h.sketch(&[]);
    assert!(e.is_empty());
    assert_eq!(e.jaccard(&e).unwrap().value, 0.0);
    assert_eq!(e.jaccard(&h.sketch(&[1, 2, 3])).unwrap().value, 0.0);
}

#[test]
fn duplicate_ids_are_errors() {
    let mut c = Corpus::new();
    let f = [Feature::new(FeatureKind::Concept, "flood")];
    c.insert("x", None, &f).unwrap();
    assert!(matches!(c.insert("x", None, &f), Err(Error::DuplicateId(id)) if id == "x"));
    assert!(c.remove("x"));
    assert!(!c.remove("x"));
    c.insert("x", None, &f).unwrap();
}

#[test]
fn mismatched_signatures_are_errors_not_numbers() {
    let a = MinHasher::new().sketch(&[1, 2, 3]);
    let b = MinHasher::builder()
        .num_hashes(64)
        .build()
        .unwrap()
        .sketch(&[1, 2, 3]);
    let c = MinHasher::builder()
        .seed(7)
        .build()
        .unwrap()
        .sketch(&[1, 2, 3]);
    assert!(matches!(
        a.jaccard(&b),
        Err(Error::IncompatibleSignatures {
            field: "num_hashes",
            ..
        })
    ));
    assert!(matches!(
        a.jaccard(&c),
        Err(Error::IncompatibleSignatures { field: "seed", .. })
    ));
    assert!(matches!(
        a.containment(&b),
        Err(Error::IncompatibleSignatures { .. })
    ));
    // Truncated or garbled stored signatures are rejected.
    let bytes = a.to_bytes();
    for cut in [0, 3, 10, bytes.len() - 1] {
        assert!(
            matches!(
                Signature::from_bytes(&bytes[..cut]),
                Err(Error::Malformed { .. })
            ),
            "cut at {cut}"
        );
    }
    let mut bad = bytes.clone();
    bad[0] = b'X';
    assert!(Signature::from_bytes(&bad).is_err());
}

#[test]
fn invalid_parameters_name_the_parameter() {
    let e = Corpus::builder().threshold(0.0).build().unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidParameter {
                name: "threshold",
                ..
            }
        ),
        "{e}"
    );
    let e = Corpus::builder()
        .cross_threshold(f64::NAN)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidParameter {
                name: "cross_threshold",
                ..
            }
        ),
        "{e}"
    );
    let e = Corpus::builder().num_hashes(0).build().unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidParameter {
                name: "num_hashes",
                ..
            }
        ),
        "{e}"
    );
    let e = Corpus::builder()
        .kind_weight(FeatureKind::Anchor, -1.0)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidParameter {
                name: "kind_weight",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().starts_with("invalid parameter"), "{e}");
}

#[test]
fn lexicon_files_report_line_numbers() {
    let mut lex = lintas::Lexicon::empty();
    let dir = std::env::temp_dir().join(format!("lintas-lex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("bad.tsv");
    std::fs::write(&p, b"kuda\thorse\n\xff\xfe\tbad\n").unwrap();
    let e = lex.load_tsv(Lang::Indonesian, &p).unwrap_err();
    assert!(matches!(e, Error::Lexicon { line: 2, .. }), "{e}");
    let e = lex
        .load_tsv(Lang::Indonesian, dir.join("missing.tsv"))
        .unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}
