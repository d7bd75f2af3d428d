//! Python bindings for lintas: the `lintas._lintas` extension module, re-exported as `lintas`.
//!
//! Over the library's public API only. Batch functions take a list of texts (or of fingerprint
//! `bytes`) and give flat NumPy arrays (never a Python int per value) and run without the GIL,
//! in parallel. `Engine` and `Frequencies` bind `lintas::Engine` for the Spark and Ray recipes
//! (`python/recipes`, with their shared steps in `python/python/lintas/recipe.py`).

mod index;

use lintas::{
    Detector as RsDetector, Engine as RsEngine, Fingerprint, Frequencies as RsFrequencies,
    LshParams, Match as RsMatch, MinHasher, Signature,
};
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

create_exception!(
    lintas,
    LintasError,
    PyValueError,
    "An error from the lintas library (invalid parameter, duplicate id, …), with its message."
);

fn err(e: lintas::Error) -> PyErr {
    LintasError::new_err(e.to_string())
}

/// A publication date given as text (`YYYY-MM-DD`, or a timestamp opening with one); a
/// value that is not one raises `LintasError`.
pub(crate) fn date_of(s: Option<&str>) -> PyResult<Option<lintas::Date>> {
    s.map(lintas::Date::parse).transpose().map_err(err)
}

/// One date per document, or none at all.
pub(crate) fn dates_of(
    published: Option<Vec<Option<String>>>,
    n: usize,
) -> PyResult<Vec<Option<lintas::Date>>> {
    match published {
        None => Ok(vec![None; n]),
        Some(v) => v.iter().map(|d| date_of(d.as_deref())).collect(),
    }
}

/// `max_days`'s default: `lintas::DEFAULT_MAX_DAYS_APART`, as a Python int.
pub(crate) const DEFAULT_MAX_DAYS: i64 = lintas::DEFAULT_MAX_DAYS_APART as i64;
// `Detector`'s and `Index`'s text signatures and `_lintas.pyi` write the default out.
const _: () = assert!(
    DEFAULT_MAX_DAYS == 3,
    "update max_days=3 in the text signatures and stub"
);

/// The analyser every batch call shares (its word cache grows across calls).
fn analyzer() -> &'static lintas::Analyzer {
    static A: OnceLock<lintas::Analyzer> = OnceLock::new();
    A.get_or_init(lintas::Analyzer::new)
}

/// A flagged pair: `a` was added before `b`.
#[pyclass(module = "lintas", frozen, name = "Match")]
struct PyMatch {
    inner: RsMatch,
}

#[pymethods]
impl PyMatch {
    /// Id of the earlier document.
    #[getter]
    fn a(&self) -> &str {
        &self.inner.a
    }
    /// Id of the later document (`""` for the query in `Detector.query`).
    #[getter]
    fn b(&self) -> &str {
        &self.inner.b
    }
    /// The decision score, compared with `threshold`. With the default (combined) verifier:
    /// the event probability for a pair of one language the event model was fitted on
    /// (English, Indonesian; both with a headline or lead), else the overlap score
    /// (rarity-weighted Jaccard, containment-boosted, conflict-penalised), which for a pair of
    /// one other language is scaled by the model's odds over even odds, `p / (1 - p)`, when
    /// the probability `p` is under even odds (Rust `Match::score`,
    /// `lintas::even_odds_discount`).
    #[getter]
    fn score(&self) -> f64 {
        self.inner.score
    }
    /// The threshold the score was compared with.
    #[getter]
    fn threshold(&self) -> f64 {
        self.inner.threshold
    }
    /// Whether the cross-language threshold applied.
    #[getter]
    fn cross_language(&self) -> bool {
        self.inner.cross_language
    }
    /// Exact rarity-weighted Jaccard of the two feature sets.
    #[getter]
    fn jaccard(&self) -> f64 {
        self.inner.jaccard
    }
    /// Exact rarity-weighted containment of the smaller set in the larger.
    #[getter]
    fn containment(&self) -> f64 {
        self.inner.containment
    }
    /// MinHash estimate of the plain Jaccard similarity.
    #[getter]
    fn estimate(&self) -> f64 {
        self.inner.estimate
    }
    /// The strongest shared features, as `(kind, label)`: kind is `anchor`, `concept`,
    /// `pair` or `local`.
    #[getter]
    fn explanation(&self) -> Vec<(&'static str, String)> {
        self.inner
            .explanation
            .top
            .iter()
            .map(|(k, l)| (k.name(), l.to_string()))
            .collect()
    }
    /// The event model's probability that the two documents report the same event.
    #[getter]
    fn probability(&self) -> f64 {
        self.inner.probability
    }
    /// The event evidence, by name (`lintas::Evidence`: overlap, lead overlap, specific
    /// coverage, conflicts …).
    #[getter]
    fn evidence(&self) -> std::collections::BTreeMap<&'static str, f64> {
        lintas::Evidence::NAMES
            .into_iter()
            .zip(self.inner.evidence.values())
            .collect()
    }
    /// The evidence for and against the same event: each value's contribution to the log-odds
    /// (`{"for": {...}, "against": {...}}`).
    #[getter]
    fn contributions(
        &self,
    ) -> std::collections::BTreeMap<&'static str, std::collections::BTreeMap<String, f64>> {
        let e = &self.inner.explanation;
        [("for", &e.evidence_for), ("against", &e.evidence_against)]
            .into_iter()
            .map(|(k, v)| (k, v.iter().cloned().collect()))
            .collect()
    }
    /// Shared feature counts by kind.
    #[getter]
    fn shared(&self) -> std::collections::BTreeMap<&'static str, usize> {
        use lintas::FeatureKind as K;
        [K::Anchor, K::Concept, K::Pair, K::Local]
            .into_iter()
            .map(|k| (k.name(), self.inner.explanation.shared(k)))
            .collect()
    }
    /// The pair as one JSON line (no line end), exactly as `dedup --output` writes it: `a`,
    /// `b`, then `score`, `jaccard`, `containment`, `estimate`, `threshold` (rounded to 4
    /// decimals), `shared`, the event evidence and its contributions.
    fn to_json(&self) -> String {
        lintas::jsonl::match_line(&self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "Match(a={:?}, b={:?}, score={:.4}, threshold={:.4}, cross_language={})",
            &*self.inner.a,
            &*self.inner.b,
            self.inner.score,
            self.inner.threshold,
            if self.inner.cross_language {
                "True"
            } else {
                "False"
            }
        )
    }
}

