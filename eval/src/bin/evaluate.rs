//! Evaluation: runs lintas over gold JSONL pools through the path the `dedup` example takes
//! and prints the metrics of `../shared/eval/score.py` (precision / recall / F1 over all
//! pairs, per language pair, cross-language, independent coverage), the seed pair, and a check
//! against quality floors.
//!
//! ```text
//! cargo run --release -p lintas-eval --bin evaluate -- POOL.jsonl [POOL.jsonl …]
//!     [--floors FILE] [--seeds DIR] [--threshold X] [--use-lang-field] [--json]
//!     [--pairs-out FILE] [--sweep] [--candidates] [--matrix] [--mixed]
//!     [--fit-dictionary-threshold] [--knob NAME=VALUE …]
//!     [--lexicon LANG:FILE.tsv] [--freedict LANG:PREFIX|auto]
//!     [--oof [--features NAME,…] [--subcorpora N] [--veto P] [--fit FILE]]
//! ```
//!
//! `--matrix` prints each pool's language-pair matrix (F1 where a pair has gold pairs, `xN`
//! for N false flags where it has none). `--mixed` also runs every pool's documents together
//! as one feed (a document in several pools once; the same id with another text or event is
//! an error) and scores each pool's own pairs in it, as the pool `mixed:NAME`, with
//! `ROW.precision_vs_alone`, `ROW.recall_vs_alone` and `ROW.f1_vs_alone` (mixed minus alone:
//! negative when the other languages cost something) for floors.
//!
//! `--fit-dictionary-threshold` (with `--freedict`) fits the threshold of pairs through runtime
//! dictionaries by grouped cross-validation: five folds of the pool's `meta.tico_doc` groups
//! (the document's id where there is none); each fold is scored with the rule that maximises
//! F1 on the pairs through a dictionary that do not touch it. One run with that threshold at
//! 0.005 scores every pair; the rules are read off the scores. Rules: one threshold (a grid
//! from 0.040 to 0.170), and `a + b · coverage` (a from 0.005 to 0.100, b from 0 to 0.200) for
//! three coverages — the product of the two documents' shares of concepts among their
//! concept and local features (the library's, `lintas::CorpusBuilder::dictionary_threshold`),
//! and the product or the smaller of the two detected languages' shares over the pool. It
//! prints, per rule, the out-of-fold figures of the en–X rows, the pairs through a dictionary
//! and the cross-mapped pairs, the rule fitted on every fold, and its in-sample figures.
//!
//! `--oof` scores the event verifier out of fold (grouped cross-validation, `lintas_eval::oof`):
//! the pools' figures, and the floors, become the out-of-fold ones over the documents outside
//! the set-aside groups, which are reported apart; it also prints the reliability table, the
//! operating points by precision and a bootstrap interval of en–id F1. `--fit FILE` writes
//! the model fitted on every labelled pair outside the set-aside groups (the library's
//! `src/matching/event_model.tsv`); `--features` picks the evidence (default: the shipped
//! model's); `--subcorpora N` also fits on each pool dealt into corpora of about N documents;
//! `--veto P` scores the corpus's own verifier's flags that also reach probability P.
//! `--knob event=1` selects the event verifier, `event=2` the combined one (`Verifier::Combined`). `LINTAS_OOF_DUMP=FILE` writes every candidate
//! pair with its evidence, label and probability, and the corpus's own decision (`score`,
//! `threshold`, `by_event`, `cross`), for error analysis (not a stable format).
//!
//! `--floors FILE` lines read `POOL_FILE_NAME  METRIC  MIN` (e.g. `dev-en-id.jsonl en-id.f1
//! 0.95`; `ROW.p` and `ROW.r` are aliases of `ROW.precision` and `ROW.recall`; `seeds` as the
//! pool name for the seed checks; `candidates.gold_held`, the share of gold pairs among the
//! candidates, and `candidates.pairs_spared`, one minus the share of all pairs that are
//! candidates, for the candidate stage); any metric below its floor, or not measured, makes
//! the exit status 1. An unknown option or knob is a usage error (status 2).

use lintas::{Corpus, Match};
use lintas_eval::input::{read_pool, Doc};
use lintas_eval::metrics::{self, key, score, Gold, Pair, Prf};
use lintas_eval::pipeline::{self, run, RunOptions, RunOutput};
use lintas_eval::{cli, oof, say};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::process::ExitCode;

