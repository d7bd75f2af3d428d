//! The candidate stage's third source, headline/lead blocking, and rarity with a prior.

use lintas::{Analyzer, Corpus, CorpusBuilder, Feature, FeatureKind, Lang, Position};

mod common;
use common::at;

/// `own` distinct body concepts (so LSH sees two unrelated documents), plus `shared` anchors
/// at `position`.
fn doc(prefix: &str, shared: &[&str], position: Position) -> Vec<Feature> {
    (0..60)
        .map(|i| {
            at(
                FeatureKind::Concept,
                &format!("{prefix}{i}"),
                Position::Body,
            )
        })
        .chain(shared.iter().map(|s| at(FeatureKind::Anchor, s, position)))
        .collect()
}

fn candidates(builder: CorpusBuilder, docs: &[(&str, Vec<Feature>)]) -> Vec<(String, String)> {
    let mut c = builder.build().unwrap();
    // Background documents, so the shared names are rare.
    for d in 0..30 {
        c.add(
            format!("bg{d}"),
            Some(Lang::English),
            &doc(&format!("bg{d}-"), &[], Position::Body),
        )
        .unwrap();
    }
    for (id, f) in docs {
        c.add(*id, Some(Lang::English), f).unwrap();
    }
    c.candidate_pairs()
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const NAMES: [&str; 2] = ["name:larasati", "name:kaligarang"];

#[test]
fn blocking_finds_a_pair_sharing_only_headline_names() {
    // Rare-feature blocking off: only LSH and headline/lead blocking could find the pair.
    let docs = [
        ("a", doc("a", &NAMES, Position::Headline)),
        ("b", doc("b", &NAMES, Position::Lead)),
    ];
    let pair = ("a".to_string(), "b".to_string());
    let on = candidates(Corpus::builder().min_shared_rare(0), &docs);
    assert_eq!(on, vec![pair.clone()]);
    // Off, or with the names only in the body, or only one of them shared: not a candidate.
    assert!(candidates(
        Corpus::builder().min_shared_rare(0).min_shared_lead(0),
        &docs
    )
    .is_empty());
    let body = [
        ("a", doc("a", &NAMES, Position::Headline)),
        ("b", doc("b", &NAMES, Position::Body)),
    ];
    assert!(candidates(Corpus::builder().min_shared_rare(0), &body).is_empty());
    let one = [
        ("a", doc("a", &NAMES[..1], Position::Headline)),
        ("b", doc("b", &NAMES[..1], Position::Headline)),
    ];
    assert!(candidates(Corpus::builder().min_shared_rare(0), &one).is_empty());
}

#[test]
fn common_headline_words_do_not_block() {
    // Every document has the two names in its headline: more than max_lead_df of them.
    let mut c = Corpus::builder().min_shared_rare(0).build().unwrap();
    for d in 0..40 {
        c.add(
            format!("d{d}"),
            None,
            &doc(&format!("d{d}-"), &NAMES, Position::Headline),
        )
        .unwrap();
    }
    assert!(c.candidate_pairs().is_empty());
}

#[test]
fn removed_documents_leave_the_headline_postings() {
    let mut c = Corpus::builder().min_shared_rare(0).build().unwrap();
    c.add("a", None, &doc("a", &NAMES, Position::Headline))
        .unwrap();
    assert!(c.remove("a"));
    let found = c
        .insert("b", None, &doc("b", &NAMES, Position::Headline))
        .unwrap();
    assert!(found.is_empty());
    assert!(c.candidate_pairs().is_empty());
}

#[test]
fn analysed_articles_block_on_their_titles() {
    // Two articles whose bodies differ and whose titles share two rare names.
    let a = Analyzer::new();
    let x = a.analyze_article(
        Some("Floods strand villagers as Larasati and Kaligarang visit"),
        "The ministry confirmed the agreement on Monday after long talks in the capital.",
    );
    let y = a.analyze_article(
        Some("Villagers welcome Larasati and Kaligarang after rains"),
        "Negotiators finished work overnight, officials said, and markets rose sharply.",
    );
    let pos = |a: &lintas::Analysis, l: &str| {
        a.features()
            .iter()
            .find(|f| &*f.label == l)
            .map(|f| f.position)
    };
    assert_eq!(pos(&x, "name:larasati"), Some(Position::Headline));
    assert_eq!(pos(&y, "name:kaligarang"), Some(Position::Headline));
    let mut c = Corpus::builder().min_shared_rare(0).build().unwrap();
    c.add("x", x.detection().lang(), x.features()).unwrap();
    c.add("y", y.detection().lang(), y.features()).unwrap();
    assert_eq!(c.candidate_pairs().len(), 1);
}

#[test]
fn invalid_lead_settings_are_errors() {
    assert!(Corpus::builder().max_lead_df(0.0).build().is_err());
    assert!(Corpus::builder().max_lead_df(1.5).build().is_err());
    assert!(Corpus::builder().rarity_prior(f64::NAN).build().is_err());
}

#[test]
fn a_prior_keeps_a_two_document_corpus_from_meaningless_rarity() {
    let feats = |labels: &[&str]| -> Vec<Feature> {
        labels
            .iter()
            .map(|l| Feature::new(FeatureKind::Concept, l))
            .collect()
    };
    // The overlap score's weights (the event verifier weighs rarity with its own prior).
    let jaccard = |b: CorpusBuilder| {
        let mut c = b.verifier(lintas::Verifier::Overlap).build().unwrap();
        c.add("a", None, &feats(&["flood", "river"])).unwrap();
        c.add("b", None, &feats(&["flood", "rain"])).unwrap();
        c.score_pair("a", "b").unwrap().jaccard
    };
    // Without a prior: shared df 2 weighs ln(1 + 2/2), the others ln(1 + 2/1).
    let (s, o) = (2f64.ln(), 3f64.ln());
    assert!((jaccard(Corpus::builder()) - s / (s + 2.0 * o)).abs() < 1e-12);
    // With 100 background documents: ln(102 / 3) and ln(102 / 2), nearly alike.
    let (s, o) = ((102.0f64 / 3.0).ln(), (102.0f64 / 2.0).ln());
    let with = jaccard(Corpus::builder().rarity_prior(100.0));
    assert!((with - s / (s + 2.0 * o)).abs() < 1e-12, "{with}");
    assert!(with > jaccard(Corpus::builder()));
}
