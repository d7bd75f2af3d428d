//! Seeded synthetic corpora for the scale benchmark (`scalegen`, `scalebench`): background
//! documents that are about no common event, near-copies injected at known places, and
//! cross-language translation pairs taken from a source pool, with the injected pairs written
//! to a truth file.
//!
//! # What a corpus holds
//!
//! Every line is `{"id": "s0000001", "title": …, "text": …}` (no `lang`: `dedup` detects it).
//! Ids are `s` and the 1-based position in seven digits. A document is one of:
//!
//! * **Background.** A title and a body of 1,200–1,800 bytes in one language (drawn by its
//!   share of the pool's sentences), whose sentences (one a line) are drawn at random from all
//!   of that language's sentences, so they nearly always come from different source
//!   documents, and then *perturbed*: every number's digits are redrawn, every capitalised
//!   word that does not start its sentence becomes a generated name (random syllables; an
//!   all-capitals word becomes random capitals), and each remaining content word (not
//!   capitalised; four letters or more, or two in scripts without case) is replaced, with
//!   probability [`Params::word_rate`], by a word drawn from the same language's running text
//!   of the pool (so by word frequency). The title is the first 6–12 words of another
//!   perturbed sentence. Two background documents then share no names or numbers but
//!   generated collisions, and only a fraction of the words of any source sentence they both
//!   drew: they are not about one event, and `dedup` should flag (close to) none of their
//!   pairs. Languages written without spaces between words (zh, ja, th, lo, km, my) are not
//!   used for background documents, since their words cannot be replaced one by one. Nor is
//!   any document of an article that gives a cross-language pair, in the pair's languages or
//!   in any language with a built-in lexicon into English (Malay): drawn into the background,
//!   its sentences would recur, a third of their words intact, in some 200 documents at 1M —
//!   partial translations of the injected pair that are labelled unrelated, and whose words
//!   are no longer rare (generator version 1 did this; see the README's Scale section).
//! * **Near-copy** of a background document (its *base*, used by no other copy and itself no
//!   copy). The title is kept. Of the base's `n` sentences, exactly `round(edit_rate × n)`
//!   (at least 1 when the rate is above 0) are *changed*, chosen at random; each changed
//!   sentence is, with probability ½, *replaced* in place by a new background sentence of the
//!   same language, with probability ¼ *dropped*, and with probability ¼ *moved*: taken out
//!   and put at the other end of the document (a sentence in the first half goes after the last
//!   sentence, one in the second half before the first). The unchanged sentences keep their
//!   text and their order. So `n − changed` sentences of the base appear in the copy
//!   verbatim and in order, and the truth file gives `changed` and `n` for each copy.
//! * **Cross-language pair**: two documents of the pool, in two languages of
//!   [`Params::cross_langs`] (`en-id` by default), that are translations of one article (same
//!   `meta.article`; in a pool without `meta`, such as the bundled sample, same `event`),
//!   copied verbatim (title and text) under fresh ids at two random places. A pool document is
//!   used at most once, so the number of pairs is capped at what the pool has.
//!
//! The truth file lists the injected pairs, one a line: `{"a": base, "b": copy, "kind":
//! "near-copy", "changed": c, "sentences": n}` and `{"a": id, "b": id, "kind":
//! "cross-language"}`. Every other pair is unrelated, except that pool passages cut from one
//! source text (TICO-19) may be close: flags among injected documents outside the truth are
//! counted apart from flags among background documents ([`Score`]).
//!
//! # Determinism
//!
//! The output is a function of the parameters and the pool's bytes alone: a SplitMix64
//! generator ([`Rng`]) is seeded per document from the seed and the document's position, so a
//! base can be regenerated when its copy is written and the corpus is streamed.

use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// The generator's version, part of cached corpus names: bump it when the output changes.
pub const VERSION: u32 = 2;

/// Languages written without spaces between words: not used for background documents.
const UNSPACED: &[&str] = &["zh", "ja", "th", "lo", "km", "my"];

/// SplitMix64 (Steele, Lea and Flood 2014; the seeding generator of xoshiro): small, fast and
/// good enough to draw sentences and positions.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started at `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The generator of one document: `stream` tells apart the draws made for one position
    /// (0: its background text, 1: the edits of a near-copy).
    pub fn for_doc(seed: u64, index: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ 0x5851_f42d_4c95_7f2d);
        let a = r.next_u64();
        let mut r = Rng(a ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (stream << 60));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (Lemire's multiply-shift; `n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64) < p
    }
}

/// One document of the pool, as read.
#[derive(Debug, Clone)]
struct SourceDoc {
    title: Option<String>,
    text: String,
    lang: String,
}

