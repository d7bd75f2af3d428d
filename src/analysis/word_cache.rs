//! The analyser's word cache: what each word of a language contributes (its features, and
//! whether it is a function word, a number word, the start of an entity or of a phrase),
//! computed once and shared by every document and thread.

use super::concepts::{cognate, english_stem, Target};
use super::extract::{fold_name, target_feats};
use super::features::MAX_LABEL_ID;
use super::profile::{Concepts, Profile, Stemming};
use super::stem::indonesian_candidates;
use super::{Analyzer, TokenClass};
use crate::hash::feature_hash;
use crate::{AnchorClass, FeatureKind, Lang};
use ahash::AHashMap;
use std::sync::Arc;

/// Most words the shared cache holds; past it, words are computed for each document.
pub(super) const CACHE_LIMIT: usize = 400_000;

/// The cache key of a lowercase word: its XXH3-64 (never 0, which marks an empty slot of a
/// [`WordTable`]). Keys are compared as integers (no string compare, no pointer chase).
/// In-memory only; two words sharing a key is a ~4·10⁻⁹ event at the cache's size limit.
pub(crate) fn word_key(low: &str) -> u64 {
    word_key_bytes(low.as_bytes())
}

/// [`word_key`] of a word's UTF-8 bytes.
#[inline]
pub(crate) fn word_key_bytes(low: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(low).max(1)
}

/// Mixed into a word's key to give the key of its name anchor in the same table.
pub(super) const NAME_SALT: u64 = u64::from_le_bytes(*b"name:\0\0\0");

/// Words of one language by [`word_key`]: open addressing with linear probing, the entry
/// stored in its slot. Keys are uniform hashes, so a key's low bits pick its first slot, and
/// loading that slot ([`WordTable::touch`]) brings the entry into cache.
#[derive(Debug, Clone, Default)]
pub(super) struct WordTable {
    /// A power of two many slots (or none), at most three quarters full; key 0 is empty.
    pub(super) slots: Vec<(u64, WordInfo)>,
    pub(super) len: usize,
}

impl WordTable {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub(super) fn get(&self, key: u64) -> Option<&WordInfo> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut p = key as usize & mask;
        loop {
            let (k, ref w) = self.slots[p];
            if k == key {
                return Some(w);
            }
            if k == 0 {
                return None;
            }
            p = (p + 1) & mask;
        }
    }

    /// The key in `key`'s first slot: reading it loads the entry's cache line.
    #[inline]
    pub(super) fn touch(&self, key: u64) -> u64 {
        if self.slots.is_empty() {
            return 0;
        }
        self.slots[key as usize & (self.slots.len() - 1)].0
    }

    /// Adds a word; a key already present keeps its entry.
    pub(super) fn insert(&mut self, key: u64, info: WordInfo) {
        debug_assert_ne!(key, 0);
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            let len = (self.slots.len() * 2).max(64);
            let old = std::mem::replace(&mut self.slots, vec![(0, WordInfo::EMPTY); len]);
            self.len = 0;
            for (k, w) in old {
                if k != 0 {
                    self.insert(k, w);
                }
            }
        }
        let mask = self.slots.len() - 1;
        let mut p = key as usize & mask;
        loop {
            match self.slots[p].0 {
                0 => {
                    self.slots[p] = (key, info);
                    self.len += 1;
                    return;
                }
                k if k == key => return,
                _ => p = (p + 1) & mask,
            }
        }
    }

    pub(super) fn into_entries(self) -> impl Iterator<Item = (u64, WordInfo)> {
        self.slots.into_iter().filter(|(k, _)| *k != 0)
    }
}

