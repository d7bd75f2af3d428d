//! Stage 3: tokenisation, keeping positions.
//!
//! Words are runs of letters, digits and combining marks. Inside a token, a hyphen joins
//! alphanumerics (`perusahaan-perusahaan`, `COVID-19`, `e-cigarettes`), `.` `,` and `/` join
//! digits (`1.500`, `1,4`, `31/1/2024`), and initialisms keep their dots (`U.S.`). Characters
//! of scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan) become one
//! token each; the feature stage segments each run into words (`segment.rs`). Currency
//! symbols and `%` are symbol tokens. Each token records whether it starts a sentence.

use super::bits::{at_least, HIGH, ONES};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters (possibly with digits and hyphens).
    Word,
    /// Starts with a digit: numbers, dates, ordinals (`7th`).
    Number,
    /// One character of a script written without spaces.
    Unspaced,
    /// A currency symbol or `%`.
    Symbol,
}

/// A token: a byte span of the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// First token of a sentence (or of the text, a line, or a quotation).
    pub sentence_start: bool,
    /// The text is ASCII without capitals: it is its own lowercase form.
    pub plain: bool,
    /// The text is ASCII (its lowercase form has the same length).
    pub ascii: bool,
    /// The first character is a capital.
    pub cap: bool,
    /// In a sentence whose longer words are mostly capitalised (a headline in title case):
    /// capitalisation says nothing about names there.
    pub title: bool,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

#[inline]
fn is_unspaced(c: char) -> bool {
    (c as u32) >= 0x0E00
        && matches!(c as u32,
            0x0E00..=0x0EFF      // Thai, Lao
            | 0x0F00..=0x0FFF    // Tibetan
            | 0x1000..=0x109F    // Myanmar
            | 0x1780..=0x17FF    // Khmer
            | 0x3040..=0x30FF    // Hiragana, Katakana
            | 0x3400..=0x4DBF    // CJK ext A
            | 0x4E00..=0x9FFF    // CJK unified
            | 0xF900..=0xFAFF    // CJK compatibility
            | 0x20000..=0x2FA1F  // CJK ext B..
        )
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match BmpClasses::get().word(c) {
        Some(word) => word,
        None => is_word_char_slow(c),
    }
}

/// [`is_word_char`] from the standard library's Unicode tables (a binary search each).
fn is_word_char_slow(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// `char::is_numeric`, by one load for a character of the Basic Multilingual Plane.
#[inline]
fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    BmpClasses::get()
        .numeric(c)
        .unwrap_or_else(|| c.is_numeric())
}

/// Two classes of every character of the Basic Multilingual Plane, a bit per code point:
/// [`is_word_char`] and `char::is_numeric`. Computed once per process from the standard
/// library's own tables (about 5 ms, 16 KiB), so a letter of Cyrillic, Arabic, Devanagari or
/// Bengali costs one load instead of two or three binary searches of those tables: they were
/// a fifth of building the built-in lexicon (tokenising its headwords) and of tokenising text
/// in those scripts.
struct BmpClasses {
    word: Box<[u64]>,
    numeric: Box<[u64]>,
}

impl BmpClasses {
    fn get() -> &'static BmpClasses {
        static CLASSES: std::sync::LazyLock<BmpClasses> = std::sync::LazyLock::new(|| {
            let mut word = vec![0u64; 0x10000 / 64].into_boxed_slice();
            let mut numeric = vec![0u64; 0x10000 / 64].into_boxed_slice();
            for c in (0..0x10000u32).filter_map(char::from_u32) {
                let (w, b) = (c as usize / 64, c as u32 % 64);
                word[w] |= u64::from(is_word_char_slow(c)) << b;
                numeric[w] |= u64::from(c.is_numeric()) << b;
            }
            BmpClasses { word, numeric }
        });
        &CLASSES
    }

    /// Whether `c` is a word character, if it is in the Basic Multilingual Plane.
    #[inline]
    fn word(&self, c: char) -> Option<bool> {
        Self::bit(&self.word, c)
    }

    /// Whether `c` is numeric, if it is in the Basic Multilingual Plane.
    #[inline]
    fn numeric(&self, c: char) -> Option<bool> {
        Self::bit(&self.numeric, c)
    }

    #[inline]
    fn bit(bits: &[u64], c: char) -> Option<bool> {
        let cp = c as usize;
        bits.get(cp / 64).map(|w| w >> (cp % 64) & 1 == 1)
    }
}

