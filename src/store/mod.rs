//! The persistent index: a corpus that outlives the process (issue 12).
//!
//! An [`Index`] is a directory holding every indexed document's features exactly as the
//! analyser gave them (and, derived from them, the corpus's own encoding of each batch).
//! Opening it rebuilds the in-memory [`Corpus`] in the order the documents were added — by
//! restoring the stored corpus parts and replaying deletions where they happened, else
//! through [`Corpus::add_many`] from the features — without analysing any text again, so a
//! reopened index gives exactly the answers of one process that added the same documents.
//! Only this module and [`Detector`](crate::Detector) see both text and sketches.
//!
//! # Files
//!
//! ```text
//! DIR/MANIFEST          which segments make up the index, tombstones, settings, fingerprint
//! DIR/seg-000001.lseg   a segment: one saved batch of documents, never changed once written
//! DIR/LOCK              a writer holds an exclusive lock on it (readers do not)
//! DIR/*.tmp             a file being written; left behind only by a killed writer
//! ```
//!
//! Every file is a 32-byte header and a body, little-endian:
//!
//! ```text
//! 0   8  magic           "LNTSMANI" (MANIFEST) or "LNTSSEGM" (segment)
//! 8   4  format version  u32, 2 (1: before the event verifier's lists)
//! 12  4  flags           u32, 0
//! 16  8  body length     u64
//! 24  8  checksum        XXH3-64, seed "lintas-s" (as a little-endian u64), of bytes 8..24
//!                        followed by the body
//! 32     body
//! ```
//!
//! In the bodies, `var` is an unsigned LEB128 varint and a string is a `var` length and
//! UTF-8 bytes. The `MANIFEST` body:
//!
//! ```text
//! u64 generation        one more at every save
//! u64 fingerprint       Analyzer::fingerprint of the analysis the features came from
//! u8  flags             bit 0: keep_texts
//! u64 created_at        unix seconds
//! var n, then n × (name, value)   corpus settings as strings, one per CorpusBuilder field
//! u64 next_segment      number of the next segment file
//! var n, then n × segment, in order:
//!     u64 number        its file is seg-<number, 6 digits or more>.lseg
//!     var documents
//!     u64 file length   bytes, header included
//!     u64 checksum      the checksum in the segment's header
//!     var k, then k × (var, var)   tombstones: the index of a deleted document
//!                           (increasing: the first as is, each next one as the gap from
//!                           the one before) and its epoch, the number of segments the
//!                           index had (saved or not) when it was deleted
//! ```
//!
//! A segment body is tagged sections (4-byte tag, `u64` length, payload) in this order:
//!
//! ```text
//! FEAT  var n; n × (u64 hash, u8 kind tag 'A' 'C' 'P' 'L', string label): the segment's
//!       distinct features
//! DOCS  var n; n × (string id, string language code or "", u64 time added (unix seconds),
//!       var m, m × (var FEAT index, u8 position 0 headline 1 lead 2 body, var count))
//! TEXT  only with keep_texts: var n; n × (u8 flags: bit 0 a title follows, bit 1 the
//!       language was given; [string title]; string body)
//! PART  derived, optional: var first feature row; u8 1 if rows carry labels; var n;
//!       n × (u64 hash, u8 kind tag [, string label]); var n documents × (string id,
//!       string language, u64 copy-group key, u8 copy, then five lists — features (each
//!       the gap from the one before), lead, dates, years, figures — each var k, k × var
//!       feature id — then a u8 position per feature, u8 weekdays anywhere, u8 weekdays in
//!       the headline or lead, var k lead figures × (var feature id, var kind code))
//! ```
//!
//! A file is checked on open: its length against the header (a file cut short), the checksum
//! (any flipped byte, the version field included), then the version; a segment also against
//! the length, checksum and document count the manifest recorded for it. Any failure is an
//! [`Error::IndexCorrupt`] naming the file, or an [`Error::IndexMismatch`] for an intact file
//! of another format version.
//!
//! # Saving, crashes and writers
//!
//! [`Index::add_batch`] (and [`Index::insert_batch`]) writes the batch as new segments at once
//! (at most [`SEGMENT_MAX_DOCS`] documents each), each to `NAME.tmp`, synced and renamed, so
//! that a large batch is not held in memory until the save; no manifest lists them yet.
//! [`Index::save`] syncs the directory, then writes the new manifest, listing them, to
//! `MANIFEST.tmp`, syncs it, renames it over `MANIFEST` and syncs the directory. The rename
//! is the commit: a process killed at any point leaves either the previous manifest, with
//! every file it lists untouched, or the new one. Files no manifest lists (segments of
//! batches never saved, half-written files) are removed by the next writer that opens the
//! index.
//!
//! One writer at a time: [`Index::create`] and [`Index::open`] take an exclusive lock on
//! `LOCK` (released by the operating system when the process ends, however it ends) and a
//! second writer gets [`Error::IndexLocked`]. [`Index::open_read_only`] takes no lock and
//! sees the last saved state.
//!
//! # Versioning
//!
//! The header layout never changes. A reader opens only the format version it was written
//! for; any change to a body's layout (a new section such as stored signatures, a new field)
//! is a new version, refused by older readers with [`Error::IndexMismatch`]. The analysis is
//! versioned separately, by [`Analyzer::fingerprint`]: an index whose features came from
//! another analysis is refused, and rebuilt with [`Index::rebuild`] when it keeps its texts.

mod files;
mod format;
mod manifest;
mod segment;
mod settings;

use crate::matching::parts::{FeatureRows, Part};
use crate::{
    Analysis, Analyzer, Corpus, CorpusBuilder, Date, Error, Lang, Match, MemoryReport, Result,
};
use ahash::{AHashMap, AHashSet};
use files::{io, MANIFEST};
use format::{corrupt, FrameError, MANIFEST_MAGIC, SEGMENT_MAGIC};
use manifest::{segment_file_name, Manifest, SegmentEntry};
use segment::{Interner, StoredDoc, StoredText};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The most documents one segment file holds: a save or a compaction writes several segments
/// rather than one larger, so that opening or compacting holds at most one such file in
/// memory at a time.
pub const SEGMENT_MAX_DOCS: usize = 16_384;

/// Documents decoded and then added together on open.
const LOAD_CHUNK: usize = 2048;

/// A document to index: an id, an optional title (the headline, see
/// [`Analyzer::analyze_article`]), the text, and optionally its language (given instead of
/// detected).
///
/// ```
/// use lintas::{Document, Lang};
/// let d = Document::new("id-1", "Banjir di Semarang menewaskan delapan orang.")
///     .with_title("Banjir Semarang")
///     .with_lang(Lang::Indonesian);
/// assert_eq!(d.title.as_deref(), Some("Banjir Semarang"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document's id, unique in an index.
    pub id: String,
    /// The title, analysed as the headline.
    pub title: Option<String>,
    /// The body.
    pub text: String,
    /// The language, when it is known and should not be detected.
    pub lang: Option<Lang>,
    /// The publication date, when the caller has one: a pair published further apart than
    /// [`CorpusBuilder::max_days_apart`] days is not reported (see
    /// [`Corpus::set_published`]). Stored with the document.
    pub published: Option<Date>,
}

impl Document {
    /// A document with an id and a text, no title, its language to be detected.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            id: id.into(),
            title: None,
            text: text.into(),
            lang: None,
            published: None,
        }
    }

    /// The same document with a title.
    pub fn with_title(mut self, title: impl Into<String>) -> Document {
        self.title = Some(title.into());
        self
    }

    /// The same document analysed as `lang` (detection skipped).
    pub fn with_lang(mut self, lang: Lang) -> Document {
        self.lang = Some(lang);
        self
    }

    /// The same document with a publication date ([`Document::published`]).
    pub fn with_published(mut self, date: Date) -> Document {
        self.published = Some(date);
        self
    }
}