struct Args {
    pools: Vec<String>,
    floors: Option<String>,
    seeds: Option<String>,
    json: bool,
    pairs_out: Option<String>,
    sweep: bool,
    candidates: bool,
    matrix: bool,
    mixed: bool,
    fit_dictionary: bool,
    oof: bool,
    veto: Option<f64>,
    subcorpora: usize,
    fit: Option<String>,
    features: Option<Vec<String>>,
    opts: RunOptions,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        pools: vec![],
        floors: None,
        seeds: None,
        json: false,
        pairs_out: None,
        sweep: false,
        candidates: false,
        matrix: false,
        mixed: false,
        fit_dictionary: false,
        oof: false,
        veto: None,
        subcorpora: 0,
        fit: None,
        features: None,
        opts: RunOptions::default(),
    };
    let mut it = args.into_iter();
    while let Some(x) = it.next() {
        match x.as_str() {
            "--floors" => a.floors = Some(cli::value(&mut it, &x, "a file")?),
            "--seeds" => a.seeds = Some(cli::value(&mut it, &x, "a directory")?),
            "--pairs-out" => a.pairs_out = Some(cli::value(&mut it, &x, "a file")?),
            "--threshold" => {
                let v = cli::value(&mut it, &x, "a value")?;
                let t: f64 = v
                    .parse()
                    .map_err(|_| format!("--threshold: not a number: {v}"))?;
                if !(t > 0.0 && t <= 1.0) {
                    return Err(format!("--threshold must be in (0, 1], got {t}"));
                }
                a.opts.threshold = Some(t);
            }
            "--use-lang-field" => a.opts.use_lang_field = true,
            "--lexicon" | "--freedict" => a.opts.lexicon_flag(&x, it.next())?,
            "--knob" => {
                let kv = cli::value(&mut it, &x, "NAME=VALUE")?;
                a.opts.knobs.push(pipeline::parse_knob(&kv)?);
            }
            "--json" => a.json = true,
            "--sweep" => a.sweep = true,
            "--candidates" => a.candidates = true,
            "--matrix" => a.matrix = true,
            "--mixed" => a.mixed = true,
            "--fit-dictionary-threshold" => a.fit_dictionary = true,
            "--oof" => a.oof = true,
            "--subcorpora" => {
                let v = cli::value(&mut it, &x, "a number of documents")?;
                a.subcorpora = v.parse().ok().filter(|n: &usize| *n >= 2).ok_or_else(|| {
                    format!("--subcorpora takes a number of documents ≥ 2, got {v:?}")
                })?;
            }
            "--veto" => {
                let v = cli::value(&mut it, &x, "a probability")?;
                a.veto = Some(
                    v.parse()
                        .ok()
                        .filter(|p: &f64| (0.0..=1.0).contains(p))
                        .ok_or_else(|| format!("--veto takes a probability, got {v:?}"))?,
                );
            }
            "--fit" => a.fit = Some(cli::value(&mut it, &x, "a file")?),
            "--features" => {
                let v = cli::value(&mut it, &x, "NAME,NAME,…")?;
                let names: Vec<String> = v.split(',').map(str::to_string).collect();
                oof::check_names(&names.iter().map(String::as_str).collect::<Vec<_>>())?;
                a.features = Some(names);
            }
            "-h" | "--help" => return Err(String::new()),
            "--" => a.pools.extend(it.by_ref()),
            s if cli::is_option(s) => return Err(format!("unknown option {s}")),
            s => a.pools.push(s.to_string()),
        }
    }
    if a.pools.is_empty() {
        return Err("give at least one gold JSONL pool".into());
    }
    if a.mixed && a.pools.len() < 2 {
        return Err("--mixed runs the pools together: give at least two".into());
    }
    if (a.fit.is_some() || a.features.is_some() || a.veto.is_some() || a.subcorpora > 0) && !a.oof {
        return Err("--fit, --features, --veto and --subcorpora go with --oof".into());
    }
    Ok(a)
}

const USAGE: &str = "usage: evaluate POOL.jsonl [POOL.jsonl …] [--floors FILE] [--seeds DIR] \
[--threshold X] [--use-lang-field] [--json] [--pairs-out FILE] [--sweep] [--candidates] \
[--matrix] [--mixed] [--fit-dictionary-threshold] [--oof [--features NAME,…] [--subcorpora N] [--veto P] [--fit FILE]] [--knob NAME=VALUE …] [--lexicon LANG:FILE.tsv] [--freedict LANG:PREFIX]";

fn main() -> ExitCode {
    cli::run_tool(
        "evaluate",
        USAGE,
        parse_args(std::env::args().skip(1)),
        real_main,
    )
}

