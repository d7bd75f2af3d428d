//! Signatures, candidate keys and pairs as Parquet files (feature `parquet`), for DuckDB,
//! Polars, Spark or any engine that joins Parquet with built-in SQL and no lintas code.
//!
//! [`write_corpus`] writes a [`Corpus`]'s `signatures.parquet` and `keys.parquet`;
//! [`PairWriter`] streams its flagged pairs to `pairs.parquet` as they are found. An engine
//! that fingerprints documents itself ([`Engine`]) writes the same files with
//! [`SignatureWriter`] and [`KeyWriter`] and [`Metadata::of_engine`]. Rows go out in record
//! batches of [`BATCH_ROWS`]; nothing is held beyond one batch per file (and the row group
//! the Parquet writer is encoding).
//!
//! # Layout, format version 1 ([`FORMAT_VERSION`])
//!
//! **No unsigned integers on the wire**: Spark reads Parquet `UINT64` as `decimal(20,0)`, so
//! 64-bit hashes and keys are stored as `Int64`, bit-cast (`key as i64`; read back with
//! `as u64`). Equality, all a join needs, is unchanged. Signature values are `u32` stored
//! unchanged in `Int64` (never negative): the layout every engine already reads, and no
//! second bit-cast rule.
//!
//! `signatures.parquet`: one row per document, in input order.
//!
//! | column | type | meaning |
//! |---|---|---|
//! | `id` | Utf8 | the document's id (the user's) |
//! | `ord` | Int64 | input order from 0: the corpus's slot, [`Corpus::next_slot`] when added |
//! | `lang` | Utf8, nullable | language code (`en`, `id`, …), null when undetermined |
//! | `copy_key` | Int64 | copy-group key ([`Fingerprint::copy_key`]); 0 = a group of its own |
//! | `representative` | Boolean | the group's first document by `ord` (true when `copy_key` is 0) |
//! | `sig` | FixedSizeList<Int64, k>, nullable | the MinHash values (u32 each), k = `lintas.num_hashes`; null for an empty document |
//!
//! `keys.parquet`: the candidate keys of every representative ([`Corpus::keys`], the rows
//! [`Engine::keys`] gives with the whole input's [`Frequencies`]), by `ord` then as
//! [`Engine::keys`] orders them.
//!
//! | column | type | meaning |
//! |---|---|---|
//! | `source` | Int32 | [`KeySource::code`](crate::KeySource::code): LSH band 0‥bands−1, −1 rare feature, −2 headline/lead feature |
//! | `key` | Int64 | band bucket or feature hash (u64 bit-cast) |
//! | `id` | Utf8 | the representative's id |
//! | `ord` | Int64 | its input order |
//!
//! `pairs.parquet`: one row per flagged pair, as written (the later document's input order,
//! strongest first within it); `a` is the earlier document.
//!
//! | column | type | meaning |
//! |---|---|---|
//! | `a`, `b` | Utf8 | the ids |
//! | `score`, `threshold` | Float64 | the verifier's score and the threshold it reached |
//! | `cross_language` | Boolean | languages differ |
//! | `jaccard`, `containment`, `estimate`, `probability` | Float64 | as in [`Match`] |
//!
//! Every file's Parquet key-value metadata ([`Metadata`]) records: `lintas.format`
//! (`lintas-parquet`), `lintas.format_version`, `lintas.file` (`signatures`, `keys` or
//! `pairs`), `lintas.version`, `lintas.hash_scheme` ([`Signature::scheme`]),
//! `lintas.num_hashes`, `lintas.seed`, `lintas.weighted_sketch`, `lintas.bands`,
//! `lintas.rows`, `lintas.documents` (copy groups counted once: the count the caps read),
//! `lintas.min_shared_rare`, `lintas.max_rare_df`, `lintas.rare_cap`,
//! `lintas.min_shared_lead`, `lintas.max_lead_df`, `lintas.lead_cap`,
//! `lintas.collapse_copies`, `lintas.verifier`, `lintas.threshold`,
//! `lintas.cross_threshold`. A change to a column or to a meaning raises the format version.
//!
//! # The candidate join, in SQL
//!
//! Two representatives are a candidate pair when they share any band key, or at least
//! `lintas.min_shared_rare` rare keys, or at least `lintas.min_shared_lead` headline/lead keys
//! (a minimum of 0 turns the source off): [`Engine::is_candidate`]. In DuckDB, with the
//! minimums read from the file (`examples/parquet_join.py` runs this and checks it gives
//! exactly [`Corpus::candidate_pairs`]):
//!
//! ```sql
//! WITH meta AS (
//!   SELECT max(CASE WHEN decode(key) = 'lintas.min_shared_rare' THEN decode(value)::INT END) AS min_rare,
//!          max(CASE WHEN decode(key) = 'lintas.min_shared_lead' THEN decode(value)::INT END) AS min_lead
//!   FROM parquet_kv_metadata('run/keys.parquet')),
//! shared AS (
//!   SELECT x.id AS a, y.id AS b,
//!          count(*) FILTER (WHERE x.source >= 0) AS bands,
//!          count(*) FILTER (WHERE x.source = -1) AS rare,
//!          count(*) FILTER (WHERE x.source = -2) AS lead
//!   FROM 'run/keys.parquet' x JOIN 'run/keys.parquet' y
//!     ON x.source = y.source AND x.key = y.key AND x.ord < y.ord
//!   GROUP BY x.id, y.id)
//! SELECT a, b FROM shared, meta
//! WHERE bands > 0 OR (min_rare > 0 AND rare >= min_rare) OR (min_lead > 0 AND lead >= min_lead);
//! ```
//!
//! The pairs then go to verification ([`Engine::verify`], or the corpus itself); the
//! signatures join back by `id` for a MinHash estimate.
//!
//! # An old run against a new one
//!
//! "Dedup today's batch against last month's": the same join between two runs' keys files,
//! `old.source = new.source AND old.key = new.key`, counting shared keys per source. Check
//! first that both files have the same `lintas.format_version`, `lintas.hash_scheme`,
//! `lintas.num_hashes`, `lintas.seed`, `lintas.weighted_sketch`, `lintas.bands` and
//! `lintas.rows`, and that ids do not repeat across the runs.
//!
//! What this does and does not guarantee:
//!
//! * **Band keys** depend only on the document and those settings: an old and a new document
//!   share a band key exactly as they would in one run over both. The band part of the
//!   candidate rule is exact.
//! * **Rare and headline/lead keys** are the features whose document frequency *within each
//!   run* was at most that run's cap. A feature rare in both runs gives both documents the
//!   key; one common in either run (or whose combined frequency would pass the cap) is
//!   counted differently than in one run over both: the join can both miss and add rare-key
//!   candidates compared to deduplicating both batches together. Both files keep every key
//!   each run emitted, so the join is a superset of neither.
//! * Scores are not in the join: a run's `pairs.parquet` was scored with its own
//!   frequencies. For exactly the pairs of one run over both, run lintas over both (or keep
//!   a persistent [`Index`](crate::Index) and add the new batch to it).
//!
//! ```
//! use lintas::{parquet, Detector};
//! let mut d = Detector::new();
//! d.add("en-1", "Floods in Semarang killed eight people on Monday and forced 12,000 residents \
//!     from their homes, the disaster agency BNPB said.")?;
//! d.add("id-1", "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 \
//!     warga mengungsi, kata BNPB.")?;
//! let dir = std::env::temp_dir().join(format!("lintas-parquet-doc-{}", std::process::id()));
//! let written = parquet::write_corpus(d.corpus(), &dir)?;
//! assert_eq!(written.signatures, 2);
//! let mut pairs = parquet::PairWriter::create(dir.join(parquet::PAIRS_FILE),
//!     &parquet::Metadata::of_corpus(d.corpus()))?;
//! for m in d.pairs() {
//!     pairs.push(&m)?;
//! }
//! assert_eq!(pairs.finish()?, 1);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), lintas::Error>(())
//! ```