fn wrap(ms: Vec<RsMatch>) -> Vec<PyMatch> {
    ms.into_iter().map(|inner| PyMatch { inner }).collect()
}

fn cluster_ids(pairs: &[PyRef<'_, PyMatch>]) -> Vec<Vec<String>> {
    let ms: Vec<RsMatch> = pairs.iter().map(|m| m.inner.clone()).collect();
    lintas::clusters(&ms)
        .into_iter()
        .map(|c| c.iter().map(|id| id.to_string()).collect())
        .collect()
}

/// Finds news articles about the same event, across languages.
///
/// `Detector()` uses the built-in lexicon and the default thresholds; keyword arguments
/// override the corpus settings (invalid values raise `LintasError`). The default verifier,
/// `"combined"`, decides English and Indonesian pairs of one language by the event
/// probability and the others by the overlap score; `"overlap"` decides every pair by the
/// overlap score, `"event"` by the probability (experimental; thresholds then in probability
/// units). Two documents with publication dates more than `max_days` apart (default 3,
/// `None`: no window) are not a pair.
#[pyclass(module = "lintas", name = "Detector")]
struct PyDetector {
    inner: RsDetector,
}

#[pymethods]
impl PyDetector {
    #[new]
    // The text signature spells max_days's default (pyo3 would write `...` for `Some(3)`).
    #[pyo3(
        signature = (*, verifier=None, threshold=None, cross_threshold=None, num_hashes=None, candidate_threshold=None, max_days=Some(DEFAULT_MAX_DAYS)),
        text_signature = "(*, verifier=None, threshold=None, cross_threshold=None, num_hashes=None, candidate_threshold=None, max_days=3)"
    )]
    fn new(
        verifier: Option<&str>,
        threshold: Option<f64>,
        cross_threshold: Option<f64>,
        num_hashes: Option<usize>,
        candidate_threshold: Option<f64>,
        max_days: Option<i64>,
    ) -> PyResult<Self> {
        // The verifier first: it sets the thresholds' defaults (their units differ).
        let mut c = corpus_settings(verifier, max_days)?;
        if let Some(v) = threshold {
            c = c.threshold(v);
        }
        if let Some(v) = cross_threshold {
            c = c.cross_threshold(v);
        }
        if let Some(v) = num_hashes {
            c = c.num_hashes(v);
        }
        if let Some(v) = candidate_threshold {
            c = c.candidate_threshold(v);
        }
        let inner = RsDetector::builder().corpus(c).build().map_err(err)?;
        Ok(PyDetector { inner })
    }

    /// Analyses `text` (with its `title` as the headline, when given), adds it under `id` and
    /// returns its matches among earlier documents, strongest first. `published`
    /// (`YYYY-MM-DD`, or a timestamp opening with one) leaves out documents published more
    /// than `max_days` from it (see `set_published`). Raises `LintasError` when `id` was added
    /// before or `published` is not a date.
    #[pyo3(signature = (id, text, *, title=None, published=None))]
    fn add(
        &mut self,
        py: Python<'_>,
        id: &str,
        text: &str,
        title: Option<&str>,
        published: Option<&str>,
    ) -> PyResult<Vec<PyMatch>> {
        let published = date_of(published)?;
        let (id, text, title): (Arc<str>, String, Option<String>) =
            (id.into(), text.to_owned(), title.map(str::to_owned));
        let inner = &mut self.inner;
        py.detach(|| inner.add_article_dated(id, title.as_deref(), &text, published))
            .map(wrap)
            .map_err(err)
    }

    /// Sets (or with `None` clears) a held document's publication date: a pair of two dated
    /// documents published more than `max_days` apart is not reported. `KeyError` when `id`
    /// is not held; `LintasError` when `published` is not a date.
    #[pyo3(signature = (id, published))]
    fn set_published(&mut self, id: &str, published: Option<&str>) -> PyResult<()> {
        let date = date_of(published)?;
        if !self.inner.corpus().contains(id) {
            return Err(pyo3::exceptions::PyKeyError::new_err(id.to_owned()));
        }
        self.inner.set_published(id, date).map_err(err)
    }

    /// Adds documents without matching them (as `dedup` does): analysed in parallel without
    /// the GIL, added in the order given. `titles` (each `None` or a headline) and
    /// `published` (each `None` or a date, as `add` reads it) are optional. Call `pairs()`
    /// when the corpus is complete. Nothing is added when an id is held already or given
    /// twice, or a date does not read (`LintasError`).
    #[pyo3(signature = (ids, texts, titles=None, *, published=None, threads=0))]
    fn add_many(
        &mut self,
        py: Python<'_>,
        ids: Vec<String>,
        texts: Vec<Bound<'_, PyString>>,
        titles: Option<Vec<Option<Bound<'_, PyString>>>>,
        published: Option<Vec<Option<String>>>,
        threads: usize,
    ) -> PyResult<()> {
        let texts = texts_of(&texts)?;
        let titles = match &titles {
            Some(t) => optional_texts_of(t)?,
            None => vec![None; texts.len()],
        };
        let n_dates = published.as_ref().map_or(ids.len(), Vec::len);
        same_lengths(&[
            ("ids", ids.len()),
            ("texts", texts.len()),
            ("titles", titles.len()),
            ("published", n_dates),
        ])?;
        let dates = dates_of(published, ids.len())?;
        let inner = &mut self.inner;
        py.detach(|| {
            let analyses = in_pool(threads, || {
                let a = inner.analyzer();
                texts
                    .par_iter()
                    .zip(&titles)
                    .map(|(t, h)| a.analyze_article(h.as_deref(), t))
                    .collect::<Vec<_>>()
            })?;
            inner
                .push_analyzed_many(
                    ids.iter()
                        .zip(&analyses)
                        .map(|(i, a)| (i.as_str().into(), a)),
                )
                .map_err(err)?;
            for (id, d) in ids.iter().zip(&dates) {
                if d.is_some() {
                    inner.set_published(id, *d).map_err(err)?;
                }
            }
            Ok(())
        })
    }

    /// Matches of `text` against the documents added so far, without adding it; in each, `a` is
    /// the held document and `b` is `""` (the query has no id).
    fn query(&self, py: Python<'_>, text: &str) -> Vec<PyMatch> {
        let text = text.to_owned();
        let inner = &self.inner;
        wrap(py.detach(|| inner.query(&text)))
    }

    /// Every flagged pair among the documents added, strongest first (scored with the final
    /// document frequencies).
    fn pairs(&self, py: Python<'_>) -> Vec<PyMatch> {
        let inner = &self.inner;
        wrap(py.detach(|| inner.pairs()))
    }

    /// Groups of document ids about one event, from pairs already computed (e.g. by
    /// `pairs()`); each group and the list of groups in a stable order.
    fn clusters(&self, pairs: Vec<PyRef<'_, PyMatch>>) -> Vec<Vec<String>> {
        cluster_ids(&pairs)
    }

    /// The pair `a`, `b` scored as `pairs()` scores it (the current document frequencies),
    /// whether or not it is flagged or a candidate: its `score` against its `threshold`, its
    /// `evidence` and `contributions`, to see why two documents are or are not a match.
    /// `None` when either document has no features; `KeyError` when either id is not held.
    fn score_pair(&self, py: Python<'_>, a: &str, b: &str) -> PyResult<Option<PyMatch>> {
        let corpus = self.inner.corpus();
        for id in [a, b] {
            if !corpus.contains(id) {
                return Err(pyo3::exceptions::PyKeyError::new_err(id.to_owned()));
            }
        }
        let (a, b) = (a.to_owned(), b.to_owned());
        Ok(py
            .detach(|| corpus.score_pair(&a, &b))
            .map(|inner| PyMatch { inner }))
    }

    /// Whether a document of this id is held.
    fn __contains__(&self, id: &str) -> bool {
        self.inner.corpus().contains(id)
    }

    fn __len__(&self) -> usize {
        self.inner.corpus().len()
    }

    fn __repr__(&self) -> String {
        format!("Detector(<{} documents>)", self.inner.corpus().len())
    }
}

