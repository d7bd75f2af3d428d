//! Defects found in review (issue 14), each pinned by a test that failed before its fix.

use lintas::{
    clusters, Analyzer, Corpus, Error, Explanation, Feature, FeatureKind, Lang, Lexicon, LshParams,
    Match,
};
use std::sync::Arc;

fn doc(labels: &[&str]) -> Vec<Feature> {
    labels
        .iter()
        .map(|l| Feature::new(FeatureKind::Concept, l))
        .collect()
}

fn pair(a: &str, b: &str) -> Match {
    Match {
        a: a.into(),
        b: b.into(),
        score: 1.0,
        threshold: 0.1,
        cross_language: false,
        jaccard: 1.0,
        containment: 1.0,
        estimate: 1.0,
        probability: 1.0,
        evidence: Default::default(),
        explanation: Explanation::default(),
    }
}

#[test]
fn lsh_probability_of_nan_is_clamped_to_zero() {
    let p = LshParams::new(32, 4).unwrap();
    assert_eq!(p.probability(f64::NAN), 0.0);
    assert_eq!(p.probability(-1.0), 0.0);
    assert_eq!(p.probability(2.0), 1.0);
}

#[test]
fn kind_weights_all_zero_are_rejected() {
    let mut b = Corpus::builder();
    for k in FeatureKind::ALL {
        b = b.kind_weight(k, 0.0);
    }
    match b.build() {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "kind_weight"),
        other => panic!("expected an invalid kind_weight, got {other:?}"),
    }
    // One kind weighing something is enough.
    let mut b = Corpus::builder();
    for k in FeatureKind::ALL {
        b = b.kind_weight(k, 0.0);
    }
    assert!(b.kind_weight(FeatureKind::Concept, 1.0).build().is_ok());
}

#[test]
fn a_self_pair_forms_no_cluster() {
    assert!(clusters(&[pair("x", "x")]).is_empty());
    let c = clusters(&[pair("x", "x"), pair("x", "y")]);
    assert_eq!(c, vec![vec![Arc::<str>::from("x"), Arc::from("y")]]);
}

#[test]
fn insert_and_query_order_ties_by_id_like_pairs() {
    let feats = doc(&["flood", "river", "evacu", "rain", "semarang", "bnpb"]);
    let mut c = Corpus::new();
    // Inserted "b" first: candidate order alone would list it first.
    c.insert("b", None, &feats).unwrap();
    c.insert("a", None, &feats).unwrap();
    let m = c.insert("c", None, &feats).unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].score, m[1].score);
    let held: Vec<&str> = m.iter().map(|m| &*m.a).collect();
    assert_eq!(held, ["a", "b"]);
    let q = c.query(None, &feats);
    let held: Vec<&str> = q.iter().map(|m| &*m.a).collect();
    assert_eq!(held, ["a", "b", "c"]);
}

#[test]
fn a_failed_tsv_load_leaves_the_lexicon_unchanged() {
    let mut lex = Lexicon::builtin();
    let before = lex.len();
    let err = lex
        .add_tsv(
            Lang::Indonesian,
            "kuda nil\thippopotamus\nzebrax\tzebra\nrusak baris ini\n",
            "bad.tsv",
        )
        .unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
    assert_eq!(lex.len(), before, "lines before the bad one were kept");
    let entities = lex.entity_len();
    assert!(lex
        .add_entities_tsv("ZZQ\tZuzuq\t*\nbad line\n", "bad-entities.tsv")
        .is_err());
    assert_eq!(lex.entity_len(), entities);
}

#[test]
fn an_english_lexicon_is_refused_without_a_line_number() {
    let err = Lexicon::builtin()
        .add_tsv(Lang::English, "house\thome\n", "en.tsv")
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { name: "lang", .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains("line 0"), "{err}");
}

#[test]
fn phrases_sharing_a_first_word_load_in_near_linear_time() {
    // 40,000 phrases `rumah wN`: each insert used to scan and re-sort the whole list
    // (quadratic: 40,000 took 11 s); a batch now sorts each list once.
    let text: String = (0..40_000)
        .map(|i| format!("rumah w{i}\thouse {i}\n"))
        .collect();
    let entities: String = (0..40_000)
        .map(|i| format!("ZQ{i}\tZuzuq w{i}\t*\n"))
        .collect();
    let mut lex = Lexicon::empty();
    let t = std::time::Instant::now();
    assert_eq!(
        lex.add_tsv(Lang::Indonesian, &text, "big.tsv").unwrap(),
        40_000
    );
    assert_eq!(
        lex.add_entities_tsv(&entities, "big-entities.tsv").unwrap(),
        40_000
    );
    // Generous for a debug build on a loaded machine; the quadratic version took minutes.
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    // Loading the same phrases again replaces them: no duplicate, count unchanged.
    assert_eq!(
        lex.add_tsv(Lang::Indonesian, &text, "big.tsv").unwrap(),
        40_000
    );
    assert_eq!(lex.len(), 40_000);
    assert_eq!(lex.add_entities_tsv(&entities, "again").unwrap(), 0);
}

#[test]
fn a_default_corpus_is_cheap_to_build() {
    // The banding search (~40 ms in a debug build) ran for every corpus: a fuzz target that
    // builds one per input managed 47 inputs a second. It is now remembered per process.
    let first = Corpus::new().lsh_params();
    let t = std::time::Instant::now();
    for _ in 0..200 {
        assert_eq!(Corpus::new().lsh_params(), first);
    }
    // 200 searches took about 8 s in a debug build; remembered, a few milliseconds.
    assert!(t.elapsed().as_secs_f64() < 3.0, "{:?}", t.elapsed());
    assert_eq!(first, LshParams::from_threshold(0.4, 128).unwrap());
}

#[test]
fn a_match_says_whether_it_crossed_languages() {
    let mut d = lintas::Detector::new();
    let en = "Floods in Semarang killed eight people on Monday and forced 12,000 residents \
              from their homes, the disaster agency BNPB said.";
    d.add("en", en).unwrap();
    d.add(
        "en-again",
        &format!("{en} Rescuers searched the river banks."),
    )
    .unwrap();
    let m = d
        .add(
            "id",
            "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 warga \
             mengungsi, kata BNPB.",
        )
        .unwrap();
    assert!(!m.is_empty() && m.iter().all(|m| m.cross_language));
    let same: Vec<_> = d
        .pairs()
        .into_iter()
        .filter(|m| &*m.b == "en-again")
        .collect();
    assert_eq!(same.len(), 1);
    assert!(!same[0].cross_language);
}

#[test]
fn credit_words_in_a_long_line_are_read_in_linear_time() {
    // Every `Photo:` opens a sentence (`:` ends one) and looks for its credit's end. The end
    // was looked for byte by byte to the line's end, so a line of them took time
    // quadratic in its length (11 s for 60,000 in a release build, 4× that for these 120,000);
    // the search now stops with the credit's word limit.
    let text = format!("Floods in Semarang. {}", "Photo: ".repeat(120_000));
    let t = std::time::Instant::now();
    let a = Analyzer::new().analyze_article_as(Some("Floods"), &text, Lang::English);
    // Generous for a debug build on a loaded machine.
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
    // No credit ends within its 12 words here (each `Photo:` is followed by more), so the
    // line is read as text.
    let photos = a.features().iter().find(|f| &*f.label == "photo");
    assert!(
        photos.is_some_and(|f| f.count > 119_000),
        "{:?}",
        a.features()
    );
}
