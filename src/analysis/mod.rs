//! The language-aware half: text → features.
//!
//! Stages, one file each, in pipeline order: [`normalize`](self) → detect → tokenize →
//! anchors → stopwords → stem → concepts → features. [`Analyzer`] runs them.

pub(crate) mod anchors;
pub(crate) mod concepts;
pub(crate) mod detect;
pub(crate) mod features;
pub(crate) mod normalize;
pub(crate) mod stem;
pub(crate) mod stopwords;
pub(crate) mod tokenize;

pub use concepts::{FreedictDirection, Lexicon};
pub use detect::{Detection, DetectionMethod};
pub use features::Feature;

use crate::hash::feature_hash;
use crate::{AnchorClass, Error, FeatureKind, Lang, Result};
use ahash::AHashMap;
use concepts::{cognate, english_stem, Target};
use features::{FeatureBag, MAX_LABEL_ID};
use std::sync::{Arc, RwLock};
use stem::{indonesian_candidates, SnowballStemmer};
use tokenize::{Token, TokenKind};

/// Default limit of text analysed per document (bytes); the rest is ignored and reported.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;
const CACHE_LIMIT: usize = 400_000;

/// The result of analysing one document.
///
/// Its feature hashes ([`Analysis::hashes`]) are all a signature needs. The features with
/// their labels ([`Analysis::features`]) are made on first use: a label is an `Arc<str>` of the
/// analyser's word cache, and cloning one per feature costs about 6% of the analysis when only
/// a signature is wanted. An analysis keeps the analyser's word cache alive until it is dropped
/// (it holds a reference to it, not a copy).
#[derive(Clone)]
pub struct Analysis {
    detection: Detection,
    found: features::Features,
    /// The analyser's word cache, for the labels `found` holds as ids (`None` if it holds
    /// none).
    cache: Option<Arc<RwLock<WordCache>>>,
    features: std::sync::OnceLock<Vec<Feature>>,
    words: usize,
    truncated: bool,
}

impl Analysis {
    /// The language the analysis used (detected or forced).
    pub fn detection(&self) -> Detection {
        self.detection
    }

    /// The distinct feature hashes, strictly increasing: the input of
    /// [`MinHasher::sketch`](crate::MinHasher::sketch). The same hashes, in the same order, as
    /// [`Analysis::features`], without making their labels.
    ///
    /// ```
    /// use lintas::{Analyzer, MinHasher};
    /// let a = Analyzer::new().analyze("Hujan deras merendam ratusan rumah di Bekasi, Senin.");
    /// let signature = MinHasher::new().sketch(a.hashes());
    /// assert_eq!(signature.cardinality(), a.hashes().len() as u64);
    /// assert!(a.hashes().iter().eq(a.features().iter().map(|f| &f.hash)));
    /// ```
    pub fn hashes(&self) -> &[u64] {
        self.found.hashes()
    }

    /// Features, deduplicated and sorted by hash, with their labels (made on the first call).
    pub fn features(&self) -> &[Feature] {
        self.features.get_or_init(|| self.resolve())
    }

    /// Consumes the analysis, returning its features.
    pub fn into_features(mut self) -> Vec<Feature> {
        match self.features.take() {
            Some(f) => f,
            None => self.resolve(),
        }
    }

    /// The features with their labels.
    fn resolve(&self) -> Vec<Feature> {
        match &self.cache {
            None => self
                .found
                .resolve(|_| unreachable!("an analysis without labels to resolve")),
            Some(cache) => {
                // Labels below the cache's length when the analysis was made are never changed
                // or removed, so a panic elsewhere while writing (a poisoned lock) leaves them
                // intact.
                let c = cache.read().unwrap_or_else(|e| e.into_inner());
                self.found.resolve(|id| c.labels[id as usize].clone())
            }
        }
    }

    /// Number of word and number tokens read.
    pub fn word_count(&self) -> usize {
        self.words
    }

    /// Whether the text was longer than the analyser's byte limit and cut.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// Whether no feature was found (empty text, no words, only stopwords).
    pub fn is_empty(&self) -> bool {
        self.found.len() == 0
    }
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("detection", &self.detection)
            .field("features", &self.features())
            .field("words", &self.words)
            .field("truncated", &self.truncated)
            .finish()
    }
}

/// How the analysis used one token (see [`Analyzer::trace`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenClass {
    /// A function word, dropped.
    Stopword,
    /// A number, amount, percentage or date.
    Number,
    /// A name, entity, acronym or number word: a language-neutral anchor.
    Anchor,
    /// Mapped to a cross-language concept (English stem, lexicon entry or known cognate).
    Concept,
    /// No concept found: kept as the word itself (matches only where spelled alike).
    Unresolved,
    /// A character of a script written without spaces, or a word of a language without a
    /// lexicon: a language-local feature.
    Local,
}

/// The cache key of a lowercase word: its XXH3-64 (never 0, which marks an empty slot of a
/// [`WordTable`]). Keys are compared as integers (no string compare, no pointer chase).
/// In-memory only; two words sharing a key is a ~4·10⁻⁹ event at the cache's size limit.
pub(crate) fn word_key(low: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(low.as_bytes()).max(1)
}

