//! The language-aware half: text → features.
//!
//! Stages, one file each, in pipeline order: [`normalize`](self) → detect → tokenize →
//! anchors → stopwords → stem → concepts → features. [`Analyzer`] runs them.

pub(crate) mod anchors;
mod bits;
pub(crate) mod concepts;
pub(crate) mod detect;
mod extract;
pub(crate) mod features;
mod markup;
pub(crate) mod normalize;
pub(crate) mod profile;
mod scratch;
pub(crate) mod segment;
pub(crate) mod stem;
pub(crate) mod stopwords;
pub(crate) mod tokenize;
mod word_cache;

pub use concepts::{FreedictDirection, FreedictLoad, Lexicon};
pub use detect::{Detection, DetectionMethod};
pub use features::Feature;

use crate::{Error, Lang, Result};
use ahash::AHashMap;
use std::sync::{Arc, RwLock};
use stem::SnowballStemmer;
use word_cache::WordCache;

/// Default limit of text analysed per document (bytes); the rest is ignored and reported.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;

/// Version of what the analysis produces, part of [`Analyzer::fingerprint`]. Raise it with
/// every change that changes features on purpose (a regenerated `tests/golden/analysis.txt`):
/// an index built with the old analysis is then refused instead of mixing two analyses.
/// (2: native digits and the number words of other scripts, which change the features of
/// Arabic, Persian, Urdu, Hindi, Bengali, Russian and Chinese text, not of English or
/// Indonesian; 3: Russian names keyed by their stem; 4: issue 11's script items — sentences
/// end at `।` `؟` `۔`, Persian `/` decimals, Russian and French space-grouped thousands,
/// month names of ru ar fa hi fr es pt de — none of which changes English or Indonesian;
/// 5: Urdu's own function-word list, Swahili's function words on Shona's profile; 6: Arabic
/// and Russian number words, Russian sentence-initial words whose stem the text also writes
/// in lowercase no longer names; 7: Arabic proclitics stripped before stemming, Arabic function
/// words behind a glued conjunction; 8: with a lexicon, an unknown capitalised word at a
/// sentence's start or in a title-case headline is a name unless the text writes it in
/// lowercase; 9: English irregular verb forms and plurals folded to their base; 10: when
/// whatlang is unsure, the lexicon votes for English or Indonesian, which changes the
/// language, so every feature, of most headlines given alone; 11: a score or range `a-b` is
/// anchored smaller side first, so `2-1` and `1-2` are one anchor; 12: photo and image
/// credits outside the headline are dropped, `Photo: Wakil Kohsar/Getty Images`; 13: an
/// entity's acronym written as an initialism, `C.E.O.`, is that entity; 14: English stems
/// folded to their derivational family's, `decision` and `decide` one concept, deaths one;
/// 15: a capitalised word no entity of its text's language starts is looked up among the
/// other languages' names, `California` in Indonesian text as in English; 16: English verbs
/// made with -en are their adjective's concept, `darkened` → `dark`, and `Arab` an entity;
/// 17: comparatives and superlatives are their adjective's concept, `largest` → `large`;
/// 18: another language's name is not read for a word of the text's language whose capital
/// only opens a sentence or a title-case headline, `Chili Prices Soar` is not Chile; 19:
/// Malay spellings read as Indonesian — `malay.tsv` in the lexicon, Malay function words,
/// `Mac`/`Ogos` months, `peratus`, `bilion`, and digits glued to `RM` as ringgit; 20: a text
/// read as Indonesian whose function words are Malay spellings reads `1,500` as 1500; 21:
/// wire credits (`Reporting by …`), footers and Indonesian portals' calls to action dropped
/// as boilerplate lines; 22: a hyphenated word the lexicon lists whole is that entry
/// (`undang-undang` law, not `undang` invite), and English `feet`, `defence`, `programme`,
/// `economic` (→ economy), `identification` (→ identify) and a few more folded; 23:
/// `promising` and other forms of words whose ending only looks British stay as written
/// (they had become `promizing`), `risky`/`fully`/`exposure`/`minimum` join their family,
/// `criteria` its singular; `menurut` is according, `perjalanan` travel; 24: Malay `wang`
/// (money) and `lapan` (eight) out of the lexicon, so the surname Wang and the agency LAPAN
/// stay names; 25: about 1,450 more Indonesian lexicon entries in three second supplements
/// (everyday news words, and affixed forms whose root was misread: `memohon` plead, not
/// `pohon` tree), and 57 more Indonesian function words (`sebesar`, `sebanyak`, `usai`,
/// `nyaris` …); 26: English news synonyms folded to the everyday word's concept, `quake` →
/// earthquake, `graft` → corruption, `probe` → investigation, `jailed` → prison; 27: a
/// short text whatlang is unsure of is English or Indonesian when two of its content words
/// only that language knows and no other language's function word is among them, so a
/// headline given alone is no longer read as Finnish or Javanese; 28: `tegar`, `anggun`,
/// `harum` and `merpati` out of the lexicon again — given names and an airline more often than
/// words in news, and a capitalised word the lexicon knows is read as its concept, not as a
/// name; 29: a word the lexicon knows, capitalised mid-sentence right after a name and never
/// written in lowercase in the text, is a surname too, `George Bush` → name:bush beside
/// bush; 30: English `people` is the plural of person, the concept the lexicon gives
/// `orang`; 31: a given name that is also a word (`data/names/`: `Surya`, `Putri`, `Mark`,
/// `Bill`), capitalised before a name, is a name too; 32: the outlet of a dateline
/// (`KOMPAS.com`, `TEMPO.CO`, `(Reuters)`) and a byline in a text's first lines are blanked;
/// 33: web addresses (`https://…`, `www.…`, `pic.twitter.com/…`) are dropped; 34: about
/// 2,000 Indonesian entries in three third supplements (sport, media and religion; crime,
/// transport and cities; work, energy and environment), `saling` a function word, English
/// `home` → house, `crash` → accident, `gunmen` → gunman, `bahan bakar` the entity FUEL;
/// 35: 17 more English news synonyms (`attorney` → lawyer, `spokeswoman` → spokesman,
/// `homicide` → murder, `custody` → detain, `negotiations` → talks, `shooter` → gunman,
/// `town` → city, `ill` → sick, `boss` → chief …), Indonesian `tindakan keras` crackdown and
/// `perisa` flavour; 36: Spanish, French and Portuguese number words (`tres`, `trois`,
/// `três` → `num:3`; `profile/numbers.rs`), which were local words, or names when they
/// opened a sentence; 37: 80 more Indonesian function words (question words, discourse
/// particles, colloquial forms: `siapa`, `mengapa`, `seharusnya`, `misalnya`, `nggak`) and
/// 124 everyday words the lexicon lacked (`data/lexicon/id-en/everyday.tsv`: `disampaikan`
/// → say, `beraroma` → flavor, `penegakan` → enforcement …), which were kept as themselves;
/// 38: HTML left in the text resolved before normalisation (`markup.rs`: tags of HTML's own
/// vocabulary removed, character references such as `&quot;`, `&#39;`, `&amp;` decoded),
/// which were words (`quot`, `amp`, `nbsp`, `p`) or split the word they sat in; 39: built-in
/// French, Spanish, Portuguese, Russian and Chinese dictionaries into English
/// (`data/lexicon/{fr,es,pt,ru,zh}-en/`, 3,500–4,200 entries each, `profile/lexicons.rs`) and
/// their names of countries, cities and organisations (`entities.tsv`; Chinese ones as
/// entries), whose words were language-local features; a segmented word of a language
/// written without spaces is looked up in its dictionary; 40: built-in Arabic, Persian, Urdu,
/// Hindi, Bengali, Swahili and Tagalog dictionaries (`data/lexicon/{ar,fa,ur,hi,bn,sw,tl}-en/`,
/// with the inflected forms news writes) and their languages' names of countries, cities and
/// organisations, whose words were language-local features; Arabic-script vowel marks and the
/// tatweel removed in normalisation; 41: function words the project adds to the lists of
/// Arabic, Persian, Urdu, Hindi, Bengali, Swahili and Tagalog (`data/stopwords/additions/`:
/// auxiliaries, pronouns and postpositions in the forms news writes), which were
/// language-local features; an Arabic word no entry knows read without a glued preposition
/// when the rest is an entry, `لزيادة` → increase; 42: dates in Urdu, Bengali, Swahili and
/// Tagalog (their month names; Bengali's day endings `১৫ই`; Tagalog's `ika-15 ng Marso`) and
/// with months written as numbers (Chinese, Japanese, Korean `3月15日`: `date:03-15` and
/// `num:15`; `2020年` a year), which were numbers and local words; the month names of a
/// language with a built-in lexicon read as the English month; Chinese segments that together
/// are one headword (`世界卫生组织`, WHO) read as it; Persian and Urdu read Arabic `ي`/`ك`
/// as `ی`/`ک`, in their text and in Persian's published function words; 43: a Bengali, Hindi,
/// Urdu or Persian word no entry knows read without an inflectional ending when its base form
/// is an entry (`হাসপাতালগুলিতে` → hospital, `बताएगी` → `बताना`, `کشورهایی` → country); 44:
/// `common.tsv`, the frequent vocabulary of every domain, in the Arabic, Persian, Urdu, Hindi,
/// Bengali, Swahili, Tagalog and Russian dictionaries (English sides only words the others
/// use, so English analysis is unchanged); number words of Hindi, Urdu, Bengali, Persian,
/// Swahili and Tagalog; Hindi plurals of nouns in short `ि` and in `-ाई`; 45: `common.tsv` in
/// the French, Spanish and Portuguese dictionaries; 46: the English/Indonesian month table
/// recognised by its content, never its address, so English month names (`March`, `may`)
/// are no lexicon words of the other languages in any build: which build read them as words
/// had depended on whether the compiler gave a `const` one address; 47: a headword spelled as
/// another headword's stem takes the key back from it, whichever was loaded first (French
/// `grand` big, not `grandir` grow), and an Arabic word is looked up without its article before
/// its stem (`المالية` finance, not `مال` money); 48: `common.tsv` in the Chinese dictionary;
/// 49: Chinese and Japanese numbers in Han numerals (`三名`, `十五天`) are number anchors; 50:
/// Urdu typed with Arabic heh `ه` reads each word with `ہ` or `ھ`, whichever spelling the
/// language knows (`بهی` → `بھی`, `زیاده` → `زیادہ`); 51: Malay words and expressions no
/// Indonesian entry reached (`malay_more.tsv`), what Malay reads otherwise than Indonesian
/// read in Malay documents (`malay_senses.tsv`: `kerajaan` government, not kingdom), more
/// words telling Malay from Indonesian, Malay names of countries and organisations; 52:
/// `more.tsv` in the Bengali, Hindi, Swahili and Tagalog dictionaries (mostly inflected verb
/// forms), Bengali's emphatic `ও` after any noun ending, Chinese and Japanese dates in Han
/// numerals (`三月十五日`); 53: a text with more characters of a script written without spaces
/// (Han, kana, Thai) than words in letters is not decided by English or Indonesian function
/// words, and those characters vote against both (a Chinese article quoting English); 54:
/// Swahili and Tagalog vote with English and Indonesian when whatlang is unsure (a Swahili
/// headline had been read as Zulu, a Tagalog one as Javanese); 55: `more.tsv` in the Arabic,
/// Urdu and Russian dictionaries; 56: `more.tsv` in the Chinese dictionary; 57: `more.tsv` in
/// the Persian dictionary; 58: `more.tsv` in the French, Spanish and Portuguese
/// dictionaries; 59: `basic.tsv`, the core general vocabulary, in the Arabic and Bengali
/// dictionaries; 60: the same in the Hindi, Chinese and Tagalog dictionaries; 61: and in the
/// Urdu, Persian, Russian and Swahili dictionaries.)
pub(crate) const ANALYSIS_VERSION: u32 = 61;

