//! Research dump (issue 10): per-document feature views and today's candidate pairs, for the
//! verifier prototype in `eval/research/`. Reads only `id`, `title` and `text` of each line.
//!
//! ```text
//! cargo run --release -p lintas-eval --bin pairdump -- POOL.jsonl [--seeds DIR] --docs OUT.jsonl --cands OUT.jsonl
//! ```
//!
//! `--docs`: one line a document: `{"id", "lang" (detected), "words", "title" (bool),
//! "views": {"head": [...], "lead": [...], "whole": [...], "pairs": [...]}}`, each view a list of
//! `[kind, label, count]`. `head` is the title, or the first sentence when there is none;
//! `lead` is the first three sentences of the text (the title is not part of it); `whole` is
//! title + text as `dedup` analyses it today; `pairs` are the order-free concept pairs
//! (window 3) of the whole document. Views other than `whole` are analysed in the whole
//! document's detected language.
//!
//! `--cands`: one line a candidate pair of today's corpus (default settings), with the
//! source (`lsh` when LSH alone finds it, else `rare`) and today's score.

use lintas::{Analyzer, Corpus, Feature, Lang};
use lintas_eval::cli;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::process::ExitCode;

struct Doc {
    id: String,
    title: Option<String>,
    text: String,
}

fn read_pool(path: &str, out: &mut Vec<Doc>) -> Result<(), String> {
    let f = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| format!("cannot read {path}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| format!("{path}:{}: not a JSON object: {e}", n + 1))?;
        let id = match &v["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let title = v["title"]
            .as_str()
            .map(str::to_string)
            .filter(|t| !t.trim().is_empty());
        let text = v["text"].as_str().unwrap_or("").to_string();
        out.push(Doc { id, title, text });
    }
    Ok(())
}

/// Sentences: lines, each cut after `.`, `!` or `?` followed by a space and an uppercase
/// letter, digit or quote, unless the word before the stop is short and capitalised
/// (`Mr.`, `U.S.`, `Jan.`).
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut start = 0;
        for k in 0..chars.len() {
            let (i, c) = chars[k];
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            if k + 2 >= chars.len() || !chars[k + 1].1.is_whitespace() {
                continue;
            }
            let next = chars[k + 2].1;
            if !(next.is_uppercase() || next.is_ascii_digit() || "\"“'‘(".contains(next)) {
                continue;
            }
            let word: String = line[start..i]
                .split_whitespace()
                .last()
                .unwrap_or("")
                .to_string();
            let wl = word.chars().count();
            if c == '.' && wl <= 3 && word.chars().next().is_some_and(|x| x.is_uppercase()) {
                continue;
            }
            if c == '.' && word.contains('.') {
                continue;
            }
            let s = line[start..i + c.len_utf8()].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = i + c.len_utf8();
        }
        let s = line[start..].trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
    }
    out
}

fn view(fs: &[Feature]) -> Value {
    Value::Array(
        fs.iter()
            .map(|f| json!([f.kind.name(), &*f.label, f.count]))
            .collect(),
    )
}

fn analyze_in(a: &Analyzer, text: &str, lang: Option<Lang>) -> Vec<Feature> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    match lang {
        Some(l) => a.analyze_as(text, l).into_features(),
        None => a.analyze(text).into_features(),
    }
}

const USAGE: &str =
    "usage: pairdump POOL.jsonl [POOL.jsonl …] [--seeds DIR] --docs OUT.jsonl --cands OUT.jsonl";

/// The error of writing `path`.
fn write_err(path: &str) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("cannot write {path}: {e}")
}

struct Args {
    pools: Vec<String>,
    seeds: Option<String>,
    docs_out: String,
    cands_out: String,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut it = args.into_iter();
    let mut pools = Vec::new();
    let (mut seeds, mut docs_out, mut cands_out) = (None, None, None);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seeds" => seeds = Some(cli::value(&mut it, &a, "a value")?),
            "--docs" => docs_out = Some(cli::value(&mut it, &a, "a value")?),
            "--cands" => cands_out = Some(cli::value(&mut it, &a, "a value")?),
            "-h" | "--help" => return Err(String::new()),
            f if cli::is_option(f) => return Err(format!("unknown flag {f}")),
            _ => pools.push(a),
        }
    }
    let (Some(docs_out), Some(cands_out)) = (docs_out, cands_out) else {
        return Err("--docs and --cands are required".into());
    };
    if pools.is_empty() {
        return Err("no pool given".into());
    }
    Ok(Args {
        pools,
        seeds,
        docs_out,
        cands_out,
    })
}