/// Mixed into a word's key to give the key of its name anchor in the same table.
const NAME_SALT: u64 = u64::from_le_bytes(*b"name:\0\0\0");

/// Words of one language by [`word_key`]: open addressing with linear probing, the entry
/// stored in its slot. Keys are uniform hashes, so a key's low bits pick its first slot, and
/// loading that slot ([`WordTable::touch`]) brings the entry into cache.
#[derive(Debug, Clone, Default)]
struct WordTable {
    /// A power of two many slots (or none), at most three quarters full; key 0 is empty.
    slots: Vec<(u64, WordInfo)>,
    len: usize,
}

impl WordTable {
    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn get(&self, key: u64) -> Option<&WordInfo> {
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
    fn touch(&self, key: u64) -> u64 {
        if self.slots.is_empty() {
            return 0;
        }
        self.slots[key as usize & (self.slots.len() - 1)].0
    }

    /// Adds a word; a key already present keeps its entry.
    fn insert(&mut self, key: u64, info: WordInfo) {
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

    fn into_entries(self) -> impl Iterator<Item = (u64, WordInfo)> {
        self.slots.into_iter().filter(|(k, _)| *k != 0)
    }
}

/// The word's lexicon (or the English vocabulary) knows it: not a name when capitalised.
const KNOWN: u8 = 1;
/// A function word of the language.
const STOP: u8 = 2;
/// A number word (`five`, `lima`, `ketujuh`): [`WordInfo::extra`] holds its value.
const NUMBER: u8 = 4;
/// An entity starts with this word (lowercase; entities written in capitals are looked up
/// by the token as written).
const ENTITY: u8 = 8;
/// Needs a look at its neighbours or its spelling: `pm`/`am` after a number, `ke-7`.
const SPECIAL: u8 = 16;

/// What one word contributes, cached per language: 24 bytes, so the cache stays small and a
/// lookup touches one cache line. Features are `(hash, kind, label id)`; the first is kept
/// inline (most words have exactly one), the others in [`WordCache::extras`].
#[derive(Debug, Clone, Copy)]
struct WordInfo {
    /// The first feature's hash.
    hash: u64,
    /// The first feature's label id (see [`WordCache::labels`]).
    label: u32,
    /// Index of the second feature in [`WordCache::extras`] (the rest follow it); for a
    /// number word (which has no features), its value.
    extra: u32,
    /// How many features the word has.
    feats: u8,
    /// Which lexicon phrases of the word's language start with it
    /// ([`Lexicon::phrase_index`]; 0 for none): in the padding the other fields leave.
    phrases: u32,
    /// The first feature's kind.
    kind: FeatureKind,
    /// [`KNOWN`], [`STOP`], [`NUMBER`], [`ENTITY`], [`SPECIAL`].
    flags: u8,
    /// The class reported by [`Analyzer::trace`].
    class: TokenClass,
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
struct Extra {
    hash: u64,
    label: u32,
    kind: FeatureKind,
}

/// The analyser's word cache: words per language, and the labels and extra features they
/// refer to by id.
#[derive(Debug, Default)]
struct WordCache {
    words: AHashMap<Lang, WordTable>,
    labels: Vec<Arc<str>>,
    extras: Vec<Extra>,
}

impl WordCache {
    fn len(&self) -> usize {
        self.words.values().map(|m| m.len()).sum()
    }
}

/// Words computed while analysing one document, added to the shared cache at its end. Their
/// label and extra ids continue the shared cache's (from `label_base` and `extra_base`).
#[derive(Default)]
struct LocalWords {
    words: WordTable,
    labels: Vec<Arc<str>>,
    extras: Vec<Extra>,
    label_base: u32,
    extra_base: u32,
}

impl LocalWords {
    /// Adds a label made for this document: its id, or `None` past the end of the label id
    /// space (2^31 labels, far beyond memory).
    fn add_label(&mut self, label: Arc<str>) -> Option<u32> {
        let id = self.label_base as usize + self.labels.len();
        if id > MAX_LABEL_ID as usize {
            return None;
        }
        self.labels.push(label);
        Some(id as u32)
    }

    /// The label with id `id`: this document's, or the shared cache's below `label_base`.
    fn label<'a>(&'a self, cache: Option<&'a WordCache>, id: u32) -> &'a Arc<str> {
        match id.checked_sub(self.label_base) {
            Some(j) => &self.labels[j as usize],
            None => cache.map_or_else(|| unreachable!(), |c| &c.labels[id as usize]),
        }
    }

    /// The extra feature with id `id`: this document's, or the shared cache's below
    /// `extra_base`.
    fn extra(&self, cache: Option<&WordCache>, id: u32) -> Extra {
        match id.checked_sub(self.extra_base) {
            Some(j) => self.extras[j as usize],
            None => cache.map_or_else(|| unreachable!(), |c| c.extras[id as usize]),
        }
    }

    /// The entry under `key`: from the shared table, from this document's, or made by
    /// `compute` and added to this document's.
    fn entry(
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

/// Turns text into features. Immutable and `Send + Sync`: share one across threads.
///
/// Each thread that analyses keeps the per-token buffers of its last document for its next one
/// (a few megabytes at most; an enormous document's buffers are freed instead).
///
/// ```
/// use lintas::{Analyzer, FeatureKind, Lang};
/// let analyzer = Analyzer::new();
/// let a = analyzer.analyze("Pemerintah kota Medan menjalin kemitraan senilai 10 juta yuan.");
/// assert_eq!(a.detection().lang(), Some(Lang::Indonesian));
/// let labels: Vec<&str> = a.features().iter().map(|f| &*f.label).collect();
/// assert!(labels.contains(&"amt:CNY:10000000"));
/// assert!(labels.contains(&"partnership"));
/// ```
#[derive(Debug)]
pub struct Analyzer {
    lexicon: Arc<Lexicon>,
    pair_window: usize,
    max_bytes: usize,
    stemmers: AHashMap<Lang, SnowballStemmer>,
    cache: Arc<RwLock<WordCache>>,
}

/// Builder for [`Analyzer`].
#[derive(Debug, Clone)]
pub struct AnalyzerBuilder {
    lexicon: Option<Lexicon>,
    pair_window: usize,
    max_bytes: usize,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

impl AnalyzerBuilder {
    /// The lexicon (default: [`Lexicon::builtin`]).
    pub fn lexicon(mut self, lexicon: Lexicon) -> Self {
        self.lexicon = Some(lexicon);
        self
    }

    /// Window for order-free concept pairs; 0 turns pairs off (default: 0 — measured not to
    /// help cross-language matching, see DESIGN.md).
    pub fn pair_window(mut self, window: usize) -> Self {
        self.pair_window = window;
        self
    }

    /// Bytes of text analysed per document (default [`DEFAULT_MAX_BYTES`]); the rest is
    /// ignored and [`Analysis::truncated`] says so.
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// Builds the analyser.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `pair_window` > 8 or `max_bytes` < 64.
    pub fn build(self) -> Result<Analyzer> {
        if self.pair_window > 8 {
            return Err(Error::invalid(
                "pair_window",
                self.pair_window,
                "must be at most 8",
            ));
        }
        if self.max_bytes < 64 {
            return Err(Error::invalid(
                "max_bytes",
                self.max_bytes,
                "must be at least 64",
            ));
        }
        let stemmers = Lang::ALL
            .iter()
            .filter_map(|&l| SnowballStemmer::for_lang(l).map(|s| (l, s)))
            .collect();
        Ok(Analyzer {
            lexicon: Arc::new(self.lexicon.unwrap_or_else(Lexicon::builtin)),
            pair_window: self.pair_window,
            max_bytes: self.max_bytes,
            stemmers,
            cache: Arc::new(RwLock::new(WordCache::default())),
        })
    }
}

/// The per-token buffers of one document ([`Ctx`]), kept per thread between documents so
/// that their memory is reused rather than allocated and freed for every document.
#[derive(Default)]
struct Scratch {
    tokens: Vec<Token>,
    arena: String,
    lows: Vec<(usize, usize)>,
    keys: Vec<u64>,
}

/// Buffers of documents of more tokens than this are freed, not kept.
const SCRATCH_KEEP_TOKENS: usize = 1 << 16;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Per-token view used while analysing.
struct Ctx<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    /// Lowercase forms of the tokens that are not plain, one after another.
    arena: String,
    /// Where each token that is not plain has its lowercase form in `arena`.
    lows: Vec<(usize, usize)>,
    /// The [`word_key`] of each token's lowercase form (0 for symbols).
    keys: Vec<u64>,
}

impl Ctx<'_> {
    /// The lowercase form of token `i`.
    #[inline]
    fn low(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        if t.plain {
            &self.text[t.start..t.end]
        } else {
            let (a, b) = self.lows[i];
            &self.arena[a..b]
        }
    }
}

impl Analyzer {
    /// An analyser with the built-in lexicon and default settings.
    pub fn new() -> Analyzer {
        Analyzer::builder().build().expect("defaults are valid")
    }

    /// A builder with the defaults.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder {
            lexicon: None,
            pair_window: 0,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Detects the language of a text (normalising it first).
    pub fn detect(&self, text: &str) -> Detection {
        let text = self.cut(text).0;
        let norm = normalize::normalize(text);
        detect::detect(&norm, &tokenize::tokenize(&norm))
    }

    fn cut<'a>(&self, text: &'a str) -> (&'a str, bool) {
        if text.len() <= self.max_bytes {
            return (text, false);
        }
        let mut end = self.max_bytes;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (&text[..end], true)
    }

    /// Analyses a text, detecting its language. Undetermined text is analysed for anchors
    /// and language-local words only.
    pub fn analyze(&self, text: &str) -> Analysis {
        self.run(text, None)
    }

    /// Analyses a text as `lang` (detection skipped).
    pub fn analyze_as(&self, text: &str, lang: Lang) -> Analysis {
        self.run(text, Some(lang))
    }

    fn run(&self, text: &str, forced: Option<Lang>) -> Analysis {
        let (text, truncated) = self.cut(text);
        let (detection, (words, found)) =
            self.with_ctx(text, forced, |ctx, d| self.extract(ctx, d.lang(), None));
        Analysis {
            detection,
            cache: found.has_ids().then(|| Arc::clone(&self.cache)),
            found,
            features: std::sync::OnceLock::new(),
            words,
            truncated,
        }
    }

    /// Normalises, tokenises and detects (unless `forced`), then runs `f` on the result.
    fn with_ctx<R>(
        &self,
        text: &str,
        forced: Option<Lang>,
        f: impl FnOnce(&Ctx, Detection) -> R,
    ) -> (Detection, R) {
        let norm = normalize::normalize(text);
        // This thread's buffers from the previous document (empty if another analysis on this
        // thread holds them).
        let Scratch {
            tokens,
            mut arena,
            mut lows,
            mut keys,
        } = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        let tokens = tokenize::tokenize_into(&norm, tokens);
        let detection = match forced {
            Some(l) => Detection::forced(l),
            None => detect::detect(&norm, &tokens),
        };
        // Lowercase forms in one buffer: no allocation per capitalised word.
        arena.clear();
        arena.reserve(norm.len() / 4);
        keys.clear();
        keys.reserve(tokens.len());
        lows.clear();
        lows.extend(tokens.iter().map(|t| {
            let w = t.text(&norm);
            // Entities and phrases may continue with a number (`Formula 1`).
            let word = t.kind != TokenKind::Symbol;
            if t.plain {
                keys.push(if word { word_key(w) } else { 0 });
                return (0, 0);
            }
            let a = arena.len();
            if w.is_ascii() {
                arena.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                arena.push_str(&w.to_lowercase());
            }
            keys.push(if word { word_key(&arena[a..]) } else { 0 });
            (a, arena.len())
        }));
        let ctx = Ctx {
            text: &norm,
            tokens,
            arena,
            lows,
            keys,
        };
        let r = f(&ctx, detection);
        // Back for the next document, unless an enormous one made them too big to keep.
        if ctx.tokens.capacity() <= SCRATCH_KEEP_TOKENS {
            let Ctx {
                tokens,
                arena,
                lows,
                keys,
                ..
            } = ctx;
            SCRATCH.with(|s| {
                *s.borrow_mut() = Scratch {
                    tokens,
                    arena,
                    lows,
                    keys,
                }
            });
        }
        (detection, r)
    }

    /// How each token of a text was used: the lexicon-coverage view (what resolves to a
    /// concept or an anchor, and which words do not). Tokens consumed together (a phrase,
    /// an amount with its scale word) are reported once, with the first token's text.
    ///
    /// ```
    /// use lintas::{Analyzer, TokenClass};
    /// let (_, trace) = Analyzer::new().trace("Pemerintah membatalkan kemitraan itu pada 2020.");
    /// assert!(trace.contains(&("membatalkan".to_string(), TokenClass::Concept)));
    /// assert!(trace.contains(&("itu".to_string(), TokenClass::Stopword)));
    /// assert!(trace.contains(&("2020".to_string(), TokenClass::Number)));
    /// ```
    pub fn trace(&self, text: &str) -> (Detection, Vec<(String, TokenClass)>) {
        let (text, _) = self.cut(text);
        self.with_ctx(text, None, |ctx, d| {
            let mut trace = Vec::new();
            self.extract(ctx, d.lang(), Some(&mut trace));
            trace
                .into_iter()
                .map(|(i, c)| (ctx.tokens[i].text(ctx.text).to_string(), c))
                .collect()
        })
    }

    /// Keys of the words capitalised mid-sentence somewhere (outside title-case sentences),
    /// sorted: names even where capitalisation is uninformative.
    fn mid_caps(ctx: &Ctx) -> Vec<u64> {
        // Every key is written and the end moves past it only when it qualifies: a branch
        // here would be as good as random to the predictor.
        let mut mid_caps = vec![0u64; ctx.tokens.len() + 1];
        let mut k = 0;
        for (t, &key) in ctx.tokens.iter().zip(&ctx.keys) {
            mid_caps[k] = key;
            k += usize::from((t.kind == TokenKind::Word) & t.cap & !t.sentence_start & !t.title);
        }
        mid_caps.truncate(k);
        mid_caps.sort_unstable();
        mid_caps.dedup();
        mid_caps
    }

    /// Features of a tokenised text, and the number of word and number tokens read.
    fn extract(
        &self,
        ctx: &Ctx,
        lang: Option<Lang>,
        mut trace: Option<&mut Vec<(usize, TokenClass)>>,
    ) -> (usize, features::Features) {
        let mut note = |i: usize, c: TokenClass| {
            if let Some(t) = trace.as_deref_mut() {
                t.push((i, c));
            }
        };
        let lex = &*self.lexicon;
        let n = ctx.tokens.len();
        let mid_caps = Self::mid_caps(ctx);
        // Undetermined text still gets anchors: entity surfaces marked for any language match,
        // and numbers are read with the decimal comma, as in most languages other than
        // English. (Esperanto is only the stand-in that selects that behaviour.)
        let lang_or = lang.unwrap_or(Lang::Esperanto);
        let lower_of = |j: usize| ctx.low(j);
        let phrases = lang.and_then(|l| lex.phrases(l));
        let lexicon_less = lang.is_some_and(|l| !l.has_lexicon());
        // Anchor labels are written into these buffers, reused from token to token.
        let mut labels = anchors::Labels::default();
        let mut scratch = String::with_capacity(64);
        // The shared word cache is read under one lock per document; words it lacks are
        // computed into `local` and added when the document is done.
        let guard = self.cache.read().ok();
        let cache: Option<&WordCache> = guard.as_deref();
        let shared = cache.and_then(|c| lang.and_then(|l| c.words.get(&l)));
        let mut local = LocalWords {
            label_base: cache.map_or(0, |c| c.labels.len() as u32),
            extra_base: cache.map_or(0, |c| c.extras.len() as u32),
            ..LocalWords::default()
        };
        // Touch every word's cache entry first, in a loop whose lookups do not depend on each
        // other: the processor overlaps their cache misses, which the main loop would otherwise
        // take one at a time.
        if let Some(m) = shared {
            let touched = ctx.keys.iter().fold(0u64, |acc, &k| acc ^ m.touch(k));
            std::hint::black_box(touched);
        }
        let mut bag = FeatureBag::new(self.pair_window > 0, n);
        let mut words = 0;
        let mut i = 0;
        let mut unspaced_prev: Option<usize> = None;
        while i < n {
            let t = ctx.tokens[i];
            let raw = t.text(ctx.text);
            // A plain token is its own lowercase form.
            let low: &str = if t.plain { raw } else { ctx.low(i) };
            match t.kind {
                TokenKind::Symbol => {
                    i += 1;
                    continue;
                }
                TokenKind::Unspaced => {
                    words += 1;
                    let code = lang.map_or("xx", |l| l.code());
                    if let Some(p) = unspaced_prev.filter(|&p| ctx.tokens[p].end == t.start) {
                        bag.push(
                            FeatureKind::Local,
                            &format!("{code}:{}{}", ctx.tokens[p].text(ctx.text), raw),
                        );
                    } else if !ctx
                        .tokens
                        .get(i + 1)
                        .is_some_and(|x| x.kind == TokenKind::Unspaced && x.start == t.end)
                    {
                        bag.push(FeatureKind::Local, &format!("{code}:{raw}"));
                    }
                    unspaced_prev = Some(i);
                    note(i, TokenClass::Local);
                    i += 1;
                    continue;
                }
                TokenKind::Number | TokenKind::Word => {}
            }
            words += 1;
            let word = t.kind == TokenKind::Word;
            // Currency prefixes glued to `$` (US$), or to digits (Rp2,5); never lowercase.
            if word && !t.plain && anchors::is_dollar_prefix(ctx.text, &ctx.tokens, i) {
                note(i, TokenClass::Number);
                i += 1;
                continue;
            }
            // A number, or the digits of a word glued to `Rp`: (its text, its currency).
            let number = if word {
                (!t.plain)
                    .then(|| raw.strip_prefix("Rp").or_else(|| raw.strip_prefix("RP")))
                    .flatten()
                    .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                    .map(|rest| (rest, Some("IDR")))
            } else {
                Some((raw, None))
            };
            if let Some((num_text, currency)) = number {
                labels.clear();
                let after = anchors::number_at(
                    ctx.text,
                    &ctx.tokens,
                    i,
                    lang_or,
                    &lower_of,
                    num_text,
                    currency,
                    &mut labels,
                );
                for l in labels.iter() {
                    bag.push(FeatureKind::Anchor, l);
                }
                note(i, TokenClass::Number);
                i += 1 + after;
                continue;
            }
            let key = ctx.keys[i];
            let info = local.entry(shared, key, |local| self.compute_word(lang, low, local));
            let entity = info.flags & ENTITY != 0;
            let special = info.flags & SPECIAL != 0;
            // "3 PM", "10 a.m.": times, not prime ministers.
            if special
                && matches!(low, "pm" | "am" | "p.m." | "a.m.")
                && i > 0
                && ctx.tokens[i - 1].kind == TokenKind::Number
            {
                note(i, TokenClass::Number);
                i += 1;
                continue;
            }
            // Entities (places, organisations, acronyms), longest first.
            // Tokens after this one, at most 6 in all.
            let end = n.min(i + 6);
            let next = |k: usize| (i + k < end).then_some(i + k);
            // A capitalised word is looked up as written only when it has no lowercase letter:
            // case-sensitive entities are written in capitals, the others are keyed lowercase.
            let written_key = |j: usize| {
                let t = &ctx.tokens[j];
                if t.plain {
                    ctx.keys[j]
                } else {
                    word_key(t.text(ctx.text))
                }
            };
            if entity
                || (!t.plain
                    && !raw.chars().any(char::is_lowercase)
                    && raw != low
                    && lex.has_entities_for(written_key(i)))
            {
                if let Some((len, code)) = lex.entity_from(
                    lang_or,
                    (written_key(i), key),
                    |k| next(k).map(written_key),
                    |k| next(k).map(|j| ctx.keys[j]),
                ) {
                    scratch.clear();
                    scratch.push_str(AnchorClass::Entity.prefix());
                    scratch.push_str(code);
                    bag.push(FeatureKind::Anchor, &scratch);
                    note(i, TokenClass::Anchor);
                    i += len;
                    continue;
                }
            }
            // Multi-word lexicon entries.
            if let Some(p) = phrases.filter(|_| info.phrases != 0) {
                if let Some((len, target)) =
                    lex.phrase_in(p, info.phrases, |k| next(k).map(|j| ctx.keys[j]))
                {
                    push_target(&mut bag, target);
                    note(i, TokenClass::Concept);
                    i += len;
                    continue;
                }
            }
            // Ordinals written ke-7 / ke-7nya.
            if let Some(d) = low.strip_prefix("ke-").filter(|_| special) {
                let digits: String = d.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(v) = digits.parse::<u64>() {
                    scratch.clear();
                    scratch.push_str(AnchorClass::Number.prefix());
                    anchors::push_uint(&mut scratch, v);
                    bag.push(FeatureKind::Anchor, &scratch);
                    note(i, TokenClass::Number);
                    i += 1;
                    continue;
                }
            }
            if info.flags & NUMBER != 0 {
                scratch.clear();
                scratch.push_str(AnchorClass::Number.prefix());
                anchors::push_uint(&mut scratch, u64::from(info.extra));
                bag.push(FeatureKind::Anchor, &scratch);
                note(i, TokenClass::Anchor);
                i += 1;
                continue;
            }
            if info.flags & STOP != 0 {
                note(i, TokenClass::Stopword);
                i += 1;
                continue;
            }
            // A plain token (lowercase ASCII) is neither an acronym nor a name.
            let caps = t.cap;
            // Letters of a capitalised word, counted only where the checks get that far.
            let letters = || raw.chars().filter(|c| c.is_alphabetic()).count();
            // Acronyms: all capitals, 2–6 letters (dots of initialisms dropped).
            if caps
                && raw.len() <= 8
                && !raw.chars().any(char::is_lowercase)
                && letters() >= 2
                && !title_shouting(ctx, i)
            {
                scratch.clear();
                scratch.push_str(AnchorClass::Acronym.prefix());
                scratch.extend(raw.chars().filter(|c| *c != '.'));
                bag.push(FeatureKind::Anchor, &scratch);
                note(i, TokenClass::Anchor);
                i += 1;
                continue;
            }
            let informative =
                caps && ((!t.sentence_start && !t.title) || mid_caps.binary_search(&key).is_ok());
            if caps && info.flags & KNOWN == 0 && (informative || lexicon_less) && letters() >= 2 {
                // The name feature is cached like a word, under a key of its own.
                let name_key = (key ^ NAME_SALT).max(1);
                let name = local.entry(shared, name_key, |local| Self::name_word(low, local));
                if name.feats == 1 {
                    bag.push_id(name.hash, name.kind, name.label);
                } else {
                    bag.push(
                        FeatureKind::Anchor,
                        &format!("{}{}", AnchorClass::Name.prefix(), fold_name(low)),
                    );
                }
                note(i, TokenClass::Anchor);
                i += 1;
                continue;
            }
            if info.feats > 0 {
                bag.push_id(info.hash, info.kind, info.label);
                for k in 1..u32::from(info.feats) {
                    let e = local.extra(cache, info.extra + k - 1);
                    bag.push_id(e.hash, e.kind, e.label);
                }
            }
            note(i, info.class);
            i += 1;
        }
        // The shared cache's labels stay ids until asked for; this document's new ones are
        // resolved now (their ids change when they join the shared cache).
        let features = bag.finish(self.pair_window, local.label_base, |id| {
            local.label(cache, id).clone()
        });
        drop(guard);
        self.remember(lang, local);
        (words, features)
    }

    /// Adds words computed for one document to the shared cache (bounded by `CACHE_LIMIT`),
    /// moving their label and extra ids after what the cache holds now.
    fn remember(&self, lang: Option<Lang>, local: LocalWords) {
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
    fn name_word(low: &str, local: &mut LocalWords) -> WordInfo {
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

    /// What a word contributes; its labels and extra features go to `local`.
    fn compute_word(&self, lang: Option<Lang>, low: &str, local: &mut LocalWords) -> WordInfo {
        let lex = &*self.lexicon;
        let mut feats: Vec<(u64, FeatureKind, Arc<str>)> = Vec::new();
        let mut known = false;
        let mut resolved = true;
        let mut push = |kind: FeatureKind, label: Arc<str>| {
            feats.push((feature_hash(kind, &label), kind, label));
        };
        match lang {
            Some(Lang::Indonesian) => {
                let parts = reduplication_parts(low);
                for part in parts {
                    if stopwords::is_stopword(Lang::Indonesian, part) {
                        known = true;
                        continue;
                    }
                    let found = indonesian_candidates(part)
                        .into_iter()
                        .find_map(|c| lex.word(Lang::Indonesian, &c).cloned());
                    match found {
                        Some(target) => {
                            known = true;
                            target_feats(&target, &mut push);
                        }
                        None => match cognate(lex, part) {
                            Some(stem) => {
                                known = lex.knows_english_stem(&stem);
                                resolved &= known;
                                push(FeatureKind::Concept, stem);
                            }
                            None => {
                                resolved = false;
                                push(FeatureKind::Concept, english_stem(part));
                            }
                        },
                    }
                }
            }
            Some(Lang::English) => {
                for part in low.split('-').filter(|p| !p.is_empty()) {
                    if stopwords::is_stopword(Lang::English, part) {
                        known = true;
                        continue;
                    }
                    let stem = english_stem(&british_to_american(part));
                    known |= lex.knows_english_stem(&stem);
                    push(FeatureKind::Concept, stem);
                }
            }
            Some(l) => {
                if let Some(target) = lex.word(l, low).cloned().or_else(|| {
                    let s = self.stemmers.get(&l)?.stem(low).into_owned();
                    lex.word(l, &s).cloned()
                }) {
                    known = true;
                    target_feats(&target, &mut push);
                } else {
                    let key = match self.stemmers.get(&l) {
                        Some(s) => s.stem(low).into_owned(),
                        None => low.to_string(),
                    };
                    push(FeatureKind::Local, Arc::from(format!("{}:{key}", l.code())));
                }
            }
            None => push(FeatureKind::Local, Arc::from(format!("xx:{low}"))),
        }
        let number = lang.and_then(|l| anchors::number_word(l, low));
        let key = word_key(low);
        let flag = |on: bool, f: u8| if on { f } else { 0 };
        let mut info = WordInfo {
            hash: 0,
            label: 0,
            extra: number.unwrap_or(0),
            feats: 0,
            phrases: lang.map_or(0, |l| lex.phrase_index(l, key)),
            kind: FeatureKind::Concept,
            flags: flag(known, KNOWN)
                | flag(lang.is_some_and(|l| stopwords::is_stopword(l, low)), STOP)
                | flag(number.is_some(), NUMBER)
                | flag(lex.has_entities_for(key), ENTITY)
                | flag(
                    matches!(low, "pm" | "am" | "p.m." | "a.m.") || low.starts_with("ke-"),
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

fn push_target(bag: &mut FeatureBag, target: &Target) {
    match target {
        Target::Concepts(stems) => {
            for s in stems.iter() {
                bag.push_hashed(
                    feature_hash(FeatureKind::Concept, s),
                    FeatureKind::Concept,
                    s,
                );
            }
        }
        Target::Entity(code) => bag.push(
            FeatureKind::Anchor,
            &format!("{}{code}", AnchorClass::Entity.prefix()),
        ),
    }
}

fn target_feats(target: &Target, push: &mut impl FnMut(FeatureKind, Arc<str>)) {
    match target {
        Target::Concepts(stems) => {
            for s in stems.iter() {
                push(FeatureKind::Concept, s.clone());
            }
        }
        Target::Entity(code) => push(
            FeatureKind::Anchor,
            Arc::from(format!("{}{code}", AnchorClass::Entity.prefix())),
        ),
    }
}

/// The parts of a hyphenated Indonesian word worth analysing: one copy of a reduplication
/// (`perusahaan-perusahaan`, `negara-negaranya` → the copy with the suffix, `bermain-main`),
/// every part of other compounds, the word itself when it has no hyphen.
fn reduplication_parts(w: &str) -> Vec<&str> {
    let Some((a, b)) = w.split_once('-') else {
        return vec![w];
    };
    if b.contains('-') {
        return w.split('-').filter(|p| !p.is_empty()).collect();
    }
    if a == b || a.ends_with(b) {
        vec![a]
    } else if b.starts_with(a) {
        vec![b]
    } else {
        vec![a, b].into_iter().filter(|p| !p.is_empty()).collect()
    }
}

/// A few British spellings folded to American ones, so both stem alike.
fn british_to_american(w: &str) -> std::borrow::Cow<'_, str> {
    /// Words whose ending only looks British.
    const NOT_BRITISH: &[&str] = &[
        "advise",
        "exercise",
        "otherwise",
        "promise",
        "surprise",
        "enterprise",
        "expertise",
        "franchise",
        "compromise",
        "premise",
        "rise",
        "wise",
        "noise",
        "cruise",
        "raise",
        "praise",
        "concise",
        "precise",
        "hour",
        "four",
        "your",
        "tour",
        "pour",
        "flour",
        "detour",
        "contour",
        "hours",
        "yours",
        "tours",
    ];
    /// `-tre` words folded whatever their stem length (`metre` has a two-letter stem).
    const TRE_WORDS: &[&str] = &[
        "centre", "centres", "metre", "metres", "litre", "litres", "fibre", "theatre",
    ];
    for (br, am) in [
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ise", "ize"),
        ("isations", "izations"),
        ("our", "or"),
        ("ours", "ors"),
        ("tre", "ter"),
        ("tres", "ters"),
    ] {
        if let Some(stem) = w.strip_suffix(br) {
            if (stem.len() >= 3 && !NOT_BRITISH.contains(&w)) || TRE_WORDS.contains(&w) {
                return std::borrow::Cow::Owned(format!("{stem}{am}"));
            }
        }
    }
    std::borrow::Cow::Borrowed(w)
}

/// Sentences written in capitals: acronym detection would take every word.
fn title_shouting(ctx: &Ctx, i: usize) -> bool {
    let lo = i.saturating_sub(3);
    let hi = (i + 4).min(ctx.tokens.len());
    let long_caps = (lo..hi)
        .filter(|&j| j != i && ctx.tokens[j].kind == TokenKind::Word)
        .filter(|&j| {
            let w = ctx.tokens[j].text(ctx.text);
            w.chars().count() >= 4 && !w.chars().any(char::is_lowercase)
        })
        .count();
    long_caps >= 2
}

/// Lowercase name with diacritics removed (`Bílek` → `bilek`).
fn fold_name(low: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if low.is_ascii() {
        return low.to_string();
    }
    low.nfd()
        .filter(|c| !matches!(*c as u32, 0x0300..=0x036F))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_made_on_demand_match_labels_made_at_once() {
        let text = "Gempa bermagnitudo 5,6 mengguncang Cianjur pada Senin, kata BMKG.";
        let a = Analyzer::new();
        let cold = a.analyze(text);
        assert!(
            cold.cache.is_none(),
            "a first analysis makes its labels at once"
        );
        let expected = cold.features().to_vec();
        // Warm: every label is the cache's, left as an id.
        let warm = a.analyze(text);
        assert!(warm.cache.is_some());
        let copy = warm.clone();
        // The cache grows (its label vector moves) before the labels are asked for, and the
        // analyser is gone.
        for i in 0..300 {
            let _ = a.analyze(&format!(
                "Wartawan{i} melaporkan kata{i} baru dari kota{i} itu."
            ));
        }
        drop(a);
        assert_eq!(warm.hashes().len(), expected.len());
        assert!(warm.hashes().iter().eq(expected.iter().map(|f| &f.hash)));
        assert_eq!(warm.features(), &expected[..]);
        // Once made, the labelled features are cloned with the analysis and handed over.
        assert_eq!(warm.clone().into_features(), expected);
        assert_eq!(copy.into_features(), expected);
        for f in warm.features() {
            assert_eq!(f.hash, feature_hash(f.kind, &f.label), "{}", f.label);
        }
    }

    #[test]
    fn buffers_reused_between_documents_carry_nothing_over() {
        let a = Analyzer::new();
        let short = "Banjir melanda Jakarta pada 3 Januari 2024, kata BNPB.";
        let first = a.analyze(short).into_features();
        // More tokens than the kept buffers may hold (they are freed), then a document that
        // leaves longer buffers behind than the short one fills.
        let long = "Pemerintah kota Medan menjalin kemitraan senilai 10 juta yuan. ".repeat(9_000);
        assert!(long.len() < DEFAULT_MAX_BYTES);
        let n_long = a.analyze(&long).features().len();
        assert_eq!(a.analyze(short).into_features(), first);
        let medium =
            "The United Nations said on Monday that 5 million people in Gaza need aid. ".repeat(40);
        let _ = a.analyze(&medium);
        assert_eq!(a.analyze(short).into_features(), first);
        // And the long one again, after the short ones.
        assert_eq!(a.analyze(&long).features().len(), n_long);
        assert!(SCRATCH.with(|s| s.borrow().tokens.capacity()) <= SCRATCH_KEEP_TOKENS);
    }

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

    #[test]
    fn reduplication() {
        assert_eq!(reduplication_parts("perusahaan-perusahaan"), ["perusahaan"]);
        assert_eq!(reduplication_parts("negara-negaranya"), ["negaranya"]);
        assert_eq!(reduplication_parts("bermain-main"), ["bermain"]);
        assert_eq!(reduplication_parts("rumah"), ["rumah"]);
        assert_eq!(reduplication_parts("sayur-mayur"), ["sayur", "mayur"]);
    }

    #[test]
    fn british_spellings_fold() {
        assert_eq!(british_to_american("organisation"), "organization");
        assert_eq!(british_to_american("centre"), "center");
        assert_eq!(british_to_american("labour"), "labor");
        assert_eq!(british_to_american("hour"), "hour");
        assert_eq!(british_to_american("rise"), "rise");
        assert_eq!(british_to_american("metres"), "meters");
        assert_eq!(british_to_american("litre"), "liter");
        assert_eq!(british_to_american("theatre"), "theater");
        assert_eq!(british_to_american("tours"), "tours");
        assert_eq!(british_to_american("colour"), "color");
    }

    #[test]
    fn names_fold_diacritics() {
        assert_eq!(fold_name("bílek"), "bilek");
    }
}
