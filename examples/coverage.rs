//! Lexicon coverage of a JSONL pool: the share of content-word tokens (after stopword
//! removal, numbers excluded, language as *detected*) that resolve to a concept (lexicon or
//! known cognate) or an anchor (names, entities, acronyms), and the most frequent words that
//! do not — so the gaps are visible.
//!
//! ```text
//! cargo run --release --example coverage -- POOL.jsonl [--lang id] [--top 40] [--min 0.85] [--lexicon LANG:FILE] [--freedict LANG:PREFIX]
//! ```
//! `--min X` exits with status 1 when coverage is below X.

#[macro_use]
#[path = "common/mod.rs"]
mod common;

use lintas::{Lang, TokenClass};
use rayon::prelude::*;
use std::collections::HashMap;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut pool, mut lang, mut top, mut min) = (None, Lang::Indonesian, 40usize, None);
    let mut opts = common::RunOptions::default();
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let r: Result<(), String> = (|| {
            match a.as_str() {
                "--lang" => {
                    lang = Lang::from_code(&val("--lang")?).ok_or("unknown language code")?
                }
                "--top" => top = val("--top")?.parse().map_err(|_| "--top needs a number")?,
                "--min" => {
                    min = Some(
                        val("--min")?
                            .parse::<f64>()
                            .map_err(|_| "--min needs a number")?,
                    )
                }
                "--lexicon" | "--freedict" => opts.lexicon_flag(&a, Some(val(&a)?))?,
                s if s.starts_with("--") => return Err(format!("unknown option {s}")),
                s => pool = Some(s.to_string()),
            }
            Ok(())
        })();
        if let Err(e) = r {
            eprintln!(
                "coverage: {e}\nusage: coverage POOL.jsonl [--lang id] [--top 40] [--min 0.85] [--lexicon LANG:FILE] [--freedict LANG:PREFIX]"
            );
            return ExitCode::from(2);
        }
    }
    let Some(pool) = pool else {
        eprintln!("usage: coverage POOL.jsonl [--lang id] [--top 40] [--min 0.85] [--lexicon LANG:FILE] [--freedict LANG:PREFIX]");
        return ExitCode::from(2);
    };
    let (docs, bad) = match common::read_jsonl(&pool, false, false) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("coverage: {e}");
            return ExitCode::from(1);
        }
    };
    if !bad.is_empty() {
        eprintln!("coverage: {} malformed lines skipped", bad.len());
    }
    let analyzer = match common::analyzer(&opts) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("coverage: {e}");
            return ExitCode::from(1);
        }
    };
    let traces: Vec<_> = docs
        .par_iter()
        .map(|d| analyzer.trace(&d.text))
        .filter(|(det, _)| det.lang() == Some(lang))
        .map(|(_, t)| t)
        .collect();
    let mut counts: HashMap<TokenClass, usize> = HashMap::new();
    let mut misses: HashMap<String, usize> = HashMap::new();
    for t in &traces {
        for (word, class) in t {
            *counts.entry(*class).or_default() += 1;
            if *class == TokenClass::Unresolved {
                *misses.entry(word.to_lowercase()).or_default() += 1;
            }
        }
    }
    let c = |k| counts.get(&k).copied().unwrap_or(0);
    let content = c(TokenClass::Concept) + c(TokenClass::Anchor) + c(TokenClass::Unresolved);
    let covered = c(TokenClass::Concept) + c(TokenClass::Anchor);
    let share = if content == 0 {
        0.0
    } else {
        covered as f64 / content as f64
    };
    say!(
        "{pool}: {} documents detected as {} (of {})",
        traces.len(),
        lang.code(),
        docs.len()
    );
    say!(
        "content-word tokens: {content}; resolved {covered} = {:.2}% (concepts {}, anchors {}); unresolved {}; stopwords {}, numbers {} excluded",
        share * 100.0,
        c(TokenClass::Concept),
        c(TokenClass::Anchor),
        c(TokenClass::Unresolved),
        c(TokenClass::Stopword),
        c(TokenClass::Number)
    );
    let mut m: Vec<(String, usize)> = misses.into_iter().collect();
    m.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    say!("most frequent unresolved words:");
    for (w, n) in m.iter().take(top) {
        say!("  {n:6}  {w}");
    }
    match min {
        Some(x) if share < x => {
            say!("COVERAGE FAIL: {:.4} < {x}", share);
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}
