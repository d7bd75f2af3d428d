//! Lexicon coverage of a JSONL pool: the share of content-word tokens (after stopword
//! removal, numbers excluded, language as *detected*) that resolve to a concept (lexicon or
//! known cognate) or an anchor (names, entities, acronyms), and the most frequent words that
//! do not — so the gaps are visible.
//!
//! ```text
//! cargo run --release -p lintas-eval --bin coverage -- POOL.jsonl [--lang id] [--top 40] [--min 0.85]
//!     [--lexicon LANG:FILE] [--freedict LANG:PREFIX]
//! ```
//! `--lang all` prints one line per detected language instead (documents, content-word tokens,
//! the share resolved), for the languages runtime dictionaries map (`--freedict auto`).
//! `--min X` exits with status 1 when coverage is below X; an unknown option is a usage error
//! (status 2).

use lintas::{Lang, TokenClass};
use lintas_eval::pipeline::RunOptions;
use lintas_eval::{cli, input, pipeline, say};
use rayon::prelude::*;
use std::collections::HashMap;
use std::process::ExitCode;

const USAGE: &str = "usage: coverage POOL.jsonl [--lang id] [--top 40] [--min 0.85] \
[--lexicon LANG:FILE] [--freedict LANG:PREFIX]";

struct Args {
    pool: String,
    /// `None`: `--lang all`.
    lang: Option<Lang>,
    top: usize,
    min: Option<f64>,
    opts: RunOptions,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut it = args.into_iter();
    let (mut pool, mut lang, mut top, mut min) = (None, Some(Lang::Indonesian), 40usize, None);
    let mut opts = RunOptions::default();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--lang" => {
                let v = cli::value(&mut it, &a, "a language code")?;
                lang = match v.as_str() {
                    "all" => None,
                    _ => Some(
                        Lang::from_code(&v)
                            .ok_or_else(|| format!("unknown language code {v:?}"))?,
                    ),
                }
            }
            "--top" => {
                let v = cli::value(&mut it, &a, "a number")?;
                top = v.parse().map_err(|_| format!("--top: not a number: {v}"))?
            }
            "--min" => {
                let v = cli::value(&mut it, &a, "a number")?;
                min = Some(v.parse().map_err(|_| format!("--min: not a number: {v}"))?)
            }
            "--lexicon" | "--freedict" => opts.lexicon_flag(&a, it.next())?,
            "-h" | "--help" => return Err(String::new()),
            s if cli::is_option(s) => return Err(format!("unknown option {s}")),
            s if pool.is_none() => pool = Some(s.to_string()),
            s => return Err(format!("one pool only (got a second: {s})")),
        }
    }
    let pool = pool.ok_or("give a JSONL pool")?;
    Ok(Args {
        pool,
        lang,
        top,
        min,
        opts,
    })
}

fn main() -> ExitCode {
    cli::run_tool(
        "coverage",
        USAGE,
        parse_args(std::env::args().skip(1)),
        |a| real_main(&a),
    )
}

/// One document's words with their classes ([`lintas::Analyzer::trace`]).
type Trace = Vec<(String, TokenClass)>;

/// The share of content-word tokens resolved, and the counts behind it.
fn shares(traces: &[Trace]) -> (f64, usize, HashMap<TokenClass, usize>) {
    let mut counts: HashMap<TokenClass, usize> = HashMap::new();
    for t in traces {
        for (_, class) in t {
            *counts.entry(*class).or_default() += 1;
        }
    }
    let c = |k| counts.get(&k).copied().unwrap_or(0);
    let content = [
        TokenClass::Concept,
        TokenClass::Anchor,
        TokenClass::Unresolved,
        TokenClass::Local,
    ]
    .into_iter()
    .map(c)
    .sum::<usize>();
    let covered = c(TokenClass::Concept) + c(TokenClass::Anchor);
    (covered as f64 / content.max(1) as f64, content, counts)
}

fn real_main(args: &Args) -> Result<bool, String> {
    let pool = &args.pool;
    let (docs, bad) = input::read_pool(pool, false)?;
    if !bad.is_empty() {
        eprintln!("coverage: {} malformed lines skipped", bad.len());
    }
    let analyzer = pipeline::analyzer(&args.opts)?;
    // Every document traced once, with its detected language; the lexicon-coverage view
    // reads the title's words too.
    let traced: Vec<(Option<Lang>, Trace)> = docs
        .par_iter()
        .map(|d| {
            let (det, t) = match &d.title {
                Some(t) => analyzer.trace(&format!("{t}\n\n{}", d.text)),
                None => analyzer.trace(&d.text),
            };
            (det.lang(), t)
        })
        .collect();
    let Some(lang) = args.lang else {
        // `--lang all`: one line per detected language.
        let mut by_lang: std::collections::BTreeMap<&str, Vec<Trace>> =
            std::collections::BTreeMap::new();
        for (l, t) in traced {
            by_lang
                .entry(l.map_or("?", Lang::code))
                .or_default()
                .push(t);
        }
        let dict = analyzer.lexicon().dictionary_languages();
        for (code, traces) in &by_lang {
            let (share, content, _) = shares(traces);
            let how = match Lang::from_code(code) {
                Some(Lang::English) => "the concept space",
                Some(l) if l.has_lexicon() => "built-in lexicon",
                // Entries loaded at run time add to a built-in dictionary's.
                Some(l) if l.has_builtin_dictionary() => "built-in dictionary",
                Some(l) if dict.contains(&l) => "runtime dictionary",
                _ => "no lexicon",
            };
            say!(
                "{code:4} {:5} documents  {content:7} content-word tokens  resolved {:6.2}%  ({how})",
                traces.len(),
                share * 100.0
            );
        }
        return Ok(true);
    };
    let traces: Vec<_> = traced
        .into_iter()
        .filter(|(l, _)| *l == Some(lang))
        .map(|(_, t)| t)
        .collect();
    let (share, content, counts) = shares(&traces);
    let mut misses: HashMap<String, usize> = HashMap::new();
    for t in &traces {
        for (word, class) in t {
            // A word left language-local (no lexicon or dictionary entry) is not covered.
            if matches!(*class, TokenClass::Unresolved | TokenClass::Local) {
                *misses.entry(word.to_lowercase()).or_default() += 1;
            }
        }
    }
    let c = |k| counts.get(&k).copied().unwrap_or(0);
    let missed = c(TokenClass::Unresolved) + c(TokenClass::Local);
    let covered = content - missed;
    say!(
        "{pool}: {} documents detected as {} (of {})",
        traces.len(),
        lang.code(),
        docs.len()
    );
    say!(
        "content-word tokens: {content}; resolved {covered} = {:.2}% (concepts {}, anchors {}); unresolved {} (kept language-local {}); stopwords {}, numbers {} excluded",
        share * 100.0,
        c(TokenClass::Concept),
        c(TokenClass::Anchor),
        missed,
        c(TokenClass::Local),
        c(TokenClass::Stopword),
        c(TokenClass::Number)
    );
    let mut m: Vec<(String, usize)> = misses.into_iter().collect();
    m.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    say!("most frequent unresolved words:");
    for (w, n) in m.iter().take(args.top) {
        say!("  {n:6}  {w}");
    }
    match args.min {
        Some(x) if share < x => {
            say!("COVERAGE FAIL: {:.4} < {x}", share);
            Ok(false)
        }
        _ => Ok(true),
    }
}