fn is_mark(c: char) -> bool {
    // Combining marks of the scripts news is written in (Devanagari vowel signs etc.).
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0903 | 0x093A..=0x094F
        | 0x0951..=0x0957 | 0x0962..=0x0963 | 0x0981..=0x0983 | 0x09BC..=0x09D7
        | 0x0A01..=0x0A03 | 0x0A3C..=0x0A51 | 0x0A81..=0x0A83 | 0x0ABC..=0x0ACD
        | 0x0B01..=0x0B03 | 0x0B3C..=0x0B57 | 0x0B82 | 0x0BBE..=0x0BCD | 0x0C00..=0x0C04
        | 0x0C3E..=0x0C56 | 0x0C81..=0x0C83 | 0x0CBC..=0x0CD6 | 0x0D00..=0x0D03
        | 0x0D3B..=0x0D57 | 0x0D81..=0x0D83 | 0x0DCA..=0x0DDF | 0x200C | 0x200D)
}

const fn is_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '%' | '€' | '£' | '¥' | '₹' | '₩' | '₽' | '฿' | '₫' | '₱'
    )
}

/// Full stops and question marks of scripts other than Latin and CJK: the Devanagari danda
/// `।` (Hindi, Marathi, Nepali; Bengali writes it too), the Arabic question mark `؟` and the
/// Urdu full stop `۔` ([`ends_sentence`] lists them too).
pub(crate) const SENTENCE_ENDS_OF_SCRIPTS: [char; 3] = ['\u{0964}', '\u{061F}', '\u{06D4}'];

const fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '\n'
            | ':'
            | ';'
            | '"'
            | '('
            | '['
            | '|'
            | '•'
            | '。'
            | '！'
            | '？'
            | '\u{0964}'
            | '\u{061F}'
            | '\u{06D4}'
    )
}

/// ASCII character classes, so the common case is one table lookup per byte.
const ALNUM: u8 = 1;
const DIGIT: u8 = 2;
const UPPER: u8 = 4;
const END: u8 = 8;
const SYMBOL: u8 = 16;

const fn ascii_classes() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            ALNUM | DIGIT
        } else if c.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if c.is_ascii_lowercase() {
            ALNUM
        } else if ends_sentence(c as char) {
            END
        } else if is_symbol(c as char) {
            SYMBOL
        } else {
            0
        };
        b += 1;
    }
    t
}

/// [`ascii_classes`], agreeing with [`is_word_char`], [`ends_sentence`] and [`is_symbol`] on
/// ASCII (a unit test checks).
static CLASSES: [u8; 128] = ascii_classes();

/// A run of ASCII letters and digits (see [`ascii_alnum_run`]).
struct AlnumRun {
    end: usize,
    /// Some byte of the run is an uppercase letter.
    upper: bool,
}

/// The run of ASCII letters and digits starting at `from`: eight bytes per step, each byte
/// classified with word arithmetic (no branch per byte).
#[inline]
fn ascii_alnum_run(bytes: &[u8], from: usize) -> AlnumRun {
    let mut run = AlnumRun {
        end: from,
        upper: false,
    };
    while let Some(chunk) = bytes.get(run.end..run.end + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let y = x & !HIGH;
        let digit = at_least(y, b'0') & !at_least(y, b'9' + 1);
        // Letters of either case, by their lowercase form (bit 5 set); uppercase ones have
        // bit 5 clear (moved to the high bit of its byte by the shift).
        let folded = y | (ONES * 0x20);
        let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
        let upper = letter & !(y << 2);
        let stop = !((digit | letter) & !x) & HIGH;
        let len = stop.trailing_zeros() as usize / 8;
        if len < 8 {
            let kept = (1u64 << (8 * len)) - 1;
            run.upper |= upper & kept != 0;
            run.end += len;
            return run;
        }
        run.upper |= upper & HIGH != 0;
        run.end += 8;
    }
    while let Some(&b) = bytes.get(run.end) {
        if b >= 0x80 || CLASSES[b as usize] & ALNUM == 0 {
            break;
        }
        run.upper |= b.is_ascii_uppercase();
        run.end += 1;
    }
    run
}