use crate::{Corpus, Engine, Error, Fingerprint, Frequencies, Key, Lang, Match, Result, Signature};
use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::Compression;
use ::parquet::file::metadata::KeyValue;
use ::parquet::file::properties::WriterProperties;
use arrow_array::builder::{
    BooleanBuilder, FixedSizeListBuilder, Float64Builder, Int32Builder, Int64Builder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, FieldRef, Schema, SchemaRef};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The layout's format version (`lintas.format_version`): raised by any change to a column
/// or its meaning.
pub const FORMAT_VERSION: u32 = 1;
/// Rows per record batch.
pub const BATCH_ROWS: usize = 8192;
/// Rows per Parquet row group (16 batches): what the writer holds while it encodes.
const ROW_GROUP_ROWS: usize = 16 * BATCH_ROWS;
/// The signatures file's name in a run's directory.
pub const SIGNATURES_FILE: &str = "signatures.parquet";
/// The keys file's name.
pub const KEYS_FILE: &str = "keys.parquet";
/// The pairs file's name.
pub const PAIRS_FILE: &str = "pairs.parquet";

/// The settings a file records in its Parquet key-value metadata (see the
/// [module documentation](self) for the keys).
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    entries: Vec<(String, String)>,
    num_hashes: usize,
}

impl Metadata {
    /// The settings of a corpus, with the caps of its document count (as its candidates and
    /// [`Corpus::keys`] read them).
    pub fn of_corpus(corpus: &Corpus) -> Metadata {
        Metadata::of(corpus, corpus.distinct_documents())
    }

