//! The scale benchmark: times the release `dedup` binary on seeded synthetic corpora of
//! growing size (`lintas_eval::scale`), checks that it still finds the injected pairs, and
//! times analysis + sketching alone on the same documents for comparison.
//!
//! ```text
//! cargo build --release -p lintas-examples --example dedup
//! cargo run --release -p lintas-eval --bin scalebench -- [--sizes 125000,250000,500000,1000000]
//!     [--runs 3] [--seed 1] [--dedup PATH] [--work DIR] [--min-recall 0.99]
//!     [--min-cross-recall X] [--extra-args "…"] [--no-analyse]
//! scalebench analyse CORPUS.jsonl        # the child that times analysis + sketching alone
//! ```
//!
//! For each size the corpus is generated into `--work` (default `target/scale`), or reused
//! when a file of the same name exists: the name holds the size, the seed, every generator
//! parameter and a fingerprint of the source pool. Then, in `--runs` rounds, each over every
//! size (so that the machine's drift spreads over the sizes): `dedup --input CORPUS
//! --output PAIRS --quiet [extra args]`, and `scalebench analyse CORPUS` (every document through
//! `Analyzer::analyze_article` and `MinHasher::sketch` with rayon on every core, results
//! discarded). Each child is timed by wall clock and by its own `rusage` (user + system CPU,
//! peak resident set), read with `wait4`. Per run it prints those figures, the flagged pairs,
//! recall of the injected near-copies and cross-language pairs, false flags among background
//! documents, and end-to-end ÷ analysis-alone; then a markdown table (medians, min–max) and,
//! with two sizes or more, the exponent of CPU time against documents (least squares on
//! log–log over every run).
//!
//! Exit status 1 when a run's recall of near-copies is below `--min-recall`, or its recall of
//! cross-language pairs below `--min-cross-recall` (default: `--min-recall`); 2 on a usage
//! error.