/// Texts analysed by [`Analyzer::fingerprint`]: one or two sentences in each way the analysis
/// works (English, Indonesian with its lexicon, numbers and dates, another language with a
/// stemmer, a script without spaces), so a change in behaviour that the version constant
/// missed still changes the fingerprint.
const FINGERPRINT_PROBES: &[(Option<&str>, &str)] = &[
    (
        Some("Floods kill eight in Semarang"),
        "Floods in Semarang killed eight people on Monday, 2 February 2026, and forced 12,000 \
         residents from their homes, the disaster agency BNPB said. Damage reached US$1.4 million.",
    ),
    (
        Some("Banjir rendam Semarang"),
        "Banjir di Kota Semarang menewaskan delapan orang pada Senin (2/2/2026) dan memaksa \
         12.000 warga mengungsi, kata BNPB. Pemerintah menjalin kemitraan senilai Rp 2,5 triliun.",
    ),
    (
        None,
        "Le gouvernement français a annoncé mardi un plan de 3,5 milliards d'euros pour les \
         hôpitaux de Marseille.",
    ),
    (None, "北京市政府周一宣布，新的地铁线路将于2026年开通。"),
];

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
    /// Part of a photo or image credit (`Photo: Wakil Kohsar/Getty Images`), dropped.
    Credit,
    /// Part of a web address (`https://…`, `www.…`, `pic.twitter.com/…`), dropped.
    Link,
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
    /// [`Analyzer::fingerprint`], computed on first use (an analyzer never changes once built;
    /// every `Index::open` asks for it, and it costs about 2 ms).
    fingerprint: std::sync::OnceLock<u64>,
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

    /// **Experimental.** Window for order-free concept pairs; 0 turns pairs off. Default 0:
    /// mixed into one set with the unigrams, pairs with a window of 3 took dev en–id F1 from
    /// 1.000 to 0.48 (DESIGN.md "Pairs"). They may return as verification evidence rather
    /// than as sketched features.
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
            // The default lexicon is the process's shared one, not a copy of it.
            lexicon: self.lexicon.map_or_else(Lexicon::shared, Arc::new),
            pair_window: self.pair_window,
            max_bytes: self.max_bytes,
            stemmers,
            cache: Arc::new(RwLock::new(WordCache::default())),
            fingerprint: std::sync::OnceLock::new(),
        })
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

    /// A fingerprint of what this analyser produces: the same value in every process for
    /// analysers that give the same features, a different one (with overwhelming probability)
    /// when anything differs. It hashes (XXH3-64) the analysis version, the feature-hash
    /// scheme version, the settings (`pair_window`, `max_bytes`), every lexicon entry and
    /// entity (sorted: independent of hash-map order and of the order they were added in),
    /// and the features of a few fixed probe texts. A persistent [`Index`](crate::Index)
    /// stores it and refuses to open with an analyser whose fingerprint differs.
    ///
    /// ```
    /// use lintas::{Analyzer, Lang, Lexicon};
    /// let a = Analyzer::new().fingerprint();
    /// assert_eq!(a, Analyzer::new().fingerprint());
    /// let mut lex = Lexicon::builtin();
    /// lex.add_tsv(Lang::Indonesian, "kuda nil\thippopotamus\n", "extra.tsv").unwrap();
    /// assert_ne!(a, Analyzer::builder().lexicon(lex).build().unwrap().fingerprint());
    /// assert_ne!(a, Analyzer::builder().max_bytes(4096).build().unwrap().fingerprint());
    /// ```
    pub fn fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| self.compute_fingerprint())
    }

    fn compute_fingerprint(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(b"lintas analysis");
        h.update(&ANALYSIS_VERSION.to_le_bytes());
        h.update(&crate::hash::SCHEME_VERSION.to_le_bytes());
        h.update(&(self.pair_window as u64).to_le_bytes());
        h.update(&(self.max_bytes as u64).to_le_bytes());
        self.lexicon.fingerprint_into(&mut h);
        for (title, body) in FINGERPRINT_PROBES {
            let a = self.analyze_article(*title, body);
            h.update(a.detection().lang().map_or("", Lang::code).as_bytes());
            h.update(&(a.features().len() as u64).to_le_bytes());
            for f in a.features() {
                h.update(&f.hash.to_le_bytes());
                h.update(&[f.kind.tag(), f.position as u8]);
                h.update(&f.count.to_le_bytes());
            }
        }
        h.digest()
    }

    /// Detects the language of a text (normalising it first).
    pub fn detect(&self, text: &str) -> Detection {
        let text = self.cut(text).0;
        let norm = normalize::normalize(text);
        detect::detect(&norm, &tokenize::tokenize(&norm), &self.lexicon)
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

    /// Analyses an article given as a title and a body, detecting its language.
    ///
    /// The features are exactly those of [`Analyzer::analyze`] on the title and the body
    /// joined by a blank line (the body alone when it already starts with the title, or when
    /// the title is missing or blank), as [`jsonl::Record::full_text`](crate::jsonl::Record::full_text)
    /// joins them. What the title adds is each feature's [`Position`](crate::Position): the
    /// title's words are the headline, the body's first sentences the lead. Without a title,
    /// the body's first sentence is the headline.
    ///
    /// ```
    /// use lintas::{Analyzer, Position};
    /// let analyzer = Analyzer::new();
    /// let title = "Banjir rendam Semarang";
    /// let body = "Delapan orang tewas pada Senin. BNPB mencatat 12.000 pengungsi.";
    /// let a = analyzer.analyze_article(Some(title), body);
    /// // The same features as the glued text, with positions.
    /// let glued = analyzer.analyze(&format!("{title}\n\n{body}"));
    /// assert_eq!(a.hashes(), glued.hashes());
    /// let semarang = a.features().iter().find(|f| &*f.label == "ent:SEMARANG").unwrap();
    /// assert_eq!(semarang.position, Position::Headline);
    /// ```
    pub fn analyze_article(&self, title: Option<&str>, body: &str) -> Analysis {
        let (text, title_end) = article_text(title, body);
        self.run_with(&text, None, title_end)
    }

    /// Like [`Analyzer::analyze_article`], analysed as `lang` (detection skipped).
    ///
    /// ```
    /// use lintas::{Analyzer, Lang, Position};
    /// let a = Analyzer::new().analyze_article_as(Some("Floods in Semarang"), "Eight died.", Lang::English);
    /// assert_eq!(a.detection().lang(), Some(Lang::English));
    /// assert!(a.features().iter().any(|f| f.position == Position::Headline));
    /// ```
    pub fn analyze_article_as(&self, title: Option<&str>, body: &str, lang: Lang) -> Analysis {
        let (text, title_end) = article_text(title, body);
        self.run_with(&text, Some(lang), title_end)
    }

    fn run(&self, text: &str, forced: Option<Lang>) -> Analysis {
        self.run_with(text, forced, None)
    }

    /// `title_end`: where the title ends in the normalised text.
    fn run_with(&self, text: &str, forced: Option<Lang>, title_end: Option<usize>) -> Analysis {
        let (text, truncated) = self.cut(text);
        let (detection, (words, found)) = self.with_ctx(text, forced, |ctx, d| {
            self.extract(ctx, d.lang(), title_end, None)
        });
        Analysis {
            detection,
            cache: found.has_ids().then(|| Arc::clone(&self.cache)),
            found,
            features: std::sync::OnceLock::new(),
            words,
            truncated,
        }
    }

    /// How each token of a text was used: the lexicon-coverage view (what resolves to a
    /// concept or an anchor, and which words do not). Tokens consumed together (a phrase,
    /// an amount with its scale word) are reported once, with the first token's text. Text
    /// written without spaces (Chinese, Japanese, Thai…) is reported a word at a time, as
    /// the segmenter cut it and the lexicon read it (`世界卫生组织` whole, an anchor).
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
            self.extract(ctx, d.lang(), None, Some(&mut trace));
            trace
                .into_iter()
                .map(|(span, c)| (ctx.text[span].to_string(), c))
                .collect()
        })
    }
}

