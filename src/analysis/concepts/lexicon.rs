//! The lexicon: words and phrases of other languages mapped to English concepts, and the
//! entity table, built in or loaded from TSV at run time.

use super::{english_stem, is_all_caps, lower, surface_tokens, Target};
use crate::analysis::profile::profile;
use crate::analysis::stem::SnowballStemmer;
use crate::analysis::stopwords;
use crate::analysis::tokenize::{tokenize, TokenKind};
use crate::analysis::word_cache::word_key;
use crate::{Error, Lang, Result};
use ahash::{AHashMap, AHashSet};
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

const BUILTIN_ENTITIES: &str = include_str!("../../../data/entities.tsv");

/// Phrases starting with one word: (the [`word_key`]s of the remaining words, target),
/// longest first. Words of phrases and entities are compared by key: an integer compare
/// per word, no string hashing while analysing.
type PhraseList = Vec<(Box<[u64]>, Target)>;

/// Marks a key of [`LangTable::words`] that only a headword's stem put there (`vit`, the stem
/// of French `vite` "quickly"): a headword written that way (`vit` "lives") takes the key back,
/// whichever file or line came first. The built-in lexicon's keys lose the mark once it is
/// built, so a dictionary loaded at run time never takes a built-in key. Lookups mask it
/// off; target ids stay far below it.
const STEM_ONLY: u32 = 1 << 31;

/// One language's words and phrases, with the targets its words point to.
#[derive(Debug, Default, Clone)]
struct LangTable {
    /// Word → index in [`LangTable::targets`], with [`STEM_ONLY`] set on a key only a
    /// headword's stem put there.
    words: AHashMap<Box<str>, u32>,
    /// First word's key → index in [`Phrases::lists`].
    phrase_index: AHashMap<u64, u32>,
    phrases: Phrases,
    /// The targets of [`LangTable::words`], each once.
    targets: Vec<Target>,
    /// [`word_key`] of an English side → its index in `targets` (two of a table's English
    /// sides sharing a key: a ~10⁻¹¹ event at the size of the largest table).
    target_ids: AHashMap<u64, u32>,
    /// Word and phrase entries (keys only a stem put there not counted).
    entries: usize,
}

impl LangTable {
    /// What the lowercase word `w` reads as.
    fn word(&self, w: &str) -> Option<&Target> {
        let id = *self.words.get(w)? & !STEM_ONLY;
        self.targets.get(id as usize)
    }

    /// The id of the target `english` names, interned on first use (its stems go into
    /// `stems`).
    fn intern_target(&mut self, english: &str, stems: &mut AHashSet<Arc<str>>) -> u32 {
        let key = word_key(english);
        if let Some(&id) = self.target_ids.get(&key) {
            return id;
        }
        let target = target_of(english, stems);
        let id = self.targets.len() as u32;
        // 2^31 distinct targets would need tens of gigabytes of English text first.
        debug_assert!(id < STEM_ONLY);
        self.targets.push(target);
        self.target_ids.insert(key, id);
        id
    }

    /// Makes every key an entry to what is added later: a stem the built-in data put there
    /// is not taken back by a runtime dictionary's headword (the built-in lexicon was
    /// written for the analysis; a runtime dictionary only fills its gaps).
    fn settle_stems(&mut self) {
        for id in self.words.values_mut() {
            *id &= !STEM_ONLY;
        }
    }

    /// Inserts entries `(word, english)` of `lang`; returns how many were inserted (with
    /// `replace`, an entry for a word already held replaces it and counts; without, it is
    /// skipped). The English stems of the targets go into `stems`. Phrase lists are sorted
    /// once at the end, so a batch costs O(n log n) however many phrases share a first word.
    fn insert_words<'a>(
        &mut self,
        lang: Lang,
        entries: impl IntoIterator<Item = (&'a str, &'a str)>,
        replace: bool,
        stems: &mut AHashSet<Arc<str>>,
    ) -> usize {
        let stemmer = SnowballStemmer::for_lang(lang);
        // A language written without spaces is read a segmented word at a time, and that
        // word is looked up whole: a headword is one key, never a phrase of its characters.
        let p = crate::analysis::profile::profile(lang);
        let unspaced = p.segmentation == crate::analysis::profile::Segmentation::Dictionary;
        // A headword is read with the letters the language folds (a Persian dictionary
        // written with Arabic `ي` finds the text's `ی`).
        let read = |w: &str| p.fold_letters(&lower(w)).into_owned();
        // Phrases already in the touched lists, and their positions: (list, rest) → position.
        let mut seen: AHashMap<(u32, Box<[u64]>), usize> = AHashMap::new();
        let mut touched: AHashSet<u32> = AHashSet::new();
        let mut n = 0;
        for (word, english) in entries {
            let toks: Vec<String> = if unspaced {
                Some(read(word.trim()))
                    .filter(|w| !w.is_empty())
                    .into_iter()
                    .collect()
            } else {
                surface_tokens(word).iter().map(|t| read(t)).collect()
            };
            if toks.is_empty() {
                continue;
            }
            let id = self.intern_target(english, stems);
            if toks.len() == 1 {
                let key: Box<str> = toks[0].as_str().into();
                // A key another headword's stem holds is no entry of its own yet.
                let existed = self.words.get(&key).is_some_and(|&id| id & STEM_ONLY == 0);
                if existed && !replace {
                    continue;
                }
                self.words.insert(key, id);
                // Languages with a stemmer also index the stem, so inflections find the entry
                // (the first headword to reach a stem keeps it; a headword spelled as the stem
                // takes it back).
                if let Some(s) = &stemmer {
                    let st = s.stem(&toks[0]).into_owned();
                    if st != toks[0] {
                        self.words.entry(st.into()).or_insert(id | STEM_ONLY);
                    }
                }
                if !existed {
                    self.entries += 1;
                }
                n += 1;
                continue;
            }
            let target = &self.targets[id as usize];
            let rest: Box<[u64]> = toks[1..].iter().map(|t| word_key(t)).collect();
            let lists = &mut self.phrases.lists;
            let index = *self
                .phrase_index
                .entry(word_key(&toks[0]))
                .or_insert_with(|| {
                    lists.push(PhraseList::new());
                    (lists.len() - 1) as u32
                });
            let list = &mut lists[index as usize];
            if touched.insert(index) {
                for (pos, (r, _)) in list.iter().enumerate() {
                    seen.insert((index, r.clone()), pos);
                }
            }
            match seen.entry((index, rest)) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    if replace {
                        list[*e.get()].1 = target.clone();
                        n += 1;
                    }
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    list.push((e.key().1.clone(), target.clone()));
                    e.insert(list.len() - 1);
                    self.entries += 1;
                    n += 1;
                }
            }
        }
        // Longest first; a stable sort keeps phrases of one length in the order added.
        for index in touched {
            self.phrases.lists[index as usize].sort_by_key(|e| std::cmp::Reverse(e.0.len()));
        }
        n
    }
}

