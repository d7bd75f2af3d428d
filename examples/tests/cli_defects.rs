//! Defects of the `dedup` example found in review (issue 14, item 7), each pinned by a test
//! that failed before its fix. `cargo test` builds the example next to this test binary.

use lintas::{Detector, FeatureKind};
use std::io::Read;
mod common;

use common::{dedup, dedup_bin, EN, ID};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn tmp(name: &str) -> PathBuf {
    common::tmp("cli-defects", name)
}

/// Two French reports of one flood: French words have no cross-language concept, so they are
/// `local` features, shared only within French.
const IT: &str = "Le inondazioni nella città indonesiana di Semarang hanno ucciso otto persone lunedì e costretto 12.000 abitanti a lasciare le loro case, ha riferito l'agenzia BNPB. L'acqua ha raggiunto 1,5 metri in 21 quartieri.";
const IT_AGAIN: &str = "Gravi inondazioni nella città indonesiana di Semarang hanno ucciso otto persone lunedì e costretto 12.000 abitanti a fuggire dalle loro case, secondo l'agenzia BNPB. L'acqua ha raggiunto 1,5 metri in 21 quartieri della costa.";

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_numeric_and_a_string_id_collide_and_both_lines_are_named() {
    let input = tmp("ids.jsonl");
    std::fs::write(
        &input,
        format!(
            "{}\n{}\n",
            serde_json::json!({"id": 1, "text": EN}),
            serde_json::json!({"id": "1", "text": ID})
        ),
    )
    .unwrap();
    let p = input.to_str().unwrap();
    let out = dedup(&["--input", p, "--quiet"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(":2: skipped: duplicate id \"1\" (first at line 1)"),
        "{err}"
    );
    let strict = dedup(&["--input", p, "--quiet", "--strict"]);
    let err = stderr(&strict);
    assert_eq!(strict.status.code(), Some(1), "{err}");
    assert!(
        err.contains(":2: duplicate id \"1\" (first at line 1)"),
        "{err}"
    );
}

#[test]
fn a_closed_pipe_in_jsonl_mode_exits_0_quietly() {
    let input = tmp("pipe.jsonl");
    let mut body = String::new();
    for i in 0..40 {
        body.push_str(&serde_json::json!({"id": format!("en{i}"), "text": EN}).to_string());
        body.push('\n');
        body.push_str(&serde_json::json!({"id": format!("id{i}"), "text": ID}).to_string());
        body.push('\n');
    }
    std::fs::write(&input, body).unwrap();
    let mut child = Command::new(dedup_bin())
        .args(["--input", input.to_str().unwrap(), "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dedup runs");
    drop(child.stdout.take()); // the reader goes away before dedup writes, like `| head -0`
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().expect("dedup exits");
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn a_single_dash_option_is_a_usage_error() {
    for args in [&["-x"][..], &["-x", "a.txt"], &["--quiet", "-q"]] {
        let out = dedup(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("unknown option -"), "{err}");
        assert!(err.contains("usage: dedup"), "{err}");
    }
}

/// The usage line names every verifier `--verifier` takes (it once left out the default,
/// `combined`), and each of them runs on the bundled sample.
#[test]
fn the_usage_names_every_verifier_and_each_runs() {
    let help = dedup(&["--help"]);
    let text = String::from_utf8_lossy(&help.stdout).to_string() + &stderr(&help);
    assert!(text.contains("--verifier combined|overlap|event"), "{text}");
    for v in ["combined", "overlap", "event"] {
        let out = dedup(&["--verifier", v, "--quiet"]);
        assert_eq!(out.status.code(), Some(0), "{v}: {}", stderr(&out));
    }
    let out = dedup(&["--verifier", "neural"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("overlap, event or combined"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unwritable_output_fails_before_the_input_is_read() {
    let missing_dir = tmp("no-such-dir").join("pairs.jsonl");
    let out = dedup(&[
        "--input",
        "/nonexistent/corpus.jsonl",
        "--output",
        missing_dir.to_str().unwrap(),
        "--quiet",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot create"), "{err}");
    assert!(!err.contains("/nonexistent/corpus.jsonl"), "{err}");
}

#[test]
fn the_output_may_not_be_the_input() {
    let input = tmp("self.jsonl");
    let line = serde_json::json!({"id": "a", "text": EN}).to_string();
    std::fs::write(&input, &line).unwrap();
    let p = input.to_str().unwrap();
    let out = dedup(&["--input", p, "--output", p, "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), line);
}

/// The "(features shared in all: …)" counts of every reported pair, by kind name.
fn printed_counts(stdout: &str) -> Vec<Vec<(String, usize)>> {
    stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("(features shared in all: "))
        .map(|l| {
            l.trim_end_matches(')')
                .split(", ")
                .filter(|s| *s != "none")
                .map(|s| {
                    let (n, k) = s.split_once(' ').expect("COUNT KIND");
                    (k.to_string(), n.parse().expect("a count"))
                })
                .collect()
        })
        .collect()
}

#[test]
fn shared_counts_are_every_non_zero_kind_in_feature_kind_order() {
    // Two Italian reports (a language with no built-in dictionary) share local words as well
    // as anchors: the report must give each kind's count as the library's
    // `Explanation::shared` does (the old report read the counts by index and left some kinds
    // out).
    let a = tmp("flood-a.txt");
    let b = tmp("flood-b.txt");
    std::fs::write(&a, IT).unwrap();
    std::fs::write(&b, IT_AGAIN).unwrap();
    let out = dedup(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = printed_counts(&stdout);
    assert_eq!(printed.len(), 1, "{stdout}");

    let mut d = Detector::new();
    d.add("a", IT).unwrap();
    let found = d.add("b", IT_AGAIN).unwrap();
    let expected: Vec<(String, usize)> = FeatureKind::ALL
        .iter()
        .map(|&k| (k.name().to_string(), found[0].explanation.shared(k)))
        .filter(|&(_, n)| n > 0)
        .collect();
    assert!(
        expected.iter().any(|(k, _)| k == "local"),
        "the fixture should share local words: {expected:?}"
    );
    assert_eq!(printed[0], expected, "{stdout}");
}

#[test]
fn no_zero_counts_are_printed_for_the_bundled_sample() {
    let out = dedup(&[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    let printed = printed_counts(&stdout);
    assert!(!printed.is_empty(), "{stdout}");
    for counts in printed {
        assert!(counts.iter().all(|(_, n)| *n > 0), "{counts:?}");
    }
    assert!(!stdout.contains(" 0 local"), "{stdout}");
}

/// `--help` gives every option the parser takes a line of its own, and the usage line names
/// each (the parser's match arms, `"--name" =>`, read from the source).
#[test]
fn help_lists_every_option_the_parser_takes() {
    let src = include_str!("../dedup.rs");
    let mut taken = Vec::new();
    for (i, _) in src.match_indices("\"--") {
        let rest = &src[i + 1..];
        let Some(end) = rest.find('"') else { continue };
        let name = &rest[..end];
        let after = rest[end + 1..].trim_start();
        let is_arm = after.starts_with("=>") || after.starts_with('|');
        if is_arm
            && name.len() > 2
            && name[2..]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-')
        {
            taken.push(name);
        }
    }
    assert!(taken.len() >= 20, "the scan found the parser: {taken:?}");
    let help = dedup(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    let usage = text.lines().next().unwrap_or_default();
    assert!(usage.starts_with("usage: dedup"), "{text}");
    for name in taken {
        let listed = text.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with(&format!("{name} ")) || l == name || l.starts_with(&format!("-h, {name}"))
        });
        assert!(listed, "{name} has no line in --help:\n{text}");
        assert!(
            name == "--help"
                || usage.contains(&format!("[{name}"))
                || usage.contains(&format!("dedup {name}")),
            "{name} not in the usage line: {usage}"
        );
    }
}
