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
//!   `lang` optional (the title is read as the headline, before the text; a headline-only
//!   item may leave `text` out or `null` when its title is not empty), other fields ignored. Ids are
//!   strings: a numeric id is read as its decimal text, so `{"id": 1}` and `{"id": "1"}` are
//!   the same id; a repeated id is reported with both line numbers and the later document is
//!   skipped (an error with `--strict`). See `lintas::jsonl`. `-` reads standard input; a
//!   gzip stream (a `.jsonl.gz` file, or gzip piped in: its first two bytes say so, whatever
//!   the name) is decompressed as it is read, several concatenated members too, and a
//!   damaged or cut one is an error, never a shorter corpus. Built with the `parquet`
//!   feature, a Parquet file's rows are read the same way (`parquet_input.rs`).
//! * `--output FILE` — one flagged pair a line: `{"a", "b", "score", …}` (what
//!   `score.py GOLD PAIRS` reads). The file is created before any work, so an unwritable
//!   path fails at once. Without it, or with `-`, pairs go to standard output. Pairs are
//!   streamed as they are found — by the later document's input order, strongest first within
//!   it — so memory stays bounded however many pairs there are.
//! * `--threshold X` — the decision threshold for same-language pairs, in the verifier's
//!   units; the cross-language threshold moves with it, keeping the verifier's default ratio
//!   (overlap: 0.17 / 0.14; event: 0.5 / 0.6). With the default `combined` verifier X is on
//!   the overlap score's scale (default 0.14): the cross-language threshold becomes
//!   X × 0.17 / 0.14 and the same-language probability threshold moves by the same factor
//!   on the odds scale (`lintas::CorpusBuilder::overall_threshold`).
//! * `--verifier combined|overlap|event` — how candidate pairs are decided: `combined`
//!   (default) decides an English or Indonesian pair of one language by the probability that
//!   the two articles report the same event (threshold 0.7) and every other pair by lintas
//!   0.1's rarity-weighted overlap score (cross-language threshold 0.17); `overlap` decides
//!   every pair by the overlap score, `event` (experimental) every pair by the probability,
//!   from the evidence every pair's output line carries (`for`, `against`, `evidence`;
//!   `lintas::Verifier`). Each line of the report says which units its score is in.
//! * `--target-precision P` — the event verifier at the operating point measured out of fold
//!   on the dev pools for precision P (`lintas::EventModel::operating_point`; listed for 0.80,
//!   0.85, 0.90, 0.93, 0.95, 0.97): sets `--verifier event` and both thresholds, and prints
//!   the threshold and the recall measured there. Not with `--threshold` or
//!   `--verifier overlap|combined`.
//! * `--use-lang-field` — trust the `lang` field instead of detecting the language.
//! * `--date-field NAME` — read each line's publication date from the field `NAME`
//!   (`YYYY-MM-DD`, or a timestamp opening with one: `2026-02-09T14:05:00+07:00` is
//!   9 February, the day as written; `lintas::Date`), and do not report a pair published
//!   more than three days apart (`--max-days`). A line without the field (or `null`) is
//!   undated and matched as without this option; a value that does not read as a date is
//!   reported and the document kept undated (an error with `--strict`). Off by default: no
//!   date is read unless asked for.
//! * `--max-days N|none` — with `--date-field`, the most days apart two dated documents may
//!   be published and still be reported (default 3; `none`: dates are stored, not used;
//!   `lintas::CorpusBuilder::max_days_apart`). When creating an index it is stored with it.
//! * `--lexicon LANG:FILE.tsv` — add a lexicon (`word<TAB>english` lines) for a language;
//!   its entries replace built-in ones.
//! * `--freedict LANG:PREFIX` — add a FreeDict dictionary read from the system, e.g.
//!   `id:/usr/share/dictd/freedict-eng-ind` (Debian's `dict-freedict-eng-ind`); it fills gaps
//!   only. `--freedict auto` adds every dictionary to or from English installed in
//!   `/usr/share/dictd`, each for the language its name gives, and says what it loaded.
//! * `--strict` — stop at the first malformed line or repeated id instead of reporting and
//!   skipping it.
//! * `--clusters` — also print groups of documents about one event.
//! * `--groups` — write near-exact copies as groups instead of expanding them into pairs:
//!   first one line per group of copies, `{"group": [id, …]}` (its representative, the
//!   earliest, first), then the flagged pairs between representatives and single documents.
//!   A pair's documents stand for their whole groups: expanding every pair to the members of
//!   both groups, and adding every pair inside a group (score 1), gives the default output.
//!   For feeds that carry one story hundreds of times (see `CorpusBuilder::collapse_copies`
//!   for what "near-exact" means).
//! * `--quiet` — no progress or summary on standard error.
//! * `--parquet DIR` — also write `DIR/signatures.parquet` (every document's MinHash
//!   signature and copy-group key), `DIR/keys.parquet` (the candidate keys of every copy
//!   group's representative: LSH bands, rare and headline/lead features) and
//!   `DIR/pairs.parquet` (the flagged pairs written), for DuckDB, Polars or Spark
//!   (`lintas::parquet` documents the layout and the SQL join). Needs dedup built with the
//!   `parquet` feature: `cargo run --release -p lintas-examples --features parquet --example
//!   dedup -- …`; without it the option is a usage error.
//! * `--candidates-out FILE` — also write the candidate pairs before verification
//!   (`Corpus::candidate_pairs`), one `{"a", "b"}` line each, `a` the earlier document: what
//!   the SQL join over `keys.parquet` must give (`examples/parquet_join.py` checks it).
//! * `--index DIR` — a persistent index (`lintas::Index`): creates it when `DIR` does not
//!   exist or is empty, else opens it; adds the input as one batch and writes the batch's
//!   pairs (each new document with the indexed ones and with the rest of the batch, scored as
//!   a one-shot run over everything would score them, streamed as they are found: on a new
//!   index the order of plain `dedup`; on a later batch a group of copies touched by a new
//!   document writes its pairs at its first member's place); saves. The input is analysed and written to staged segments
//!   `SEGMENT_MAX_DOCS` documents at a time, so memory holds the index, not the input; the
//!   save commits them (a run killed before it leaves the index as it was). Documents whose
//!   id is already indexed are reported and skipped (an error with `--strict`). Without input,
//!   only the maintenance options below run. With it:
//!   * `--keep-texts` — when creating, store titles and texts (so `--rebuild` is possible);
//!   * `--delete-ids FILE` — first delete the documents whose ids are listed, one a line;
//!   * `--expire-days N` — first delete documents added more than N days ago;
//!   * `--compact` — after saving, rewrite the segments without deleted documents;
//!   * `--rebuild` — re-analyse the stored texts with this run's analyser (`--lexicon`,
//!     `--freedict`) when the index was built with another analysis.
//!
//!   `--threshold` and `--keep-texts` apply when the index is created (an existing index
//!   keeps its own: given with other values, they are refused); an index built with another
//!   analysis (another lintas, `--lexicon` or `--freedict`) is refused.
//!
//! Exit status: 0 when the run completed (duplicates or not, and also when the reader of
//! standard output went away, as with `| head`), 1 on a runtime error, 2 on a usage error
//! (an unknown option, including a single-dash one such as `-x`).

