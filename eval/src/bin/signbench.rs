//! The Rust side of python/bench.py: text batch → MinHash signatures, signatures → LSH band
//! keys, and engine fingerprints → candidate keys (`Engine::keys`: band, rare-feature and
//! headline/lead rows, with the pool's `Frequencies`), on the texts of a JSON Lines file (field
//! `text`), with a given rayon thread count.
//! Best of `--reps` timed runs after one warm-up (which fills the analyser's word cache, as the
//! Python package's first call does). Prints one JSON object with the times and checksums that
//! python/bench.py compares with the Python package's (same values, so the same sums).
//!
//! With `--serve` it then reads one measure a line on stdin (`sign`, `band` or `keys`), runs it
//! once and prints its wall and CPU seconds (the process's, every thread) on a line:
//! python/bench.py drives it so that Python and Rust runs alternate one by one, both warm, under
//! the same load.
//!
//! ```text
//! cargo run --release -p lintas-eval --bin signbench -- ../shared/eval/dev-en-id.jsonl --threads 2
//! ```

use lintas::{Analyzer, Corpus, Engine, Frequencies, LshParams, MinHasher, Signature};
use lintas_eval::cli;
use rayon::prelude::*;
use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = f(); // warm-up
    let mut best = if reps == 0 {
        Duration::ZERO // only the warm-up (--serve times its own runs)
    } else {
        Duration::MAX
    };
    for _ in 0..reps {
        let t = Instant::now();
        out = f();
        best = best.min(t.elapsed());
    }
    (best, out)
}

/// CPU time of this process so far, every thread (as Python's `time.process_time`).
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a pointer to a timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

const USAGE: &str =
    "usage: signbench FILE.jsonl [--threads N] [--reps N] [--band-copies N] [--serve]";

struct Args {
    path: String,
    threads: usize,
    reps: usize,
    copies: usize,
    serve: bool,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut it = args.into_iter();
    let mut path = None;
    let (mut threads, mut reps, mut copies) = (2usize, 5usize, 1usize);
    let mut serve = false;
    while let Some(a) = it.next() {
        let mut whole = |flag: &str| -> Result<usize, String> {
            cli::value(&mut it, flag, "a whole number")?
                .parse()
                .map_err(|_| format!("{flag} needs a whole number"))
        };
        match a.as_str() {
            "--threads" => threads = whole(&a)?,
            "--reps" => reps = whole(&a)?,
            "--band-copies" => copies = whole(&a)?,
            "--serve" => serve = true,
            "-h" | "--help" => return Err(String::new()),
            f if cli::is_option(f) => return Err(format!("unknown flag {f}")),
            _ => path = Some(a),
        }
    }
    if threads == 0 {
        return Err("--threads must be at least 1".into());
    }
    Ok(Args {
        path: path.ok_or("no input file")?,
        threads,
        reps,
        copies,
        serve,
    })
}

fn main() -> ExitCode {
    cli::run_tool(
        "signbench",
        USAGE,
        parse_args(std::env::args().skip(1)),
        |a| run(a).map(|()| true),
    )
}

