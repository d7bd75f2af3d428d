//! The scale generator's contract (`scalegen`, `lintas_eval::scale`): the same seed gives the
//! same bytes, every injected pair of the truth file is in the corpus as described, near-copies
//! change the stated share of sentences, and scoring sorts flagged pairs into recall, false
//! flags among the background and other flags. Runs on the bundled sample
//! (`examples/data/sample.jsonl`), so it needs no `../shared`.

use lintas_eval::scale::{self, TruthPair};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data/sample.jsonl").to_string()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lintas-eval-scale-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

fn scalegen(args: &[&str]) -> Output {
    scalegen_threads(args, None)
}

/// Runs scalegen, with `RAYON_NUM_THREADS` set when `threads` is given.
fn scalegen_threads(args: &[&str], threads: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scalegen"));
    if let Some(t) = threads {
        cmd.env("RAYON_NUM_THREADS", t);
    }
    cmd.args(args).output().expect("scalegen runs")
}

/// Generates `docs` documents from the sample with `extra` arguments; returns the corpus and
/// truth paths.
fn generate(name: &str, docs: usize, seed: u64, extra: &[&str]) -> (PathBuf, PathBuf) {
    generate_threads(name, docs, seed, extra, None)
}

fn generate_threads(
    name: &str,
    docs: usize,
    seed: u64,
    extra: &[&str],
    threads: Option<&str>,
) -> (PathBuf, PathBuf) {
    let (c, t) = (
        tmp(&format!("{name}.jsonl")),
        tmp(&format!("{name}.truth.jsonl")),
    );
    let (docs, seed, src) = (docs.to_string(), seed.to_string(), sample());
    let mut args = vec![
        "--docs",
        &docs,
        "--seed",
        &seed,
        "--out",
        c.to_str().unwrap(),
        "--truth",
        t.to_str().unwrap(),
        "--source",
        &src,
    ];
    args.extend_from_slice(extra);
    let o = scalegen_threads(&args, threads);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("sample.jsonl"));
    (c, t)
}

fn corpus(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn sentences(doc: &Value) -> Vec<&str> {
    doc["text"].as_str().unwrap().split('\n').collect()
}

/// Length of the longest common subsequence of two sentence lists.
fn lcs(a: &[&str], b: &[&str]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut prev = 0;
        for (j, y) in b.iter().enumerate() {
            let keep = row[j + 1];
            row[j + 1] = if x == y {
                prev + 1
            } else {
                row[j + 1].max(row[j])
            };
            prev = keep;
        }
    }
    row[b.len()]
}

#[test]
fn the_same_seed_gives_the_same_bytes_on_any_number_of_threads() {
    let (c1, t1) = generate("det-a", 1500, 7, &[]);
    let (c2, t2) = generate_threads("det-b", 1500, 7, &[], Some("1"));
    let (c3, _) = generate("det-c", 1500, 8, &[]);
    let read = |p: &PathBuf| std::fs::read(p).unwrap();
    assert_eq!(read(&c1), read(&c2));
    assert_eq!(read(&t1), read(&t2));
    assert_ne!(read(&c1), read(&c3));
}

#[test]
fn documents_have_ids_titles_and_text_only_and_truth_pairs_are_in_the_corpus() {
    let (c, t) = generate("truth", 2000, 3, &[]);
    let docs = corpus(&c);
    assert_eq!(docs.len(), 2000);
    for (i, d) in docs.iter().enumerate() {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 3, "{keys:?}");
        assert_eq!(d["id"], scale::doc_id(i));
        assert!(d["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
    assert_eq!(docs[0]["id"], "s0000001");
    let by_id: HashMap<&str, &Value> = docs
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d))
        .collect();
    let truth = scale::read_truth(&t).unwrap();
    let near: Vec<&TruthPair> = truth.iter().filter(|p| p.kind == "near-copy").collect();
    let cross: Vec<&TruthPair> = truth
        .iter()
        .filter(|p| p.kind == "cross-language")
        .collect();
    assert_eq!(near.len(), 20, "one near-copy per 100 documents");
    // The sample has six en–id events; one pair per 200 documents asks for ten.
    assert_eq!(cross.len(), 6);
    // The sample's translation pairs, by text.
    let pool: Vec<Value> = corpus(Path::new(&sample()));
    let event_of = |text: &str| {
        pool.iter()
            .find(|d| d["text"] == text)
            .map(|d| (d["event"].as_str().unwrap(), d["lang"].as_str().unwrap()))
    };
    for p in &cross {
        let (a, b) = (by_id[p.a.as_str()], by_id[p.b.as_str()]);
        let (ea, la) = event_of(a["text"].as_str().unwrap()).expect("a pool document");
        let (eb, lb) = event_of(b["text"].as_str().unwrap()).expect("a pool document");
        assert_eq!(ea, eb);
        assert_ne!(la, lb);
    }
    let mut used = std::collections::HashSet::new();
    for p in &near {
        assert!(by_id.contains_key(p.a.as_str()) && by_id.contains_key(p.b.as_str()));
        assert_eq!(by_id[p.a.as_str()]["title"], by_id[p.b.as_str()]["title"]);
        assert!(
            used.insert(p.a.clone()) && used.insert(p.b.clone()),
            "a base is used once"
        );
    }
}