/// The text an article is analysed as (the title and the body joined by a blank line, or the
/// body alone when it starts with the title or there is none), and where the title ends in
/// that text once normalised (`None` without a title).
///
/// Normalisation works a character and a line at a time, and a line break joins nothing, so
/// the normalised title is the normalised text's prefix.
fn article_text<'a>(
    title: Option<&str>,
    body: &'a str,
) -> (std::borrow::Cow<'a, str>, Option<usize>) {
    let Some(t) = title.filter(|t| !t.trim().is_empty()) else {
        return (std::borrow::Cow::Borrowed(body), None);
    };
    let rest = body.trim_start();
    if rest.starts_with(t.trim()) {
        let end = body.len() - rest.len() + t.trim().len();
        let head = normalize::normalize(&body[..end]).len();
        (std::borrow::Cow::Borrowed(body), Some(head))
    } else {
        let head = normalize::normalize(t).len();
        (
            std::borrow::Cow::Owned(format!("{t}\n\n{body}")),
            Some(head),
        )
    }
}

/// The labels of `text` analysed by `a` as `lang`, sorted: what the analysis's tests compare.
#[cfg(test)]
pub(crate) fn labels_as(a: &Analyzer, text: &str, lang: Lang) -> Vec<String> {
    let mut v: Vec<String> = a
        .analyze_as(text, lang)
        .features()
        .iter()
        .map(|f| f.label.to_string())
        .collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::scratch::{SCRATCH, SCRATCH_KEEP_TOKENS};
    use super::*;
    use crate::hash::feature_hash;

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
}
