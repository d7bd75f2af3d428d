//! Stage 7: concepts — the lexicon that carries words across languages.
//!
//! The shared concept space is **English stems**: an English word's concept is its Snowball
//! stem; an Indonesian word maps through the lexicon to **one best** English word, whose stem
//! is the concept (fan-out to every translation is noise). Multi-word entries
//! (`kecerdasan buatan` → `artificial intelligence`) give the stems of their English words.
//! Targets written in capitals (`IPO`, `UN`) are entity codes and become anchors.
//!
//! The built-in data (`data/lexicon/id-en/*.tsv`, `data/entities.tsv`) is written by this
//! project entry by entry and compiled in. More can be loaded at run time: TSV files
//! ([`Lexicon::add_tsv`], for any language → English) and FreeDict dictd files
//! ([`Lexicon::add_freedict`], e.g. Debian's `dict-freedict-eng-ind`, which is CC BY-SA and
//! therefore read from the user's system, never embedded).

mod cognates;
mod freedict;
mod lexicon;

pub(crate) use cognates::cognate;
pub use freedict::{FreedictDirection, FreedictLoad};
pub use lexicon::Lexicon;
pub(crate) use lexicon::Phrases;

use super::stem::SnowballStemmer;
use super::tokenize::{tokenize, TokenKind};
use crate::Lang;
use std::sync::{Arc, OnceLock};

/// What a lexicon entry resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// English stems (one per content word of the English side).
    Concepts(Box<[Arc<str>]>),
    /// An entity code (the English side was written in capitals).
    Entity(Arc<str>),
}

pub(super) fn english_stemmer() -> &'static SnowballStemmer {
    static S: OnceLock<SnowballStemmer> = OnceLock::new();
    S.get_or_init(|| SnowballStemmer::for_lang(Lang::English).expect("rust-stemmers has English"))
}

/// Lowercase key of a token, with ASCII fast path.
pub(crate) fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

pub(super) fn is_all_caps(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic()) && !s.chars().any(|c| c.is_lowercase())
}

/// Splits a surface form into token texts with the analysis tokenizer.
pub(super) fn surface_tokens(s: &str) -> Vec<&str> {
    tokenize(s)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Symbol)
        .map(|t| t.text(s))
        .collect()
}

/// The concept of an English word: its Snowball stem, folded to its derivational family's
/// ([`family_stem`](super::profile::en::family_stem)). Every English stem the analysis makes
/// (English words, lexicon and dictionary targets, cognates) comes from here.
pub(crate) fn english_stem(w: &str) -> Arc<str> {
    let stem = english_stemmer().stem(w);
    Arc::from(super::profile::en::family_stem(&stem))
}