/// The word's lexicon (or the English vocabulary) knows it: not a name when capitalised.
pub(super) const KNOWN: u8 = 1;
/// A function word of the language.
pub(super) const STOP: u8 = 2;
/// A number word (`five`, `lima`, `ketujuh`): [`WordInfo::extra`] holds its value.
pub(super) const NUMBER: u8 = 4;
/// An entity starts with this word (lowercase; entities written in capitals are looked up
/// by the token as written).
pub(super) const ENTITY: u8 = 8;
/// Needs a look at its neighbours or its spelling: `pm`/`am` after a number, `ke-7`, a
/// credit's opening word (`Photo:`).
pub(super) const SPECIAL: u8 = 16;
/// Malay reads the word, or an expression starting with it, otherwise than Indonesian
/// (`kerajaan`, government, not kingdom; `balai polis`): the reading depends on the
/// document ([`crate::analysis::profile::id::malay_sense`]).
pub(super) const MALAY: u8 = 32;

/// What one word contributes, cached per language: 24 bytes, so the cache stays small and a
/// lookup touches one cache line. Features are `(hash, kind, label id)`; the first is kept
/// inline (most words have exactly one), the others in [`WordCache::extras`].
#[derive(Debug, Clone, Copy)]
pub(super) struct WordInfo {
    /// The first feature's hash.
    pub(super) hash: u64,
    /// The first feature's label id (see [`WordCache::labels`]).
    pub(super) label: u32,
    /// Index of the second feature in [`WordCache::extras`] (the rest follow it); for a
    /// number word (which has no features), its value.
    pub(super) extra: u32,
    /// How many features the word has.
    pub(super) feats: u8,
    /// Which lexicon phrases of the word's language start with it
    /// ([`Lexicon::phrase_index`]; 0 for none): in the padding the other fields leave.
    pub(super) phrases: u32,
    /// The first feature's kind.
    pub(super) kind: FeatureKind,
    /// [`KNOWN`], [`STOP`], [`NUMBER`], [`ENTITY`], [`SPECIAL`].
    pub(super) flags: u8,
    /// The class reported by [`Analyzer::trace`].
    pub(super) class: TokenClass,
}

impl WordInfo {
    /// The filler of empty [`WordTable`] slots.
    const EMPTY: WordInfo = WordInfo {
        hash: 0,
        label: 0,
        extra: 0,
        feats: 0,
        phrases: 0,
        kind: FeatureKind::Concept,
        flags: 0,
        class: TokenClass::Stopword,
    };
}

// The phrase index sits in what would otherwise be padding.
const _: () = assert!(std::mem::size_of::<WordInfo>() == 24);

/// A feature of a word beyond its first.
#[derive(Debug, Clone, Copy)]
pub(super) struct Extra {
    pub(super) hash: u64,
    pub(super) label: u32,
    pub(super) kind: FeatureKind,
}

/// The analyser's word cache: words per language, and the labels and extra features they
/// refer to by id.
#[derive(Debug, Default)]
pub(super) struct WordCache {
    pub(super) words: AHashMap<Lang, WordTable>,
    pub(super) labels: Vec<Arc<str>>,
    pub(super) extras: Vec<Extra>,
}

impl WordCache {
    pub(super) fn len(&self) -> usize {
        self.words.values().map(|m| m.len()).sum()
    }
}

/// Words computed while analysing one document, added to the shared cache at its end. Their
/// label and extra ids continue the shared cache's (from `label_base` and `extra_base`).
#[derive(Default)]
pub(super) struct LocalWords {
    pub(super) words: WordTable,
    pub(super) labels: Vec<Arc<str>>,
    pub(super) extras: Vec<Extra>,
    pub(super) label_base: u32,
    pub(super) extra_base: u32,
}

impl LocalWords {
    /// Adds a label made for this document: its id, or `None` past the end of the label id
    /// space (2^31 labels, far beyond memory).
    pub(super) fn add_label(&mut self, label: Arc<str>) -> Option<u32> {
        let id = self.label_base as usize + self.labels.len();
        if id > MAX_LABEL_ID as usize {
            return None;
        }
        self.labels.push(label);
        Some(id as u32)
    }