#[cfg(feature = "parquet")]
#[path = "parquet_input.rs"]
mod parquet_input;

use lintas::jsonl::{ReadError, Reader, Record};
use lintas::{Analysis, Analyzer, Corpus, Detector, FeatureKind, Lang, Match};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: dedup [FILE …] | dedup --input CORPUS.jsonl [--output PAIRS.jsonl] \
[--threshold X] [--verifier combined|overlap|event] [--target-precision P] [--use-lang-field] [--date-field NAME [--max-days N|none]] [--lexicon LANG:FILE.tsv] [--freedict LANG:PREFIX|auto] \
[--strict] [--clusters] [--groups] [--quiet] [--parquet DIR] [--candidates-out FILE] [--explain ID ID]… \
[--index DIR [--keep-texts] [--delete-ids FILE] [--expire-days N] [--compact] [--rebuild]]";

/// `--help`: the usage line, then each option in a line (the module documentation above and
/// README "The examples binary" say more).
const OPTIONS: &str = "\
With no arguments: the bundled sample (examples/data/sample.jsonl).

  FILE …                    plain-text files, one document each (the path is its id)
  --input FILE              JSONL, a document a line: id and text (or a title alone);
                            title, lang optional; - for standard input; gzip is read as
                            such (by its first bytes); Parquet with the parquet feature
  --output FILE             flagged pairs as JSONL (default, or -: standard output)
  --threshold X             same-language decision threshold, in the verifier's units; the
                            cross-language one moves with it (combined default: 0.14 / 0.17)
  --verifier V              combined (default): the event probability for en/id pairs of one
                            language (p >= 0.7), the overlap score for the rest (>= 0.17
                            across languages); overlap; event (experimental)
  --target-precision P      the event verifier at the dev operating point for precision P
                            (0.80 0.85 0.90 0.93 0.95 0.97); prints its measured recall
  --use-lang-field          trust the JSONL lang field instead of detecting the language
  --date-field NAME         read publication dates (YYYY-MM-DD…) from field NAME and leave
                            out pairs published more than --max-days apart
  --max-days N|none         with --date-field: days apart still reported (default 3)
  --lexicon LANG:FILE.tsv   add lexicon entries (word<TAB>english) for a language
  --freedict LANG:PREFIX|auto
                            add a FreeDict dictionary (auto: every one in /usr/share/dictd)
  --strict                  stop at the first malformed line or repeated id
  --clusters                also print groups of documents about one event
  --groups                  write near-exact copies as groups, not expanded into pairs
  --quiet                   no progress or summary on standard error
  --parquet DIR             also write signatures, keys and pairs as Parquet (feature parquet)
  --candidates-out FILE     also write the candidate pairs before verification
  --explain ID ID           say why two documents are or are not a pair (repeatable)
  --index DIR               a persistent index: create or open DIR, add the input, save
    --keep-texts            when creating: store titles and texts (for --rebuild)
    --delete-ids FILE       first delete the ids listed, one a line
    --expire-days N         first delete documents added more than N days ago
    --compact               after saving, rewrite segments without deleted documents
    --rebuild               re-analyse stored texts with this run's analyser
  -h, --help                this help

Exit status: 0 when the run completed, 1 on a runtime error, 2 on a usage error.";

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.jsonl");

/// Bytes of text analysed per document: the library's default, named here so the warning
/// below says the figure the analyser uses.
const MAX_BYTES: usize = lintas::DEFAULT_MAX_BYTES;

/// Writes a line to standard output. A closed pipe (`dedup | head`) ends the program quietly
/// with status 0, like standard tools; any other write error with status 1.
macro_rules! say {
    ($($t:tt)*) => {
        emit(format!($($t)*).as_bytes(), true)
    };
}