fn real_main(args: Args) -> Result<bool, String> {
    // Read the floors first: a malformed file is found before the work.
    let floors = match &args.floors {
        Some(f) => {
            let text =
                std::fs::read_to_string(f).map_err(|e| format!("cannot read floors {f}: {e}"))?;
            metrics::parse_floors(&text, f)?
        }
        None => Vec::new(),
    };
    let mut results: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let mut all_docs: Vec<Doc> = Vec::new();
    // Each pool's name and its documents' place in `all_docs` (for `--mixed`).
    let mut pool_spans: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut json_out = serde_json::Map::new();
    let mut oof_rows: Vec<oof::PairRow> = Vec::new();
    let mut oof_pools: Vec<(String, Vec<Doc>)> = Vec::new();
    let mut thresholds = (0.0, 0.0);
    let mut verifier = lintas::Verifier::default();
    for (pool_index, pool) in args.pools.iter().enumerate() {
        let (docs, bad) = read_pool(pool, true)?;
        if !bad.is_empty() {
            eprintln!(
                "{pool}: {} malformed lines skipped (first: line {}: {})",
                bad.len(),
                bad[0].line,
                bad[0].reason
            );
        }
        let name = pool_name(pool);
        let t0 = std::time::Instant::now();
        let out = run(&docs, &args.opts)?;
        let secs = t0.elapsed().as_secs_f64();
        let g = Gold::of(&docs);
        let flagged: HashSet<Pair> = out.pairs.iter().map(|m| key(&m.a, &m.b)).collect();
        let mut res = score(&g, &flagged);
        // With runtime dictionaries: the cross-language pairs whose two sides both reach
        // English concepts (English, a built-in lexicon, or a dictionary).
        let dict = dictionary_codes(&out);
        if !dict.is_empty() {
            let mapped = |l: &str| dict.contains(l) || matches!(l, "en" | "id" | "ms");
            let row = metrics::score_where(&g, &flagged, |a, b| a != b && mapped(a) && mapped(b));
            res.insert("cross-mapped".into(), row);
        }
        if !args.json {
            say!("== {name}");
            for line in metrics::table(&res) {
                say!("{line}");
            }
            if args.matrix {
                for line in metrics::matrix(&res) {
                    say!("{line}");
                }
            }
            let bytes: usize = docs
                .iter()
                .map(|d| d.title.as_ref().map_or(0, String::len) + d.text.len())
                .sum();
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
        if args.fit_dictionary {
            fit_dictionary_threshold(&docs, &g, &args.opts, &out)?;
        }
        // The candidate stage's figures, for `--candidates` or a floor on them.
        let wants_candidates = args.candidates
            || floors
                .iter()
                .any(|f| f.pool == name && f.metric.starts_with("candidates."));
        let mut candidate_metrics = None;
        if wants_candidates {
            let stage = candidate_stage(&out, &g);
            if args.candidates {
                candidate_report(&out, &g, &stage);
            }
            candidate_metrics = Some([
                ("candidates.gold_held".to_string(), stage.gold_held()),
                ("candidates.pairs_spared".to_string(), 1.0 - stage.share()),
            ]);
        }
        if let Some(p) = &args.pairs_out {
            let path = if args.pools.len() > 1 {
                format!("{p}.{name}")
            } else {
                p.clone()
            };
            let mut s = String::new();
            for m in &out.pairs {
                s.push_str(&lintas::jsonl::match_line(m));
                s.push('\n');
            }
            std::fs::write(&path, s).map_err(|e| format!("cannot write {path}: {e}"))?;
        }
        let mut jrow = serde_json::Map::new();
        for (k, v) in &res {
            jrow.insert(k.clone(), prf_json(v));
        }
        json_out.insert(name.clone(), Value::Object(jrow));
        let mut flat = metrics::flatten(&res);
        flat.extend(candidate_metrics.into_iter().flatten());
        results.insert(name.clone(), flat);
        if args.oof {
            oof_rows.extend(oof::rows_of(pool_index, &docs, &out.detector));
            if args.subcorpora > 0 {
                for sub in oof::subcorpora(&docs, args.subcorpora) {
                    let o = run(&sub, &args.opts)?;
                    oof_rows.extend(oof::rows_of(pool_index, &sub, &o.detector).into_iter().map(
                        |mut r| {
                            r.sub = true;
                            r
                        },
                    ));
                }
            }
            thresholds = out.detector.corpus().thresholds();
            verifier = out.detector.corpus().verifier();
            oof_pools.push((name.clone(), docs.clone()));
        }
        pool_spans.push((name, all_docs.len()..all_docs.len() + docs.len()));
        all_docs.extend(docs);
    }
    if args.mixed {
        mixed_report(&all_docs, &pool_spans, &args, &mut results)?;
    }
    if args.oof {
        oof_report(
            &args,
            &oof_rows,
            &oof_pools,
            (thresholds, verifier),
            &mut results,
        )?;
    }
    if let Some(dir) = &args.seeds {
        match seed_report(dir, &all_docs, &args.opts, args.json) {
            Ok(m) => {
                let obj = m
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from(*v)))
                    .collect();
                json_out.insert("seeds".into(), Value::Object(obj));
                results.insert("seeds".into(), m);
            }
            Err(e) => eprintln!("seeds: {e}"),
        }
    }
    if args.json {
        say!("{}", Value::Object(json_out));
    }
    let mut ok = true;
    for f in &floors {
        let (pool, m, min) = (&f.pool, &f.metric, f.min);
        let Some(vals) = results.get(pool) else {
            say!("floor {pool} {m}: pool not evaluated in this run, skipped");
            continue;
        };
        match metrics::metric(vals, m) {
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
    Ok(ok)
}

/// `--mixed`: every pool's documents in one feed, each pool scored on its own documents' pairs
/// there and compared with its figures alone (`results` holds those under the pool's name).
fn mixed_report(
    all_docs: &[Doc],
    pool_spans: &[(String, std::ops::Range<usize>)],
    args: &Args,
    results: &mut BTreeMap<String, BTreeMap<String, f64>>,
) -> Result<(), String> {
    // One document per id: pools may share documents (dev-en-id's TICO-19 passages are in
    // dev-multi too); the same id must be the same document.
    let mut seen: std::collections::HashMap<&str, &Doc> = std::collections::HashMap::new();
    let mut union: Vec<Doc> = Vec::new();
    let event = |d: &Doc| d.raw.as_ref().and_then(|r| r.get("event")).cloned();
    for d in all_docs {
        match seen.get(d.id.as_str()) {
            Some(o) if o.text == d.text && o.title == d.title && event(o) == event(d) => {}
            Some(_) => {
                return Err(format!(
                    "--mixed: id {:?} is in two pools with a different text, title or event",
                    d.id
                ))
            }
            None => {
                seen.insert(&d.id, d);
                union.push(d.clone());
            }
        }
    }
    let out = run(&union, &args.opts)?;
    let flagged: Vec<Pair> = out.pairs.iter().map(|m| key(&m.a, &m.b)).collect();
    if !args.json {
        say!(
            "== mixed: the {} pools as one feed of {} documents",
            args.pools.len(),
            union.len()
        );
    }
    for (name, span) in pool_spans {
        let docs = &all_docs[span.clone()];
        let ids: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        let own: HashSet<Pair> = flagged
            .iter()
            .filter(|p| ids.contains(p.0.as_str()) && ids.contains(p.1.as_str()))
            .cloned()
            .collect();
        let res = score(&Gold::of(docs), &own);
        let mut flat = metrics::flatten(&res);
        if let Some(alone) = results.get(name) {
            let deltas: Vec<(String, f64)> = flat
                .iter()
                .filter_map(|(k, v)| alone.get(k).map(|a| (format!("{k}_vs_alone"), v - a)))
                .collect();
            if !args.json {
                say!("-- mixed:{name} (its own pairs inside the mixed feed)");
                for line in metrics::table(&res) {
                    say!("{line}");
                }
                let d = |m: &str| {
                    flat.get(m)
                        .zip(alone.get(m))
                        .map_or(f64::NAN, |(x, y)| x - y)
                };
                say!(
                    "mixed minus alone: all P {:+.4} R {:+.4}; en-id P {:+.4} R {:+.4}",
                    d("all.precision"),
                    d("all.recall"),
                    d("en-id.precision"),
                    d("en-id.recall")
                );
            }
            flat.extend(deltas);
        }
        results.insert(format!("mixed:{name}"), flat);
    }
    Ok(())
}

/// A scored pair for `--fit-dictionary-threshold`: one of the cross-language pairs whose two
/// sides (by the `lang` field) reach English concepts, with what a threshold rule reads.
struct DictPair {
    score: f64,
    /// Whether its detected languages make it a pair through a runtime dictionary (decided by
    /// the rule); otherwise it keeps the default run's decision.
    ruled: bool,
    flagged_default: bool,
    /// Through a dictionary by the `lang` field: the pairs the rule is fitted on.
    through: bool,
    gold: bool,
    /// Coverage of the pair's dictionary side(s), one value per coverage definition
    /// ([`COVERAGES`]).
    coverage: [f64; 3],
    folds: [usize; 2],
    row: String,
}

/// The coverage definitions tried: the product over the pair's two languages of the share of
/// a language's content features (concepts and local words) that are concepts, pooled over
/// the batch's documents of that language; the smaller of the two instead of the product;
/// the product of the two documents' own shares.
const COVERAGES: [&str; 3] = ["language (product)", "language (min)", "document (product)"];

/// A threshold rule: `max(a + b · coverage, FLOOR)` with the coverage definition `c`
/// (`b = 0`: one threshold).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rule {
    a: f64,
    b: f64,
    c: usize,
}