/// How to create an [`Index`]: the analyser, the corpus settings, whether to keep texts.
///
/// ```
/// use lintas::{Corpus, IndexOptions};
/// let options = IndexOptions::new()
///     .corpus(Corpus::builder().overall_threshold(0.2))
///     .keep_texts(true);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    analyzer: Option<Arc<Analyzer>>,
    corpus: CorpusBuilder,
    keep_texts: bool,
}

impl IndexOptions {
    /// The defaults: [`Analyzer::new`], [`Corpus::builder`], texts not kept.
    pub fn new() -> IndexOptions {
        IndexOptions::default()
    }

    /// The analyser (default [`Analyzer::new`]). Its [`Analyzer::fingerprint`] is stored:
    /// the index opens only with an analyser that analyses alike.
    pub fn analyzer(mut self, analyzer: impl Into<Arc<Analyzer>>) -> IndexOptions {
        self.analyzer = Some(analyzer.into());
        self
    }

    /// Corpus settings (default [`Corpus::builder`]): stored in the manifest, and used every
    /// time the index is opened.
    pub fn corpus(mut self, corpus: CorpusBuilder) -> IndexOptions {
        self.corpus = corpus;
        self
    }

    /// Whether to store each document's title and text (default false). Only an index that
    /// keeps its texts can be [rebuilt](Index::rebuild) with another analysis.
    pub fn keep_texts(mut self, keep: bool) -> IndexOptions {
        self.keep_texts = keep;
        self
    }
}

/// A segment written by [`Index::add_batch`] and committed by the next [`Index::save`].
#[derive(Debug)]
struct Staged {
    /// Its manifest entry, without tombstones yet.
    entry: SegmentEntry,
    /// The position of its first document among the documents staged since the last save.
    first: usize,
    /// Its documents' ids, in order.
    ids: Vec<Arc<str>>,
}

/// Where a live document is stored.
#[derive(Debug, Clone, Copy)]
enum Location {
    /// Document `index` of segment `segment` (a position in `Index::segments`).
    Saved { segment: u32, index: u32 },
    /// Position among the documents staged since the last save: added, not saved yet.
    Pending(u32),
}

#[derive(Debug, Clone, Copy)]
struct DocMeta {
    added_at: u64,
    at: Location,
}

/// A persistent index of documents: add a batch, get its matches against everything indexed
/// before and among itself, save; open it again in another process and go on.
///
/// See the module [`store`](crate::store) for the files and their format, and README "A
/// persistent index" for the daily-feed use and `dedup --index`.
///
/// ```
/// use lintas::{Document, Index, IndexOptions};
/// let dir = std::env::temp_dir().join(format!("lintas-doc-index-{}", std::process::id()));
/// # let _ = std::fs::remove_dir_all(&dir);
/// let mut index = Index::create(&dir, IndexOptions::new())?;
/// index.add_batch(vec![Document::new("en", "Floods in Semarang killed eight people on \
///     Monday and forced 12,000 residents from their homes, the disaster agency BNPB said.")])?;
/// index.save()?;
/// drop(index);
///
/// let mut index = Index::open(&dir, lintas::Analyzer::new())?;
/// let found = index.add_batch(vec![Document::new("id", "Banjir di Semarang menewaskan \
///     delapan orang pada Senin dan memaksa 12.000 warga mengungsi, kata BNPB.")])?;
/// assert_eq!(found.len(), 1);
/// assert_eq!((&*found[0].a, &*found[0].b), ("en", "id"));
/// index.save()?;
/// # drop(index);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), lintas::Error>(())
/// ```
#[derive(Debug)]
pub struct Index {
    dir: PathBuf,
    analyzer: Arc<Analyzer>,
    fingerprint: u64,
    corpus: Corpus,
    /// The manifest as last saved (or as opened).
    saved: Manifest,
    /// The segments with the tombstones of deletions since the last save.
    segments: Vec<SegmentEntry>,
    docs: AHashMap<Arc<str>, DocMeta>,
    /// Segments written since the last save and not yet in the manifest (the batches added
    /// since), in order: a batch's documents go to disk when it is added, so that memory
    /// does not hold them until the save; only the save's manifest makes them part of the
    /// index.
    staged: Vec<Staged>,
    /// Documents in `staged` (deleted ones too: see `pending_deleted`).
    pending: usize,
    /// The number of the next segment file to write.
    next_segment: u64,
    /// Documents of `staged` deleted before the save: `(position, epoch)`, saved as
    /// tombstones of their segments.
    pending_deleted: Vec<(usize, u32)>,
    dirty: bool,
    /// The writer's lock (`None`: opened read-only).
    lock: Option<std::fs::File>,
    /// Whether the corpus is the one the stored parts replay (created empty, opened from the
    /// parts or compacted): only then are new batches saved with their parts, whose feature
    /// ids continue it. Opened from the features, it numbers features its own way.
    from_parts: bool,
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn display(dir: &Path) -> String {
    dir.display().to_string()
}

const REBUILD_REMEDY: &str = "rebuild the index: Index::rebuild(dir, analyzer) (`dedup --index \
DIR --rebuild`) when it was created with keep_texts, else create a new index from the original \
documents";

fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST);
    let bytes = std::fs::read(&path).map_err(io(&path))?;
    let (body, _) =
        format::unframe(MANIFEST_MAGIC, &bytes).map_err(|e| frame_error(dir, &path, e))?;
    Manifest::decode(body).map_err(|r| corrupt(&path, r))
}

fn frame_error(dir: &Path, file: &Path, e: FrameError) -> Error {
    match e {
        FrameError::Corrupt(reason) => corrupt(file, reason),
        FrameError::Version(v) => Error::IndexMismatch {
            path: display(dir),
            what: "format version".into(),
            stored: v.to_string(),
            given: format::FORMAT_VERSION.to_string(),
            remedy: "open it with the lintas version that wrote it, or create a new index from \
                     the original documents",
        },
    }
}

/// Reads and checks a segment file against its manifest entry; returns its body.
fn read_segment(dir: &Path, entry: &SegmentEntry) -> Result<Vec<u8>> {
    let path = dir.join(entry.file_name());
    let mut bytes = std::fs::read(&path).map_err(io(&path))?;
    // A fuzz build skips the two checks a fuzzer cannot keep consistent (see `unframe`).
    if bytes.len() as u64 != entry.file_len && !cfg!(fuzzing) {
        return Err(corrupt(
            &path,
            format!(
                "the manifest lists {} bytes, the file holds {} (cut short or written over?)",
                entry.file_len,
                bytes.len()
            ),
        ));
    }
    let (_, checksum) =
        format::unframe(SEGMENT_MAGIC, &bytes).map_err(|e| frame_error(dir, &path, e))?;
    if checksum != entry.checksum && !cfg!(fuzzing) {
        return Err(corrupt(
            &path,
            format!(
                "not the segment the manifest lists (checksum {checksum:016x}, listed {:016x})",
                entry.checksum
            ),
        ));
    }
    bytes.drain(..format::HEADER_LEN);
    Ok(bytes)
}

/// Fails with a not-found [`Error::Io`] naming `dir/MANIFEST` when `dir` holds no index
/// (before a `LOCK` file is created in it).
fn require_index(dir: &Path) -> Result<()> {
    let path = dir.join(MANIFEST);
    if path.exists() {
        Ok(())
    } else {
        Err(io(&path)(std::io::ErrorKind::NotFound.into()))
    }
}

/// Writes a manifest to `MANIFEST.tmp`, syncs it and renames it over `MANIFEST`: once this
/// returns `Ok`, the new manifest is the index (the caller then syncs the directory to make
/// the rename durable, and adopts the new state even if that sync fails).
fn write_manifest(dir: &Path, m: &Manifest) -> Result<()> {
    let body = m.encode();
    let header = format::header(MANIFEST_MAGIC, &body);
    files::write_atomic(dir, MANIFEST, &[&header, &body]).map(drop)
}