fn main() -> ExitCode {
    cli::run_tool(
        "pairdump",
        USAGE,
        parse_args(std::env::args().skip(1)),
        |a| run(a).map(|()| true),
    )
}

fn run(args: Args) -> Result<(), String> {
    let Args {
        pools,
        seeds,
        docs_out,
        cands_out,
    } = args;
    let create = |path: &str| {
        std::fs::File::create(path)
            .map(std::io::BufWriter::new)
            .map_err(|e| format!("cannot create {path}: {e}"))
    };
    let mut docs = Vec::new();
    for p in &pools {
        read_pool(p, &mut docs)?;
    }
    if let Some(dir) = seeds {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| format!("cannot read the seeds directory {dir}: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for (k, p) in files.iter().take(2).enumerate() {
            let bytes =
                std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            docs.push(Doc {
                id: format!("seed:{k}"),
                title: None,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    }
    let analyzer = Analyzer::new();
    let paired = Analyzer::builder()
        .pair_window(3)
        .build()
        .expect("analyzer");
    let mut corpus = Corpus::new();
    let mut lsh_only = Corpus::builder()
        .min_shared_rare(0)
        .build()
        .expect("corpus");
    let mut w = create(&docs_out)?;
    for d in &docs {
        // The whole document exactly as `dedup` joins it today.
        let whole_text = match &d.title {
            Some(t) if !d.text.trim_start().starts_with(t.trim()) => format!("{t}\n\n{}", d.text),
            _ => d.text.clone(),
        };
        let whole = analyzer.analyze(&whole_text);
        let lang = whole.detection().lang();
        let sents = sentences(&d.text);
        let head_text = match &d.title {
            Some(t) => t.clone(),
            None => sents.first().cloned().unwrap_or_default(),
        };
        let lead_text = sents.iter().take(3).cloned().collect::<Vec<_>>().join(" ");
        let head = analyze_in(&analyzer, &head_text, lang);
        let lead = analyze_in(&analyzer, &lead_text, lang);
        let pairs: Vec<Feature> = analyze_in(&paired, &whole_text, lang)
            .into_iter()
            .filter(|f| f.kind == lintas::FeatureKind::Pair)
            .collect();
        corpus
            .add(d.id.as_str(), lang, whole.features())
            .map_err(|e| format!("document {:?}: {e}", d.id))?;
        lsh_only
            .add(d.id.as_str(), lang, whole.features())
            .map_err(|e| format!("document {:?}: {e}", d.id))?;
        let line = json!({
            "id": d.id,
            "lang": lang.map(|l| l.code()),
            "words": whole.word_count(),
            "head_words": head_text.split_whitespace().count(),
            "lead_words": lead_text.split_whitespace().count(),
            "sentences": sents.len(),
            "title": d.title.is_some(),
            "views": {"head": view(&head), "lead": view(&lead), "whole": view(whole.features()), "pairs": view(&pairs)},
        });
        writeln!(w, "{line}").map_err(write_err(&docs_out))?;
    }
    w.flush().map_err(write_err(&docs_out))?;
    let lsh: HashSet<(String, String)> = lsh_only
        .candidate_pairs()
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let mut w = create(&cands_out)?;
    for (a, b) in corpus.candidate_pairs() {
        let m = corpus
            .score_pair(&a, &b)
            .ok_or_else(|| format!("candidate pair {a} / {b} not held"))?;
        let src = if lsh.contains(&(a.to_string(), b.to_string())) {
            "lsh"
        } else {
            "rare"
        };
        let line = json!({"a": &*a, "b": &*b, "src": src, "score": m.score,
            "threshold": m.threshold, "jaccard": m.jaccard, "containment": m.containment});
        writeln!(w, "{line}").map_err(write_err(&cands_out))?;
    }
    w.flush().map_err(write_err(&cands_out))
}
