//! Stage 2: language detection.
//!
//! A cheap first pass counts the most frequent function words of English and Indonesian over
//! the first [`FUNCTION_WORD_SAMPLE`] words; when one language clearly dominates it decides.
//! Everything else goes to whatlang on a bounded sample of the text ([`WHATLANG_SAMPLE_BYTES`]).
//! Text with too few letters is *undetermined* rather than guessed. When whatlang is unsure
//! (a headline alone: few function words, and trigram models that need more than 60
//! characters), the analyser's lexicon votes ([`lexicon_vote`]): a text most of whose words
//! English or a built-in lexicon's language knows is read as that language.
//!
//! Malay has no model in whatlang and shares Indonesian's function words: **Malay is read as
//! Indonesian**. A text that mixes languages is reported as its dominant language.

use super::bits::{at_least, HIGH};
use super::concepts::{english_stem, lower, Lexicon};
use super::profile::{all as all_profiles, profile};
use super::stem::indonesian_candidates;
use super::tokenize::{Token, TokenKind};
use super::word_cache::word_key_bytes;
use crate::Lang;

/// How many words the function-word pass reads.
pub const FUNCTION_WORD_SAMPLE: usize = 120;
/// How many bytes of text whatlang reads at most.
pub const WHATLANG_SAMPLE_BYTES: usize = 2048;
/// Below this many letters, detection says "undetermined".
pub const MIN_LETTERS: usize = 12;

/// How a language was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum DetectionMethod {
    /// Hit rates of English and Indonesian function words.
    FunctionWords,
    /// whatlang's trigram models.
    Whatlang,
    /// whatlang was unsure, and most words are known to English or to a built-in lexicon's
    /// language (the words its lexicon holds, and its function words).
    Lexicon,
    /// The caller named the language.
    Forced,
    /// Nothing could be decided (too short, no letters, no model agreed).
    Undetermined,
}

/// The language of a text, with a confidence in `[0, 1]`.
///
/// ```
/// use lintas::{detect_language, Lang};
/// let d = detect_language("The minister said the new policy will take effect on Monday.");
/// assert_eq!(d.lang(), Some(Lang::English));
/// assert!(detect_language("ok").lang().is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Detection {
    lang: Option<Lang>,
    confidence: f64,
    method: DetectionMethod,
}

impl Detection {
    /// The detected language, or `None` when undetermined.
    pub fn lang(&self) -> Option<Lang> {
        self.lang
    }

    /// Confidence in `[0, 1]`, calibrated so that a user can threshold it: among the dev
    /// pools' documents (15 languages) detected with a confidence at or above `c`, at least a
    /// share `c` got the right language (1 when forced, 0 when undetermined). See
    /// DESIGN.md "Language detection" for the table and its known confusion (Malay read as
    /// Indonesian).
    pub fn confidence(&self) -> f64 {
        self.confidence
    }

    /// How the language was decided.
    pub fn method(&self) -> DetectionMethod {
        self.method
    }

    /// A detection the caller imposes.
    pub fn forced(lang: Lang) -> Detection {
        Detection {
            lang: Some(lang),
            confidence: 1.0,
            method: DetectionMethod::Forced,
        }
    }

    /// The undetermined result.
    pub fn undetermined() -> Detection {
        Detection {
            lang: None,
            confidence: 0.0,
            method: DetectionMethod::Undetermined,
        }
    }
}

/// A word of at most 8 bytes packed into an integer, so the list below compares integers.
const fn pack(w: &[u8]) -> u64 {
    let mut v = 0u64;
    let mut i = 0;
    while i < w.len() && i < 8 {
        v |= (w[i] as u64) << (8 * i);
        i += 1;
    }
    v
}

/// Slots of the function-word table: a power of two, about four times the words.
const SLOTS: usize = 512;

/// The first slot of a packed word (multiplicative hashing).
const fn slot(v: u64) -> usize {
    (v.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 55) as usize
}

/// An open-addressing table of packed words → list (1 English, 2 Indonesian), built at compile
/// time: a lookup is one or two loads and compares, with no branch that depends on the order
/// of the words.
const fn table(en: &[u64], id: &[u64]) -> [(u64, u8); SLOTS] {
    let mut t = [(0u64, 0u8); SLOTS];
    let mut list = 0;
    while list < 2 {
        let words = if list == 0 { en } else { id };
        let mut i = 0;
        while i < words.len() {
            let mut p = slot(words[i]);
            while t[p].0 != 0 {
                p = (p + 1) & (SLOTS - 1);
            }
            t[p] = (words[i], list as u8 + 1);
            i += 1;
        }
        list += 1;
    }
    t
}