use lintas_eval::scale::{self, Params, Pool, Score};
use lintas_eval::{cli, say};
use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: scalebench [--sizes 125000,250000,500000,1000000] [--runs 3] \
[--seed 1] [--dedup PATH] [--work DIR] [--min-recall 0.99] [--min-cross-recall X] \
[--extra-args \"…\"] [--no-analyse]\n       scalebench analyse CORPUS.jsonl";

struct Args {
    sizes: Vec<usize>,
    runs: usize,
    seed: u64,
    dedup: Option<PathBuf>,
    work: Option<PathBuf>,
    min_recall: f64,
    min_cross_recall: Option<f64>,
    extra: Vec<String>,
    analyse: bool,
}

enum Mode {
    Bench(Args),
    Analyse(PathBuf),
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Mode, String> {
    let mut it = args.into_iter().peekable();
    if it.peek().map(String::as_str) == Some("analyse") {
        it.next();
        let file = it.next().ok_or("analyse needs a corpus file")?;
        if let Some(x) = it.next() {
            return Err(format!("analyse takes one file (got also {x})"));
        }
        return Ok(Mode::Analyse(PathBuf::from(file)));
    }
    let mut a = Args {
        sizes: vec![125_000, 250_000, 500_000, 1_000_000],
        runs: 3,
        seed: 1,
        dedup: None,
        work: None,
        min_recall: 0.99,
        min_cross_recall: None,
        extra: Vec::new(),
        analyse: true,
    };
    while let Some(x) = it.next() {
        match x.as_str() {
            "--sizes" => {
                let v = cli::value(&mut it, &x, "sizes such as 125000,250000")?;
                a.sizes = v
                    .split(',')
                    .map(|s| {
                        s.trim()
                            .replace('_', "")
                            .parse()
                            .ok()
                            .filter(|&n: &usize| n >= 1000)
                            .ok_or_else(|| format!("--sizes: not a size of 1000 or more: {s}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--runs" => {
                a.runs = cli::number(&mut it, &x)?;
                if a.runs == 0 {
                    return Err("--runs must be at least 1".into());
                }
            }
            "--seed" => a.seed = cli::number(&mut it, &x)?,
            "--dedup" => a.dedup = Some(PathBuf::from(cli::value(&mut it, &x, "a path")?)),
            "--work" => a.work = Some(PathBuf::from(cli::value(&mut it, &x, "a directory")?)),
            "--min-recall" => a.min_recall = cli::number(&mut it, &x)?,
            "--min-cross-recall" => a.min_cross_recall = Some(cli::number(&mut it, &x)?),
            "--extra-args" => {
                a.extra = cli::value(&mut it, &x, "arguments for dedup")?
                    .split_whitespace()
                    .map(str::to_string)
                    .collect()
            }
            "--no-analyse" => a.analyse = false,
            "-h" | "--help" => return Err(String::new()),
            s => return Err(format!("unknown argument {s}")),
        }
    }
    Ok(Mode::Bench(a))
}

fn main() -> ExitCode {
    cli::run_tool(
        "scalebench",
        USAGE,
        parse_args(std::env::args().skip(1)),
        |m| match m {
            Mode::Analyse(f) => analyse(&f),
            Mode::Bench(a) => bench(a),
        },
    )
}

/// The child mode: reads the corpus, analyses and sketches every document on every core, and
/// prints the count and a checksum of the signatures (so the work cannot be optimised away).
fn analyse(path: &Path) -> Result<bool, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut docs = Vec::new();
    for r in lintas::jsonl::Reader::new(std::io::BufReader::new(file)) {
        let r = r.map_err(|e| format!("{}: {e}", path.display()))?;
        docs.push((r.title, r.text));
    }
    let analyzer = lintas::Analyzer::new();
    let hasher = lintas::MinHasher::new();
    let t = Instant::now();
    let sum = docs
        .par_iter()
        .map(|(title, text)| {
            let a = analyzer.analyze_article(title.as_deref(), text);
            let s = hasher.sketch(a.hashes());
            s.values().first().map_or(0, |&v| u64::from(v))
        })
        .reduce(|| 0, u64::wrapping_add);
    say!(
        "{{\"docs\": {}, \"analyse_s\": {:.3}, \"checksum\": {sum}}}",
        docs.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(true)
}

/// What one child process used.
#[derive(Debug, Clone, Copy)]
struct Usage {
    wall: f64,
    user: f64,
    sys: f64,
    /// Peak resident set, bytes.
    max_rss: u64,
}

impl Usage {
    fn cpu(&self) -> f64 {
        self.user + self.sys
    }
}

/// Waits for the child `pid` with `wait4`, which also returns the child's own resource usage
/// (CPU time and peak resident set of that process alone, not of this one or of other
/// children). Returns the raw wait status and the usage.
fn wait_child(pid: u32) -> std::io::Result<(i32, libc::rusage)> {
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a C struct of integers and `timeval`s, for which all-zero bytes are a
    // valid value.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `ru` are valid, writable and outlive the call; `pid` is a child
        // this process spawned and has not waited for, so no other process can be reaped.
        let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut ru) };
        if r == pid as libc::pid_t {
            return Ok((status, ru));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Runs `cmd` to its end, timed; returns its usage and standard output. A child that fails is
/// an error naming `what`.
fn measured(cmd: &mut Command, what: &str) -> Result<(Usage, String), String> {
    use std::os::unix::process::ExitStatusExt;
    let t = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    // Read standard output before waiting, so a full pipe cannot block the child.
    let mut out = String::new();
    if let Some(mut o) = child.stdout.take() {
        o.read_to_string(&mut out)
            .map_err(|e| format!("{what}: cannot read its output: {e}"))?;
    }
    let (status, ru) = wait_child(child.id()).map_err(|e| format!("{what}: wait4: {e}"))?;
    let wall = t.elapsed().as_secs_f64();
    let status = std::process::ExitStatus::from_raw(status);
    if !status.success() {
        return Err(format!("{what} failed: {status}"));
    }
    let secs = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 * 1e-6;
    Ok((
        Usage {
            wall,
            user: secs(ru.ru_utime),
            sys: secs(ru.ru_stime),
            // Linux reports ru_maxrss in kilobytes.
            max_rss: ru.ru_maxrss as u64 * 1024,
        },
        out,
    ))
}

/// One run at one size.
struct Run {
    docs: usize,
    dedup: Usage,
    score: Score,
    analyse: Option<Usage>,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// `median (min–max)` with `digits` decimals; the median alone when all are equal.
fn spread(v: Vec<f64>, digits: usize) -> String {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let m = median(v);
    if format!("{lo:.digits$}") == format!("{hi:.digits$}") {
        format!("{m:.digits$}")
    } else {
        format!("{m:.digits$} ({lo:.digits$}–{hi:.digits$})")
    }
}

/// The slope of least squares of `ln y` on `ln x`.
fn loglog_slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let (lx, ly): (Vec<f64>, Vec<f64>) = points.iter().map(|&(x, y)| (x.ln(), y.ln())).unzip();
    let mx = lx.iter().sum::<f64>() / n;
    let my = ly.iter().sum::<f64>() / n;
    let sxy: f64 = lx.iter().zip(&ly).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = lx.iter().map(|x| (x - mx) * (x - mx)).sum();
    sxy / sxx
}

fn recall_text((total, found): (usize, usize)) -> String {
    if total == 0 {
        "none injected".into()
    } else {
        format!("{found}/{total} ({:.3})", found as f64 / total as f64)
    }
}

/// A fingerprint of the source files (names and lengths, FNV-1a), for corpus file names.
fn pool_tag(files: &[PathBuf]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
        let len = std::fs::metadata(f).map_or(0, |m| m.len());
        for b in name.unwrap_or_default().bytes().chain(len.to_le_bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:08x}", h >> 32)
}

/// The corpus and truth files for `p`: reused when both exist, else generated (into temporary
/// names, renamed when complete).
fn corpus_for(
    p: &Params,
    sources: &[PathBuf],
    pool: &mut Option<Pool>,
    work: &Path,
) -> Result<(PathBuf, PathBuf), String> {
    let stem = p.stem(&pool_tag(sources));
    let corpus = work.join(format!("{stem}.jsonl"));
    let truth = work.join(format!("{stem}.truth.jsonl"));
    if corpus.is_file() && truth.is_file() {
        say!("reusing {}", corpus.display());
        return Ok((corpus, truth));
    }
    if pool.is_none() {
        let t = Instant::now();
        let loaded = Pool::load(sources, &p.cross_langs)?;
        say!(
            "sentences from {} ({} documents, {} sentences in {} languages, {} translation pairs; {:.1} s)",
            loaded.origin,
            loaded.docs(),
            loaded.sentences(),
            loaded.languages().len(),
            loaded.pairs_available(),
            t.elapsed().as_secs_f64()
        );
        *pool = Some(loaded);
    }
    let pool = pool.as_ref().expect("loaded above");
    let t = Instant::now();
    let tmp = |f: &Path| f.with_extension("partial");
    let create = |f: &Path| {
        std::fs::File::create(tmp(f))
            .map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| format!("cannot create {}: {e}", tmp(f).display()))
    };
    let (mut c, mut tr) = (create(&corpus)?, create(&truth)?);
    let g = scale::generate(pool, p, &mut c, &mut tr)?;
    c.flush()
        .and_then(|()| tr.flush())
        .map_err(|e| format!("cannot write in {}: {e}", work.display()))?;
    drop((c, tr));
    for f in [&truth, &corpus] {
        std::fs::rename(tmp(f), f).map_err(|e| format!("cannot rename {}: {e}", f.display()))?;
    }
    say!(
        "generated {} documents ({} near-copies, {} cross-language pairs), {:.0} MB of text in {:.1} s: {}",
        g.docs,
        g.near_copies,
        g.cross_pairs,
        g.bytes as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        corpus.display()
    );
    Ok((corpus, truth))
}

fn bench(a: Args) -> Result<bool, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    // target/release/scalebench → target/release/examples/dedup and target/scale.
    let release = exe.parent().ok_or("no directory for this program")?;
    let dedup = a
        .dedup
        .clone()
        .unwrap_or_else(|| release.join("examples/dedup"));
    if !dedup.is_file() {
        return Err(format!(
            "no dedup binary at {} (build it with `cargo build --release -p lintas-examples --example dedup`, or give --dedup PATH)",
            dedup.display()
        ));
    }
    let work = a.work.clone().unwrap_or_else(|| {
        release
            .parent()
            .map_or_else(|| PathBuf::from("scale"), |t| t.join("scale"))
    });
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let sources = scale::default_sources();
    let min_cross = a.min_cross_recall.unwrap_or(a.min_recall);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    say!(
        "scalebench: {}{}; {} runs per size; {} cores, load average {}",
        dedup.display(),
        a.extra.iter().map(|x| format!(" {x}")).collect::<String>(),
        a.runs,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut pool = None;
    let mut runs: Vec<Run> = Vec::new();
    let mut failed = Vec::new();
    // Every corpus first; then the runs in rounds, each round over every size, so that the
    // machine's drift over the hour spreads over the sizes instead of tilting the fit.
    let mut sized = Vec::new();
    for &n in &a.sizes {
        let p = Params::new(n, a.seed);
        let (corpus, truth_path) = corpus_for(&p, &sources, &mut pool, &work)?;
        let truth = scale::read_truth(&truth_path)?;
        let pairs = work.join(format!("pairs-{n}.jsonl"));
        sized.push((n, corpus, truth, pairs));
    }
    for r in 1..=a.runs {
        for (n, corpus, truth, pairs) in &sized {
            let n = *n;
            let (d, _) = measured(
                Command::new(&dedup)
                    .arg("--input")
                    .arg(corpus)
                    .arg("--output")
                    .arg(pairs)
                    .arg("--quiet")
                    .args(&a.extra),
                "dedup",
            )?;
            let score = scale::score(pairs, truth)?;
            let an = if a.analyse {
                let (u, out) = measured(
                    Command::new(&exe).arg("analyse").arg(corpus),
                    "scalebench analyse",
                )?;
                let v: serde_json::Value = serde_json::from_str(out.trim())
                    .map_err(|e| format!("scalebench analyse printed {out:?}: {e}"))?;
                if v["docs"].as_u64() != Some(n as u64) {
                    return Err(format!(
                        "scalebench analyse read {} documents, not {n}",
                        v["docs"]
                    ));
                }
                Some(u)
            } else {
                None
            };
            let ratio = an.map_or(String::new(), |u| {
                format!(
                    " | analyse alone {:.1} s wall, {:.1} s CPU, peak RSS {:.2} GB; end-to-end ÷ analyse {:.2}× wall, {:.2}× CPU",
                    u.wall,
                    u.cpu(),
                    u.max_rss as f64 / 1e9,
                    d.wall / u.wall,
                    d.cpu() / u.cpu()
                )
            });
            say!(
                "n={n} run {r}/{}: dedup {:.1} s wall, {:.1} s CPU (user {:.1} + sys {:.1}), CPU/wall {:.2}, peak RSS {:.2} GB; {} flagged; recall near-copy {}, cross-language {}; false flags among background {}, other flags outside the truth {}{ratio}",
                a.runs,
                d.wall,
                d.cpu(),
                d.user,
                d.sys,
                d.cpu() / d.wall,
                d.max_rss as f64 / 1e9,
                score.flagged,
                recall_text(score.near_copy),
                recall_text(score.cross),
                score.background_flags,
                score.other_flags,
            );
            // Misses are deterministic for a corpus: named once a size, with the command that
            // says why each one was not flagged.
            if r == 1 && !score.missed.is_empty() {
                const SHOWN: usize = 5;
                let shown = &score.missed[..score.missed.len().min(SHOWN)];
                say!(
                    "n={n}: {} injected pairs not flagged{}: {}",
                    score.missed.len(),
                    if score.missed.len() > SHOWN {
                        format!(" (the first {SHOWN})")
                    } else {
                        String::new()
                    },
                    shown
                        .iter()
                        .map(|t| format!("{} {} ({})", t.a, t.b, t.kind))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                // Not with an index among the extra arguments: that command would add the
                // corpus to it again.
                if !a.extra.iter().any(|x| x == "--index") {
                    say!(
                        "  why: {} --input {} --output /dev/null --quiet{}{}",
                        dedup.display(),
                        corpus.display(),
                        a.extra.iter().map(|x| format!(" {x}")).collect::<String>(),
                        shown
                            .iter()
                            .map(|t| format!(" --explain {} {}", t.a, t.b))
                            .collect::<String>()
                    );
                }
            }
            if score.near_copy_recall().is_some_and(|r| r < a.min_recall) {
                failed.push(format!(
                    "n={n} run {r}: near-copy recall {} < {}",
                    recall_text(score.near_copy),
                    a.min_recall
                ));
            }
            if score.cross_recall().is_some_and(|r| r < min_cross) {
                failed.push(format!(
                    "n={n} run {r}: cross-language recall {} < {min_cross}",
                    recall_text(score.cross)
                ));
            }
            runs.push(Run {
                docs: n,
                dedup: d,
                score,
                analyse: an,
            });
        }
    }
    say!("");
    table(&a.sizes, &runs);
    let distinct: std::collections::BTreeSet<usize> = runs.iter().map(|r| r.docs).collect();
    if distinct.len() >= 2 {
        let cpu: Vec<(f64, f64)> = runs
            .iter()
            .map(|r| (r.docs as f64, r.dedup.cpu()))
            .collect();
        let wall: Vec<(f64, f64)> = runs.iter().map(|r| (r.docs as f64, r.dedup.wall)).collect();
        say!(
            "\ndedup CPU time grows as documents^{:.2} (wall: ^{:.2}); least squares on log–log over {} runs at {} sizes",
            loglog_slope(&cpu),
            loglog_slope(&wall),
            runs.len(),
            distinct.len()
        );
    }
    for f in &failed {
        eprintln!("scalebench: FAIL {f}");
    }
    Ok(failed.is_empty())
}

/// The markdown table: one row per size, medians and (min–max) over its runs.
fn table(sizes: &[usize], runs: &[Run]) {
    say!("| documents | dedup wall s | dedup CPU s | CPU/wall | peak RSS GB | flagged pairs | near-copy recall | cross-language recall | background false flags | analyse alone, wall s | end-to-end ÷ analyse, wall | end-to-end ÷ analyse, CPU |");
    say!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in sizes {
        let rs: Vec<&Run> = runs.iter().filter(|r| r.docs == n).collect();
        let col = |f: &dyn Fn(&Run) -> f64, digits: usize| {
            spread(rs.iter().map(|r| f(r)).collect(), digits)
        };
        let recall = |f: &dyn Fn(&Score) -> Option<f64>| {
            if rs.iter().any(|r| f(&r.score).is_none()) {
                "—".to_string()
            } else {
                col(&|r| f(&r.score).unwrap_or(0.0), 3)
            }
        };
        let (analyse, ratio, cpu_ratio) = if rs.iter().all(|r| r.analyse.is_some()) {
            let an = |r: &Run| r.analyse.expect("checked above");
            (
                col(&|r| an(r).wall, 1),
                col(&|r| r.dedup.wall / an(r).wall, 2),
                col(&|r| r.dedup.cpu() / an(r).cpu(), 2),
            )
        } else {
            ("—".into(), "—".into(), "—".into())
        };
        say!(
            "| {n} | {} | {} | {} | {} | {} | {} | {} | {} | {analyse} | {ratio} | {cpu_ratio} |",
            col(&|r| r.dedup.wall, 1),
            col(&|r| r.dedup.cpu(), 1),
            col(&|r| r.dedup.cpu() / r.dedup.wall, 2),
            col(&|r| r.dedup.max_rss as f64 / 1e9, 2),
            col(&|r| r.score.flagged as f64, 0),
            recall(&Score::near_copy_recall),
            recall(&Score::cross_recall),
            col(&|r| r.score.background_flags as f64, 0),
        );
    }
}