impl Rule {
    const FLOOR: f64 = 0.005;
    fn threshold(self, p: &DictPair) -> f64 {
        (self.a + self.b * p.coverage[self.c]).max(Self::FLOOR)
    }
    fn flags(self, p: &DictPair) -> bool {
        if p.ruled {
            p.score >= self.threshold(p)
        } else {
            p.flagged_default
        }
    }
    fn show(self) -> String {
        if self.b == 0.0 {
            format!("{:.3}", self.a)
        } else {
            format!("{:.3}{:+.3}·c", self.a, self.b)
        }
    }
}

/// `--fit-dictionary-threshold`: the threshold of pairs through runtime dictionaries, out of
/// fold (see the module documentation).
fn fit_dictionary_threshold(
    docs: &[Doc],
    g: &Gold,
    opts: &RunOptions,
    out: &RunOutput,
) -> Result<(), String> {
    const FOLDS: usize = 5;
    let dict = dictionary_codes(out);
    if dict.is_empty() {
        return Err("--fit-dictionary-threshold needs runtime dictionaries (--freedict)".into());
    }
    // The pairs a dictionary maps, by the pool's `lang` field (Malay is read as Indonesian),
    // built in (French, Spanish, Portuguese) or loaded at run time.
    let builtin: HashSet<&str> = lintas::Lang::ALL
        .iter()
        .filter(|l| l.has_builtin_dictionary())
        .map(|l| l.code())
        .collect();
    let mapped =
        |l: &str| dict.contains(l) || builtin.contains(l) || matches!(l, "en" | "id" | "ms");
    let cross_mapped = |p: &Pair| {
        let (a, b) = (g.lang[&p.0].as_str(), g.lang[&p.1].as_str());
        a != b && mapped(a) && mapped(b)
    };
    let through_dictionary = |p: &Pair| {
        let (a, b) = (g.lang[&p.0].as_str(), g.lang[&p.1].as_str());
        cross_mapped(p) && (dict.contains(a) || dict.contains(b))
    };
    let group: std::collections::HashMap<&str, String> = docs
        .iter()
        .map(|d| {
            let tico = d
                .raw
                .as_ref()
                .and_then(|r| r.get("meta"))
                .and_then(|m| m.get("tico_doc"))
                .and_then(Value::as_str);
            (
                d.id.as_str(),
                tico.map_or_else(|| d.id.clone(), |t| format!("tico:{t}")),
            )
        })
        .collect();
    let names: Vec<&str> = docs.iter().map(|d| group[d.id.as_str()].as_str()).collect();
    let folds = lintas_eval::model::assign_folds(&names, FOLDS);
    let fold: std::collections::HashMap<&str, usize> = docs
        .iter()
        .zip(folds)
        .map(|(d, f)| (d.id.as_str(), f))
        .collect();
    // Coverage: each document's share of concepts among its concept and local features, and
    // each detected language's share over its documents.
    let mut doc_cov: std::collections::HashMap<&str, f64> = Default::default();
    let mut doc_lang: std::collections::HashMap<&str, Option<lintas::Lang>> = Default::default();
    let mut lang_counts: BTreeMap<lintas::Lang, (usize, usize)> = BTreeMap::new();
    for (d, a) in docs.iter().zip(&out.analyses) {
        let (mut c, mut l) = (0, 0);
        for f in a.features() {
            match f.kind {
                lintas::FeatureKind::Concept => c += 1,
                lintas::FeatureKind::Local => l += 1,
                _ => {}
            }
        }
        doc_cov.insert(
            d.id.as_str(),
            if c + l == 0 {
                1.0
            } else {
                c as f64 / (c + l) as f64
            },
        );
        let lang = a.detection().lang();
        doc_lang.insert(d.id.as_str(), lang);
        if let Some(lang) = lang {
            let e = lang_counts.entry(lang).or_default();
            e.0 += c;
            e.1 += c + l;
        }
    }
    let lang_cov = |l: Option<lintas::Lang>| {
        l.and_then(|l| lang_counts.get(&l)).map_or(1.0, |&(c, n)| {
            if n == 0 {
                1.0
            } else {
                c as f64 / n as f64
            }
        })
    };
    say!(
        "coverage (concepts among concept and local features, by detected language): {}",
        lang_counts
            .iter()
            .filter(|(l, _)| mapped(l.code()))
            .map(|(l, _)| format!("{} {:.3}", l.code(), lang_cov(Some(*l))))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // The detected-language pairs the library decides at the dictionary threshold.
    let dict_langs = out.detector.analyzer().lexicon().dictionary_languages();
    let through_langs = |x: lintas::Lang, y: lintas::Lang| {
        let m = |l: lintas::Lang| {
            l == lintas::Lang::English
                || l.has_lexicon()
                || l.has_builtin_dictionary()
                || dict_langs.contains(&l)
        };
        x != y && (dict_langs.contains(&x) || dict_langs.contains(&y)) && m(x) && m(y)
    };
    // One run with the dictionary threshold at the rules' floor: a pair's decision depends
    // only on its score and its threshold, so every rule is read off its scores.
    let mut o = opts.clone();
    o.knobs.push(("dictionary_threshold".into(), Rule::FLOOR));
    let low = run(docs, &o)?;
    let default: HashSet<Pair> = out.pairs.iter().map(|m| key(&m.a, &m.b)).collect();
    let lp = |p: &Pair| {
        let mut l = [g.lang[&p.0].as_str(), g.lang[&p.1].as_str()];
        l.sort_unstable();
        format!("{}-{}", l[0], l[1])
    };
    let mut pairs: Vec<DictPair> = Vec::new();
    for m in &low.pairs {
        let p = key(&m.a, &m.b);
        if !cross_mapped(&p) || !g.scored(&p) {
            continue;
        }
        let (la, lb) = (doc_lang[p.0.as_str()], doc_lang[p.1.as_str()]);
        let ruled = match (la, lb) {
            (Some(x), Some(y)) => through_langs(x, y),
            _ => false,
        };
        let (ca, cb) = (lang_cov(la), lang_cov(lb));
        pairs.push(DictPair {
            score: m.score,
            ruled,
            flagged_default: default.contains(&p),
            through: through_dictionary(&p),
            gold: g.gold.contains(&p),
            coverage: [
                ca * cb,
                ca.min(cb),
                doc_cov[p.0.as_str()] * doc_cov[p.1.as_str()],
            ],
            folds: [fold[p.0.as_str()], fold[p.1.as_str()]],
            row: lp(&p),
        });
    }
    // Gold pairs of the fit (through a dictionary), with their folds.
    let gold_folds: Vec<[usize; 2]> = g
        .gold
        .iter()
        .filter(|p| through_dictionary(p))
        .map(|p| [fold[p.0.as_str()], fold[p.1.as_str()]])
        .collect();
    let f1 = |tp: usize, flagged: usize, gold: usize| {
        let p = tp as f64 / flagged.max(1) as f64;
        let r = tp as f64 / gold.max(1) as f64;
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    };
    // The rule of a family that maximises F1 over the pairs through a dictionary that do not
    // touch fold `k` (every pair with `None`). Ties go to the higher intercept (fewer flags).
    let best = |family: &[Rule], k: Option<usize>| -> Rule {
        let keep = |f: &[usize; 2]| k.is_none_or(|k| !f.contains(&k));
        let train: Vec<&DictPair> = pairs
            .iter()
            .filter(|p| p.through && keep(&p.folds))
            .collect();
        let g_n = gold_folds.iter().filter(|f| keep(f)).count();
        let mut top = (f64::NEG_INFINITY, family[0]);
        for &r in family {
            let (mut tp, mut fl) = (0, 0);
            for p in &train {
                if r.flags(p) {
                    fl += 1;
                    tp += usize::from(p.gold);
                }
            }
            let s = f1(tp, fl, g_n);
            if s > top.0 || (s == top.0 && r.a > top.1.a) {
                top = (s, r);
            }
        }
        top.1
    };
    let step = |i: usize| (i as f64 * 0.005 * 1000.0).round() / 1000.0;
    let single: Vec<Rule> = (8..=34)
        .map(|i| Rule {
            a: step(i),
            b: 0.0,
            c: 0,
        })
        .collect();
    let mut families: Vec<(String, Vec<Rule>)> = vec![("one threshold".into(), single)];
    for (c, name) in COVERAGES.iter().enumerate() {
        let mut fam = Vec::new();
        for i in 1..=20 {
            for j in 0..=40 {
                fam.push(Rule {
                    a: step(i),
                    b: step(j),
                    c,
                });
            }
        }
        families.push((format!("a + b·coverage, {name}"), fam));
    }
    let report_rows = ["en-fr", "en-es", "en-pt", "ar-en", "en-ru", "en-hi"];
    for (name, family) in &families {
        let chosen: Vec<Rule> = (0..FOLDS).map(|k| best(family, Some(k))).collect();
        say!(
            "{name}: per fold {}",
            chosen
                .iter()
                .map(|r| r.show())
                .collect::<Vec<_>>()
                .join(", ")
        );
        // Out of fold: each pair judged by the rule of its lower fold (fitted without it).
        let mut rows: BTreeMap<String, Prf> = BTreeMap::new();
        for p in g.gold.iter().filter(|p| cross_mapped(p)) {
            for r in [lp(p), "cross-mapped".to_string()] {
                rows.entry(r).or_default().gold += 1;
            }
            if through_dictionary(p) {
                rows.entry("through-dictionaries".into()).or_default().gold += 1;
            }
        }
        let all = best(family, None);
        let mut in_sample = rows.clone();
        for p in &pairs {
            let k = p.folds[0].min(p.folds[1]);
            for (rows, rule) in [(&mut rows, chosen[k]), (&mut in_sample, all)] {
                if !rule.flags(p) {
                    continue;
                }
                let mut names = vec![p.row.clone(), "cross-mapped".to_string()];
                if p.through {
                    names.push("through-dictionaries".into());
                }
                for n in names {
                    let e = rows.entry(n).or_default();
                    e.flagged += 1;
                    e.tp += usize::from(p.gold);
                }
            }
        }
        let show = |rows: &BTreeMap<String, Prf>| {
            report_rows
                .iter()
                .map(|r| r.to_string())
                .chain(["through-dictionaries".into(), "cross-mapped".into()])
                .filter_map(|r| rows.get(&r).map(|v| (r, *v)))
                .collect::<BTreeMap<String, Prf>>()
        };
        for line in metrics::table(&show(&rows)) {
            say!("  oof {line}");
        }
        say!("  fitted on every fold: {}", all.show());
        if all.c == 2 {
            say!(
                "  (shipped: {:.3}{:+.3}·c, lintas::DICTIONARY_THRESHOLD_INTERCEPT and _SLOPE)",
                lintas::DICTIONARY_THRESHOLD_INTERCEPT,
                lintas::DICTIONARY_THRESHOLD_SLOPE
            );
        }
        for line in metrics::table(&show(&in_sample)) {
            say!("  in-sample {line}");
        }
    }
    Ok(())
}

/// The codes of the languages a run's analyser maps through runtime dictionaries.
fn dictionary_codes(out: &RunOutput) -> HashSet<&'static str> {
    out.detector
        .analyzer()
        .lexicon()
        .dictionary_languages()
        .into_iter()
        .map(|l| l.code())
        .collect()
}

