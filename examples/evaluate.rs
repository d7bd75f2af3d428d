//! Evaluation: runs lintas over gold JSONL pools through exactly the path `dedup` uses and
//! prints the metrics of `../shared/eval/score.py` (precision / recall / F1 over all pairs,
//! per language pair, cross-language, independent coverage), the seed pair, and a check
//! against quality floors.
//!
//! ```text
//! cargo run --release --example evaluate -- POOL.jsonl [POOL.jsonl …]
//!     [--floors FILE] [--seeds DIR] [--threshold X] [--use-lang-field] [--json]
//!     [--pairs-out FILE] [--sweep]
//! ```
//!
//! `--floors FILE` lines read `POOL_FILE_NAME  METRIC  MIN` (e.g. `dev-en-id.jsonl en-id.f1
//! 0.95`; `seeds` as the pool name for the seed checks); any metric below its floor makes the
//! exit status 1.

#[macro_use]
#[path = "common/mod.rs"]
mod common;

use common::{read_jsonl, run, Doc, RunOptions};
use lintas::{Corpus, Match};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, Default)]
struct Prf {
    tp: usize,
    flagged: usize,
    gold: usize,
}

impl Prf {
    fn p(&self) -> f64 {
        if self.flagged == 0 {
            0.0
        } else {
            self.tp as f64 / self.flagged as f64
        }
    }
    fn r(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.tp as f64 / self.gold as f64
        }
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

type Pair = (String, String);

struct Gold {
    lang: HashMap<String, String>,
    gold: HashSet<Pair>,
    ignore: HashSet<Pair>,
    group: HashMap<String, String>,
    article: HashMap<String, String>,
}

fn key(a: &str, b: &str) -> Pair {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

fn meta_str(v: &Value, k: &str) -> Option<String> {
    match v.get("meta")?.get(k)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn gold_of(docs: &[Doc]) -> Gold {
    let mut by_event: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut g = Gold {
        lang: HashMap::new(),
        gold: HashSet::new(),
        ignore: HashSet::new(),
        group: HashMap::new(),
        article: HashMap::new(),
    };
    let ids: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    for d in docs {
        let raw = d.raw.as_ref().expect("raw kept");
        g.lang.insert(
            d.id.clone(),
            raw.get("lang")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string(),
        );
        if let Some(e) = raw.get("event").and_then(Value::as_str) {
            by_event
                .entry(e.to_string())
                .or_default()
                .push(d.id.clone());
        }
        if let Some(nd) = raw
            .get("meta")
            .and_then(|m| m.get("near_duplicates"))
            .and_then(Value::as_array)
        {
            for o in nd {
                let o = match o {
                    Value::String(s) => s.clone(),
                    x => x.to_string(),
                };
                if ids.contains(o.as_str()) {
                    g.ignore.insert(key(&d.id, &o));
                }
            }
        }
        if let Some(grp) = meta_str(raw, "unlabeled_group") {
            g.group.insert(d.id.clone(), grp);
        }
        g.article.insert(
            d.id.clone(),
            meta_str(raw, "article").unwrap_or_else(|| d.id.clone()),
        );
    }
    for ids in by_event.values() {
        for i in 0..ids.len() {
            for j in i + 1..ids.len() {
                g.gold.insert(key(&ids[i], &ids[j]));
            }
        }
    }
    g
}

/// score.py's metrics for a set of flagged pairs.
fn score(g: &Gold, flagged: &HashSet<Pair>) -> BTreeMap<String, Prf> {
    let pred: HashSet<&Pair> = flagged
        .iter()
        .filter(|p| !g.ignore.contains(*p))
        .filter(|p| {
            let unscored = match (g.group.get(&p.0), g.group.get(&p.1)) {
                (Some(x), Some(y)) => x == y && !g.gold.contains(*p),
                _ => false,
            };
            !unscored
        })
        .collect();
    let lp = |p: &Pair| {
        let mut l = [g.lang[&p.0].as_str(), g.lang[&p.1].as_str()];
        l.sort();
        format!("{}-{}", l[0], l[1])
    };
    let mut res: BTreeMap<String, Prf> = BTreeMap::new();
    let count = |res: &mut BTreeMap<String, Prf>, name: String, in_gold: bool, is_pred: bool| {
        let e = res.entry(name).or_default();
        if in_gold {
            e.gold += 1;
        }
        if is_pred {
            e.flagged += 1;
        }
        if in_gold && is_pred {
            e.tp += 1;
        }
    };
    let cross = |p: &Pair| g.lang[&p.0] != g.lang[&p.1];
    let indep = |p: &Pair| g.article[&p.0] != g.article[&p.1];
    for p in &g.gold {
        let hit = pred.contains(p);
        count(&mut res, "all".into(), true, hit);
        count(&mut res, lp(p), true, hit);
        if cross(p) {
            count(&mut res, "cross-language".into(), true, hit);
        }
        if indep(p) {
            count(&mut res, "independent".into(), true, hit);
            if lp(p) == "en-id" {
                count(&mut res, "en-id-independent".into(), true, hit);
            }
        }
    }
    for p in &pred {
        if g.gold.contains(*p) {
            continue;
        }
        count(&mut res, "all".into(), false, true);
        count(&mut res, lp(p), false, true);
        if cross(p) {
            count(&mut res, "cross-language".into(), false, true);
        }
    }
    for k in ["en-id", "en-id-independent"] {
        res.entry(k.into()).or_default();
    }
    // Recall-only rows: precision is 1 by construction, as in score.py.
    for k in ["independent", "en-id-independent"] {
        if let Some(e) = res.get_mut(k) {
            e.flagged = e.tp;
        }
    }
    res
}

fn print_table(name: &str, res: &BTreeMap<String, Prf>) {
    say!("== {name}");
    let order = |k: &str| match k {
        "all" => 0,
        "cross-language" => 2,
        "independent" => 3,
        "en-id-independent" => 4,
        _ => 1,
    };
    let mut keys: Vec<&String> = res.keys().collect();
    keys.sort_by_key(|k| (order(k), k.to_string()));
    for k in keys {
        let v = res[k];
        if v.gold == 0 && v.flagged == 0 && k != "en-id" && k != "en-id-independent" {
            continue;
        }
        let note = if k.contains("independent") {
            "  (recall only: precision is 1 by construction)"
        } else {
            ""
        };
        say!(
            "{k:18} P={:.4} R={:.4} F1={:.4}  tp={} flagged={} gold={}{note}",
            v.p(),
            v.r(),
            v.f1(),
            v.tp,
            v.flagged,
            v.gold
        );
    }
}

fn metric(res: &BTreeMap<String, Prf>, name: &str) -> Option<f64> {
    let (row, m) = name.rsplit_once('.')?;
    let v = res.get(row)?;
    Some(match m {
        "precision" | "p" => v.p(),
        "recall" | "r" => v.r(),
        "f1" => v.f1(),
        _ => return None,
    })
}

struct Args {
    pools: Vec<String>,
    floors: Option<String>,
    seeds: Option<String>,
    json: bool,
    pairs_out: Option<String>,
    sweep: bool,
    candidates: bool,
    opts: RunOptions,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        pools: vec![],
        floors: None,
        seeds: None,
        json: false,
        pairs_out: None,
        sweep: false,
        candidates: false,
        opts: RunOptions::default(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--floors" => a.floors = Some(it.next().ok_or("--floors needs a file")?),
            "--seeds" => a.seeds = Some(it.next().ok_or("--seeds needs a directory")?),
            "--pairs-out" => a.pairs_out = Some(it.next().ok_or("--pairs-out needs a file")?),
            "--threshold" => {
                let v: f64 = it
                    .next()
                    .ok_or("--threshold needs a value")?
                    .parse()
                    .map_err(|_| "--threshold needs a number")?;
                a.opts.threshold = Some(v);
            }
            "--use-lang-field" => a.opts.use_lang_field = true,
            "--lexicon" | "--freedict" => a.opts.lexicon_flag(&x, it.next())?,
            "--knob" => {
                let kv = it.next().ok_or("--knob needs name=value")?;
                let (k, v) = kv.split_once('=').ok_or("--knob needs name=value")?;
                a.opts.knobs.push((
                    k.to_string(),
                    v.parse().map_err(|_| "--knob value must be a number")?,
                ));
            }
            "--json" => a.json = true,
            "--sweep" => a.sweep = true,
            "--candidates" => a.candidates = true,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => a.pools.push(s.to_string()),
        }
    }
    if a.pools.is_empty() {
        return Err("give at least one gold JSONL pool".into());
    }
    Ok(a)
}

const USAGE: &str = "usage: evaluate POOL.jsonl [POOL.jsonl …] [--floors FILE] [--seeds DIR] [--threshold X] [--use-lang-field] [--json] [--pairs-out FILE] [--sweep] [--candidates]";

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("evaluate: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match real_main(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("evaluate: {e}");
            ExitCode::from(1)
        }
    }
}