/// Writes one segment durably (the caller syncs the directory); returns its entry.
fn write_segment(
    dir: &Path,
    number: u64,
    docs: &[&StoredDoc],
    keep_texts: bool,
    part: Option<&Part>,
) -> Result<SegmentEntry> {
    let body = segment::encode(docs, keep_texts, part);
    let header = format::header(SEGMENT_MAGIC, &body);
    files::write_atomic(dir, &segment_file_name(number), &[&header, &body])?;
    Ok(SegmentEntry {
        number,
        docs: docs.len() as u32,
        file_len: (header.len() + body.len()) as u64,
        checksum: format::recorded_checksum(&header),
        deleted: Vec::new(),
        epochs: Vec::new(),
    })
}

fn analyze(analyzer: &Analyzer, d: &Document) -> Analysis {
    match d.lang {
        Some(l) => analyzer.analyze_article_as(d.title.as_deref(), &d.text, l),
        None => analyzer.analyze_article(d.title.as_deref(), &d.text),
    }
}

/// Analyses documents, on every core with the `parallel` feature; in input order.
fn analyze_all(analyzer: &Analyzer, docs: &[Document]) -> Vec<Analysis> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        docs.par_iter().map(|d| analyze(analyzer, d)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        docs.iter().map(|d| analyze(analyzer, d)).collect()
    }
}

/// The manifest's segment file names (what garbage collection keeps).
fn listed(m: &Manifest) -> Vec<String> {
    m.segments.iter().map(SegmentEntry::file_name).collect()
}

