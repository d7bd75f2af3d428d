//! `lintas.Index`: the persistent index (`lintas::Index`) from Python — open or create a
//! directory, add a day's batch and get its matches against everything indexed before, query,
//! delete, expire, save, compact.

use crate::{corpus_settings, err, wrap, LintasError, PyMatch};
use lintas::{Analyzer, Document, Index as RsIndex, IndexOptions};
use pyo3::prelude::*;
use std::sync::Arc;

/// A corpus that outlives the process: a directory of checksummed, append-only segments.
#[pyclass(module = "lintas", name = "Index")]
pub(crate) struct PyIndex {
    /// `None` once closed.
    inner: Option<RsIndex>,
}

impl PyIndex {
    fn get(&self) -> PyResult<&RsIndex> {
        self.inner
            .as_ref()
            .ok_or_else(|| LintasError::new_err("the index is closed"))
    }

    fn get_mut(&mut self) -> PyResult<&mut RsIndex> {
        self.inner
            .as_mut()
            .ok_or_else(|| LintasError::new_err("the index is closed"))
    }
}

#[pymethods]
impl PyIndex {
    /// Opens the index in `path` as its writer (taking its lock), creating it when the
    /// directory holds none. `verifier`, `max_days` (two dated documents published more
    /// than this many days apart are not a pair; `None`: no window; default 3) and
    /// `keep_texts` are the settings of a new index and must match those of an existing one.
    /// With `read_only=True` the index is opened without the lock, as of its last save, with
    /// the settings it was created with, and every change raises `LintasError`.
    #[new]
    // The text signature spells max_days's default (pyo3 would write `...` for `Some(3)`).
    #[pyo3(
        signature = (path, *, verifier=None, keep_texts=false, read_only=false, max_days=Some(crate::DEFAULT_MAX_DAYS)),
        text_signature = "(path, *, verifier=None, keep_texts=False, read_only=False, max_days=3)"
    )]
    fn new(
        py: Python<'_>,
        path: std::path::PathBuf,
        verifier: Option<&str>,
        keep_texts: bool,
        read_only: bool,
        max_days: Option<i64>,
    ) -> PyResult<Self> {
        let corpus = corpus_settings(verifier, max_days)?;
        let inner = py
            .detach(|| {
                let analyzer = Arc::new(Analyzer::new());
                if read_only {
                    RsIndex::open_read_only(&path, analyzer)
                } else {
                    let options = IndexOptions::new()
                        .analyzer(analyzer)
                        .corpus(corpus)
                        .keep_texts(keep_texts);
                    RsIndex::open_or_create(&path, options)
                }
            })
            .map_err(err)?;
        Ok(PyIndex { inner: Some(inner) })
    }

    /// Analyses and adds a batch: `ids` and `texts` (and `titles`, when given, one per
    /// document, `None` for none), in parallel. Returns the batch's matches against every
    /// document indexed before and among itself. Nothing is written until `save()`. Raises
    /// `LintasError` for an id already indexed or repeated, or a date that does not read (the
    /// index is then unchanged). `published` (one per document, `None` for none; as
    /// `Detector.add` reads it) is stored with the documents: a pair of two dated documents
    /// published more than the index's `max_days` apart is not reported.
    #[pyo3(signature = (ids, texts, titles=None, *, published=None))]
    fn add(
        &mut self,
        py: Python<'_>,
        ids: Vec<String>,
        texts: Vec<String>,
        titles: Option<Vec<Option<String>>>,
        published: Option<Vec<Option<String>>>,
    ) -> PyResult<Vec<PyMatch>> {
        if ids.len() != texts.len()
            || titles.as_ref().is_some_and(|t| t.len() != ids.len())
            || published.as_ref().is_some_and(|p| p.len() != ids.len())
        {
            return Err(LintasError::new_err(format!(
                "ids, texts, titles and published must have one entry per document ({} ids, {} texts{}{})",
                ids.len(),
                texts.len(),
                titles
                    .as_ref()
                    .map_or(String::new(), |t| format!(", {} titles", t.len())),
                published
                    .as_ref()
                    .map_or(String::new(), |p| format!(", {} dates", p.len()))
            )));
        }
        let n = ids.len();
        let titles = titles.unwrap_or_else(|| vec![None; n]);
        let dates = crate::dates_of(published, n)?;
        let docs: Vec<Document> = ids
            .into_iter()
            .zip(texts)
            .zip(titles)
            .zip(dates)
            .map(|(((id, text), title), date)| {
                let mut d = Document::new(id, text);
                d.title = title;
                d.published = date;
                d
            })
            .collect();
        let inner = self.get_mut()?;
        py.detach(|| inner.add_batch(docs)).map(wrap).map_err(err)
    }

    /// Matches of an article against the index, without adding it (`b` is `""`).
    #[pyo3(signature = (text, title=None))]
    fn query(&self, py: Python<'_>, text: &str, title: Option<&str>) -> PyResult<Vec<PyMatch>> {
        let inner = self.get()?;
        Ok(wrap(py.detach(|| inner.query(title, text))))
    }

    /// Deletes documents by id; returns how many were indexed (unknown ids are ignored).
    fn delete(&mut self, py: Python<'_>, ids: Vec<String>) -> PyResult<usize> {
        let inner = self.get_mut()?;
        py.detach(|| inner.delete(&ids)).map_err(err)
    }

    /// Deletes every document added before `unix_secs`; returns how many.
    fn expire_older_than(&mut self, py: Python<'_>, unix_secs: u64) -> PyResult<usize> {
        let inner = self.get_mut()?;
        py.detach(|| inner.expire_older_than(unix_secs))
            .map_err(err)
    }

    /// Writes what changed since the last save (new segments, tombstones, then the manifest;
    /// a crash at any point leaves the previous save intact).
    fn save(&mut self, py: Python<'_>) -> PyResult<()> {
        let inner = self.get_mut()?;
        py.detach(|| inner.save()).map_err(err)
    }

    /// Rewrites the index as one segment without its deleted documents (saves first).
    fn compact(&mut self, py: Python<'_>) -> PyResult<()> {
        let inner = self.get_mut()?;
        py.detach(|| inner.compact()).map_err(err)
    }

    /// Releases the index (and its writer's lock) without saving; later calls raise
    /// `LintasError`.
    fn close(&mut self) {
        self.inner = None;
    }

    /// The save count of the index on disk.
    #[getter]
    fn generation(&self) -> PyResult<u64> {
        Ok(self.get()?.generation())
    }

    /// Whether there are changes not saved yet.
    #[getter]
    fn has_unsaved_changes(&self) -> PyResult<bool> {
        Ok(self.get()?.has_unsaved_changes())
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.get()?.len())
    }

    fn __contains__(&self, id: &str) -> PyResult<bool> {
        Ok(self.get()?.contains(id))
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Leaving a `with` block closes the index without saving: call `save()` inside it.
    fn __exit__(
        &mut self,
        _ty: Option<Bound<'_, PyAny>>,
        _value: Option<Bound<'_, PyAny>>,
        _tb: Option<Bound<'_, PyAny>>,
    ) -> bool {
        self.close();
        false
    }

    fn __repr__(&self) -> String {
        match &self.inner {
            Some(i) => format!(
                "Index({:?}, <{} documents, generation {}>)",
                i.dir().display().to_string(),
                i.len(),
                i.generation()
            ),
            None => "Index(<closed>)".to_string(),
        }
    }
}