fn real_main(args: Args) -> Result<bool, String> {
    let mut results: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let mut all_docs: Vec<Doc> = Vec::new();
    let mut json_out = serde_json::Map::new();
    for pool in &args.pools {
        let (docs, bad) = read_jsonl(pool, false, true)?;
        if !bad.is_empty() {
            eprintln!(
                "{pool}: {} malformed lines skipped (first: line {}: {})",
                bad.len(),
                bad[0].line,
                bad[0].reason
            );
        }
        let name = std::path::Path::new(pool)
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or(pool.clone());
        let t0 = std::time::Instant::now();
        let out = run(&docs, &args.opts)?;
        let secs = t0.elapsed().as_secs_f64();
        let g = gold_of(&docs);
        let flagged: HashSet<Pair> = out.pairs.iter().map(|m| key(&m.a, &m.b)).collect();
        let res = score(&g, &flagged);
        if !args.json {
            print_table(&name, &res);
            let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
            let agree = docs
                .iter()
                .zip(&out.analyses)
                .filter(|(d, a)| {
                    let field = d.lang.as_deref().and_then(lintas::Lang::from_code);
                    field.is_some() && field == a.detection().lang()
                })
                .count();
            say!(
                "{} docs, {:.1} MB, {:.2} s end to end; detected language agrees with the `lang` field for {}/{} docs",
                docs.len(),
                bytes as f64 / 1e6,
                secs,
                agree,
                docs.len()
            );
            let mem = out.detector.corpus().memory_report();
            say!(
                "memory per document: {:.0} bytes with explanation labels, {:.0} without (signature, features, index, postings)",
                mem.per_document_with_labels, mem.per_document_without_labels
            );
        }
        if args.sweep {
            sweep(&docs, &g, &args.opts)?;
        }
        if args.candidates {
            candidate_report(&out, &g);
        }
        if let Some(p) = &args.pairs_out {
            let path = if args.pools.len() > 1 {
                format!("{p}.{name}")
            } else {
                p.clone()
            };
            let mut s = String::new();
            for m in &out.pairs {
                s.push_str(&common::pair_json(m));
                s.push('\n');
            }
            std::fs::write(&path, s).map_err(|e| format!("cannot write {path}: {e}"))?;
        }
        let mut flat = BTreeMap::new();
        let mut jrow = serde_json::Map::new();
        for (k, v) in &res {
            flat.insert(format!("{k}.precision"), v.p());
            flat.insert(format!("{k}.recall"), v.r());
            flat.insert(format!("{k}.f1"), v.f1());
            jrow.insert(k.clone(), serde_json::json!({"tp": v.tp, "flagged": v.flagged, "gold": v.gold, "precision": common::round4(v.p()), "recall": common::round4(v.r()), "f1": common::round4(v.f1())}));
        }
        json_out.insert(name.clone(), Value::Object(jrow));
        results.insert(name, flat);
        all_docs.extend(docs);
    }
    if let Some(dir) = &args.seeds {
        match seed_report(dir, &all_docs, &args.opts, args.json) {
            Ok(m) => {
                json_out.insert(
                    "seeds".into(),
                    serde_json::to_value(&m).unwrap_or(Value::Null),
                );
                results.insert("seeds".into(), m);
            }
            Err(e) => eprintln!("seeds: {e}"),
        }
    }
    if args.json {
        say!("{}", Value::Object(json_out));
    }
    let mut ok = true;
    if let Some(f) = &args.floors {
        let text =
            std::fs::read_to_string(f).map_err(|e| format!("cannot read floors {f}: {e}"))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [pool, m, min] = parts[..] else {
                return Err(format!("{f}:{}: expected POOL METRIC MIN", n + 1));
            };
            let min: f64 = min
                .parse()
                .map_err(|_| format!("{f}:{}: bad number", n + 1))?;
            let Some(vals) = results.get(pool) else {
                say!("floor {pool} {m}: pool not evaluated in this run, skipped");
                continue;
            };
            let got = vals.get(m).copied().or_else(|| metric_from_flat(vals, m));
            match got {
                Some(v) if v + 1e-9 >= min => say!("floor ok    {pool} {m} = {v:.4} ≥ {min}"),
                Some(v) => {
                    say!("FLOOR FAIL  {pool} {m} = {v:.4} < {min}");
                    ok = false;
                }
                None => {
                    say!("FLOOR FAIL  {pool} {m}: metric not found");
                    ok = false;
                }
            }
        }
    }
    Ok(ok)
}

