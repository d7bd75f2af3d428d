//! Language detection: the confidence is a number a user can threshold, and one word
//! repeated is no language.

use lintas::{detect_language, DetectionMethod, Lang};
use serde_json::Value;
use std::collections::BTreeMap;

#[test]
fn one_word_repeated_is_undetermined() {
    for text in [
        "banjir banjir banjir banjir banjir banjir",
        "Jakarta Jakarta Jakarta Jakarta",
        "aaaa bbbb aaaa bbbb aaaa bbbb",
    ] {
        let d = detect_language(text);
        assert_eq!(d.lang(), None, "{text}: {d:?}");
        assert_eq!(d.method(), DetectionMethod::Undetermined);
    }
}

#[test]
fn clear_indonesian_and_english_are_confident() {
    let id = detect_language(
        "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 warga \
         mengungsi, kata BNPB. Pemerintah kota itu telah membuka tempat pengungsian.",
    );
    assert_eq!(id.lang(), Some(Lang::Indonesian));
    assert!(id.confidence() >= 0.79, "{id:?}");
    let en = detect_language(
        "The central bank kept its benchmark rate at 5.25 percent on Wednesday, and said \
         that it would watch the inflation figures for the rest of the year.",
    );
    assert_eq!(en.lang(), Some(Lang::English));
    assert!(en.confidence() >= 0.99, "{en:?}");
}

/// On the dev pools (15 languages, their `lang` field as the truth): among documents
/// detected with a confidence at or above `c`, at least a share `c` is right.
#[test]
fn confidence_is_calibrated_on_the_dev_pools() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    let pools = [
        "dev-en-id.jsonl",
        "dev-independent.jsonl",
        "dev-multi.jsonl",
    ];
    if !dir.join(pools[0]).exists() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but {} is missing",
            dir.display()
        );
        eprintln!("SKIP: {} not found", dir.display());
        return;
    }
    let mut seen: Vec<(f64, bool)> = Vec::new();
    for pool in pools {
        let data = std::fs::read_to_string(dir.join(pool)).unwrap();
        for line in data.lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap_or_default();
            let text = match v["title"].as_str() {
                Some(t) if !t.trim().is_empty() => format!("{t}\n\n{text}"),
                _ => text.to_string(),
            };
            let d = detect_language(&text);
            let right = d.lang().map(|l| l.code()) == v["lang"].as_str();
            seen.push((d.confidence(), right));
        }
    }
    for c in [0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99] {
        let above: Vec<bool> = seen.iter().filter(|s| s.0 >= c).map(|s| s.1).collect();
        if above.is_empty() {
            continue;
        }
        let share = above.iter().filter(|&&r| r).count() as f64 / above.len() as f64;
        eprintln!(
            "confidence >= {c}: {} documents, {share:.3} right",
            above.len()
        );
        assert!(
            share >= c - 0.01,
            "confidence >= {c}: only {share:.3} right"
        );
    }
}

/// Headlines given alone (`tests/fixtures/headlines.jsonl`, written by the project: 32
/// English, 30 Indonesian, and 58 in French, Spanish, German, Portuguese, Italian, Tagalog and
/// Swahili), as `dedup` reads a feed of titles with no body. whatlang's trigram models are
/// unreliable on 40–70 characters: before the lexicon vote, 20 of the English and 9 of the
/// Indonesian headlines were read as another language (fr, ro, la, ca, nl, jv, …), so their
/// words became that language's local words and could match nothing across languages.
/// One line of `tests/fixtures/headlines.jsonl`.
struct Headline {
    id: String,
    lang: String,
    event: String,
    title: String,
    text: String,
}

fn headlines() -> Vec<Headline> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/headlines.jsonl");
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            Headline {
                id: s("id"),
                lang: s("lang"),
                event: s("event"),
                title: s("title"),
                text: s("text"),
            }
        })
        .collect()
}

#[test]
fn headlines_alone_are_read_as_their_language() {
    let analyzer = lintas::Analyzer::new();
    let (mut right, mut total) = (BTreeMap::new(), BTreeMap::new());
    for Headline { lang, title, .. } in headlines() {
        let title = title.as_str();
        let a = analyzer.analyze_article(Some(title), "");
        let d = a.detection();
        // The free function votes with the built-in lexicon too.
        assert_eq!(detect_language(title), d, "{title}");
        let got = d.lang().map(|l| l.code());
        // Swahili is read as Shona (whatlang has no Swahili model; Shona's profile carries
        // the Swahili dictionary and function words).
        let lang = if lang == "sw" { "sn".to_string() } else { lang };
        *total.entry(lang.clone()).or_insert(0) += 1;
        *right.entry(lang.clone()).or_insert(0) += usize::from(got == Some(&*lang));
        // The vote never reads another language's headline as English or Indonesian.
        if d.method() == DetectionMethod::Lexicon {
            assert_eq!(got, Some(&*lang), "{title}: {d:?}");
        }
        // Read as English or Indonesian, a headline's words are concepts, not local words.
        if got == Some(&*lang) && matches!(&*lang, "en" | "id") {
            assert!(
                a.features()
                    .iter()
                    .all(|f| f.kind != lintas::FeatureKind::Local),
                "{title}"
            );
        }
    }
    eprintln!("right per language: {right:?} of {total:?}");
    // Measured: English 31 of 32, Indonesian 30 of 30 (12 and 21 before the vote, 31 and 29
    // before its short-text rule, ANALYSIS_VERSION 27).
    assert!(
        right["en"] >= 30,
        "English: {} of {}",
        right["en"],
        total["en"]
    );
    assert!(
        right["id"] >= 29,
        "Indonesian: {} of {}",
        right["id"],
        total["id"]
    );
}

/// The same headlines through the whole pipeline: the 30 English–Indonesian pairs of the
/// fixture (one event, one headline in each language, written separately as translations)
/// are found because both sides are now read as their language.
#[test]
fn headline_translations_are_found_when_read_as_their_language() {
    let mut d = lintas::Detector::new();
    let mut meta = BTreeMap::new();
    for h in headlines() {
        let a = d.analyzer().analyze_article(Some(&h.title), &h.text);
        d.push_analyzed(h.id.as_str(), &a).unwrap();
        meta.insert(h.id, (h.lang, h.event));
    }
    let (mut found, mut false_flags) = (0, 0);
    for m in d.pairs() {
        let ((la, ea), (lb, eb)) = (&meta[&*m.a], &meta[&*m.b]);
        let mut langs = [la.as_str(), lb.as_str()];
        langs.sort_unstable();
        if langs == ["en", "id"] {
            if ea == eb {
                found += 1;
            } else {
                false_flags += 1;
            }
        }
    }
    eprintln!("{found} of 30 headline translations found, {false_flags} false");
    // Measured: 27 of 30 found, 3 false (11 and 1 before the lexicon vote; 26 and 2 before
    // its short-text rule, ANALYSIS_VERSION 27; 27 and 2 until version 34, whose lexicon
    // reads one Indonesian headline's `kereta anjlok` as derail rather than train + fall:
    // `fall` became rarer in this pool of 60 headlines, and the oil-price headline against
    // the coffee-price one, which share only `price` and `fall`, rose to 0.176).
    assert!(found >= 26, "{found} of 30 headline translations found");
    assert!(
        false_flags <= 3,
        "{false_flags} false English–Indonesian flags"
    );
}