/// The sentences and words of one language of the pool.
#[derive(Debug, Default)]
struct LangText {
    code: String,
    sentences: Vec<Sentence>,
    /// Content words of the running text, with repetition (drawn by frequency).
    words: Vec<String>,
}

/// The source pool: sentences by language and translation pairs.
#[derive(Debug)]
pub struct Pool {
    /// Where the pool came from, for the report.
    pub origin: String,
    langs: Vec<LangText>,
    /// Cumulative sentence counts of `langs`, to draw a language by its share of sentences.
    cumulative: Vec<usize>,
    pairs: Vec<(SourceDoc, SourceDoc)>,
    docs: usize,
}

/// The default pool: every `*.jsonl` of `../shared/eval` beside the workspace when there is
/// one, else the bundled sample `examples/data/sample.jsonl`.
pub fn default_sources() -> Vec<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("eval/ is inside the workspace")
        .to_path_buf();
    let shared = workspace.join("../shared/eval");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&shared)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        files.push(workspace.join("examples/data/sample.jsonl"));
    }
    files
}

/// Splits a text into sentences: at line breaks, and after `.`, `?` or `!` followed by a space
/// and an upper-case letter, a digit or a quote.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let b = line.as_bytes();
        for i in 0..b.len() {
            if matches!(b[i], b'.' | b'?' | b'!') && b.get(i + 1) == Some(&b' ') {
                let next = line[i + 2..].chars().next();
                if next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"') {
                    out.push(line[start..=i].trim());
                    start = i + 2;
                }
            }
        }
        out.push(line[start..].trim());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// A token's leading punctuation, core and trailing punctuation.
fn split_token(t: &str) -> (&str, &str, &str) {
    let core_start = t
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(t.len(), |(i, _)| i);
    let core_end = t
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(core_start, |(i, c)| i + c.len_utf8());
    (&t[..core_start], &t[core_start..core_end], &t[core_end..])
}

/// A content word: starting with a letter that is not a capital, with no digit or ASCII
/// punctuation (marks of scripts such as Devanagari count as letters), and four characters or
/// more in a cased script (Latin, Cyrillic), two or more in a script without case (Arabic,
/// Devanagari, Bengali), whose words are shorter.
fn is_content_word(w: &str) -> bool {
    let Some(first) = w.chars().next() else {
        return false;
    };
    let cased = first.is_lowercase();
    (first.is_alphabetic() && !first.is_uppercase())
        && w.chars().count() >= if cased { 4 } else { 2 }
        && w.chars()
            .all(|c| c.is_alphabetic() || !(c.is_ascii() || c.is_numeric()))
}

/// What the perturbation does to a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Kept as it is.
    Keep,
    /// Has digits: they are redrawn.
    Number,
    /// A capitalised word that does not start its sentence: a generated name.
    Name,
    /// All capitals: random capitals of the same length.
    Acronym,
    /// A content word: replaced with probability `word_rate`.
    Content,
}

/// A token of a pool sentence: the byte offsets of its core (the part between leading and
/// trailing punctuation) and its class.
#[derive(Debug, Clone, Copy)]
struct Token {
    core_start: u32,
    core_end: u32,
    class: Class,
    /// Characters in the core.
    chars: u16,
}

/// A pool sentence, tokenised once.
#[derive(Debug, Clone)]
struct Sentence {
    text: String,
    tokens: Vec<Token>,
}

impl Sentence {
    fn new(text: &str) -> Sentence {
        let mut tokens = Vec::new();
        let base = text.as_ptr() as usize;
        for (k, t) in text.split_whitespace().enumerate() {
            let start = t.as_ptr() as usize - base;
            let (pre, core, _) = split_token(t);
            let chars = core.chars().count();
            let class = if core.chars().any(char::is_numeric) {
                Class::Number
            } else if k > 0 && core.chars().next().is_some_and(char::is_uppercase) {
                if chars > 1 && core.chars().all(char::is_uppercase) {
                    Class::Acronym
                } else {
                    Class::Name
                }
            } else if is_content_word(core) {
                Class::Content
            } else {
                Class::Keep
            };
            tokens.push(Token {
                core_start: (start + pre.len()) as u32,
                core_end: (start + pre.len() + core.len()) as u32,
                class,
                chars: chars.min(usize::from(u16::MAX)) as u16,
            });
        }
        Sentence {
            text: text.to_string(),
            tokens,
        }
    }
}