/// Tokens being collected, and the sentence being read (for [`Token::title`]).
struct Collector {
    tokens: Vec<Token>,
    /// Index of the first token of the current sentence.
    sentence: usize,
    /// Words of at least four characters in the current sentence, and how many of them are
    /// capitalised.
    long: usize,
    caps: usize,
}

impl Collector {
    fn push(&mut self, token: Token, long: bool) {
        if token.sentence_start && self.tokens.len() > self.sentence {
            self.close_sentence();
        }
        // Without a branch: whether a word is long is as good as random.
        self.long += usize::from(long);
        self.caps += usize::from(long & token.cap);
        self.tokens.push(token);
    }

    /// Marks the current sentence's tokens when its longer words are mostly capitalised.
    fn close_sentence(&mut self) {
        if self.long >= 3 && self.caps * 10 >= self.long * 6 {
            for t in &mut self.tokens[self.sentence..] {
                t.title = true;
            }
        }
        self.sentence = self.tokens.len();
        self.long = 0;
        self.caps = 0;
    }

    /// Whether a `c` at byte `i` ends a sentence: a dot after a single capital letter is an
    /// initial ("J. Smith"), not an end.
    fn ends_sentence_at(&self, bytes: &[u8], i: usize, c: char) -> bool {
        let initial = c == '.'
            && self.tokens.last().is_some_and(|t: &Token| {
                t.end == i
                    && t.kind == TokenKind::Word
                    && t.end - t.start == 1
                    && bytes[t.start].is_ascii_uppercase()
            });
        !initial
    }
}

/// Splits normalised text into tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    tokenize_into(text, Vec::new())
}

/// [`tokenize`] into `buf` (cleared first): a caller that keeps the buffer between texts
/// reuses its memory.
pub(crate) fn tokenize_into(text: &str, mut buf: Vec<Token>) -> Vec<Token> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    buf.clear();
    buf.reserve(n / 6 + 1);
    let mut out = Collector {
        tokens: buf,
        sentence: 0,
        long: 0,
        caps: 0,
    };
    let mut boundary = true;
    // The character at a char boundary, with an ASCII fast path.
    let char_at = |p: usize| -> char {
        if bytes[p] < 0x80 {
            bytes[p] as char
        } else {
            text[p..].chars().next().unwrap_or('\u{FFFD}')
        }
    };
    let symbol = |i: usize, c: char| Token {
        start: i,
        end: i + c.len_utf8(),
        kind: TokenKind::Symbol,
        sentence_start: false,
        plain: c.is_ascii(),
        ascii: c.is_ascii(),
        cap: false,
        title: false,
    };
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        // Most bytes between tokens are spaces, which only separate.
        if b == b' ' {
            i += 1;
            continue;
        }
        // The first character, and whether it is numeric, alphabetic and uppercase.
        let (c, numeric, alphabetic, upper) = if b < 0x80 {
            let k = CLASSES[b as usize];
            if k & ALNUM == 0 {
                if k & SYMBOL != 0 {
                    out.push(symbol(i, b as char), false);
                } else if k & END != 0 && out.ends_sentence_at(bytes, i, b as char) {
                    boundary = true;
                }
                i += 1;
                continue;
            }
            (b as char, k & DIGIT != 0, k & DIGIT == 0, k & UPPER != 0)
        } else {
            let c = char_at(i);
            let cl = c.len_utf8();
            if is_unspaced(c) {
                out.push(
                    Token {
                        start: i,
                        end: i + cl,
                        kind: TokenKind::Unspaced,
                        sentence_start: boundary,
                        plain: false,
                        ascii: false,
                        cap: false,
                        title: false,
                    },
                    false,
                );
                boundary = false;
                i += cl;
                continue;
            }
            if is_symbol(c) {
                out.push(symbol(i, c), false);
                i += cl;
                continue;
            }
            if !is_word_char(c) {
                if ends_sentence(c) && out.ends_sentence_at(bytes, i, c) {
                    boundary = true;
                }
                i += cl;
                continue;
            }
            (c, is_numeric(c), c.is_alphabetic(), c.is_uppercase())
        };
        // A word or a number starting at i.
        // Initialisms: letter '.' letter '.' (U.S., A.S., U.N.)
        // (Its first letter must be followed by a dot.)
        if alphabetic && !numeric && bytes.get(i + 1) == Some(&b'.') {
            if let Some(e) = initialism_end(text, i) {
                out.push(
                    Token {
                        start: i,
                        end: e,
                        kind: TokenKind::Word,
                        sentence_start: boundary,
                        plain: !bytes[i..e].iter().any(u8::is_ascii_uppercase),
                        ascii: true,
                        cap: bytes[i].is_ascii_uppercase(),
                        title: false,
                    },
                    e - i >= 4,
                );
                boundary = false;
                i = e;
                continue;
            }
        }
        let ascii = b < 0x80;
        let mut end = i + if ascii { 1 } else { c.len_utf8() };
        let mut last_digit = numeric;
        let mut plain = ascii && !upper;
        let mut ascii = ascii;
        loop {
            // Runs of ASCII letters and digits, eight bytes at a time.
            let from = end;
            let run = ascii_alnum_run(bytes, end);
            end = run.end;
            plain &= !run.upper;
            if end > from {
                last_digit = bytes[end - 1].is_ascii_digit();
            }
            if end >= n {
                break;
            }
            let d = char_at(end);
            let dl = d.len_utf8();
            if !d.is_ascii() && is_word_char(d) && !is_unspaced(d) {
                last_digit = is_numeric(d);
                plain = false;
                ascii = false;
                end += dl;
                continue;
            }
            // Joiners: must be followed by a word char; digit joiners need digits on both sides.
            let next = || (end + dl < n).then(|| char_at(end + dl));
            let joins = match d {
                '-' => next().is_some_and(|x| is_word_char(x) && !is_unspaced(x)),
                '.' | ',' | '/' => last_digit && next().is_some_and(|x| x.is_ascii_digit()),
                _ => false,
            };
            if !joins {
                break;
            }
            end += dl;
        }
        // At least four characters (counting the bytes that start one).
        let long = !numeric
            && end - i >= 4
            && (ascii || bytes[i..end].iter().filter(|&&b| b & 0xC0 != 0x80).count() >= 4);
        out.push(
            Token {
                start: i,
                end,
                kind: if numeric {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                },
                sentence_start: boundary,
                plain,
                ascii,
                cap: upper,
                title: false,
            },
            long,
        );
        boundary = false;
        i = end;
    }
    out.close_sentence();
    out.tokens
}

