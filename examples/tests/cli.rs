//! The `dedup` examples binary's contract: exit codes, JSONL in and out, malformed lines
//! reported with their line numbers, `--strict`, plain-text files, the bundled sample.
//! `cargo test` at the workspace root builds the examples (the `lintas-examples` member, in
//! `examples/`) next to the test binaries; these tests run that build.

use serde_json::Value;
mod common;

use common::{dedup, dedup_bin, EN, ID};
use std::path::PathBuf;
use std::process::{Command, Output};

fn tmp(name: &str) -> PathBuf {
    common::tmp("cli", name)
}

const OTHER: &str = "The central bank held its benchmark interest rate at 5.25 percent on Wednesday, citing stable inflation and a firmer rupiah.";

fn line(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "text": text, "lang": "xx"}).to_string()
}

#[test]
fn jsonl_in_pairs_out_with_malformed_lines_reported() {
    let input = tmp("in.jsonl");
    let output = tmp("out.jsonl");
    let body = [
        line("en", EN),
        "{not json".to_string(),
        line("id", ID),
        r#"{"id": "no-text"}"#.to_string(),
        String::new(),
        line("other", OTHER),
        line("en", "duplicate id"),
    ]
    .join("\n");
    let mut bytes = body.into_bytes();
    bytes.extend_from_slice(b"\n{\"id\": \"bad-utf8\", \"text\": \"\xff\xfe\"}\n");
    std::fs::write(&input, bytes).unwrap();
    let out = dedup(&[
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for needle in [
        ":2: skipped: not JSON",
        ":4: skipped: missing `text`",
        ":7: skipped: duplicate id",
        ":8: skipped: invalid UTF-8",
        "4 malformed line(s) skipped, 3 document(s) read",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    let pairs: Vec<Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let p = &pairs[0];
    let mut ids = [p["a"].as_str().unwrap(), p["b"].as_str().unwrap()];
    ids.sort();
    assert_eq!(ids, ["en", "id"]);
    assert!(p["score"].as_f64().unwrap() > 0.0);
    assert!(p["shared"].as_array().is_some_and(|s| !s.is_empty()));
}

#[test]
fn a_file_written_with_a_byte_order_mark_and_crlf_reads_every_line() {
    // Windows tools open UTF-8 files with a byte-order mark and end lines with CRLF.
    let input = tmp("bom.jsonl");
    let body = format!("\u{FEFF}{}\r\n{}\r\n", line("en", EN), line("id", ID));
    std::fs::write(&input, body).unwrap();
    let out = dedup(&["--input", input.to_str().unwrap(), "--strict"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("skipped"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn strict_stops_at_the_first_malformed_line() {
    let input = tmp("strict.jsonl");
    std::fs::write(
        &input,
        format!("{}\n[1, 2]\n{}\n", line("a", EN), line("b", ID)),
    )
    .unwrap();
    let out = dedup(&["--input", input.to_str().unwrap(), "--strict", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(":2: not a JSON object"), "{err}");
}

#[test]
fn usage_errors_exit_2_and_runtime_errors_exit_1() {
    assert_eq!(dedup(&["--bogus"]).status.code(), Some(2));
    assert_eq!(dedup(&["--threshold", "abc"]).status.code(), Some(2));
    assert_eq!(dedup(&["--threshold", "1.5"]).status.code(), Some(2));
    assert_eq!(dedup(&["--input"]).status.code(), Some(2));
    assert_eq!(
        dedup(&["--input", "/nonexistent/corpus.jsonl", "--quiet"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(dedup(&["--help"]).status.code(), Some(0));
}

#[test]
fn no_duplicates_is_still_success_and_empty_input_is_fine() {
    let input = tmp("none.jsonl");
    std::fs::write(&input, format!("{}\n", line("only", OTHER))).unwrap();
    let out = dedup(&["--input", input.to_str().unwrap(), "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let empty = tmp("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(
        dedup(&["--input", empty.to_str().unwrap(), "--quiet"])
            .status
            .code(),
        Some(0)
    );
    // The summary of an empty input gives no memory per document (there is none).
    let out = dedup(&["--input", empty.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dedup: 0 documents, 0 flagged pairs") && !err.contains("per document"),
        "{err}"
    );
    let out = dedup(&["--input", input.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("KB held per document"), "{err}");
}

#[test]
fn plain_text_files_use_paths_as_ids_and_survive_invalid_utf8() {
    let a = tmp("a.txt");
    let b = tmp("b.txt");
    std::fs::write(&a, EN).unwrap();
    let mut bytes = ID.as_bytes().to_vec();
    bytes.extend_from_slice(b" \xff");
    std::fs::write(&b, bytes).unwrap();
    let out = dedup(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid UTF-8"), "{stderr}");
    assert!(
        stdout.contains("lang=en") && stdout.contains("lang=id"),
        "{stdout}"
    );
    assert!(
        stdout.contains(a.to_str().unwrap()) && stdout.contains("<->"),
        "{stdout}"
    );
}

#[test]
fn bundled_sample_runs_with_no_arguments() {
    let out = dedup(&[]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Documents (20)"), "{stdout}");
    for topic in ["quake", "deal", "court", "final", "health", "election"] {
        let pair = format!("{topic}-en <-> {topic}-id");
        assert!(stdout.contains(&pair), "{pair} missing:\n{stdout}");
    }
    // The same-topic articles: none is flagged with an article in the other language, and at
    // most the four the README names with the event article in their own language that shares
    // their names. Four is what `dedup` flagged when issue 10's two same-story distractors
    // (`court-distractor2-id`, `deal-distractor2-en`) were added, before any verifier change:
    // a ceiling on today's false flags, not the target (none).
    let flagged: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(" <-> ") && l.contains("distractor"))
        .collect();
    assert!(flagged.len() <= 4, "{flagged:?}");
    for l in &flagged {
        assert!(
            l.contains("final-en <-> final-distractor-en")
                || l.contains("election-en <-> election-distractor-en")
                || l.contains("deal-en <-> deal-distractor2-en")
                || l.contains("court-id <-> court-distractor2-id"),
            "{l}"
        );
    }
}

#[test]
fn lang_field_is_ignored_unless_asked_for() {
    // The fixture lines say "lang": "xx"; detection decides unless --use-lang-field.
    let input = tmp("lang.jsonl");
    let body = [
        serde_json::json!({"id": "e", "text": EN, "lang": "id"}).to_string(),
        serde_json::json!({"id": "i", "text": ID, "lang": "id"}).to_string(),
    ]
    .join("\n");
    std::fs::write(&input, body).unwrap();
    // One scale for both runs: forced to one language, the default verifier would decide the
    // pair by the event probability instead of the overlap score.
    let input = input.to_str().unwrap();
    let run = |extra: &[&str]| {
        let base = ["--input", input, "--quiet", "--verifier", "overlap"];
        dedup(&[&base[..], extra].concat())
    };
    let detected = run(&[]);
    let forced = run(&["--use-lang-field"]);
    assert_eq!(detected.status.code(), Some(0));
    assert_eq!(forced.status.code(), Some(0));
    let parse = |o: &Output| -> Vec<Value> {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let d = parse(&detected);
    assert_eq!(d.len(), 1);
    // Forced to Indonesian, the English text loses its concepts and the pair weakens.
    let f = parse(&forced);
    let score = |v: &[Value]| v.first().and_then(|p| p["score"].as_f64()).unwrap_or(0.0);
    assert!(score(&f) < score(&d), "forced {f:?} vs detected {d:?}");
}

#[test]
fn publication_dates_are_read_only_when_asked_for() {
    // One event in English and Indonesian (a day apart), the Indonesian text again a year
    // later, and a line whose date field is not a date.
    let input = tmp("dates.jsonl");
    let body = [
        serde_json::json!({"id": "en", "text": EN, "published": "2026-02-09T22:00:00-05:00"}),
        serde_json::json!({"id": "id", "text": ID, "published": "2026-02-10"}),
        serde_json::json!({"id": "id-later", "text": format!("{ID} Lagi."), "published": "2027-02-10"}),
        serde_json::json!({"id": "id-odd", "text": format!("{ID} Warga."), "published": 20260210}),
    ]
    .map(|v| v.to_string())
    .join("\n");
    std::fs::write(&input, body).unwrap();
    let input = input.to_str().unwrap();
    let pairs = |o: &Output| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| {
                let p: Value = serde_json::from_str(l).unwrap();
                (
                    p["a"].as_str().unwrap().into(),
                    p["b"].as_str().unwrap().into(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    // Without the flag the field is ignored: every write-up pairs.
    let plain = dedup(&["--input", input]);
    assert_eq!(plain.status.code(), Some(0));
    let all = pairs(&plain);
    assert!(all.contains(&pair("en", "id-later")) && all.contains(&pair("id", "id-later")));
    // With it, the pairs a year apart go; the undated line pairs with everything as before.
    let dated = dedup(&["--input", input, "--date-field", "published"]);
    let err = String::from_utf8_lossy(&dated.stderr);
    assert_eq!(dated.status.code(), Some(0), "{err}");
    let kept = pairs(&dated);
    let want: Vec<_> = all
        .iter()
        .filter(|(a, b)| !(b == "id-later" && (a == "en" || a == "id")))
        .cloned()
        .collect();
    assert_eq!(kept, want);
    assert!(
        kept.contains(&pair("en", "id")),
        "a day apart (its own time zone): {kept:?}"
    );
    for needle in [
        ":4: matched undated: `published` is 20260210, not a date string",
        "1 document(s) with an unreadable `published` were matched undated",
        "3 of 4 documents dated by `published` (pairs at most 3 days apart)",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    // --explain says why a pair a year apart is not flagged.
    let explained = dedup(&[
        "--input",
        input,
        "--date-field",
        "published",
        "--output",
        tmp("dates-out.jsonl").to_str().unwrap(),
        "--explain",
        "en",
        "id-later",
    ]);
    let err = String::from_utf8_lossy(&explained.stderr);
    assert!(
        err.contains("not flagged: published 366 days apart (--max-days 3)"),
        "{err}"
    );
    // A wide window keeps them; none compares nothing.
    for window in ["400", "none"] {
        let wide = dedup(&[
            "--input",
            input,
            "--date-field",
            "published",
            "--max-days",
            window,
        ]);
        assert_eq!(pairs(&wide), all, "--max-days {window}");
    }
    // Strict: the unreadable date is an error naming its line.
    let strict = dedup(&["--input", input, "--date-field", "published", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains(":4: `published` is 20260210"));
    // Usage errors.
    for args in [
        &["--input", input, "--max-days", "3"][..],
        &[
            "--input",
            input,
            "--date-field",
            "published",
            "--max-days",
            "soon",
        ],
        &["--input", input, "--date-field", "text"],
        &["--date-field", "published", "a.txt"],
    ] {
        assert_eq!(dedup(args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_closed_output_pipe_is_not_a_panic() {
    use std::process::Stdio;
    let mut child = Command::new(dedup_bin())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dedup runs");
    drop(child.stdout.take()); // the reader goes away, like `dedup | head -0`
    let out = child.wait_with_output().expect("dedup exits");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn every_pair_line_carries_its_evidence_and_the_event_verifier_is_chosen_by_flag() {
    let input = tmp("event.jsonl");
    std::fs::write(
        &input,
        [line("en", EN), line("id", ID), line("other", OTHER)].join("\n"),
    )
    .unwrap();
    let run = |extra: &[&str]| -> (Option<i32>, Vec<Value>, String) {
        let output = tmp(&format!("event-{}.out", extra.join("_")));
        let mut args = vec![
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let out = dedup(&args);
        let pairs = std::fs::read_to_string(&output)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (
            out.status.code(),
            pairs,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The default (overlap) decides by its score; the line also gives the evidence.
    let (code, pairs, err) = run(&[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(pairs.len(), 1);
    let p = &pairs[0];
    assert!(p["evidence"]["jaccard"].as_f64().unwrap() > 0.0);
    assert!(p["for"].as_object().is_some_and(|f| !f.is_empty()));
    assert_eq!(p["threshold"].as_f64(), Some(0.17));
    // The event verifier: the score is the probability, against its own threshold.
    let (code, pairs, err) = run(&["--verifier", "event"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(pairs[0]["threshold"].as_f64(), Some(0.5));
    assert!(pairs[0]["score"].as_f64().unwrap() >= 0.5);
    // An operating point by precision, announced with its measured recall.
    let (code, _, err) = run(&["--target-precision", "0.9"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("event verifier at threshold") && err.contains("recall"),
        "{err}"
    );
    // Refused: an unknown verifier, an unreachable precision, two ways to set a threshold.
    for bad in [
        &["--verifier", "neural"][..],
        &["--target-precision", "0.999"],
        &["--target-precision", "0"],
        &["--target-precision", "0.9", "--threshold", "0.5"],
        &["--target-precision", "0.9", "--verifier", "overlap"],
    ] {
        let (code, _, err) = run(bad);
        assert_eq!(code, Some(2), "{bad:?}: {err}");
    }
}

#[test]
fn freedict_auto_reports_what_it_loaded() {
    let input = tmp("auto.jsonl");
    std::fs::write(&input, [line("en", EN), line("id", ID)].join("\n")).unwrap();
    let out = dedup(&["--input", input.to_str().unwrap(), "--freedict", "auto"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    // Whatever is installed here, the run says what it loaded (or that nothing was there).
    assert!(err.contains("--freedict auto:"), "{err}");
    assert_eq!(dedup(&["--freedict"]).status.code(), Some(2));
    assert_eq!(dedup(&["--freedict", "automatic"]).status.code(), Some(2));
}

/// `--candidates-out` writes the candidate pairs before verification (a superset of the
/// flagged pairs, the earlier document first); `--parquet` is refused with `--index`.
#[test]
fn candidates_out_lists_the_candidate_pairs() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.jsonl");
    let (pairs, cands) = (tmp("cand-pairs.jsonl"), tmp("cand.jsonl"));
    let out = dedup(&[
        "--input",
        sample,
        "--output",
        pairs.to_str().unwrap(),
        "--candidates-out",
        cands.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let read = |p: &PathBuf| -> Vec<(String, String)> {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                (
                    v["a"].as_str().unwrap().into(),
                    v["b"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let (flagged, candidates) = (read(&pairs), read(&cands));
    assert!(!flagged.is_empty() && candidates.len() > flagged.len());
    for p in &flagged {
        assert!(candidates.contains(p), "{p:?} flagged but not a candidate");
    }
    let index = tmp("cand-index");
    let out = dedup(&["--index", index.to_str().unwrap(), "--candidates-out", "x"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Without the `parquet` feature, `--parquet` is a usage error that says how to build it.
#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_needs_the_feature() {
    let out = dedup(&["--parquet", "out"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--features parquet"), "{err}");
}

/// With the `parquet` feature, `--parquet DIR` writes the three files and changes nothing in
/// the JSONL pairs (their content: `lintas`'s tests/parquet.rs).
#[cfg(feature = "parquet")]
#[test]
fn parquet_writes_three_files_and_the_same_pairs() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.jsonl");
    let (plain, with) = (tmp("pq-plain.jsonl"), tmp("pq-with.jsonl"));
    let dir = tmp("pq-dir");
    let run = |out: &PathBuf, extra: &[&str]| {
        let mut args = vec!["--input", sample, "--output", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = dedup(&args);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    run(&plain, &["--quiet"]);
    let err = run(&with, &["--parquet", dir.to_str().unwrap()]);
    assert!(err.contains("20 signatures"), "{err}");
    assert_eq!(
        std::fs::read(&plain).unwrap(),
        std::fs::read(&with).unwrap()
    );
    for f in ["signatures.parquet", "keys.parquet", "pairs.parquet"] {
        let bytes = std::fs::read(dir.join(f)).unwrap();
        assert_eq!(&bytes[..4], b"PAR1", "{f}");
    }
    let out = dedup(&["--index", "x", "--parquet", "y"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Without the `parquet` feature, a Parquet input is refused with how to build for it (not
/// read as JSONL, which would report every line as malformed).
#[cfg(not(feature = "parquet"))]
#[test]
fn a_parquet_input_needs_the_feature() {
    let path = tmp("needs-feature.parquet");
    std::fs::write(&path, b"PAR1 and the rest of a file").unwrap();
    let out = dedup(&["--input", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("is a Parquet file") && err.contains("--features parquet"),
        "{err}"
    );
}

/// Writes `columns` as one Parquet file (several row groups when `rows_per_group` is less than
/// the rows), uncompressed.
#[cfg(feature = "parquet")]
fn write_parquet(
    name: &str,
    columns: Vec<(&str, arrow_array::ArrayRef)>,
    rows_per_group: usize,
) -> PathBuf {
    let path = tmp(name);
    let batch = arrow_array::RecordBatch::try_from_iter(columns).unwrap();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(rows_per_group))
        .build();
    let file = std::fs::File::create(&path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    path
}

/// `--input X.parquet`: the rows read as the JSONL lines of the same documents, whatever the
/// string or integer column types and row groups; dates from a string, date or timestamp
/// column.
#[cfg(feature = "parquet")]
#[test]
fn a_parquet_input_gives_the_pairs_of_the_same_jsonl() {
    use arrow_array::{
        ArrayRef, BinaryArray, Date32Array, Int64Array, StringArray, TimestampMillisecondArray,
    };
    use std::sync::Arc;
    let docs: Vec<Value> = std::fs::read_to_string(SAMPLE)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let field = |k: &str| -> Vec<Option<String>> {
        docs.iter()
            .map(|d| d[k].as_str().map(str::to_string))
            .collect()
    };
    let strings = |v: Vec<Option<String>>| -> ArrayRef { Arc::new(StringArray::from(v)) };
    let want = dedup(&["--input", SAMPLE, "--quiet"]);
    assert!(want.stdout.len() > 1000);
    let texts = field("text");
    let plain = write_parquet(
        "sample.parquet",
        vec![
            ("url", strings(vec![Some("x".into()); docs.len()])),
            ("id", strings(field("id"))),
            ("title", strings(field("title"))),
            ("text", strings(texts.clone())),
        ],
        7,
    );
    let got = dedup(&["--input", plain.to_str().unwrap(), "--quiet"]);
    assert_success(&got);
    assert_eq!(got.stdout, want.stdout);
    // Integer ids, the text as unannotated bytes, dates: against the same lines as JSONL.
    let n = docs.len() as i64;
    let days: Vec<i32> = (0..n).map(|i| 20454 + (i as i32 % 9) * 2).collect(); // from 2026-01-01
    let bytes: Vec<Option<&[u8]>> = texts
        .iter()
        .map(|t| t.as_deref().map(str::as_bytes))
        .collect();
    let typed = write_parquet(
        "typed.parquet",
        vec![
            (
                "id",
                Arc::new(Int64Array::from((0..n).collect::<Vec<_>>())) as ArrayRef,
            ),
            ("title", strings(field("title"))),
            ("text", Arc::new(BinaryArray::from(bytes)) as ArrayRef),
            ("day", Arc::new(Date32Array::from(days.clone())) as ArrayRef),
            (
                "at",
                Arc::new(TimestampMillisecondArray::from(
                    days.iter()
                        .map(|&d| i64::from(d) * 86_400_000 + 82_800_000)
                        .collect::<Vec<_>>(),
                )) as ArrayRef,
            ),
        ],
        64,
    );
    let lines: Vec<String> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let day = lintas::Date::from_days_since_epoch(days[i])
                .unwrap()
                .to_string();
            serde_json::json!({"id": i, "title": d["title"], "text": d["text"], "day": day})
                .to_string()
        })
        .collect();
    let jsonl = tmp("typed.jsonl");
    std::fs::write(&jsonl, lines.join("\n")).unwrap();
    let want = dedup(&[
        "--input",
        jsonl.to_str().unwrap(),
        "--quiet",
        "--date-field",
        "day",
    ]);
    assert_eq!(want.status.code(), Some(0));
    for date in ["day", "at"] {
        let got = dedup(&[
            "--input",
            typed.to_str().unwrap(),
            "--quiet",
            "--date-field",
            date,
        ]);
        assert_success(&got);
        assert_eq!(got.stdout, want.stdout, "--date-field {date}");
    }
    let undated = dedup(&["--input", typed.to_str().unwrap(), "--quiet"]);
    assert!(
        undated.stdout.len() > want.stdout.len(),
        "the dates leave pairs out"
    );
}

/// A Parquet row that a JSONL line could not be is reported with its row number and skipped
/// (the first ends the run with `--strict`); a column of the wrong type, or no `id`, is an
/// error before anything is read.
#[cfg(feature = "parquet")]
#[test]
fn parquet_rows_and_columns_are_checked() {
    use arrow_array::{ArrayRef, Float64Array, StringArray};
    use std::sync::Arc;
    let s = |v: Vec<Option<&str>>| -> ArrayRef { Arc::new(StringArray::from(v)) };
    let rows = write_parquet(
        "rows.parquet",
        vec![
            (
                "id",
                s(vec![
                    Some("a"),
                    None,
                    Some(""),
                    Some("a"),
                    Some("b"),
                    Some("c"),
                    Some("h"),
                ]),
            ),
            (
                "title",
                s(vec![
                    None,
                    None,
                    None,
                    None,
                    Some(""),
                    None,
                    Some("Banjir di Semarang"),
                ]),
            ),
            (
                "text",
                s(vec![
                    Some(EN),
                    Some(ID),
                    Some(ID),
                    Some(ID),
                    None,
                    Some(ID),
                    None,
                ]),
            ),
            (
                "when",
                s(vec![
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("2026-13-01"),
                    Some("2026-02-02"),
                ]),
            ),
        ],
        3,
    );
    let path = rows.to_str().unwrap();
    let out = dedup(&["--input", path, "--date-field", "when"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for needle in [
        "rows.parquet: row 2: skipped: `id` must be a non-empty string or a number",
        "rows.parquet: row 3: skipped: `id` must be a non-empty string or a number",
        "rows.parquet: row 4: skipped: duplicate id \"a\" (first at row 1)",
        "rows.parquet: row 5: skipped: missing `text` (and no `title`)",
        "rows.parquet: row 6: matched undated",
        "4 malformed row(s) skipped, 3 document(s) read",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    let out = dedup(&["--input", path, "--strict"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("row 2: `id` must be"), "{err}");
    // Columns.
    let float_id = write_parquet(
        "float-id.parquet",
        vec![
            ("id", Arc::new(Float64Array::from(vec![1.5])) as ArrayRef),
            ("text", s(vec![Some(EN)])),
        ],
        8,
    );
    let no_id = write_parquet("no-id.parquet", vec![("text", s(vec![Some(EN)]))], 8);
    let no_text = write_parquet("no-text.parquet", vec![("id", s(vec![Some("a")]))], 8);
    for (file, why) in [
        (
            &float_id,
            "column `id` is Float64; it must hold strings or integers",
        ),
        (&no_id, "no `id` column"),
        (&no_text, "no `text` column (and no `title`)"),
        (&rows, "--date-field missing: no such column"),
    ] {
        let out = dedup(&["--input", file.to_str().unwrap(), "--date-field", "missing"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(why), "{why}: {err}");
    }
    // A file cut short is an error, not fewer documents.
    let bytes = std::fs::read(&rows).unwrap();
    let cut = tmp("cut.parquet");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = dedup(&["--input", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a readable Parquet file"));
}

/// A damaged Parquet file (bytes changed anywhere: its pages, their headers, the footer) is an
/// error or a run on what its rows now hold, never a panic.
#[cfg(feature = "parquet")]
#[test]
fn a_damaged_parquet_input_is_never_a_panic() {
    use arrow_array::{ArrayRef, StringArray};
    use std::sync::Arc;
    let col = |v: Vec<&str>| -> ArrayRef { Arc::new(StringArray::from(v)) };
    let path = write_parquet(
        "whole.parquet",
        vec![
            ("id", col(vec!["en", "id", "other"])),
            ("text", col(vec![EN, ID, OTHER])),
        ],
        2,
    );
    let whole = std::fs::read(&path).unwrap();
    let damaged = tmp("damaged.parquet");
    // Runs dedup on `bytes`: never a panic, exit 0 (a run on what the rows now hold) or 1 (an
    // error); gives the exit status.
    let run = |bytes: &[u8], what: &str| -> i32 {
        std::fs::write(&damaged, bytes).unwrap();
        let out = dedup(&["--input", damaged.to_str().unwrap(), "--quiet"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{what}: {err}");
        match out.status.code() {
            Some(code @ (0 | 1)) => code,
            other => panic!("{what}: exit {other:?}: {err}"),
        }
    };
    // A fixed sequence of positions and values (a linear congruential generator): the same
    // inputs each run.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) as usize
    };
    let (mut ran, mut refused) = (0, 0);
    let tail = whole.len().saturating_sub(400);
    for round in 0..120 {
        let mut bytes = whole.clone();
        for _ in 0..1 + round % 4 {
            // Half the changes in the file's last 400 bytes (the footer the reader trusts).
            let at = if next() % 2 == 0 {
                tail + next() % (whole.len() - 8 - tail)
            } else {
                next() % bytes.len()
            };
            bytes[at] = next() as u8;
        }
        match run(&bytes, &format!("round {round}")) {
            0 => ran += 1,
            _ => refused += 1,
        }
    }
    assert!(ran > 0 && refused > 0, "{ran} ran, {refused} refused");
    // Changes the parquet crate itself panicked on (parquet 60.1; found by changing one byte
    // at a time): a zero in the first data page's header (a division by zero decoding it),
    // and a column chunk the footer places outside the file (an assertion). Offsets are in
    // this writer's layout; another would move them, and the rounds above still run.
    let footer = whole.len()
        - 8
        - u32::from_le_bytes(whole[whole.len() - 8..][..4].try_into().unwrap()) as usize;
    let mut cases: Vec<(usize, u8)> = (4..68).map(|at| (at, 0)).collect();
    cases.push((footer + 81, 0x7f));
    for (at, value) in cases {
        let mut bytes = whole.clone();
        bytes[at] = value;
        run(&bytes, &format!("byte {at} = {value}"));
    }
}

/// `--explain A B`: any pair, flagged or not, with its score in the units that decide it,
/// its threshold, what it shares and the evidence; on standard output after the report, or on
/// standard error when standard output or `--output` carries the pairs, which stay JSON.
#[test]
fn explain_says_why_a_pair_is_or_is_not_flagged() {
    // The bundled sample: one flagged pair and one unrelated, in the report.
    let out = dedup(&[
        "--explain",
        "quake-en",
        "quake-id",
        "--explain",
        "deal-id",
        "quake-en",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let section = text
        .split("Explained pairs (2):")
        .nth(1)
        .unwrap_or_else(|| panic!("no explanation section:\n{text}"));
    let lines: Vec<&str> = section.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0].trim(), "flagged", "{section}");
    assert!(
        lines[1].contains("quake-en <-> quake-id") && lines[1].contains("overlap score ≥ 0.17"),
        "{section}"
    );
    let second = lines
        .iter()
        .position(|l| l.contains("deal-id <-> quake-en"))
        .unwrap_or_else(|| panic!("{section}"));
    assert_eq!(
        lines[second - 1].trim(),
        "not flagged: under its threshold",
        "{section}"
    );
    assert!(lines[second].contains("overlap score < 0.17"), "{section}");
    assert!(
        lines[second..].iter().any(|l| l.contains("same event p =")),
        "{section}"
    );

    // With --output the pairs file stays JSON lines and the explanation goes to stderr.
    let output = tmp("explain-pairs.jsonl");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.jsonl");
    let out = dedup(&[
        "--input",
        sample,
        "--output",
        output.to_str().unwrap(),
        "--quiet",
        "--explain",
        "court-id",
        "court-en",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("Explained pairs (1):") && err.contains("flagged"),
        "{err}"
    );
    for l in std::fs::read_to_string(&output).unwrap().lines() {
        serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("{e}: {l}"));
    }

    // An id the corpus does not hold: the others are explained, then exit 1 naming it.
    let out = dedup(&[
        "--explain",
        "quake-en",
        "nope",
        "--explain",
        "quake-en",
        "quake-id",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no document with id \"nope\""), "{err}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("quake-en <-> nope: not both in the corpus"),
        "{text}"
    );
    assert!(text.contains("quake-en <-> quake-id"), "{text}");

    // With --groups the pairs written are between copy groups' representatives: a copy's
    // pair is flagged when its representative's is, and two copies of one group are flagged.
    let input = tmp("explain-groups.jsonl");
    let body = [
        line("en", EN),
        line("en-copy", EN),
        line("id", ID),
        line("other", OTHER),
        line("empty", "  "),
    ];
    std::fs::write(&input, body.join("\n")).unwrap();
    let out = dedup(&[
        "--input",
        input.to_str().unwrap(),
        "--groups",
        "--quiet",
        "--explain",
        "en-copy",
        "id",
        "--explain",
        "en",
        "en-copy",
        "--explain",
        "en-copy",
        "other",
        "--explain",
        "empty",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    let verdicts: Vec<&str> = err
        .lines()
        .filter(|l| l.trim_start().starts_with("flagged") || l.contains("not flagged"))
        .map(str::trim)
        .collect();
    assert_eq!(
        verdicts,
        [
            "flagged",
            "flagged",
            "not flagged: under its threshold",
            "empty <-> en: not flagged: a document without features (no words, names or figures to compare)"
        ],
        "{err}"
    );

    // Usage errors: one id, the same id twice.
    for args in [
        &["--explain", "quake-en"][..],
        &["--explain", "quake-en", "quake-en"],
    ] {
        let out = dedup(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// A headline-only item (a feed entry without a summary: `title`, no `text`) is read as its
/// title and matched; a line with neither is reported.
#[test]
fn a_headline_only_line_is_read_as_its_title() {
    let fixtures = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/crosslang.jsonl"
    );
    let rows: Vec<Value> = std::fs::read_to_string(fixtures)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &Value| v["id"] == "flood-en" || v["id"] == "flood-id")
        .collect();
    assert_eq!(rows.len(), 2);
    let headline = "Floods in Indonesia's Semarang kill eight, force 12,000 from homes on Monday";
    let mut body: Vec<String> = rows.iter().map(Value::to_string).collect();
    body.push(serde_json::json!({"id": "head", "title": headline}).to_string());
    body.push(serde_json::json!({"id": "none", "title": null, "text": null}).to_string());
    let input = tmp("headline-only.jsonl");
    std::fs::write(&input, body.join("\n")).unwrap();
    let out = dedup(&["--input", input.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(":4: skipped: missing `text` (and no `title`)")
            && err.contains("3 document(s) read"),
        "{err}"
    );
    let pairs: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let (a, b) = (v["a"].as_str().unwrap(), v["b"].as_str().unwrap());
            (a.min(b).to_string(), a.max(b).to_string())
        })
        .collect();
    assert!(
        pairs.contains(&("flood-en".into(), "head".into())),
        "{pairs:?}"
    );
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.jsonl");

/// That a run exited with status 0; else its standard error is the failure's message.
fn assert_success(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `dedup` with `input` on its standard input.
fn dedup_fed(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = Command::new(dedup_bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dedup runs");
    let mut stdin = child.stdin.take().expect("a pipe");
    let bytes = input.to_vec();
    // Written from a thread: dedup may fill its output pipe before it has read all input.
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().expect("dedup exits");
    // A run that stops reading early (an error) closes the pipe: the output says what happened.
    let _ = writer.join().expect("the writer");
    out
}

/// `bytes` gzip-compressed, as one member.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn standard_input_and_gzip_read_as_the_file_itself() {
    let plain = std::fs::read(SAMPLE).unwrap();
    let want = dedup(&["--input", SAMPLE, "--quiet"]);
    assert_eq!(want.status.code(), Some(0));
    assert!(want.stdout.len() > 1000, "the sample has pairs");
    // Standard input, plain and gzipped; `--output -` is standard output too.
    let fed = dedup_fed(&["--input", "-", "--quiet"], &plain);
    assert_success(&fed);
    assert_eq!(fed.stdout, want.stdout);
    let fed = dedup_fed(&["--input", "-", "--output", "-", "--quiet"], &gzip(&plain));
    assert_eq!(fed.stdout, want.stdout);
    // A gzip file, told by its bytes, not its name; two members (`cat a.gz b.gz`) are one stream.
    let cut = plain.len() / 2
        + plain[plain.len() / 2..]
            .iter()
            .position(|&b| b == b'\n')
            .unwrap();
    let mut two = gzip(&plain[..=cut]);
    two.extend(gzip(&plain[cut + 1..]));
    for (name, bytes) in [
        ("sample.jsonl.gz", gzip(&plain)),
        ("sample-two-members.jsonl", two),
    ] {
        let path = tmp(name);
        std::fs::write(&path, bytes).unwrap();
        let out = dedup(&["--input", path.to_str().unwrap(), "--quiet"]);
        assert_success(&out);
        assert_eq!(out.stdout, want.stdout, "{name}");
    }
    // Messages name standard input.
    let bad = dedup_fed(&["--input", "-"], b"{not json\n");
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("<stdin>:1: skipped: not JSON"), "{err}");
}

#[test]
fn a_cut_or_damaged_gzip_input_is_an_error_not_a_shorter_corpus() {
    let plain = std::fs::read(SAMPLE).unwrap();
    let whole = gzip(&plain);
    let mut flipped = whole.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    for (name, bytes) in [
        ("cut.jsonl.gz", whole[..whole.len() / 2].to_vec()),
        ("no-trailer.jsonl.gz", whole[..whole.len() - 4].to_vec()),
        ("flipped.jsonl.gz", flipped),
    ] {
        let path = tmp(name);
        let out_path = tmp(&format!("{name}.pairs"));
        std::fs::write(&path, bytes).unwrap();
        let out = dedup(&[
            "--input",
            path.to_str().unwrap(),
            "--output",
            out_path.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains("read error"), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        let written = std::fs::read_to_string(&out_path).unwrap_or_default();
        assert!(written.is_empty(), "{name}: no pairs from a partial corpus");
    }
}