impl Pool {
    /// Reads the pool from JSONL files (fields `text`, and optionally `title`, `lang`,
    /// `event`, `meta.article`). Documents repeated across files (same text) are read once.
    ///
    /// # Errors
    /// A file cannot be read or a line is not a JSON object with a string `text`.
    pub fn load(files: &[PathBuf], cross_langs: &[(String, String)]) -> Result<Pool, String> {
        let mut seen = HashSet::new();
        let mut docs: Vec<SourceDoc> = Vec::new();
        // Translation groups: meta.article, or event for documents without meta.
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for f in files {
            let file =
                std::fs::File::open(f).map_err(|e| format!("cannot open {}: {e}", f.display()))?;
            for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
                let line = line.map_err(|e| format!("{}: {e}", f.display()))?;
                if line.trim().is_empty() {
                    continue;
                }
                let v: Value = serde_json::from_str(&line)
                    .map_err(|e| format!("{}:{}: {e}", f.display(), n + 1))?;
                let text = v["text"]
                    .as_str()
                    .ok_or_else(|| format!("{}:{}: no string `text`", f.display(), n + 1))?;
                if !seen.insert(text.to_string()) {
                    continue;
                }
                let group = match v.get("meta") {
                    Some(Value::Object(m)) => m.get("article").and_then(Value::as_str),
                    _ => v["event"].as_str(),
                };
                if let Some(g) = group {
                    groups.entry(g.to_string()).or_default().push(docs.len());
                }
                docs.push(SourceDoc {
                    title: v["title"].as_str().map(str::to_string),
                    text: text.to_string(),
                    lang: v["lang"].as_str().unwrap_or("und").to_string(),
                });
            }
        }
        let mut used = HashSet::new();
        let mut pairs = Vec::new();
        for members in groups.values() {
            for (x, y) in cross_langs {
                let find = |lang: &str, used: &HashSet<usize>| {
                    members
                        .iter()
                        .copied()
                        .find(|&i| docs[i].lang == lang && !used.contains(&i))
                };
                if let (Some(a), Some(b)) = (find(x, &used), find(y, &used)) {
                    used.insert(a);
                    used.insert(b);
                    pairs.push((a, b));
                }
            }
        }
        // Set aside from the background every document of a pair's article that would share
        // concepts with the pair: its two languages and every language whose words map into
        // the shared concept space (a built-in lexicon). Drawn into background documents, its
        // sentences would recur, a third of their words intact, in hundreds of documents at
        // 1M: partial translations of the injected pair, and its words no longer rare.
        let pair_langs: HashSet<&str> = cross_langs
            .iter()
            .flat_map(|(x, y)| [x.as_str(), y.as_str()])
            .collect();
        let shares_concepts = |lang: &str| {
            pair_langs.contains(lang)
                || lintas::Lang::from_code(lang).is_some_and(|l| l.has_lexicon())
        };
        let mut aside = HashSet::new();
        for members in groups.values() {
            if members.iter().any(|i| used.contains(i)) {
                aside.extend(
                    members
                        .iter()
                        .copied()
                        .filter(|&i| shares_concepts(&docs[i].lang)),
                );
            }
        }
        let mut by_lang: BTreeMap<String, LangText> = BTreeMap::new();
        for (i, d) in docs.iter().enumerate() {
            if UNSPACED.contains(&d.lang.as_str()) || aside.contains(&i) {
                continue;
            }
            let lt = by_lang.entry(d.lang.clone()).or_insert_with(|| LangText {
                code: d.lang.clone(),
                ..LangText::default()
            });
            for s in sentences(&d.text) {
                let words = s.split_whitespace().count();
                if (30..=400).contains(&s.len()) && words >= 5 {
                    lt.sentences.push(Sentence::new(s));
                }
                lt.words.extend(
                    s.split_whitespace()
                        .map(|t| split_token(t).1)
                        .filter(|w| is_content_word(w))
                        .map(str::to_string),
                );
            }
        }
        let langs: Vec<LangText> = by_lang
            .into_values()
            .filter(|l| l.sentences.len() >= 2 && !l.words.is_empty())
            .collect();
        if langs.is_empty() {
            return Err(if aside.is_empty() {
                "the pool has no usable sentences".into()
            } else {
                format!(
                    "the pool has no usable sentences outside the {} documents of its \
                     translation pairs' articles, which background documents do not draw from",
                    aside.len()
                )
            });
        }
        let cumulative = langs
            .iter()
            .scan(0, |acc, l| {
                *acc += l.sentences.len();
                Some(*acc)
            })
            .collect();
        let pairs = pairs
            .into_iter()
            .map(|(a, b)| (docs[a].clone(), docs[b].clone()))
            .collect();
        let origin = files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Pool {
            origin,
            langs,
            cumulative,
            pairs,
            docs: docs.len(),
        })
    }

    /// Documents read (repeats across files counted once).
    pub fn docs(&self) -> usize {
        self.docs
    }

    /// Sentences usable for background documents.
    pub fn sentences(&self) -> usize {
        self.langs.iter().map(|l| l.sentences.len()).sum()
    }

    /// The languages of background documents.
    pub fn languages(&self) -> Vec<&str> {
        self.langs.iter().map(|l| l.code.as_str()).collect()
    }

    /// Translation pairs available for cross-language pairs.
    pub fn pairs_available(&self) -> usize {
        self.pairs.len()
    }

    /// A source sentence of `lang`, perturbed. The text between changed tokens is copied as
    /// one slice.
    fn sentence(&self, lang: usize, rng: &mut Rng, word_rate: f64) -> String {
        let lt = &self.langs[lang];
        let s = &lt.sentences[rng.below(lt.sentences.len())];
        let mut out = String::with_capacity(s.text.len() + 16);
        let mut kept = 0; // start of the text not yet copied
        for t in &s.tokens {
            let (from, to) = (t.core_start as usize, t.core_end as usize);
            let core = &s.text[from..to];
            let flush = |out: &mut String| out.push_str(&s.text[kept..from]);
            match t.class {
                Class::Keep => continue,
                Class::Content if !rng.chance(word_rate) => continue,
                Class::Content => {
                    flush(&mut out);
                    out.push_str(&lt.words[rng.below(lt.words.len())]);
                }
                Class::Number => {
                    flush(&mut out);
                    let mut first = true;
                    for c in core.chars() {
                        if c.is_numeric() {
                            let lo = u8::from(first && c != '0');
                            let d = lo + rng.below(usize::from(10 - lo)) as u8;
                            out.push(char::from(b'0' + d));
                            first = false;
                        } else {
                            out.push(c);
                            first = true;
                        }
                    }
                }
                Class::Name => {
                    flush(&mut out);
                    name(rng, &mut out);
                }
                Class::Acronym => {
                    flush(&mut out);
                    for _ in 0..t.chars {
                        out.push(char::from(b'A' + rng.below(26) as u8));
                    }
                }
            }
            kept = to;
        }
        out.push_str(&s.text[kept..]);
        out
    }

    /// A background document.
    fn background(&self, rng: &mut Rng, word_rate: f64) -> Synthetic {
        let total = *self.cumulative.last().expect("at least one language");
        let pick = rng.below(total);
        let lang = self.cumulative.partition_point(|&c| c <= pick);
        let head = self.sentence(lang, rng, word_rate);
        let words = 6 + rng.below(7);
        let title = head
            .split_whitespace()
            .take(words)
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        let target = 1200 + rng.below(600);
        let mut sentences = Vec::new();
        let mut len = 0;
        while len < target && sentences.len() < 60 {
            let s = self.sentence(lang, rng, word_rate);
            len += s.len() + 1;
            sentences.push(s);
        }
        Synthetic {
            lang,
            title,
            sentences,
        }
    }
}