    /// The settings of an engine, with the caps of the global frequencies `freq` (as
    /// [`Engine::keys`] reads them).
    pub fn of_engine(engine: &Engine, freq: &Frequencies) -> Metadata {
        Metadata::of(engine.corpus(), freq.documents())
    }

    fn of(c: &Corpus, documents: u64) -> Metadata {
        let s = c.settings();
        let p = c.lsh_params();
        let (rare_cap, lead_cap) = c.caps_for(documents);
        let verifier = match s.verifier {
            crate::Verifier::Overlap => "overlap",
            crate::Verifier::Event => "event",
            crate::Verifier::Combined => "combined",
        };
        let entries = [
            ("format", "lintas-parquet".to_string()),
            ("format_version", FORMAT_VERSION.to_string()),
            ("version", env!("CARGO_PKG_VERSION").to_string()),
            ("hash_scheme", crate::hash::SCHEME_VERSION.to_string()),
            ("num_hashes", s.num_hashes.to_string()),
            ("seed", c.sketch_seed().to_string()),
            ("weighted_sketch", s.weighted_sketch.to_string()),
            ("bands", p.bands().to_string()),
            ("rows", p.rows().to_string()),
            ("documents", documents.to_string()),
            ("min_shared_rare", s.min_shared_rare.to_string()),
            ("max_rare_df", s.max_rare_df.to_string()),
            ("rare_cap", rare_cap.to_string()),
            ("min_shared_lead", s.min_shared_lead.to_string()),
            ("max_lead_df", s.max_lead_df.to_string()),
            ("lead_cap", lead_cap.to_string()),
            ("collapse_copies", s.collapse_copies.to_string()),
            ("verifier", verifier.to_string()),
            ("threshold", s.threshold.to_string()),
            ("cross_threshold", s.cross_threshold.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (format!("lintas.{k}"), v))
        .collect();
        Metadata {
            entries,
            num_hashes: s.num_hashes,
        }
    }

    /// The value of a key (`lintas.bands`, …).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every `(key, value)`, in the order the files record them.
    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }
}