impl Index {
    /// Creates an index in `dir` (created if missing; it must hold no index and nothing
    /// else but what a killed `create` may have left) and takes the writer's lock. The
    /// empty index is saved at once.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `dir` already holds an index or other files, or for
    /// invalid corpus settings; [`Error::IndexLocked`] when another writer holds it;
    /// [`Error::Io`].
    pub fn create(dir: impl AsRef<Path>, options: IndexOptions) -> Result<Index> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let lock = files::lock(dir)?;
        Index::create_locked(dir, options, lock)
    }

    fn create_locked(dir: &Path, options: IndexOptions, lock: std::fs::File) -> Result<Index> {
        if dir.join(MANIFEST).exists() {
            return Err(Error::invalid(
                "dir",
                display(dir),
                "already holds an index (MANIFEST): open it with Index::open",
            ));
        }
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let name = entry.map_err(io(dir))?.file_name();
            if !name.to_str().is_some_and(files::is_index_file) {
                return Err(Error::invalid(
                    "dir",
                    display(dir),
                    "holds files that are not an index's: create an index in a new or empty directory",
                ));
            }
        }
        files::collect_garbage(dir, &[])?;
        let analyzer = options
            .analyzer
            .unwrap_or_else(|| Arc::new(Analyzer::new()));
        // Pairs through the analyser's runtime dictionaries get their threshold, as in a
        // Detector; the index stores it with the other settings.
        let builder = options
            .corpus
            .dictionary_languages(&analyzer.lexicon().dictionary_languages());
        let settings = settings::settings_of(&builder);
        let corpus = builder.build()?;
        let fingerprint = analyzer.fingerprint();
        let manifest = Manifest {
            generation: 1,
            fingerprint,
            keep_texts: options.keep_texts,
            created_at: now(),
            settings,
            next_segment: 1,
            segments: Vec::new(),
        };
        write_manifest(dir, &manifest)?;
        files::sync_dir(dir)?;
        Ok(Index {
            dir: dir.to_path_buf(),
            analyzer,
            fingerprint,
            corpus,
            segments: Vec::new(),
            next_segment: manifest.next_segment,
            saved: manifest,
            docs: AHashMap::new(),
            staged: Vec::new(),
            pending: 0,
            pending_deleted: Vec::new(),
            dirty: false,
            lock: Some(lock),
            from_parts: true,
        })
    }

    /// Opens the index in `dir` as its writer (taking the lock), with an analyser that must
    /// analyse as the one it was built with. The corpus settings are the index's. Files a
    /// killed writer left behind are removed.
    ///
    /// # Errors
    /// [`Error::IndexMismatch`] when the analyser's [`Analyzer::fingerprint`], the format
    /// version or a stored setting is not this one's; [`Error::IndexCorrupt`] for a damaged
    /// file; [`Error::IndexLocked`] when another writer holds it; [`Error::Io`] (no index in
    /// `dir`: the `MANIFEST` is not found).
    pub fn open(dir: impl AsRef<Path>, analyzer: impl Into<Arc<Analyzer>>) -> Result<Index> {
        let dir = dir.as_ref();
        require_index(dir)?;
        let lock = files::lock(dir)?;
        Index::open_locked(dir, analyzer.into(), lock)
    }

    fn open_locked(dir: &Path, analyzer: Arc<Analyzer>, lock: std::fs::File) -> Result<Index> {
        let manifest = read_manifest(dir)?;
        files::collect_garbage(dir, &listed(&manifest))?;
        Index::load(dir, analyzer, manifest, Some(lock))
    }

    /// Opens the index in `dir` for reading: no lock, the state of the last save (a writer
    /// may go on saving meanwhile; this handle does not follow). [`Index::add_batch`],
    /// [`Index::delete`], [`Index::save`] and the other changes return
    /// [`Error::IndexReadOnly`].
    ///
    /// # Errors
    /// As [`Index::open`], but never [`Error::IndexLocked`].
    pub fn open_read_only(
        dir: impl AsRef<Path>,
        analyzer: impl Into<Arc<Analyzer>>,
    ) -> Result<Index> {
        let dir = dir.as_ref();
        let analyzer = analyzer.into();
        let mut attempts = 0;
        loop {
            let manifest = read_manifest(dir)?;
            let generation = manifest.generation;
            match Index::load(dir, analyzer.clone(), manifest, None) {
                // A writer compacted and removed a segment between the two reads: read the
                // new manifest.
                Err(Error::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound
                        && attempts < 5
                        && read_manifest(dir).is_ok_and(|m| m.generation != generation) =>
                {
                    attempts += 1;
                }
                r => return r,
            }
        }
    }

    /// Opens the index in `dir` as its writer, or creates it with `options` when `dir` does
    /// not exist or holds no index (what `dedup --index` does). An existing index must have
    /// been created with the same corpus settings and `keep_texts` as `options`, and with an
    /// analyser that analyses alike.
    ///
    /// # Errors
    /// As [`Index::create`] and [`Index::open`]; [`Error::IndexMismatch`] naming the first
    /// setting that differs.
    pub fn open_or_create(dir: impl AsRef<Path>, options: IndexOptions) -> Result<Index> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let lock = files::lock(dir)?;
        if !dir.join(MANIFEST).exists() {
            return Index::create_locked(dir, options, lock);
        }
        // Settings first, from the manifest: a mismatch is refused before any segment is read.
        let manifest = read_manifest(dir)?;
        let given = settings::settings_of(&options.corpus);
        let mismatch = |what: String, stored: String, given: String| Error::IndexMismatch {
            path: display(dir),
            what,
            stored,
            given,
            remedy: "use the index's settings, or create a new index elsewhere",
        };
        if manifest.keep_texts != options.keep_texts {
            return Err(mismatch(
                "keep_texts".into(),
                manifest.keep_texts.to_string(),
                options.keep_texts.to_string(),
            ));
        }
        for (name, value) in &given {
            let stored = manifest.settings.iter().find(|(n, _)| n == name);
            if stored.is_none_or(|(_, v)| v != value) {
                return Err(mismatch(
                    format!("corpus setting {name}"),
                    stored.map_or_else(|| "(not stored)".into(), |(_, v)| v.clone()),
                    value.clone(),
                ));
            }
        }
        let analyzer = options
            .analyzer
            .unwrap_or_else(|| Arc::new(Analyzer::new()));
        files::collect_garbage(dir, &listed(&manifest))?;
        Index::load(dir, analyzer, manifest, Some(lock))
    }

    /// Builds the in-memory state from a manifest: every live document of every segment, in
    /// order, through `Corpus::add`.
    fn load(
        dir: &Path,
        analyzer: Arc<Analyzer>,
        manifest: Manifest,
        lock: Option<std::fs::File>,
    ) -> Result<Index> {
        let fingerprint = analyzer.fingerprint();
        if manifest.fingerprint != fingerprint {
            return Err(Error::IndexMismatch {
                path: display(dir),
                what:
                    "analysis fingerprint (lexicon, analyser settings or lintas analysis version)"
                        .into(),
                stored: format!("{:016x}", manifest.fingerprint),
                given: format!("{fingerprint:016x}"),
                remedy: REBUILD_REMEDY,
            });
        }
        let mpath = dir.join(MANIFEST);
        let builder =
            settings::builder_of(&manifest.settings).map_err(|r| Error::IndexMismatch {
                path: display(dir),
                what: "corpus settings".into(),
                stored: r,
                given: "this lintas version's settings".into(),
                remedy: "open it with the lintas version that wrote it",
            })?;
        let corpus = builder
            .clone()
            .build()
            .map_err(|e| corrupt(&mpath, format!("stored corpus settings: {e}")))?;
        let (corpus, docs, from_parts) = match load_parts(dir, &manifest, &corpus)? {
            Some((c, d)) => (c, d, true),
            None => {
                let (c, d) = load_features(dir, &manifest, corpus)?;
                (c, d, false)
            }
        };
        Ok(Index {
            dir: dir.to_path_buf(),
            analyzer,
            fingerprint,
            corpus,
            segments: manifest.segments.clone(),
            next_segment: manifest.next_segment,
            saved: manifest,
            docs,
            staged: Vec::new(),
            pending: 0,
            pending_deleted: Vec::new(),
            dirty: false,
            lock,
            from_parts,
        })
    }

    /// Re-analyses the stored texts of the index in `dir` with `analyzer` and replaces the
    /// index's features with the new ones (same ids, order, times added and settings; deleted
    /// documents dropped), then opens it as its writer. For an index whose analysis is out of
    /// date ([`Error::IndexMismatch`] on open). Atomic like a save: a rebuild killed midway
    /// leaves the old index.
    ///
    /// # Errors
    /// [`Error::IndexMismatch`] when the index was created without `keep_texts`; otherwise
    /// as [`Index::open`], except for the fingerprint.
    pub fn rebuild(dir: impl AsRef<Path>, analyzer: impl Into<Arc<Analyzer>>) -> Result<Index> {
        let dir = dir.as_ref();
        let analyzer = analyzer.into();
        require_index(dir)?;
        let lock = files::lock(dir)?;
        let manifest = read_manifest(dir)?;
        if !manifest.keep_texts {
            return Err(Error::IndexMismatch {
                path: display(dir),
                what: "keep_texts".into(),
                stored: "false".into(),
                given: "true (a rebuild re-analyses stored texts)".into(),
                remedy: "an index without its texts cannot be rebuilt: create a new index from \
                         the original documents",
            });
        }
        files::collect_garbage(dir, &listed(&manifest))?;
        let mut corpus = settings::builder_of(&manifest.settings)
            .ok()
            .and_then(|b| b.build().ok())
            .ok_or_else(|| corrupt(&dir.join(MANIFEST), "unusable corpus settings"))?;
        let (segments, next, _) = rewrite(dir, &manifest, &mut |batch| {
            let docs: Vec<Document> = batch
                .iter()
                .map(|d| {
                    let t = d.text.clone().unwrap_or(StoredText {
                        title: None,
                        body: String::new(),
                        forced_lang: false,
                    });
                    Document {
                        id: d.id.to_string(),
                        title: t.title,
                        text: t.body,
                        lang: if t.forced_lang { d.lang } else { None },
                        published: d.published,
                    }
                })
                .collect();
            let analyses = analyze_all(&analyzer, &docs);
            for (d, a) in batch.iter_mut().zip(analyses) {
                d.lang = a.detection().lang();
                d.features = a.into_features();
            }
            // The new corpus, a chunk at a time: its parts are stored with the chunks.
            let (slot, rows) = (corpus.next_slot(), corpus.feature_rows());
            corpus.add_many(
                batch
                    .iter()
                    .map(|d| (d.id.clone(), d.lang, &d.features[..])),
            )?;
            set_dates(&mut corpus, batch)?;
            Ok(Some(corpus.export(slot, rows)))
        })?;
        let new = Manifest {
            generation: manifest.generation + 1,
            fingerprint: analyzer.fingerprint(),
            next_segment: next,
            segments,
            ..manifest
        };
        write_manifest(dir, &new)?;
        files::sync_dir(dir)?;
        files::collect_garbage(dir, &listed(&new))?;
        Index::load(dir, analyzer, new, Some(lock))
    }

    fn writer(&self, operation: &'static str) -> Result<()> {
        match self.lock {
            Some(_) => Ok(()),
            None => Err(Error::IndexReadOnly {
                path: display(&self.dir),
                operation,
            }),
        }
    }

    /// Analyses a batch of documents (in parallel with the `parallel` feature) and adds
    /// them, stamped with the current time; returns the batch's flagged pairs: each pair of
    /// a new document with one indexed before or with another of the batch, scored with the
    /// document frequencies after the batch is added — exactly the pairs of a one-shot
    /// [`Corpus::pairs`] over every document that involve a new one, in the same order.
    /// The batch is written to new segment files at once, but the index on disk changes
    /// only with [`Index::save`] (see [`Index::insert_batch`]).
    ///
    /// # Errors
    /// [`Error::DuplicateId`] when an id is repeated in the batch or already indexed (the
    /// index is then unchanged: check [`Index::contains`] to skip such documents);
    /// [`Error::IndexReadOnly`]; [`Error::Io`] when a segment cannot be written (the index is
    /// then unchanged).
    pub fn add_batch(&mut self, docs: Vec<Document>) -> Result<Vec<Match>> {
        self.add_batch_at(docs, now())
    }

    /// [`Index::add_batch`] with the time added given (unix seconds), as
    /// [`Index::expire_older_than`] reads it.
    ///
    /// # Errors
    /// As [`Index::add_batch`].
    pub fn add_batch_at(&mut self, docs: Vec<Document>, added_at: u64) -> Result<Vec<Match>> {
        let first_slot = self.insert_batch_at(docs, added_at)?;
        Ok(self.corpus.pairs_from(first_slot))
    }

    /// Adds a batch without matching it, and returns the corpus slot of its first document:
    /// for a large feed, add it in batches this way and then stream the pairs of all of them
    /// at once with [`Corpus::try_for_each_pair`] from the first batch's slot (through
    /// [`Index::corpus`]). Those are exactly the pairs one [`Index::add_batch`] of all the
    /// documents would return (every later document against everything held, scored with the
    /// document frequencies as they then stand), streamed in document order instead of held
    /// and sorted (document order: by the later document's slot, except that a copy group
    /// touched by the new documents gives all its pairs at its representative's place).
    ///
    /// The batch's documents are written to new segment files at once (so memory does not
    /// hold their features until the save), but the index on disk does not change until
    /// [`Index::save`] commits them: after a crash, the files are removed by the next
    /// writer that opens the index.
    ///
    /// ```
    /// use lintas::{Document, Index, IndexOptions};
    /// let dir = std::env::temp_dir().join(format!("lintas-doc-insert-{}", std::process::id()));
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let mut index = Index::create(&dir, IndexOptions::new())?;
    /// let first = index.insert_batch(vec![Document::new("en", "Floods in Semarang killed \
    ///     eight people on Monday and forced 12,000 residents from their homes, BNPB said.")])?;
    /// index.insert_batch(vec![Document::new("id", "Banjir di Semarang menewaskan delapan \
    ///     orang pada Senin dan memaksa 12.000 warga mengungsi, kata BNPB.")])?;
    /// let mut found = Vec::new();
    /// index.corpus().try_for_each_pair(first, |m| {
    ///     found.push((m.a.to_string(), m.b.to_string()));
    ///     Ok::<(), std::convert::Infallible>(())
    /// }).unwrap();
    /// assert_eq!(found, [("en".to_string(), "id".to_string())]);
    /// index.save()?;
    /// # drop(index);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), lintas::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Index::add_batch`], and [`Error::Io`] when a segment cannot be written (the
    /// index is then unchanged).
    pub fn insert_batch(&mut self, docs: Vec<Document>) -> Result<u32> {
        self.insert_batch_at(docs, now())
    }

    /// [`Index::insert_batch`] with the time added given (unix seconds).
    ///
    /// # Errors
    /// As [`Index::insert_batch`].
    pub fn insert_batch_at(&mut self, docs: Vec<Document>, added_at: u64) -> Result<u32> {
        self.writer("add_batch")?;
        let mut seen: AHashSet<&str> = AHashSet::with_capacity(docs.len());
        for d in &docs {
            if self.docs.contains_key(d.id.as_str()) || !seen.insert(&d.id) {
                return Err(Error::DuplicateId(d.id.clone()));
            }
        }
        drop(seen);
        let analyses = analyze_all(&self.analyzer, &docs);
        let first_slot = self.corpus.next_slot();
        let keep_texts = self.saved.keep_texts;
        let stored: Vec<StoredDoc> = docs
            .into_iter()
            .zip(analyses)
            .map(|(d, a)| StoredDoc {
                id: Arc::from(d.id),
                lang: a.detection().lang(),
                added_at,
                features: a.into_features(),
                text: keep_texts.then(|| StoredText {
                    title: d.title,
                    body: d.text,
                    forced_lang: d.lang.is_some(),
                }),
                published: d.published,
            })
            .collect();
        // A segment (and a corpus part) per chunk of at most SEGMENT_MAX_DOCS documents,
        // written now; all or nothing.
        let mut staged = Vec::new();
        let mut first = self.pending;
        let mut number = self.next_segment;
        let mut failed = None;
        for chunk in stored.chunks(SEGMENT_MAX_DOCS) {
            let (slot, rows) = (self.corpus.next_slot(), self.corpus.feature_rows());
            let added = self.corpus.add_many(
                chunk
                    .iter()
                    .map(|s| (s.id.clone(), s.lang, &s.features[..])),
            );
            if let Err(e) = added {
                failed = Some(e);
                break;
            }
            if let Err(e) = set_dates(&mut self.corpus, chunk) {
                for s in chunk {
                    self.corpus.remove(&s.id);
                }
                failed = Some(e);
                break;
            }
            let part = self.from_parts.then(|| self.corpus.export(slot, rows));
            let docs: Vec<&StoredDoc> = chunk.iter().collect();
            match write_segment(&self.dir, number, &docs, keep_texts, part.as_ref()) {
                Ok(entry) => staged.push(Staged {
                    entry,
                    first,
                    ids: chunk.iter().map(|s| s.id.clone()).collect(),
                }),
                Err(e) => {
                    // This chunk is held but not written: take it back with the others.
                    for s in chunk {
                        self.corpus.remove(&s.id);
                    }
                    failed = Some(e);
                    break;
                }
            }
            first += chunk.len();
            number += 1;
        }
        if let Some(e) = failed {
            for s in staged.iter().flat_map(|st| &st.ids) {
                self.corpus.remove(s);
            }
            for st in &staged {
                let _ = std::fs::remove_file(self.dir.join(st.entry.file_name()));
            }
            return Err(e);
        }
        self.next_segment = number;
        for (i, s) in stored.iter().enumerate() {
            self.docs.insert(
                s.id.clone(),
                DocMeta {
                    added_at,
                    at: Location::Pending((self.pending + i) as u32),
                },
            );
        }
        self.pending += stored.len();
        self.dirty |= !stored.is_empty();
        self.staged.extend(staged);
        Ok(first_slot)
    }

    /// Matches of an article (title and body, as [`Analyzer::analyze_article`] reads them)
    /// against the index, without adding it; in each match `a` is the indexed document and
    /// `b` the query, whose id is empty.
    pub fn query(&self, title: Option<&str>, text: &str) -> Vec<Match> {
        let a = self.analyzer.analyze_article(title, text);
        self.corpus.query(a.detection().lang(), a.features())
    }

    /// Deletes documents by id; returns how many were indexed (unknown ids are not an
    /// error). Saved by the next [`Index::save`] as tombstones; [`Index::compact`] drops them
    /// from the files. A deleted id may be added again.
    ///
    /// # Errors
    /// [`Error::IndexReadOnly`].
    pub fn delete<I, S>(&mut self, ids: I) -> Result<usize>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.writer("delete")?;
        let mut n = 0;
        for id in ids {
            let Some(meta) = self.docs.remove(id.as_ref()) else {
                continue;
            };
            self.corpus.remove(id.as_ref());
            // When it was deleted: after this many segments (saved, and batches to save).
            let epoch = (self.segments.len() + self.staged.len()) as u32;
            match meta.at {
                Location::Saved { segment, index } => {
                    let s = &mut self.segments[segment as usize];
                    if let Err(at) = s.deleted.binary_search(&index) {
                        s.deleted.insert(at, index);
                        s.epochs.insert(at, epoch);
                    }
                }
                Location::Pending(i) => self.pending_deleted.push((i as usize, epoch)),
            }
            self.dirty = true;
            n += 1;
        }
        Ok(n)
    }

    /// Deletes every document added before `unix_secs` (a rolling window: keep the last N
    /// days with `now − N × 86,400`); returns how many.
    ///
    /// # Errors
    /// [`Error::IndexReadOnly`].
    pub fn expire_older_than(&mut self, unix_secs: u64) -> Result<usize> {
        self.writer("expire_older_than")?;
        // In the order they were added, whatever the map's order.
        let mut old: Vec<((u32, u32), Arc<str>)> = self
            .docs
            .iter()
            .filter(|(_, m)| m.added_at < unix_secs)
            .map(|(id, m)| {
                let order = match m.at {
                    Location::Saved { segment, index } => (segment, index),
                    Location::Pending(i) => (u32::MAX, i),
                };
                (order, id.clone())
            })
            .collect();
        old.sort_unstable_by_key(|(order, _)| *order);
        self.delete(old.into_iter().map(|(_, id)| id))
    }

    /// Writes what changed since the last save: the batches added as new segments, the
    /// deletions as tombstones, then the new manifest (see the module documentation for the
    /// order that makes a crash harmless). Does nothing when nothing changed.
    ///
    /// # Errors
    /// [`Error::Io`] (the index on disk is then as before, and the changes are still held:
    /// save again); [`Error::IndexReadOnly`].
    pub fn save(&mut self) -> Result<()> {
        self.writer("save")?;
        if !self.dirty {
            return Ok(());
        }
        let mut segments = self.segments.clone();
        let mut placed = Vec::new();
        // The segments staged since the last save (written when their batch was added);
        // documents deleted since are their tombstones.
        let mut deleted = self.pending_deleted.clone();
        deleted.sort_unstable();
        for st in &self.staged {
            let range = st.first..st.first + st.ids.len();
            let mut entry = st.entry.clone();
            for &(i, epoch) in deleted.iter().filter(|(i, _)| range.contains(i)) {
                entry.deleted.push((i - st.first) as u32);
                entry.epochs.push(epoch);
            }
            for (i, id) in st.ids.iter().enumerate() {
                if entry.deleted.binary_search(&(i as u32)).is_err() {
                    placed.push((id.clone(), segments.len() as u32, i as u32));
                }
            }
            segments.push(entry);
        }
        if !placed.is_empty() {
            files::sync_dir(&self.dir)?;
        }
        let next = self.next_segment;
        self.commit(segments, next, placed)?;
        self.staged.clear();
        self.pending = 0;
        self.pending_deleted.clear();
        self.dirty = false;
        files::sync_dir(&self.dir)
    }

    /// Commits written segments: a new manifest listing `segments` (the next segment number
    /// `next`) is written and renamed over the old one, then the documents in `placed`
    /// (id, segment, index) are located in their saved segments and the manifest is adopted.
    fn commit(
        &mut self,
        segments: Vec<SegmentEntry>,
        next: u64,
        placed: Vec<(Arc<str>, u32, u32)>,
    ) -> Result<()> {
        let manifest = Manifest {
            generation: self.saved.generation + 1,
            next_segment: next,
            segments,
            ..self.saved.clone()
        };
        write_manifest(&self.dir, &manifest)?;
        // Renamed: the new manifest is the index, whatever happens next.
        for (id, segment, index) in placed {
            if let Some(m) = self.docs.get_mut(&id) {
                m.at = Location::Saved { segment, index };
            }
        }
        self.segments = manifest.segments.clone();
        self.saved = manifest;
        Ok(())
    }

    /// Saves, then rewrites the segments as few full ones (at most [`SEGMENT_MAX_DOCS`]
    /// documents each) without the deleted documents, commits them with a new manifest and
    /// removes the old files. The documents, their order and so every answer stay the same.
    ///
    /// # Errors
    /// As [`Index::save`]; [`Error::IndexCorrupt`] when a segment fails its checks.
    pub fn compact(&mut self) -> Result<()> {
        self.writer("compact")?;
        self.save()?;
        // The corpus as it is, in its own encoding: the compacted index opens from it.
        let mut parts = split_part(self.corpus.export(0, 0), SEGMENT_MAX_DOCS).into_iter();
        let (segments, next, placed) = rewrite(&self.dir, &self.saved, &mut |_| Ok(parts.next()))?;
        self.commit(segments, next, placed)?;
        // The parts just written are this corpus's.
        self.from_parts = true;
        files::sync_dir(&self.dir)?;
        files::collect_garbage(&self.dir, &listed(&self.saved))?;
        Ok(())
    }

    /// Documents indexed (saved or not).
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether no document is indexed.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Whether a document with this id is indexed.
    pub fn contains(&self, id: &str) -> bool {
        self.docs.contains_key(id)
    }

    /// When a document was added (unix seconds), `None` for an unknown id.
    pub fn added_at(&self, id: &str) -> Option<u64> {
        self.docs.get(id).map(|m| m.added_at)
    }

    /// The in-memory corpus: every indexed document, for [`Corpus::pairs`],
    /// [`Corpus::score_pair`] and the like.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The analyser.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The fingerprint of the analysis the index was built with ([`Analyzer::fingerprint`]).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The generation of the last save (one more at every save or compaction).
    pub fn generation(&self) -> u64 {
        self.saved.generation
    }

    /// Segment files the last save lists.
    pub fn segment_count(&self) -> usize {
        self.saved.segments.len()
    }

    /// Deleted documents the segment files still hold (until [`Index::compact`]).
    pub fn tombstone_count(&self) -> usize {
        self.segments.iter().map(|s| s.deleted.len()).sum()
    }

    /// Whether the index stores texts (created with [`IndexOptions::keep_texts`]).
    pub fn keeps_texts(&self) -> bool {
        self.saved.keep_texts
    }

    /// Whether the index was opened with [`Index::open_read_only`].
    pub fn is_read_only(&self) -> bool {
        self.lock.is_none()
    }

    /// Whether the corpus is the one the segments' `PART` sections replay (opened from them,
    /// the fast way, or created or compacted since) rather than one opened from their
    /// features: for tests and measurements, not a stable API.
    #[doc(hidden)]
    pub fn opened_from_parts(&self) -> bool {
        self.from_parts
    }

    /// Whether something was added or deleted since the last save.
    pub fn has_unsaved_changes(&self) -> bool {
        self.dirty
    }

    /// Memory held per indexed document: the corpus's ([`Corpus::memory_report`]) plus the
    /// index's own table of ids and times added (documents not yet saved are not counted).
    pub fn memory_report(&self) -> MemoryReport {
        let mut r = self.corpus.memory_report();
        let own = std::mem::size_of::<(Arc<str>, DocMeta)>() as f64 + 8.0;
        r.per_document_with_labels += own;
        r.per_document_without_labels += own;
        r
    }
}