/// A generated name: three or four consonant–vowel syllables, capitalised.
fn name(rng: &mut Rng, out: &mut String) {
    const C: &[u8] = b"bdfghjklmnprstvwz";
    const V: &[u8] = b"aeiou";
    let syllables = 3 + rng.below(2);
    for k in 0..syllables {
        let c = C[rng.below(C.len())];
        out.push(char::from(if k == 0 { c.to_ascii_uppercase() } else { c }));
        out.push(char::from(V[rng.below(V.len())]));
    }
}

/// A generated document: its pool language, title and sentences.
#[derive(Debug, Clone)]
struct Synthetic {
    lang: usize,
    title: String,
    sentences: Vec<String>,
}

/// What a near-copy changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Replace,
    Drop,
    Move,
}

/// The near-copy of `base` (see the module docs); returns it and the number of changed
/// sentences.
fn near_copy(
    pool: &Pool,
    base: &Synthetic,
    rng: &mut Rng,
    edit_rate: f64,
    word_rate: f64,
) -> (Synthetic, usize) {
    let n = base.sentences.len();
    let mut changed = ((edit_rate * n as f64).round() as usize).min(n);
    if edit_rate > 0.0 {
        changed = changed.max(1);
    }
    let mut order: Vec<usize> = (0..n).collect();
    for k in 0..changed {
        let j = k + rng.below(n - k);
        order.swap(k, j);
    }
    let mut edits: Vec<Option<Edit>> = vec![None; n];
    for &i in &order[..changed] {
        edits[i] = Some(match rng.below(4) {
            0 | 1 => Edit::Replace,
            2 => Edit::Drop,
            _ => Edit::Move,
        });
    }
    let mut body = Vec::with_capacity(n);
    let (mut front, mut back) = (Vec::new(), Vec::new());
    for (i, s) in base.sentences.iter().enumerate() {
        match edits[i] {
            None => body.push(s.clone()),
            Some(Edit::Replace) => body.push(pool.sentence(base.lang, rng, word_rate)),
            Some(Edit::Drop) => {}
            Some(Edit::Move) if 2 * i < n => back.push(s.clone()),
            Some(Edit::Move) => front.push(s.clone()),
        }
    }
    front.extend(body);
    front.extend(back);
    let copy = Synthetic {
        lang: base.lang,
        title: base.title.clone(),
        sentences: front,
    };
    (copy, changed)
}

