//! The analysis output, pinned.
//!
//! Two checks keep every refactor of the text half honest:
//!
//! * **The golden file** `tests/golden/analysis.txt`: for every document of the bundled sample
//!   (`examples/data/*.jsonl`) and the test fixtures (`tests/fixtures/*.jsonl`), its detection
//!   and every feature (kind, label, count, position). Any difference fails with a per-document diff.
//! * **The dev-pool digests** `tests/golden/dev-pools.tsv`: one digest per document of every
//!   pool in `../shared/eval` (the same record as the golden file, hashed), checked whenever
//!   that directory exists, and required when `CI=true`.
//!
//! When a change of the analysis output is intended, regenerate both and review the diff of
//! `tests/golden/` in the commit:
//!
//! ```text
//! LINTAS_BLESS=1 cargo test --release --test golden_analysis
//! ```
//!
//! A document is analysed as `dedup` reads it: its title and text given apart
//! ([`Analyzer::analyze_article`], whose features are those of the title, when it is not
//! already the start of the text, followed by a blank line and the text).

use lintas::{Analysis, Analyzer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const GOLDEN: &str = "tests/golden/analysis.txt";
const DIGESTS: &str = "tests/golden/dev-pools.tsv";
const POOLS: [&str; 3] = [
    "dev-en-id.jsonl",
    "dev-independent.jsonl",
    "dev-multi.jsonl",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bless() -> bool {
    std::env::var_os("LINTAS_BLESS").is_some_and(|v| v != "0")
}

/// `(id, title, text)` of every line of a JSONL file.
fn documents(path: &Path) -> Vec<(String, Option<String>, String)> {
    let data = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1));
            let id = match &v["id"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let text = v["text"].as_str().unwrap_or_default().to_string();
            (id, v["title"].as_str().map(str::to_string), text)
        })
        .collect()
}

/// The canonical record of one analysis: detection, then every feature sorted by kind and
/// label, with its count and position.
fn record(a: &Analysis) -> String {
    let d = a.detection();
    let mut out = String::new();
    writeln!(
        out,
        "detection {} {:?} {:.4} words={} truncated={}",
        d.lang().map_or("und", |l| l.code()),
        d.method(),
        d.confidence(),
        a.word_count(),
        a.truncated()
    )
    .unwrap();
    let mut feats: Vec<_> = a.features().iter().collect();
    feats.sort_by(|x, y| (x.kind, &x.label).cmp(&(y.kind, &y.label)));
    for f in feats {
        writeln!(out, "{} {} {} {}", f.kind, f.label, f.count, f.position).unwrap();
    }
    out
}

fn jsonl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    files
}

/// The golden text: one block per document, headed `== FILE ID`.
fn golden_text() -> String {
    let root = root();
    let analyzer = Analyzer::new();
    let mut out = String::from(
        "# The analysis of every bundled and fixture document (tests/golden_analysis.rs).\n\
         # Regenerate with: LINTAS_BLESS=1 cargo test --release --test golden_analysis\n",
    );
    for dir in ["examples/data", "tests/fixtures"] {
        for file in jsonl_files(&root.join(dir)) {
            let rel = file.strip_prefix(&root).unwrap().display().to_string();
            for (id, title, text) in documents(&file) {
                writeln!(out, "== {rel} {id}").unwrap();
                out.push_str(&record(&analyzer.analyze_article(title.as_deref(), &text)));
            }
        }
    }
    out
}

/// Splits a golden text into its document blocks, by header.
fn blocks(text: &str) -> BTreeMap<String, Vec<&str>> {
    let mut map = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("== ") {
            current = Some(h.to_string());
            map.insert(h.to_string(), Vec::new());
        } else if let Some(h) = &current {
            map.get_mut(h).unwrap().push(line);
        }
    }
    map
}