/// A pool's name in reports and floors: its file name.
fn pool_name(pool: &str) -> String {
    std::path::Path::new(pool)
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or(pool.to_string())
}

fn prf_json(v: &Prf) -> Value {
    let r4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
    serde_json::json!({
        "tp": v.tp,
        "flagged": v.flagged,
        "gold": v.gold,
        "precision": r4(v.precision()),
        "recall": r4(v.recall()),
        "f1": r4(v.f1()),
    })
}

/// The candidate pairs of a run, and how many gold pairs they hold.
struct CandidateStage {
    cands: HashSet<Pair>,
    /// Pairs of distinct documents in the corpus.
    all: usize,
    gold_hit: usize,
    gold: usize,
}

impl CandidateStage {
    /// Share of the gold pairs among the candidates (`candidates.gold_held` in floors).
    fn gold_held(&self) -> f64 {
        self.gold_hit as f64 / self.gold.max(1) as f64
    }

    /// Share of all pairs that are candidates (floors read `candidates.pairs_spared`, one
    /// minus this, so that a floor is a least value).
    fn share(&self) -> f64 {
        self.cands.len() as f64 / self.all.max(1) as f64
    }
}

fn candidate_stage(out: &RunOutput, g: &Gold) -> CandidateStage {
    let corpus = out.detector.corpus();
    let cands: HashSet<Pair> = corpus
        .candidate_pairs()
        .iter()
        .map(|(a, b)| key(a, b))
        .collect();
    let n = corpus.len();
    CandidateStage {
        all: n * n.saturating_sub(1) / 2,
        gold_hit: g.gold.iter().filter(|p| cands.contains(*p)).count(),
        gold: g.gold.len(),
        cands,
    }
}