/// Gives the corpus the publication dates of documents it has just added.
fn set_dates(corpus: &mut Corpus, docs: &[StoredDoc]) -> Result<()> {
    for d in docs {
        if let Some(p) = d.published {
            corpus.set_published(&d.id, Some(p))?;
        }
    }
    Ok(())
}

/// Where each live document of `manifest` is, by id.
type Places = AHashMap<Arc<str>, DocMeta>;

/// The corpus from the stored features: every live document of every segment, in order,
/// through `Corpus::add_many` (what any index can be opened from).
fn load_features(dir: &Path, manifest: &Manifest, mut corpus: Corpus) -> Result<(Corpus, Places)> {
    let mut docs =
        AHashMap::with_capacity(manifest.segments.iter().map(|s| s.live() as usize).sum());
    let mut interner = Interner::new();
    // Documents are added a chunk at a time through `Corpus::add_many`, which prepares
    // them (sorting, sketching) on every core and adds them in order.
    let mut chunk: Vec<StoredDoc> = Vec::with_capacity(LOAD_CHUNK);
    let add = |chunk: &mut Vec<StoredDoc>, corpus: &mut Corpus| -> Result<(), String> {
        corpus
            .add_many(
                chunk
                    .iter()
                    .map(|d| (d.id.clone(), d.lang, &d.features[..])),
            )
            .map_err(|e| e.to_string())?;
        set_dates(corpus, chunk).map_err(|e| e.to_string())?;
        chunk.clear();
        Ok(())
    };
    for (si, entry) in manifest.segments.iter().enumerate() {
        let body = read_segment(dir, entry)?;
        let path = dir.join(entry.file_name());
        let mut deleted = entry.deleted.iter().peekable();
        let n = segment::decode(&body, &mut interner, false, |i, d| {
            if deleted.next_if_eq(&&i).is_some() {
                return Ok(());
            }
            let meta = DocMeta {
                added_at: d.added_at,
                at: Location::Saved {
                    segment: si as u32,
                    index: i,
                },
            };
            if docs.insert(d.id.clone(), meta).is_some() {
                return Err(format!("document id `{}` stored twice", d.id));
            }
            chunk.push(d);
            if chunk.len() == LOAD_CHUNK {
                add(&mut chunk, &mut corpus)?;
            }
            Ok(())
        })
        .and_then(|n| add(&mut chunk, &mut corpus).map(|()| n))
        .map_err(|r| corrupt(&path, r))?;
        if n != entry.docs {
            return Err(corrupt(
                &path,
                format!("{n} documents, the manifest lists {}", entry.docs),
            ));
        }
    }
    Ok((corpus, docs))
}

