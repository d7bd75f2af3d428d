//! Cross-language fixtures written by the project (tests/fixtures/crosslang.jsonl): the same
//! event told separately in English and Indonesian (and, through the built-in dictionaries, a
//! rate cut in French, Spanish and Russian and a flood in Portuguese and Chinese), different
//! events on the same topics (the rate hold also in French), a headline-only item, and a
//! Malay paragraph. `crosslang-scripts.jsonl` adds the rate cut in Arabic, Persian, Bengali
//! and Tagalog, the flood in Hindi, Urdu and Swahili, and the rate hold in Arabic.
//! Table-driven over the file.

use lintas::{Detector, Lang};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

struct Fixture {
    id: String,
    lang: String,
    event: String,
    text: String,
}

/// The fixtures of `tests/fixtures/NAME`.
fn fixtures_of(name: &str) -> Vec<Fixture> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("fixture line is JSON");
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            Fixture {
                id: s("id"),
                lang: s("lang"),
                event: s("event"),
                text: format!("{}\n\n{}", s("title"), s("text")),
            }
        })
        .collect()
}

fn fixtures() -> Vec<Fixture> {
    fixtures_of("crosslang.jsonl")
}

fn key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.into(), b.into())
    } else {
        (b.into(), a.into())
    }
}

/// The fixtures, the flagged pairs, and each document's detected language.
struct Run {
    fx: Vec<Fixture>,
    flagged: HashSet<(String, String)>,
    langs: HashMap<String, Option<Lang>>,
}

fn run() -> Run {
    run_on(fixtures())
}

fn run_on(fx: Vec<Fixture>) -> Run {
    let mut d = Detector::new();
    let mut langs = HashMap::new();
    for f in &fx {
        let a = d.analyzer().analyze(&f.text);
        langs.insert(f.id.clone(), a.detection().lang());
        d.push_analyzed(f.id.as_str(), &a).unwrap();
    }
    let flagged = d.pairs().iter().map(|m| key(&m.a, &m.b)).collect();
    Run { fx, flagged, langs }
}

/// The language a fixture's `lang` field names, as the detector should read it.
fn expected_lang(code: &str) -> Lang {
    match code {
        "en" => Lang::English,
        "id" | "ms" => Lang::Indonesian,
        "fr" => Lang::French,
        "es" => Lang::Spanish,
        "pt" => Lang::Portuguese,
        "ru" => Lang::Russian,
        "zh" => Lang::Mandarin,
        "ar" => Lang::Arabic,
        "fa" => Lang::Persian,
        "ur" => Lang::Urdu,
        "hi" => Lang::Hindi,
        "bn" => Lang::Bengali,
        // The detector has no Swahili: it reads Swahili as Shona, whose profile has
        // Swahili's function words and dictionary.
        "sw" => Lang::Shona,
        "tl" => Lang::Tagalog,
        other => panic!("unexpected fixture language {other}"),
    }
}

#[test]
fn languages_are_detected_and_malay_reads_as_indonesian() {
    let Run { fx, langs, .. } = run();
    for f in &fx {
        assert_eq!(langs[&f.id], Some(expected_lang(&f.lang)), "{}", f.id);
    }
}

/// Same-event pairs the default settings miss, a known limit: the Indonesian write-ups were
/// written apart from the English ones, and the Russian and Chinese dictionaries map fewer of
/// their words than the Indonesian lexicon (scores 0.127 and 0.124 against 0.17).
const KNOWN_MISSES: &[(&str, &str)] = &[("rate-id", "rate-ru"), ("flood-id", "flood-zh")];

