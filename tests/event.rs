//! The event evidence every match carries, the event verifier (`Verifier::Event`) that
//! decides by the probability computed from it, and the default `Verifier::Combined` that
//! decides pairs of one language by it.

use lintas::{Corpus, Detector, EventModel, Evidence, Verifier};

const EN_TITLE: &str = "Floods kill eight in Semarang";
const EN: &str = "Floods in Semarang killed eight people on Monday and forced 12,000 residents \
    from their homes, the disaster agency BNPB said. The Kaligarang river burst its banks \
    after six hours of rain. Rescue teams from Demak reached the city by evening.";
const ID_TITLE: &str = "Banjir tewaskan delapan orang di Semarang";
const ID: &str = "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 warga \
    mengungsi, kata BNPB. Sungai Kaligarang meluap setelah hujan enam jam. Tim penyelamat dari \
    Demak tiba di kota itu pada malam hari.";
// Same story and names, another event: other day, other year, other toll.
const OTHER_TITLE: &str = "Floods kill three in Semarang a year on";
const OTHER: &str =
    "Floods in Semarang killed three people on Thursday and forced 4,500 residents \
    from their homes in 2027, the disaster agency BNPB said. The Kaligarang river burst its \
    banks again. Rescue teams from Demak reached the city by evening.";

fn detector(verifier: Verifier) -> Detector {
    Detector::builder()
        .corpus(Corpus::builder().verifier(verifier))
        .build()
        .unwrap()
}

fn filled(v: Verifier) -> Detector {
    let mut d = detector(v);
    d.add_article("en", Some(EN_TITLE), EN).unwrap();
    d.add_article("id", Some(ID_TITLE), ID).unwrap();
    d.add_article("other", Some(OTHER_TITLE), OTHER).unwrap();
    d
}

fn close(a: &Evidence, b: &Evidence) -> bool {
    a.values()
        .iter()
        .zip(b.values())
        .all(|(x, y)| (x - y).abs() < 1e-9)
}

#[test]
fn the_evidence_does_not_depend_on_which_document_came_first() {
    let d = filled(Verifier::Event);
    let c = d.corpus();
    for (a, b) in [("en", "id"), ("en", "other"), ("id", "other")] {
        let x = c.score_pair(a, b).unwrap();
        let y = c.score_pair(b, a).unwrap();
        assert!(
            close(&x.evidence, &y.evidence),
            "{a}-{b}: {:?} vs {:?}",
            x.evidence,
            y.evidence
        );
        assert!((x.probability - y.probability).abs() < 1e-12);
        assert_eq!(x.explanation.conflicts, y.explanation.conflicts);
    }
}

#[test]
fn the_translation_is_for_and_the_other_event_has_evidence_against() {
    let d = filled(Verifier::Event);
    let c = d.corpus();
    let same = c.score_pair("en", "id").unwrap();
    assert!(same.cross_language);
    assert_eq!(same.evidence.cross_language, 1.0);
    assert!(same.evidence.headline_in_lead > 0.3, "{:?}", same.evidence);
    assert!(same.evidence.specific_anchors > 0.0);
    assert!(!same.explanation.evidence_for.is_empty());
    assert!(same.explanation.evidence_for.iter().all(|(_, c)| *c > 0.0));
    let other = c.score_pair("en", "other").unwrap();
    assert_eq!(other.evidence.year_conflict, 0.0, "en gives no year");
    assert_eq!(
        other.evidence.weekday_conflict, 1.0,
        "Monday against Thursday"
    );
    assert!(
        other.evidence.figure_conflicts >= 1.0,
        "12,000 against 4,500"
    );
    assert!(other
        .explanation
        .evidence_against
        .iter()
        .all(|(_, c)| *c < 0.0));
    let against: Vec<&str> = other
        .explanation
        .evidence_against
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert!(against.contains(&"weekday_conflict") && against.contains(&"figure_conflicts"));
    assert!(
        other.explanation.conflicts.iter().any(|c| c == "num:4500"),
        "{:?}",
        other.explanation.conflicts
    );
    // The conflicts weigh: the same pair without them would be more probable.
    let model = EventModel::builtin().unwrap();
    let calm = Evidence {
        weekday_conflict: 0.0,
        figure_conflicts: 0.0,
        ..other.evidence
    };
    assert!(model.probability(&calm) > other.probability);
    assert!(same.probability > other.probability);
}

