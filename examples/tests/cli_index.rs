//! `dedup --index DIR`: a persistent index from the command line. The dev pools (or the
//! bundled sample) added in two runs give the pairs of one run over everything that involve
//! the second; repeated ids, deletions and compaction; an index of another analysis refused
//! and rebuilt.

mod common;

use common::{dedup, EN, ID};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The ids of a pair line (`a`, `b`).
fn ab(line: &str) -> (String, String) {
    let v: serde_json::Value = serde_json::from_str(line).expect("a JSON pair line");
    let id = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    (id("a"), id("b"))
}

fn tmp(name: &str) -> PathBuf {
    common::tmp("cli-index", name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs `dedup` and expects exit status 0; returns standard error.
#[track_caller]
fn ok(args: &[&str]) -> String {
    let out = dedup(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "dedup {args:?}: {err}");
    err
}

/// Runs `dedup` expecting a runtime error (exit 1); its standard error.
fn fails(args: &[&str]) -> String {
    let out = dedup(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "dedup {args:?}: {err}");
    err
}

fn lines(p: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// One JSONL input line (with its line end).
fn line(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "text": text}).to_string() + "\n"
}

/// A day-to-day run: `monday` (JSONL lines) indexed into a fresh index `<name>`, then the
/// Indonesian article `ID` added as Tuesday's batch with its pairs written to a file and
/// `extra` arguments. Returns the index directory, Tuesday's input, its pairs file and the
/// second run's standard error.
fn monday_then_tuesday(
    name: &str,
    monday: &str,
    extra: &[&str],
) -> (PathBuf, PathBuf, PathBuf, String) {
    let dir = tmp(name);
    let _ = std::fs::remove_dir_all(&dir);
    let (mon, tue, out) = (
        tmp(&format!("{name}-monday.jsonl")),
        tmp(&format!("{name}-tuesday.jsonl")),
        tmp(&format!("{name}-pairs.jsonl")),
    );
    std::fs::write(&mon, monday).unwrap();
    std::fs::write(&tue, line("id", ID)).unwrap();
    ok(&["--index", s(&dir), "--input", s(&mon), "--quiet"]);
    let mut args = vec![
        "--index",
        s(&dir),
        "--input",
        s(&tue),
        "--output",
        s(&out),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let err = ok(&args);
    (dir, tue, out, err)
}

fn ids_of(jsonl: &str) -> BTreeSet<String> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            match &v["id"] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            }
        })
        .collect()
}

/// The dev pools when `../shared/eval` is there (required under CI=true), else the sample.
fn pools() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = root.join("../shared/eval");
    let names = ["dev-en-id.jsonl", "dev-independent.jsonl"];
    if shared.join(names[0]).exists() {
        return names.iter().map(|n| shared.join(n)).collect();
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "CI=true but {} is missing",
        shared.display()
    );
    eprintln!(
        "SKIP dev pools: {} not found; the sample only",
        shared.display()
    );
    vec![root.join("examples/data/sample.jsonl")]
}

#[test]
fn two_runs_through_an_index_give_the_one_run_pairs_of_the_second() {
    for pool in pools() {
        let name = pool.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&pool).unwrap();
        let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let (first, second) = all.split_at(all.len() / 2);
        let (a, b) = (
            tmp(&format!("{name}-a.jsonl")),
            tmp(&format!("{name}-b.jsonl")),
        );
        std::fs::write(&a, first.join("\n") + "\n").unwrap();
        std::fs::write(&b, second.join("\n") + "\n").unwrap();
        let dir = tmp(&format!("{name}-index"));
        let _ = std::fs::remove_dir_all(&dir);
        let (one, p1, p2) = (
            tmp(&format!("{name}-one.jsonl")),
            tmp(&format!("{name}-p1.jsonl")),
            tmp(&format!("{name}-p2.jsonl")),
        );
        ok(&["--input", s(&pool), "--output", s(&one), "--quiet"]);
        let err = ok(&["--index", s(&dir), "--input", s(&a), "--output", s(&p1)]);
        assert!(err.contains("KB in memory per indexed document"), "{err}");
        ok(&[
            "--index",
            s(&dir),
            "--input",
            s(&b),
            "--output",
            s(&p2),
            "--quiet",
        ]);

        let new = ids_of(&second.join("\n"));
        let want: BTreeSet<String> = lines(&one)
            .into_iter()
            .filter(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                new.contains(v["b"].as_str().unwrap())
            })
            .collect();
        assert!(!want.is_empty(), "{name}");
        // Byte-identical lines (ids, scores, explanations).
        assert_eq!(lines(&p2), want, "{name}: second run");
        let old = ids_of(&first.join("\n"));
        let p1_lines = lines(&p1);
        assert!(p1_lines.iter().all(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            old.contains(v["a"].as_str().unwrap()) && old.contains(v["b"].as_str().unwrap())
        }));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.jsonl");

