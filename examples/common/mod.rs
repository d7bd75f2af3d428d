//! Code shared by the `dedup` and `evaluate` examples: reading inputs and running the
//! detector, so that evaluation measures exactly the path `dedup` uses.
#![allow(dead_code)] // each example uses a different part

use lintas::{Analysis, Analyzer, CorpusBuilder, Detector, Lang, Match};

/// `println!` that does not panic when standard output is closed (`| head`): a broken pipe
/// ends the program quietly with status 0, any other write error with status 1.
macro_rules! say {
    ($($t:tt)*) => {
        $crate::common::emit(&format!($($t)*))
    };
}

pub fn emit(line: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
use rayon::prelude::*;
use serde_json::Value;
use std::io::{BufRead, Write};
use std::sync::Arc;

/// One input document.
#[derive(Debug, Clone)]
pub struct Doc {
    pub id: String,
    /// Title (when present) and text, joined by a blank line.
    pub text: String,
    /// The `lang` field as given (used only with `--use-lang-field`).
    pub lang: Option<String>,
    /// The whole JSON object (evaluation reads `event` and `meta`).
    pub raw: Option<Value>,
}

/// A line of input that could not be used.
#[derive(Debug)]
pub struct BadLine {
    pub line: usize,
    pub reason: String,
}

/// Reads JSONL: `id` and `text` required, `title` and `lang` optional, other fields kept in
/// `raw`. Malformed lines are returned with their 1-based numbers (or, with `strict`, the
/// first one is an error).
pub fn read_jsonl(
    path: &str,
    strict: bool,
    keep_raw: bool,
) -> Result<(Vec<Doc>, Vec<BadLine>), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let mut reader = std::io::BufReader::new(file);
    let mut docs = Vec::new();
    let mut bad = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut buf = Vec::new();
    let mut n = 0usize;
    loop {
        buf.clear();
        let read = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| format!("{path}: read error after line {n}: {e}"))?;
        if read == 0 {
            break;
        }
        n += 1;
        let result = parse_line(&buf, keep_raw).and_then(|d| match d {
            Some(d) if !seen.insert(d.id.clone()) => Err(format!("duplicate id {:?}", d.id)),
            other => Ok(other),
        });
        match result {
            Ok(Some(d)) => docs.push(d),
            Ok(None) => {}
            Err(reason) => {
                if strict {
                    return Err(format!("{path}:{n}: {reason}"));
                }
                bad.push(BadLine { line: n, reason });
            }
        }
    }
    Ok((docs, bad))
}

fn parse_line(bytes: &[u8], keep_raw: bool) -> Result<Option<Doc>, String> {
    let line = std::str::from_utf8(bytes)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let obj = v.as_object().ok_or("not a JSON object")?;
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(x)) => x.to_string(),
        Some(_) => return Err("`id` must be a non-empty string or a number".into()),
        None => return Err("missing `id`".into()),
    };
    let text = match obj.get("text") {
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Null) | None => return Err("missing `text`".into()),
        Some(_) => return Err("`text` must be a string".into()),
    };
    let title = match obj.get("title") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Null) | None => None,
        Some(_) => return Err("`title` must be a string or null".into()),
    };
    let text = match title {
        Some(t) if !t.trim().is_empty() && !text.trim_start().starts_with(t.trim()) => {
            format!("{t}\n\n{text}")
        }
        _ => text.to_string(),
    };
    let lang = obj.get("lang").and_then(Value::as_str).map(str::to_string);
    Ok(Some(Doc {
        id,
        text,
        lang,
        raw: keep_raw.then_some(v),
    }))
}

/// Settings shared by `dedup` and `evaluate`.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub threshold: Option<f64>,
    /// Experiment knobs (evaluate only): `name=value` pairs applied to the builders.
    pub knobs: Vec<(String, f64)>,
    pub use_lang_field: bool,
    /// `--lexicon LANG:FILE.tsv`: extra lexicon files (entries replace built-in ones).
    pub lexicons: Vec<(Lang, String)>,
    /// `--freedict LANG:PREFIX`: FreeDict dictionaries (`PREFIX.index` + `.dict[.dz]`), filling
    /// gaps only.
    pub freedicts: Vec<(Lang, String)>,
    pub progress: bool,
}

/// The outcome of a run.
pub struct RunOutput {
    pub detector: Detector,
    pub analyses: Vec<Analysis>,
    pub pairs: Vec<Match>,
    /// Documents whose `lang` field could not be used with `--use-lang-field`.
    pub unknown_lang_fields: usize,
}

pub fn corpus_builder(opts: &RunOptions) -> CorpusBuilder {
    use lintas::FeatureKind;
    let mut b = lintas::Corpus::builder();
    for (k, v) in &opts.knobs {
        b = match k.as_str() {
            "same" => b.threshold(*v),
            "cross" => b.cross_threshold(*v),
            "anchor" => b.kind_weight(FeatureKind::Anchor, *v),
            "concept" => b.kind_weight(FeatureKind::Concept, *v),
            "pair" => b.kind_weight(FeatureKind::Pair, *v),
            "local" => b.kind_weight(FeatureKind::Local, *v),
            "date_penalty" => b.date_penalty(*v),
            "number_penalty" => b.number_penalty(*v),
            "number_conflict_min" => b.number_conflict_min(*v as usize),
            "containment_factor" => b.containment_factor(*v),
            "containment_ratio" => b.containment_ratio(*v),
            "min_shared_rare" => b.min_shared_rare(*v as usize),
            "candidate_threshold" => b.candidate_threshold(*v),
            "num_hashes" => b.num_hashes(*v as usize),
            "max_rare_df" => b.max_rare_df(*v),
            "weighted_sketch" => b.weighted_sketch(*v != 0.0),
            _ => b,
        };
    }
    match opts.threshold {
        Some(t) => b.overall_threshold(t),
        None => b,
    }
}