fn metric_from_flat(vals: &BTreeMap<String, f64>, m: &str) -> Option<f64> {
    let _ = metric;
    vals.get(m).copied()
}

/// The candidate stage against the exhaustive exact oracle: how many pairs are candidates,
/// and what share of the gold pairs and of the pairs exact scoring would flag they contain.
fn candidate_report(out: &common::RunOutput, g: &Gold) {
    let corpus = out.detector.corpus();
    let cands: HashSet<Pair> = corpus
        .candidate_pairs()
        .iter()
        .map(|(a, b)| key(a, b))
        .collect();
    let oracle: HashSet<Pair> = corpus
        .pairs_exhaustive()
        .iter()
        .map(|m| key(&m.a, &m.b))
        .collect();
    let n = corpus.len();
    let all = n * n.saturating_sub(1) / 2;
    let gold_hit = g.gold.iter().filter(|p| cands.contains(*p)).count();
    let oracle_hit = oracle.iter().filter(|p| cands.contains(*p)).count();
    let lsh = corpus.lsh_params();
    say!(
        "candidates: {} of {} pairs ({:.2}%); LSH {} bands x {} rows; gold pairs among candidates {}/{} ({:.4}); exact-oracle flags among candidates {}/{} ({:.4})",
        cands.len(),
        all,
        100.0 * cands.len() as f64 / all.max(1) as f64,
        lsh.bands(),
        lsh.rows(),
        gold_hit,
        g.gold.len(),
        gold_hit as f64 / g.gold.len().max(1) as f64,
        oracle_hit,
        oracle.len(),
        oracle_hit as f64 / oracle.len().max(1) as f64
    );
}