#[test]
fn repeated_ids_deletions_and_compaction() {
    let dir = tmp("life");
    let _ = std::fs::remove_dir_all(&dir);
    let out = tmp("life-pairs.jsonl");
    ok(&["--index", s(&dir), "--input", SAMPLE, "--output", s(&out)]);
    assert!(!lines(&out).is_empty());
    // The same input again: every document is already indexed.
    let err = ok(&["--index", s(&dir), "--input", SAMPLE, "--output", s(&out)]);
    assert!(
        err.contains("20 document(s) already indexed were skipped"),
        "{err}"
    );
    assert!(lines(&out).is_empty());
    let strict = fails(&["--index", s(&dir), "--input", SAMPLE, "--strict", "--quiet"]);
    assert!(strict.contains("already indexed"), "{strict}");
    // Delete one article of a pair, compact, and add it again: its pair comes back.
    let ids = tmp("life-ids.txt");
    std::fs::write(&ids, "quake-id\nnot-indexed\n").unwrap();
    let err = ok(&["--index", s(&dir), "--delete-ids", s(&ids), "--compact"]);
    assert!(
        err.contains("1 deleted") && err.contains("1 of the 2 ids"),
        "{err}"
    );
    assert!(err.contains("19 documents in 1 segment(s)"), "{err}");
    let segments: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("seg-"))
        .collect();
    assert_eq!(segments.len(), 1);
    let err = ok(&["--index", s(&dir), "--input", SAMPLE, "--output", s(&out)]);
    assert!(
        err.contains("19 document(s) already indexed") && err.contains("1 added"),
        "{err}"
    );
    let back = lines(&out);
    assert!(
        back.iter()
            .any(|l| ab(l) == ("quake-en".into(), "quake-id".into())),
        "{back:?}"
    );
    // Expiry: with a window of 0 days, everything added before this second goes.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let err = ok(&["--index", s(&dir), "--expire-days", "0"]);
    assert!(
        err.contains("20 expired") && err.contains("0 documents"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn another_analysis_or_threshold_is_refused_and_a_kept_text_index_rebuilds() {
    let dir = tmp("analysis");
    let _ = std::fs::remove_dir_all(&dir);
    let lexicon = tmp("extra.tsv");
    std::fs::write(&lexicon, "gempa\tearthquake\nlindu\tearthquake\n").unwrap();
    ok(&[
        "--index",
        s(&dir),
        "--input",
        SAMPLE,
        "--keep-texts",
        "--quiet",
    ]);
    let lex = format!("id:{}", s(&lexicon));
    let err = fails(&["--index", s(&dir), "--lexicon", &lex, "--input", SAMPLE]);
    assert!(
        err.contains("analysis fingerprint") && err.contains("--rebuild"),
        "{err}"
    );
    let threshold = fails(&["--index", s(&dir), "--threshold", "0.3", "--quiet"]);
    assert!(threshold.contains("thresholds"), "{threshold}");
    // Rebuilt with the new lexicon, the index opens with it (and no longer without it).
    let err = ok(&["--index", s(&dir), "--lexicon", &lex, "--rebuild"]);
    assert!(err.contains("20 documents"), "{err}");
    ok(&["--index", s(&dir), "--lexicon", &lex, "--quiet"]);
    fails(&["--index", s(&dir), "--quiet"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_article_of_today_pairs_with_one_of_yesterday() {
    let (dir, _, out, _) = monday_then_tuesday("days", &line("en", EN), &[]);
    let pairs: Vec<String> = lines(&out).into_iter().collect();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(ab(&pairs[0]), ("en".into(), "id".into()), "{}", pairs[0]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--explain` with an index: a pair the run flags, a pair of two documents indexed before the
/// run (not a pair of this run, scored with the frequencies as they stand), and a pair under
/// its threshold; on standard error, after the save, with the pairs file untouched by it.
#[test]
fn explain_with_an_index_tells_this_runs_pairs_from_older_ones() {
    let other = "The central bank held its benchmark rate at 5.25 percent on Wednesday.";
    let monday = line("en", EN) + &line("en-again", EN) + &line("bank", other);
    let (dir, tuesday, out, err) = monday_then_tuesday(
        "explain",
        &monday,
        &[
            "--explain",
            "id",
            "en",
            "--explain",
            "en",
            "en-again",
            "--explain",
            "bank",
            "id",
        ],
    );
    let verdicts: Vec<&str> = err
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("flagged") || l.starts_with("not "))
        .collect();
    assert_eq!(verdicts.len(), 3, "{err}");
    assert_eq!(verdicts[0], "flagged", "{err}");
    assert!(
        verdicts[1].starts_with("not a pair of this run: both were indexed before it"),
        "{err}"
    );
    assert_eq!(verdicts[2], "not flagged: under its threshold", "{err}");
    for l in lines(&out) {
        ab(&l);
    }
    // An unknown id: exit 1 after the save, naming it.
    let bad = fails(&[
        "--index",
        s(&dir),
        "--input",
        s(&tuesday),
        "--quiet",
        "--explain",
        "id",
        "nope",
    ]);
    assert!(bad.contains("no document with id \"nope\""), "{bad}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn index_options_without_an_index_are_usage_errors() {
    for args in [
        &["--compact"][..],
        &["--keep-texts", "--input", SAMPLE],
        &["--delete-ids", "x"],
        &["--expire-days", "3"],
        &["--index", "x", "--expire-days", "soon"],
        &["--index", "x", "--clusters"],
        &["--index", "x", "--groups"],
    ] {
        assert_eq!(dedup(args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn publication_dates_are_kept_by_the_index_and_its_window_is_its_own() {
    let dir = tmp("dates-index");
    let _ = std::fs::remove_dir_all(&dir);
    let dated = |id: &str, text: &str, day: &str| {
        serde_json::json!({"id": id, "text": text, "published": day}).to_string() + "\n"
    };
    let monday = tmp("dates-monday.jsonl");
    std::fs::write(&monday, dated("en", EN, "2026-02-09")).unwrap();
    let next = tmp("dates-next.jsonl");
    // The same event the next day, and a year later.
    std::fs::write(
        &next,
        dated("id", ID, "2026-02-10") + &dated("id-later", &format!("{ID} Lagi."), "2027-02-10"),
    )
    .unwrap();
    let out = tmp("dates-pairs.jsonl");
    let args = ["--date-field", "published", "--max-days", "5"];
    ok(&[&["--input", s(&monday), "--index", s(&dir)][..], &args].concat());
    // The window stored with the index applies without --max-days; the first batch's date was
    // stored with it.
    ok(&[
        "--input",
        s(&next),
        "--index",
        s(&dir),
        "--date-field",
        "published",
        "--output",
        s(&out),
    ]);
    let pairs: BTreeSet<_> = lines(&out).iter().map(|l| ab(l)).collect();
    let want: BTreeSet<_> = [("en", "id")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(pairs, want);
    // Another window for this index is refused, not ignored.
    let refused = fails(&[
        "--input",
        s(&next),
        "--index",
        s(&dir),
        "--date-field",
        "published",
        "--max-days",
        "3",
    ]);
    assert!(
        refused.contains("created with --max-days 5, not 3"),
        "{refused}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