/// A segment decoded for [`restore_parts`].
struct Decoded {
    /// Its corpus part (`None`: it has none).
    part: Option<Part>,
    /// Its documents (the `DOCS` section).
    docs: usize,
    /// The times they were added, when the part holds the same documents in the same order.
    added: Option<Vec<u64>>,
    /// Their publication dates (the `DATE` section; empty when it has none).
    dates: Vec<Option<Date>>,
}

/// Reads a segment and decodes its part and its documents' ids and times added (not when it
/// has no part).
fn decode_segment(dir: &Path, entry: &SegmentEntry) -> Result<Decoded> {
    let body = read_segment(dir, entry)?;
    let path = dir.join(entry.file_name());
    let Some(part) = segment::decode_part(&body).map_err(|r| corrupt(&path, r))? else {
        return Ok(Decoded {
            part: None,
            docs: 0,
            added: None,
            dates: Vec::new(),
        });
    };
    let ids = segment::decode_ids(&body).map_err(|r| corrupt(&path, r))?;
    let dates = segment::decode_dates(&body)
        .map_err(|r| corrupt(&path, r))?
        .unwrap_or_default();
    if !dates.is_empty() && dates.len() != ids.len() {
        return Err(corrupt(
            &path,
            format!("{} dates for {} documents", dates.len(), ids.len()),
        ));
    }
    let same = part.docs.len() == ids.len()
        && part.docs.iter().zip(&ids).all(|(p, (id, _))| &*p.id == *id);
    Ok(Decoded {
        docs: ids.len(),
        added: same.then(|| ids.iter().map(|&(_, t)| t).collect()),
        part: Some(part),
        dates,
    })
}