/// The candidate stage against the exhaustive exact oracle: how many pairs are candidates,
/// and what share of the gold pairs and of the pairs exact scoring would flag they contain.
fn candidate_report(out: &RunOutput, g: &Gold, stage: &CandidateStage) {
    let corpus = out.detector.corpus();
    let cands = &stage.cands;
    let oracle: HashSet<Pair> = corpus
        .pairs_exhaustive()
        .iter()
        .map(|m| key(&m.a, &m.b))
        .collect();
    let (all, gold_hit) = (stage.all, stage.gold_hit);
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
    // The matching stage's time, split: candidates alone, then candidates and verification
    // (`Corpus::pairs`), medians of 5 runs on this thread's pool. Their difference is the
    // verification stage.
    let median = |f: &dyn Fn()| -> f64 {
        let mut t: Vec<f64> = (0..5)
            .map(|_| {
                let t0 = std::time::Instant::now();
                f();
                t0.elapsed().as_secs_f64()
            })
            .collect();
        t.sort_by(f64::total_cmp);
        t[2]
    };
    let cand_s = median(&|| {
        std::hint::black_box(corpus.candidate_pairs());
    });
    let pairs_s = median(&|| {
        std::hint::black_box(corpus.pairs());
    });
    say!(
        "matching time: candidates {:.3} s, candidates + verification {:.3} s (verification ≈ {:.3} s; medians of 5)",
        cand_s,
        pairs_s,
        (pairs_s - cand_s).max(0.0)
    );
}