fn run(args: Args) -> Result<(), String> {
    let Args {
        path,
        threads,
        reps,
        copies,
        serve,
    } = args;
    let file = std::fs::File::open(&path)
        .map(std::io::BufReader::new)
        .map_err(|e| format!("cannot open {path}: {e}"))?;
    let mut texts: Vec<String> = Vec::new();
    for (n, line) in file.lines().enumerate() {
        let l = line.map_err(|e| format!("cannot read {path}: {e}"))?;
        if l.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&l)
            .map_err(|e| format!("{path}:{}: not a JSON object: {e}", n + 1))?;
        texts.push(v["text"].as_str().unwrap_or("").to_owned());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let analyzer = Analyzer::new();
    let hasher = MinHasher::new();
    let params = LshParams::new(32, 4).expect("valid");

    let sign = || {
        pool.install(|| {
            texts
                .par_iter()
                .map(|t| hasher.sketch(analyzer.analyze(t).hashes()))
                .collect::<Vec<Signature>>()
        })
    };
    let (sign_t, sigs) = best(reps, sign);
    // Band keys of `copies` copies of the signatures: a batch long enough to time steadily.
    let many: Vec<Signature> = (0..copies).flat_map(|_| sigs.iter().cloned()).collect();
    let band = || {
        pool.install(|| {
            many.par_iter()
                .map(|s| params.band_keys(s).expect("128 hashes"))
                .collect::<Vec<Vec<u64>>>()
        })
    };
    let (band_t, keys) = best(reps, band);
    // Engine keys: fingerprints of every text (ids are line numbers, as bench.py gives them),
    // the pool's frequencies, then the key rows of `copies` copies of the fingerprints as
    // flat columns (document, source, key), as the Python package returns them.
    let engine = Engine::new(Corpus::builder()).expect("default settings");
    let fps: Vec<lintas::Fingerprint> = pool.install(|| {
        texts
            .par_iter()
            .enumerate()
            .map(|(i, t)| {
                // As the Python package's Engine.fingerprints analyses (no title).
                let a = analyzer.analyze_article(None, t);
                engine.fingerprint(i.to_string(), a.detection().lang(), a.features())
            })
            .collect()
    });
    let mut freq = Frequencies::new();
    fps.iter().for_each(|f| freq.add(f));
    // From the fingerprints' binary form, as the Python package gets them (a `bytes` each)
    // and as an engine stores them: the ratio is the bindings' own cost.
    let bytes: Vec<Vec<u8>> = fps.iter().map(|f| f.to_bytes()).collect();
    let many_fps: Vec<&Vec<u8>> = (0..copies).flat_map(|_| bytes.iter()).collect();
    let engine_keys = || {
        let per: Vec<Vec<lintas::Key>> = pool.install(|| {
            many_fps
                .par_iter()
                .map(|b| engine.keys_of_bytes(b, &freq).expect("own bytes"))
                .collect()
        });
        let n: usize = per.iter().map(Vec::len).sum();
        let (mut doc, mut source, mut key) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (i, ks) in per.iter().enumerate() {
            for k in ks {
                doc.push(i as i64);
                source.push(k.source.code());
                key.push(k.key as i64);
            }
        }
        (doc, source, key)
    };
    let (keys_t, rows) = best(reps, engine_keys);
    let per_copy = rows
        .0
        .iter()
        .take_while(|&&d| (d as usize) < fps.len())
        .count();
    let engine_sum = rows.2[..per_copy]
        .iter()
        .zip(&rows.1[..per_copy])
        .fold(0u64, |acc, (&k, &s)| {
            acc.wrapping_add(k as u64).wrapping_add(s as i64 as u64)
        });
    let sig_sum = sigs
        .iter()
        .flat_map(|s| s.values())
        .fold(0u64, |acc, &v| acc.wrapping_add(u64::from(v)));
    let key_sum = keys[..sigs.len()]
        .iter()
        .flatten()
        .fold(0u64, |acc, &k| acc.wrapping_add(k));
    println!(
        "{{\"docs\": {}, \"threads\": {threads}, \"sign_s\": {:.6}, \"band_s\": {:.6}, \"keys_s\": {:.6}, \"sig_sum\": {sig_sum}, \"key_sum\": {key_sum}, \"engine_rows\": {per_copy}, \"engine_sum\": {engine_sum}, \"empty\": {}}}",
        texts.len(),
        sign_t.as_secs_f64(),
        band_t.as_secs_f64(),
        keys_t.as_secs_f64(),
        sigs.iter().filter(|s| s.is_empty()).count()
    );
    if serve {
        let mut out = std::io::stdout().lock();
        out.flush().expect("stdout");
        for line in std::io::stdin().lock().lines() {
            let line = line.expect("read stdin");
            let (t, cpu) = (Instant::now(), cpu_seconds());
            match line.trim() {
                "sign" => drop(std::hint::black_box(sign())),
                "band" => drop(std::hint::black_box(band())),
                "keys" => drop(std::hint::black_box(engine_keys())),
                other => panic!("unknown measure {other:?} (sign, band or keys)"),
            }
            let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - cpu);
            writeln!(out, "{wall:.6} {cpu:.6}").expect("stdout");
            out.flush().expect("stdout");
        }
    }
    Ok(())
}