#[test]
fn the_event_verifier_decides_by_the_probability_and_overlap_by_its_score() {
    let event = filled(Verifier::Event);
    let m = event.corpus().score_pair("en", "id").unwrap();
    assert_eq!(m.score, m.probability);
    assert_eq!(m.threshold, lintas::EVENT_CROSS_THRESHOLD);
    assert_eq!(
        event.corpus().thresholds(),
        (lintas::EVENT_THRESHOLD, lintas::EVENT_CROSS_THRESHOLD)
    );
    let overlap = filled(Verifier::Overlap);
    let o = overlap.corpus().score_pair("en", "id").unwrap();
    assert_eq!(o.threshold, lintas::DEFAULT_CROSS_THRESHOLD);
    assert_ne!(o.score, o.probability, "overlap decides by its own score");
    // The evidence and its probability are the same under either verifier.
    assert!(close(&o.evidence, &m.evidence));
    assert!((o.probability - m.probability).abs() < 1e-12);
    assert_eq!(Corpus::new().verifier(), Verifier::Combined);
}

/// The default: a pair of one language by the probability, a pair of two by the overlap
/// score, each against its own threshold; features without positions by the overlap score.
#[test]
fn the_combined_verifier_decides_one_language_by_probability_and_two_by_overlap() {
    let combined = filled(Verifier::Combined);
    let overlap = filled(Verifier::Overlap);
    let event = filled(Verifier::Event);
    let pair = |d: &Detector, a, b| d.corpus().score_pair(a, b).unwrap();
    // English–Indonesian: the overlap score and its threshold.
    let (c, o) = (pair(&combined, "en", "id"), pair(&overlap, "en", "id"));
    assert_eq!((c.score, c.threshold), (o.score, o.threshold));
    assert_eq!(c.threshold, lintas::DEFAULT_CROSS_THRESHOLD);
    // English–English: the event probability, against COMBINED_THRESHOLD.
    let (c, e) = (pair(&combined, "en", "other"), pair(&event, "en", "other"));
    assert_eq!(c.score, c.probability);
    assert!((c.score - e.score).abs() < 1e-12);
    assert_eq!(c.threshold, lintas::COMBINED_THRESHOLD);
    assert_eq!(
        combined.corpus().thresholds(),
        (lintas::COMBINED_THRESHOLD, lintas::DEFAULT_CROSS_THRESHOLD)
    );
    // Features given without positions: nothing for the event model to place, so the overlap
    // score decides, against the same-language threshold on its scale.
    let feats = |labels: &[&str]| -> Vec<lintas::Feature> {
        labels
            .iter()
            .map(|l| lintas::Feature::new(lintas::FeatureKind::Concept, l))
            .collect()
    };
    let mut plain = Corpus::new();
    let mut plain_overlap = Corpus::builder()
        .verifier(Verifier::Overlap)
        .build()
        .unwrap();
    for c in [&mut plain, &mut plain_overlap] {
        c.add("a", None, &feats(&["flood", "river", "rain", "dam"]))
            .unwrap();
        c.add("b", None, &feats(&["flood", "river", "rain", "levee"]))
            .unwrap();
    }
    let (p, q) = (
        plain.score_pair("a", "b").unwrap(),
        plain_overlap.score_pair("a", "b").unwrap(),
    );
    assert_eq!((p.score, p.threshold), (q.score, q.threshold));
    assert_eq!(p.threshold, lintas::DEFAULT_THRESHOLD);
    assert_eq!(plain.decides_by_event("a", "b"), Some(false));
    // English with English: the probability; with a document of undetermined language, the
    // overlap score, whichever side it is on.
    assert_eq!(
        combined.corpus().decides_by_event("en", "other"),
        Some(true)
    );
    assert_eq!(combined.corpus().decides_by_event("en", "id"), Some(false));
    let analyzer = lintas::Analyzer::new();
    let en = analyzer.analyze_article(Some(EN_TITLE), EN);
    let other = analyzer.analyze_article(Some(OTHER_TITLE), OTHER);
    let mut c = Corpus::new();
    c.add("en", en.detection().lang(), en.features()).unwrap();
    c.add("und", None, other.features()).unwrap();
    assert_eq!(c.decides_by_event("en", "und"), Some(false));
    assert_eq!(c.decides_by_event("und", "en"), Some(false));
    assert_eq!(
        c.score_pair("en", "und").unwrap().threshold,
        lintas::DEFAULT_THRESHOLD
    );
    assert_eq!(c.decides_by_event("en", "missing"), None);
}