/// The corpus restored from the segments' `PART` sections, replaying the history of the
/// processes that wrote them: part after part, each deletion replayed once as many parts are
/// restored as there were segments when it was made. `None` when a segment has no part or a
/// part does not continue the corpus: the index is then opened from the features.
///
/// With the `parallel` feature, a thread reads and decodes the next segment while this one
/// restores the last (one decoded segment waits at most).
fn load_parts(dir: &Path, manifest: &Manifest, empty: &Corpus) -> Result<Option<(Corpus, Places)>> {
    if manifest.segments.is_empty() {
        return Ok(None);
    }
    #[cfg(feature = "parallel")]
    {
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel(0);
            let decoder = s.spawn(move || {
                for entry in &manifest.segments {
                    let d = decode_segment(dir, entry);
                    let stop = d.as_ref().map_or(true, |d| d.part.is_none());
                    // The receiver gone: the open stopped (an error, or a fallback).
                    if tx.send(d).is_err() || stop {
                        break;
                    }
                }
            });
            let restored = restore_parts(dir, manifest, empty, &mut || rx.recv().ok());
            // The receiver goes first, so a decoder waiting to send stops. Joining the thread
            // (the scope's own wait ends before a thread's thread-locals are freed) means the
            // open returns with nothing of it left running.
            drop(rx);
            if let Err(panic) = decoder.join() {
                std::panic::resume_unwind(panic);
            }
            restored
        })
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut decoded = manifest.segments.iter().map(|e| decode_segment(dir, e));
        restore_parts(dir, manifest, empty, &mut || decoded.next())
    }
}

/// [`load_parts`] given each segment decoded, in order, by `next`.
fn restore_parts(
    dir: &Path,
    manifest: &Manifest,
    empty: &Corpus,
    next: &mut dyn FnMut() -> Option<Result<Decoded>>,
) -> Result<Option<(Corpus, Places)>> {
    let n = manifest.segments.len();
    // Deletions by epoch: (segment, index), in segment order.
    let mut by_epoch: Vec<Vec<(usize, u32)>> = vec![Vec::new(); n + 1];
    for (si, s) in manifest.segments.iter().enumerate() {
        for (&index, &epoch) in s.deleted.iter().zip(&s.epochs) {
            by_epoch[(epoch as usize).min(n)].push((si, index));
        }
    }
    let mut corpus = empty.clone();
    let total: usize = manifest.segments.iter().map(|s| s.docs as usize).sum();
    corpus.reserve(total);
    let mut docs: Places = AHashMap::with_capacity(total);
    let mut seg_ids: Vec<Vec<Arc<str>>> = Vec::with_capacity(n);
    // Signatures (in the LSH index) and feature rows (in the table's map) are filed all at
    // once, at the end or before a deletion is replayed: much faster than part by part (see
    // `Corpus::file`).
    let mut unfiled = crate::matching::parts::Unfiled::default();
    for (si, entry) in manifest.segments.iter().enumerate() {
        let path = dir.join(entry.file_name());
        let d = next().ok_or_else(|| corrupt(&path, "not decoded"))??;
        let Some(part) = d.part else {
            return Ok(None);
        };
        if d.docs != entry.docs as usize {
            return Err(corrupt(
                &path,
                format!("{} documents, the manifest lists {}", d.docs, entry.docs),
            ));
        }
        let Some(added) = d.added else {
            return Ok(None);
        };
        // The part's ids (the same): the index and the corpus share them.
        let ids: Vec<Arc<str>> = part.docs.iter().map(|d| d.id.clone()).collect();
        if corpus.restore_unfiled(part, &mut unfiled).is_err() {
            return Ok(None);
        }
        for (id, date) in ids.iter().zip(&d.dates) {
            if date.is_some() && corpus.set_published(id, *date).is_err() {
                return Ok(None);
            }
        }
        for (i, (id, added_at)) in ids.iter().zip(added).enumerate() {
            let at = Location::Saved {
                segment: si as u32,
                index: i as u32,
            };
            let meta = DocMeta { added_at, at };
            if docs.insert(id.clone(), meta).is_some() {
                return Err(corrupt(&path, format!("document id `{id}` stored twice")));
            }
        }
        seg_ids.push(ids);
        if !by_epoch[si + 1].is_empty() && corpus.file(std::mem::take(&mut unfiled)).is_err() {
            return Ok(None);
        }
        for &(s, index) in &by_epoch[si + 1] {
            let id = &seg_ids[s][index as usize];
            if !corpus.remove(id) || docs.remove(id).is_none() {
                return Ok(None);
            }
        }
    }
    if corpus.file(unfiled).is_err() {
        return Ok(None);
    }
    Ok(Some((corpus, docs)))
}

/// A corpus part cut into parts of at most `size` documents, restored one after the other
/// as the whole: each takes the feature rows up to the highest its documents use (the last
/// takes the rest).
fn split_part(whole: Part, size: usize) -> Vec<Part> {
    let Part { features: f, docs } = whole;
    let base = f.first as usize;
    let total = base + f.hashes.len();
    let mut out = Vec::new();
    let mut row = base;
    let mut docs = docs.into_iter().peekable();
    while docs.peek().is_some() {
        let chunk: Vec<_> = docs.by_ref().take(size).collect();
        let need = if docs.peek().is_none() {
            total
        } else {
            chunk
                .iter()
                .filter_map(|d| d.features.last())
                .map(|&x| x as usize + 1)
                .fold(row, usize::max)
        };
        let rows = (row - base)..(need - base);
        out.push(Part {
            features: FeatureRows {
                first: row as u32,
                hashes: f.hashes[rows.clone()].to_vec(),
                kinds: f.kinds[rows.clone()].to_vec(),
                labels: f.labels.get(rows).map(<[_]>::to_vec).unwrap_or_default(),
            },
            docs: chunk,
        });
        row = need;
    }
    out
}