    /// The label with id `id`: this document's, or the shared cache's below `label_base`.
    pub(super) fn label<'a>(&'a self, cache: Option<&'a WordCache>, id: u32) -> &'a Arc<str> {
        match id.checked_sub(self.label_base) {
            Some(j) => &self.labels[j as usize],
            None => cache.map_or_else(|| unreachable!(), |c| &c.labels[id as usize]),
        }
    }

    /// The extra feature with id `id`: this document's, or the shared cache's below
    /// `extra_base`.
    pub(super) fn extra(&self, cache: Option<&WordCache>, id: u32) -> Extra {
        match id.checked_sub(self.extra_base) {
            Some(j) => self.extras[j as usize],
            None => cache.map_or_else(|| unreachable!(), |c| c.extras[id as usize]),
        }
    }

    /// The entry under `key`: from the shared table, from this document's, or made by
    /// `compute` and added to this document's.
    #[inline(always)]
    pub(super) fn entry(
        &mut self,
        shared: Option<&WordTable>,
        key: u64,
        compute: impl FnOnce(&mut LocalWords) -> WordInfo,
    ) -> WordInfo {
        if let Some(w) = shared
            .and_then(|m| m.get(key))
            .or_else(|| self.words.get(key))
        {
            return *w;
        }
        let w = compute(self);
        self.words.insert(key, w);
        w
    }
}

impl Analyzer {
    /// Adds words computed for one document to the shared cache (bounded by `CACHE_LIMIT`),
    /// moving their label and extra ids after what the cache holds now.
    pub(super) fn remember(&self, lang: Option<Lang>, local: LocalWords) {
        let Some(l) = lang else { return };
        if local.words.is_empty() {
            return;
        }
        let Ok(mut c) = self.cache.write() else {
            return;
        };
        if c.len() >= CACHE_LIMIT
            || c.labels.len() + local.labels.len() > MAX_LABEL_ID as usize
            || c.extras.len() + local.extras.len() > MAX_LABEL_ID as usize
        {
            return;
        }
        // The shared tables only grow, so the bases read at the document's start are no larger.
        let dl = c.labels.len() as u32 - local.label_base;
        let de = c.extras.len() as u32 - local.extra_base;
        let LocalWords {
            words,
            labels,
            extras,
            ..
        } = local;
        c.labels.extend(labels);
        c.extras.extend(extras.into_iter().map(|e| Extra {
            label: e.label + dl,
            ..e
        }));
        let m = c.words.entry(l).or_default();
        for (k, mut w) in words.into_entries() {
            if w.feats > 0 {
                w.label += dl;
            }
            if w.feats > 1 {
                w.extra += de;
            }
            m.insert(k, w);
        }
    }

    /// The name anchor of a capitalised word (`name:` and its folded lowercase form), as a
    /// word-table entry with that one feature; its label goes to `local`. Past the end of the
    /// label id space (2^31 labels, far beyond memory) the entry has no feature and the caller
    /// makes the label itself.
    pub(super) fn name_word(low: &str, local: &mut LocalWords) -> WordInfo {
        let label: Arc<str> =
            Arc::from(format!("{}{}", AnchorClass::Name.prefix(), fold_name(low)));
        let hash = feature_hash(FeatureKind::Anchor, &label);
        match local.add_label(label) {
            Some(id) => WordInfo {
                hash,
                label: id,
                feats: 1,
                kind: FeatureKind::Anchor,
                class: TokenClass::Anchor,
                ..WordInfo::EMPTY
            },
            None => WordInfo::EMPTY,
        }
    }

    /// The candidate lookup forms of a word of a language with a lexicon, least reduced first:
    /// Indonesian's candidate roots, or the word and its Snowball stem.
    fn candidates(&self, p: &Profile, w: &str) -> Vec<String> {
        match p.stemming {
            Stemming::IndonesianAffixes => indonesian_candidates(w),
            Stemming::Snowball(_) => {
                let stem = p.lang.and_then(|l| self.stemmers.get(&l));
                std::iter::once(w.to_string())
                    .chain(stem.map(|s| s.stem(w).into_owned()))
                    .collect()
            }
            Stemming::None => vec![w.to_string()],
        }
    }