fn emit(bytes: &[u8], newline: bool) {
    let mut out = std::io::stdout().lock();
    let r = out.write_all(bytes).and_then(|()| {
        if newline {
            out.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    if let Err(e) = r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("dedup: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

#[derive(Default)]
struct Args {
    input: Option<String>,
    output: Option<String>,
    files: Vec<String>,
    threshold: Option<f64>,
    verifier: lintas::Verifier,
    verifier_given: bool,
    target_precision: Option<lintas::OperatingPoint>,
    use_lang_field: bool,
    /// `--date-field NAME`: the field holding each document's publication date.
    date_field: Option<String>,
    /// `--max-days N|none` (`None`: not given).
    max_days: Option<Option<u32>>,
    lexicons: Vec<(Lang, String)>,
    freedicts: Vec<(Lang, String)>,
    freedict_auto: bool,
    strict: bool,
    clusters: bool,
    groups: bool,
    quiet: bool,
    parquet: Option<String>,
    candidates_out: Option<String>,
    /// `--explain A B`: pairs to explain whether or not they are flagged.
    explain: Vec<(String, String)>,
    index: IndexArgs,
}

/// The `--index` options (see [`run_index`]).
#[derive(Default)]
struct IndexArgs {
    dir: Option<String>,
    keep_texts: bool,
    delete_ids: Option<String>,
    expire_days: Option<u64>,
    compact: bool,
    rebuild: bool,
}

fn lang_path(flag: &str, v: Option<String>) -> Result<(Lang, String), String> {
    let v = v.ok_or_else(|| format!("{flag} needs LANG:PATH"))?;
    let (code, path) = v
        .split_once(':')
        .ok_or_else(|| format!("{flag} takes LANG:PATH, e.g. id:extra.tsv"))?;
    let lang =
        Lang::from_code(code).ok_or_else(|| format!("{flag}: unknown language code {code:?}"))?;
    Ok((lang, path.to_string()))
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut a = Args::default();
    let mut it = args.into_iter();
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
                a.threshold = Some(t);
            }
            "--target-precision" => {
                let v = it.next().ok_or("--target-precision needs a precision")?;
                let p: f64 = v
                    .parse()
                    .ok()
                    .filter(|p: &f64| *p > 0.0 && *p <= 1.0)
                    .ok_or_else(|| {
                        format!("--target-precision takes a precision in (0, 1], got {v:?}")
                    })?;
                let model = lintas::EventModel::builtin().map_err(|e| e.to_string())?;
                let point = model.operating_point(p).ok_or_else(|| {
                    let listed: Vec<String> = model
                        .operating_points()
                        .iter()
                        .map(|o| o.precision.to_string())
                        .collect();
                    format!(
                        "--target-precision {p}: no operating point reaches it (measured: {})",
                        listed.join(", ")
                    )
                })?;
                a.target_precision = Some(point);
            }
            "--verifier" => {
                a.verifier_given = true;
                a.verifier = match it.next().as_deref() {
                    Some("overlap") => lintas::Verifier::Overlap,
                    Some("event") => lintas::Verifier::Event,
                    Some("combined") => lintas::Verifier::Combined,
                    Some(v) => {
                        return Err(format!(
                            "--verifier takes overlap, event or combined, got {v:?}"
                        ))
                    }
                    None => return Err("--verifier needs overlap, event or combined".into()),
                }
            }
            "--use-lang-field" => a.use_lang_field = true,
            "--date-field" => {
                let v = it.next().ok_or("--date-field needs a field name")?;
                if v.is_empty() || ["id", "title", "text", "lang"].contains(&v.as_str()) {
                    return Err(format!("--date-field: {v:?} is not a date field"));
                }
                a.date_field = Some(v);
            }
            "--max-days" => {
                let v = it
                    .next()
                    .ok_or("--max-days needs a number of days or none")?;
                a.max_days = Some(if v == "none" {
                    None
                } else {
                    Some(v.parse().map_err(|_| {
                        format!("--max-days: not a whole number of days or none: {v}")
                    })?)
                });
            }
            "--lexicon" => a.lexicons.push(lang_path(&x, it.next())?),
            "--freedict" => match it.next() {
                Some(v) if v == "auto" => a.freedict_auto = true,
                v => a.freedicts.push(lang_path(&x, v)?),
            },
            "--strict" => a.strict = true,
            "--clusters" => a.clusters = true,
            "--groups" => a.groups = true,
            "--quiet" => a.quiet = true,
            "--parquet" => {
                if !cfg!(feature = "parquet") {
                    return Err("--parquet needs dedup built with the parquet feature: \
                        cargo run --release -p lintas-examples --features parquet --example dedup -- …"
                        .into());
                }
                a.parquet = Some(it.next().ok_or("--parquet needs a directory")?);
            }
            "--candidates-out" => {
                a.candidates_out = Some(it.next().ok_or("--candidates-out needs a file")?)
            }
            "--explain" => {
                let need = "--explain needs two document ids";
                let x = it.next().ok_or(need)?;
                let y = it.next().ok_or(need)?;
                if x == y {
                    return Err(format!("--explain {x} {x}: a pair needs two different ids"));
                }
                a.explain.push((x, y));
            }
            "--index" => a.index.dir = Some(it.next().ok_or("--index needs a directory")?),
            "--keep-texts" => a.index.keep_texts = true,
            "--delete-ids" => {
                a.index.delete_ids = Some(it.next().ok_or("--delete-ids needs a file")?)
            }
            "--expire-days" => {
                let v = it.next().ok_or("--expire-days needs a number of days")?;
                let d = v
                    .parse()
                    .map_err(|_| format!("--expire-days: not a whole number of days: {v}"))?;
                a.index.expire_days = Some(d);
            }
            "--compact" => a.index.compact = true,
            "--rebuild" => a.index.rebuild = true,
            "-h" | "--help" => return Err(String::new()),
            "--" => a.files.extend(it.by_ref()),
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option {s}")),
            s => a.files.push(s.to_string()),
        }
    }
    if a.input.is_some() && !a.files.is_empty() {
        return Err("give either --input or files, not both".into());
    }
    if a.max_days.is_some() && a.date_field.is_none() {
        return Err(
            "--max-days needs --date-field (without dates there is nothing to compare)".into(),
        );
    }
    if a.date_field.is_some() && a.input.is_none() {
        return Err("--date-field reads a JSONL field: it needs --input".into());
    }
    let i = &a.index;
    if i.dir.is_none() {
        if a.output.is_some() && a.input.is_none() && a.files.is_empty() {
            return Err("--output needs --input (or files)".into());
        }
        if a.target_precision.is_some()
            && (a.threshold.is_some()
                || (a.verifier_given && a.verifier != lintas::Verifier::Event))
        {
            return Err("--target-precision sets the event verifier and its threshold: not with --threshold or --verifier overlap|combined".into());
        }
        if i.keep_texts
            || i.delete_ids.is_some()
            || i.expire_days.is_some()
            || i.compact
            || i.rebuild
        {
            return Err("--keep-texts, --delete-ids, --expire-days, --compact and --rebuild need --index DIR".into());
        }
    } else if a.clusters || a.groups || a.parquet.is_some() || a.candidates_out.is_some() {
        return Err(
            "--clusters, --groups, --parquet and --candidates-out are not available with --index"
                .into(),
        );
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            if e.is_empty() {
                say!("{USAGE}\n\n{OPTIONS}");
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

/// One input document: its id, its title and body (analysed apart, the title as the
/// headline) and the `lang` field.
struct Doc {
    id: String,
    title: Option<String>,
    text: String,
    lang: Option<String>,
    /// The `--date-field` date.
    published: Option<lintas::Date>,
}

/// Documents analysed, added and dropped per step: the texts and analyses of one chunk are
/// all `dedup` holds at a time (the corpus keeps only features, 4 bytes each).
const CHUNK: usize = 4096;

/// Reads JSONL with [`lintas::jsonl::Reader`], one document at a time: unusable lines and
/// repeated ids are reported with their line numbers and skipped (with `strict`, the first
/// one is an error).
struct JsonlDocs {
    path: String,
    reader: Reader<Box<dyn std::io::BufRead>>,
    strict: bool,
    skipped: usize,
    /// `--date-field`.
    date_field: Option<String>,
    /// Documents whose date field held something that is not a date (kept undated).
    bad_dates: usize,
}

impl JsonlDocs {
    fn open(path: &str, strict: bool, date_field: Option<&str>) -> Result<JsonlDocs, String> {
        let (name, input) = open_input(path)?;
        Ok(JsonlDocs {
            path: name,
            reader: Reader::new(input),
            strict,
            skipped: 0,
            date_field: date_field.map(str::to_string),
            bad_dates: 0,
        })
    }

    /// The `--date-field` date of the line just read: `Ok(None)` when there is no such
    /// field or it is null; `Err` with the reason when it holds something that is not a
    /// date.
    fn date(&self, field: &str) -> Result<Option<lintas::Date>, String> {
        let v: serde_json::Value =
            serde_json::from_slice(self.reader.last_line()).map_err(|e| e.to_string())?;
        match v.get(field) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => {
                lintas::Date::parse(s).map(Some).map_err(|e| e.to_string())
            }
            Some(other) => Err(format!("`{field}` is {other}, not a date string")),
        }
    }

    /// Reports how many lines were skipped and dates unread (after the last document).
    fn finish(&self, read: usize) {
        report_unread(
            self.bad_dates,
            self.date_field.as_deref(),
            self.skipped,
            "line",
            read,
        );
    }
}

/// A problem with one input document at `at` (`x.jsonl:3`, `x.parquet: row 3`): with
/// `strict` the run's error (returned); otherwise counted in `count`, named on standard error
/// with `how` it was dealt with (the first twenty), and the run goes on (`None`).
fn input_problem(
    strict: bool,
    count: &mut usize,
    at: &str,
    how: &str,
    why: &str,
) -> Option<String> {
    if strict {
        return Some(format!("{at}: {why}"));
    }
    *count += 1;
    if *count <= 20 {
        eprintln!("dedup: {at}: {how}: {why}");
    }
    None
}

/// After the last document of `--input`: how many `unit`s (lines, rows) were skipped as
/// malformed and how many dates did not read (the first twenty of each were named as read).
fn report_unread(
    bad_dates: usize,
    date_field: Option<&str>,
    skipped: usize,
    unit: &str,
    read: usize,
) {
    if bad_dates > 20 {
        eprintln!("dedup: … and {} more unreadable dates", bad_dates - 20);
    }
    if bad_dates > 0 {
        eprintln!(
            "dedup: {bad_dates} document(s) with an unreadable `{}` were matched undated",
            date_field.unwrap_or_default()
        );
    }
    if skipped > 20 {
        eprintln!("dedup: … and {} more malformed {unit}s", skipped - 20);
    }
    if skipped > 0 {
        eprintln!("dedup: {skipped} malformed {unit}(s) skipped, {read} document(s) read");
    }
}

/// The documents of `--input`: JSONL (plain, gzip or standard input), or with the `parquet`
/// feature the rows of a Parquet file (told by its first bytes).
enum InputDocs {
    Jsonl(JsonlDocs),
    #[cfg(feature = "parquet")]
    Parquet(parquet_input::ParquetDocs),
}

impl InputDocs {
    fn open(path: &str, strict: bool, date_field: Option<&str>) -> Result<InputDocs, String> {
        if path != "-" && is_parquet(path) {
            #[cfg(feature = "parquet")]
            return parquet_input::ParquetDocs::open(path, strict, date_field)
                .map(InputDocs::Parquet);
            #[cfg(not(feature = "parquet"))]
            return Err(format!(
                "{path} is a Parquet file: reading one needs dedup built with the parquet \
                 feature (cargo run --release --features parquet --example dedup -- …)"
            ));
        }
        JsonlDocs::open(path, strict, date_field).map(InputDocs::Jsonl)
    }

    fn finish(&self, read: usize) {
        match self {
            InputDocs::Jsonl(d) => d.finish(read),
            #[cfg(feature = "parquet")]
            InputDocs::Parquet(d) => d.finish(read),
        }
    }
}

impl Iterator for InputDocs {
    type Item = Result<Doc, String>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            InputDocs::Jsonl(d) => d.next(),
            #[cfg(feature = "parquet")]
            InputDocs::Parquet(d) => d.next(),
        }
    }
}

/// Whether `path` is a Parquet file: it opens with the format's magic bytes, `PAR1`.
fn is_parquet(path: &str) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"PAR1"
}

impl Iterator for JsonlDocs {
    type Item = Result<Doc, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.reader.next()? {
                Ok(rec) => {
                    let mut doc = doc_of(rec);
                    if let Some(field) = &self.date_field {
                        match self.date(field) {
                            Ok(d) => doc.published = d,
                            Err(e) => {
                                let at = format!("{}:{}", self.path, self.reader.lines_read());
                                let (strict, how) = (self.strict, "matched undated");
                                if let Some(stop) =
                                    input_problem(strict, &mut self.bad_dates, &at, how, &e)
                                {
                                    return Some(Err(stop));
                                }
                            }
                        }
                    }
                    return Some(Ok(doc));
                }
                Err(e @ ReadError::Io { .. }) => return Some(Err(format!("{}: {e}", self.path))),
                Err(e) => {
                    let at = format!("{}:{}", self.path, e.line());
                    let why = e.problem().map(ToString::to_string).unwrap_or_default();
                    if let Some(stop) =
                        input_problem(self.strict, &mut self.skipped, &at, "skipped", &why)
                    {
                        return Some(Err(stop));
                    }
                }
            }
        }
    }
}