pub fn analyzer(opts: &RunOptions) -> Result<Analyzer, String> {
    let mut b = Analyzer::builder();
    for (k, v) in &opts.knobs {
        if k == "pair_window" {
            b = b.pair_window(*v as usize);
        }
    }
    if !opts.lexicons.is_empty() || !opts.freedicts.is_empty() {
        let mut lex = lintas::Lexicon::builtin();
        for (lang, path) in &opts.lexicons {
            let n = lex.load_tsv(*lang, path).map_err(|e| e.to_string())?;
            if opts.progress {
                eprintln!("lexicon {path}: {n} entries for {}", lang.code());
            }
        }
        for (lang, prefix) in &opts.freedicts {
            let index = format!("{prefix}.index");
            let dict = if std::path::Path::new(&format!("{prefix}.dict.dz")).exists() {
                format!("{prefix}.dict.dz")
            } else {
                format!("{prefix}.dict")
            };
            // freedict-eng-xxx translates from English; freedict-xxx-eng into it.
            let base = std::path::Path::new(prefix)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let direction = if base.contains("eng-") {
                lintas::FreedictDirection::FromEnglish
            } else {
                lintas::FreedictDirection::ToEnglish
            };
            let n = lex
                .add_freedict(*lang, direction, &index, &dict)
                .map_err(|e| e.to_string())?;
            if opts.progress {
                eprintln!(
                    "freedict {prefix}: {n} entries added for {} (built-in entries kept)",
                    lang.code()
                );
            }
        }
        b = b.lexicon(lex);
    }
    b.build().map_err(|e| e.to_string())
}

impl RunOptions {
    /// Takes `--lexicon LANG:FILE` or `--freedict LANG:PREFIX` with its value.
    pub fn lexicon_flag(&mut self, flag: &str, value: Option<String>) -> Result<(), String> {
        let v = value.ok_or_else(|| format!("{flag} needs LANG:PATH"))?;
        let lp = lang_path(flag, &v)?;
        match flag {
            "--lexicon" => self.lexicons.push(lp),
            _ => self.freedicts.push(lp),
        }
        Ok(())
    }
}

/// Parses `LANG:PATH` (`id:extra.tsv`).
pub fn lang_path(flag: &str, v: &str) -> Result<(Lang, String), String> {
    let (code, path) = v
        .split_once(':')
        .ok_or_else(|| format!("{flag} takes LANG:PATH, e.g. id:extra.tsv"))?;
    let lang =
        Lang::from_code(code).ok_or_else(|| format!("{flag}: unknown language code {code:?}"))?;
    Ok((lang, path.to_string()))
}

/// Analyses every document (in parallel), adds them in input order, and returns the
/// flagged pairs. This is the one path both examples use.
pub fn run(docs: &[Doc], opts: &RunOptions) -> Result<RunOutput, String> {
    let analyzer = Arc::new(analyzer(opts)?);
    let mut detector = Detector::builder()
        .analyzer(analyzer.clone())
        .corpus(corpus_builder(opts))
        .build()
        .map_err(|e| e.to_string())?;
    let mut unknown = 0;
    let forced: Vec<Option<Lang>> = docs
        .iter()
        .map(|d| {
            if !opts.use_lang_field {
                return None;
            }
            let l = d.lang.as_deref().and_then(Lang::from_code);
            if l.is_none() {
                unknown += 1;
            }
            l
        })
        .collect();
    let total = docs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let show = opts.progress && total >= 2000;
    let analyses: Vec<Analysis> = docs
        .par_iter()
        .zip(forced.par_iter())
        .map(|(d, f)| {
            let a = match f {
                Some(l) => analyzer.analyze_as(&d.text, *l),
                None => analyzer.analyze(&d.text),
            };
            let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if show && k.is_multiple_of(1000) {
                eprint!("\ranalysed {k}/{total}");
                let _ = std::io::stderr().flush();
            }
            a
        })
        .collect();
    if show {
        eprintln!("\ranalysed {total}/{total}");
    }
    for (d, a) in docs.iter().zip(&analyses) {
        detector
            .push_analyzed(d.id.as_str(), a)
            .map_err(|e| e.to_string())?;
    }
    if show {
        eprintln!("matching {total} documents…");
    }
    let pairs = detector.pairs();
    Ok(RunOutput {
        detector,
        analyses,
        pairs,
        unknown_lang_fields: unknown,
    })
}

/// One flagged pair as a JSON line (what `score.py` reads, plus explanations).
pub fn pair_json(m: &Match) -> String {
    let shared: Vec<Value> = m
        .explanation
        .top
        .iter()
        .map(|(k, l)| Value::String(format!("{k}:{l}")))
        .collect();
    let v = serde_json::json!({
        "a": &*m.a,
        "b": &*m.b,
        "score": round4(m.score),
        "jaccard": round4(m.jaccard),
        "containment": round4(m.containment),
        "estimate": round4(m.estimate),
        "threshold": round4(m.threshold),
        "shared": shared,
    });
    v.to_string()
}

pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