    /// What a word of a language (its profile `p`) contributes; its labels and extra features
    /// go to `local`.
    /// The entry a lowercase word of a language read through its dictionary
    /// ([`Concepts::Local`]) finds: the word as written, then without its proclitics, then its
    /// stem; else without a glued preposition (Arabic `لزيادة`, `بقوة`: only an entry the rest
    /// finds is taken); else without an inflectional ending (Bengali `সরকারের`, Hindi `बताया`),
    /// when the dictionary knows the base form.
    pub(super) fn local_entry(&self, p: &Profile, low: &str) -> Option<Target> {
        let lang = p.lang?;
        let lex = &*self.lexicon;
        let stemmer = self.stemmers.get(&lang);
        let lookup = |w: &str| {
            lex.word(lang, w)
                .or_else(|| {
                    let light = super::stem::without_proclitics(p.proclitics, w);
                    (light != w).then(|| lex.word(lang, light)).flatten()
                })
                .cloned()
                .or_else(|| {
                    let s = stemmer?.stem(w).into_owned();
                    lex.word(lang, &s).cloned()
                })
        };
        lookup(low)
            .or_else(|| super::stem::glued_preposition(p.proclitics, low).and_then(lookup))
            .or_else(|| super::stem::without_ending(p.endings, low, lookup))
    }