#[test]
fn the_combined_overall_threshold_scales_both_scores() {
    let at = |t: f64| {
        Corpus::builder()
            .overall_threshold(t)
            .build()
            .unwrap()
            .thresholds()
    };
    let (same, cross) = at(lintas::DEFAULT_THRESHOLD);
    assert!((same - lintas::COMBINED_THRESHOLD).abs() < 1e-12);
    assert!((cross - lintas::DEFAULT_CROSS_THRESHOLD).abs() < 1e-12);
    // Twice the overlap threshold: twice the odds of the probability threshold.
    let (same, cross) = at(2.0 * lintas::DEFAULT_THRESHOLD);
    let odds = lintas::COMBINED_THRESHOLD / (1.0 - lintas::COMBINED_THRESHOLD) * 2.0;
    assert!((same - odds / (1.0 + odds)).abs() < 1e-12);
    assert!((cross - 2.0 * lintas::DEFAULT_CROSS_THRESHOLD).abs() < 1e-12);
    let (low, high) = (at(0.05), at(0.5));
    assert!(low.0 < lintas::COMBINED_THRESHOLD && high.0 > lintas::COMBINED_THRESHOLD);
    assert!(high.0 < 1.0 && low.0 > 0.0);
}

#[test]
fn a_query_gets_the_evidence_the_added_document_gets() {
    let mut d = detector(Verifier::Event);
    d.add_article("en", Some(EN_TITLE), EN).unwrap();
    d.add_article("other", Some(OTHER_TITLE), OTHER).unwrap();
    let asked = d.query_article(Some(ID_TITLE), ID);
    let added = d.add_article("id", Some(ID_TITLE), ID).unwrap();
    assert!(!added.is_empty());
    for m in &added {
        let q = asked
            .iter()
            .find(|q| q.a == m.a)
            .unwrap_or_else(|| panic!("{} matched when added, not when queried", m.a));
        // The query's features are unseen until it is added: document frequencies differ by
        // the document itself, so the values are close, not equal. In a corpus of three, that
        // one document moves a rare name's weight by ~15% (ln(103) against ln(103/2)), and
        // the leads here are mostly names; the decision is the same.
        assert!(
            (q.probability - m.probability).abs() < 0.1,
            "{q:?} vs {m:?}"
        );
        assert_eq!(q.probability >= q.threshold, m.probability >= m.threshold);
        assert_eq!(q.evidence.weekday_conflict, m.evidence.weekday_conflict);
        assert_eq!(q.evidence.figure_conflicts, m.evidence.figure_conflicts);
    }
}

#[test]
fn thresholds_follow_the_verifier_set_first() {
    let b = Corpus::builder()
        .verifier(Verifier::Event)
        .overall_threshold(0.9)
        .build()
        .unwrap();
    let (same, cross) = b.thresholds();
    assert_eq!(same, 0.9);
    let ratio = lintas::EVENT_CROSS_THRESHOLD / lintas::EVENT_THRESHOLD;
    assert!((cross - 0.9 * ratio).abs() < 1e-12);
    // Setting the verifier after a threshold resets it: the units differ.
    let reset = Corpus::builder()
        .threshold(0.9)
        .verifier(Verifier::Overlap)
        .build()
        .unwrap();
    assert_eq!(reset.thresholds().0, lintas::DEFAULT_THRESHOLD);
}

#[test]
fn an_empty_or_unrelated_pair_has_no_evidence_for() {
    let mut d = detector(Verifier::Event);
    d.add(
        "a",
        "The central bank kept its benchmark rate at 5.25 percent on Wednesday.",
    )
    .unwrap();
    let found = d
        .add(
            "b",
            "Volcanic ash closed the airport in Ternate for two days.",
        )
        .unwrap();
    assert!(found.is_empty());
    assert!(d.corpus().score_pair("a", "missing").is_none());
}

