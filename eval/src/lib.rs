//! Evaluation tools for lintas, out of the examples: the `evaluate` and `coverage` binaries and
//! the code they share.
//!
//! * [`input`] — gold pools (JSONL with `event`, `lang`, `meta`), read with
//!   [`lintas::jsonl::Reader`].
//! * [`pipeline`] — run options (thresholds, knobs, lexicons) and the run itself: parallel
//!   analysis, documents added in input order, then every flagged pair — the path the `dedup`
//!   example takes (`.ci/run` checks that `score.py` on dedup's output agrees with
//!   `evaluate`).
//! * [`metrics`] — `score.py`'s metrics: precision, recall and F1 over all pairs, per language
//!   pair, cross-language and independent coverage; metric names and their aliases.
//! * [`cli`] — argument helpers and output that survives a closed pipe.
//! * [`model`] — the fitting half of the event-level pair verifier: L2 logistic regression
//!   (scikit-learn's, in raw feature units), folds dealt per group family, out-of-fold scores
//!   from models that never saw a pair's groups, reliability, the threshold for a precision,
//!   a bootstrap interval of F1, and the reviewed weights text.
//! * [`oof`] — the event verifier out of fold: every candidate pair of the dev pools with
//!   its evidence, label and cross-validation group; `evaluate --oof` (and `--fit`).
//! * [`scale`] — seeded synthetic corpora with injected near-copies and cross-language pairs,
//!   and their scoring (the `scalegen` and `scalebench` binaries).
//!
//! ```text
//! cargo run --release -p lintas-eval --bin evaluate -- POOL.jsonl … [--floors FILE] [--seeds DIR]
//! cargo run --release -p lintas-eval --bin coverage -- POOL.jsonl [--lang id] [--min 0.88]
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
pub mod input;
pub mod metrics;
pub mod model;
pub mod oof;
pub mod pipeline;
pub mod scale;