/// The generator's parameters.
#[derive(Debug, Clone)]
pub struct Params {
    /// Documents in the corpus.
    pub docs: usize,
    /// The seed.
    pub seed: u64,
    /// Share of a near-copy's sentences that are changed (default 0.2).
    pub edit_rate: f64,
    /// Near-copies per document (default 0.01: one in a hundred).
    pub copy_rate: f64,
    /// Cross-language pairs; `None`: one per 200 documents, capped at what the pool has.
    pub cross_pairs: Option<usize>,
    /// Language pairs of cross-language pairs (default `en-id`).
    pub cross_langs: Vec<(String, String)>,
    /// Probability that a content word of a background sentence is replaced (default 0.7).
    pub word_rate: f64,
}

impl Params {
    /// The defaults for `docs` documents and `seed`.
    pub fn new(docs: usize, seed: u64) -> Params {
        Params {
            docs,
            seed,
            edit_rate: 0.2,
            copy_rate: 0.01,
            cross_pairs: None,
            cross_langs: vec![("en".into(), "id".into())],
            word_rate: 0.7,
        }
    }

    /// A file-name stem that names every parameter and the source pool (`tag`), so that a
    /// corpus on disk can be reused only for the same parameters.
    pub fn stem(&self, tag: &str) -> String {
        let langs: Vec<String> = self
            .cross_langs
            .iter()
            .map(|(a, b)| format!("{a}{b}"))
            .collect();
        format!(
            "scale-v{VERSION}-{tag}-n{}-s{}-e{}-c{}-x{}-{}-w{}",
            self.docs,
            self.seed,
            self.edit_rate,
            self.copy_rate,
            self.cross_pairs
                .map_or_else(|| "auto".to_string(), |k| k.to_string()),
            langs.join("+"),
            self.word_rate,
        )
    }
}

/// Parses `en-id,en-ms` into language pairs.
///
/// # Errors
/// An item is not `XX-YY`.
pub fn parse_cross_langs(v: &str) -> Result<Vec<(String, String)>, String> {
    v.split(',')
        .map(|p| {
            p.split_once('-')
                .filter(|(a, b)| !a.is_empty() && !b.is_empty() && a != b)
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .ok_or_else(|| format!("--cross-langs takes pairs such as en-id, got {p:?}"))
        })
        .collect()
}

/// What a generation wrote.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// Documents written.
    pub docs: usize,
    /// Bytes of the corpus file.
    pub bytes: u64,
    /// Background documents (bases of near-copies included).
    pub background: usize,
    /// Near-copies written.
    pub near_copies: usize,
    /// Cross-language pairs written.
    pub cross_pairs: usize,
    /// Translation pairs the pool had.
    pub cross_available: usize,
}

/// The role of a position in the corpus.
#[derive(Debug, Clone, Copy)]
enum Role {
    Background,
    Copy { base: u32 },
    Cross { pair: u32, first: bool },
}

/// The id of the document at 0-based position `i`.
pub fn doc_id(i: usize) -> String {
    format!("s{:07}", i + 1)
}

/// Appends a document's JSON line to `line`.
fn write_doc(line: &mut Vec<u8>, id: &str, title: Option<&str>, text: &str) {
    line.extend_from_slice(b"{\"id\":\"");
    line.extend_from_slice(id.as_bytes());
    line.extend_from_slice(b"\",\"title\":");
    serde_json::to_writer(&mut *line, &title).expect("writing to a Vec");
    line.extend_from_slice(b",\"text\":");
    serde_json::to_writer(&mut *line, text).expect("writing to a Vec");
    line.extend_from_slice(b"}\n");
}