/// Groups of document ids about one event, from flagged pairs.
#[pyfunction]
fn clusters(pairs: Vec<PyRef<'_, PyMatch>>) -> Vec<Vec<String>> {
    cluster_ids(&pairs)
}

/// Groups of document ids about one event from flagged pairs given as columns: `a[i]` paired
/// with `b[i]` at `score[i]`, in any order (the groups are the same for every order: taken
/// strongest first by the 4-decimal score, ties by ids). `clusters` for pairs an engine
/// computed or a file holds.
#[pyfunction]
fn cluster_pairs(a: Vec<String>, b: Vec<String>, score: Vec<f64>) -> PyResult<Vec<Vec<String>>> {
    same_lengths(&[("a", a.len()), ("b", b.len()), ("score", score.len())])?;
    Ok(lintas::clusters_of_pairs(
        a.into_iter()
            .zip(b)
            .zip(score)
            .map(|((x, y), s)| (Arc::from(x), Arc::from(y), s)),
    )
    .into_iter()
    .map(|c| c.iter().map(|id| id.to_string()).collect())
    .collect())
}

/// Detects the language of `text`: `(code, confidence)`, code an ISO 639-1 code such as `"en"`
/// or `"id"`, or `None` (confidence 0) when undetermined.
#[pyfunction]
fn detect_language(text: &str) -> (Option<&'static str>, f64) {
    let d = lintas::detect_language(text);
    (d.lang().map(|l| l.code()), d.confidence())
}

