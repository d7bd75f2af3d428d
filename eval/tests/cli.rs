//! The `evaluate` and `coverage` binaries' contract: usage errors exit 2 (unknown options and
//! knobs included), floors may name metrics by alias, `--json` rows carry score.py's counts.
//! The research tools (`pairdump`, `signbench`) exit 2 on usage errors and 1 on unreadable
//! input, with a message, never a panic.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin).args(args).output().expect("binary runs")
}

fn evaluate(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_evaluate"), args)
}

fn coverage(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_coverage"), args)
}

/// A fresh path named `name` in a directory of its own: the tests run in parallel threads of
/// one process, and two writing one `pool.jsonl` made one of them read it half written.
fn tmp(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("lintas-eval-cli-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// A gold pool of four documents: one event in English and Indonesian, one unrelated English
/// and one unrelated Indonesian document.
fn pool() -> PathBuf {
    let p = tmp("pool.jsonl");
    let docs = [
        ("en", "en", "flood", "Floods in the Indonesian city of Semarang killed eight people on Monday and forced 12,000 residents from their homes, the disaster agency BNPB said. Water reached 1.5 metres in 21 neighbourhoods."),
        ("id", "id", "flood", "Banjir di Kota Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 warga mengungsi, kata BNPB. Air setinggi 1,5 meter merendam 21 kelurahan."),
        ("bank", "en", "rate", "The central bank held its benchmark interest rate at 5.25 percent on Wednesday, citing stable inflation and a firmer rupiah."),
        ("pasar", "id", "market", "Harga cabai merah di Pasar Johar naik menjadi Rp 80.000 per kilogram menjelang Lebaran, kata pedagang."),
    ];
    let body: Vec<String> = docs
        .iter()
        .map(|(id, lang, event, text)| {
            serde_json::json!({"id": id, "lang": lang, "event": event, "text": text}).to_string()
        })
        .collect();
    std::fs::write(&p, body.join("\n")).unwrap();
    p
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn unknown_options_are_usage_errors() {
    let p = pool();
    let p = p.to_str().unwrap();
    for args in [
        &[p, "--bogus"][..],
        &[p, "-x"],
        &[p, "--threshold", "abc"],
        &[p, "--floors"],
        &[],
    ] {
        let o = evaluate(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("usage: evaluate"), "{}", err(&o));
    }
    for args in [
        &[p, "--bogus"][..],
        &[p, "-x"],
        &[p, p],
        &[p, "--top", "x"],
        &[],
    ] {
        let o = coverage(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("usage: coverage"), "{}", err(&o));
    }
    assert_eq!(evaluate(&["--help"]).status.code(), Some(0));
}

#[test]
fn research_tools_say_what_is_wrong_instead_of_panicking() {
    let p = pool();
    let p = p.to_str().unwrap();
    let out = tmp("pairdump-docs.jsonl");
    let out = out.to_str().unwrap();
    let missing = tmp("no-such-pool.jsonl");
    let missing = missing.to_str().unwrap();
    let pairdump = |args: &[&str]| run(env!("CARGO_BIN_EXE_pairdump"), args);
    let signbench = |args: &[&str]| run(env!("CARGO_BIN_EXE_signbench"), args);
    for (o, code, says) in [
        (pairdump(&[]), 2, "usage: pairdump"),
        (pairdump(&[p, "--docs", out]), 2, "--cands are required"),
        (pairdump(&[p, "--docs"]), 2, "--docs needs a value"),
        (pairdump(&[p, "--bogus"]), 2, "unknown flag"),
        (
            pairdump(&[missing, "--docs", out, "--cands", out]),
            1,
            "cannot open",
        ),
        (signbench(&[]), 2, "usage: signbench"),
        (
            signbench(&[p, "--threads", "x"]),
            2,
            "--threads needs a whole number",
        ),
        (signbench(&[p, "--threads", "0"]), 2, "at least 1"),
        (signbench(&[missing]), 1, "cannot open"),
    ] {
        assert_eq!(o.status.code(), Some(code), "{}", err(&o));
        assert!(err(&o).contains(says), "{}", err(&o));
    }
}

#[test]
fn a_mistyped_knob_is_a_usage_error() {
    let p = pool();
    let o = evaluate(&[p.to_str().unwrap(), "--knob", "contaiment_factor=0.3"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("unknown knob \"contaiment_factor\""),
        "{}",
        err(&o)
    );
    let o = evaluate(&[p.to_str().unwrap(), "--knob", "containment_factor=0.3"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn floors_may_use_metric_aliases() {
    let p = pool();
    let floors = tmp("floors.txt");
    std::fs::write(
        &floors,
        "# aliases and full names\npool.jsonl all.p 1\npool.jsonl all.r 1\npool.jsonl en-id.precision 1\npool.jsonl en-id.f1 1\n",
    )
    .unwrap();
    let o = evaluate(&[p.to_str().unwrap(), "--floors", floors.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", err(&o));
    assert_eq!(out.matches("floor ok").count(), 4, "{out}");
    std::fs::write(&floors, "pool.jsonl all.q 0\n").unwrap();
    let o = evaluate(&[p.to_str().unwrap(), "--floors", floors.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("all.q: metric not found"));
}

#[test]
fn table_and_json_give_score_py_rows() {
    let p = pool();
    let o = evaluate(&[p.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out.starts_with("== pool.jsonl\nall                P=1.0000 R=1.0000 F1=1.0000  tp=1 flagged=1 gold=1\n"), "{out}");
    let o = evaluate(&[p.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let all = &v["pool.jsonl"]["all"];
    assert_eq!(
        (
            all["tp"].as_u64(),
            all["flagged"].as_u64(),
            all["gold"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
}

#[test]
fn coverage_reports_and_applies_its_floor() {
    let p = pool();
    let o = coverage(&[p.to_str().unwrap(), "--top", "3"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out.contains("2 documents detected as id (of 4)"), "{out}");
    let o = coverage(&[p.to_str().unwrap(), "--min", "1.01"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn the_seed_report_gives_its_margin_in_score_units() {
    let p = pool();
    let seeds = tmp("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    let texts: Vec<serde_json::Value> = std::fs::read_to_string(&p)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    std::fs::write(seeds.join("a.txt"), texts[0]["text"].as_str().unwrap()).unwrap();
    std::fs::write(seeds.join("b.txt"), texts[1]["text"].as_str().unwrap()).unwrap();
    let o = evaluate(&[
        p.to_str().unwrap(),
        "--json",
        "--seeds",
        seeds.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let s = &v["seeds"];
    let margin = s["margin"].as_f64().expect("margin");
    let (score, flagged) = (
        s["pair.score"].as_f64().unwrap(),
        s["pair.flagged"].as_f64().unwrap(),
    );
    assert_eq!(flagged, 1.0);
    assert!(
        margin > 0.0 && margin < score,
        "margin {margin} is score − threshold, score {score}"
    );
    assert!(s.get("margin_sigma").is_none());
}

#[test]
fn out_of_fold_needs_pools_large_enough_and_says_so() {
    // Four documents cannot be dealt into five folds with both labels in every fit.
    let out = evaluate(&[pool().to_str().unwrap(), "--oof"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("too small for grouped"), "{err}");
    // The bundled sample is enough: figures out of fold, a fitted model written.
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data/sample.jsonl");
    let model = tmp("model.tsv");
    let out = evaluate(&[
        sample,
        "--oof",
        "--knob",
        "event=1",
        "--fit",
        model.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("(out of fold)") && text.contains("reliability"),
        "{text}"
    );
    let m = std::fs::read_to_string(&model).unwrap();
    assert!(lintas::EventModel::from_tsv(&m).is_ok(), "{m}");
    // Options of --oof alone are usage errors.
    assert_eq!(evaluate(&[sample, "--fit", "x.tsv"]).status.code(), Some(2));
    assert_eq!(
        evaluate(&[sample, "--oof", "--features", "nope"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn mixed_matrix_and_dictionary_fit_say_what_they_need() {
    let p = pool();
    let p = p.to_str().unwrap();
    // --mixed needs two pools; the same id with another text in two pools is an error.
    let o = evaluate(&[p, "--mixed"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let other = tmp("other.jsonl");
    std::fs::write(
        &other,
        r#"{"id": "en", "lang": "en", "event": "flood", "text": "Another text under the same id."}"#,
    )
    .unwrap();
    // A usage error exits with 2, a run that cannot be done with 1 (as a failed floor).
    let o = evaluate(&[p, other.to_str().unwrap(), "--mixed"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("in two pools"), "{}", err(&o));
    // The same pool twice is one feed: its figures inside it are its figures alone.
    let floors = tmp("mixed-floors.txt");
    std::fs::write(
        &floors,
        "mixed:pool.jsonl en-id.precision_vs_alone 0\nmixed:pool.jsonl en-id.recall_vs_alone 0\n",
    )
    .unwrap();
    let o = evaluate(&[
        p,
        p,
        "--mixed",
        "--matrix",
        "--floors",
        floors.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", err(&o));
    assert_eq!(out.matches("floor ok").count(), 2, "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("F1 ") && l.contains("en") && l.contains("id")),
        "{out}"
    );
    // Fitting the dictionary threshold without a dictionary is an error, not a fit of nothing.
    let o = evaluate(&[p, "--fit-dictionary-threshold"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("--freedict"), "{}", err(&o));
}