#[test]
fn near_copies_change_the_stated_share_of_sentences() {
    for (rate, name) in [("0.2", "edit-20"), ("0.5", "edit-50")] {
        let (c, t) = generate(name, 3000, 11, &["--edit-rate", rate]);
        let rate: f64 = rate.parse().unwrap();
        let docs = corpus(&c);
        let by_id: HashMap<&str, &Value> = docs
            .iter()
            .map(|d| (d["id"].as_str().unwrap(), d))
            .collect();
        let (mut changed_sum, mut moved_or_gone_sum) = (0, 0);
        for p in scale::read_truth(&t).unwrap() {
            if p.kind != "near-copy" {
                continue;
            }
            let base = sentences(by_id[p.a.as_str()]);
            let copy = sentences(by_id[p.b.as_str()]);
            let (n, changed) = (p.sentences.unwrap(), p.changed.unwrap());
            assert_eq!(n, base.len());
            assert_eq!(changed, ((rate * n as f64).round() as usize).max(1));
            // The unchanged sentences are there, verbatim and in order.
            let kept = lcs(&base, &copy);
            assert!(kept >= n - changed, "{kept} < {n} - {changed}");
            let missing = base.iter().filter(|s| !copy.contains(s)).count();
            assert!(missing <= changed);
            changed_sum += changed;
            moved_or_gone_sum += n - kept;
        }
        // Changed sentences are replaced, dropped or moved out of order: almost all of them
        // leave the longest common subsequence.
        assert!(
            moved_or_gone_sum as f64 >= 0.9 * changed_sum as f64,
            "{moved_or_gone_sum} of {changed_sum}"
        );
    }
    // Edit rate 0: the copy is the base.
    let (c, t) = generate("edit-0", 1000, 5, &["--edit-rate", "0"]);
    let docs = corpus(&c);
    let by_id: HashMap<&str, &Value> = docs
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d))
        .collect();
    for p in scale::read_truth(&t).unwrap() {
        if p.kind == "near-copy" {
            assert_eq!(p.changed, Some(0));
            assert_eq!(by_id[p.a.as_str()]["text"], by_id[p.b.as_str()]["text"]);
        }
    }
}

#[test]
fn scoring_sorts_flags_into_recall_background_and_other() {
    let t = tmp("score.truth.jsonl");
    std::fs::write(
        &t,
        "{\"a\":\"s1\",\"b\":\"s2\",\"kind\":\"near-copy\",\"changed\":1,\"sentences\":5}\n\
         {\"a\":\"s3\",\"b\":\"s4\",\"kind\":\"near-copy\"}\n\
         {\"a\":\"s5\",\"b\":\"s6\",\"kind\":\"cross-language\"}\n",
    )
    .unwrap();
    let p = tmp("score.pairs.jsonl");
    // Found: s1–s2 (reversed), s5–s6; false among the background: s1–s9 (s1 is a base, so
    // background) and s7–s8; other: s4–s9, s5–s1; a repeated pair counts once.
    std::fs::write(
        &p,
        "{\"a\":\"s2\",\"b\":\"s1\",\"score\":0.9}\n{\"a\":\"s5\",\"b\":\"s6\"}\n\
         {\"a\":\"s1\",\"b\":\"s9\"}\n{\"a\":\"s7\",\"b\":\"s8\"}\n{\"a\":\"s4\",\"b\":\"s9\"}\n\
         {\"a\":\"s5\",\"b\":\"s1\"}\n{\"a\":\"s8\",\"b\":\"s7\"}\n",
    )
    .unwrap();
    let truth = scale::read_truth(&t).unwrap();
    let s = scale::score(&p, &truth).unwrap();
    assert_eq!(s.flagged, 6);
    assert_eq!((s.near_copy, s.cross), ((2, 1), (1, 1)));
    assert_eq!((s.background_flags, s.other_flags), (2, 2));
    assert_eq!(s.near_copy_recall(), Some(0.5));
    assert_eq!(s.cross_recall(), Some(1.0));
    // The one pair of the truth not flagged, as the truth file gives it.
    let missed: Vec<(&str, &str, &str)> = s
        .missed
        .iter()
        .map(|t| (t.a.as_str(), t.b.as_str(), t.kind.as_str()))
        .collect();
    assert_eq!(missed, [("s3", "s4", "near-copy")]);
}

#[test]
fn usage_errors_exit_2_and_bad_parameters_exit_1() {
    let o = scalegen(&["--docs", "10"]);
    assert_eq!(o.status.code(), Some(2), "missing --seed, --out, --truth");
    let o = scalegen(&["--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    let c = tmp("bad.jsonl");
    let t = tmp("bad.truth.jsonl");
    let src = sample();
    let o = scalegen(&[
        "--docs",
        "10",
        "--seed",
        "1",
        "--out",
        c.to_str().unwrap(),
        "--truth",
        t.to_str().unwrap(),
        "--source",
        &src,
        "--copy-rate",
        "0.9",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot hold"));
}