/// A publication date as every lintas path reads it (`YYYY-MM-DD`, alone or opening a
/// timestamp: `Date::parse`), as days since 1970-01-01 (negative before): the `published`
/// column of the engine recipes (`lintas.recipe.read_pool(date_field=…)`), where two dated
/// documents more than `max_days` apart are not a pair. Raises `LintasError` with the
/// reason when `text` is not such a date.
#[pyfunction]
fn parse_date(text: &str) -> PyResult<i32> {
    lintas::Date::parse(text)
        .map(lintas::Date::days_since_epoch)
        .map_err(err)
}

/// Runs `f` on a rayon pool of `threads` threads (0: rayon's global pool). Pools are made once
/// per thread count and kept: making one costs more than banding a thousand signatures.
fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> PyResult<T> {
    static POOLS: Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(Vec::new());
    if threads == 0 {
        return Ok(f());
    }
    let pool = {
        let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
        match pools.iter().find(|(n, _)| *n == threads) {
            Some((_, p)) => p.clone(),
            None => {
                let p = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .map(Arc::new)
                    .map_err(|e| LintasError::new_err(format!("thread pool: {e}")))?;
                pools.push((threads, p.clone()));
                p
            }
        }
    };
    Ok(pool.install(f))
}

/// The signature rows of `texts`: `u32::MAX` everywhere for a text with no features.
fn sign_texts(texts: &[Cow<'_, str>], hasher: &MinHasher) -> Vec<u32> {
    let k = hasher.num_hashes();
    let mut out = vec![u32::MAX; texts.len() * k];
    out.par_chunks_mut(k.max(1))
        .zip(texts.par_iter())
        .for_each(|(row, text)| {
            let a = analyzer().analyze(text);
            let sig = hasher.sketch(a.hashes());
            if !sig.is_empty() {
                row.copy_from_slice(sig.values());
            }
        });
    out
}

/// MinHash signatures of a batch of texts: a `numpy.ndarray` of `uint32`, shape
/// `(len(texts), num_hashes)`, row `i` the signature of `texts[i]`.
///
/// The same values as the Rust library's `MinHasher::builder().num_hashes(k).seed(seed)`
/// sketch of `Analyzer::new().analyze(text).hashes()` (scheme 1; stable across processes and
/// versions of the scheme). A text with no features (empty, only stopwords) gives a row of
/// `0xFFFFFFFF` (the minimum over nothing), which `band_keys` recognises. Texts are analysed
/// in parallel without the GIL; `threads=0` uses every core.
#[pyfunction]
#[pyo3(signature = (texts, num_hashes=128, *, seed=None, threads=0))]
fn signatures<'py>(
    py: Python<'py>,
    texts: Vec<Bound<'py, PyString>>,
    num_hashes: usize,
    seed: Option<u64>,
    threads: usize,
) -> PyResult<Bound<'py, PyArray2<u32>>> {
    let texts = texts_of(&texts)?;
    let mut b = MinHasher::builder().num_hashes(num_hashes);
    if let Some(s) = seed {
        b = b.seed(s);
    }
    let hasher = b.build().map_err(err)?;
    let n = texts.len();
    let flat = py.detach(|| in_pool(threads, || sign_texts(&texts, &hasher)))?;
    let arr = Array2::from_shape_vec((n, num_hashes), flat).expect("n × k values");
    Ok(arr.into_pyarray(py))
}

/// Band keys of signature rows (`k` values each, row-major), through `LshParams::band_keys`,
/// as `i64`.
fn keys_of(sigs: &[u32], k: usize, params: LshParams, template: &[u8]) -> lintas::Result<Vec<i64>> {
    let bands = params.bands();
    let n = sigs.len().checked_div(k).unwrap_or(0);
    let mut out = vec![0i64; n * bands];
    if bands == 0 || k == 0 {
        return Ok(out);
    }
    out.par_chunks_mut(bands)
        .zip(sigs.par_chunks(k))
        .with_min_len(64) // a row takes well under a microsecond: split no finer
        .try_for_each_init(
            || template.to_vec(),
            |buf, (dst, row)| -> lintas::Result<()> {
                if row.iter().all(|&v| v == u32::MAX) {
                    return Ok(()); // an empty document: no keys (left 0)
                }
                buf.resize(template.len() + 4 * row.len(), 0);
                for (d, v) in buf[template.len()..].chunks_exact_mut(4).zip(row) {
                    d.copy_from_slice(&v.to_le_bytes());
                }
                let sig = Signature::from_bytes(buf)?;
                for (d, key) in dst.iter_mut().zip(params.band_keys(&sig)?) {
                    *d = key as i64; // bit-cast: the same 64 bits
                }
                Ok(())
            },
        )?;
    Ok(out)
}

