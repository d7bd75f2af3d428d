//! The one error type of the crate.

use thiserror::Error;

/// Everything that can go wrong in lintas.
///
/// "No language detected" is not an error: detection returns an `Option`-like
/// [`Detection`](crate::Detection). Errors are for invalid parameters, incompatible
/// sketches, malformed stored data and unreadable resources.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter is out of its valid range.
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    InvalidParameter {
        /// The parameter's name, as in the builder method.
        name: &'static str,
        /// The rejected value, formatted.
        value: String,
        /// What the valid range is.
        reason: &'static str,
    },

    /// Two signatures built with different parameters were compared or mixed.
    #[error("incompatible signatures: {field} differs ({left} vs {right})")]
    IncompatibleSignatures {
        /// Which parameter differs (`num_hashes`, `seed`, `scheme`, `construction`).
        field: &'static str,
        /// The value on the left-hand signature.
        left: u64,
        /// The value on the right-hand signature.
        right: u64,
    },

    /// Stored bytes (a signature, an index snapshot) could not be decoded.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// What was being decoded.
        what: &'static str,
        /// Why it was rejected.
        reason: String,
    },

    /// A lexicon file (TSV or FreeDict) has a line that cannot be read.
    #[error("lexicon {source_name} line {line}: {reason}")]
    Lexicon {
        /// The file name or a description of the source.
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },

    /// A document id was added twice to a corpus.
    #[error("duplicate document id `{0}`")]
    DuplicateId(String),

    /// A persistent [`Index`](crate::Index) cannot be used as asked: it was built with another
    /// analysis (lexicon, analyser settings, lintas version), other corpus settings or another
    /// format version. Never answered with a possibly wrong result: rebuild the index.
    #[error("index {path}: {what} differs (index: {stored}; here: {given}); {remedy}")]
    IndexMismatch {
        /// The index directory.
        path: String,
        /// What differs (`analysis fingerprint`, `format version`, `corpus setting threshold`, …).
        what: String,
        /// The value the index holds.
        stored: String,
        /// The value given or expected here.
        given: String,
        /// How to get a usable index.
        remedy: &'static str,
    },

    /// A file of a persistent [`Index`](crate::Index) failed its checks on open: cut short,
    /// checksum mismatch, bad header, or contents that do not decode.
    #[error("index file {file} is damaged: {reason}")]
    IndexCorrupt {
        /// The file's path.
        file: String,
        /// What was wrong.
        reason: String,
    },

    /// Another writer holds the index's `LOCK`: one writer at a time. Readers
    /// ([`Index::open_read_only`](crate::Index::open_read_only)) need no lock.
    #[error("index {path} is locked by another writer; open it read-only, or wait for that writer to finish")]
    IndexLocked {
        /// The index directory.
        path: String,
    },

    /// A change was asked of an index opened with
    /// [`Index::open_read_only`](crate::Index::open_read_only).
    #[error("index {path} is open read-only: {operation} needs a writer (Index::open)")]
    IndexReadOnly {
        /// The index directory.
        path: String,
        /// The refused operation (`add_batch`, `save`, …).
        operation: &'static str,
    },

    /// Reading a file failed.
    #[error("i/o error on {path}: {source}")]
    Io {
        /// The path that was being read.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// `Result` with [`Error`](enum@Error).
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn invalid(name: &'static str, value: impl ToString, reason: &'static str) -> Self {
        Error::InvalidParameter {
            name,
            value: value.to_string(),
            reason,
        }
    }

    pub(crate) fn malformed(what: &'static str, reason: impl Into<String>) -> Self {
        Error::Malformed {
            what,
            reason: reason.into(),
        }
    }
}