fn io_error(path: &Path, e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source: std::io::Error::other(e),
    }
}

/// A Parquet file being written: its schema, the writer, rows written.
struct Sink {
    path: PathBuf,
    schema: SchemaRef,
    writer: ArrowWriter<File>,
    rows: u64,
}

impl Sink {
    fn create(path: &Path, schema: SchemaRef, meta: &Metadata, file: &str) -> Result<Sink> {
        let f = File::create(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let mut kv: Vec<KeyValue> = meta
            .entries
            .iter()
            .map(|(k, v)| KeyValue::new(k.clone(), v.clone()))
            .collect();
        kv.insert(2, KeyValue::new("lintas.file".into(), file.to_string()));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_key_value_metadata(Some(kv))
            .build();
        let writer =
            ArrowWriter::try_new(f, schema.clone(), Some(props)).map_err(|e| io_error(path, e))?;
        Ok(Sink {
            path: path.to_path_buf(),
            schema,
            writer,
            rows: 0,
        })
    }

    fn write(&mut self, columns: Vec<ArrayRef>) -> Result<()> {
        let batch = RecordBatch::try_new(self.schema.clone(), columns)
            .map_err(|e| io_error(&self.path, e))?;
        self.rows += batch.num_rows() as u64;
        self.writer
            .write(&batch)
            .map_err(|e| io_error(&self.path, e))
    }

    fn close(self) -> Result<u64> {
        self.writer.close().map_err(|e| io_error(&self.path, e))?;
        Ok(self.rows)
    }
}

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn int64(name: &str) -> Field {
    Field::new(name, DataType::Int64, false)
}

fn sig_item() -> FieldRef {
    Arc::new(Field::new("item", DataType::Int64, false))
}

/// Streams `signatures.parquet` rows (see the [module documentation](self)).
pub struct SignatureWriter {
    sink: Sink,
    num_hashes: usize,
    id: StringBuilder,
    ord: Int64Builder,
    lang: StringBuilder,
    copy_key: Int64Builder,
    representative: BooleanBuilder,
    sig: FixedSizeListBuilder<Int64Builder>,
    pending: usize,
}

impl SignatureWriter {
    /// Creates (or truncates) the file at `path`, recording `meta`.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be created.
    pub fn create(path: impl AsRef<Path>, meta: &Metadata) -> Result<SignatureWriter> {
        let k = meta.num_hashes;
        let schema = Arc::new(Schema::new(vec![
            utf8("id", false),
            int64("ord"),
            utf8("lang", true),
            int64("copy_key"),
            Field::new("representative", DataType::Boolean, false),
            Field::new("sig", DataType::FixedSizeList(sig_item(), k as i32), true),
        ]));
        Ok(SignatureWriter {
            sink: Sink::create(path.as_ref(), schema, meta, "signatures")?,
            num_hashes: k,
            id: StringBuilder::new(),
            ord: Int64Builder::new(),
            lang: StringBuilder::new(),
            copy_key: Int64Builder::new(),
            representative: BooleanBuilder::new(),
            sig: FixedSizeListBuilder::new(Int64Builder::new(), k as i32).with_field(sig_item()),
            pending: 0,
        })
    }