macro_rules! function_words {
    ($($en:literal)|* ; $($id:literal)|*) => {
        /// The English and the Indonesian function words (1 and 2 in [`function_word`]).
        const FUNCTION_WORDS: [&[&[u8]]; 2] = [&[$($en),*], &[$($id),*]];

        /// Which function-word list a lowercase word is on (0 none, 1 English, 2 Indonesian).
        #[cfg(test)]
        fn function_word(w: &[u8]) -> u8 {
            if w.is_empty() || w.len() > 8 {
                return 0;
            }
            function_word_packed(pack(w))
        }

        /// [`function_word`] of a word of 1 to 8 bytes packed by [`pack`].
        #[inline]
        fn function_word_packed(v: u64) -> u8 {
            static TABLE: [(u64, u8); SLOTS] = table(&[$(pack($en)),*], &[$(pack($id)),*]);
            let mut p = slot(v);
            loop {
                let (k, list) = TABLE[p];
                if k == v {
                    return list;
                }
                if k == 0 {
                    return 0;
                }
                p = (p + 1) & (SLOTS - 1);
            }
        }
    };
}

function_words! {
    b"the" | b"of" | b"and" | b"to" | b"in" | b"is" | b"that" | b"for" | b"it" | b"was"
    | b"on" | b"with" | b"as" | b"by" | b"at" | b"from" | b"are" | b"be" | b"has" | b"have"
    | b"this" | b"said" | b"were" | b"which" | b"an" | b"will" | b"not" | b"but" | b"been"
    | b"its" | b"their" | b"had" | b"who" | b"would" | b"after" | b"they" | b"he" | b"she";
    b"yang" | b"dan" | b"di" | b"ini" | b"itu" | b"dengan" | b"untuk" | b"dari" | b"pada"
    | b"dalam" | b"tidak" | b"akan" | b"ke" | b"juga" | b"ada" | b"oleh" | b"sudah"
    | b"telah" | b"karena" | b"adalah" | b"bahwa" | b"atau" | b"saat" | b"bisa" | b"mereka"
    | b"lebih" | b"tersebut" | b"namun" | b"para" | b"kata" | b"sebagai" | b"secara"
    | b"menjadi" | b"hingga" | b"belum" | b"masih" | b"sejak" | b"terhadap" | b"kepada"
    | b"bagi" | b"agar" | b"serta" | b"yaitu" | b"tak" | b"pun" | b"jika" | b"ketika"
    | b"setelah" | b"antara" | b"tentang" | b"sebuah" | b"seorang" | b"tetapi" | b"dapat"
    | b"harus" | b"kami" | b"kita" | b"saya" | b"dia" | b"ia"
}

/// The bytes `start..end` (at most 8) of `b` packed as [`pack`] does: one unaligned load
/// and a mask where eight bytes are there to read.
#[inline]
fn packed_at(b: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    debug_assert!(len <= 8);
    match b.get(start..start + 8) {
        Some(chunk) => {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if len == 8 {
                x
            } else {
                x & ((1u64 << (8 * len)) - 1)
            }
        }
        None => pack(&b[start..end]),
    }
}

/// ASCII uppercase letters of eight packed ASCII bytes made lowercase.
#[inline]
fn ascii_lowercase8(x: u64) -> u64 {
    let upper = at_least(x, b'A') & !at_least(x, b'Z' + 1);
    x | (upper >> 2)
}

/// The function words by [`word_key`](super::word_cache::word_key): a word's slot is the top
/// bits of `key · multiplier`, with a multiplier chosen on first use so that no two function
/// words share a slot. A lookup is one
/// load and one compare, with no branch on the word (which list a word is on, if any, is as
/// good as random to the branch predictor).
struct KeyedFunctionWords {
    multiplier: u64,
    /// `64 -` the number of slots' bits.
    shift: u32,
    keys: Box<[u64]>,
    lists: Box<[u8]>,
}

/// Slots of [`KeyedFunctionWords`] to start from (2¹¹: about twenty for each word).
const KEYED_SLOT_BITS: u32 = 11;

/// Multipliers tried before the table doubles (with ~100 words in 2¹¹ slots, about one in
/// twenty is collision-free).
const KEYED_TRIES: u32 = 4096;