fn doc_of(rec: Record) -> Doc {
    Doc {
        id: rec.id,
        title: rec.title,
        text: rec.text,
        lang: rec.lang,
        published: None,
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
            title: None,
            text,
            lang: None,
            published: None,
        });
    }
    Ok(docs)
}

/// Where `--freedict auto` looks (Debian's `dict-freedict-*` packages install there).
const FREEDICT_DIR: &str = "/usr/share/dictd";

/// The analyser: built-in lexicon plus `--lexicon` / `--freedict` files.
fn analyzer(args: &Args) -> Result<Analyzer, String> {
    let mut b = Analyzer::builder().max_bytes(MAX_BYTES);
    if !args.lexicons.is_empty() || !args.freedicts.is_empty() || args.freedict_auto {
        let mut lex = lintas::Lexicon::builtin();
        for (lang, path) in &args.lexicons {
            lex.load_tsv(*lang, path).map_err(|e| e.to_string())?;
        }
        if args.freedict_auto {
            let loaded = lex
                .add_freedict_dir(FREEDICT_DIR)
                .map_err(|e| e.to_string())?;
            if !args.quiet {
                if loaded.is_empty() {
                    eprintln!("dedup: --freedict auto: no FreeDict dictionary to or from English in {FREEDICT_DIR}");
                }
                for l in &loaded {
                    eprintln!(
                        "dedup: --freedict auto: {} ({}): {} words added",
                        l.prefix.display(),
                        l.lang.code(),
                        l.added
                    );
                }
            }
        }
        for (lang, prefix) in &args.freedicts {
            lex.add_freedict_prefix(*lang, prefix)
                .map_err(|e| e.to_string())?;
        }
        b = b.lexicon(lex);
    }
    b.build().map_err(|e| e.to_string())
}

/// The `--input` stream and the name its messages give it: a file, or standard input for
/// `-` (`<stdin>`); gzip, told by its first two bytes (`1f 8b`) rather than by a name, is
/// decompressed as it is read (`MultiGzDecoder`: concatenated members, as `cat a.gz b.gz`
/// makes, are one stream; a damaged or cut stream is a read error, which ends the run).
fn open_input(path: &str) -> Result<(String, Box<dyn std::io::BufRead>), String> {
    use std::io::BufRead;
    const BUF: usize = 1 << 16;
    let (name, mut raw): (String, Box<dyn BufRead>) = if path == "-" {
        let stdin = std::io::BufReader::with_capacity(BUF, std::io::stdin());
        ("<stdin>".into(), Box::new(stdin))
    } else {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
        (
            path.into(),
            Box::new(std::io::BufReader::with_capacity(BUF, file)),
        )
    };
    let head = raw
        .fill_buf()
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::bufread::MultiGzDecoder::new(raw);
        return Ok((name, Box::new(std::io::BufReader::with_capacity(BUF, gz))));
    }
    Ok((name, raw))
}