/// Rewrites every live document of `manifest`'s segments, in order, into new segments of at
/// most [`SEGMENT_MAX_DOCS`] documents. `chunk` is called with each chunk before it is
/// written: it may change the documents (as a rebuild does) and returns the chunk's corpus
/// part, stored with it when it holds the chunk's documents. Returns the new entries, the
/// next segment number, and where each document went. The old files are untouched: the
/// caller commits with a manifest.
#[allow(clippy::type_complexity)]
fn rewrite(
    dir: &Path,
    manifest: &Manifest,
    change: &mut dyn FnMut(&mut [StoredDoc]) -> Result<Option<Part>>,
) -> Result<(Vec<SegmentEntry>, u64, Vec<(Arc<str>, u32, u32)>)> {
    let mut out = Vec::new();
    let mut next = manifest.next_segment;
    let mut placed = Vec::new();
    let mut chunk: Vec<StoredDoc> = Vec::new();
    let mut interner = Interner::new();
    let mut flush =
        |chunk: &mut Vec<StoredDoc>, out: &mut Vec<SegmentEntry>, next: &mut u64| -> Result<()> {
            if chunk.is_empty() {
                return Ok(());
            }
            let part = change(chunk)?;
            let refs: Vec<&StoredDoc> = chunk.iter().collect();
            let part = part.filter(|p| {
                p.docs.len() == chunk.len() && p.docs.iter().zip(&refs).all(|(p, d)| p.id == d.id)
            });
            let entry = write_segment(dir, *next, &refs, manifest.keep_texts, part.as_ref())?;
            for (i, d) in chunk.iter().enumerate() {
                placed.push((d.id.clone(), out.len() as u32, i as u32));
            }
            out.push(entry);
            *next += 1;
            chunk.clear();
            Ok(())
        };
    for entry in &manifest.segments {
        let body = read_segment(dir, entry)?;
        let path = dir.join(entry.file_name());
        let mut deleted = entry.deleted.iter().peekable();
        let mut err = None;
        segment::decode(&body, &mut interner, manifest.keep_texts, |i, d| {
            if deleted.next_if_eq(&&i).is_some() {
                return Ok(());
            }
            chunk.push(d);
            if chunk.len() == SEGMENT_MAX_DOCS {
                if let Err(e) = flush(&mut chunk, &mut out, &mut next) {
                    err = Some(e);
                    return Err(String::new());
                }
            }
            Ok(())
        })
        .map_err(|r| err.take().unwrap_or_else(|| corrupt(&path, r)))?;
        // The interner only shares labels between documents held at once.
        interner.clear();
    }
    flush(&mut chunk, &mut out, &mut next)?;
    if !out.is_empty() {
        files::sync_dir(dir)?;
    }
    Ok((out, next, placed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Feature, FeatureKind};

    #[test]
    fn a_part_cut_in_pieces_restores_as_the_whole() {
        let doc = |story: usize, own: usize| -> Vec<Feature> {
            (0..12)
                .map(|i| Feature::new(FeatureKind::Concept, &format!("s{story}-{i}")))
                .chain(
                    (0..5).map(|i| Feature::new(FeatureKind::Anchor, &format!("name:o{own}-{i}"))),
                )
                .collect()
        };
        let mut c = Corpus::new();
        for i in 0..40 {
            // Stories of three documents, every seventh an exact copy of the one before.
            let f = if i % 7 == 6 {
                doc((i - 1) / 3, i - 1)
            } else {
                doc(i / 3, i)
            };
            c.add(format!("d{i}"), None, &f).unwrap();
        }
        assert!(c.remove("d4") && c.remove("d13"));
        let pairs = c.pairs();
        assert!(!pairs.is_empty());
        for size in [1, 3, 7, 100] {
            let parts = split_part(c.export(0, 0), size);
            assert_eq!(parts.len(), 38usize.div_ceil(size));
            let mut r = Corpus::new();
            for p in parts {
                r.restore(p).unwrap();
            }
            assert_eq!(r.pairs(), pairs, "pieces of {size}");
            assert_eq!(r.copy_groups(), c.copy_groups());
        }
    }

    /// Writes the one segment of the index in `dir` again without its corpus part (as a
    /// writer that stores none would), so the next open reads the features; `texts`: the
    /// index keeps texts.
    fn drop_the_part(dir: &Path, texts: bool) {
        let m = read_manifest(dir).unwrap();
        assert_eq!(m.segments.len(), 1);
        let body = read_segment(dir, &m.segments[0]).unwrap();
        let mut docs = Vec::new();
        segment::decode(&body, &mut Interner::new(), texts, |_, d| {
            docs.push(d);
            Ok(())
        })
        .unwrap();
        let refs: Vec<&StoredDoc> = docs.iter().collect();
        let entry = write_segment(dir, m.segments[0].number, &refs, texts, None).unwrap();
        let m = Manifest {
            segments: vec![entry],
            ..m
        };
        write_manifest(dir, &m).unwrap();
    }

    #[test]
    fn publication_dates_survive_every_way_an_index_is_opened() {
        let dir = std::env::temp_dir().join(format!("lintas-store-dates-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let en = "Floods in Semarang killed eight people on Monday and forced 12,000 residents \
                  from their homes, the disaster agency BNPB said.";
        let id = "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 \
                  warga mengungsi, kata BNPB.";
        let day = |s: &str| Date::parse(s).unwrap();
        // Two pairs of one event: one published a day apart, one a year apart; one document
        // without a date.
        let docs = vec![
            Document::new("near-en", en).with_published(day("2026-02-09")),
            Document::new("near-id", id).with_published(day("2026-02-10")),
            Document::new("far-en", en.replace("eight", "nine")).with_published(day("2025-02-09")),
            Document::new("far-id", id.replace("delapan", "sembilan"))
                .with_published(day("2026-02-09")),
            Document::new("undated", id.replace("delapan", "sembilan")),
        ];
        let options = IndexOptions::new().keep_texts(true);
        let mut index = Index::create(&dir, options).unwrap();
        let pairs = index.add_batch(docs).unwrap();
        let names = |ps: &[Match]| -> Vec<(String, String)> {
            let mut v: Vec<_> = ps
                .iter()
                .map(|m| (m.a.to_string(), m.b.to_string()))
                .collect();
            v.sort();
            v
        };
        let want = names(&pairs);
        assert!(
            want.contains(&("near-en".into(), "near-id".into())),
            "{want:?}"
        );
        assert!(
            !want.contains(&("far-en".into(), "far-id".into())),
            "{want:?}"
        );
        assert!(
            want.contains(&("far-en".into(), "undated".into())),
            "{want:?}"
        );
        index.save().unwrap();
        drop(index);
        let check = |index: &Index, how: &str| {
            let c = index.corpus();
            assert_eq!(c.published("near-en"), Some(day("2026-02-09")), "{how}");
            assert_eq!(c.published("far-en"), Some(day("2025-02-09")), "{how}");
            assert_eq!(c.published("undated"), None, "{how}");
            assert_eq!(names(&c.pairs()), want, "{how}");
        };
        let index = Index::open(&dir, Analyzer::new()).unwrap();
        assert!(index.opened_from_parts());
        check(&index, "from the parts");
        drop(index);
        // The segment written again without its part: opened from its features.
        drop_the_part(&dir, true);
        let mut index = Index::open(&dir, Analyzer::new()).unwrap();
        assert!(!index.opened_from_parts());
        check(&index, "from the features");
        index.compact().unwrap();
        check(&index, "compacted");
        drop(index);
        check(
            &Index::open(&dir, Analyzer::new()).unwrap(),
            "compacted, reopened",
        );
        check(&Index::rebuild(&dir, Analyzer::new()).unwrap(), "rebuilt");
        check(
            &Index::open(&dir, Analyzer::new()).unwrap(),
            "rebuilt, reopened",
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_index_opened_from_its_features_saves_no_parts_until_compacted() {
        let dir = std::env::temp_dir().join(format!("lintas-store-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let text = |i: usize| {
            format!(
                "Floods in Semarang killed {i} people on Monday, the agency BNPB said. \
                 Banjir di Semarang menewaskan {i} orang pada Senin, kata BNPB."
            )
        };
        let batch = |r: std::ops::Range<usize>| -> Vec<Document> {
            r.map(|i| Document::new(format!("d{i}"), text(i % 4)))
                .collect()
        };
        let mut index = Index::create(&dir, IndexOptions::new()).unwrap();
        index.add_batch(batch(0..6)).unwrap();
        index.save().unwrap();
        drop(index);
        // The segment written again without its part (as a writer that stores none would).
        drop_the_part(&dir, false);

        let mut index = Index::open(&dir, Analyzer::new()).unwrap();
        assert!(!index.opened_from_parts());
        index.add_batch(batch(6..12)).unwrap();
        index.save().unwrap();
        let want = index.corpus().pairs();
        assert!(!want.is_empty());
        let last = index.saved.segments.last().unwrap().clone();
        let body = read_segment(&dir, &last).unwrap();
        assert!(
            segment::decode_part(&body).unwrap().is_none(),
            "no part after a features open"
        );
        drop(index);
        let mut index = Index::open(&dir, Analyzer::new()).unwrap();
        assert!(!index.opened_from_parts());
        assert_eq!(index.corpus().pairs(), want);
        index.compact().unwrap();
        assert!(index.opened_from_parts());
        drop(index);
        let index = Index::open(&dir, Analyzer::new()).unwrap();
        assert!(index.opened_from_parts());
        assert_eq!(index.len(), 12);
        assert_eq!(index.corpus().pairs().len(), want.len());
        drop(index);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