/// The multi-word entries of one language: lists of phrases sharing a first word, each
/// (remaining words' keys, target), longest first. The analyser caches a word's list index
/// ([`Lexicon::phrase_index`]) and finds the list with no hashing ([`Phrases::longest`]).
#[derive(Debug, Default, Clone)]
pub(crate) struct Phrases {
    lists: Vec<PhraseList>,
}

impl Phrases {
    /// The longest phrase starting with the word whose list index (from
    /// [`Lexicon::phrase_index`] of the same language) is `index`, whose following words'
    /// keys `word(1)`, `word(2)`, … gives (`None` past the end): (number of words, target).
    /// Only the words a candidate phrase needs are asked for.
    pub(crate) fn longest(
        &self,
        index: u32,
        word: impl Fn(usize) -> Option<u64>,
    ) -> Option<(usize, &Target)> {
        let list = self.lists.get(index.checked_sub(1)? as usize)?;
        for (rest, target) in list {
            if rest
                .iter()
                .enumerate()
                .all(|(k, &a)| word(k + 1) == Some(a))
            {
                return Some((rest.len() + 1, target));
            }
        }
        None
    }
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
    /// The tables this lexicon holds of its own: every language of one built from
    /// [`Lexicon::empty`], and a language added to at run time (its built-in table copied
    /// first, then changed).
    tables: AHashMap<Lang, Arc<LangTable>>,
    /// Whether a language without a table of its own reads its built-in one, which is
    /// parsed the first time any lexicon of the process asks for it ([`builtin_table`]): a
    /// corpus of English and Indonesian never parses the other eleven dictionaries.
    builtin: bool,
    /// Key of the first token (lowercase unless case-sensitive) → entity phrases starting
    /// with it.
    entities: AHashMap<u64, Vec<EntityPhrase>>,
    entity_count: usize,
    /// Stems of the English words this lexicon's own entries use; with `builtin`, those of
    /// every built-in table ([`builtin_english_stems`]) too: "known English words".
    english_stems: AHashSet<Arc<str>>,
    /// What Malay reads otherwise than Indonesian (`kerajaan`: kingdom in Indonesian,
    /// government in Malay), words and expressions: read in documents
    /// [`is_malay`](crate::analysis::profile::id::is_malay) says are Malay. `None`: the
    /// built-in table with `builtin`, else none.
    malay: Option<Arc<LangTable>>,
}

/// A built-in table: `None` for a language without one.
type Builtin = OnceLock<Option<Arc<LangTable>>>;

/// The entries of `lang`'s built-in table, in load order: its profile's lexicon files, then
/// its month names; none for a language without files. A language with a built-in lexicon
/// reads its month names (`Marso`, `মার্চ`) as the English month's concept, as Indonesian's
/// lexicon lists `maret`: the month a text names without a day meets the one an English text
/// names. Entries the lexicon has win (Persian `مه` is "fog" there), and abbreviations
/// (`févr`, `ago`: a proper prefix of a longer name of the same month) are left out, being
/// other words too.
fn builtin_entries(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let p = profile(lang);
    if p.lexicon.is_empty() {
        return Vec::new();
    }
    let mut entries = Vec::new();
    for (name, text) in p.lexicon {
        // Built-in data is tested to parse; a bad line would fail `builtin_data_parses`.
        if let Ok(e) = parse_tsv(text, name) {
            entries.extend(e);
        }
    }
    entries.extend(own_month_names(p.months));
    entries
}

/// The entries of the built-in Malay senses ([`Lexicon::malay`]).
fn malay_entries() -> Vec<(&'static str, &'static str)> {
    let (name, text) = crate::analysis::profile::id::MALAY_SENSES;
    parse_tsv(text, name).unwrap_or_default()
}

/// The built-in table of `lang` ([`builtin_entries`]), parsed once per process, on first use.
fn builtin_table(lang: Lang) -> Option<&'static Arc<LangTable>> {
    static TABLES: [Builtin; Lang::ALL.len()] = [const { OnceLock::new() }; Lang::ALL.len()];
    TABLES[lang as usize]
        .get_or_init(|| {
            let entries = builtin_entries(lang);
            if entries.is_empty() {
                return None;
            }
            let mut table = LangTable::default();
            // Stems come from `builtin_english_stems`, which reads every table's entries.
            table.insert_words(lang, entries, false, &mut AHashSet::new());
            table.settle_stems();
            // Only entries added later look targets up by their English side; a copy that
            // adds one it already has holds it twice, which reads the same.
            table.target_ids = AHashMap::new();
            Some(Arc::new(table))
        })
        .as_ref()
}

/// The built-in Malay senses ([`Lexicon::malay`]), parsed once per process, on first use.
fn builtin_malay() -> &'static Arc<LangTable> {
    static MALAY: OnceLock<Arc<LangTable>> = OnceLock::new();
    MALAY.get_or_init(|| {
        let mut table = LangTable::default();
        table.insert_words(
            Lang::Indonesian,
            malay_entries(),
            false,
            &mut AHashSet::new(),
        );
        table.target_ids = AHashMap::new();
        Arc::new(table)
    })
}

/// The stems of every English word the built-in tables use (their files, month names and
/// the Malay senses), read from the English sides alone, without parsing the headwords: what
/// building every table would collect (`builtin_stems_are_those_of_every_table`).
fn builtin_english_stems() -> &'static AHashSet<Arc<str>> {
    static STEMS: OnceLock<AHashSet<Arc<str>>> = OnceLock::new();
    STEMS.get_or_init(|| {
        let english: AHashSet<&str> = Lang::ALL
            .iter()
            .flat_map(|&lang| builtin_entries(lang))
            .chain(malay_entries())
            .map(|(_, e)| e)
            .collect();
        // Read here once, in one lock, for the tables built later.
        let mut stems = AHashSet::new();
        let read: Vec<(&str, Target)> = english.into_iter().map(|e| (e, read_target(e))).collect();
        for (_, t) in &read {
            add_stems(t, &mut stems);
        }
        if let Ok(mut m) = TARGETS.lock() {
            for (e, t) in read {
                m.entry(word_key(e)).or_insert(t);
            }
        }
        stems
    })
}