    pub(super) fn compute_word(&self, p: &Profile, low: &str, local: &mut LocalWords) -> WordInfo {
        let lex = &*self.lexicon;
        let mut feats: Vec<(u64, FeatureKind, Arc<str>)> = Vec::new();
        let mut known = false;
        let mut resolved = true;
        let mut push = |kind: FeatureKind, label: Arc<str>| {
            feats.push((feature_hash(kind, &label), kind, label));
        };
        match p.concepts {
            // English: the word's stems are the concepts.
            Concepts::ConceptSpace => {
                for part in p.parts.of(low) {
                    if p.is_stopword(part) {
                        known = true;
                        continue;
                    }
                    let stem = english_stem(&p.spelling.fold(part));
                    known |= lex.knows_english_stem(&stem);
                    push(FeatureKind::Concept, stem);
                }
            }
            // A built-in lexicon into English: the first candidate root it knows, else a
            // loanword guessed from its English spelling, else the word as an English stem.
            Concepts::IntoEnglish => {
                let lang = p.lang.expect("a lexicon belongs to a language");
                // A hyphenated word the lexicon lists whole (`undang-undang` law, `tiba-tiba`
                // suddenly, `rata-rata` average) is that entry, not its parts' (`undang`
                // invite, `tiba` arrive).
                let whole = if low.contains('-') {
                    self.candidates(p, low)
                        .into_iter()
                        .find_map(|c| lex.word(lang, &c).cloned())
                } else {
                    None
                };
                if let Some(target) = whole {
                    known = true;
                    target_feats(&target, &mut push);
                }
                let parts = if known { 0 } else { usize::MAX };
                for part in p.parts.of(low).take(parts) {
                    if p.is_stopword(part) {
                        known = true;
                        continue;
                    }
                    let part = p.spelling.fold(part);
                    let found = self
                        .candidates(p, &part)
                        .into_iter()
                        .find_map(|c| lex.word(lang, &c).cloned());
                    match found {
                        Some(target) => {
                            known = true;
                            target_feats(&target, &mut push);
                        }
                        None => match cognate(lex, &part) {
                            Some(stem) => {
                                known = lex.knows_english_stem(&stem);
                                resolved &= known;
                                push(FeatureKind::Concept, stem);
                            }
                            None => {
                                resolved = false;
                                push(FeatureKind::Concept, english_stem(&part));
                            }
                        },
                    }
                }
            }
            // Language-local: a dictionary loaded at run time, else `code:stem`.
            Concepts::Local => {
                let stemmer = p.lang.and_then(|l| self.stemmers.get(&l));
                let target = self.local_entry(p, low);
                if let Some(target) = target {
                    known = true;
                    target_feats(&target, &mut push);
                } else {
                    let key = match stemmer {
                        Some(s) => s.stem(low),
                        None => std::borrow::Cow::Borrowed(low),
                    };
                    push(FeatureKind::Local, Arc::from(format!("{}:{key}", p.code)));
                }
            }
        }
        let number = p.number_word(low);
        let key = word_key(low);
        let flag = |on: bool, f: u8| if on { f } else { 0 };
        let mut info = WordInfo {
            hash: 0,
            label: 0,
            extra: number.unwrap_or(0),
            feats: 0,
            phrases: p.lang.map_or(0, |l| lex.phrase_index(l, key)),
            kind: FeatureKind::Concept,
            flags: flag(known, KNOWN)
                | flag(p.is_stopword(low), STOP)
                | flag(number.is_some(), NUMBER)
                | flag(lex.has_entities_for(key), ENTITY)
                | flag(
                    p.lang == Some(crate::Lang::Indonesian)
                        && (super::profile::id::malay_sense(lex, low).is_some()
                            || lex.malay_phrase_index(key) != 0),
                    MALAY,
                )
                | flag(
                    matches!(low, "pm" | "am" | "p.m." | "a.m.")
                        || low.starts_with("ke-")
                        || low.starts_with("ika-")
                        || super::extract::is_credit_word(low)
                        || super::extract::is_link_start(low),
                    SPECIAL,
                ),
            class: if feats.iter().any(|f| f.1 == FeatureKind::Local) {
                TokenClass::Local
            } else if feats.is_empty() {
                TokenClass::Stopword
            } else if resolved {
                TokenClass::Concept
            } else {
                TokenClass::Unresolved
            },
        };
        // A number word is read as its value: its features are never used. One token gives at
        // most `u8::MAX` features (only a pathological run of hyphenated parts reaches that),
        // and labels stop at the id space's end (2^31, far beyond memory).
        let keep = if number.is_some() {
            0
        } else {
            usize::from(u8::MAX)
        };
        for (k, (hash, kind, label)) in feats.into_iter().take(keep).enumerate() {
            let Some(id) = local.add_label(label) else {
                break;
            };
            info.feats = k as u8 + 1;
            if k == 0 {
                (info.hash, info.kind, info.label) = (hash, kind, id);
            } else {
                if k == 1 {
                    info.extra = local.extra_base + local.extras.len() as u32;
                }
                local.extras.push(Extra {
                    hash,
                    label: id,
                    kind,
                });
            }
        }
        info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_table_grows_and_finds_every_key() {
        let mut t = WordTable::default();
        assert!(t.get(7).is_none() && t.touch(7) == 0);
        // Keys sharing their low bits probe past each other.
        let keys: Vec<u64> = (1..=3000u64).map(|k| k << 20 | (k % 3)).collect();
        for (i, &k) in keys.iter().enumerate() {
            let info = WordInfo {
                label: i as u32,
                ..WordInfo::EMPTY
            };
            t.insert(k, info);
            t.insert(k, WordInfo::EMPTY); // a second insert keeps the first entry
        }
        assert_eq!(t.len(), keys.len());
        assert!(t.slots.len().is_power_of_two() && t.len() * 4 <= t.slots.len() * 3);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(t.get(k).map(|w| w.label), Some(i as u32));
        }
        assert!(t.get(1 << 40).is_none());
        assert_eq!(t.into_entries().count(), keys.len());
        assert_ne!(word_key(""), 0);
    }
}