/// Scores at a grid of overall thresholds (one run at a low threshold, then filtering).
fn sweep(docs: &[Doc], g: &Gold, opts: &RunOptions) -> Result<(), String> {
    let base = RunOptions {
        threshold: Some(0.02),
        ..opts.clone()
    };
    let out = run(docs, &base)?;
    let (same, cross) = lintas::Corpus::builder()
        .build()
        .map_err(|e| e.to_string())?
        .thresholds();
    say!(
        "-- sweep (overall threshold t: same-language t, cross-language t×{:.3})",
        cross / same
    );
    for i in 0..=24 {
        let t = 0.10 + 0.0125 * i as f64;
        let flagged: HashSet<Pair> = out
            .pairs
            .iter()
            .filter(|m| {
                let tt = if (m.threshold - 0.02).abs() < 1e-9 {
                    t
                } else {
                    t * cross / same
                };
                m.score >= tt
            })
            .map(|m| key(&m.a, &m.b))
            .collect();
        let r = score(g, &flagged);
        let get = |k: &str| r.get(k).copied().unwrap_or_default();
        say!(
            "t={t:.4}  all P={:.3} R={:.3} F1={:.3} | en-id F1={:.3} | en-en F1={:.3} | indep R={:.3}",
            get("all").p(),
            get("all").r(),
            get("all").f1(),
            get("en-id").f1(),
            get("en-en").f1(),
            get("independent").r()
        );
    }
    Ok(())
}