/// A same-language pair of a language the event model was not fitted on keeps the overlap
/// score, scaled by the model's odds over even odds (`lintas::even_odds_discount`) when the
/// model reads it as more likely two events than one (`Verifier::Combined` only;
/// `Corpus::overlap_discount` says the factor).
#[test]
fn another_language_s_overlap_score_is_discounted_under_even_odds() {
    const FR_TITLE: &str = "Des inondations font huit morts à Semarang";
    const FR: &str = "Des inondations ont fait huit morts lundi à Semarang et forcé 12 000 \
        habitants à quitter leurs maisons, a indiqué l'agence BNPB. La rivière Kaligarang a \
        débordé après six heures de pluie. Les secours venus de Demak sont arrivés le soir.";
    const FR_SAME_TITLE: &str = "Semarang : huit morts dans des inondations";
    const FR_SAME: &str = "Huit personnes sont mortes lundi dans les inondations de Semarang, \
        où 12 000 habitants ont dû partir, selon la BNPB. La Kaligarang est sortie de son lit \
        après six heures de pluie, et les secours de Demak sont arrivés dans la soirée.";
    // The project's French fixture (40 news items) around them, so that rarity means
    // something and unrelated pairs read as two events.
    let background = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/languages/fr.jsonl"
    ))
    .unwrap();
    let rows: Vec<serde_json::Value> = background
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let fill = |v: Verifier| {
        let mut d = detector(v);
        for r in &rows {
            let text = r["text"].as_str().unwrap();
            d.add_article(r["id"].as_str().unwrap(), r["title"].as_str(), text)
                .unwrap();
        }
        d.add_article("fr", Some(FR_TITLE), FR).unwrap();
        d.add_article("fr-same", Some(FR_SAME_TITLE), FR_SAME)
            .unwrap();
        d.add_article("en", Some(EN_TITLE), EN).unwrap();
        d
    };
    let (combined, overlap) = (fill(Verifier::Combined), fill(Verifier::Overlap));
    let mut ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.extend(["fr", "fr-same"]);
    let mut discounted = 0;
    for (i, &a) in ids.iter().enumerate() {
        for &b in &ids[i + 1..] {
            let c = combined.corpus().score_pair(a, b).unwrap();
            let o = overlap.corpus().score_pair(a, b).unwrap();
            assert_eq!(combined.corpus().decides_by_event(a, b), Some(false));
            assert_eq!(c.threshold, lintas::DEFAULT_THRESHOLD, "{a} {b}");
            let p = c.probability;
            let factor = if p < 0.5 { p / (1.0 - p) } else { 1.0 };
            assert_eq!(factor, lintas::even_odds_discount(p), "{a} {b}");
            assert!(
                (c.score - o.score * factor).abs() < 1e-12,
                "{a} {b}: {} against {} × {factor}",
                c.score,
                o.score
            );
            assert_eq!(combined.corpus().overlap_discount(&c), Some(factor));
            assert_eq!(overlap.corpus().overlap_discount(&o), Some(1.0));
            discounted += usize::from(factor < 1.0 && o.score > 0.0);
        }
    }
    assert!(discounted > 0, "no pair exercised the discount");
    // The rewrite of one event is not discounted and stays flagged.
    let same = combined.corpus().score_pair("fr", "fr-same").unwrap();
    assert!(same.probability >= lintas::EVEN_ODDS && same.score >= same.threshold);
    assert!(combined
        .corpus()
        .pairs()
        .iter()
        .any(|m| (&*m.a, &*m.b) == ("fr", "fr-same")));
    // Across languages and for pairs the probability decides: no discount.
    let cross = combined.corpus().score_pair("en", "fr").unwrap();
    assert!(cross.cross_language);
    assert_eq!(combined.corpus().overlap_discount(&cross), Some(1.0));
    let english = filled(Verifier::Combined);
    let m = english.corpus().score_pair("en", "other").unwrap();
    assert_eq!(english.corpus().overlap_discount(&m), Some(1.0));
    assert_eq!(
        english
            .corpus()
            .overlap_discount(&lintas::Match { a: "x".into(), ..m }),
        None
    );
}
