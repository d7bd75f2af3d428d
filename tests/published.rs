//! Publication dates (`Corpus::set_published`, `CorpusBuilder::max_days_apart`): a pair
//! published further apart than the window is not reported, on every path that reports pairs
//! (plain documents, near-exact copies expanded, the representative pairs, the exhaustive
//! oracle); a pair with an undated document is decided as without dates.

use lintas::{Corpus, Date, Error, Feature, FeatureKind, Match};

fn doc(story: usize, n: usize, variant: &str) -> Vec<Feature> {
    (0..n)
        .map(|i| Feature::new(FeatureKind::Concept, &format!("w{story}-{i}")))
        .chain([
            Feature::new(FeatureKind::Anchor, &format!("name:s{story}")),
            Feature::new(FeatureKind::Concept, variant),
        ])
        .collect()
}

fn day(s: &str) -> Option<Date> {
    Some(Date::parse(s).unwrap())
}

fn ids(pairs: &[Match]) -> Vec<(String, String)> {
    let mut v: Vec<_> = pairs
        .iter()
        .map(|m| (m.a.to_string(), m.b.to_string()))
        .collect();
    v.sort();
    v
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

/// Two write-ups of one story (not copies: each has a word of its own), plus unrelated
/// documents so that rarity means something.
fn corpus(builder: lintas::CorpusBuilder) -> Corpus {
    let mut c = builder.build().unwrap();
    c.add("a", None, &doc(0, 30, "x")).unwrap();
    c.add("b", None, &doc(0, 30, "y")).unwrap();
    for u in 1..30 {
        c.add(format!("u{u}"), None, &doc(u, 30, "z")).unwrap();
    }
    c
}

#[test]
fn the_window_decides_only_when_both_are_dated() {
    let mut c = corpus(Corpus::builder());
    assert_eq!(ids(&c.pairs()), [pair("a", "b")]);
    // One date alone changes nothing.
    c.set_published("a", day("2026-01-05")).unwrap();
    assert_eq!(ids(&c.pairs()), [pair("a", "b")]);
    assert_eq!(c.days_apart("a", "b"), None);
    // Three days apart: inside the default window (its edge).
    c.set_published("b", day("2026-01-08")).unwrap();
    assert_eq!(c.days_apart("a", "b"), Some(3));
    assert_eq!(ids(&c.pairs()), [pair("a", "b")]);
    // Four: outside, on every path.
    c.set_published("b", day("2026-01-09")).unwrap();
    assert!(c.pairs().is_empty());
    assert!(c.pairs_from(0).is_empty());
    assert!(c.pairs_exhaustive().is_empty());
    let mut reps = 0;
    c.try_for_each_representative_pair(0, |_| {
        reps += 1;
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap();
    assert_eq!(reps, 0);
    // The pair still scores as before (for inspection).
    let m = c.score_pair("a", "b").unwrap();
    assert!(m.score >= m.threshold);
    // Cleared again: reported again.
    c.set_published("b", None).unwrap();
    assert_eq!(c.published("b"), None);
    assert_eq!(c.published("a"), day("2026-01-05"));
    assert_eq!(ids(&c.pairs()), [pair("a", "b")]);
}

#[test]
fn the_window_is_a_setting() {
    for (window, reported) in [(None, true), (Some(30), true), (Some(0), false)] {
        let mut c = corpus(Corpus::builder().max_days_apart(window));
        assert_eq!(c.settings().max_days_apart, window);
        c.set_published("a", day("2026-01-05")).unwrap();
        c.set_published("b", day("2026-01-06")).unwrap();
        assert_eq!(!c.pairs().is_empty(), reported, "{window:?}");
    }
    assert_eq!(Corpus::new().settings().max_days_apart, Some(3));
}

#[test]
fn copies_carry_their_own_dates() {
    let mut c = Corpus::new();
    // Three exact copies of one text, and the others to give rarity.
    for id in ["c1", "c2", "c3"] {
        c.add(id, None, &doc(0, 30, "x")).unwrap();
    }
    for u in 1..30 {
        c.add(format!("u{u}"), None, &doc(u, 30, "z")).unwrap();
    }
    assert_eq!(c.copy_groups().len(), 1);
    c.set_published("c1", day("2026-03-01")).unwrap();
    c.set_published("c2", day("2026-03-02")).unwrap();
    c.set_published("c3", day("2026-05-01")).unwrap();
    let expected = [pair("c1", "c2")];
    assert_eq!(ids(&c.pairs()), expected);
    assert_eq!(ids(&c.pairs_exhaustive()), expected);
    // The representative leaves: its heir keeps its own date, the pairs follow.
    assert!(c.remove("c1"));
    assert_eq!(c.published("c1"), None);
    assert_eq!(c.published("c2"), day("2026-03-02"));
    assert!(c.pairs().is_empty());
    assert!(c.pairs_exhaustive().is_empty());
    c.set_published("c3", day("2026-03-03")).unwrap();
    assert_eq!(ids(&c.pairs()), [pair("c2", "c3")]);
}

#[test]
fn a_date_for_an_unknown_id_is_an_error() {
    let mut c = Corpus::new();
    let e = c.set_published("nobody", day("2026-01-01")).unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "id", .. }),
        "{e}"
    );
    assert_eq!(c.published("nobody"), None);
    // A removed document's slot keeps no date for a later one.
    c.add("a", None, &doc(0, 5, "x")).unwrap();
    c.set_published("a", day("2026-01-01")).unwrap();
    assert!(c.remove("a"));
    assert!(c.set_published("a", None).is_err());
    c.add("a", None, &doc(0, 5, "x")).unwrap();
    assert_eq!(c.published("a"), None);
}
