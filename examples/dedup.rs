//! Finds news articles about the same event, across languages.
//!
//! ```text
//! cargo run --release --example dedup                       # the bundled sample (examples/data)
//! cargo run --release --example dedup -- a.txt b.txt …      # plain-text files (ids = paths)
//! cargo run --release --example dedup -- --input corpus.jsonl --output pairs.jsonl
//! ```
//!
//! Options:
//! * `--input FILE` — JSONL, one document a line: `id` and `text` required, `title` and
//!   `lang` optional (the title is read as part of the text), other fields ignored.
//! * `--output FILE` — one flagged pair a line: `{"a", "b", "score", …}` (what
//!   `score.py GOLD PAIRS` reads). Without it, pairs go to standard output.
//! * `--threshold X` — the decision threshold for same-language pairs; the cross-language
//!   threshold moves with it, keeping the default ratio (0.17 / 0.14).
//! * `--use-lang-field` — trust the `lang` field instead of detecting the language.
//! * `--lexicon LANG:FILE.tsv` — add a lexicon (`word<TAB>english` lines) for a language;
//!   its entries replace built-in ones.
//! * `--freedict LANG:PREFIX` — add a FreeDict dictionary read from the system, e.g.
//!   `id:/usr/share/dictd/freedict-eng-ind` (Debian's `dict-freedict-eng-ind`); it fills gaps
//!   only.
//! * `--strict` — stop at the first malformed line instead of reporting and skipping it.
//! * `--clusters` — also print groups of documents about one event.
//! * `--quiet` — no progress or summary on standard error.
//!
//! Exit status: 0 when the run completed (duplicates or not), 1 on a runtime error, 2 on a
//! usage error.

#[macro_use]
#[path = "common/mod.rs"]
mod common;

use common::{read_jsonl, run, Doc, RunOptions};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: dedup [FILE …] | dedup --input CORPUS.jsonl [--output PAIRS.jsonl] \
[--threshold X] [--use-lang-field] [--lexicon LANG:FILE.tsv] [--freedict LANG:PREFIX] \
[--strict] [--clusters] [--quiet]";

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/sample.jsonl");

#[derive(Default)]
struct Args {
    input: Option<String>,
    output: Option<String>,
    files: Vec<String>,
    strict: bool,
    clusters: bool,
    quiet: bool,
    opts: RunOptions,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--input" => a.input = Some(it.next().ok_or("--input needs a file")?),
            "--output" => a.output = Some(it.next().ok_or("--output needs a file")?),
            "--threshold" => {
                let v = it.next().ok_or("--threshold needs a value")?;
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
            "--strict" => a.strict = true,
            "--clusters" => a.clusters = true,
            "--quiet" => a.quiet = true,
            "-h" | "--help" => return Err(String::new()),
            "--" => a.files.extend(it.by_ref()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => a.files.push(s.to_string()),
        }
    }
    if a.input.is_some() && !a.files.is_empty() {
        return Err("give either --input or files, not both".into());
    }
    if a.output.is_some() && a.input.is_none() && a.files.is_empty() {
        return Err("--output needs --input (or files)".into());
    }
    a.opts.progress = !a.quiet;
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if e.is_empty() {
                say!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("dedup: {e}");
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match real_main(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dedup: {e}");
            ExitCode::from(1)
        }
    }
}

fn read_files(paths: &[String], quiet: bool) -> Result<Vec<Doc>, String> {
    let mut docs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(|e| format!("cannot read {p}: {e}"))?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                if !quiet {
                    eprintln!("dedup: {p}: invalid UTF-8 at byte {at}; invalid bytes replaced with U+FFFD");
                }
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        if !seen.insert(p.clone()) {
            return Err(format!("{p} given twice"));
        }
        docs.push(Doc {
            id: p.clone(),
            text,
            lang: None,
            raw: None,
        });
    }
    Ok(docs)
}