impl KeyedFunctionWords {
    fn get() -> &'static KeyedFunctionWords {
        static TABLE: std::sync::LazyLock<KeyedFunctionWords> = std::sync::LazyLock::new(|| {
            // A word on both lists is English's, as in the packed table (filled English
            // first, read first match).
            let mut words: Vec<(u64, u8)> = Vec::new();
            for (list, n) in FUNCTION_WORDS.iter().zip(1u8..) {
                for w in *list {
                    let key = word_key_bytes(w);
                    if words.iter().all(|&(k, _)| k != key) {
                        words.push((key, n));
                    }
                }
            }
            // Odd multipliers in a fixed order (keys are fixed too, so is the choice); a
            // larger table if none of them separates every word.
            let mut multiplier = 0x9E37_79B9_7F4A_7C15u64;
            for bits in KEYED_SLOT_BITS..=KEYED_SLOT_BITS + 8 {
                let shift = 64 - bits;
                for _ in 0..KEYED_TRIES {
                    let mut keys = vec![0u64; 1 << bits].into_boxed_slice();
                    let mut lists = vec![0u8; 1 << bits].into_boxed_slice();
                    let separated = words.iter().all(|&(key, list)| {
                        let s = (key.wrapping_mul(multiplier) >> shift) as usize;
                        let free = keys[s] == 0;
                        keys[s] = key;
                        lists[s] = list;
                        free
                    });
                    if separated {
                        return KeyedFunctionWords {
                            multiplier,
                            shift,
                            keys,
                            lists,
                        };
                    }
                    multiplier = multiplier.wrapping_add(0x6A09_E667_F3BC_C908) | 1;
                }
            }
            unreachable!(
                "{} function words in 2^19 slots: no multiplier separates them",
                words.len()
            )
        });
        &TABLE
    }

    /// [`function_word`] of the word whose [`word_key`](super::word_cache::word_key) is `key`
    /// (0: no word).
    #[inline]
    fn list(&self, key: u64) -> u8 {
        let s = (key.wrapping_mul(self.multiplier) >> self.shift) as usize;
        self.lists[s] * u8::from(self.keys[s] == key)
    }
}

/// Detects the language of normalised text from its tokens, asking `lexicon` to vote when
/// whatlang is unsure (raw confidence below [`LEXICON_VOTE_BELOW`]).
pub(crate) fn detect(text: &str, tokens: &[Token], lexicon: &Lexicon) -> Detection {
    let bytes = text.as_bytes();
    detect_with(text, tokens, lexicon, |_, t| {
        if t.end - t.start > 8 {
            return 0;
        }
        let v = packed_at(bytes, t.start, t.end);
        if v & HIGH != 0 {
            return 0;
        }
        function_word_packed(if t.plain { v } else { ascii_lowercase8(v) })
    })
}

/// [`detect`] given the [`word_key`](super::word_cache::word_key) of every token's lowercase form (0 for symbols): the
/// function words are looked up by key. The same result: no function word is longer than
/// eight bytes or other than ASCII, and a word's key is that of the form [`detect`] packs.
pub(crate) fn detect_keyed(
    text: &str,
    tokens: &[Token],
    keys: &[u64],
    lexicon: &Lexicon,
) -> Detection {
    let table = KeyedFunctionWords::get();
    detect_with(text, tokens, lexicon, |i, _| table.list(keys[i]))
}

/// [`detect`] with `function_word(i, token)` saying which function-word list token `i` is on.
fn detect_with(
    text: &str,
    tokens: &[Token],
    lexicon: &Lexicon,
    function_word: impl Fn(usize, &Token) -> u8,
) -> Detection {
    match detect_raw(text, tokens, function_word) {
        (d, Some(raw)) if raw < LEXICON_VOTE_BELOW => {
            lexicon_vote(lexicon, text, tokens, d.lang).unwrap_or(d)
        }
        (d, _) => d,
    }
}