/// A readable diff: per document, the lines only in the expected block (`-`) and only in the
/// new one (`+`); documents missing on either side.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a) = (blocks(expected), blocks(actual));
    let mut out = String::new();
    let mut shown = 0;
    for (doc, lines) in &e {
        let Some(new) = a.get(doc) else {
            writeln!(out, "document gone: {doc}").unwrap();
            continue;
        };
        if lines == new {
            continue;
        }
        shown += 1;
        if shown > 12 {
            continue;
        }
        writeln!(out, "--- {doc}").unwrap();
        let old_set: std::collections::HashSet<_> = lines.iter().collect();
        let new_set: std::collections::HashSet<_> = new.iter().collect();
        for l in lines.iter().filter(|l| !new_set.contains(l)).take(40) {
            writeln!(out, "-{l}").unwrap();
        }
        for l in new.iter().filter(|l| !old_set.contains(l)).take(40) {
            writeln!(out, "+{l}").unwrap();
        }
        if lines.len() == new.len() && old_set == new_set {
            writeln!(out, " (same lines, other order)").unwrap();
        }
    }
    for doc in a.keys().filter(|d| !e.contains_key(*d)) {
        writeln!(out, "document new: {doc}").unwrap();
    }
    if shown > 12 {
        writeln!(out, "… and {} more documents differ", shown - 12).unwrap();
    }
    out
}

#[test]
fn analysis_matches_the_golden_file() {
    let path = root().join(GOLDEN);
    let actual = golden_text();
    if bless() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {GOLDEN} ({e}); make it with \
             LINTAS_BLESS=1 cargo test --release --test golden_analysis"
        )
    });
    if expected != actual {
        panic!(
            "the analysis output changed ({GOLDEN}):\n{}\nIf the change is intended, \
             regenerate with LINTAS_BLESS=1 cargo test --release --test golden_analysis \
             and review the diff in the commit.",
            diff(&expected, &actual)
        );
    }
}

#[test]
fn the_diff_names_what_changed() {
    let old = "# c\n== a.jsonl x\ndetection en Whatlang 0.5000 words=3 truncated=false\n\
               concept flood 2\n== a.jsonl y\nconcept rain 1\n";
    let new = "# c\n== a.jsonl x\ndetection en Whatlang 0.5000 words=3 truncated=false\n\
               concept flood 3\n== a.jsonl z\nconcept rain 1\n";
    let d = diff(old, new);
    assert!(
        d.contains("--- a.jsonl x\n-concept flood 2\n+concept flood 3\n"),
        "{d}"
    );
    assert!(d.contains("document gone: a.jsonl y"), "{d}");
    assert!(d.contains("document new: a.jsonl z"), "{d}");
    assert_eq!(diff(old, old), "");
}

/// The digest of one record: XXH3-64 of its bytes, in hex.
fn digest(record: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(record.as_bytes()))
}

#[test]
fn dev_pools_match_their_digests() {
    let shared = root().join("../shared/eval");
    if !shared.join(POOLS[0]).exists() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but {} is missing: the dev-pool digests cannot be checked",
            shared.display()
        );
        eprintln!(
            "SKIP: {} not found; dev-pool digests not checked",
            shared.display()
        );
        return;
    }
    let mut actual = String::from(
        "# pool\tid\tXXH3 of the analysis record (tests/golden_analysis.rs); regenerate with\n\
         # LINTAS_BLESS=1 cargo test --release --test golden_analysis\n",
    );
    for pool in POOLS {
        let analyzer = Analyzer::new();
        for (id, title, text) in documents(&shared.join(pool)) {
            let r = record(&analyzer.analyze_article(title.as_deref(), &text));
            writeln!(actual, "{pool}\t{id}\t{}", digest(&r)).unwrap();
        }
    }
    let path = root().join(DIGESTS);
    if bless() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {DIGESTS} ({e})"));
    if expected == actual {
        return;
    }
    let old: BTreeMap<_, _> = expected
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.rsplit_once('\t'))
        .collect();
    let new: BTreeMap<_, _> = actual
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.rsplit_once('\t'))
        .collect();
    let changed: Vec<_> = old
        .iter()
        .filter(|(k, v)| new.get(*k) != Some(v))
        .map(|(k, _)| k.replace('\t', " "))
        .collect();
    let added = new.keys().filter(|k| !old.contains_key(*k)).count();
    panic!(
        "the analysis of {} dev-pool documents changed or is gone ({} new), e.g.:\n  {}\n\
         If intended, regenerate with LINTAS_BLESS=1 cargo test --release --test golden_analysis",
        changed.len(),
        added,
        changed
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}