/// Opens the output file before any work, so that an unwritable path fails at once, and
/// refuses to overwrite the input. `-` is standard output (as no `--output`).
fn open_output(args: &Args) -> Result<Option<std::io::BufWriter<std::fs::File>>, String> {
    let Some(path) = args.output.as_deref().filter(|p| *p != "-") else {
        return Ok(None);
    };
    let same = |other: &str| match (std::fs::canonicalize(path), std::fs::canonicalize(other)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if args.input.iter().chain(&args.files).any(|i| same(i)) {
        return Err(format!("--output {path} is also an input"));
    }
    let f = std::fs::File::create(path).map_err(|e| format!("cannot create {path}: {e}"))?;
    Ok(Some(std::io::BufWriter::new(f)))
}

/// What the report shows of a document (its analysis is dropped once it is added).
struct Summary {
    id: String,
    lang: Option<Lang>,
    confidence: f64,
    words: usize,
    features: usize,
}

/// Counts over the whole input, for the warnings and the summary line.
#[derive(Default)]
struct Stats {
    documents: usize,
    /// Documents given a publication date (`--date-field`).
    dated: usize,
    unknown_lang: usize,
    truncated: usize,
    undetermined: usize,
}

/// Analyses documents a chunk at a time (in parallel) and adds them to the detector in input
/// order (so results do not depend on thread timing); a chunk is added while the next one is
/// analysed, and only two chunks' texts and analyses are held at once. Keeps each document's
/// summary when `summaries` is given.
fn add_all(
    docs: impl Iterator<Item = Result<Doc, String>>,
    args: &Args,
    analyzer: &Analyzer,
    detector: &mut Detector,
    stats: &mut Stats,
    mut summaries: Option<&mut Vec<Summary>>,
) -> Result<(), String> {
    let mut docs = docs.peekable();
    let mut pending: Option<(Vec<Doc>, Vec<Analysis>)> = None;
    loop {
        let chunk: Vec<Doc> = docs.by_ref().take(CHUNK).collect::<Result<_, _>>()?;
        if chunk.is_empty() && pending.is_none() {
            return Ok(());
        }
        let forced: Vec<Option<Lang>> = chunk
            .iter()
            .map(|d| {
                let l = args
                    .use_lang_field
                    .then(|| d.lang.as_deref().and_then(Lang::from_code))?;
                stats.unknown_lang += usize::from(l.is_none());
                l
            })
            .collect();
        let analyse = || -> Vec<Analysis> {
            chunk
                .par_iter()
                .zip(&forced)
                .map(|(d, f)| match f {
                    Some(l) => analyzer.analyze_article_as(d.title.as_deref(), &d.text, *l),
                    None => analyzer.analyze_article(d.title.as_deref(), &d.text),
                })
                .collect()
        };
        let previous = pending.take();
        let add = || -> Result<(), String> {
            let Some((docs, analyses)) = previous else {
                return Ok(());
            };
            detector
                .push_analyzed_many(
                    docs.iter()
                        .zip(&analyses)
                        .map(|(d, a)| (d.id.as_str().into(), a)),
                )
                .map_err(|e| e.to_string())?;
            for d in &docs {
                if let Some(p) = d.published {
                    detector
                        .set_published(&d.id, Some(p))
                        .map_err(|e| e.to_string())?;
                    stats.dated += 1;
                }
            }
            for (d, a) in docs.iter().zip(&analyses) {
                stats.documents += 1;
                stats.truncated += usize::from(a.truncated());
                stats.undetermined += usize::from(a.detection().lang().is_none());
                if let Some(s) = summaries.as_deref_mut() {
                    s.push(Summary {
                        id: d.id.clone(),
                        lang: a.detection().lang(),
                        confidence: a.detection().confidence(),
                        words: a.word_count(),
                        features: a.features().len(),
                    });
                }
            }
            if !args.quiet && stats.documents.is_multiple_of(CHUNK * 25) {
                eprintln!("dedup: {} documents analysed…", stats.documents);
            }
            Ok(())
        };
        let (analyses, added) = rayon::join(analyse, add);
        added?;
        if !chunk.is_empty() {
            pending = Some((chunk, analyses));
        }
    }
}

/// The corpus settings of the run: the verifier, and the thresholds of `--threshold` or
/// `--target-precision`.
fn corpus_settings(args: &Args) -> lintas::CorpusBuilder {
    let mut corpus = Corpus::builder().verifier(args.verifier);
    if let Some(p) = args.target_precision {
        corpus = corpus
            .verifier(lintas::Verifier::Event)
            .threshold(p.threshold)
            .cross_threshold(p.threshold);
    }
    if let Some(t) = args.threshold {
        corpus = corpus.overall_threshold(t);
    }
    if let Some(days) = args.max_days {
        corpus = corpus.max_days_apart(days);
    }
    corpus
}

fn real_main(args: Args) -> Result<(), String> {
    let mut output = open_output(&args)?;
    if let Some(dir) = &args.index.dir {
        return run_index(&args, dir, output);
    }
    let t0 = std::time::Instant::now();
    let analyzer = std::sync::Arc::new(analyzer(&args)?);
    let corpus = corpus_settings(&args);
    if let (Some(p), false) = (args.target_precision, args.quiet) {
        eprintln!(
            "dedup: --target-precision {}: event verifier at threshold {} (out of fold on the dev pools: precision {}, recall {})",
            p.precision, p.threshold, p.precision, p.recall
        );
    }
    let mut detector = Detector::builder()
        .analyzer(analyzer.clone())
        .corpus(corpus)
        .build()
        .map_err(|e| e.to_string())?;
    let mut stats = Stats::default();
    let mut summaries = Vec::new();
    let human = args.input.is_none() && args.output.is_none();
    let keep = human.then_some(&mut summaries);
    match (&args.input, args.files.is_empty()) {
        (Some(input), _) => {
            let mut docs = InputDocs::open(input, args.strict, args.date_field.as_deref())?;
            add_all(&mut docs, &args, &analyzer, &mut detector, &mut stats, keep)?;
            docs.finish(stats.documents);
        }
        (None, false) => {
            let docs = read_files(&args.files, args.quiet)?;
            add_all(
                docs.into_iter().map(Ok),
                &args,
                &analyzer,
                &mut detector,
                &mut stats,
                keep,
            )?;
        }
        (None, true) => {
            if !args.quiet {
                eprintln!("dedup: no input given; running on the bundled sample {SAMPLE}");
            }
            // The bundled sample must be well-formed: strict.
            let docs = JsonlDocs::open(SAMPLE, true, None)?;
            add_all(docs, &args, &analyzer, &mut detector, &mut stats, keep)?;
        }
    }
    if !args.quiet && stats.documents >= CHUNK {
        eprintln!("dedup: matching {} documents…", stats.documents);
    }
    if stats.unknown_lang > 0 {
        eprintln!(
            "dedup: {} document(s) had no usable `lang` field; their language was detected",
            stats.unknown_lang
        );
    }
    if stats.truncated > 0 {
        eprintln!(
            "dedup: {} document(s) longer than {MAX_BYTES} bytes: only their first {MAX_BYTES} bytes were analysed",
            stats.truncated
        );
    }
    if let Some(path) = &args.candidates_out {
        write_candidates(detector.corpus(), path)?;
    }
    let mut parquet = match &args.parquet {
        Some(dir) => Some(ParquetOut::open(dir, detector.corpus())?),
        None => None,
    };
    let flagged;
    // `--explain`: with `--groups` the pairs written are between copy groups'
    // representatives, so an asked pair is looked for as its representatives' pair.
    let representative: std::collections::HashMap<String, String> =
        if args.groups && !args.explain.is_empty() {
            detector
                .corpus()
                .copy_groups()
                .iter()
                .flat_map(|g| g.iter().map(|m| (m.to_string(), g[0].to_string())))
                .collect()
        } else {
            Default::default()
        };
    let mut asked = Asked::new(&args.explain, |id| {
        representative.get(id).map_or(id, String::as_str)
    });
    if human {
        let pairs = detector.pairs();
        flagged = pairs.len();
        pairs.iter().for_each(|m| asked.note(m));
        if let Some(p) = parquet.as_mut() {
            pairs.iter().try_for_each(|m| p.push(m))?;
        }
        // Clusters from the pairs already found (not recomputed).
        let clusters = if args.clusters {
            detector.clusters(&pairs)
        } else {
            Vec::new()
        };
        print_report(&summaries, &detector, &pairs, args.clusters, &clusters);
    } else {
        // Pairs are written as they are found (by the later document's input order, strongest
        // first within it): memory stays bounded however many there are.
        let mut kept = Vec::new();
        let mut count = 0usize;
        let mut put = |line: &str| -> Result<(), String> {
            match (&mut output, &args.output) {
                (Some(f), Some(path)) => f
                    .write_all(line.as_bytes())
                    .and_then(|()| f.write_all(b"\n"))
                    .map_err(|e| format!("cannot write {path}: {e}")),
                _ => {
                    emit(line.as_bytes(), true);
                    Ok(())
                }
            }
        };
        if args.groups {
            for g in detector.corpus().copy_groups() {
                let ids: Vec<&str> = g.iter().map(|s| &**s).collect();
                put(&serde_json::json!({ "group": ids }).to_string())?;
            }
        }
        let write = |m: lintas::Match| -> Result<(), String> {
            count += 1;
            asked.note(&m);
            put(&lintas::jsonl::match_line(&m))?;
            if let Some(p) = parquet.as_mut() {
                p.push(&m)?;
            }
            if args.clusters {
                kept.push(m);
            }
            Ok(())
        };
        if args.groups {
            detector
                .corpus()
                .try_for_each_representative_pair(0, write)?;
        } else {
            detector.corpus().try_for_each_pair(0, write)?;
        }
        if let (Some(f), Some(path)) = (&mut output, &args.output) {
            f.flush().map_err(|e| format!("cannot write {path}: {e}"))?;
        }
        flagged = count;
        for g in detector.clusters(&kept) {
            let ids: Vec<&str> = g.iter().map(|s| &**s).collect();
            eprintln!("cluster: {}", ids.join(" "));
        }
    }
    if let Some(p) = parquet {
        p.finish(args.quiet)?;
    }
    let explained = explain(
        &args.explain,
        detector.corpus(),
        &asked.flagged(),
        None,
        human,
    );
    let secs = t0.elapsed().as_secs_f64();
    if !args.quiet {
        let mem = detector.corpus().memory_report();
        if let Some(field) = &args.date_field {
            let window = detector
                .corpus()
                .settings()
                .max_days_apart
                .map_or("not compared".to_string(), |d| {
                    format!("pairs at most {d} days apart")
                });
            eprintln!(
                "dedup: {} of {} documents dated by `{field}` ({window})",
                stats.dated, stats.documents
            );
        }
        // Per document only when there is one: an empty corpus's fixed tables are no
        // document's.
        let held = if stats.documents > 0 {
            format!(
                ", {:.1} KB held per document",
                mem.per_document_with_labels / 1024.0
            )
        } else {
            String::new()
        };
        eprintln!(
            "dedup: {} documents, {} flagged pairs, {} undetermined language, {:.2} s{held}",
            stats.documents, flagged, stats.undetermined, secs,
        );
    }
    // Everything is written: the process ends next, and the operating system takes the
    // corpus back faster than freeing it allocation by allocation (seconds at 1M documents).
    std::mem::forget(detector);
    explained
}

/// `--explain`'s pairs as the run writes them, and which of them it writes (flags).
struct Asked {
    /// Each asked pair (unordered) with the pair the run would write for it (unordered; its
    /// copy groups' representatives with `--groups`).
    pairs: Vec<((String, String), (String, String))>,
    /// The written pairs among them.
    written: HashSet<(String, String)>,
}

impl Asked {
    /// The asked pairs, `written_as` naming the id a document's pairs are written under.
    fn new<'a>(asked: &'a [(String, String)], written_as: impl Fn(&'a str) -> &'a str) -> Asked {
        let owned = |(x, y): (&str, &str)| (x.to_string(), y.to_string());
        let pairs = asked
            .iter()
            .map(|(x, y)| {
                let as_written = owned(unordered(written_as(x), written_as(y)));
                (owned(unordered(x, y)), as_written)
            })
            .collect();
        Asked {
            pairs,
            written: HashSet::new(),
        }
    }

    /// Notes a pair the run writes.
    fn note(&mut self, m: &Match) {
        if self.pairs.is_empty() {
            return;
        }
        let (x, y) = unordered(&m.a, &m.b);
        if self.pairs.iter().any(|(_, (a, b))| a == x && b == y) {
            self.written.insert((x.to_string(), y.to_string()));
        }
    }

    /// The asked pairs (unordered) the run flags: their written pair was written, or both are
    /// one copy group (whose own pairs are flagged).
    fn flagged(&self) -> HashSet<(String, String)> {
        self.pairs
            .iter()
            .filter(|(_, w)| w.0 == w.1 || self.written.contains(w))
            .map(|(asked, _)| asked.clone())
            .collect()
    }
}

/// A pair's ids in a fixed order, so `a b` and `b a` are one pair.
fn unordered<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x <= y {
        (x, y)
    } else {
        (y, x)
    }
}