/// Generates a corpus and its truth file from `pool` (see the module docs).
///
/// # Errors
/// Parameters that do not fit (more injected documents than the corpus holds, rates out of
/// range) or a file that cannot be written.
pub fn generate(
    pool: &Pool,
    p: &Params,
    corpus: &mut impl Write,
    truth: &mut impl Write,
) -> Result<Generated, String> {
    if p.docs >= 10_000_000 {
        return Err("at most 9,999,999 documents (seven-digit ids)".into());
    }
    for (name, v) in [
        ("--edit-rate", p.edit_rate),
        ("--copy-rate", p.copy_rate),
        ("--word-rate", p.word_rate),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(format!("{name} must be in [0, 1], got {v}"));
        }
    }
    let cross = p.cross_pairs.unwrap_or(p.docs / 200).min(pool.pairs.len());
    let copies = (p.docs as f64 * p.copy_rate).round() as usize;
    if 2 * cross + 2 * copies > p.docs {
        return Err(format!(
            "{} documents cannot hold {copies} near-copies with their bases and {cross} cross-language pairs",
            p.docs
        ));
    }
    // Places: a seeded shuffle of the positions; the first ones take the injected documents
    // and the bases.
    let mut rng = Rng::new(p.seed);
    let mut places: Vec<u32> = (0..p.docs as u32).collect();
    let taken = 2 * cross + 2 * copies;
    for k in 0..taken {
        let j = k + rng.below(p.docs - k);
        places.swap(k, j);
    }
    let mut roles = vec![Role::Background; p.docs];
    for k in 0..cross {
        roles[places[2 * k] as usize] = Role::Cross {
            pair: k as u32,
            first: true,
        };
        roles[places[2 * k + 1] as usize] = Role::Cross {
            pair: k as u32,
            first: false,
        };
    }
    for k in 0..copies {
        let copy = places[2 * cross + k] as usize;
        let base = places[2 * cross + copies + k];
        roles[copy] = Role::Copy { base };
    }
    drop(places);
    // Which pool pairs: a seeded choice without repetition.
    let mut chosen: Vec<usize> = (0..pool.pairs.len()).collect();
    for k in 0..cross {
        let j = k + rng.below(chosen.len() - k);
        chosen.swap(k, j);
    }
    let mut truth_lines: Vec<(usize, String)> = Vec::new();
    let mut out = Generated {
        cross_pairs: cross,
        cross_available: pool.pairs.len(),
        ..Generated::default()
    };
    let mut cross_places = vec![[0usize; 2]; cross];
    // Documents are made in parallel, a chunk at a time, and written in order: each has its
    // own generator, so the output does not depend on the number of threads.
    const CHUNK: usize = 8192;
    for (c, chunk) in roles.chunks(CHUNK).enumerate() {
        let made: Vec<Made> = chunk
            .par_iter()
            .enumerate()
            .map(|(k, role)| make(pool, p, &chosen, c * CHUNK + k, *role))
            .collect();
        for (k, m) in made.into_iter().enumerate() {
            let i = c * CHUNK + k;
            corpus
                .write_all(&m.line)
                .map_err(|e| format!("cannot write the corpus: {e}"))?;
            out.docs += 1;
            out.bytes += m.bytes as u64;
            match chunk[k] {
                Role::Background => out.background += 1,
                Role::Copy { .. } => out.near_copies += 1,
                Role::Cross { pair, first } => {
                    cross_places[pair as usize][usize::from(!first)] = i;
                }
            }
            if let Some(t) = m.truth {
                truth_lines.push((i, t));
            }
        }
    }
    for [a, b] in cross_places {
        truth_lines.push((
            a.min(b),
            format!(
                "{{\"a\":\"{}\",\"b\":\"{}\",\"kind\":\"cross-language\"}}",
                doc_id(a.min(b)),
                doc_id(a.max(b))
            ),
        ));
    }
    truth_lines.sort();
    for (_, l) in &truth_lines {
        writeln!(truth, "{l}").map_err(|e| format!("cannot write the truth file: {e}"))?;
    }
    Ok(out)
}

/// One document made: its JSON line, its bytes of text and, for a near-copy, its truth line.
struct Made {
    line: Vec<u8>,
    bytes: usize,
    truth: Option<String>,
}

