//! Writes a seeded synthetic corpus for the scale benchmark, and the truth file of its injected
//! pairs (near-copies and cross-language translation pairs). What the documents are, what a
//! near-copy changes and the truth format: `lintas_eval::scale`.
//!
//! ```text
//! cargo run --release -p lintas-eval --bin scalegen -- --docs 100000 --seed 1 \
//!     --out corpus.jsonl --truth truth.jsonl [--edit-rate 0.2] [--copy-rate 0.01] \
//!     [--cross-pairs K] [--cross-langs en-id] [--word-rate 0.7] [--source FILE.jsonl …]
//! ```
//!
//! Sentences come from `--source` files, else from every `../shared/eval/*.jsonl` beside the
//! workspace when present, else from the bundled `examples/data/sample.jsonl`; the report
//! says which. The pool is read at run time and never copied into the repository.

use lintas_eval::scale::{self, Params, Pool};
use lintas_eval::{cli, say};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: scalegen --docs N --seed S --out CORPUS.jsonl --truth TRUTH.jsonl \
[--edit-rate 0.2] [--copy-rate 0.01] [--cross-pairs K] [--cross-langs en-id[,en-ms]] \
[--word-rate 0.7] [--source FILE.jsonl …]";

struct Args {
    params: Params,
    out: PathBuf,
    truth: PathBuf,
    sources: Vec<PathBuf>,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut it = args.into_iter();
    let (mut docs, mut seed, mut out, mut truth) = (None, None, None, None);
    let mut p = Params::new(0, 0);
    let mut sources = Vec::new();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--docs" => docs = Some(cli::number(&mut it, &a)?),
            "--seed" => seed = Some(cli::number(&mut it, &a)?),
            "--out" => out = Some(PathBuf::from(cli::value(&mut it, &a, "a file")?)),
            "--truth" => truth = Some(PathBuf::from(cli::value(&mut it, &a, "a file")?)),
            "--edit-rate" => p.edit_rate = cli::number(&mut it, &a)?,
            "--copy-rate" => p.copy_rate = cli::number(&mut it, &a)?,
            "--word-rate" => p.word_rate = cli::number(&mut it, &a)?,
            "--cross-pairs" => p.cross_pairs = Some(cli::number(&mut it, &a)?),
            "--cross-langs" => {
                p.cross_langs = scale::parse_cross_langs(&cli::value(&mut it, &a, "en-id,…")?)?
            }
            "--source" => sources.push(PathBuf::from(cli::value(&mut it, &a, "a file")?)),
            "-h" | "--help" => return Err(String::new()),
            s => return Err(format!("unknown argument {s}")),
        }
    }
    p.docs = docs.ok_or("--docs is required")?;
    p.seed = seed.ok_or("--seed is required")?;
    Ok(Args {
        params: p,
        out: out.ok_or("--out is required")?,
        truth: truth.ok_or("--truth is required")?,
        sources,
    })
}

fn main() -> ExitCode {
    cli::run_tool(
        "scalegen",
        USAGE,
        parse_args(std::env::args().skip(1)),
        real_main,
    )
}

fn real_main(args: Args) -> Result<bool, String> {
    let t0 = std::time::Instant::now();
    let sources = if args.sources.is_empty() {
        scale::default_sources()
    } else {
        args.sources
    };
    let pool = Pool::load(&sources, &args.params.cross_langs)?;
    say!(
        "scalegen: sentences from {} ({} documents, {} sentences in {} languages: {}; {} translation pairs)",
        pool.origin,
        pool.docs(),
        pool.sentences(),
        pool.languages().len(),
        pool.languages().join(" "),
        pool.pairs_available()
    );
    let create = |p: &PathBuf| {
        std::fs::File::create(p)
            .map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| format!("cannot create {}: {e}", p.display()))
    };
    let mut corpus = create(&args.out)?;
    let mut truth = create(&args.truth)?;
    let g = scale::generate(&pool, &args.params, &mut corpus, &mut truth)?;
    corpus
        .flush()
        .and_then(|()| truth.flush())
        .map_err(|e| format!("cannot write: {e}"))?;
    say!(
        "scalegen: {} documents ({} background, {} near-copies, {} cross-language pairs of {} available), {:.0} MB of text, {:.1} s → {}, {}",
        g.docs,
        g.background,
        g.near_copies,
        g.cross_pairs,
        g.cross_available,
        g.bytes as f64 / 1e6,
        t0.elapsed().as_secs_f64(),
        args.out.display(),
        args.truth.display()
    );
    Ok(true)
}