/// LSH band keys of signatures: a `numpy.ndarray` of `int64`, shape `(n, bands)`.
///
/// `signatures` is a 2-D `uint32` array as `lintas.signatures` gives (at least
/// `bands × rows` columns). Each key is the library's `u64` band key (`LshParams::band_keys`)
/// **bit-cast to `int64`**: engines without unsigned 64-bit integers (Spark `LongType`,
/// Parquet `INT64`, Arrow `int64`) carry it unchanged, and equality — all bucketing needs — is
/// the same; `keys.view(numpy.uint64)` gives the library's value back. Rows of an empty
/// document (all `0xFFFFFFFF`) get keys `0`: drop them before grouping (they match nothing).
#[pyfunction]
#[pyo3(signature = (signatures, bands=32, rows=4, *, threads=0))]
fn band_keys<'py>(
    py: Python<'py>,
    signatures: PyReadonlyArray2<'py, u32>,
    bands: usize,
    rows: usize,
    threads: usize,
) -> PyResult<Bound<'py, PyArray2<i64>>> {
    let params = LshParams::new(bands, rows).map_err(err)?;
    let view = signatures.as_array();
    let (n, k) = view.dim();
    let hasher = MinHasher::builder().num_hashes(k).build().map_err(err)?;
    // The stored form's header (format, scheme, construction, k, seed, cardinality) of a
    // signature with k values: each row's values follow it. Band keys read only the values.
    let header_len = {
        let probe = hasher.sketch(&[1]).to_bytes();
        probe.len() - 4 * k
    };
    let template = hasher.sketch(&[1]).to_bytes()[..header_len].to_vec();
    // Fewer columns than bands × rows is an error even for zero rows.
    params.band_keys(&hasher.sketch(&[1])).map_err(err)?;
    let owned: Vec<u32>;
    let flat_sigs: &[u32] = match signatures.as_slice() {
        Ok(s) => s,
        Err(_) => {
            owned = view.iter().copied().collect(); // not C-contiguous: one row-major copy
            &owned
        }
    };
    let flat = py
        .detach(|| in_pool(threads, || keys_of(flat_sigs, k, params, &template)))?
        .map_err(err)?;
    let arr = Array2::from_shape_vec((n, bands), flat).expect("n × bands keys");
    Ok(arr.into_pyarray(py))
}

/// The corpus settings of a verifier name (`None`: the default, combined) and a window of
/// publication days (`None`: none; see `lintas::CorpusBuilder::max_days_apart`).
fn corpus_settings(
    verifier: Option<&str>,
    max_days: Option<i64>,
) -> PyResult<lintas::CorpusBuilder> {
    let c = lintas::Corpus::builder();
    let c = match verifier {
        None | Some("combined") => c,
        Some("overlap") => c.verifier(lintas::Verifier::Overlap),
        Some("event") => c.verifier(lintas::Verifier::Event),
        Some(v) => {
            return Err(LintasError::new_err(format!(
                "verifier must be \"overlap\", \"event\" or \"combined\", got {v:?}"
            )))
        }
    };
    let days = max_days
        .map(|d| {
            u32::try_from(d).map_err(|_| {
                LintasError::new_err(format!(
                    "max_days must be a number of days from 0 to {} (or None: no window), got {d}",
                    u32::MAX
                ))
            })
        })
        .transpose()?;
    Ok(c.max_days_apart(days))
}

/// `LintasError` unless every named length is the first one's.
fn same_lengths(lens: &[(&str, usize)]) -> PyResult<()> {
    match lens.iter().find(|(_, n)| *n != lens[0].1) {
        None => Ok(()),
        Some((name, n)) => Err(LintasError::new_err(format!(
            "{name} has {n} items but {} has {}",
            lens[0].0, lens[0].1
        ))),
    }
}

/// The bytes of a list of `bytes` objects, borrowed (read without the GIL).
fn byte_slices<'a>(items: &'a [Bound<'_, PyBytes>]) -> Vec<&'a [u8]> {
    items.iter().map(|b| b.as_bytes()).collect()
}

// In the limited API only from Python 3.10, but exported by CPython since 3.3 (the wheel is
// abi3 for 3.9, where pyo3's `ffi` leaves it out): the string's own UTF-8, no copy.
#[cfg(not(windows))]
extern "C" {
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut pyo3::ffi::PyObject,
        size: *mut pyo3::ffi::Py_ssize_t,
    ) -> *const std::os::raw::c_char;
}