/// Makes the document at position `i`.
fn make(pool: &Pool, p: &Params, chosen: &[usize], i: usize, role: Role) -> Made {
    let id = doc_id(i);
    let mut line = Vec::with_capacity(2048);
    let mut text = String::with_capacity(2048);
    let (bytes, truth) = match role {
        Role::Background => {
            let d = pool.background(&mut Rng::for_doc(p.seed, i as u64, 0), p.word_rate);
            join_lines(&d.sentences, &mut text);
            write_doc(&mut line, &id, Some(&d.title), &text);
            (d.title.len() + text.len(), None)
        }
        Role::Copy { base } => {
            let b = pool.background(&mut Rng::for_doc(p.seed, u64::from(base), 0), p.word_rate);
            let (d, changed) = near_copy(
                pool,
                &b,
                &mut Rng::for_doc(p.seed, i as u64, 1),
                p.edit_rate,
                p.word_rate,
            );
            join_lines(&d.sentences, &mut text);
            write_doc(&mut line, &id, Some(&d.title), &text);
            let t = format!(
                "{{\"a\":\"{}\",\"b\":\"{id}\",\"kind\":\"near-copy\",\"changed\":{changed},\"sentences\":{}}}",
                doc_id(base as usize),
                b.sentences.len()
            );
            (d.title.len() + text.len(), Some(t))
        }
        Role::Cross { pair, first } => {
            let (x, y) = &pool.pairs[chosen[pair as usize]];
            let d = if first { x } else { y };
            write_doc(&mut line, &id, d.title.as_deref(), &d.text);
            (d.title.as_ref().map_or(0, String::len) + d.text.len(), None)
        }
    };
    Made { line, bytes, truth }
}

fn join_lines(sentences: &[String], text: &mut String) {
    for (k, s) in sentences.iter().enumerate() {
        if k > 0 {
            text.push('\n');
        }
        text.push_str(s);
    }
}

/// An injected pair of the truth file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthPair {
    /// The base (near-copy) or first document.
    pub a: String,
    /// The copy (near-copy) or second document.
    pub b: String,
    /// `near-copy` or `cross-language`.
    pub kind: String,
    /// Changed sentences of a near-copy.
    pub changed: Option<usize>,
    /// Sentences of a near-copy's base.
    pub sentences: Option<usize>,
}

/// Reads a truth file.
///
/// # Errors
/// The file cannot be read or a line lacks `a`, `b` or `kind`.
pub fn read_truth(path: &Path) -> Result<Vec<TruthPair>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, l)| {
            let v: Value = serde_json::from_str(l)
                .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
            let s = |k: &str| {
                v[k].as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{}:{}: no `{k}`", path.display(), n + 1))
            };
            let u = |k: &str| v[k].as_u64().map(|x| x as usize);
            Ok(TruthPair {
                a: s("a")?,
                b: s("b")?,
                kind: s("kind")?,
                changed: u("changed"),
                sentences: u("sentences"),
            })
        })
        .collect()
}

/// Flagged pairs scored against the truth.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// Pairs flagged.
    pub flagged: usize,
    /// Near-copy pairs in the truth, and how many were flagged.
    pub near_copy: (usize, usize),
    /// Cross-language pairs in the truth, and how many were flagged.
    pub cross: (usize, usize),
    /// Flagged pairs of two background documents (bases included): false flags.
    pub background_flags: usize,
    /// Other flagged pairs outside the truth (an injected document and another).
    pub other_flags: usize,
    /// The truth's pairs that were not flagged, in the truth file's order.
    pub missed: Vec<TruthPair>,
}

fn recall((total, found): (usize, usize)) -> Option<f64> {
    (total > 0).then(|| found as f64 / total as f64)
}

impl Score {
    /// Recall of near-copies (`None` when there are none).
    pub fn near_copy_recall(&self) -> Option<f64> {
        recall(self.near_copy)
    }

    /// Recall of cross-language pairs (`None` when there are none).
    pub fn cross_recall(&self) -> Option<f64> {
        recall(self.cross)
    }
}

