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

use super::stem::SnowballStemmer;
use super::stopwords;
use super::tokenize::{tokenize, TokenKind};
use super::word_cache::word_key;
use crate::{Error, Lang, Result};
use ahash::{AHashMap, AHashSet};
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, OnceLock};

const BUILTIN_ID_EN: &[(&str, &str)] = &[
    (
        "politics_law_military.tsv",
        include_str!("../../data/lexicon/id-en/politics_law_military.tsv"),
    ),
    (
        "economy_business_tech.tsv",
        include_str!("../../data/lexicon/id-en/economy_business_tech.tsv"),
    ),
    (
        "health_disaster_society.tsv",
        include_str!("../../data/lexicon/id-en/health_disaster_society.tsv"),
    ),
    // General vocabulary last: where a domain file gives a word its domain sense, that wins.
    (
        "general.tsv",
        include_str!("../../data/lexicon/id-en/general.tsv"),
    ),
    (
        "general_more.tsv",
        include_str!("../../data/lexicon/id-en/general_more.tsv"),
    ),
];
const BUILTIN_ENTITIES: &str = include_str!("../../data/entities.tsv");

/// What a lexicon entry resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// English stems (one per content word of the English side).
    Concepts(Box<[Arc<str>]>),
    /// An entity code (the English side was written in capitals).
    Entity(Arc<str>),
}

/// Phrases starting with one word: (the [`word_key`]s of the remaining words, target),
/// longest first. Words of phrases and entities are compared by key: an integer compare
/// per word, no string hashing while analysing.
type PhraseList = Vec<(Box<[u64]>, u32)>;

#[derive(Debug, Default, Clone)]
struct LangTable {
    words: AHashMap<Box<str>, u32>,
    /// First word's key → index in [`Phrases::lists`].
    phrase_index: AHashMap<u64, u32>,
    phrases: Phrases,
}

/// The multi-word entries of one language: lists of phrases sharing a first word, each
/// (remaining words' keys, target), longest first. The analyser caches a word's list index
/// ([`Lexicon::phrase_index`]) and finds the list with no hashing ([`Lexicon::phrase_in`]).
#[derive(Debug, Default, Clone)]
pub(crate) struct Phrases {
    lists: Vec<PhraseList>,
}

#[derive(Debug, Clone)]
struct EntityPhrase {
    /// Keys of the tokens after the first (of their lowercase form unless case-sensitive).
    rest: Box<[u64]>,
    case_sensitive: bool,
    /// `None`: any language.
    lang: Option<Lang>,
    code: Arc<str>,
}

/// A cross-language lexicon: words and phrases of other languages mapped to one English
/// concept each, plus a table of entities (places, organisations, acronyms) across languages.
///
/// ```
/// use lintas::{Lang, Lexicon};
/// let mut lex = Lexicon::builtin();
/// let before = lex.len();
/// let added = lex.add_tsv(Lang::Indonesian, "kuda nil\thippopotamus\n", "my.tsv").unwrap();
/// assert_eq!(added, 1);
/// assert_eq!(lex.len(), before + 1);
/// ```
#[derive(Debug, Clone)]
pub struct Lexicon {
    tables: AHashMap<Lang, LangTable>,
    targets: Vec<Target>,
    target_ids: AHashMap<Box<str>, u32>,
    /// Key of the first token (lowercase unless case-sensitive) → entity phrases starting
    /// with it.
    entities: AHashMap<u64, Vec<EntityPhrase>>,
    entity_count: usize,
    /// Stems of every English word the lexicon uses: "known English words".
    english_stems: AHashSet<Arc<str>>,
    entries: usize,
}

/// Which way a FreeDict dictionary translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FreedictDirection {
    /// `eng-xxx`: English headwords, translations in the other language (e.g. `eng-ind`).
    FromEnglish,
    /// `xxx-eng`: headwords in the other language, English translations.
    ToEnglish,
}

