//! Language detection: the confidence is a number a user can threshold, and one word
//! repeated is no language.

use lintas::{detect_language, DetectionMethod, Lang};
use serde_json::Value;

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