/// Scores at a grid of overall thresholds (one run at a low threshold, then filtering). A pair
/// is cross-language when the corpus matched its documents in two different languages.
fn sweep(docs: &[Doc], g: &Gold, opts: &RunOptions) -> Result<(), String> {
    let base = RunOptions {
        threshold: Some(0.02),
        ..opts.clone()
    };
    let out = run(docs, &base)?;
    let (same, cross) = Corpus::builder()
        .build()
        .map_err(|e| e.to_string())?
        .thresholds();
    let ratio = cross / same;
    say!("-- sweep (overall threshold t: same-language t, cross-language t×{ratio:.3})");
    let scored: Vec<(Pair, f64, bool)> = out
        .pairs
        .iter()
        .map(|m| (key(&m.a, &m.b), m.score, m.cross_language))
        .collect();
    for i in 0..=24 {
        let t = 0.10 + 0.0125 * i as f64;
        let flagged = metrics::sweep_flags(scored.iter().map(|(p, s, c)| (p, *s, *c)), t, ratio);
        let r = score(g, &flagged);
        let get = |k: &str| r.get(k).copied().unwrap_or_default();
        say!(
            "t={t:.4}  all P={:.3} R={:.3} F1={:.3} | en-id F1={:.3} | en-en F1={:.3} | indep R={:.3}",
            get("all").precision(),
            get("all").recall(),
            get("all").f1(),
            get("en-id").f1(),
            get("en-en").f1(),
            get("independent").recall()
        );
    }
    Ok(())
}

/// The seed pair: its score, its margin over the threshold, and the highest score of either
/// seed against any pool document.
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
    let analyzer = pipeline::analyzer(opts)?;
    let mut corpus: Corpus = pipeline::corpus_builder(opts)
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
        let a = d.analyze(&analyzer, None);
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
    // The score is exact (rarity-weighted Jaccard and containment over the feature sets, not
    // the MinHash estimate), so it has no sampling error: its margin is measured in the
    // score's own units, as the distance to the threshold.
    let margin = pair.score - pair.threshold;
    let ratio = pair.score / best.0.max(1e-12);
    if !quiet {
        say!("== seeds");
        say!(
            "seed pair score={:.4} (jaccard={:.4} containment={:.4} minhash-estimate={:.4}) threshold={:.4} flagged={}",
            pair.score, pair.jaccard, pair.containment, pair.estimate, pair.threshold, seed_flagged
        );
        say!(
            "highest seed-vs-pool score={:.4} ({}); ratio={:.2}× (target ≥ 3); margin over threshold={:+.4} (score − threshold; the score is exact, so no sampling error applies)",
            best.0, best.1, ratio, margin
        );
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
    m.insert("margin".into(), margin);
    m.insert(
        "false_flags_zero".into(),
        if seed_false == 0 { 1.0 } else { 0.0 },
    );
    Ok(m)
}