    /// Adds a document's row: `signature` `None` or empty for an empty document (a null
    /// `sig`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the signature does not have the metadata's
    /// `num_hashes`; [`Error::Io`] when a batch cannot be written.
    pub fn push(
        &mut self,
        ord: u64,
        id: &str,
        lang: Option<Lang>,
        copy_key: u64,
        representative: bool,
        signature: Option<&Signature>,
    ) -> Result<()> {
        let sig = signature.filter(|s| !s.is_empty());
        if let Some(s) = sig {
            if s.num_hashes() != self.num_hashes {
                return Err(Error::invalid(
                    "num_hashes",
                    s.num_hashes(),
                    "differs from the file's lintas.num_hashes",
                ));
            }
        }
        self.id.append_value(id);
        self.ord.append_value(ord as i64);
        self.lang.append_option(lang.map(|l| l.code()));
        self.copy_key.append_value(copy_key as i64);
        self.representative.append_value(representative);
        match sig {
            Some(s) => {
                let v = self.sig.values();
                s.values()
                    .iter()
                    .for_each(|&x| v.append_value(i64::from(x)));
                self.sig.append(true);
            }
            None => {
                let v = self.sig.values();
                (0..self.num_hashes).for_each(|_| v.append_value(0));
                self.sig.append(false);
            }
        }
        self.pending += 1;
        if self.pending == BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Adds a fingerprinted document's row ([`Engine::fingerprint`]).
    ///
    /// # Errors
    /// As [`push`](Self::push).
    pub fn push_fingerprint(
        &mut self,
        ord: u64,
        fp: &Fingerprint,
        representative: bool,
    ) -> Result<()> {
        self.push(
            ord,
            fp.id(),
            fp.lang(),
            fp.copy_key(),
            representative,
            Some(fp.signature()),
        )
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        self.pending = 0;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.ord.finish()),
            Arc::new(self.lang.finish()),
            Arc::new(self.copy_key.finish()),
            Arc::new(self.representative.finish()),
            Arc::new(self.sig.finish()),
        ];
        self.sink.write(columns)
    }

    /// Writes the last batch and the footer; returns the rows written.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be written.
    pub fn finish(mut self) -> Result<u64> {
        self.flush()?;
        self.sink.close()
    }
}

/// Streams `keys.parquet` rows (see the [module documentation](self)).
pub struct KeyWriter {
    sink: Sink,
    source: Int32Builder,
    key: Int64Builder,
    id: StringBuilder,
    ord: Int64Builder,
    pending: usize,
}

impl KeyWriter {
    /// Creates (or truncates) the file at `path`, recording `meta`.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be created.
    pub fn create(path: impl AsRef<Path>, meta: &Metadata) -> Result<KeyWriter> {
        let schema = Arc::new(Schema::new(vec![
            Field::new("source", DataType::Int32, false),
            int64("key"),
            utf8("id", false),
            int64("ord"),
        ]));
        Ok(KeyWriter {
            sink: Sink::create(path.as_ref(), schema, meta, "keys")?,
            source: Int32Builder::new(),
            key: Int64Builder::new(),
            id: StringBuilder::new(),
            ord: Int64Builder::new(),
            pending: 0,
        })
    }

    /// Adds a representative's keys ([`Engine::keys`] or [`Corpus::keys`]), one row each.
    ///
    /// # Errors
    /// [`Error::Io`] when a batch cannot be written.
    pub fn push(&mut self, ord: u64, id: &str, keys: &[Key]) -> Result<()> {
        for k in keys {
            self.source.append_value(k.source.code());
            self.key.append_value(k.key as i64);
            self.id.append_value(id);
            self.ord.append_value(ord as i64);
            self.pending += 1;
            if self.pending == BATCH_ROWS {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        self.pending = 0;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.source.finish()),
            Arc::new(self.key.finish()),
            Arc::new(self.id.finish()),
            Arc::new(self.ord.finish()),
        ];
        self.sink.write(columns)
    }

    /// Writes the last batch and the footer; returns the rows written.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be written.
    pub fn finish(mut self) -> Result<u64> {
        self.flush()?;
        self.sink.close()
    }
}

/// Streams `pairs.parquet` rows (see the [module documentation](self)).
pub struct PairWriter {
    sink: Sink,
    a: StringBuilder,
    b: StringBuilder,
    score: Float64Builder,
    threshold: Float64Builder,
    cross_language: BooleanBuilder,
    jaccard: Float64Builder,
    containment: Float64Builder,
    estimate: Float64Builder,
    probability: Float64Builder,
    pending: usize,
}