/// Detection without the lexicon vote, and whatlang's raw confidence when whatlang decided
/// (or `Some(0.0)` when it had no answer).
fn detect_raw(
    text: &str,
    tokens: &[Token],
    function_word: impl Fn(usize, &Token) -> u8,
) -> (Detection, Option<f64>) {
    let mut letters = 0usize;
    let (mut n, mut en, mut id) = (0usize, 0usize, 0usize);
    // Characters of scripts written without spaces among the sampled words.
    let mut unspaced = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            TokenKind::Word => {}
            TokenKind::Unspaced => {
                letters += 1;
                unspaced += usize::from(n < FUNCTION_WORD_SAMPLE);
                continue;
            }
            _ => continue,
        }
        if letters < MIN_LETTERS {
            let w = t.text(text);
            letters += if w.is_ascii() {
                w.bytes().filter(u8::is_ascii_alphabetic).count()
            } else {
                w.chars().filter(|c| c.is_alphabetic()).count()
            };
        }
        if n >= FUNCTION_WORD_SAMPLE {
            if letters >= MIN_LETTERS {
                break;
            }
            continue;
        }
        n += 1;
        let list = function_word(i, t);
        en += usize::from(list == 1);
        id += usize::from(list == 2);
    }
    if letters < MIN_LETTERS {
        return (Detection::undetermined(), None);
    }
    // Function words decide only a text mostly written in letters: a Chinese, Japanese or
    // Thai article quoting English (`世界卫生组织 (World Health Organization) 说：“The risk
    // is high…”`) has more unspaced characters than words in letters, and goes to whatlang.
    if n >= 6 && unspaced <= n {
        let (ren, rid) = (en as f64 / n as f64, id as f64 / n as f64);
        // A clear majority of one list, and enough of them: decide without whatlang.
        let confident = |r: f64, other: f64| r >= 0.12 && r >= 4.0 * other && (r * n as f64) >= 3.0;
        if confident(ren, rid) {
            let d = Detection {
                lang: Some(Lang::English),
                confidence: calibrated(DetectionMethod::FunctionWords, Lang::English, ren / 0.3),
                method: DetectionMethod::FunctionWords,
            };
            return (d, None);
        }
        if confident(rid, ren) {
            let d = Detection {
                lang: Some(Lang::Indonesian),
                confidence: calibrated(
                    DetectionMethod::FunctionWords,
                    Lang::Indonesian,
                    rid / 0.25,
                ),
                method: DetectionMethod::FunctionWords,
            };
            return (d, None);
        }
    }
    whatlang_detect(text, tokens)
}

/// Fewest distinct words a text needs before whatlang is asked: one word repeated is no
/// evidence of a language (whatlang calls `banjir banjir banjir` Uzbek).
pub const MIN_DISTINCT_WORDS: usize = 3;