/// `--oof`: the event verifier out of fold. Every candidate pair of every pool is scored by a
/// model fitted without its documents' folds (grouped cross-validation, `lintas_eval::oof`);
/// the pools' figures (and the floors) become these, over the documents outside the set-aside
/// groups, which are reported apart. With `--fit FILE`, the model fitted on every labelled
/// pair outside the set-aside groups is written to FILE (the library's
/// `src/matching/event_model.tsv`).
fn oof_report(
    args: &Args,
    rows: &[oof::PairRow],
    pools: &[(String, Vec<Doc>)],
    (thresholds, verifier): ((f64, f64), lintas::Verifier),
    results: &mut BTreeMap<String, BTreeMap<String, f64>>,
) -> Result<(), String> {
    use lintas_eval::model;
    let builtin = lintas::EventModel::builtin().map_err(|e| e.to_string())?;
    let names: Vec<&str> = match &args.features {
        Some(v) => v.iter().map(String::as_str).collect(),
        None => builtin.weights().map(|(n, _)| n).collect(),
    };
    let pool_weight: Vec<f64> = pools
        .iter()
        .map(|(_, docs)| {
            if docs.iter().any(|d| oof::group_of(d).starts_with("indep:")) {
                oof::INDEPENDENT_WEIGHT
            } else {
                1.0
            }
        })
        .collect();
    let (p, aside) = oof::out_of_fold(rows, &names, &pool_weight)?;
    let decision = match args.veto {
        Some(v) => oof::Decision::Veto(v),
        None if verifier == lintas::Verifier::Combined => oof::Decision::Combined(thresholds.0),
        None => oof::Decision::Thresholds(thresholds.0, thresholds.1),
    };
    if let Ok(path) = std::env::var("LINTAS_OOF_DUMP") {
        // Every candidate pair with its evidence, label and out-of-fold probability, for
        // error analysis (not a stable format).
        let mut s = String::new();
        for (i, r) in rows.iter().enumerate() {
            let v = serde_json::json!({"pool": r.pool, "a": r.pair.0, "b": r.pair.1,
                "label": r.label, "groups": r.groups, "aside": aside[i], "p": p[i], "score": r.score, "threshold": r.threshold, "by_event": r.by_event, "cross": r.cross, "sub": r.sub,
                "evidence": lintas::Evidence::NAMES.iter().zip(r.evidence.values()).map(|(n, v)| (n.to_string(), Value::from(v))).collect::<serde_json::Map<_, _>>()});
            s.push_str(&v.to_string());
            s.push('\n');
        }
        std::fs::write(&path, s).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    say!(
        "== out of fold: grouped {}-fold cross-validation (groups: ECB+ topic, TICO-19 document, dev-independent topic, CLICK-ID article), set-aside groups {} excluded; evidence: {}",
        oof::FOLDS,
        oof::SET_ASIDE.join(" "),
        names.join(" ")
    );
    for (i, (name, docs)) in pools.iter().enumerate() {
        let (main, held): (Vec<Doc>, Vec<Doc>) = docs
            .iter()
            .cloned()
            .partition(|d| !oof::set_aside(&oof::group_of(d)));
        let g = Gold::of(&main);
        let flagged = oof::flagged(rows, &p, &aside, i, decision, true);
        let res = score(&g, &flagged);
        say!("== {name} (out of fold)");
        for line in metrics::table(&res) {
            say!("{line}");
        }
        // dev-independent is small: a bootstrap interval of its en–id F1.
        let en_id = |q: &Pair| {
            let mut l = [g.lang[&q.0].as_str(), g.lang[&q.1].as_str()];
            l.sort_unstable();
            l == ["en", "id"]
        };
        let mut items: Vec<(bool, bool)> = g
            .gold
            .iter()
            .filter(|q| en_id(q))
            .map(|q| (true, flagged.contains(q)))
            .collect();
        items.extend(
            flagged
                .iter()
                .filter(|q| en_id(q) && !g.gold.contains(*q))
                .map(|_| (false, true)),
        );
        if items.iter().any(|x| x.0) && items.len() < 2000 {
            let (lo, hi) = model::bootstrap_f1(&items, 2000, 0.90, 7);
            say!("en-id F1 90% bootstrap interval: {lo:.3}–{hi:.3} ({} gold or flagged en-id pairs, 2000 resamples)", items.len());
        }
        let flat = metrics::flatten(&res);
        results.entry(name.clone()).or_default().extend(flat);
        if !held.is_empty() {
            let ids: HashSet<&str> = held.iter().map(|d| d.id.as_str()).collect();
            let g2 = Gold::of(&held);
            let all = oof::flagged(rows, &p, &aside, i, decision, false);
            let inside: HashSet<Pair> = all
                .iter()
                .filter(|q| ids.contains(q.0.as_str()) && ids.contains(q.1.as_str()))
                .cloned()
                .collect();
            let across = all
                .iter()
                .filter(|q| ids.contains(q.0.as_str()) != ids.contains(q.1.as_str()))
                .count();
            say!("-- {name}: set-aside groups ({} documents), scored by the model fitted on everything else", held.len());
            for line in metrics::table(&score(&g2, &inside)) {
                say!("   {line}");
            }
            say!("   flags between a set-aside document and the rest of the pool: {across} (all false: their events differ)");
        }
    }
    // Reliability, over the labelled pairs outside the set-aside groups.
    let (mut pp, mut yy) = (Vec::new(), Vec::new());
    for (i, r) in rows.iter().enumerate() {
        if let (false, false, Some(y)) = (aside[i], r.sub, r.label) {
            pp.push(p[i]);
            yy.push(y);
        }
    }
    say!("reliability (out of fold, {} labelled candidate pairs): bin | pairs | mean p | observed same-event rate", pp.len());
    for b in model::reliability(&pp, &yy) {
        say!(
            "  {:.1}–{:.1} | {:>6} | {:.3} | {:.3}",
            b.lo,
            b.hi,
            b.count,
            b.mean_p,
            b.observed
        );
    }
    let mut points = Vec::new();
    for target in [0.80, 0.85, 0.90, 0.93, 0.95, 0.97] {
        match model::threshold_for_precision(&pp, &yy, target) {
            Some((t, prec, rec)) => {
                say!(
                    "operating point: precision ≥ {target:.2} from threshold {t:.3} (candidate pairs: precision {prec:.3}, recall {rec:.3})"
                );
                points.push(format!("@precision\t{target}\t{t:.4}\t{rec:.4}\n"));
            }
            None => say!("operating point: precision {target:.2} is not reached"),
        }
    }
    if let Some(path) = &args.fit {
        let m = oof::fit_all(rows, &names, &pool_weight, &aside)?;
        let mut out = Vec::new();
        let comments = vec![
            "lintas event verifier: p(same event) = sigmoid(intercept + sum of weight x value),".to_string(),
            "values from lintas::Evidence. Fitted, never hand-edited: refit with".to_string(),
            "  cargo run --release -p lintas-eval --bin evaluate -- ../shared/eval/dev-en-id.jsonl \\".to_string(),
            "    ../shared/eval/dev-independent.jsonl --oof --fit src/matching/event_model.tsv".to_string(),
            format!(
                "L2 logistic regression (C = {}) on standardised values, dev-independent pairs weighted {}, set-aside groups {} left out.",
                oof::C,
                oof::INDEPENDENT_WEIGHT,
                oof::SET_ASIDE.join(" ")
            ),
        ];
        model::write_weights(&mut out, &comments, &names, &m)
            .map_err(|e| format!("cannot write {path}: {e}"))?;
        out.extend_from_slice(
            b"# Operating points, out of fold on the labelled candidate pairs: the lowest threshold whose\n\
              # precision reaches P, and the recall there (dedup --target-precision reads them).\n",
        );
        for p in &points {
            out.extend_from_slice(p.as_bytes());
        }
        std::fs::write(path, out).map_err(|e| format!("cannot write {path}: {e}"))?;
        say!("model fitted on every labelled pair outside the set-aside groups written to {path}");
    }
    Ok(())
}