/// The targets of the English sides read so far in this process, by the [`word_key`] of
/// their English side (two sides sharing a key: a ~10⁻¹⁰ event for every built-in one): each
/// is read once, whichever tables use it (most concepts are in every language's).
static TARGETS: LazyLock<Mutex<AHashMap<u64, Target>>> = LazyLock::new(Mutex::default);

/// The target an English side names: an entity code when written in capitals as one word,
/// else the stems of its content words.
fn read_target(english: &str) -> Target {
    if is_all_caps(english) && !english.contains(' ') {
        return Target::Entity(Arc::from(english));
    }
    Target::Concepts(
        english
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty() && !stopwords::is_stopword(Lang::English, w))
            .map(|w| english_stem(&w.to_lowercase()))
            .collect(),
    )
}

/// [`read_target`] of `english`, from [`TARGETS`] when read before; its stems go into
/// `stems`.
fn target_of(english: &str, stems: &mut AHashSet<Arc<str>>) -> Target {
    let key = word_key(english);
    let cached = TARGETS.lock().ok().and_then(|m| m.get(&key).cloned());
    let target = cached.unwrap_or_else(|| {
        let t = read_target(english);
        if let Ok(mut m) = TARGETS.lock() {
            m.insert(key, t.clone());
        }
        t
    });
    add_stems(&target, stems);
    target
}

/// Puts the stems of `target` into `stems`.
fn add_stems(target: &Target, stems: &mut AHashSet<Arc<str>>) {
    if let Target::Concepts(words) = target {
        for s in words.iter() {
            if !stems.contains(s) {
                stems.insert(s.clone());
            }
        }
    }
}