/// The seed pair: its score, and the highest score of either seed against any pool document.
fn seed_report(
    dir: &str,
    pool: &[Doc],
    opts: &RunOptions,
    quiet: bool,
) -> Result<BTreeMap<String, f64>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {dir}: {e}"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    if files.len() < 2 {
        return Err(format!("{dir}: expected two .txt seed articles"));
    }
    let texts: Vec<String> = files
        .iter()
        .take(2)
        .map(|p| {
            std::fs::read(p)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect::<Result<_, _>>()?;
    let analyzer = common::analyzer(opts)?;
    let mut corpus: Corpus = common::corpus_builder(opts)
        .build()
        .map_err(|e| e.to_string())?;
    let seed_ids = ["seed:0", "seed:1"];
    for (id, t) in seed_ids.iter().zip(&texts) {
        let a = analyzer.analyze(t);
        corpus
            .add(*id, a.detection().lang(), a.features())
            .map_err(|e| e.to_string())?;
    }
    for d in pool {
        let a = analyzer.analyze(&d.text);
        // Pool ids may repeat across pools; only the first copy is needed.
        let _ = corpus.add(d.id.as_str(), a.detection().lang(), a.features());
    }
    let pair: Option<Match> = corpus.score_pair(seed_ids[0], seed_ids[1]);
    let pair = pair.ok_or("seed pair could not be scored")?;
    let flagged_pairs = corpus.pairs();
    let seed_flagged = flagged_pairs
        .iter()
        .any(|m| seed_ids.contains(&&*m.a) && seed_ids.contains(&&*m.b));
    let seed_false = flagged_pairs
        .iter()
        .filter(|m| seed_ids.contains(&&*m.a) != seed_ids.contains(&&*m.b))
        .count();
    let mut best = (0.0f64, String::new());
    for d in pool {
        for s in seed_ids {
            if let Some(m) = corpus.score_pair(s, &d.id) {
                if m.score > best.0 {
                    best = (m.score, d.id.clone());
                }
            }
        }
    }
    let k = corpus
        .signature(seed_ids[0])
        .map_or(128, |s| s.num_hashes()) as f64;
    let std = (pair.score * (1.0 - pair.score) / k).sqrt();
    let margin = (pair.score - pair.threshold) / std.max(1e-12);
    let ratio = pair.score / best.0.max(1e-12);
    if !quiet {
        say!("== seeds");
        say!(
            "seed pair score={:.4} (jaccard={:.4} containment={:.4} minhash-estimate={:.4}) threshold={:.4} flagged={}",
            pair.score, pair.jaccard, pair.containment, pair.estimate, pair.threshold, seed_flagged
        );
        say!("highest seed-vs-pool score={:.4} ({}); ratio={:.2}× (target ≥ 3); margin over threshold={:.1} σ (σ = sqrt(s(1−s)/{k}), target ≥ 2)", best.0, best.1, ratio, margin);
        say!("seed-vs-pool pairs flagged: {seed_false} (target 0)");
        let shared: Vec<String> = pair
            .explanation
            .top
            .iter()
            .map(|(k, l)| format!("{k}:{l}"))
            .collect();
        say!("seed pair shares: {}", shared.join(", "));
    }
    let mut m = BTreeMap::new();
    m.insert("pair.score".into(), pair.score);
    m.insert("pair.flagged".into(), if seed_flagged { 1.0 } else { 0.0 });
    m.insert("ratio".into(), ratio);
    m.insert("margin_sigma".into(), margin);
    m.insert(
        "false_flags_zero".into(),
        if seed_false == 0 { 1.0 } else { 0.0 },
    );
    Ok(m)
}