/// The text of a `str`, borrowed for as long as `s` (read without the GIL, like `bytes`).
///
/// pyo3's `String` extraction under the abi3-py39 API encodes every `str` into a new `bytes`
/// object and copies that into a `String`: two copies of every text, made one after another
/// with the GIL held before any parallel work starts (1.4–4.5 ms of dev-en-id's 2.6 MB, next to
/// ~35 ms of analysis on 2 threads). `PyUnicode_AsUTF8AndSize` returns the string's own UTF-8:
/// an ASCII `str`'s data itself, else an encoding CPython makes once and keeps with the object
/// (freed with it, and a `str` never changes). A `str` that is not valid UTF-8 (a lone
/// surrogate) raises `UnicodeEncodeError`, as the `String` extraction did.
fn text_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    #[cfg(not(windows))]
    {
        let mut size: pyo3::ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` (a strong reference held for 'a); the buffer returned is
        // owned by it, immutable, and freed only when the object is, so it outlives 'a.
        let data = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
        if data.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        let len = usize::try_from(size).expect("a non-negative size");
        // SAFETY: CPython's UTF-8 form of a `str`: `len` bytes of valid UTF-8 at `data`.
        let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) };
        Ok(Cow::Borrowed(unsafe {
            std::str::from_utf8_unchecked(bytes)
        }))
    }
    #[cfg(windows)]
    {
        // python3.dll of 3.9 does not export the function: copy, as pyo3 does.
        s.to_cow()
    }
}

/// The texts of a list of `str` (`text_of` each).
fn texts_of<'a>(items: &'a [Bound<'_, PyString>]) -> PyResult<Vec<Cow<'a, str>>> {
    items.iter().map(text_of).collect()
}

/// The texts of a list of `str` or `None` (`text_of` each).
fn optional_texts_of<'a>(
    items: &'a [Option<Bound<'_, PyString>>],
) -> PyResult<Vec<Option<Cow<'a, str>>>> {
    items
        .iter()
        .map(|s| s.as_ref().map(text_of).transpose())
        .collect()
}

/// Decodes fingerprints in parallel; the first malformed one is the error, naming its index.
fn decode_all(items: &[&[u8]]) -> PyResult<Vec<Fingerprint>> {
    items
        .par_iter()
        .enumerate()
        .map(|(i, b)| {
            Fingerprint::from_bytes(b)
                .map_err(|e| LintasError::new_err(format!("fingerprint {i}: {e}")))
        })
        .collect()
}

/// Mergeable global document frequencies (`lintas::Frequencies`): in how many documents
/// (copy groups counted once) each feature occurs. Every score reads them, which is what
/// makes an engine's scores equal to `dedup`'s.
///
/// Build one part per partition with `Frequencies.build(fingerprints)` (pass each copy
/// group's representative only), `merge` the parts, then broadcast `to_bytes()`; decode it
/// once per worker process (`Frequencies.from_bytes`, or `lintas.recipe.cached_frequencies`)
/// and pass the object to `Engine.keys` / `Engine.verify`. Pickles through its bytes.
#[pyclass(module = "lintas", name = "Frequencies")]
#[derive(Clone)]
struct PyFrequencies {
    inner: RsFrequencies,
}

#[pymethods]
impl PyFrequencies {
    /// An empty table (no document).
    #[new]
    fn new() -> Self {
        PyFrequencies {
            inner: RsFrequencies::new(),
        }
    }

    /// A table counting each of `fingerprints` (bytes from `Engine.fingerprints`) once. Raises
    /// `LintasError` on malformed bytes.
    #[staticmethod]
    #[pyo3(signature = (fingerprints, *, threads=0))]
    fn build(
        py: Python<'_>,
        fingerprints: Vec<Bound<'_, PyBytes>>,
        threads: usize,
    ) -> PyResult<Self> {
        let items = byte_slices(&fingerprints);
        let inner = py.detach(|| -> PyResult<RsFrequencies> {
            // Partial tables of chunks on every core (labels never made), then merged.
            const CHUNK: usize = 1024;
            let parts: Vec<RsFrequencies> = in_pool(threads, || {
                items
                    .par_chunks(CHUNK)
                    .enumerate()
                    .map(|(c, chunk)| {
                        let mut f = RsFrequencies::new();
                        for (j, b) in chunk.iter().enumerate() {
                            f.add_bytes(b).map_err(|e| {
                                LintasError::new_err(format!("fingerprint {}: {e}", c * CHUNK + j))
                            })?;
                        }
                        Ok(f)
                    })
                    .collect::<PyResult<_>>()
            })??;
            let mut f = RsFrequencies::new();
            parts.iter().for_each(|p| f.merge(p));
            Ok(f)
        })?;
        Ok(PyFrequencies { inner })
    }

    /// Adds another part's counts to this one (in place; parts merge in any order).
    fn merge(&mut self, py: Python<'_>, other: &Self) {
        let (inner, other) = (&mut self.inner, &other.inner);
        py.detach(|| inner.merge(other));
    }

    /// The table in its compact, checksummed binary form (magic `LNTD`, format version 2:
    /// documents, documents by language, then the frequencies).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let inner = &self.inner;
        let b = py.detach(|| inner.to_bytes());
        PyBytes::new(py, &b)
    }

    /// Decodes `to_bytes`; `LintasError` when the bytes are cut, changed or of another version.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        let inner = py.detach(|| RsFrequencies::from_bytes(data)).map_err(err)?;
        Ok(PyFrequencies { inner })
    }

    /// Documents counted.
    #[getter]
    fn documents(&self) -> u64 {
        self.inner.documents()
    }

    /// Distinct features counted.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let ctor = slf.get_type().getattr("from_bytes")?;
        Ok((ctor, (slf.borrow().to_bytes(slf.py()),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Frequencies(documents={}, features={})",
            self.inner.documents(),
            self.inner.len()
        )
    }
}

/// The pair search as separate steps for a data engine (Spark, Ray, Dask…) that does the
/// shuffle (`lintas::Engine`); it gets exactly `dedup`'s pairs and scores. See
/// `lintas.recipe` for the steps and a reference run.
///
/// `Engine(verifier="combined")` has `dedup`'s default corpus settings (`"overlap"`,
/// `"event"`: those of `dedup --verifier overlap|event`). Picklable (rebuilt from its
/// verifier).
#[pyclass(module = "lintas", frozen, name = "Engine")]
struct PyEngine {
    inner: RsEngine,
    verifier: String,
}

impl PyEngine {
    fn verify_with<'a>(
        &self,
        py: Python<'_>,
        a: &'a [Bound<'_, PyBytes>],
        b: &'a [Bound<'_, PyBytes>],
        freq: &PyFrequencies,
        threads: usize,
        flagged_only: bool,
    ) -> PyResult<Vec<Option<PyMatch>>> {
        same_lengths(&[("a", a.len()), ("b", b.len())])?;
        let (xa, xb) = (byte_slices(a), byte_slices(b));
        let (engine, freq) = (&self.inner, &freq.inner);
        let out = py.detach(|| {
            in_pool(threads, || -> PyResult<Vec<Option<RsMatch>>> {
                // A document is in many candidate pairs: decode each distinct fingerprint
                // once (equal bytes, found by their checksum, then compared in full).
                let mut slot: HashMap<(usize, [u8; 8]), usize> = HashMap::new();
                let mut distinct: Vec<&[u8]> = Vec::new();
                let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(xa.len());
                for (x, y) in xa.iter().zip(&xb) {
                    let mut at = |b: &'a [u8]| -> usize {
                        let tail: [u8; 8] = b
                            .len()
                            .checked_sub(8)
                            .map_or([0; 8], |s| b[s..].try_into().expect("8 bytes"));
                        match slot.get(&(b.len(), tail)) {
                            Some(&i) if distinct[i] == b => i,
                            _ => {
                                distinct.push(b);
                                slot.insert((b.len(), tail), distinct.len() - 1);
                                distinct.len() - 1
                            }
                        }
                    };
                    pairs.push((at(x), at(y)));
                }
                let fps: Vec<Fingerprint> = distinct
                    .par_iter()
                    .map(|b| Fingerprint::from_bytes(b).map_err(err))
                    .collect::<PyResult<_>>()?;
                if flagged_only {
                    // Each document's frequencies looked up once, the pairs on every core.
                    return Ok(engine.verify_many(&fps, &pairs, freq));
                }
                Ok(pairs
                    .par_iter()
                    .with_min_len(16)
                    .map(|&(x, y)| engine.score(&fps[x], &fps[y], freq))
                    .collect())
            })
        })??;
        Ok(out
            .into_iter()
            .map(|m| m.map(|inner| PyMatch { inner }))
            .collect())
    }
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (verifier="combined"))]
    fn new(verifier: &str) -> PyResult<Self> {
        // The engine holds no dates (`recipe.within_days` applies the window to its pairs).
        let settings = corpus_settings(Some(verifier), Some(DEFAULT_MAX_DAYS))?;
        let inner = RsEngine::new(settings).map_err(err)?;
        Ok(PyEngine {
            inner,
            verifier: verifier.to_string(),
        })
    }

    /// The verifier: `"combined"`, `"overlap"` or `"event"`.
    #[getter]
    fn verifier(&self) -> &str {
        &self.verifier
    }

    /// LSH bands (band keys have sources `0..bands`).
    #[getter]
    fn bands(&self) -> usize {
        self.inner.lsh_params().bands()
    }

    /// Fingerprints of documents (`bytes` each, for a binary column): analysed exactly as
    /// `dedup` analyses a JSONL line (`title` as the headline, language detected), in
    /// parallel without the GIL (`threads=0`: every core). `titles` items may be `None`.
    #[pyo3(signature = (ids, titles, texts, *, threads=0))]
    fn fingerprints<'py>(
        &self,
        py: Python<'py>,
        ids: Vec<Bound<'py, PyString>>,
        titles: Vec<Option<Bound<'py, PyString>>>,
        texts: Vec<Bound<'py, PyString>>,
        threads: usize,
    ) -> PyResult<Vec<Bound<'py, PyBytes>>> {
        same_lengths(&[
            ("ids", ids.len()),
            ("titles", titles.len()),
            ("texts", texts.len()),
        ])?;
        let (ids, titles, texts) = (
            texts_of(&ids)?,
            optional_texts_of(&titles)?,
            texts_of(&texts)?,
        );
        let engine = &self.inner;
        let out: Vec<Vec<u8>> = py.detach(|| {
            in_pool(threads, || {
                ids.par_iter()
                    .zip(&titles)
                    .zip(&texts)
                    .map(|((id, title), text)| {
                        let a = analyzer().analyze_article(title.as_deref(), text);
                        engine
                            .fingerprint(&**id, a.detection().lang(), a.features())
                            .to_bytes()
                    })
                    .collect()
            })
        })?;
        Ok(out.iter().map(|b| PyBytes::new(py, b)).collect())
    }

    /// The copy-group key of each fingerprint, as `int64` (the library's `u64` bit-cast):
    /// equal non-zero keys are near-exact copies; 0 is a group of its own.
    #[pyo3(signature = (fingerprints, *, threads=0))]
    fn copy_keys<'py>(
        &self,
        py: Python<'py>,
        fingerprints: Vec<Bound<'py, PyBytes>>,
        threads: usize,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let items = byte_slices(&fingerprints);
        let keys = py.detach(|| -> PyResult<Vec<i64>> {
            let fps = in_pool(threads, || decode_all(&items))??;
            Ok(fps.iter().map(|f| f.copy_key() as i64).collect())
        })?;
        Ok(keys.into_pyarray(py))
    }

    /// The ids of fingerprints (as given to `fingerprints`).
    fn ids(&self, py: Python<'_>, fingerprints: Vec<Bound<'_, PyBytes>>) -> PyResult<Vec<String>> {
        let items = byte_slices(&fingerprints);
        let fps = py.detach(|| decode_all(&items))?;
        Ok(fps.iter().map(|f| f.id().to_string()).collect())
    }

    /// The candidate keys of fingerprints as three flat arrays of one row per key: `doc`
    /// (`int64`, index into `fingerprints`), `source` (`int32`: the band number for a band
    /// key, -1 rare feature, -2 headline/lead feature) and `key` (`int64`, the `u64` bit-cast).
    /// Self-join the rows on `(source, key)`; count each pair's shared keys by column and
    /// decide with `is_candidate`.
    #[pyo3(signature = (fingerprints, freq, *, threads=0))]
    #[allow(clippy::type_complexity)]
    fn keys<'py>(
        &self,
        py: Python<'py>,
        fingerprints: Vec<Bound<'py, PyBytes>>,
        freq: &PyFrequencies,
        threads: usize,
    ) -> PyResult<(
        Bound<'py, PyArray1<i64>>,
        Bound<'py, PyArray1<i32>>,
        Bound<'py, PyArray1<i64>>,
    )> {
        let items = byte_slices(&fingerprints);
        let (engine, freq) = (&self.inner, &freq.inner);
        let (doc, source, key) = py.detach(|| -> PyResult<(Vec<i64>, Vec<i32>, Vec<i64>)> {
            let per_doc: Vec<Vec<lintas::Key>> = in_pool(threads, || {
                items
                    .par_iter()
                    .enumerate()
                    .map(|(i, b)| {
                        // Read from the bytes without making the labels.
                        engine
                            .keys_of_bytes(b, freq)
                            .map_err(|e| LintasError::new_err(format!("fingerprint {i}: {e}")))
                    })
                    .collect::<PyResult<_>>()
            })??;
            let n: usize = per_doc.iter().map(Vec::len).sum();
            let (mut doc, mut source, mut key) = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            for (i, ks) in per_doc.iter().enumerate() {
                for k in ks {
                    doc.push(i as i64);
                    source.push(k.source.code());
                    key.push(k.key as i64);
                }
            }
            Ok((doc, source, key))
        })?;
        Ok((
            doc.into_pyarray(py),
            source.into_pyarray(py),
            key.into_pyarray(py),
        ))
    }

    /// The candidate rule, element by element over equal-length integer arrays: whether a
    /// pair sharing `bands` band keys, `rare` rare keys and `lead` headline/lead keys is a
    /// candidate (any band, or enough rare or lead keys). A `bool` array.
    fn is_candidate<'py>(
        &self,
        py: Python<'py>,
        bands: &Bound<'py, PyAny>,
        rare: &Bound<'py, PyAny>,
        lead: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<bool>>> {
        let np = py.import("numpy")?;
        let as_i64 = |x: &Bound<'py, PyAny>| -> PyResult<PyReadonlyArray1<'py, i64>> {
            np.call_method1("ascontiguousarray", (x, "int64"))?
                .extract::<PyReadonlyArray1<'py, i64>>()
        };
        let (b, r, l) = (as_i64(bands)?, as_i64(rare)?, as_i64(lead)?);
        let (b, r, l) = (b.as_slice()?, r.as_slice()?, l.as_slice()?);
        same_lengths(&[("bands", b.len()), ("rare", r.len()), ("lead", l.len())])?;
        let n = |x: i64| usize::try_from(x).unwrap_or(0);
        let engine = &self.inner;
        let out: Vec<bool> = b
            .iter()
            .zip(r)
            .zip(l)
            .map(|((&b, &r), &l)| engine.is_candidate(n(b), n(r), n(l)))
            .collect();
        Ok(out.into_pyarray(py))
    }

    /// Verifies candidate pairs, `a[i]` with `b[i]` (`a` the earlier document in input
    /// order), scored with the global frequencies: a `Match` for a flagged pair, `None`
    /// otherwise. Without the GIL, in parallel. `LintasError` on malformed bytes.
    #[pyo3(signature = (a, b, freq, *, threads=0))]
    fn verify(
        &self,
        py: Python<'_>,
        a: Vec<Bound<'_, PyBytes>>,
        b: Vec<Bound<'_, PyBytes>>,
        freq: &PyFrequencies,
        threads: usize,
    ) -> PyResult<Vec<Option<PyMatch>>> {
        self.verify_with(py, &a, &b, freq, threads, true)
    }

    /// Like `verify`, but a `Match` for every pair, flagged or not (`None` only when a
    /// document is empty or the signatures are incompatible).
    #[pyo3(signature = (a, b, freq, *, threads=0))]
    fn score(
        &self,
        py: Python<'_>,
        a: Vec<Bound<'_, PyBytes>>,
        b: Vec<Bound<'_, PyBytes>>,
        freq: &PyFrequencies,
        threads: usize,
    ) -> PyResult<Vec<Option<PyMatch>>> {
        self.verify_with(py, &a, &b, freq, threads, false)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().into_any(), (slf.get().verifier.clone(),)))
    }

    fn __repr__(&self) -> String {
        format!("Engine(verifier={:?})", self.verifier)
    }
}

/// lintas: cross-language near-duplicate detection for news.
#[pymodule]
fn _lintas(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("LintasError", m.py().get_type::<LintasError>())?;
    m.add_class::<PyDetector>()?;
    m.add_class::<PyMatch>()?;
    m.add_class::<index::PyIndex>()?;
    m.add_class::<PyEngine>()?;
    m.add_class::<PyFrequencies>()?;
    m.add_function(wrap_pyfunction!(signatures, m)?)?;
    m.add_function(wrap_pyfunction!(band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(detect_language, m)?)?;
    m.add_function(wrap_pyfunction!(clusters, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(parse_date, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