/// The `word<TAB>english` entries of a TSV text (see [`Lexicon::add_tsv`]), every line
/// checked.
fn parse_tsv<'a>(text: &'a str, source: &str) -> Result<Vec<(&'a str, &'a str)>> {
    let mut entries = Vec::new();
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
        entries.push((w, en));
    }
    Ok(entries)
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
            builtin: false,
            entities: AHashMap::new(),
            entity_count: 0,
            english_stems: AHashSet::new(),
            malay: None,
        }
    }

    /// The built-in lexicons into English (Indonesian; the dictionaries of French, Spanish,
    /// Portuguese, Russian, Chinese, Arabic, Persian, Urdu, Hindi, Bengali, Swahili and
    /// Tagalog) and entity table. The entity table is parsed once per process; each
    /// language's table the first time a lexicon of the process reads that language.
    pub fn builtin() -> Lexicon {
        Lexicon::shared().as_ref().clone()
    }

    /// The built-in lexicon, made once per process and shared: what an analyser with the
    /// default lexicon and [`detect_language`](crate::detect_language) read, with no copy
    /// of their own ([`Lexicon::builtin`] gives a copy to extend).
    pub(crate) fn shared() -> Arc<Lexicon> {
        static BUILTIN: OnceLock<Arc<Lexicon>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut lex = Lexicon::empty();
                lex.builtin = true;
                let _ = lex.add_entities_tsv(BUILTIN_ENTITIES, "entities.tsv");
                Arc::new(lex)
            })
            .clone()
    }

    /// The table of `lang`: this lexicon's own, else the built-in one when it reads those.
    fn table(&self, lang: Lang) -> Option<&LangTable> {
        match self.tables.get(&lang) {
            Some(t) => Some(t),
            None if self.builtin => builtin_table(lang).map(|t| &**t),
            None => None,
        }
    }

    /// The table of `lang` to add to, its built-in entries copied in first when this
    /// lexicon reads those; with the set its English stems go into.
    fn table_mut(&mut self, lang: Lang) -> (&mut LangTable, &mut AHashSet<Arc<str>>) {
        let builtin = self.builtin;
        let table = self.tables.entry(lang).or_insert_with(|| {
            builtin
                .then(|| builtin_table(lang).cloned())
                .flatten()
                .unwrap_or_default()
        });
        (Arc::make_mut(table), &mut self.english_stems)
    }

    /// Every language with a table, own or built in, in code order (the built-in ones
    /// parsed now if they were not yet).
    fn all_tables(&self) -> Vec<(Lang, &LangTable)> {
        let mut v: Vec<(Lang, &LangTable)> = Lang::ALL
            .iter()
            .filter_map(|&l| self.table(l).map(|t| (l, t)))
            .collect();
        v.sort_by_key(|(l, _)| l.code());
        v
    }

    /// The Malay senses this lexicon reads ([`Lexicon::malay`]).
    fn malay_table(&self) -> &LangTable {
        static EMPTY: OnceLock<LangTable> = OnceLock::new();
        match &self.malay {
            Some(t) => t,
            None if self.builtin => builtin_malay(),
            None => EMPTY.get_or_init(LangTable::default),
        }
    }

    /// What Malay reads the lowercase word `w` as, if otherwise than Indonesian.
    pub(crate) fn malay_word(&self, w: &str) -> Option<&Target> {
        self.malay_table().word(w)
    }

    /// Which list of [`Lexicon::malay_phrases`] starts with the word whose [`word_key`] is
    /// `first`: its index + 1, 0 when no Malay expression does.
    pub(crate) fn malay_phrase_index(&self, first: u64) -> u32 {
        self.malay_table()
            .phrase_index
            .get(&first)
            .map_or(0, |&i| i + 1)
    }

    /// The expressions Malay reads otherwise than Indonesian ([`Phrases::longest`]).
    pub(crate) fn malay_phrases(&self) -> &Phrases {
        &self.malay_table().phrases
    }

    /// The languages this lexicon maps into English concepts beyond the built-in ones: those
    /// without a built-in lexicon or dictionary ([`Lang::has_lexicon`],
    /// [`Lang::has_builtin_dictionary`]) that have entries, from FreeDict
    /// dictionaries or TSV files loaded at run time. Their cross-language pairs are scored
    /// through those dictionaries, at a threshold that follows their coverage
    /// ([`CorpusBuilder::dictionary_languages`](crate::CorpusBuilder::dictionary_languages),
    /// [`CorpusBuilder::dictionary_threshold`](crate::CorpusBuilder::dictionary_threshold)).
    ///
    /// ```
    /// assert!(lintas::Lexicon::builtin().dictionary_languages().is_empty());
    /// ```
    pub fn dictionary_languages(&self) -> Vec<Lang> {
        // A language with a built-in table is built-in mapped: only own tables can count.
        let mut v: Vec<Lang> = self
            .tables
            .iter()
            .filter(|(l, t)| !l.builtin_mapped() && !t.words.is_empty())
            .map(|(l, _)| *l)
            .collect();
        v.sort();
        v
    }

    /// Number of word and phrase entries (all languages, the Malay senses included), not
    /// counting entities. Parses every built-in table not parsed yet.
    pub fn len(&self) -> usize {
        self.all_tables()
            .iter()
            .map(|(_, t)| t.entries)
            .sum::<usize>()
            + self.malay_table().entries
    }

    /// Whether there are no word entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of entity surface forms.
    pub fn entity_len(&self) -> usize {
        self.entity_count
    }

    /// Whether the lexicon maps words of `lang` (English always maps to itself).
    pub fn covers(&self, lang: Lang) -> bool {
        lang == Lang::English || self.table(lang).is_some_and(|t| !t.words.is_empty())
    }

    /// Adds `word<TAB>english` lines for `lang` (see `data/README.md` for the format); lines
    /// starting with `#` and blank lines are skipped. Entries **replace** existing ones for the
    /// same word. Returns the number of entries read.
    ///
    /// All or nothing: every line is checked before any entry is added, so on an error the
    /// lexicon is unchanged.
    ///
    /// # Errors
    /// [`Error::Lexicon`] with the 1-based line number for a line without exactly two
    /// non-empty TAB-separated fields; [`Error::InvalidParameter`] for `lang` = English
    /// (English words map to their own stems).
    pub fn add_tsv(&mut self, lang: Lang, text: &str, source_name: &str) -> Result<usize> {
        self.add_tsv_inner(lang, text, source_name, true)
    }

    /// Reads a TSV lexicon file (UTF-8) and adds it like [`Lexicon::add_tsv`].
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::Lexicon`] for invalid UTF-8 or a
    /// malformed line (with its line number), [`Error::InvalidParameter`] for English.
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
            return Err(Error::invalid(
                "lang",
                "en",
                "English words map to their own stems; a lexicon maps another language to English",
            ));
        }
        let entries = parse_tsv(text, source)?;
        Ok(self.insert_words(lang, entries, replace))
    }

    /// Inserts entries `(word, english)` of one language ([`LangTable::insert_words`]);
    /// returns how many were inserted.
    pub(super) fn insert_words<'a>(
        &mut self,
        lang: Lang,
        entries: impl IntoIterator<Item = (&'a str, &'a str)>,
        replace: bool,
    ) -> usize {
        let (table, stems) = self.table_mut(lang);
        table.insert_words(lang, entries, replace, stems)
    }
    /// Adds entity lines `CODE<TAB>surface<TAB>lang` (lang `en`, `id`, any other code, or `*`).
    /// Returns the number of entities added (one already held is skipped). A surface of 2–6
    /// capital letters also matches its initialism (`CEO` matches `C.E.O.`).
    ///
    /// All or nothing: every line is checked before any entity is added, so on an error the
    /// lexicon is unchanged.
    ///
    /// # Errors
    /// [`Error::Lexicon`] with the line number for a malformed line or an unknown language.
    pub fn add_entities_tsv(&mut self, text: &str, source_name: &str) -> Result<usize> {
        let mut parsed = Vec::new();
        let mut initialisms = Vec::new();
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
            let entity = EntityPhrase {
                rest: toks[1..].iter().map(|t| key(t)).collect(),
                case_sensitive,
                lang,
                code: Arc::from(f[0]),
            };
            // An acronym is also written as an initialism (`C.E.O.`, `U.N.`, `F.B.I.`: the
            // house style of some papers), which the tokenizer keeps as one token with its dots.
            if let Some(dotted) = initialism_of(f[1]) {
                initialisms.push((word_key(&dotted), entity.clone(), false));
            }
            parsed.push((first, entity, true));
        }
        // Entities already held under the touched first keys, then the new ones: each list is
        // sorted once, longest first (stable: one length keeps the order added).
        type EntityKey = (u64, Box<[u64]>, Option<Lang>, bool);
        let mut seen: AHashSet<EntityKey> = AHashSet::new();
        let mut touched: AHashSet<u64> = AHashSet::new();
        let mut n = 0;
        // The lines first, so that a line writing an initialism itself (`U.S.`) is counted.
        parsed.extend(initialisms);
        for (first, e, counted) in parsed {
            let list = self.entities.entry(first).or_default();
            if touched.insert(first) {
                for x in list.iter() {
                    seen.insert((first, x.rest.clone(), x.lang, x.case_sensitive));
                }
            }
            if !seen.insert((first, e.rest.clone(), e.lang, e.case_sensitive)) {
                continue;
            }
            list.push(e);
            // An initialism (`C.E.O.`) is another spelling of its line's entity, not one more.
            if counted {
                self.entity_count += 1;
                n += 1;
            }
        }
        for first in touched {
            if let Some(list) = self.entities.get_mut(&first) {
                list.sort_by_key(|e| std::cmp::Reverse(e.rest.len()));
            }
        }
        Ok(n)
    }

    // ---- crate-internal lookups ----

    pub(crate) fn word(&self, lang: Lang, w: &str) -> Option<&Target> {
        self.table(lang)?.word(w)
    }

    /// Which list of phrases of `lang` start with the word whose [`word_key`] is `first`:
    /// its index + 1, 0 when no phrase does.
    pub(crate) fn phrase_index(&self, lang: Lang, first: u64) -> u32 {
        self.table(lang)
            .and_then(|t| t.phrase_index.get(&first))
            .map_or(0, |&i| i + 1)
    }

    /// The phrases of `lang` (looked up once per document).
    pub(crate) fn phrases(&self, lang: Lang) -> Option<&Phrases> {
        self.table(lang).map(|t| &t.phrases)
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
        self.phrases(lang)?
            .longest(self.phrase_index(lang, first), word)
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
            Some(lang),
            (word_key(o), word_key(l)),
            |k| toks.get(k).map(|t| word_key(t.0)),
            |k| toks.get(k).map(|t| word_key(t.1)),
            true,
        )
    }

    /// The longest entity starting with the token whose [`word_key`]s as written and
    /// lowercase are `first`; `written(k)` and `low(k)` give the keys of the `k`-th token after
    /// it (`None` past the end), asked for only when a candidate needs them. `others`: whether
    /// a capitalised token may be another language's name (see below).
    pub(crate) fn entity_from(
        &self,
        lang: Option<Lang>,
        first: (u64, u64),
        written: impl Fn(usize) -> Option<u64>,
        low: impl Fn(usize) -> Option<u64>,
        others: bool,
    ) -> Option<(usize, &Arc<str>)> {
        let best = self.entity_in(lang, false, first, &written, &low);
        // A capitalised word no entity of the text's language starts may be a name written
        // the other language's way (`California` in an Indonesian article, where the table
        // has `Kalifornia`): the other languages' names, not their acronyms, are tried next,
        // when the caller allows (`others`: not a word of the text's language whose capital
        // only opens a sentence or a title-case headline, as `Chili Prices Soar`, where
        // Indonesian `Chili` is Chile). Acronyms (matched case-sensitively) stay in their
        // language: `DIY` or `RM` are other things in English than in Indonesian.
        if best.is_none() && others && first.0 != first.1 {
            return self.entity_in(lang, true, first, &written, &low);
        }
        best
    }

    /// [`Lexicon::entity_from`]'s search among the entities of `lang` and of every language
    /// (`other`: `false`), or among the case-insensitive entities of the other languages
    /// (`other`: `true`).
    fn entity_in(
        &self,
        lang: Option<Lang>,
        other: bool,
        first: (u64, u64),
        written: &impl Fn(usize) -> Option<u64>,
        low: &impl Fn(usize) -> Option<u64>,
    ) -> Option<(usize, &Arc<str>)> {
        let (orig0, low0) = first;
        let mut best: Option<(usize, &Arc<str>)> = None;
        // A lowercase token has one key: its entities are read once.
        for key in std::iter::once(orig0).chain((low0 != orig0).then_some(low0)) {
            let Some(list) = self.entities.get(&key) else {
                continue;
            };
            for e in list {
                let own = e.lang.is_none_or(|l| Some(l) == lang);
                if own == other || (other && e.case_sensitive) {
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
            || (self.builtin && builtin_english_stems().contains(stem))
    }

    /// Whether an entity starts with the token whose [`word_key`] (as written for
    /// case-sensitive entities, else lowercase) is `key`.
    pub(crate) fn has_entities_for(&self, key: u64) -> bool {
        self.entities.contains_key(&key)
    }
}

/// The month names of a profile's tables other than the shared English/Indonesian one
/// ([`MONTHS_EN_ID`](crate::analysis::profile::MONTHS_EN_ID)), abbreviations left out, each
/// with the English month it names. The shared table is recognised by its content, not its
/// address: a `const` has no fixed address, and a build where the comparison failed (the
/// Python extension) read English `may` as the month and analysed differently from `dedup`.
fn own_month_names<'a>(months: &[&'a [(&'a str, u32)]]) -> Vec<(&'a str, &'static str)> {
    const ENGLISH: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let own: Vec<(&str, u32)> = months
        .iter()
        .filter(|t| **t != crate::analysis::profile::MONTHS_EN_ID)
        .flat_map(|t| t.iter().copied())
        .collect();
    let abbreviation = |w: &str, m: u32| {
        w.chars().count() <= 4
            && own
                .iter()
                .any(|&(longer, n)| n == m && longer.len() > w.len() && longer.starts_with(w))
    };
    own.iter()
        .filter(|&&(w, m)| !abbreviation(w, m))
        .filter_map(|&(w, m)| Some((w, *ENGLISH.get((m as usize).checked_sub(1)?)?)))
        .collect()
}

/// Writes a byte string with its length in front (so `ab`,`c` and `a`,`bc` hash apart).
fn put_str(h: &mut xxhash_rust::xxh3::Xxh3, s: &str) {
    h.update(&(s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

fn put_target(h: &mut xxhash_rust::xxh3::Xxh3, t: Option<&Target>) {
    match t {
        Some(Target::Concepts(stems)) => {
            h.update(b"C");
            h.update(&(stems.len() as u64).to_le_bytes());
            for s in stems.iter() {
                put_str(h, s);
            }
        }
        Some(Target::Entity(code)) => {
            h.update(b"E");
            put_str(h, code);
        }
        None => h.update(b"-"),
    }
}

impl Lexicon {
    /// Feeds every entry of the lexicon to `h` in a fixed order (sorted, never the maps'
    /// iteration order): words and phrases of each language with their targets' content (not
    /// their ids), entities in lookup order, and the English stems the cognate rule accepts.
    /// Two lexicons that analyse alike hash alike in every process ([`Analyzer::fingerprint`](crate::Analyzer::fingerprint)).
    pub(crate) fn fingerprint_into(&self, h: &mut xxhash_rust::xxh3::Xxh3) {
        let langs = self.all_tables();
        h.update(b"lexicon");
        h.update(&(langs.len() as u64).to_le_bytes());
        for (lang, table) in langs {
            put_str(h, lang.code());
            Self::hash_table(h, table);
        }
        h.update(b"malay");
        Self::hash_table(h, self.malay_table());
        let mut firsts: Vec<&u64> = self.entities.keys().collect();
        firsts.sort_unstable();
        h.update(b"entities");
        h.update(&(firsts.len() as u64).to_le_bytes());
        for first in firsts {
            h.update(&first.to_le_bytes());
            let list = &self.entities[first];
            h.update(&(list.len() as u64).to_le_bytes());
            for e in list {
                h.update(&(e.rest.len() as u64).to_le_bytes());
                for k in e.rest.iter() {
                    h.update(&k.to_le_bytes());
                }
                h.update(&[u8::from(e.case_sensitive)]);
                put_str(h, e.lang.map_or("*", Lang::code));
                put_str(h, &e.code);
            }
        }
        let mut stems: Vec<&str> = self.english_stems.iter().map(|s| &**s).collect();
        if self.builtin {
            stems.extend(builtin_english_stems().iter().map(|s| &**s));
            stems.sort_unstable();
            stems.dedup();
        } else {
            stems.sort_unstable();
        }
        h.update(b"english stems");
        h.update(&(stems.len() as u64).to_le_bytes());
        for s in stems {
            put_str(h, s);
        }
    }

    /// Feeds one table's words and phrases to `h` ([`Lexicon::fingerprint_into`]).
    fn hash_table(h: &mut xxhash_rust::xxh3::Xxh3, table: &LangTable) {
        let target = |id: u32| table.targets.get(id as usize);
        // Which keys a stem put there is build-time bookkeeping: not hashed.
        let mut words: Vec<(&str, u32)> = table
            .words
            .iter()
            .map(|(w, &t)| (&**w, t & !STEM_ONLY))
            .collect();
        words.sort_unstable();
        h.update(&(words.len() as u64).to_le_bytes());
        for (w, t) in words {
            put_str(h, w);
            put_target(h, target(t));
        }
        let mut firsts: Vec<(u64, u32)> =
            table.phrase_index.iter().map(|(&k, &i)| (k, i)).collect();
        firsts.sort_unstable();
        h.update(&(firsts.len() as u64).to_le_bytes());
        for (first, index) in firsts {
            h.update(&first.to_le_bytes());
            // A list's order is lookup order (longest first, then as added): kept.
            let list = table
                .phrases
                .lists
                .get(index as usize)
                .map_or(&[][..], |l| l);
            h.update(&(list.len() as u64).to_le_bytes());
            for (rest, t) in list {
                h.update(&(rest.len() as u64).to_le_bytes());
                for k in rest.iter() {
                    h.update(&k.to_le_bytes());
                }
                put_target(h, Some(t));
            }
        }
    }
}

/// The initialism of an acronym of 2–6 capital ASCII letters (`CEO` → `C.E.O.`), `None` for
/// any other surface form.
fn initialism_of(surface: &str) -> Option<String> {
    let b = surface.as_bytes();
    if !(2..=6).contains(&b.len()) || !b.iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    Some(surface.chars().flat_map(|c| [c, '.']).collect())
}

pub(super) fn utf8_or_line_error<'a>(bytes: &'a [u8], source: &str) -> Result<&'a str> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::profile::id::LEXICON as BUILTIN_ID_EN;
    use crate::analysis::profile::lexicons;

    /// A lexicon's files: `(file name, TSV text)`.
    type Files = &'static [(&'static str, &'static str)];

    /// Every built-in lexicon and dictionary: its language, directory and files.
    fn builtin_files() -> [(Lang, &'static str, Files); 13] {
        [
            (Lang::Indonesian, "id-en", BUILTIN_ID_EN),
            (Lang::French, "fr-en", lexicons::FR),
            (Lang::Spanish, "es-en", lexicons::ES),
            (Lang::Portuguese, "pt-en", lexicons::PT),
            (Lang::Russian, "ru-en", lexicons::RU),
            (Lang::Mandarin, "zh-en", lexicons::ZH),
            (Lang::Arabic, "ar-en", lexicons::AR),
            (Lang::Persian, "fa-en", lexicons::FA),
            (Lang::Urdu, "ur-en", lexicons::UR),
            (Lang::Hindi, "hi-en", lexicons::HI),
            (Lang::Bengali, "bn-en", lexicons::BN),
            (Lang::Shona, "sw-en", lexicons::SW),
            (Lang::Tagalog, "tl-en", lexicons::TL),
        ]
    }

    #[test]
    fn builtin_data_parses() {
        for (lang, dir, files) in builtin_files() {
            let mut lex = Lexicon::empty();
            for (name, text) in files {
                lex.add_tsv_inner(lang, text, name, false)
                    .unwrap_or_else(|e| panic!("{dir}: {e}"));
            }
            assert!(lex.len() > 1000, "{dir}: {}", lex.len());
        }
        let mut lex = Lexicon::empty();
        lex.add_entities_tsv(BUILTIN_ENTITIES, "entities.tsv")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(lex.entity_len() > 300, "{}", lex.entity_len());
        // The profiles hand the same files to the built-in lexicon.
        for (lang, dir, files) in builtin_files() {
            let names =
                |f: &[(&str, &str)]| f.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>();
            assert_eq!(
                names(crate::analysis::profile::profile(lang).lexicon),
                names(files),
                "{dir}"
            );
        }
    }

    #[test]
    fn every_lexicon_file_is_compiled_in() {
        for (_, dir, files) in builtin_files() {
            let path = format!("{}/data/lexicon/{dir}", env!("CARGO_MANIFEST_DIR"));
            let mut on_disk: Vec<String> = std::fs::read_dir(&path)
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tsv"))
                .collect();
            on_disk.sort();
            let mut built: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
            // Malay senses are a table of their own, read in Malay documents only.
            if dir == "id-en" {
                built.push(crate::analysis::profile::id::MALAY_SENSES.0.to_string());
            }
            built.sort();
            assert_eq!(on_disk, built, "{dir}");
        }
        // And no language directory is left out.
        let all = concat!(env!("CARGO_MANIFEST_DIR"), "/data/lexicon");
        let mut dirs: Vec<String> = std::fs::read_dir(all)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        dirs.sort();
        let mut built: Vec<&str> = builtin_files().iter().map(|(_, d, _)| *d).collect();
        built.sort();
        assert_eq!(dirs, built);
    }

    /// A dictionary's English target is a content word: an English function word (`only`,
    /// `now`) is dropped from English text, so a concept made of it meets no English document.
    #[test]
    fn dictionary_targets_are_not_english_function_words() {
        let en = crate::analysis::profile::profile(Lang::English);
        for (lang, dir, files) in builtin_files() {
            if lang == Lang::Indonesian {
                continue; // `mei` → may, the month: a date word, not the modal
            }
            for (name, text) in files {
                for line in text
                    .lines()
                    .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                {
                    let target = line.split('\t').nth(1).unwrap_or_default();
                    assert!(
                        target.contains(' ') || !en.is_stopword(target),
                        "{dir}/{name}: `{line}` maps to an English function word"
                    );
                }
            }
        }
    }

    /// The known English words read from the English sides alone are those that building
    /// every built-in table (and the Malay senses) collects.
    #[test]
    fn builtin_stems_are_those_of_every_table() {
        let mut built = AHashSet::new();
        for &lang in Lang::ALL {
            LangTable::default().insert_words(lang, builtin_entries(lang), false, &mut built);
        }
        LangTable::default().insert_words(Lang::Indonesian, malay_entries(), false, &mut built);
        let read = builtin_english_stems();
        assert_eq!(read.len(), built.len());
        assert!(built.iter().all(|s| read.contains(s)));
    }

    /// A lexicon copied from the built-in one and added to changes its own table of that
    /// language, a copy of the built-in one: the built-in entries stay in it, and the
    /// built-in lexicon (shared by every analyser of the process) does not change.
    #[test]
    fn adding_to_a_builtin_copy_leaves_the_builtin_tables_alone() {
        let builtin = Lexicon::builtin();
        let before = builtin.len();
        let mut lex = Lexicon::builtin();
        assert_eq!(
            concept_of(&lex, Lang::French, "chat").as_deref(),
            Some("cat")
        );
        lex.add_tsv(
            Lang::French,
            "chat\tconversation\nzébulon\tspring\n",
            "user",
        )
        .unwrap();
        assert_eq!(
            concept_of(&lex, Lang::French, "chat").as_deref(),
            Some("convers")
        );
        assert_eq!(
            concept_of(&lex, Lang::French, "zébulon").as_deref(),
            Some("spring")
        );
        // The rest of the built-in French is still read.
        assert_eq!(
            concept_of(&lex, Lang::French, "grand").as_deref(),
            Some("big")
        );
        assert_eq!(lex.len(), before + 1);
        for l in [&builtin, &Lexicon::builtin()] {
            assert_eq!(concept_of(l, Lang::French, "chat").as_deref(), Some("cat"));
            assert!(l.word(Lang::French, "zébulon").is_none());
            assert_eq!(l.len(), before);
        }
        // A word the English side uses is a known English stem in the copy only.
        lex.add_tsv(Lang::French, "zorglub\tzorglubbing\n", "user")
            .unwrap();
        let stem = english_stem("zorglubbing");
        assert!(lex.knows_english_stem(&stem));
        assert!(!builtin.knows_english_stem(&stem));
        assert!(builtin.knows_english_stem(&english_stem("government")));
        // And an empty lexicon reads no built-in table.
        let empty = Lexicon::empty();
        assert!(!empty.covers(Lang::French) && empty.is_empty());
        assert!(!empty.knows_english_stem(&english_stem("government")));
    }

    /// A headword of the files written last (French, Spanish and Portuguese `more.tsv`,
    /// Arabic and Russian `basic.tsv`) does not index a stem that is another word as written, read
    /// otherwise before through its own stem (Spanish `precioso` stems to `precios`, the
    /// plural of `precio`; Arabic `كتابات` to `كتابا`): the analyser looks a word up as
    /// written before its stem, so that stem would take the word (DESIGN.md, "More of French,
    /// Spanish and Portuguese"). Every such headword is named when the test fails.
    #[test]
    fn late_files_stems_take_no_word_read_otherwise() {
        for (lang, file) in [
            (Lang::French, "more.tsv"),
            (Lang::Spanish, "more.tsv"),
            (Lang::Portuguese, "more.tsv"),
            (Lang::Arabic, "basic.tsv"),
            (Lang::Russian, "basic.tsv"),
        ] {
            let stemmer = SnowballStemmer::for_lang(lang).unwrap();
            let read =
                |t: &LangTable, w: &str| t.word(w).or_else(|| t.word(&stemmer.stem(w))).cloned();
            let files = profile(lang).lexicon;
            let at = files.iter().position(|(name, _)| *name == file);
            let at = at.unwrap_or_else(|| panic!("{lang:?} has no {file}"));
            let mut old = LangTable::default();
            let mut stems = AHashSet::new();
            for (name, text) in &files[..at] {
                old.insert_words(lang, parse_tsv(text, name).unwrap(), false, &mut stems);
            }
            let mut new = old.clone();
            let entries = parse_tsv(files[at].1, file).unwrap();
            new.insert_words(lang, entries.iter().copied(), false, &mut stems);
            let mut taken = Vec::new();
            for (w, _) in entries.iter().filter(|(w, _)| !w.contains(' ')) {
                let s = stemmer.stem(&w.to_lowercase()).into_owned();
                if let Some(was) = read(&old, &s) {
                    if Some(&was) != read(&new, &s).as_ref() {
                        taken.push(format!("`{w}` takes `{s}`"));
                    }
                }
            }
            assert!(taken.is_empty(), "{lang:?} {file}: {}", taken.join(", "));
        }
    }

    #[test]
    fn builtin_entries_appear_once_across_files() {
        for (_, dir, files) in builtin_files() {
            let mut seen: AHashMap<&str, &str> = AHashMap::new();
            for (name, text) in files {
                for line in text
                    .lines()
                    .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                {
                    let word = line.split('\t').next().unwrap_or_default();
                    if let Some(first) = seen.insert(word, name) {
                        panic!("{dir}: `{word}` is in both {first} and {name}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_shared_month_table_is_known_by_its_content_not_its_address() {
        use crate::analysis::profile::{calendar, MONTHS_EN_ID};
        // A copy on the heap has another address than the `const`: it must still be left
        // out, or English `may` and Malay `mac` become month concepts in some builds only.
        let copy: Vec<(&str, u32)> = MONTHS_EN_ID.to_vec();
        assert!(own_month_names(&[&copy]).is_empty());
        assert!(own_month_names(&[MONTHS_EN_ID]).is_empty());
        let tagalog = own_month_names(&[&copy, calendar::TL]);
        assert!(tagalog.contains(&("marso", "march")), "{tagalog:?}");
        assert!(tagalog.iter().all(|&(w, _)| w != "may" && w != "mac"));
        // Arabic reads its own months and the shared table's, but not as lexicon words.
        let lex = Lexicon::builtin();
        let arabic = &lex.table(Lang::Arabic).unwrap().words;
        assert!(arabic.get("may").is_none() && arabic.get("mac").is_none());
    }

    /// The first concept a word of `lang` reads as.
    fn concept_of(lex: &Lexicon, lang: Lang, w: &str) -> Option<String> {
        match lex.word(lang, w)? {
            Target::Concepts(c) => c.first().map(|c| c.to_string()),
            Target::Entity(e) => Some(e.to_string()),
        }
    }

    #[test]
    fn a_headword_spelled_as_another_headwords_stem_takes_the_key_back() {
        // French `vite` "quickly" has the stem `vit`, which is also a headword ("lives").
        for lines in ["vite\tquickly\nvit\tlives\n", "vit\tlives\nvite\tquickly\n"] {
            let mut lex = Lexicon::empty();
            lex.add_tsv_inner(Lang::French, lines, "t", false).unwrap();
            assert_eq!(
                concept_of(&lex, Lang::French, "vit").as_deref(),
                Some("live")
            );
            assert_eq!(
                concept_of(&lex, Lang::French, "vite").as_deref(),
                Some("quick")
            );
            assert_eq!(lex.len(), 2, "{lines:?}");
        }
        // Two headwords of one stem: the first keeps it.
        let mut lex = Lexicon::empty();
        lex.add_tsv_inner(Lang::French, "grandir\tgrow\ngrande\tbig\n", "t", false)
            .unwrap();
        assert_eq!(
            concept_of(&lex, Lang::French, "grand").as_deref(),
            Some("grow")
        );
        // Once settled (as the built-in lexicon is), a stem is not taken back by what a
        // runtime dictionary adds without replacing; a user's TSV still replaces.
        let mut lex = Lexicon::empty();
        lex.add_tsv_inner(Lang::French, "vite\tquickly\n", "t", false)
            .unwrap();
        lex.table_mut(Lang::French).0.settle_stems();
        lex.insert_words(Lang::French, [("vit", "lives")], false);
        assert_eq!(
            concept_of(&lex, Lang::French, "vit").as_deref(),
            Some("quick")
        );
        lex.add_tsv(Lang::French, "vit\tlives\n", "user").unwrap();
        assert_eq!(
            concept_of(&lex, Lang::French, "vit").as_deref(),
            Some("live")
        );
        // The built-in French reads `grand` as big, though `grandir` (grow) shares its stem.
        let builtin = Lexicon::builtin();
        assert_eq!(
            concept_of(&builtin, Lang::French, "grand").as_deref(),
            Some("big")
        );
    }

    fn fingerprint(lex: &Lexicon) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        lex.fingerprint_into(&mut h);
        h.digest()
    }

    #[test]
    fn fingerprint_follows_entries_not_map_order() {
        let builtin = fingerprint(&Lexicon::builtin());
        assert_eq!(builtin, fingerprint(&Lexicon::builtin()));
        // The same entries inserted in another order (maps laid out differently).
        let mut a = Lexicon::empty();
        a.add_tsv(
            Lang::Indonesian,
            "kuda\thorse\nkuda nil\thippopotamus\n",
            "a",
        )
        .unwrap();
        let mut b = Lexicon::empty();
        b.add_tsv(Lang::Indonesian, "kuda nil\thippopotamus\n", "b")
            .unwrap();
        b.add_tsv(Lang::Indonesian, "kuda\thorse\n", "b").unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        // One more entry, another target, or an entity changes it.
        let mut c = a.clone();
        c.add_tsv(Lang::Indonesian, "sapi\tcow\n", "c").unwrap();
        assert_ne!(fingerprint(&a), fingerprint(&c));
        let mut d = a.clone();
        d.add_tsv(Lang::Indonesian, "kuda\tpony\n", "d").unwrap();
        assert_ne!(fingerprint(&a), fingerprint(&d));
        let mut e = a.clone();
        e.add_entities_tsv("UN\tPBB\t*\n", "e").unwrap();
        assert_ne!(fingerprint(&a), fingerprint(&e));
        assert_ne!(fingerprint(&a), builtin);
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
        // Another language's name is read when capitalised and no entity of the text's own
        // language starts there; its own language's is preferred.
        lex.add_entities_tsv(
            "CALIFORNIA\tCalifornia\ten\nCALIFORNIA\tKalifornia\tid\nJAVA\tJava\ten\n\
             JAVA_SEA\tJava Sea\ten\nJAVA\tJawa\tid\nOTHER\tJava\tid\n",
            "e",
        )
        .unwrap();
        let code = |lang, toks: &[(&str, &str)]| {
            lex.entity_at(lang, toks).map(|(n, c)| (n, c.to_string()))
        };
        assert_eq!(
            code(Lang::Indonesian, &[("California", "california")]),
            Some((1, "CALIFORNIA".into()))
        );
        assert_eq!(
            code(Lang::English, &[("Kalifornia", "kalifornia")]),
            Some((1, "CALIFORNIA".into()))
        );
        assert_eq!(
            code(Lang::Indonesian, &[("california", "california")]),
            None
        );
        assert_eq!(
            code(Lang::Indonesian, &[("Java", "java")]),
            Some((1, "OTHER".into()))
        );
        assert_eq!(
            code(Lang::French, &[("Java", "java"), ("Sea", "sea")]),
            Some((2, "JAVA_SEA".into()))
        );
        // Acronyms stay in their language.
        assert!(lex.entity_at(Lang::English, &[("AS", "as")]).is_none());
        // Surfaces with currency symbols are skipped, not reduced to a letter.
        assert_eq!(lex.add_entities_tsv("AUD\tA$\t*\n", "e").unwrap(), 0);
        assert!(lex.entity_at(Lang::English, &[("A", "a")]).is_none());
    }

    #[test]
    fn acronyms_match_their_initialisms() {
        let mut lex = Lexicon::empty();
        // Two lines, one entity each: the initialism is another spelling, not counted, and a
        // line that writes the initialism itself is counted once.
        assert_eq!(
            lex.add_entities_tsv("CEO\tCEO\t*\nUS\tAS\tid\nUS\tUS\ten\nUS\tU.S.\ten\n", "e")
                .unwrap(),
            4
        );
        let code = |lang, w: &str| {
            lex.entity_at(lang, &[(w, &w.to_lowercase())])
                .map(|(_, c)| c.to_string())
        };
        assert_eq!(code(Lang::English, "C.E.O.").as_deref(), Some("CEO"));
        assert_eq!(code(Lang::Indonesian, "C.E.O.").as_deref(), Some("CEO"));
        assert_eq!(code(Lang::English, "U.S.").as_deref(), Some("US"));
        // The initialism keeps its line's language, and case.
        assert_eq!(code(Lang::Indonesian, "A.S.").as_deref(), Some("US"));
        assert_eq!(code(Lang::English, "A.S."), None);
        assert_eq!(code(Lang::English, "c.e.o."), None);
        // Only acronyms of 2-6 capitals: not names, not longer all-capital words.
        assert_eq!(initialism_of("CEO").as_deref(), Some("C.E.O."));
        assert_eq!(initialism_of("Nissan"), None);
        assert_eq!(initialism_of("A"), None);
        assert_eq!(initialism_of("ABCDEFG"), None);
        assert_eq!(initialism_of("U.S."), None);
    }
}