fn whatlang_detect(text: &str, tokens: &[Token]) -> (Detection, Option<f64>) {
    let mut end = text.len().min(WHATLANG_SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut distinct: Vec<String> = Vec::with_capacity(MIN_DISTINCT_WORDS);
    for t in tokens.iter().take_while(|t| t.end <= end) {
        if matches!(t.kind, TokenKind::Word | TokenKind::Unspaced) {
            let w = t.text(text).to_lowercase();
            if !distinct.contains(&w) {
                distinct.push(w);
                if distinct.len() == MIN_DISTINCT_WORDS {
                    break;
                }
            }
        }
    }
    if distinct.len() < MIN_DISTINCT_WORDS {
        return (Detection::undetermined(), None);
    }
    match whatlang::detect(&text[..end]) {
        Some(info) => {
            let lang = Lang::from_whatlang(info.lang());
            let d = Detection {
                lang: Some(lang),
                confidence: calibrated(DetectionMethod::Whatlang, lang, info.confidence()),
                method: DetectionMethod::Whatlang,
            };
            (d, Some(info.confidence()))
        }
        None => (Detection::undetermined(), Some(0.0)),
    }
}

/// Below this raw whatlang confidence the lexicon votes. On the dev pools whatlang is right
/// for 97% of documents at 0.95 or more, 44% at 0.8–0.95 and 10% below 0.8 (DESIGN.md
/// "Language detection").
pub const LEXICON_VOTE_BELOW: f64 = 0.8;

/// Most words of a text the vote may decide from words only one language knows (a headline).
pub const SHORT_TEXT_WORDS: usize = 12;

/// The languages the vote chooses among: English, Indonesian (its built-in lexicon), and
/// Swahili (as [`Lang::Shona`], which whatlang reads it as) and Tagalog, languages written
/// in plain Latin letters whose built-in dictionaries whatlang has no reliable model to
/// compete with on a short text (a Swahili headline was read as Zulu, Estonian or
/// Indonesian, a Tagalog one as Javanese).
const VOTERS: [Lang; 4] = [Lang::English, Lang::Indonesian, Lang::Shona, Lang::Tagalog];
// [`lexicon_vote`] reads English's verdict as `known[0]`.
const _: () = assert!(matches!(VOTERS[0], Lang::English));

/// The lexicon's vote on a text whatlang is unsure of, against whatlang's guess `rival`.
///
/// Over the first [`FUNCTION_WORD_SAMPLE`] words (a character of a script written without
/// spaces counting as a word against every voter), a word counts for
/// English when it is an English function word or stems to an English stem some lexicon maps
/// to, for Indonesian when it is an Indonesian function word or one of its candidate
/// roots is in the lexicon, and for Swahili or Tagalog when it is one of its function words
/// or a headword of its dictionary that English does not know (those dictionaries hold
/// English loanwords as written in English: `president`, `budget`). A word counts *against*
/// every voter when it is a function word of the rival (`de`, `la`: Snowball reads many
/// Romance words as English stems) or carries a diacritic, which none of them writes. A
/// language wins with at least 3 words, at least half of all words, and at least twice the
/// count of every other voter and of the words against. Names count for nobody, which is why
/// half and not more: a headline is often half names.
///
/// A headline given alone has too few words for that (`Jokowi Resmikan Tol Trans Jawa`:
/// two words a lexicon knows, three names; whatlang calls it Finnish). So a text of at most
/// [`SHORT_TEXT_WORDS`] words is also won by a language with at least two content words
/// only it knows, when no content word is known only to another, none counts against, and
/// none is a function word of another language but not of a voter (`un`, `se`,
/// `bei`: a Spanish or German headline with two English-looking words stays whatlang's).
/// Words both know (`per`, `dollar`, `rupiah`) are evidence for neither. Otherwise there is
/// no vote.
pub(crate) fn lexicon_vote(
    lexicon: &Lexicon,
    text: &str,
    tokens: &[Token],
    rival: Option<Lang>,
) -> Option<Detection> {
    let rival = rival.filter(|l| !VOTERS.contains(l)).map(profile);
    let mut words = 0usize;
    let mut against = 0usize;
    let mut hits = [0usize; VOTERS.len()];
    // Content words known to one voter and no other, and other languages' function words.
    let mut only = [0usize; VOTERS.len()];
    let mut foreign = 0usize;
    for t in tokens
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Unspaced))
        .take(FUNCTION_WORD_SAMPLE)
    {
        if t.kind == TokenKind::Unspaced {
            // A character of a script no voter writes (Han, kana, Thai): against every
            // voter, so English words quoted in a Chinese text do not make it English.
            words += 1;
            against += 1;
            continue;
        }
        let w = t.text(text);
        if !w.chars().all(char::is_alphabetic) {
            continue;
        }
        words += 1;
        let low = lower(w);
        if !low.is_ascii() || rival.is_some_and(|p| p.is_stopword(&low)) {
            against += 1;
            continue;
        }
        let mut known = VOTERS.map(|lang| knows(lexicon, lang, &low));
        // Swahili's and Tagalog's dictionaries hold English loanwords as written in English
        // (`president`, `budget`): a word English knows is no evidence for them.
        let english = known[0];
        for (k, lang) in known.iter_mut().zip(VOTERS) {
            if matches!(lang, Lang::Shona | Lang::Tagalog) {
                *k &= !english;
            }
        }
        let knowers = known.iter().filter(|&&k| k).count();
        let function = VOTERS.iter().any(|&l| profile(l).is_stopword(&low));
        for i in 0..VOTERS.len() {
            hits[i] += usize::from(known[i]);
            only[i] += usize::from(known[i] && knowers == 1 && !function);
        }
        // For the short-text rule: a function word of another language (`un`, `se`, `bei`)
        // that is none of the voters'.
        foreign += usize::from(
            !function
                && words <= SHORT_TEXT_WORDS
                && all_profiles()
                    .filter(|p| p.lang.is_some_and(|l| !VOTERS.contains(&l)))
                    .any(|p| p.is_stopword(&low)),
        );
    }
    let best = (0..VOTERS.len()).max_by_key(|&i| (hits[i], std::cmp::Reverse(i)))?;
    let top = hits[best];
    let others = (0..VOTERS.len())
        .filter(|&i| i != best)
        .map(|i| hits[i])
        .chain([against])
        .max()
        .unwrap_or(0);
    let majority = top >= 3 && 2 * top >= words && top >= 2 * others;
    let best = if majority {
        best
    } else {
        // A short text: two words only one voter knows, none only another knows.
        let lone = (0..VOTERS.len())
            .find(|&i| only[i] >= 2 && (0..VOTERS.len()).all(|j| j == i || only[j] == 0))?;
        if words > SHORT_TEXT_WORDS || against > 0 || foreign > 0 {
            return None;
        }
        lone
    };
    let top = hits[best];
    Some(Detection {
        lang: Some(VOTERS[best]),
        confidence: calibrated(
            DetectionMethod::Lexicon,
            VOTERS[best],
            top as f64 / words as f64,
        ),
        method: DetectionMethod::Lexicon,
    })
}