fn english_stemmer() -> &'static SnowballStemmer {
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

fn is_all_caps(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic()) && !s.chars().any(|c| c.is_lowercase())
}

/// Splits a surface form into token texts with the analysis tokenizer.
fn surface_tokens(s: &str) -> Vec<&str> {
    tokenize(s)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Symbol)
        .map(|t| t.text(s))
        .collect()
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::builtin()
    }
}

impl Lexicon {
    /// An empty lexicon (no words, no entities).
    pub fn empty() -> Lexicon {
        Lexicon {
            tables: AHashMap::new(),
            targets: Vec::new(),
            target_ids: AHashMap::new(),
            entities: AHashMap::new(),
            entity_count: 0,
            english_stems: AHashSet::new(),
            entries: 0,
        }
    }

    /// The built-in Indonesian→English lexicon and entity table (parsed once per process).
    pub fn builtin() -> Lexicon {
        static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut lex = Lexicon::empty();
                for (name, text) in BUILTIN_ID_EN {
                    // Built-in data is tested to parse; a bad line would fail `builtin_data_parses`.
                    let _ = lex.add_tsv_inner(Lang::Indonesian, text, name, false);
                }
                let _ = lex.add_entities_tsv(BUILTIN_ENTITIES, "entities.tsv");
                lex
            })
            .clone()
    }

    /// Number of word and phrase entries (all languages), not counting entities.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether there are no word entries.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Number of entity surface forms.
    pub fn entity_len(&self) -> usize {
        self.entity_count
    }

    /// Whether the lexicon maps words of `lang` (English always maps to itself).
    pub fn covers(&self, lang: Lang) -> bool {
        lang == Lang::English || self.tables.get(&lang).is_some_and(|t| !t.words.is_empty())
    }

    fn intern_target(&mut self, english: &str) -> u32 {
        if let Some(&id) = self.target_ids.get(english) {
            return id;
        }
        let target = if is_all_caps(english) && !english.contains(' ') {
            Target::Entity(Arc::from(english))
        } else {
            let stems: Vec<Arc<str>> = english
                .split(|c: char| c.is_whitespace() || c == '-')
                .filter(|w| !w.is_empty() && !stopwords::is_stopword(Lang::English, w))
                .map(|w| Arc::from(english_stemmer().stem(&w.to_lowercase()).as_ref()))
                .collect();
            for s in &stems {
                self.english_stems.insert(s.clone());
            }
            Target::Concepts(stems.into())
        };
        let id = self.targets.len() as u32;
        self.targets.push(target);
        self.target_ids.insert(english.into(), id);
        id
    }

    /// Adds `word<TAB>english` lines for `lang` (see `data/README.md` for the format); lines
    /// starting with `#` and blank lines are skipped. Entries **replace** existing ones for the
    /// same word. Returns the number of entries read.
    ///
    /// # Errors
    /// [`Error::Lexicon`] with the 1-based line number for a line without exactly two
    /// non-empty TAB-separated fields, or for `lang` = English (English maps to itself).
    pub fn add_tsv(&mut self, lang: Lang, text: &str, source_name: &str) -> Result<usize> {
        self.add_tsv_inner(lang, text, source_name, true)
    }

    /// Reads a TSV lexicon file (UTF-8) and adds it like [`Lexicon::add_tsv`].
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::Lexicon`] for invalid UTF-8 or a
    /// malformed line (with its line number).
    pub fn load_tsv(&mut self, lang: Lang, path: impl AsRef<Path>) -> Result<usize> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let text = utf8_or_line_error(&bytes, &path.display().to_string())?;
        self.add_tsv(lang, text, &path.display().to_string())
    }

    fn add_tsv_inner(
        &mut self,
        lang: Lang,
        text: &str,
        source: &str,
        replace: bool,
    ) -> Result<usize> {
        if lang == Lang::English {
            return Err(Error::Lexicon {
                source_name: source.to_string(),
                line: 0,
                reason: "English words map to their own stems; a lexicon maps another language to English".into(),
            });
        }
        let mut n = 0;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let mut parts = line.split('\t');
            let (Some(w), Some(en), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(Error::Lexicon {
                    source_name: source.to_string(),
                    line: i + 1,
                    reason: "expected exactly two TAB-separated fields".into(),
                });
            };
            let (w, en) = (w.trim(), en.trim());
            if w.is_empty() || en.is_empty() {
                return Err(Error::Lexicon {
                    source_name: source.to_string(),
                    line: i + 1,
                    reason: "empty field".into(),
                });
            }
            if self.insert_word(lang, w, en, replace) {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Inserts one entry; returns whether it was inserted.
    fn insert_word(&mut self, lang: Lang, word: &str, english: &str, replace: bool) -> bool {
        let toks: Vec<String> = surface_tokens(word)
            .iter()
            .map(|t| lower(t).into_owned())
            .collect();
        if toks.is_empty() {
            return false;
        }
        let stemmer = SnowballStemmer::for_lang(lang);
        let target = self.intern_target(english);
        let table = self.tables.entry(lang).or_default();
        if toks.len() == 1 {
            let key: Box<str> = toks[0].as_str().into();
            let existed = table.words.contains_key(&key);
            if existed && !replace {
                return false;
            }
            table.words.insert(key, target);
            // Languages with a stemmer also index the stem, so inflections find the entry.
            if let Some(s) = &stemmer {
                let st = s.stem(&toks[0]).into_owned();
                if st != toks[0] {
                    table.words.entry(st.into()).or_insert(target);
                }
            }
            if !existed {
                self.entries += 1;
            }
            true
        } else {
            let rest: Box<[u64]> = toks[1..].iter().map(|t| word_key(t)).collect();
            let lists = &mut table.phrases.lists;
            let index = *table
                .phrase_index
                .entry(word_key(&toks[0]))
                .or_insert_with(|| {
                    lists.push(PhraseList::new());
                    (lists.len() - 1) as u32
                });
            let list = &mut lists[index as usize];
            if let Some(e) = list.iter_mut().find(|(r, _)| *r == rest) {
                if !replace {
                    return false;
                }
                e.1 = target;
                return true;
            }
            list.push((rest, target));
            list.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
            self.entries += 1;
            true
        }
    }

    /// Adds entity lines `CODE<TAB>surface<TAB>lang` (lang `en`, `id`, any other code, or `*`).
    ///
    /// # Errors
    /// [`Error::Lexicon`] with the line number for a malformed line or an unknown language.
    pub fn add_entities_tsv(&mut self, text: &str, source_name: &str) -> Result<usize> {
        let mut n = 0;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let err = |reason: &str| Error::Lexicon {
                source_name: source_name.to_string(),
                line: i + 1,
                reason: reason.to_string(),
            };
            let f: Vec<&str> = line.split('\t').map(str::trim).collect();
            if f.len() != 3 || f.iter().any(|x| x.is_empty()) {
                return Err(err(
                    "expected three non-empty TAB-separated fields: CODE, surface, lang",
                ));
            }
            let lang = if f[2] == "*" {
                None
            } else {
                Some(Lang::from_code(f[2]).ok_or_else(|| err("unknown language code"))?)
            };
            // Currency symbols (`US$`, `A$`) are the anchors' job: the tokenizer would drop the
            // symbol and leave a one-letter "entity" that matches every capital A.
            if tokenize(f[1]).iter().any(|t| t.kind == TokenKind::Symbol) {
                continue;
            }
            let case_sensitive = is_all_caps(f[1]);
            let toks = surface_tokens(f[1]);
            if toks.is_empty() {
                return Err(err("surface form has no word"));
            }
            let key = |t: &str| -> u64 {
                if case_sensitive {
                    word_key(t)
                } else {
                    word_key(&lower(t))
                }
            };
            let first = key(toks[0]);
            let rest: Box<[u64]> = toks[1..].iter().map(|t| key(t)).collect();
            let list = self.entities.entry(first).or_default();
            if list
                .iter()
                .any(|e| e.rest == rest && e.lang == lang && e.case_sensitive == case_sensitive)
            {
                continue;
            }
            list.push(EntityPhrase {
                rest,
                case_sensitive,
                lang,
                code: Arc::from(f[0]),
            });
            list.sort_by_key(|e| std::cmp::Reverse(e.rest.len()));
            self.entity_count += 1;
            n += 1;
        }
        Ok(n)
    }

    /// Adds a FreeDict dictionary in dictd format (`.index` plus `.dict` or `.dict.dz`),
    /// for example Debian's `/usr/share/dictd/freedict-eng-ind.index` and `.dict.dz`.
    /// Entries **fill gaps only**: a word the lexicon already maps keeps its mapping. With
    /// [`FreedictDirection::FromEnglish`], each translation of an English headword maps back to
    /// that headword (the first headword wins: one best concept per word).
    ///
    /// # Errors
    /// [`Error::Io`] for unreadable files, [`Error::Lexicon`] for a malformed index line
    /// (with its line number) or an entry outside the data file.
    pub fn add_freedict(
        &mut self,
        lang: Lang,
        direction: FreedictDirection,
        index_path: impl AsRef<Path>,
        dict_path: impl AsRef<Path>,
    ) -> Result<usize> {
        let (ip, dp) = (index_path.as_ref(), dict_path.as_ref());
        fn io(p: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
            move |e| Error::Io {
                path: p.display().to_string(),
                source: e,
            }
        }
        let index = std::fs::read(ip).map_err(io(ip))?;
        let raw = std::fs::read(dp).map_err(io(dp))?;
        let data = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .map_err(io(dp))?;
            out
        } else {
            raw
        };
        let index = utf8_or_line_error(&index, &ip.display().to_string())?;
        self.add_freedict_parsed(lang, direction, index, &data, &ip.display().to_string())
    }

    fn add_freedict_parsed(
        &mut self,
        lang: Lang,
        direction: FreedictDirection,
        index: &str,
        data: &[u8],
        source: &str,
    ) -> Result<usize> {
        let mut n = 0;
        for (i, line) in index.lines().enumerate() {
            let err = |r: &str| Error::Lexicon {
                source_name: source.to_string(),
                line: i + 1,
                reason: r.to_string(),
            };
            if line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 3 {
                return Err(err("expected headword, offset and length"));
            }
            let head = f[0].trim();
            if head.starts_with("00-database") || head.starts_with("00database") || head.is_empty()
            {
                continue;
            }
            let off = dictd_b64(f[1]).ok_or_else(|| err("bad base64 offset"))?;
            let len = dictd_b64(f[2]).ok_or_else(|| err("bad base64 length"))?;
            let end = off
                .checked_add(len)
                .filter(|&e| e <= data.len())
                .ok_or_else(|| err("entry outside the data file"))?;
            let body = String::from_utf8_lossy(&data[off..end]);
            let translations = freedict_translations(&body);
            match direction {
                FreedictDirection::FromEnglish => {
                    if head.contains(' ') || head.chars().any(|c| !c.is_alphabetic() && c != '-') {
                        continue;
                    }
                    for t in translations {
                        if self.insert_word(lang, &t, &head.to_lowercase(), false) {
                            n += 1;
                        }
                    }
                }
                FreedictDirection::ToEnglish => {
                    if let Some(t) = translations.into_iter().find(|t| !t.contains(' ')) {
                        if self.insert_word(lang, head, &t, false) {
                            n += 1;
                        }
                    }
                }
            }
        }
        Ok(n)
    }

    // ---- crate-internal lookups ----

    pub(crate) fn word(&self, lang: Lang, w: &str) -> Option<&Target> {
        let id = *self.tables.get(&lang)?.words.get(w)?;
        self.targets.get(id as usize)
    }

    /// Which list of phrases of `lang` start with the word whose [`word_key`] is `first`:
    /// its index + 1, 0 when no phrase does.
    pub(crate) fn phrase_index(&self, lang: Lang, first: u64) -> u32 {
        self.tables
            .get(&lang)
            .and_then(|t| t.phrase_index.get(&first))
            .map_or(0, |&i| i + 1)
    }

    /// The phrases of `lang` (looked up once per document).
    pub(crate) fn phrases(&self, lang: Lang) -> Option<&Phrases> {
        self.tables.get(&lang).map(|t| &t.phrases)
    }

    /// The longest phrase starting at `words[0]`: (number of words, target).
    #[cfg(test)]
    pub(crate) fn phrase_at<'a>(
        &'a self,
        lang: Lang,
        words: &[&str],
    ) -> Option<(usize, &'a Target)> {
        self.phrase_from(lang, word_key(words.first()?), |k| {
            words.get(k).map(|w| word_key(w))
        })
    }

    /// The longest phrase starting with the word whose [`word_key`] is `first`, whose
    /// following words' keys `word(1)`, `word(2)`, … gives (`None` past the end): (number of
    /// words, target). Only the words a candidate phrase needs are asked for.
    #[cfg(test)]
    pub(crate) fn phrase_from(
        &self,
        lang: Lang,
        first: u64,
        word: impl Fn(usize) -> Option<u64>,
    ) -> Option<(usize, &Target)> {
        self.phrase_in(self.phrases(lang)?, self.phrase_index(lang, first), word)
    }

    /// The longest phrase starting with the word whose list index (from
    /// [`Lexicon::phrase_index`]) is `index`, among `phrases` (from [`Lexicon::phrases`] of
    /// the same language), whose following words' keys `word(1)`, `word(2)`, … gives (`None`
    /// past the end): (number of words, target). Only the words a candidate phrase needs are
    /// asked for.
    pub(crate) fn phrase_in(
        &self,
        phrases: &Phrases,
        index: u32,
        word: impl Fn(usize) -> Option<u64>,
    ) -> Option<(usize, &Target)> {
        let list = phrases.lists.get(index.checked_sub(1)? as usize)?;
        for (rest, id) in list {
            if rest
                .iter()
                .enumerate()
                .all(|(k, &a)| word(k + 1) == Some(a))
            {
                return Some((rest.len() + 1, &self.targets[*id as usize]));
            }
        }
        None
    }

    /// The longest entity starting at `toks[0]` (`(original, lowercase)` pairs).
    #[cfg(test)]
    pub(crate) fn entity_at(
        &self,
        lang: Lang,
        toks: &[(&str, &str)],
    ) -> Option<(usize, &Arc<str>)> {
        let (o, l) = *toks.first()?;
        self.entity_from(
            lang,
            (word_key(o), word_key(l)),
            |k| toks.get(k).map(|t| word_key(t.0)),
            |k| toks.get(k).map(|t| word_key(t.1)),
        )
    }

    /// The longest entity starting with the token whose [`word_key`]s as written and
    /// lowercase are `first`; `written(k)` and `low(k)` give the keys of the `k`-th token after
    /// it (`None` past the end), asked for only when a candidate needs them.
    pub(crate) fn entity_from(
        &self,
        lang: Lang,
        first: (u64, u64),
        written: impl Fn(usize) -> Option<u64>,
        low: impl Fn(usize) -> Option<u64>,
    ) -> Option<(usize, &Arc<str>)> {
        let (orig0, low0) = first;
        let mut best: Option<(usize, &Arc<str>)> = None;
        // A lowercase token has one key: its entities are read once.
        for key in std::iter::once(orig0).chain((low0 != orig0).then_some(low0)) {
            let Some(list) = self.entities.get(&key) else {
                continue;
            };
            for e in list {
                if e.lang.is_some_and(|l| l != lang) {
                    continue;
                }
                if e.case_sensitive && key != orig0 {
                    continue;
                }
                if !e.case_sensitive && key != low0 {
                    continue;
                }
                if best.is_some_and(|(m, _)| m > e.rest.len()) {
                    continue;
                }
                let ok = e.rest.iter().enumerate().all(|(k, &r)| {
                    let next = if e.case_sensitive {
                        written(k + 1)
                    } else {
                        low(k + 1)
                    };
                    next == Some(r)
                });
                if ok {
                    best = Some((e.rest.len() + 1, &e.code));
                }
            }
            if orig0 == low0 {
                break;
            }
        }
        best
    }

    pub(crate) fn knows_english_stem(&self, stem: &str) -> bool {
        self.english_stems.contains(stem)
    }

    /// Whether an entity starts with the token whose [`word_key`] (as written for
    /// case-sensitive entities, else lowercase) is `key`.
    pub(crate) fn has_entities_for(&self, key: u64) -> bool {
        self.entities.contains_key(&key)
    }
}

fn utf8_or_line_error<'a>(bytes: &'a [u8], source: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Error::Lexicon {
            source_name: source.to_string(),
            line,
            reason: "invalid UTF-8".into(),
        }
    })
}

/// dictd's base64 numbers (alphabet `A–Z a–z 0–9 + /`, most significant digit first).
fn dictd_b64(s: &str) -> Option<usize> {
    let s = s.trim();
    if s.is_empty() || s.len() > 10 {
        return None;
    }
    let mut v: usize = 0;
    for b in s.bytes() {
        let d = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as usize;
        v = v.checked_mul(64)?.checked_add(d)?;
    }
    Some(v)
}

/// Translations in a FreeDict entry body. After the headword line, an entry lists either
/// numbered senses (`1. balai, rumah`), each followed by an English gloss line, or for a single
/// sense one translation line followed by its gloss. Only translation lines are read: the
/// numbered ones, or else the first line. They are split on `,` and `;`, with parentheses and
/// notes removed.
fn freedict_translations(body: &str) -> Vec<String> {
    let lines: Vec<&str> = body
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let numbered: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            let digits = l.chars().take_while(char::is_ascii_digit).count();
            (digits > 0 && l[digits..].starts_with(". ")).then(|| &l[digits + 2..])
        })
        .collect();
    let chosen: Vec<&str> = if numbered.is_empty() {
        lines.into_iter().take(1).collect()
    } else {
        numbered
    };
    let mut out = Vec::new();
    for line in chosen {
        let mut clean = String::with_capacity(line.len());
        let mut depth = 0i32;
        for c in line.chars() {
            match c {
                '(' | '[' | '<' => depth += 1,
                ')' | ']' | '>' => depth -= 1,
                _ if depth <= 0 => clean.push(c),
                _ => {}
            }
        }
        for t in clean.split([',', ';']) {
            let t = t.trim().to_lowercase();
            if !t.is_empty()
                && t.split_whitespace().count() <= 3
                && t.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-')
            {
                out.push(t);
            }
        }
    }
    out
}

/// Cognate fallback for Indonesian loanwords the lexicon lacks: `-asi` → `-ation`,
/// `-isasi` → `-ization`, `-itas` → `-ity`, `-ologi` → `-ology`, `-isme` → `-ism`,
/// `-ik` → `-ic`, `-if` → `-ive`, `-si` → `-sion`/`-tion`, and `k` → `c`. Returns the English
/// stem of the first guess the lexicon's English vocabulary knows, else of the first guess.
pub(crate) fn cognate(lex: &Lexicon, word: &str) -> Option<Arc<str>> {
    const RULES: &[(&str, &str)] = &[
        ("isasi", "ization"),
        ("asi", "ation"),
        ("itas", "ity"),
        ("ologi", "ology"),
        ("ografi", "ography"),
        ("isme", "ism"),
        ("is", "ist"),
        ("ik", "ic"),
        ("if", "ive"),
        ("si", "sion"),
        ("si", "tion"),
        ("or", "or"),
        ("er", "er"),
    ];
    if word.len() < 5 {
        return None;
    }
    let mut first: Option<Arc<str>> = None;
    for (id, en) in RULES {
        let Some(stem) = word.strip_suffix(id) else {
            continue;
        };
        for variant in [
            format!("{stem}{en}"),
            format!("{}{en}", stem.replace('k', "c")),
        ] {
            let s: Arc<str> = Arc::from(english_stemmer().stem(&variant).as_ref());
            if lex.knows_english_stem(&s) {
                return Some(s);
            }
            if first.is_none() && *en != "or" && *en != "er" {
                first = Some(s);
            }
        }
    }
    first
}

pub(crate) fn english_stem(w: &str) -> Arc<str> {
    Arc::from(english_stemmer().stem(w).as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_data_parses() {
        let mut lex = Lexicon::empty();
        for (name, text) in BUILTIN_ID_EN {
            lex.add_tsv_inner(Lang::Indonesian, text, name, false)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        lex.add_entities_tsv(BUILTIN_ENTITIES, "entities.tsv")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(lex.len() > 1000, "{}", lex.len());
        assert!(lex.entity_len() > 300, "{}", lex.entity_len());
    }

    #[test]
    fn every_lexicon_file_is_compiled_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/lexicon/id-en");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tsv"))
            .collect();
        on_disk.sort();
        let mut built: Vec<String> = BUILTIN_ID_EN.iter().map(|(n, _)| n.to_string()).collect();
        built.sort();
        assert_eq!(on_disk, built);
    }

    #[test]
    fn builtin_entries_appear_once_across_files() {
        let mut seen: AHashMap<&str, &str> = AHashMap::new();
        for (name, text) in BUILTIN_ID_EN {
            for line in text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            {
                let word = line.split('\t').next().unwrap_or_default();
                if let Some(first) = seen.insert(word, name) {
                    panic!("`{word}` is in both {first} and {name}");
                }
            }
        }
    }

    #[test]
    fn tsv_errors_carry_line_numbers() {
        let mut lex = Lexicon::empty();
        let e = lex
            .add_tsv(Lang::Indonesian, "# c\nkuda\thorse\nrusak\n", "t.tsv")
            .unwrap_err();
        assert!(matches!(e, Error::Lexicon { line: 3, .. }), "{e}");
        let e = lex.add_tsv(Lang::Indonesian, "a\t\n", "t.tsv").unwrap_err();
        assert!(matches!(e, Error::Lexicon { line: 1, .. }));
        assert!(lex.add_tsv(Lang::English, "a\tb\n", "t.tsv").is_err());
    }

    #[test]
    fn phrases_and_entities() {
        let mut lex = Lexicon::empty();
        lex.add_tsv(
            Lang::Indonesian,
            "kecerdasan buatan\tartificial intelligence\nrumah sakit\thospital\n",
            "t",
        )
        .unwrap();
        lex.add_entities_tsv("US\tAmerika Serikat\tid\nUS\tAS\tid\nUN\tPBB\t*\n", "e")
            .unwrap();
        let (n, t) = lex
            .phrase_at(Lang::Indonesian, &["kecerdasan", "buatan", "x"])
            .unwrap();
        assert_eq!(n, 2);
        assert!(matches!(t, Target::Concepts(c) if c.len() == 2 && &*c[0] == "artifici"));
        assert!(lex.phrase_at(Lang::Indonesian, &["kecerdasan"]).is_none());
        let (n, code) = lex
            .entity_at(
                Lang::Indonesian,
                &[("Amerika", "amerika"), ("Serikat", "serikat")],
            )
            .unwrap();
        assert_eq!((n, code.as_ref()), (2, "US"));
        assert_eq!(
            lex.entity_at(Lang::Indonesian, &[("AS", "as")])
                .unwrap()
                .1
                .as_ref(),
            "US"
        );
        // Case-sensitive acronyms do not match lowercase words, nor other languages.
        assert!(lex.entity_at(Lang::Indonesian, &[("as", "as")]).is_none());
        assert!(lex.entity_at(Lang::English, &[("AS", "as")]).is_none());
        assert!(lex.entity_at(Lang::English, &[("PBB", "pbb")]).is_some());
        // Surfaces with currency symbols are skipped, not reduced to a letter.
        assert_eq!(lex.add_entities_tsv("AUD\tA$\t*\n", "e").unwrap(), 0);
        assert!(lex.entity_at(Lang::English, &[("A", "a")]).is_none());
    }

    #[test]
    fn dictd_base64() {
        assert_eq!(dictd_b64("A"), Some(0));
        assert_eq!(dictd_b64("B"), Some(1));
        assert_eq!(dictd_b64("BA"), Some(64));
        assert_eq!(dictd_b64("/"), Some(63));
        assert_eq!(dictd_b64("!"), None);
        assert_eq!(dictd_b64(""), None);
    }

    fn b64(mut v: usize) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = vec![A[v % 64]];
        v /= 64;
        while v > 0 {
            out.push(A[v % 64]);
            v /= 64;
        }
        out.reverse();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn freedict_from_english_fills_gaps_only() {
        // The shape of Debian's freedict-eng-ind: numbered senses with English glosses, or one
        // translation line and a gloss.
        let e1 = "house //haus// <n>\n1. rumah, wisma\narchetypal structure of an abode\n2. wangsa\ndynasty, familiar descent\n";
        let e2 = "cat //kat// <n>\nkucing (animal)\ndomestic feline\n";
        let data = format!("{e1}{e2}");
        let index = format!(
            "house\t{}\t{}\ncat\t{}\t{}\n",
            b64(0),
            b64(e1.len()),
            b64(e1.len()),
            b64(e2.len())
        );
        let mut lex = Lexicon::empty();
        lex.add_tsv(Lang::Indonesian, "wisma\tlodge\n", "t")
            .unwrap();
        let n = lex
            .add_freedict_parsed(
                Lang::Indonesian,
                FreedictDirection::FromEnglish,
                &index,
                data.as_bytes(),
                "idx",
            )
            .unwrap();
        assert_eq!(n, 3, "rumah, wangsa and kucing added, wisma kept");
        // Gloss lines are not translations.
        assert!(lex.word(Lang::Indonesian, "dynasty").is_none());
        assert!(lex.word(Lang::Indonesian, "domestic feline").is_none());
        assert!(lex.word(Lang::Indonesian, "archetypal").is_none());
        assert!(
            matches!(lex.word(Lang::Indonesian, "rumah"), Some(Target::Concepts(c)) if &*c[0] == "hous")
        );
        assert!(
            matches!(lex.word(Lang::Indonesian, "kucing"), Some(Target::Concepts(c)) if &*c[0] == "cat")
        );
        assert!(
            matches!(lex.word(Lang::Indonesian, "wisma"), Some(Target::Concepts(c)) if &*c[0] == "lodg")
        );
        let e = lex
            .add_freedict_parsed(
                Lang::Indonesian,
                FreedictDirection::FromEnglish,
                "x\tA\tzzzz\n",
                data.as_bytes(),
                "idx",
            )
            .unwrap_err();
        assert!(matches!(e, Error::Lexicon { line: 1, .. }));
    }

    #[test]
    fn cognates() {
        let mut lex = Lexicon::empty();
        lex.add_tsv(Lang::Indonesian, "x\torganization\ny\tactive\n", "t")
            .unwrap();
        assert_eq!(cognate(&lex, "organisasi").as_deref(), Some("organ"));
        assert_eq!(cognate(&lex, "aktif").as_deref(), Some("activ"));
        assert!(cognate(&lex, "rumah").is_none());
    }
}