impl PairWriter {
    /// Creates (or truncates) the file at `path`, recording `meta`.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be created.
    pub fn create(path: impl AsRef<Path>, meta: &Metadata) -> Result<PairWriter> {
        let f64s = |n: &str| Field::new(n, DataType::Float64, false);
        let schema = Arc::new(Schema::new(vec![
            utf8("a", false),
            utf8("b", false),
            f64s("score"),
            f64s("threshold"),
            Field::new("cross_language", DataType::Boolean, false),
            f64s("jaccard"),
            f64s("containment"),
            f64s("estimate"),
            f64s("probability"),
        ]));
        Ok(PairWriter {
            sink: Sink::create(path.as_ref(), schema, meta, "pairs")?,
            a: StringBuilder::new(),
            b: StringBuilder::new(),
            score: Float64Builder::new(),
            threshold: Float64Builder::new(),
            cross_language: BooleanBuilder::new(),
            jaccard: Float64Builder::new(),
            containment: Float64Builder::new(),
            estimate: Float64Builder::new(),
            probability: Float64Builder::new(),
            pending: 0,
        })
    }

    /// Adds a flagged pair.
    ///
    /// # Errors
    /// [`Error::Io`] when a batch cannot be written.
    pub fn push(&mut self, m: &Match) -> Result<()> {
        self.a.append_value(&m.a);
        self.b.append_value(&m.b);
        self.score.append_value(m.score);
        self.threshold.append_value(m.threshold);
        self.cross_language.append_value(m.cross_language);
        self.jaccard.append_value(m.jaccard);
        self.containment.append_value(m.containment);
        self.estimate.append_value(m.estimate);
        self.probability.append_value(m.probability);
        self.pending += 1;
        if self.pending == BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        self.pending = 0;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.a.finish()),
            Arc::new(self.b.finish()),
            Arc::new(self.score.finish()),
            Arc::new(self.threshold.finish()),
            Arc::new(self.cross_language.finish()),
            Arc::new(self.jaccard.finish()),
            Arc::new(self.containment.finish()),
            Arc::new(self.estimate.finish()),
            Arc::new(self.probability.finish()),
        ];
        self.sink.write(columns)
    }

    /// Writes the last batch and the footer; returns the rows written.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be written.
    pub fn finish(mut self) -> Result<u64> {
        self.flush()?;
        self.sink.close()
    }
}

/// Rows written by [`write_corpus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Rows of `signatures.parquet`: every held document.
    pub signatures: u64,
    /// Rows of `keys.parquet`: the representatives' keys.
    pub keys: u64,
}

/// Writes a corpus's [`SIGNATURES_FILE`] and [`KEYS_FILE`] into `dir` (created when missing),
/// streaming: one pass over the held documents per file, keys computed a document at a time.
/// With [`PairWriter`] for the pairs, what `dedup --parquet DIR` writes.
///
/// # Errors
/// [`Error::Io`] when the directory or a file cannot be written.
pub fn write_corpus(corpus: &Corpus, dir: impl AsRef<Path>) -> Result<Written> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(|e| Error::Io {
        path: dir.display().to_string(),
        source: e,
    })?;
    let meta = Metadata::of_corpus(corpus);
    let mut sigs = SignatureWriter::create(dir.join(SIGNATURES_FILE), &meta)?;
    for r in corpus.held_rows(false) {
        sigs.push(
            u64::from(r.ord),
            r.id,
            r.lang,
            r.copy_key,
            r.representative,
            r.signature,
        )?;
    }
    let signatures = sigs.finish()?;
    let mut keys = KeyWriter::create(dir.join(KEYS_FILE), &meta)?;
    for r in corpus.held_rows(true).filter(|r| r.representative) {
        keys.push(u64::from(r.ord), r.id, &r.keys)?;
    }
    Ok(Written {
        signatures,
        keys: keys.finish()?,
    })
}