/// Whether `lang`'s function words or its concepts know the lowercase word `low`.
fn knows(lexicon: &Lexicon, lang: Lang, low: &str) -> bool {
    let p = profile(lang);
    if p.is_stopword(low) {
        return true;
    }
    let folded = p.spelling.fold(low);
    match lang {
        Lang::English => lexicon.knows_english_stem(&english_stem(&folded)),
        Lang::Indonesian => indonesian_candidates(&folded)
            .iter()
            .any(|c| lexicon.word(lang, c).is_some()),
        _ => lexicon.word(lang, &folded).is_some(),
    }
}

/// The confidence reported for a detection: the share of dev-pool documents detected the
/// same way (method, language, raw score bin) whose language was right, smoothed as
/// `(right + 1) / (all + 2)`. `raw` is the function-word rate scaled to its typical value
/// (English `rate / 0.3`, Indonesian `rate / 0.25`) or whatlang's own confidence.
///
/// Measured on dev-en-id, dev-independent and dev-multi (5,109 documents, 15 languages,
/// their `lang` field as the truth; DESIGN.md "Language detection"). Indonesian by function
/// words is right 80% of the time on that mix because Malay (244 passages) reads as
/// Indonesian; English by function words is right 100% above a raw 0.8.
fn calibrated(method: DetectionMethod, lang: Lang, raw: f64) -> f64 {
    // (lowest raw score of the bin, share right), highest bin first.
    let table: &[(f64, f64)] = match (method, lang) {
        (DetectionMethod::FunctionWords, Lang::English) => {
            &[(0.8, 0.998), (0.6, 0.933), (0.0, 0.444)]
        }
        (DetectionMethod::FunctionWords, _) => &[(0.0, 0.799)],
        // Not measured out of sample: the dev pools send two documents to the vote (both
        // right) and the headline fixture (52 of 52 right) was written with the rule. Set
        // below those shares, Indonesian at its function-word value (Malay reads as
        // Indonesian here too).
        (DetectionMethod::Lexicon, Lang::English) => &[(0.0, 0.9)],
        // Swahili (reported as Shona) and Tagalog (`ANALYSIS_VERSION` 54): 125 dev-multi
        // Swahili passages are decided by the vote (nine of them read as Zulu, Javanese or
        // Tagalog before), all as Swahili, and ten of the headline fixture's twelve (all
        // right), written with the rule; set at Indonesian's value too.
        (DetectionMethod::Lexicon, _) => &[(0.0, 0.799)],
        _ => &[
            (0.95, 0.970),
            (0.8, 0.437),
            (0.6, 0.228),
            (0.2, 0.029),
            (0.0, 0.028),
        ],
    };
    table
        .iter()
        .find(|(lo, _)| raw >= *lo)
        .map_or(0.0, |&(_, share)| share)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tokenize::tokenize;

    fn lang_of(s: &str) -> Option<Lang> {
        detect(s, &tokenize(s), &Lexicon::builtin()).lang()
    }

    #[test]
    fn table() {
        let table: &[(&str, Option<Lang>)] = &[
            ("The company said on Monday that it would cut jobs in the region.", Some(Lang::English)),
            ("Pemerintah mengatakan bahwa kebijakan itu akan berlaku pada hari Senin.", Some(Lang::Indonesian)),
            ("Le gouvernement a annoncé lundi une nouvelle réforme des retraites.", Some(Lang::French)),
            ("Die Regierung hat am Montag eine neue Reform angekündigt.", Some(Lang::German)),
            ("Правительство России объявило в понедельник о новой пенсионной реформе, которая вызвала протесты по всей стране.", Some(Lang::Russian)),
            ("政府周一宣布了一项新的改革计划。", Some(Lang::Mandarin)),
            ("", None),
            ("12345 678", None),
            ("ok", None),
            ("!!! ??? ...", None),
        ];
        for (text, want) in table {
            assert_eq!(lang_of(text), *want, "{text:?}");
        }
    }

    #[test]
    fn english_quoted_in_an_unspaced_script_does_not_make_the_text_english() {
        // Enough English function words for the function-word pass (12 of 26 words in
        // letters), but most of the text is Chinese.
        let zh = "世界卫生组织 (World Health Organization) 总干事 Tedros 星期三在日内瓦对记者说：\
                  “The risk of the virus spreading is very high at the national level, and it \
                  is high at the regional level as well.” 他表示，各国政府必须立即采取行动，\
                  加强检测和隔离措施，并保护医护人员的安全。截至星期三，全球已有一百多个\
                  国家和地区报告了确诊病例，其中大部分病例集中在少数几个国家。专家认为，\
                  如果各国能够及时追踪密切接触者，疫情的蔓延速度仍然可以得到有效控制。";
        assert_eq!(lang_of(zh), Some(Lang::Mandarin));
        let th = "องค์การอนามัยโลกระบุว่า “The risk of the virus spreading is very high at the \
                  national level, and it is high at the regional level as well.” \
                  รัฐบาลทุกประเทศต้องเร่งดำเนินการตรวจหาเชื้อและแยกกักผู้ป่วยโดยเร็วที่สุด \
                  เจ้าหน้าที่สาธารณสุขกล่าวว่าจำนวนผู้ติดเชื้อรายใหม่เพิ่มขึ้นอย่างต่อเนื่องในสัปดาห์นี้";
        assert_eq!(lang_of(th), Some(Lang::Thai));
        // The other way round: an English text naming something in Han characters stays English.
        let en = "Xi Jinping (习近平) said on Monday that the talks with the delegation from the \
                  United States had been useful and that both sides would meet again in June.";
        assert_eq!(lang_of(en), Some(Lang::English));
        // The vote counts the unspaced characters against English and Indonesian.
        let lex = Lexicon::builtin();
        let mixed = "政府宣布新的改革计划 The Minister said reform plan";
        let d = lexicon_vote(&lex, mixed, &tokenize(mixed), Some(Lang::Mandarin));
        assert!(d.is_none(), "{d:?}");
    }

    #[test]
    fn swahili_and_tagalog_headlines_are_voted_their_language() {
        // Short texts whatlang reads as Zulu, Javanese or Indonesian at a raw confidence near 0.
        let table: &[(&str, Lang)] = &[
            ("Mvua kubwa yasababisha mafuriko mjini Mombasa", Lang::Shona),
            ("Serikali yatangaza bei mpya ya mafuta", Lang::Shona),
            ("Wabunge wapitisha bajeti ya wizara ya afya", Lang::Shona),
            (
                "Lindol yumanig sa Mindanao, mga bahay nasira",
                Lang::Tagalog,
            ),
            (
                "Presyo ng gasolina bababa sa susunod na linggo",
                Lang::Tagalog,
            ),
            // English words Tagalog's dictionary also holds (`president`, `budget`, `law`)
            // stay English.
            ("President signs budget into law", Lang::English),
            ("Magnitude 6.2 earthquake strikes Sulawesi", Lang::English),
        ];
        for (text, want) in table {
            assert_eq!(lang_of(text), Some(*want), "{text:?}");
        }
    }

    #[test]
    fn packed_reads_and_lowercasing_agree_with_the_byte_versions() {
        let text = b"The U.S. said DAN yang, Ini-itu 12345678";
        for start in 0..text.len() {
            for end in start + 1..=(start + 8).min(text.len()) {
                let w = &text[start..end];
                assert_eq!(packed_at(text, start, end), pack(w), "{start}..{end}");
                let lower = w.to_ascii_lowercase();
                assert_eq!(ascii_lowercase8(pack(w)), pack(&lower), "{start}..{end}");
            }
        }
        for b in 0..0x80u8 {
            for pos in 0..8 {
                let mut w = *b"abcdefgh";
                w[pos] = b;
                let mut lower = w;
                lower.make_ascii_lowercase();
                assert_eq!(ascii_lowercase8(pack(&w)), pack(&lower), "{b:#x} at {pos}");
            }
        }
    }

    #[test]
    fn function_word_lists() {
        for w in ["the", "of", "which", "would", "she", "said"] {
            assert_eq!(function_word(w.as_bytes()), 1, "{w}");
        }
        for w in ["yang", "tersebut", "terhadap", "ke", "di", "sebagai"] {
            assert_eq!(function_word(w.as_bytes()), 2, "{w}");
        }
        for w in ["", "orang", "company", "thee", "th", "tersebutlah", "yan"] {
            assert_eq!(function_word(w.as_bytes()), 0, "{w}");
        }
    }

    #[test]
    fn function_words_by_key_are_the_packed_lists() {
        let table = KeyedFunctionWords::get();
        for (list, n) in FUNCTION_WORDS.iter().zip(1u8..) {
            for w in *list {
                assert_eq!(table.list(word_key_bytes(w)), n);
                assert_eq!(function_word(w), n);
            }
        }
        for w in [
            "",
            "orang",
            "company",
            "thee",
            "th",
            "tersebutlah",
            "yan",
            "The",
            "YANG",
        ] {
            assert_eq!(table.list(word_key_bytes(w.as_bytes())), 0, "{w}");
        }
        assert_eq!(table.list(0), 0);
    }

    #[test]
    fn detection_by_keys_is_detection_by_packed_words() {
        let a = crate::Analyzer::new();
        let texts = [
            "The minister said that the plan was ready and that it would be announced.",
            "YANG DAN DI INI ITU: Pemerintah mengatakan bahwa rencana itu sudah siap.",
            "Menteri The Minister dan and yang which di in: campuran bahasa mixed text here.",
            "Président signe le décret: la loi de finances est adoptée par le parlement.",
            "Banjir banjir banjir",
            "Ceci n'est pas une pipe, dit René Magritte à Bruxelles en 1929 après la guerre.",
            "Hasil Kualifikasi Euro 2020, De Bruyne 3 Assist, Belgia Menang Telak di Skotlandia",
            "ТАСС: президент заявил, что переговоры продолжатся в понедельник в Москве.",
        ];
        for text in texts {
            let norm = super::super::normalize::normalize(text);
            let tokens = tokenize(&norm);
            let packed = detect(&norm, &tokens, &a.lexicon);
            a.with_ctx(text, None, |ctx, keyed| {
                assert_eq!(keyed, packed, "{text}");
                assert_eq!(
                    detect_keyed(ctx.text, &ctx.tokens, &ctx.keys, &a.lexicon),
                    packed
                );
            });
        }
    }

    #[test]
    fn the_lexicon_votes_against_the_rivals_function_words_and_diacritics() {
        let lex = Lexicon::builtin();
        let vote = |s: &str, rival| lexicon_vote(&lex, s, &tokenize(s), rival).and_then(|d| d.lang);
        let en = "Police arrest suspect after church blast";
        assert_eq!(vote(en, Some(Lang::German)), Some(Lang::English));
        let id = "Polisi tangkap pelaku bom gereja";
        assert_eq!(vote(id, Some(Lang::Javanese)), Some(Lang::Indonesian));
        // `le`, `la`, `de` are French function words: against, though English stems read
        // `signe` and `finances` as English words.
        let fr = "Le president signe la loi de finances";
        assert_eq!(vote(fr, Some(Lang::French)), None);
        // A diacritic is no English or Indonesian spelling.
        assert_eq!(vote("Président signe décret budget finances", None), None);
        // Names count for nobody: two known words of five are not half, but in a short text
        // two content words only English knows decide it.
        assert_eq!(
            vote("Saikawa Nissan Ghosn resigns scandal", None),
            Some(Lang::English)
        );
        assert_eq!(vote("Saikawa Nissan Ghosn resigns", None), None);
        // A headline alone: two Indonesian content words among names.
        assert_eq!(
            vote("Jokowi Resmikan Tol Trans Jawa", Some(Lang::Finnish)),
            Some(Lang::Indonesian)
        );
        // Words both know are evidence for neither.
        assert_eq!(
            vote("Rupiah weakens past 15,700 per dollar", Some(Lang::French)),
            Some(Lang::English)
        );
        // Another language's function words keep a short text from the vote.
        assert_eq!(
            vote("Un ferry se hunde frente a Bali", Some(Lang::Danish)),
            None
        );
        assert_eq!(
            vote("Vier Tote bei Brand in Krankenhaus", Some(Lang::Afrikaans)),
            None
        );
        // A language needs twice the other's count.
        assert_eq!(
            vote("police court church polisi korupsi gereja", None),
            None
        );
        assert_eq!(
            vote("police court church arrest polisi korupsi", None),
            Some(Lang::English)
        );
    }

    #[test]
    fn malay_reads_as_indonesian() {
        let ms = "Kerajaan berkata bahawa dasar itu akan berkuat kuasa pada hari Isnin dan ia \
                  dijangka memberi kesan kepada ramai rakyat di negara ini.";
        assert_eq!(lang_of(ms), Some(Lang::Indonesian));
    }

    #[test]
    fn function_words_decide_long_text_without_whatlang() {
        let s = "the minister said that the plan was ready and that it would be announced";
        let d = detect(s, &tokenize(s), &Lexicon::builtin());
        assert_eq!(d.method(), DetectionMethod::FunctionWords);
        assert!(d.confidence() > 0.5);
    }
}