#[test]
fn every_same_event_pair_is_flagged() {
    let Run { fx, flagged, .. } = run();
    let mut n = 0;
    for (i, a) in fx.iter().enumerate() {
        for b in &fx[i + 1..] {
            if a.event == b.event {
                n += 1;
                let k = key(&a.id, &b.id);
                if KNOWN_MISSES.iter().any(|&(x, y)| key(x, y) == k) {
                    continue;
                }
                assert!(
                    flagged.contains(&k),
                    "{} and {} tell one event but were not flagged",
                    a.id,
                    b.id
                );
            }
        }
    }
    assert_eq!(
        n, 24,
        "5 en-id pairs, the headline against both flood articles, the rate cut in fr, es and ru \
         against en, id and each other, the rate hold in en and fr, and the flood in pt and zh \
         against en, id, the headline and each other"
    );
    // Every known miss is a same-event pair of the fixtures.
    let event: HashMap<&str, &str> = fx
        .iter()
        .map(|f| (f.id.as_str(), f.event.as_str()))
        .collect();
    for (a, b) in KNOWN_MISSES {
        assert_eq!(event[a], event[b], "{a} {b}");
    }
}

#[test]
fn different_events_across_languages_are_not_flagged() {
    let Run { fx, flagged, .. } = run();
    let by_id: HashMap<&str, &Fixture> = fx.iter().map(|f| (f.id.as_str(), f)).collect();
    for (a, b) in &flagged {
        let (fa, fb) = (by_id[a.as_str()], by_id[b.as_str()]);
        if fa.event != fb.event && fa.lang != fb.lang {
            panic!("{a} and {b} are different events in different languages but were flagged");
        }
    }
}

#[test]
fn same_topic_distractors_in_one_language_stay_rare() {
    // Known limit (README "Limits"): a distractor written in the same language with the same
    // names can pass the same-language threshold. This guards against it getting worse.
    let Run { fx, flagged, .. } = run();
    let by_id: HashMap<&str, &Fixture> = fx.iter().map(|f| (f.id.as_str(), f)).collect();
    let false_flags: Vec<_> = flagged
        .iter()
        .filter(|(a, b)| by_id[a.as_str()].event != by_id[b.as_str()].event)
        .collect();
    assert!(false_flags.len() <= 2, "false flags: {false_flags:?}");
    assert!(false_flags
        .iter()
        .all(|(a, b)| !a.starts_with("penang") && !b.starts_with("penang")));
}

/// The fixtures of the languages whose built-in dictionaries have no stemmer to lean on, or
/// a stemmer that leaves broken plurals apart (`tests/fixtures/crosslang-scripts.jsonl`:
/// Arabic, Persian, Urdu, Hindi, Bengali, Swahili and Tagalog), read in one corpus with
/// the first file's. Each is a separately written report of an English fixture's event.
fn scripts_run() -> Run {
    let mut fx = fixtures();
    let first = fx.len();
    fx.extend(fixtures_of("crosslang-scripts.jsonl"));
    assert!(fx.len() >= first + 8);
    run_on(fx)
}

#[test]
fn script_languages_are_detected() {
    let Run { fx, langs, .. } = scripts_run();
    for f in &fx {
        assert_eq!(langs[&f.id], Some(expected_lang(&f.lang)), "{}", f.id);
    }
}

/// Each item of the second file meets the English report of its event through its built-in
/// dictionary (the rate cut, the rate hold, the flood; not the headline-only English item,
/// which scores about 0.09 against the Hindi and Urdu floods), and no item of another event
/// in another language. Pairs between two of these languages, or with the separately written
/// Indonesian items, are not asserted: several score under the cross-language threshold
/// (Arabic against Indonesian 0.11), the limit `KNOWN_MISSES` records for Russian and Chinese.
#[test]
fn script_languages_meet_their_english_report_and_no_other_event() {
    let Run { fx, flagged, .. } = scripts_run();
    let scripts = fixtures_of("crosslang-scripts.jsonl");
    let mut found = 0;
    for s in &scripts {
        for f in fx.iter().filter(|f| f.lang == "en") {
            let k = key(&s.id, &f.id);
            if f.event == s.event && !f.id.contains("headline") {
                found += 1;
                assert!(
                    flagged.contains(&k),
                    "{} and {} tell one event but were not flagged",
                    s.id,
                    f.id
                );
            }
        }
        for f in &fx {
            if f.event != s.event && f.lang != s.lang {
                assert!(
                    !flagged.contains(&key(&s.id, &f.id)),
                    "{} and {} are different events in different languages but were flagged",
                    s.id,
                    f.id
                );
            }
        }
    }
    assert_eq!(found, scripts.len(), "one English report per item");
}