fn real_main(args: Args) -> Result<(), String> {
    let (docs, human) = match (&args.input, args.files.is_empty()) {
        (Some(input), _) => {
            let (docs, bad) = read_jsonl(input, args.strict, false)?;
            for b in bad.iter().take(20) {
                eprintln!("dedup: {input}:{}: skipped: {}", b.line, b.reason);
            }
            if bad.len() > 20 {
                eprintln!("dedup: … and {} more malformed lines", bad.len() - 20);
            }
            if !bad.is_empty() {
                eprintln!(
                    "dedup: {} malformed line(s) skipped, {} document(s) read",
                    bad.len(),
                    docs.len()
                );
            }
            (docs, false)
        }
        (None, false) => (read_files(&args.files, args.quiet)?, args.output.is_none()),
        (None, true) => {
            let (docs, bad) = read_jsonl(SAMPLE, true, false)?;
            debug_assert!(bad.is_empty());
            if !args.quiet {
                eprintln!("dedup: no input given; running on the bundled sample {SAMPLE}");
            }
            (docs, args.output.is_none())
        }
    };
    let t0 = std::time::Instant::now();
    let out = run(&docs, &args.opts)?;
    let secs = t0.elapsed().as_secs_f64();
    if args.opts.use_lang_field && out.unknown_lang_fields > 0 {
        eprintln!(
            "dedup: {} document(s) had no usable `lang` field; their language was detected",
            out.unknown_lang_fields
        );
    }
    let truncated = out.analyses.iter().filter(|a| a.truncated()).count();
    if truncated > 0 {
        eprintln!(
            "dedup: {truncated} document(s) longer than {} bytes: only their first {} bytes were analysed",
            lintas::DEFAULT_MAX_BYTES,
            lintas::DEFAULT_MAX_BYTES
        );
    }
    if human {
        print_report(&docs, &out, args.clusters);
    } else {
        let mut text = String::new();
        for m in &out.pairs {
            text.push_str(&common::pair_json(m));
            text.push('\n');
        }
        match &args.output {
            Some(path) => {
                std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"))?
            }
            None => std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|e| format!("cannot write to standard output: {e}"))?,
        }
        if args.clusters {
            for g in out.detector.clusters(&out.pairs) {
                let ids: Vec<&str> = g.iter().map(|s| &**s).collect();
                eprintln!("cluster: {}", ids.join(" "));
            }
        }
    }
    if !args.quiet {
        let undetermined = out
            .analyses
            .iter()
            .filter(|a| a.detection().lang().is_none())
            .count();
        eprintln!(
            "dedup: {} documents, {} flagged pairs, {} undetermined language, {:.2} s",
            docs.len(),
            out.pairs.len(),
            undetermined,
            secs
        );
    }
    Ok(())
}

fn print_report(docs: &[Doc], out: &common::RunOutput, clusters: bool) {
    say!("Documents ({}):", docs.len());
    for (d, a) in docs.iter().zip(&out.analyses) {
        let det = a.detection();
        let lang = det
            .lang()
            .map_or("??".to_string(), |l| l.code().to_string());
        say!(
            "  {:<28} lang={lang:<3} confidence={:.2}  words={:<5} features={}",
            d.id,
            det.confidence(),
            a.word_count(),
            a.features().len()
        );
    }
    let (same, cross) = out.detector.corpus().thresholds();
    say!(
        "\nFlagged pairs ({}; thresholds: same-language {same}, cross-language {cross}):",
        out.pairs.len()
    );
    if out.pairs.is_empty() {
        say!("  none");
    }
    for m in &out.pairs {
        say!(
            "  {:.3}  {} <-> {}   (jaccard {:.3}, containment {:.3}, minhash estimate {:.3})",
            m.score,
            m.a,
            m.b,
            m.jaccard,
            m.containment,
            m.estimate
        );
        let mut by_kind: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for (k, l) in &m.explanation.top {
            by_kind.entry(k.name()).or_default().push(l.to_string());
        }
        for (k, ls) in by_kind {
            say!("         shared {k}s: {}", ls.join(", "));
        }
        let c = m.explanation.shared_counts;
        say!(
            "         ({} anchors, {} concepts, {} local words shared in all)",
            c[0],
            c[1],
            c[3]
        );
    }
    if clusters {
        say!("\nClusters:");
        for g in out.detector.clusters(&out.pairs) {
            let ids: Vec<&str> = g.iter().map(|s| &**s).collect();
            say!("  {}", ids.join("  "));
        }
    }
}