/// `--explain A B …`: each asked pair scored as the run scored it, with its explanation and
/// why it was or was not flagged: on standard output after the report when that is where the
/// report goes, else on standard error (standard output and `--output` carry JSON lines
/// only). An id the corpus does not hold is an error, after the other pairs are explained.
fn explain(
    asked: &[(String, String)],
    corpus: &Corpus,
    flagged: &HashSet<(String, String)>,
    new_ids: Option<&HashSet<String>>,
    to_stdout: bool,
) -> Result<(), String> {
    if asked.is_empty() {
        return Ok(());
    }
    let out = |line: String| {
        if to_stdout {
            say!("{line}");
        } else {
            eprintln!("{line}");
        }
    };
    out(format!("\nExplained pairs ({}):", asked.len()));
    let mut unknown = Vec::new();
    for (x, y) in asked {
        let missing: Vec<&String> = [x, y]
            .into_iter()
            .filter(|id| !corpus.contains(id))
            .collect();
        if !missing.is_empty() {
            for id in missing {
                if !unknown.contains(id) {
                    unknown.push(id.clone());
                }
            }
            out(format!("  {x} <-> {y}: not both in the corpus"));
            continue;
        }
        let Some(m) = corpus.score_pair(x, y) else {
            out(format!(
                "  {x} <-> {y}: not flagged: a document without features (no words, names or figures to compare)"
            ));
            continue;
        };
        let (a, b) = unordered(x, y);
        let old = new_ids.is_some_and(|n| !n.contains(x) && !n.contains(y));
        let verdict = if flagged.contains(&(a.to_string(), b.to_string())) {
            "flagged".to_string()
        } else if old {
            "not a pair of this run: both were indexed before it (scored here with the index's \
             document frequencies as they stand now)"
                .to_string()
        } else if let Some(days) = corpus
            .days_apart(x, y)
            .filter(|&d| corpus.settings().max_days_apart.is_some_and(|max| d > max))
        {
            format!(
                "not flagged: published {days} days apart (--max-days {})",
                corpus.settings().max_days_apart.unwrap_or_default()
            )
        } else if m.score < m.threshold {
            "not flagged: under its threshold".to_string()
        } else {
            "not flagged: the score reaches the threshold, but the candidate stage never paired \
             them (no LSH band, rare feature or headline/lead feature in common)"
                .to_string()
        };
        out(format!("  {verdict}"));
        pair_lines(corpus, &m).into_iter().for_each(&out);
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "--explain: no document with id {}",
            unknown
                .iter()
                .map(|i| format!("{i:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// `--candidates-out FILE`: the candidate pairs before verification, one `{"a", "b"}` line
/// each (`a` the earlier document), in the corpus's order.
fn write_candidates(corpus: &Corpus, path: &str) -> Result<(), String> {
    let err = |e: std::io::Error| format!("cannot write {path}: {e}");
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).map_err(err)?);
    for (a, b) in corpus.candidate_pairs() {
        let line = serde_json::json!({ "a": &*a, "b": &*b }).to_string();
        f.write_all(line.as_bytes())
            .and_then(|()| f.write_all(b"\n"))
            .map_err(err)?;
    }
    f.flush().map_err(err)
}

/// `--parquet DIR`: the corpus's signatures and keys written when the input is in, the
/// pairs streamed as they are found.
#[cfg(feature = "parquet")]
struct ParquetOut {
    dir: String,
    written: lintas::parquet::Written,
    pairs: lintas::parquet::PairWriter,
    /// Seconds spent writing the signatures and keys.
    secs: f64,
}

#[cfg(feature = "parquet")]
impl ParquetOut {
    fn open(dir: &str, corpus: &Corpus) -> Result<ParquetOut, String> {
        use lintas::parquet;
        let started = std::time::Instant::now();
        let written = parquet::write_corpus(corpus, dir).map_err(|e| e.to_string())?;
        let secs = started.elapsed().as_secs_f64();
        let path = std::path::Path::new(dir).join(parquet::PAIRS_FILE);
        let pairs = parquet::PairWriter::create(path, &parquet::Metadata::of_corpus(corpus))
            .map_err(|e| e.to_string())?;
        Ok(ParquetOut {
            dir: dir.to_string(),
            written,
            pairs,
            secs,
        })
    }

    fn push(&mut self, m: &Match) -> Result<(), String> {
        self.pairs.push(m).map_err(|e| e.to_string())
    }

    fn finish(self, quiet: bool) -> Result<(), String> {
        let pairs = self.pairs.finish().map_err(|e| e.to_string())?;
        if !quiet {
            eprintln!(
                "dedup: --parquet {}: {} signatures and {} keys written in {:.2} s, {pairs} pairs streamed",
                self.dir,
                self.written.signatures,
                self.written.keys,
                self.secs
            );
        }
        Ok(())
    }
}

/// Without the `parquet` feature `--parquet` is refused when the arguments are read: never
/// built.
#[cfg(not(feature = "parquet"))]
enum ParquetOut {}

#[cfg(not(feature = "parquet"))]
impl ParquetOut {
    fn open(_: &str, _: &Corpus) -> Result<ParquetOut, String> {
        Err("--parquet needs dedup built with the parquet feature".into())
    }

    fn push(&mut self, _: &Match) -> Result<(), String> {
        match *self {}
    }

    fn finish(self, _: bool) -> Result<(), String> {
        match self {}
    }
}

/// The counts of shared features per kind, non-zero ones only, in [`FeatureKind::ALL`]
/// order: "12 anchor, 30 concept". English and Indonesian words always become concepts (an
/// English stem, a lexicon concept, or the word itself), so pairs in those languages share no
/// `local` features; local words are those of other languages (French, Chinese…), which match
/// only the same language.
fn shared_counts(m: &Match) -> String {
    let parts: Vec<String> = FeatureKind::ALL
        .iter()
        .map(|&k| (k, m.explanation.shared(k)))
        .filter(|&(_, n)| n > 0)
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

/// The report's lines for one pair: its score against its threshold in the units of the
/// score that decides it, the shared features, and the event evidence for and against.
/// A threshold as people write it: at most 4 decimals, no trailing zeros (`0.17`, `0.0363`
/// for a dictionary threshold of 0.036250000000000004).
fn short_number(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn pair_lines(corpus: &Corpus, m: &Match) -> Vec<String> {
    let event = corpus.decides_by_event(&m.a, &m.b) == Some(true);
    // The factor on an overlap score whose pair the event model reads as more likely two
    // events than one (`Corpus::overlap_discount`).
    let discount = corpus.overlap_discount(m).unwrap_or(1.0);
    let units = if event {
        "probability"
    } else {
        "overlap score"
    };
    let discounted = if discount < 1.0 {
        format!(
            ", × {discount:.2} as same event p {:.3} is under even odds",
            m.probability
        )
    } else {
        String::new()
    };
    let relation = if m.score >= m.threshold { "≥" } else { "<" };
    let mut lines = vec![format!(
        "  {:.3}  {} <-> {}   ({units} {relation} {}{discounted}; jaccard {:.3}, containment {:.3}, minhash estimate {:.3})",
        m.score,
        m.a,
        m.b,
        short_number(m.threshold),
        m.jaccard,
        m.containment,
        m.estimate
    )];
    for k in FeatureKind::ALL {
        let ls: Vec<&str> = m
            .explanation
            .top
            .iter()
            .filter(|(kk, _)| *kk == k)
            .map(|(_, l)| &**l)
            .collect();
        if !ls.is_empty() {
            lines.push(format!("         shared {k}s: {}", ls.join(", ")));
        }
    }
    lines.push(format!(
        "         (features shared in all: {})",
        shared_counts(m)
    ));
    let e = &m.explanation;
    let list = |v: &[(String, f64)]| -> String {
        v.iter()
            .map(|(n, c)| format!("{n} {c:+.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut line = format!(
        "         same event p = {:.3}; for: {}",
        m.probability,
        list(&e.evidence_for)
    );
    if !e.evidence_against.is_empty() {
        line.push_str(&format!("; against: {}", list(&e.evidence_against)));
    }
    if !e.conflicts.is_empty() {
        line.push_str(&format!(" ({})", e.conflicts.join(", ")));
    }
    lines.push(line);
    lines
}

fn print_report(
    docs: &[Summary],
    detector: &Detector,
    pairs: &[Match],
    clusters: bool,
    groups: &[Vec<std::sync::Arc<str>>],
) {
    say!("Documents ({}):", docs.len());
    for d in docs {
        let lang = d.lang.map_or("??".to_string(), |l| l.code().to_string());
        say!(
            "  {:<28} lang={lang:<3} confidence={:.2}  words={:<5} features={}",
            d.id,
            d.confidence,
            d.words,
            d.features
        );
    }
    let (same, cross) = detector.corpus().thresholds();
    let units = |event: bool| {
        if event {
            "probability"
        } else {
            "overlap score"
        }
    };
    let verifier = detector.corpus().verifier();
    say!(
        "\nFlagged pairs ({}; thresholds: same-language {same} ({}), cross-language {cross} ({})):",
        pairs.len(),
        units(verifier != lintas::Verifier::Overlap),
        units(verifier == lintas::Verifier::Event)
    );
    if pairs.is_empty() {
        say!("  none");
    }
    for m in pairs {
        for line in pair_lines(detector.corpus(), m) {
            say!("{line}");
        }
    }
    if clusters {
        say!("\nClusters:");
        for g in groups {
            let ids: Vec<&str> = g.iter().map(|s| &**s).collect();
            say!("  {}", ids.join("  "));
        }
    }
}

/// `--index DIR`: open or create the index, delete and expire, add the input as one batch,
/// write its pairs, save, compact.
fn run_index(
    args: &Args,
    dir: &str,
    mut output: Option<std::io::BufWriter<std::fs::File>>,
) -> Result<(), String> {
    use lintas::{Document, Index, IndexOptions};
    let t0 = std::time::Instant::now();
    let analyzer = analyzer(args)?;
    let corpus = corpus_settings(args);
    let exists = std::path::Path::new(dir).join("MANIFEST").exists();
    let mut index = if args.index.rebuild {
        Index::rebuild(dir, analyzer)
    } else if exists {
        Index::open(dir, analyzer)
    } else {
        let options = IndexOptions::new()
            .analyzer(analyzer)
            .corpus(corpus.clone())
            .keep_texts(args.index.keep_texts);
        Index::create(dir, options)
    }
    .map_err(|e| e.to_string())?;
    // Settings given for an existing index must be its own: refused rather than ignored.
    if exists {
        let given = corpus.build().map_err(|e| e.to_string())?;
        let held = index.corpus();
        let asked = args.verifier_given || args.target_precision.is_some();
        if asked && given.verifier() != held.verifier() {
            return Err(format!(
                "index {dir} was created with the {:?} verifier, not {:?}: drop --verifier / --target-precision or use another index",
                held.verifier(),
                given.verifier()
            ));
        }
        let (given_days, held_days) = (
            given.settings().max_days_apart,
            held.settings().max_days_apart,
        );
        let (given, held) = (given.thresholds(), held.thresholds());
        if (args.threshold.is_some() || args.target_precision.is_some()) && given != held {
            return Err(format!(
                "index {dir} was created with thresholds {held:?} (same-language, cross-language), not {given:?}: drop --threshold or use another index"
            ));
        }
        if args.max_days.is_some() && given_days != held_days {
            return Err(format!(
                "index {dir} was created with --max-days {}, not {}: drop --max-days or use another index",
                held_days.map_or("none".to_string(), |d| d.to_string()),
                given_days.map_or("none".to_string(), |d| d.to_string())
            ));
        }
        if args.index.keep_texts && !index.keeps_texts() {
            return Err(format!("index {dir} was created without --keep-texts"));
        }
    }
    let held = index.len();
    let mut deleted = 0;
    if let Some(path) = &args.index.delete_ids {
        let list = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let ids: Vec<&str> = list
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        deleted = index.delete(&ids).map_err(|e| e.to_string())?;
        if !args.quiet && deleted < ids.len() {
            eprintln!(
                "dedup: {} of the {} ids in {path} were not indexed",
                ids.len() - deleted,
                ids.len()
            );
        }
    }
    let mut expired = 0;
    if let Some(days) = args.index.expire_days {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        expired = index
            .expire_older_than(now.saturating_sub(days.saturating_mul(86_400)))
            .map_err(|e| e.to_string())?;
    }
    // The input in batches of a segment each: analysed, held and written to staged segment
    // files batch by batch (memory holds one batch's texts and analyses at a time), then the
    // pairs of every new document streamed out, then one save commits them all.
    let first_slot = index.corpus().next_slot();
    let mut jsonl = match &args.input {
        Some(input) => Some(InputDocs::open(
            input,
            args.strict,
            args.date_field.as_deref(),
        )?),
        None => None,
    };
    let files = match (&jsonl, args.files.is_empty()) {
        (None, false) => read_files(&args.files, args.quiet)?,
        _ => Vec::new(),
    };
    let mut source: Box<dyn Iterator<Item = Result<Doc, String>> + '_> = match jsonl.as_mut() {
        Some(r) => Box::new(r),
        None => Box::new(files.into_iter().map(Ok)),
    };
    let mut added = 0;
    let mut already = Vec::new();
    let mut this_run: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        let mut batch = Vec::with_capacity(lintas::SEGMENT_MAX_DOCS);
        for d in source.by_ref() {
            let d = d?;
            if index.contains(&d.id) && !this_run.contains(&d.id) {
                if args.strict {
                    return Err(format!("document `{}` is already indexed", d.id));
                }
                already.push(d.id);
                continue;
            }
            if !this_run.insert(d.id.clone()) {
                return Err(lintas::Error::DuplicateId(d.id).to_string());
            }
            let mut doc = Document::new(d.id, d.text);
            doc.title = d.title;
            doc.published = d.published;
            if args.use_lang_field {
                doc.lang = d.lang.as_deref().and_then(Lang::from_code);
            }
            batch.push(doc);
            if batch.len() == lintas::SEGMENT_MAX_DOCS {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        added += batch.len();
        index.insert_batch(batch).map_err(|e| e.to_string())?;
    }
    drop(source);
    if let Some(r) = &jsonl {
        r.finish(added + already.len());
    }
    if !already.is_empty() {
        let shown: Vec<&str> = already.iter().take(5).map(String::as_str).collect();
        eprintln!(
            "dedup: {} document(s) already indexed were skipped: {}{}",
            already.len(),
            shown.join(", "),
            if already.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        );
    }
    let mut flagged = 0usize;
    // `--explain`: which of the asked pairs this run flags.
    let mut asked = Asked::new(&args.explain, |id| id);
    {
        let mut put = |line: &str| -> Result<(), String> {
            match (&mut output, &args.output) {
                (Some(f), Some(path)) => f
                    .write_all(line.as_bytes())
                    .and_then(|()| f.write_all(b"\n"))
                    .map_err(|e| format!("cannot write {path}: {e}")),
                _ => {
                    emit(format!("{line}\n").as_bytes(), false);
                    Ok(())
                }
            }
        };
        index.corpus().try_for_each_pair(first_slot, |m| {
            flagged += 1;
            asked.note(&m);
            put(&lintas::jsonl::match_line(&m))
        })?;
        if let (Some(f), Some(path)) = (&mut output, &args.output) {
            f.flush().map_err(|e| format!("cannot write {path}: {e}"))?;
        }
    }
    index.save().map_err(|e| e.to_string())?;
    if args.index.compact {
        index.compact().map_err(|e| e.to_string())?;
    }
    // After the save: an explanation is read from what is now stored. Standard output carries
    // the pairs here unless `--output` is given, so the explanation goes to standard error.
    let explained = explain(
        &args.explain,
        index.corpus(),
        &asked.flagged(),
        Some(&this_run),
        false,
    );
    if !args.quiet {
        let memory = if index.is_empty() {
            String::new()
        } else {
            let kb = index.memory_report().per_document_with_labels / 1024.0;
            format!(", {kb:.1} KB in memory per indexed document")
        };
        eprintln!(
            "dedup: index {dir}: {held} documents held before, {deleted} deleted, {expired} expired, {added} added, \
             {} flagged pairs with new documents; {} documents in {} segment(s){memory}, {:.2} s",
            flagged,
            index.len(),
            index.segment_count(),
            t0.elapsed().as_secs_f64()
        );
    }
    // Saved: the process ends next, and the operating system takes the corpus back (and
    // releases the lock) faster than freeing it allocation by allocation.
    std::mem::forget(index);
    explained
}