/// End of an initialism (`U.S.`, `u.n.`) starting at `i`: two or more single letters each
/// followed by a dot, not followed by another letter.
fn initialism_end(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut p = i;
    let mut n = 0;
    while p + 1 < b.len() && b[p].is_ascii_alphabetic() && b[p + 1] == b'.' {
        n += 1;
        p += 2;
    }
    if n >= 2 && !(p < b.len() && b[p].is_ascii_alphanumeric()) {
        Some(p)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<(String, TokenKind, bool)> {
        tokenize(s)
            .iter()
            .map(|t| (t.text(s).to_string(), t.kind, t.sentence_start))
            .collect()
    }

    fn words(s: &str) -> Vec<String> {
        tokenize(s).iter().map(|t| t.text(s).to_string()).collect()
    }

    #[test]
    fn the_plane_table_is_the_standard_librarys_classes() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), is_word_char_slow(c), "{c:?}");
            assert_eq!(is_numeric(c), c.is_numeric(), "{c:?}");
        }
    }

    #[test]
    fn joiners() {
        let table: &[(&str, &[&str])] = &[
            (
                "perusahaan-perusahaan besar",
                &["perusahaan-perusahaan", "besar"],
            ),
            ("US$1,4 juta", &["US", "$", "1,4", "juta"]),
            ("Rabu (31/1/2024).", &["Rabu", "31/1/2024"]),
            (
                "1.500 orang, 2,5 persen",
                &["1.500", "orang", "2,5", "persen"],
            ),
            (
                "the U.S. and A.S. said",
                &["the", "U.S.", "and", "A.S.", "said"],
            ),
            (
                "COVID-19 e-cigarettes -dash",
                &["COVID-19", "e-cigarettes", "dash"],
            ),
            ("62% of 7th", &["62", "%", "of", "7th"]),
            ("Garuda's fleet", &["Garuda", "s", "fleet"]),
            ("", &[]),
            ("... !!! ---", &[]),
        ];
        for (input, want) in table {
            assert_eq!(words(input), *want, "{input:?}");
        }
    }

    #[test]
    fn numbers_and_comma_lists() {
        // "2,5 persen" keeps the decimal comma; "2, 5" does not join.
        assert_eq!(words("2,5 dan 2, 5"), ["2,5", "dan", "2", "5"]);
    }

    #[test]
    fn sentence_starts() {
        let t = texts("Bumi Group said. The Mayor Rudi\nNew line: Yes");
        let starts: Vec<&str> = t.iter().filter(|x| x.2).map(|x| x.0.as_str()).collect();
        assert_eq!(starts, ["Bumi", "The", "New", "Yes"]);
        // An initial does not end a sentence.
        let t = texts("said J. Smith today");
        assert!(t.iter().all(|x| x.0 == "said" || !x.2));
    }

    #[test]
    fn unspaced_scripts_are_single_characters() {
        let t = texts("中国经济 grows");
        let kinds: Vec<TokenKind> = t.iter().map(|x| x.1).collect();
        assert_eq!(
            kinds,
            [TokenKind::Unspaced; 4]
                .iter()
                .copied()
                .chain([TokenKind::Word])
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn plain_means_already_lowercase_ascii() {
        let s = "the U.S. Jakarta rp-2 Bílek e-mail 12,5";
        let t = tokenize(s);
        for tok in &t {
            let w = tok.text(s);
            assert_eq!(tok.plain, w.is_ascii() && w == w.to_lowercase(), "{w}");
        }
    }

    #[test]
    fn ascii_classes_agree_with_the_char_predicates() {
        for b in 0u8..128 {
            let c = char::from(b);
            let k = CLASSES[usize::from(b)];
            assert_eq!(k & ALNUM != 0, is_word_char(c), "{c:?}");
            assert_eq!(k & DIGIT != 0, c.is_ascii_digit(), "{c:?}");
            assert_eq!(k & UPPER != 0, c.is_ascii_uppercase(), "{c:?}");
            assert_eq!(k & END != 0, ends_sentence(c), "{c:?}");
            assert_eq!(k & SYMBOL != 0, is_symbol(c), "{c:?}");
        }
    }

    #[test]
    fn alnum_runs_match_a_byte_by_byte_scan() {
        let text = "ab12CD ÿx9 Jakarta2024,xyzXYZ0123456789abcdefghijklmnop-Q é";
        let bytes = text.as_bytes();
        for from in 0..bytes.len() {
            let run = ascii_alnum_run(bytes, from);
            let mut end = from;
            while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
                end += 1;
            }
            let part = &bytes[from..end];
            assert_eq!(run.end, end, "from {from}");
            assert_eq!(
                run.upper,
                part.iter().any(u8::is_ascii_uppercase),
                "from {from}"
            );
        }
        // Every byte value, at each position of an eight-byte chunk.
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut chunk = *b"abcdefghij";
                chunk[pos] = b;
                let run = ascii_alnum_run(&chunk, 0);
                let want = if b.is_ascii_alphanumeric() { 10 } else { pos };
                assert_eq!(run.end, want, "byte {b:#x} at {pos}");
            }
        }
    }

    #[test]
    fn title_case_sentences_are_marked() {
        let s = "Mayor Opens New Bridge In Medan\nThe mayor opened a new bridge in Medan today.";
        let t = tokenize(s);
        let title: Vec<&str> = t.iter().filter(|x| x.title).map(|x| x.text(s)).collect();
        assert_eq!(title, ["Mayor", "Opens", "New", "Bridge", "In", "Medan"]);
        // Short words do not count; three long capitalised words of four do.
        assert!(tokenize("Ani dan Budi ke Jakarta").iter().all(|x| !x.title));
        assert!(tokenize("Budi Visits Rural Jakarta schools")
            .iter()
            .all(|x| x.title));
    }

    #[test]
    fn devanagari_marks_stay_in_words() {
        assert_eq!(words("नमस्ते दुनिया"), ["नमस्ते", "दुनिया"]);
    }
}