/// Scores `dedup`'s pairs file (`{"a", "b", …}` a line) against the truth.
///
/// # Errors
/// The pairs file cannot be read or a line has no string `a` and `b`.
pub fn score(pairs: &Path, truth: &[TruthPair]) -> Result<Score, String> {
    let key = |a: &str, b: &str| {
        if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let mut wanted: HashMap<(String, String), bool> = HashMap::new();
    let mut injected: HashSet<&str> = HashSet::new();
    let mut s = Score::default();
    for t in truth {
        let near = t.kind == "near-copy";
        wanted.insert(key(&t.a, &t.b), near);
        if near {
            s.near_copy.0 += 1;
        } else {
            s.cross.0 += 1;
            injected.insert(&t.a);
        }
        injected.insert(&t.b);
    }
    let file =
        std::fs::File::open(pairs).map_err(|e| format!("cannot open {}: {e}", pairs.display()))?;
    let mut seen = HashSet::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", pairs.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: {e}", pairs.display(), n + 1))?;
        let (Some(a), Some(b)) = (v["a"].as_str(), v["b"].as_str()) else {
            return Err(format!("{}:{}: no `a` and `b`", pairs.display(), n + 1));
        };
        let k = key(a, b);
        if !seen.insert(k.clone()) {
            continue;
        }
        s.flagged += 1;
        match wanted.get(&k) {
            Some(true) => s.near_copy.1 += 1,
            Some(false) => s.cross.1 += 1,
            None if injected.contains(a) || injected.contains(b) => s.other_flags += 1,
            None => s.background_flags += 1,
        }
    }
    s.missed = truth
        .iter()
        .filter(|t| !seen.contains(&key(&t.a, &t.b)))
        .cloned()
        .collect();
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_the_reference_sequence() {
        // SplitMix64 from 0: the first outputs of the reference implementation.
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        let mut r = Rng::new(7);
        assert!((0..1000).all(|_| r.below(10) < 10));
    }

    #[test]
    fn sentences_split_at_lines_and_full_stops() {
        assert_eq!(
            sentences("One two. Three 4? no split. e.g. this\nNext line"),
            vec!["One two.", "Three 4? no split. e.g. this", "Next line"]
        );
    }

    #[test]
    fn tokens_keep_their_punctuation() {
        assert_eq!(split_token("(Jakarta),"), ("(", "Jakarta", "),"));
        assert_eq!(split_token("--"), ("--", "", ""));
        assert!(
            is_content_word("banjir") && !is_content_word("Banjir") && !is_content_word("a1b2")
        );
    }

    fn line(id: &str, lang: &str, article: &str, text: &str) -> String {
        serde_json::json!({"id": id, "lang": lang, "text": text, "meta": {"article": article}})
            .to_string()
    }

    /// Loads a pool of `lines` (with en–id pairs) from a file of its own under `name`.
    fn load(name: &str, lines: &[String]) -> Result<Pool, String> {
        let dir = std::env::temp_dir().join(format!("lintas-scale-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("pool.jsonl");
        std::fs::write(&f, lines.join("\n")).unwrap();
        let pool = Pool::load(&[f], &[("en".into(), "id".into())]);
        std::fs::remove_dir_all(&dir).unwrap();
        pool
    }

    #[test]
    fn the_background_draws_nothing_from_a_pairs_article_in_a_language_that_shares_concepts() {
        let s = |w: &str| format!("The {w} river flooded seven villages in the lowlands today.");
        let mut lines = vec![
            // One article in English, Indonesian, Malay and French: a translation pair.
            line("1", "en", "a", &s("pairedenglish")),
            line("2", "id", "a", &s("pairedindonesian")),
            line("3", "ms", "a", &s("pairedmalay")),
            line("4", "fr", "a", &s("pairedfrench")),
        ];
        // Articles without a pair, in each language: background text.
        for (id, lang, article, w) in [
            ("5", "en", "b", "english"),
            ("6", "id", "c", "indonesian"),
            ("7", "ms", "d", "malay"),
            ("8", "fr", "e", "french"),
        ] {
            let text = format!("{} {}", s(&format!("other{w}")), s(&format!("more{w}")));
            lines.push(line(id, lang, article, &text));
        }
        let pool = load("background", &lines).unwrap();
        assert_eq!(pool.pairs_available(), 1);
        let background: Vec<&str> = pool
            .langs
            .iter()
            .flat_map(|l| l.sentences.iter().map(|s| s.text.as_str()))
            .collect();
        let has = |w: &str| background.iter().any(|t| t.contains(w));
        // English, Indonesian (the pair) and Malay (mapped into the same concepts) are set
        // aside; French, whose words are its own, stays.
        for w in ["pairedenglish", "pairedindonesian", "pairedmalay"] {
            assert!(!has(w), "{w} is in the background");
        }
        for w in [
            "pairedfrench",
            "otherenglish",
            "otherindonesian",
            "othermalay",
            "otherfrench",
        ] {
            assert!(has(w), "{w} is not in the background");
        }
    }

    #[test]
    fn a_pool_of_translation_pairs_alone_is_refused_with_the_reason() {
        let lines = [
            line(
                "1",
                "en",
                "a",
                "The river flooded seven villages in the lowlands.",
            ),
            line(
                "2",
                "id",
                "a",
                "Sungai itu membanjiri tujuh desa di dataran rendah.",
            ),
        ];
        let e = load("pairs", &lines).unwrap_err();
        assert!(
            e.contains("outside the 2 documents of its translation pairs"),
            "{e}"
        );
    }
}
