//! Stage 4: language-neutral anchors, extracted before anything is removed.
//!
//! Numbers are parsed with the separators of the language's profile (`profile/`): Indonesian
//! and most languages use `,` for decimals and `.` for thousands, English, the Arabic script
//! and India the reverse; dates in the profile's day/month order and month names; and scale
//! words (`juta` = `million`, `rb`, `bn` …), so `10 juta yuan` and
//! `10 million yuan` give the same anchors. Labels:
//!
//! | label | from |
//! |---|---|
//! | `num:1400000` | every number that is not a year, a percentage or a date |
//! | `amt:USD:1400000` | a number with a currency (`US$1,4 juta`, `$1.4 million`, `Rp 2,5 triliun`) |
//! | `pct:62` | `62%`, `62 persen`, `62 percent` |
//! | `year:2024` | a four-digit number from 1900 to 2100 |
//! | `date:01-31` | month and day (`31/1/2024`, `31 Januari`, `January 31`, `Jan. 31`) |
//! | `code:5g` | a token starting with digits and ending with letters that are not a unit |
//! | `code:1-2` | a score or range, smaller side first (`2-1` and `1-2` alike) |
//!
//! Number words (`five`, `lima`, `seventh`, `ketujuh`: the profile's) become `num:` anchors too.
//! Scale, currency and percent words are read in every language (`150 million` in an
//! Indonesian text, `bn` in an English one), so they are tables here, not a profile's.
//!
//! Normalisation has already made native digits ASCII (`٢٠٢٠` → `2020`); the scale, percent
//! and currency words of Arabic, Persian, Urdu, Hindi, Bengali, Russian and the Chinese
//! myriads (`١٥٠ مليون` = `15 करोड़` = `1.5亿` = `150 million`) are read here, in tables of
//! their own so that ASCII words search only the short ones.

use super::profile::{self, DateOrder, DecimalMark, Profile};
use super::tokenize::{Token, TokenKind};
use super::word_cache::word_key;
use crate::AnchorClass;
use std::fmt::Write as _;
use std::sync::LazyLock;

/// The anchor labels of one number, written one after another into one buffer that the
/// caller reuses from number to number: no allocation per label.
#[derive(Debug)]
pub(crate) struct Labels {
    text: String,
    ends: Vec<usize>,
}

impl Default for Labels {
    /// Room for the longest labels a number gives (an amount and its number).
    fn default() -> Labels {
        Labels {
            text: String::with_capacity(64),
            ends: Vec::with_capacity(4),
        }
    }
}

impl Labels {
    /// Forgets the labels, keeping the buffers.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Adds a label written by `write` (which appends to the buffer it is given).
    fn add(&mut self, write: impl FnOnce(&mut String)) {
        write(&mut self.text);
        self.ends.push(self.text.len());
    }

    /// Adds `prefix` followed by `rest`.
    fn add2(&mut self, prefix: &str, rest: &str) {
        self.add(|t| {
            t.push_str(prefix);
            t.push_str(rest);
        });
    }

    /// Adds `prefix` followed by the canonical text of `v` ([`canonical_into`]).
    fn add_value(&mut self, prefix: &str, v: f64) {
        self.add(|t| {
            t.push_str(prefix);
            canonical_into(v, t);
        });
    }

    /// Adds `date:MM-DD`.
    pub fn add_date(&mut self, m: u32, d: u32) {
        self.add(|t| {
            t.push_str(AnchorClass::Date.prefix());
            push_two_digits(t, m);
            t.push('-');
            push_two_digits(t, d);
        });
    }

    /// The labels, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let l = &self.text[start..end];
            start = end;
            l
        })
    }
}

const SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("ribu", 1e3),
    ("rb", 1e3),
    ("million", 1e6),
    ("millions", 1e6),
    ("juta", 1e6),
    ("jt", 1e6),
    ("mln", 1e6),
    ("mn", 1e6),
    ("billion", 1e9),
    ("billions", 1e9),
    ("miliar", 1e9),
    ("milyar", 1e9),
    ("bilion", 1e9),
    ("bn", 1e9),
    ("bln", 1e9),
    ("trillion", 1e12),
    ("triliun", 1e12),
    ("trilion", 1e12),
    ("tn", 1e12),
    ("trn", 1e12),
];

/// Letter suffixes glued to digits (`10m`, `1.4bn`, `5rb`).
const GLUED_SCALES: &[(&str, f64)] = &[
    ("k", 1e3),
    ("rb", 1e3),
    ("m", 1e6),
    ("mn", 1e6),
    ("jt", 1e6),
    ("bn", 1e9),
    ("b", 1e9),
    ("t", 1e12),
    ("tn", 1e12),
    ("trn", 1e12),
];

const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
    ("rmb", "CNY"),
    ("dollar", "USD"),
    ("dollars", "USD"),
    ("dolar", "USD"),
    ("usd", "USD"),
    ("rupiah", "IDR"),
    ("idr", "IDR"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("eur", "EUR"),
    ("yen", "JPY"),
    ("pound", "GBP"),
    ("pounds", "GBP"),
    ("sterling", "GBP"),
    ("ringgit", "MYR"),
    ("won", "KRW"),
    ("rupee", "INR"),
    ("rupees", "INR"),
    ("peso", "PHP"),
    ("pesos", "PHP"),
    ("baht", "THB"),
    ("riyal", "SAR"),
    ("dirham", "AED"),
];

const PERCENT_WORDS: &[&str] = &["percent", "per-cent", "persen", "prosen", "peratus"];

/// Scale words of other scripts, in their normalised lowercase form (a unit test checks):
/// Arabic, Persian, Urdu, Hindi, Bengali, Russian, and the Chinese and Japanese myriads
/// (`150万` = 1,500,000). South Asian languages count in lakhs (10^5) and crores (10^7).
const NATIVE_SCALES: &[(&str, f64)] = &[
    // Arabic
    ("ألف", 1e3),
    ("الف", 1e3),
    ("آلاف", 1e3),
    ("الاف", 1e3),
    ("مليون", 1e6),
    ("ملايين", 1e6),
    ("مليار", 1e9),
    ("مليارات", 1e9),
    ("بليون", 1e9),
    ("تريليون", 1e12),
    // Persian
    ("هزار", 1e3),
    ("میلیون", 1e6),
    ("میلیارد", 1e9),
    ("تریلیون", 1e12),
    // Urdu
    ("ہزار", 1e3),
    ("لاکھ", 1e5),
    ("ملین", 1e6),
    ("کروڑ", 1e7),
    ("ارب", 1e9),
    ("بلین", 1e9),
    // Hindi
    ("हजार", 1e3),
    ("हज\u{93c}ार", 1e3),
    ("लाख", 1e5),
    ("मिलियन", 1e6),
    ("करोड", 1e7),
    ("करोड\u{93c}", 1e7),
    ("अरब", 1e9),
    ("बिलियन", 1e9),
    // Bengali
    ("হাজার", 1e3),
    ("লাখ", 1e5),
    ("লক্ষ", 1e5),
    ("মিলিয\u{9bc}ন", 1e6),
    ("কোটি", 1e7),
    ("বিলিয\u{9bc}ন", 1e9),
    // Russian
    ("тыс", 1e3),
    ("тысяча", 1e3),
    ("тысячи", 1e3),
    ("тысяч", 1e3),
    ("млн", 1e6),
    ("миллион", 1e6),
    ("миллиона", 1e6),
    ("миллионов", 1e6),
    ("млрд", 1e9),
    ("миллиард", 1e9),
    ("миллиарда", 1e9),
    ("миллиардов", 1e9),
    ("трлн", 1e12),
    // Chinese and Japanese
    ("万", 1e4),
    ("萬", 1e4),
    ("亿", 1e8),
    ("億", 1e8),
];

/// Percent words of other scripts (normalised lowercase, as [`NATIVE_SCALES`]).
const NATIVE_PERCENT_WORDS: &[&str] = &[
    "بالمئة",
    "بالمائة",
    "درصد",
    "فیصد",
    "प्रतिशत",
    "फीसदी",
    "শতাংশ",
    "процент",
    "процента",
    "процентов",
];

/// Currency names of other scripts (normalised lowercase, as [`NATIVE_SCALES`]).
const NATIVE_CURRENCY_WORDS: &[(&str, &str)] = &[
    ("دولار", "USD"),
    ("دلار", "USD"),
    ("ڈالر", "USD"),
    ("डॉलर", "USD"),
    ("ডলার", "USD"),
    ("доллар", "USD"),
    ("доллара", "USD"),
    ("долларов", "USD"),
    ("يورو", "EUR"),
    ("یورو", "EUR"),
    ("यूरो", "EUR"),
    ("ইউরো", "EUR"),
    ("евро", "EUR"),
];

/// What a word beside a number says, when [`number_at`] reads it (see [`ContextWords`]).
#[derive(Debug, Clone, Copy, Default)]
struct ContextWord {
    /// [`scale`] of the word.
    scale: Option<f64>,
    /// [`currency_word`] of the word.
    currency: Option<&'static str>,
    /// [`is_percent_word`] of the word.
    percent: bool,
}

/// Every word [`number_at`] reads beside a number, by [`word_key`]: scale, currency and
/// percent words with what they say (as [`scale`], [`currency_word`] and
/// [`is_percent_word`] answer: an ASCII word is looked for in the ASCII tables, any other in
/// the native ones, the first entry winning), and every profile's month names and month
/// links (present only: a month depends on the profile). A key not held is none of them, and
/// one held is answered without scanning the tables, which a number's neighbours would
/// otherwise do for every number.
struct ContextWords(ahash::AHashMap<u64, ContextWord>);

impl ContextWords {
    fn build() -> ContextWords {
        let mut map: ahash::AHashMap<u64, ContextWord> = ahash::AHashMap::new();
        // The table a word is looked for in: the ASCII one for ASCII words.
        let reachable = |w: &str, ascii_table: bool| w.is_ascii() == ascii_table;
        for (table, ascii) in [(SCALES, true), (NATIVE_SCALES, false)] {
            for &(w, f) in table.iter().filter(|(w, _)| reachable(w, ascii)) {
                map.entry(word_key(w)).or_default().scale.get_or_insert(f);
            }
        }
        for (table, ascii) in [(CURRENCY_WORDS, true), (NATIVE_CURRENCY_WORDS, false)] {
            for &(w, c) in table.iter().filter(|(w, _)| reachable(w, ascii)) {
                map.entry(word_key(w))
                    .or_default()
                    .currency
                    .get_or_insert(c);
            }
        }
        for (table, ascii) in [(PERCENT_WORDS, true), (NATIVE_PERCENT_WORDS, false)] {
            for &w in table.iter().filter(|w| reachable(w, ascii)) {
                map.entry(word_key(w)).or_default().percent = true;
            }
        }
        for p in profile::all() {
            let months = p.months.iter().flat_map(|t| t.iter().map(|(w, _)| *w));
            for w in months.chain(p.month_links.iter().copied()) {
                map.entry(word_key(w)).or_default();
            }
        }
        ContextWords(map)
    }

    /// The word of key `key` if [`number_at`] reads it: `Some(None)` for key 0 (a symbol
    /// token, `%`: the tables answer it by its text), `None` for a word it does not read.
    #[inline(always)]
    fn get(&self, key: u64) -> Option<Option<&ContextWord>> {
        if key == 0 {
            return Some(None);
        }
        self.0.get(&key).map(Some)
    }
}

static CONTEXT_WORDS: LazyLock<ContextWords> = LazyLock::new(ContextWords::build);

/// The currency code of a currency name (`yuan`, `dollars`, `دولار`).
fn currency_word(w: &str) -> Option<&'static str> {
    let table = if w.is_ascii() {
        CURRENCY_WORDS
    } else {
        NATIVE_CURRENCY_WORDS
    };
    table.iter().find(|(s, _)| *s == w).map(|&(_, c)| c)
}

/// The factor of a scale word (`million`, `juta`, `مليون`, `万`).
fn scale(w: &str) -> Option<f64> {
    let table = if w.is_ascii() { SCALES } else { NATIVE_SCALES };
    table.iter().find(|(s, _)| *s == w).map(|&(_, f)| f)
}

/// Whether a word says "percent".
fn is_percent_word(w: &str) -> bool {
    w == "%"
        || if w.is_ascii() {
            PERCENT_WORDS.contains(&w)
        } else {
            NATIVE_PERCENT_WORDS.contains(&w)
        }
}

/// Parses digits with `.`/`,` separators in the locale's convention.
pub(crate) fn parse_decimal(s: &str, mark: DecimalMark) -> Option<f64> {
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    // Plain digits, the usual case: an integer below 2^53 is exact, as parsing would give.
    if s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(s.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0')) as f64);
    }
    let (thousands, decimal) = if mark == DecimalMark::Comma {
        (b'.', b',')
    } else {
        (b',', b'.')
    };
    // Thousands groups must be exactly three digits; otherwise the mark is read as decimal
    // (an English-style "3.5" in Indonesian text).
    let groups = s.bytes().filter(|&b| b == thousands).count() + 1;
    let valid_thousands = groups > 1
        && s.split(char::from(thousands))
            .enumerate()
            .skip(1)
            .all(|(i, g)| {
                let g = if i + 1 == groups {
                    g.split(char::from(decimal)).next().unwrap_or("")
                } else {
                    g
                };
                g.len() == 3
            });
    // The number with `.` as its only mark, in a buffer on the stack when it fits.
    let mut small = [0u8; 64];
    let mut large = Vec::new();
    let buf: &mut [u8] = if s.len() <= small.len() {
        &mut small
    } else {
        large.resize(s.len(), 0);
        &mut large
    };
    let mut len = 0;
    for b in s.bytes() {
        let c = if b == thousands {
            if valid_thousands {
                continue;
            }
            b'.'
        } else if b == decimal {
            b'.'
        } else {
            b
        };
        buf[len] = c;
        len += 1;
    }
    let clean = std::str::from_utf8(&buf[..len]).ok()?;
    if clean.bytes().filter(|&b| b == b'.').count() > 1 {
        return None;
    }
    clean.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// [`canonical_into`], as a new string.
#[cfg(test)]
pub(crate) fn canonical(v: f64) -> String {
    let mut s = String::new();
    canonical_into(v, &mut s);
    s
}

/// Appends `n` with at least two digits (`{n:02}`), without the formatter.
fn push_two_digits(out: &mut String, n: u32) {
    if n < 10 {
        out.push('0');
    }
    push_uint(out, u64::from(n));
}

/// Appends the decimal digits of `v` to `out`, without the formatting machinery.
fn push_int(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_uint(out, v.unsigned_abs());
}

/// Counting words (measure words) a Chinese or Japanese number may carry in one segment
/// (`三名` three [people], `十五天` fifteen days, `两起` two [incidents]). Months (`三月` is
/// March), days of the month and percentages (`百分之`) are left out: they are other anchors.
const HAN_COUNTERS: &[&str] = &[
    "名", "人", "个", "位", "起", "辆", "架", "艘", "条", "座", "家", "所", "项", "例", "岁", "次",
    "天", "周", "倍", "只", "头", "件", "批", "场", "枚", "颗", "支", "年", "小时", "個", "輛",
    "項", "歲", "隻", "頭", "場",
];

/// A segment of Chinese or Japanese text that is a number written in Han numerals, with an
/// optional counting word after it (`十五` → 15, `三名` → 3 and `名`, `两千五百` → 2500,
/// `三万` → 30000): the value and the counting word (`""` without one). `None` for anything
/// else, and for the ones English does not write as a number either: `一` alone or with a
/// counting word is the article (`一名男子`, "a man"). A numeral must begin with a digit or
/// `十` (`千万` "by all means", `万一` "in case" are words), and two digits never stand side
/// by side (`二〇二〇` is a year written digit by digit, `三三两两` "in twos and threes").
pub(crate) fn han_numeral(segment: &str) -> Option<(u64, &str)> {
    fn digit(c: char) -> Option<u64> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' | '兩' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    }
    fn unit(c: char) -> Option<u64> {
        Some(match c {
            '十' => 10,
            '百' => 100,
            '千' => 1_000,
            _ => return None,
        })
    }
    fn section(c: char) -> Option<u64> {
        Some(match c {
            '万' | '萬' => 10_000,
            '亿' | '億' => 100_000_000,
            _ => return None,
        })
    }
    let first = segment.chars().next()?;
    if digit(first).is_none() && first != '十' {
        return None;
    }
    let (mut total, mut part, mut num) = (0u64, 0u64, None::<u64>);
    let mut end = segment.len();
    let mut only_one = true;
    for (i, c) in segment.char_indices() {
        // `零` after a unit holds an empty place (`一百零五`, 105).
        if matches!(c, '零' | '〇') && num.is_none() && (part > 0 || total > 0) {
            continue;
        }
        if let Some(d) = digit(c) {
            if num.is_some() {
                return None;
            }
            only_one &= d == 1;
            num = Some(d);
        } else if let Some(u) = unit(c) {
            part = part.checked_add(num.take().unwrap_or(1).checked_mul(u)?)?;
            only_one = false;
        } else if let Some(u) = section(c) {
            if num.is_none() && part == 0 {
                return None;
            }
            total = total.checked_add((part + num.take().unwrap_or(0)).checked_mul(u)?)?;
            part = 0;
            only_one = false;
        } else {
            end = i;
            break;
        }
    }
    let counter = &segment[end..];
    if only_one || !(counter.is_empty() || HAN_COUNTERS.contains(&counter)) {
        return None;
    }
    let value = total.checked_add(part)?.checked_add(num.unwrap_or(0))?;
    (value > 0).then_some((value, counter))
}

/// Appends the decimal digits of `n` to `out`.
pub(crate) fn push_uint(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// Appends the canonical text of a value to `out`: six significant digits, no trailing zeros.
pub(crate) fn canonical_into(v: f64, out: &mut String) {
    if v == 0.0 {
        out.push('0');
        return;
    }
    // Most numbers are small integers (years, counts, days): no logarithm needed.
    if v.abs() < 1e6 && v.fract() == 0.0 {
        push_int(out, v as i64);
        return;
    }
    let mag = v.abs().log10().floor() as i32;
    // Round large integers to six significant digits too.
    if mag >= 6 {
        let p = 10f64.powi(mag - 5);
        let r = (v / p).round() * p;
        // An integral value: integer formatting prints the same digits, without the float
        // formatter's big-number arithmetic.
        if r.abs() < 9e18 {
            push_int(out, r as i64);
        } else {
            let _ = write!(out, "{r:.0}");
        }
        return;
    }
    if v.fract() == 0.0 {
        push_int(out, v as i64);
        return;
    }
    let decimals = (5 - mag).max(0) as usize;
    let start = out.len();
    let _ = write!(out, "{:.*}", decimals, v);
    if out[start..].contains('.') {
        let kept = out[start..]
            .trim_end_matches('0')
            .trim_end_matches('.')
            .len();
        out.truncate(start + kept);
    }
}

fn currency_before(text: &str, tokens: &[Token], i: usize) -> Option<&'static str> {
    let prev = tokens.get(i.checked_sub(1)?)?;
    let gap = &text[prev.end..tokens[i].start];
    if gap.len() > 1 || !gap.chars().all(char::is_whitespace) {
        return None;
    }
    let p = prev.text(text);
    match p {
        "$" => {
            let pp = i
                .checked_sub(2)
                .and_then(|j| tokens.get(j))
                .filter(|t| t.end == prev.start)
                .map(|t| t.text(text));
            Some(match pp {
                Some("HK") => "HKD",
                Some("S" | "SG") => "SGD",
                Some("A" | "AU") => "AUD",
                Some("NZ") => "NZD",
                Some("C" | "CA") => "CAD",
                _ => "USD",
            })
        }
        "€" => Some("EUR"),
        "£" => Some("GBP"),
        "¥" => Some("JPY"),
        "₹" => Some("INR"),
        "₩" => Some("KRW"),
        "Rp" | "RP" | "rp" | "IDR" => Some("IDR"),
        "USD" => Some("USD"),
        "RM" => Some("MYR"),
        _ => None,
    }
}

/// Word tokens that are a currency prefix glued to a following `$` (`US$`, `HK$`).
#[inline]
pub(crate) fn is_dollar_prefix(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    // The `$` glued after it first: rare, and cheaper to ask than the prefix.
    tokens
        .get(i + 1)
        .is_some_and(|n| n.start == t.end && text.as_bytes().get(n.start) == Some(&b'$'))
        && tokens[i + 1].text(text) == "$"
        && matches!(
            t.text(text),
            "US" | "HK" | "S" | "SG" | "A" | "AU" | "NZ" | "C" | "CA"
        )
}

/// The number at token `i` (its text `num_text`, one to three digits) with the groups of three
/// digits that follow it after one space each (`1 500 000`, the last group may carry a
/// decimal part: `1 500,25`), glued; and how many tokens it took after `i`. `None` when no
/// group follows.
#[inline(never)]
fn space_grouped(
    text: &str,
    tokens: &[Token],
    i: usize,
    num_text: &str,
) -> Option<(String, usize)> {
    if !(1..=3).contains(&num_text.len()) || !num_text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut glued = String::from(num_text);
    let mut k = i + 1;
    while let Some(t) = tokens.get(k) {
        if t.kind != TokenKind::Number || &text[tokens[k - 1].end..t.start] != " " {
            break;
        }
        let g = t.text(text);
        let b = g.as_bytes();
        let group = b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit);
        let rest = &b[b.len().min(3)..];
        let decimal = rest.len() >= 2
            && matches!(rest[0], b',' | b'.')
            && rest[1..].iter().all(u8::is_ascii_digit);
        if !group || !(rest.is_empty() || decimal) {
            break;
        }
        glued.push_str(g);
        k += 1;
        if decimal {
            break;
        }
    }
    (k > i + 1).then(|| (glued, k - (i + 1)))
}

/// The two sides of a score written `a-b`: digits on both sides of one dash (what
/// [`score_order`] orders, and what the event evidence counts as a score's figure).
pub(crate) fn score_sides(s: &str) -> Option<(&str, &str)> {
    let (a, b) = s.split_once('-')?;
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    (digits(a) && digits(b)).then_some((a, b))
}

/// The two sides of a score or range written `a-b` (digits on both sides of one dash), the
/// smaller first: `2-1` and `1-2` are one result told from either side (Jordan beat Iraq 2-1;
/// Iraq lost 1-2 to Jordan), so they share one anchor, `code:1-2`. Ranges (`18-21`), written
/// smaller first, keep their order.
fn score_order(s: &str) -> Option<(&str, &str)> {
    let (a, b) = score_sides(s).filter(|(a, b)| a.len() <= 18 && b.len() <= 18)?;
    let (x, y): (u64, u64) = (a.parse().ok()?, b.parse().ok()?);
    Some(if y < x { (b, a) } else { (a, b) })
}

/// What letters right after a number's digits make of it ([`number_suffix`]).
enum Suffix {
    /// `7th`: an ordinal.
    Ordinal,
    /// `72-minute`: a hyphenated unit word; the number reads as it is.
    Unit,
    /// `10m`, `2bn`: a glued scale, by this factor.
    Scale(f64),
    /// Read whole, its label added: a decade (`1990an`, `1990s`), a score order, a code (`5G`).
    Read,
}

/// [`number_at`] for digits followed by letters (`7th`, `10m`, `1990an`, `5G`), out of line:
/// most numbers have none.
#[cold]
#[inline(never)]
fn number_suffix(num_text: &str, digits: &str, suffix: &str, labels: &mut Labels) -> Suffix {
    let suffix_l = suffix.to_ascii_lowercase();
    match suffix_l.as_str() {
        // Bengali writes a day of the month with an ordinal ending (`১লা`, `২রা`, `৪ঠা`,
        // `১৫ই`, `২১শে ফেব্রুয়ারি`).
        "st" | "nd" | "rd" | "th" | "লা" | "রা" | "ঠা" | "ই" | "শে" => {
            Suffix::Ordinal
        }
        // "1990an", "1990s", Korean "2020년".
        "an" | "s" | "년" if digits.len() == 4 => {
            labels.add2("year:", digits);
            Suffix::Read
        }
        // "72-minute", "23-year-old": the number with a hyphenated unit word.
        s if s.starts_with('-') && s[1..].chars().next().is_some_and(char::is_alphabetic) => {
            Suffix::Unit
        }
        s => {
            if let Some(&(_, f)) = GLUED_SCALES.iter().find(|(g, _)| *g == s) {
                return Suffix::Scale(f);
            }
            match score_order(num_text) {
                Some((lo, hi)) => labels.add(|t| {
                    t.push_str("code:");
                    t.push_str(lo);
                    t.push('-');
                    t.push_str(hi);
                }),
                None => labels.add2("code:", &num_text.to_lowercase()),
            }
            Suffix::Read
        }
    }
}

/// [`number_at`] for a month written as a number (Chinese, Japanese, Korean): `2020年` is
/// `year:2020` with its character taken; `3月15日`
/// (three tokens: `3`, `月`, `15`, then `日`, which is taken too) and `3월 15일` (two:
/// `3월`, `15일`) are `date:03-15` and the day's `num:15`; returns the tokens used after the number's own, or `None`
/// when the number is no month of a date (`3月` alone, `13月`).
#[cold]
#[inline(never)]
fn numeric_date(
    text: &str,
    tokens: &[Token],
    i: usize,
    digits: &str,
    suffix: &str,
    labels: &mut Labels,
) -> Option<usize> {
    use super::profile::calendar::{NUMERIC_DAY, NUMERIC_MONTH, NUMERIC_YEAR};
    let glued = |j: usize| tokens.get(j).filter(|t| t.start == tokens[j - 1].end);
    // `2020年`: the year, and its character.
    if suffix.is_empty()
        && digits.len() == 4
        && glued(i + 1).is_some_and(|t| NUMERIC_YEAR.contains(&t.text(text)))
        && (1900..=2100).contains(&digits.parse::<u32>().ok()?)
    {
        labels.add2("year:", digits);
        return Some(1);
    }
    let month: u32 = digits.parse().ok().filter(|m| (1..=12).contains(m))?;
    // The month's character: glued to the number (`3월`) or the next token (`3` `月`).
    let (day_at, gap_ok): (usize, fn(&str) -> bool) = if suffix.is_empty() {
        let m = glued(i + 1)?;
        NUMERIC_MONTH.contains(&m.text(text)).then_some(())?;
        (i + 2, str::is_empty)
    } else {
        NUMERIC_MONTH.contains(&suffix).then_some(())?;
        (i + 1, |g: &str| {
            g.len() <= 1 && g.chars().all(char::is_whitespace)
        })
    };
    let d = tokens.get(day_at).filter(|t| t.kind == TokenKind::Number)?;
    gap_ok(&text[tokens[day_at - 1].end..d.start]).then_some(())?;
    let day_text = d.text(text);
    let split = day_text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(day_text.len());
    let (day_digits, day_suffix) = day_text.split_at(split);
    let day: u32 = day_digits.parse().ok().filter(|d| (1..=31).contains(d))?;
    if !(day_suffix.is_empty() || NUMERIC_DAY.contains(&day_suffix)) {
        return None;
    }
    labels.add_date(month, day);
    // The day as a number too: Chinese news names the day alone once the month is known
    // (`3月2日` in one report, `2日` in the next), and the two meet through it.
    labels.add_value("num:", f64::from(day));
    // `日` after the day is part of the date (`15日`).
    let day_char = day_suffix.is_empty()
        && glued(day_at + 1).is_some_and(|t| NUMERIC_DAY.contains(&t.text(text)));
    Some(day_at - i + usize::from(day_char))
}

/// [`number_at`] for a number written with a slash: Persian writes the decimal mark as `/`
/// (`۲/۵` = 2.5: two runs of digits), returned as the number with a point to read on;
/// otherwise a date d/m/yyyy (m/d/yyyy in English when the first part can be a month), its
/// labels added, and `None`.
#[cold]
#[inline(never)]
fn slash_number(num_text: &str, profile: &Profile, labels: &mut Labels) -> Option<String> {
    if profile.slash_decimal {
        if let Some((a, b)) = num_text.split_once('/') {
            if !a.is_empty()
                && !b.is_empty()
                && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
            {
                return Some(format!("{a}.{b}"));
            }
        }
    }
    // Two or three parts, each a number: no allocation (most slashes are no date).
    let mut parts = [0u32; 3];
    let mut count = 0;
    for p in num_text.split('/') {
        match p.parse() {
            Ok(v) if count < 3 => parts[count] = v,
            _ => return None,
        }
        count += 1;
    }
    if count >= 2 {
        let (a, b) = (parts[0], parts[1]);
        // English writes month first (unless the first part cannot be a month); every other
        // language here writes day first (unless the second part cannot be a month).
        let month_first = if profile.date_order == DateOrder::MonthFirst {
            a <= 12
        } else {
            a <= 12 && b > 12
        };
        let (d, m) = if month_first { (b, a) } else { (a, b) };
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            labels.add_date(m, d);
            if count == 3 {
                let y = parts[2];
                let y = if y < 100 { 2000 + y } else { y };
                labels.add(|t| {
                    t.push_str("year:");
                    push_int(t, i64::from(y));
                });
            }
        }
    }
    None
}

/// Anchors of the number token at `i` (also a `Rp2,5`-style word whose digits start after the
/// currency prefix: pass that prefix's currency in `glued_currency`), added to `labels`;
/// returns how many tokens after the number they used (scale word, currency word, month, `%`).
/// `lower_of(j)` is the lowercase form of token `j`, `keys[j]` its [`word_key`] (0 for a
/// symbol).
#[allow(clippy::too_many_arguments)]
pub(crate) fn number_at<'t>(
    text: &str,
    tokens: &[Token],
    i: usize,
    profile: &Profile,
    lower_of: &dyn Fn(usize) -> &'t str,
    keys: &[u64],
    num_text: &str,
    glued_currency: Option<&'static str>,
    labels: &mut Labels,
) -> usize {
    let mut after = 0usize;
    // A slash: a Persian decimal mark or a date, out of line (most numbers have none).
    let slash_decimal;
    let num_text = if num_text.as_bytes().contains(&b'/') {
        match slash_number(num_text, profile, labels) {
            Some(decimal) => {
                slash_decimal = decimal;
                slash_decimal.as_str()
            }
            None => return 0,
        }
    } else {
        num_text
    };
    // Space-grouped thousands (`1 500 000`; no-break and narrow no-break spaces are spaces
    // by now), in the languages that write them so: the groups are one number.
    let grouped;
    let found = if profile.space_thousands {
        space_grouped(text, tokens, i, num_text)
    } else {
        None
    };
    let (num_text, joined) = match found {
        Some((g, k)) => {
            grouped = g;
            (grouped.as_str(), k)
        }
        _ => (num_text, 0),
    };
    // Digits, then possibly letters (7th, 10m, 1990an, 5G).
    let split = num_text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(num_text.len());
    let (digits, suffix) = num_text.split_at(split);
    // "3月15日", "3월 15일": a month written as a number, out of line.
    if profile.numeric_months && !digits.is_empty() {
        if let Some(used) = numeric_date(text, tokens, i, digits, suffix, labels) {
            return used;
        }
    }
    let Some(mut value) = parse_decimal(digits, profile.decimal) else {
        if !num_text.is_empty() {
            labels.add2("code:", &num_text.to_lowercase());
        }
        return joined;
    };
    let mut scaled = false;
    let mut is_ordinal = false;
    if !suffix.is_empty() {
        match number_suffix(num_text, digits, suffix, labels) {
            Suffix::Ordinal => is_ordinal = true,
            Suffix::Unit => {}
            Suffix::Scale(f) => {
                value *= f;
                scaled = true;
            }
            Suffix::Read => return joined,
        }
    }
    // Indonesian ordinals written ke-7 are tokenised as words; handled by the caller.
    let mut currency = glued_currency.or_else(|| currency_before(text, tokens, i));
    let mut percent = false;
    let mut j = i + 1 + joined;
    // Only words of the context table are looked at: every word read beside a number is
    // one (a scale, currency, percent or month word, a month link).
    let context = &*CONTEXT_WORDS;
    let next_word = |j: usize| -> Option<(&'t str, Option<&ContextWord>)> {
        let t = tokens.get(j)?;
        let known = context.get(keys[j])?;
        let gap = &text[tokens[j - 1].end..t.start];
        (gap.len() <= 2 && gap.chars().all(|c| c.is_whitespace() || c == '.'))
            .then(|| (lower_of(j), known))
    };
    if !scaled && !is_ordinal {
        if let Some((w, known)) = next_word(j) {
            if let Some(f) = known.map_or_else(|| scale(w), |c| c.scale) {
                value *= f;
                scaled = true;
                j += 1;
            }
        }
    }
    if let Some((w, known)) = next_word(j) {
        if let Some(c) = known.map_or_else(|| currency_word(w), |c| c.currency) {
            currency = currency.or(Some(c));
            j += 1;
        } else if known.map_or_else(|| is_percent_word(w), |c| c.percent) {
            percent = true;
            j += 1;
        } else if let Some(m) = profile.month(w) {
            // "31 Januari", "17 Sept"
            if !scaled
                && currency.is_none()
                && value.fract() == 0.0
                && (1.0..=31.0).contains(&value)
            {
                labels.add_date(m, value as u32);
                return j + 1 - (i + 1);
            }
        } else if profile.month_links.contains(&w) {
            // "5 de marzo"
            if let Some(m) = next_word(j + 1).and_then(|(w, _)| profile.month(w)) {
                if !scaled
                    && currency.is_none()
                    && value.fract() == 0.0
                    && (1.0..=31.0).contains(&value)
                {
                    labels.add_date(m, value as u32);
                    return j + 2 - (i + 1);
                }
            }
        }
    }
    after = after.max(j - (i + 1));
    // "January 31", "Sept. 17": the month comes before.
    if !scaled
        && currency.is_none()
        && !percent
        && value.fract() == 0.0
        && (1.0..=31.0).contains(&value)
        && i > 0
    {
        let prev = &tokens[i - 1];
        let gap = &text[prev.end..tokens[i].start];
        if prev.kind == TokenKind::Word
            && context.get(keys[i - 1]).is_some()
            && gap.len() <= 2
            && gap.chars().all(|c| c.is_whitespace() || c == '.')
        {
            if let Some(m) = profile.month(lower_of(i - 1)) {
                labels.add_date(m, value as u32);
                return after;
            }
        }
    }
    if percent {
        labels.add_value("pct:", value);
    } else if !scaled
        && currency.is_none()
        && !is_ordinal
        && joined == 0
        && digits.len() == 4
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (1900.0..=2100.0).contains(&value)
    {
        labels.add2("year:", digits);
    } else {
        if let Some(c) = currency {
            labels.add(|t| {
                t.push_str("amt:");
                t.push_str(c);
                t.push(':');
                canonical_into(value, t);
            });
        }
        labels.add_value("num:", value);
    }
    after
}

/// A month and day written in Han numerals at the start of `text` (`三月十五日`, `十二月三号`,
/// `一月一日`): (its length in bytes, month, day). The month is 1–12 before `月`, the day
/// 1–31 before `日`, `号` or `號`, each written as Chinese writes a number under a hundred
/// (`五`, `十`, `十五`, `二十`, `三十一`). `None` for anything else (`三月` alone, `十三月`).
pub(crate) fn han_date(text: &str) -> Option<(usize, u32, u32)> {
    /// A number from 1 to 99 in Han numerals at the start of `s`, and the rest.
    fn small(s: &str) -> Option<(u32, &str)> {
        fn digit(c: char) -> Option<u32> {
            "一二三四五六七八九"
                .chars()
                .position(|d| d == c)
                .map(|p| p as u32 + 1)
        }
        let mut chars = s.char_indices().peekable();
        let (_, c) = *chars.peek()?;
        let tens = if c == '十' {
            chars.next();
            1
        } else {
            let d = digit(c)?;
            chars.next();
            match chars.peek() {
                Some(&(_, '十')) => {
                    chars.next();
                    d
                }
                _ => {
                    let end = chars.peek().map_or(s.len(), |&(i, _)| i);
                    return Some((d, &s[end..]));
                }
            }
        };
        let units = match chars.peek() {
            Some(&(_, c)) => digit(c).inspect(|_| {
                chars.next();
            }),
            None => None,
        };
        let end = chars.peek().map_or(s.len(), |&(i, _)| i);
        Some((tens * 10 + units.unwrap_or(0), &s[end..]))
    }
    let (month, rest) = small(text)?;
    let rest = rest.strip_prefix('月')?;
    let (day, rest) = small(rest)?;
    let rest = rest
        .strip_prefix('日')
        .or_else(|| rest.strip_prefix('号'))
        .or_else(|| rest.strip_prefix('號'))?;
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| (text.len() - rest.len(), month, day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::profile::profile;
    use crate::analysis::tokenize::tokenize;
    use crate::Lang;

    fn anchors(s: &str, lang: Lang) -> Vec<String> {
        let toks = tokenize(s);
        let lows: Vec<String> = toks.iter().map(|t| t.text(s).to_lowercase()).collect();
        let lower = |j: usize| lows[j].as_str();
        let keys: Vec<u64> = toks
            .iter()
            .zip(&lows)
            .map(|(t, l)| {
                if t.kind == TokenKind::Symbol {
                    0
                } else {
                    word_key(l)
                }
            })
            .collect();
        let mut out = Vec::new();
        let mut labels = Labels::default();
        let mut i = 0;
        while i < toks.len() {
            if toks[i].kind == TokenKind::Number {
                labels.clear();
                let after = number_at(
                    s,
                    &toks,
                    i,
                    profile(lang),
                    &lower,
                    &keys,
                    toks[i].text(s),
                    None,
                    &mut labels,
                );
                out.extend(labels.iter().map(str::to_string));
                i += 1 + after;
            } else {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn amounts_match_across_locales() {
        let table: &[(&str, Lang, &[&str])] = &[
            (
                "10 juta yuan",
                Lang::Indonesian,
                &["amt:CNY:10000000", "num:10000000"],
            ),
            (
                "10 million yuan",
                Lang::English,
                &["amt:CNY:10000000", "num:10000000"],
            ),
            (
                "US$1,4 juta",
                Lang::Indonesian,
                &["amt:USD:1400000", "num:1400000"],
            ),
            (
                "US$1.4 million",
                Lang::English,
                &["amt:USD:1400000", "num:1400000"],
            ),
            ("$1.4m", Lang::English, &["amt:USD:1400000", "num:1400000"]),
            (
                "Rp 2,5 triliun",
                Lang::Indonesian,
                &["amt:IDR:2500000000000", "num:2500000000000"],
            ),
            ("1.500 orang", Lang::Indonesian, &["num:1500"]),
            ("1,500 people", Lang::English, &["num:1500"]),
            ("3.5 persen", Lang::Indonesian, &["pct:3.5"]),
            ("62% bisnis", Lang::Indonesian, &["pct:62"]),
            ("62 percent", Lang::English, &["pct:62"]),
            ("akhir 2020", Lang::Indonesian, &["year:2020"]),
            ("in late 2020", Lang::English, &["year:2020"]),
            (
                "Rabu (31/1/2024)",
                Lang::Indonesian,
                &["date:01-31", "year:2024"],
            ),
            ("on 1/31/2024", Lang::English, &["date:01-31", "year:2024"]),
            // A slash date of two parts, a two-digit year; not four parts, nor a word part.
            ("pada 5/3 lalu", Lang::Indonesian, &["date:03-05"]),
            ("on 12/25/24", Lang::English, &["date:12-25", "year:2024"]),
            ("kode 1/2/3/4", Lang::Indonesian, &[]),
            ("ruang 1/2a", Lang::Indonesian, &[]),
            (
                "31 Januari 2024",
                Lang::Indonesian,
                &["date:01-31", "year:2024"],
            ),
            (
                "January 31, 2024",
                Lang::English,
                &["date:01-31", "year:2024"],
            ),
            ("Sept. 17", Lang::English, &["date:09-17"]),
            ("the 7th death", Lang::English, &["num:7"]),
            ("5G network", Lang::English, &["code:5g"]),
            ("a 72-minute match", Lang::English, &["num:72"]),
            ("the 23-year-old", Lang::English, &["num:23"]),
            // A score is one anchor whichever side tells it; a range keeps its order.
            ("skor 21-17", Lang::Indonesian, &["code:17-21"]),
            ("Jordan beat Iraq 2-1", Lang::English, &["code:1-2"]),
            (
                "Irak kalah 1-2 dari Yordania",
                Lang::Indonesian,
                &["code:1-2"],
            ),
            ("a 0-0 draw", Lang::English, &["code:0-0"]),
            ("aged 18-21", Lang::English, &["code:18-21"]),
            ("scored 10-9", Lang::English, &["code:9-10"]),
            ("1.234.567,89", Lang::Indonesian, &["num:1234570"]),
        ];
        for (text, lang, want) in table {
            assert_eq!(anchors(text, *lang), *want, "{text:?}");
        }
    }

    /// Every word `number_at` reads beside a number is read, in every profile: the context
    /// filter that lets it skip its table scans must hold each of them (a table added to the
    /// scans but not to [`ContextWords::build`] fails here).
    #[test]
    fn every_word_read_beside_a_number_is_read() {
        let one_token = |w: &str| tokenize(w).len() == 1;
        let has = |got: &[String], want: &str, text: &str| {
            assert!(
                got.iter().any(|l| l == want),
                "{text:?}: {got:?} lacks {want}"
            );
        };
        for (w, f) in SCALES
            .iter()
            .chain(NATIVE_SCALES)
            .filter(|(w, _)| one_token(w))
        {
            let text = format!("5 {w}");
            let mut want = String::from("num:");
            canonical_into(5.0 * f, &mut want);
            has(&anchors(&text, Lang::English), &want, &text);
        }
        for (w, c) in CURRENCY_WORDS
            .iter()
            .chain(NATIVE_CURRENCY_WORDS)
            .filter(|(w, _)| one_token(w))
        {
            let text = format!("5 {w}");
            has(&anchors(&text, Lang::English), &format!("amt:{c}:5"), &text);
        }
        for w in PERCENT_WORDS
            .iter()
            .chain(NATIVE_PERCENT_WORDS)
            .filter(|w| one_token(w))
        {
            let text = format!("5 {w}");
            has(&anchors(&text, Lang::English), "pct:5", &text);
        }
        let mut months = 0;
        for &lang in Lang::ALL.iter() {
            let p = profile(lang);
            for (m, n) in p
                .months
                .iter()
                .flat_map(|t| t.iter())
                .filter(|(m, _)| one_token(m))
            {
                let want = format!("date:{n:02}-12");
                for text in [format!("12 {m}"), format!("{m} 12")] {
                    has(&anchors(&text, lang), &want, &text);
                }
                if let Some(link) = p.month_links.first() {
                    let text = format!("12 {link} {m}");
                    has(&anchors(&text, lang), &want, &text);
                }
                months += 1;
            }
        }
        assert!(months > 100, "{months} month names read");
    }

    #[test]
    fn months_written_as_numbers() {
        let zh = anchors("2020年3月15日，卫生部宣布", Lang::Mandarin);
        assert_eq!(zh, ["year:2020", "date:03-15", "num:15"]);
        assert_eq!(anchors("2020年", Lang::Mandarin), ["year:2020"]);
        assert_eq!(anchors("1800年", Lang::Mandarin), ["num:1800"]);
        // `号` for the day, and the day's character left out.
        assert_eq!(anchors("3月5号", Lang::Mandarin), ["date:03-05", "num:5"]);
        assert_eq!(anchors("12月31", Lang::Japanese), ["date:12-31", "num:31"]);
        assert_eq!(
            anchors("2020년 3월 15일 보건부", Lang::Korean),
            ["year:2020", "date:03-15", "num:15"]
        );
        // No month (13), no day (32, none), a month alone, a space in Chinese: numbers.
        assert_eq!(anchors("13月15日", Lang::Mandarin), ["num:13", "num:15"]);
        assert_eq!(anchors("3月32日", Lang::Mandarin), ["num:3", "num:32"]);
        assert_eq!(anchors("3月", Lang::Mandarin), ["num:3"]);
        assert_eq!(anchors("3月 15日", Lang::Mandarin), ["num:3", "num:15"]);
        // Only the languages that write months so.
        assert_eq!(anchors("3月15日", Lang::English), ["num:3", "num:15"]);
    }

    #[test]
    fn han_numerals_are_numbers() {
        for (seg, want) in [
            ("十", Some((10, ""))),
            ("十五", Some((15, ""))),
            ("二十", Some((20, ""))),
            ("二十五", Some((25, ""))),
            ("一百", Some((100, ""))),
            ("一百零五", Some((105, ""))),
            ("三百五十", Some((350, ""))),
            ("两千五百", Some((2500, ""))),
            ("三万", Some((30_000, ""))),
            ("十二万三千", Some((123_000, ""))),
            ("两", Some((2, ""))),
            ("三名", Some((3, "名"))),
            ("十五天", Some((15, "天"))),
            ("三小时", Some((3, "小时"))),
            // The article, words that begin with a numeral, years and months: no number.
            ("一", None),
            ("一名", None),
            ("一起", None),
            ("一些", None),
            ("万一", None),
            ("千万", None),
            ("十分", None),
            ("两岸", None),
            ("四川", None),
            ("三月", None),
            ("二〇二〇", None),
            ("三三两两", None),
            ("零", None),
            ("", None),
            ("abc", None),
        ] {
            assert_eq!(han_numeral(seg), want, "{seg}");
        }
        // A scale character follows a number; an absurd run of them is none.
        assert_eq!(han_numeral(&format!("九{}", "亿".repeat(8))), None);
        // A long run adds up with checked arithmetic: a value or none, never a panic.
        let _ = han_numeral(&"九千九百九十九万九千九百亿".repeat(100_000));
    }

    #[test]
    fn han_dates() {
        for (text, want) in [
            ("三月十五日", Some((15, 3, 15))),
            ("三月十五日，卫生部", Some((15, 3, 15))),
            ("十二月三号", Some((15, 12, 3))),
            ("一月一日", Some((12, 1, 1))),
            ("十月三十一日", Some((18, 10, 31))),
            ("二月二十日", Some((15, 2, 20))),
            ("五月十號", Some((12, 5, 10))),
            // A month alone, no such month or day, another character, digits: none.
            ("三月", None),
            ("三月份", None),
            ("十三月五日", None),
            ("三月三十二日", None),
            ("三月零日", None),
            ("两月五日", None),
            ("3月15日", None),
            ("", None),
            ("月", None),
        ] {
            assert_eq!(han_date(text), want, "{text}");
        }
    }

    /// In running Chinese text: `三名男子` "three men" gives the `num:3` English `three`
    /// gives, `十五天` also the day; `一名男子` "a man" gives no number.
    #[test]
    fn han_numerals_in_running_text() {
        let a = crate::Analyzer::new();
        let zh = crate::analysis::labels_as(
            &a,
            "三名男子死亡，两人受伤，事故持续了十五天。",
            Lang::Mandarin,
        );
        for want in ["num:3", "num:2", "num:15"] {
            assert!(zh.contains(&want.to_string()), "{want}: {zh:?}");
        }
        let one = crate::analysis::labels_as(&a, "一名男子死亡。", Lang::Mandarin);
        assert!(one.iter().all(|l| !l.starts_with("num:")), "{one:?}");
        // Only the languages whose profile reads them (the Thai script has its own digits).
        let en = crate::analysis::labels_as(&a, "三名", Lang::Thai);
        assert!(en.iter().all(|l| !l.starts_with("num:")), "{en:?}");
        // A date in Han numerals is the date its digits give, in the flow of a sentence.
        let digits = crate::analysis::labels_as(&a, "卫生部3月15日宣布新增病例。", Lang::Mandarin);
        let han = crate::analysis::labels_as(&a, "卫生部三月十五日宣布新增病例。", Lang::Mandarin);
        assert!(han.contains(&"date:03-15".to_string()), "{han:?}");
        assert_eq!(han, digits);
    }

    #[test]
    fn bengali_days_take_ordinal_endings() {
        for (text, want) in [
            ("১৫ই মার্চ", "date:03-15"),
            ("২১শে ফেব্রুয়ারি", "date:02-21"),
            ("১লা মে", "date:05-01"),
            ("১৫ মার্চের মধ্যে", "date:03-15"),
        ] {
            let text = crate::analysis::normalize::normalize(text);
            assert_eq!(anchors(&text, Lang::Bengali), [want], "{text}");
        }
    }

    #[test]
    fn integers_and_label_buffer() {
        for v in [0, 7, 10, 99, 1_000_000, i64::MAX, i64::MIN, -42] {
            let mut s = String::from("x");
            push_int(&mut s, v);
            assert_eq!(s, format!("x{v}"));
        }
        let mut s = String::new();
        push_uint(&mut s, u64::MAX);
        assert_eq!(s, u64::MAX.to_string());
        let mut l = Labels::default();
        l.add2("year:", "2024");
        l.add_date(1, 31);
        l.add_value("num:", 1.4e6);
        assert_eq!(
            l.iter().collect::<Vec<_>>(),
            ["year:2024", "date:01-31", "num:1400000"]
        );
        l.clear();
        assert_eq!(l.iter().count(), 0);
        l.add_value("pct:", 2.5);
        assert_eq!(l.iter().collect::<Vec<_>>(), ["pct:2.5"]);
    }

    #[test]
    fn canonical_values() {
        assert_eq!(canonical(1.4 * 1e6), "1400000");
        assert_eq!(canonical(2.5), "2.5");
        assert_eq!(canonical(0.25), "0.25");
        assert_eq!(canonical(22.0), "22");
        assert_eq!(canonical(1_234_567.0), "1234570");
        assert_eq!(canonical(-3.0), "-3");
        assert_eq!(canonical(1e20), "100000000000000000000");
    }

    /// The formatting-only definition `canonical` must agree with.
    fn canonical_by_formatting(v: f64) -> String {
        if v == 0.0 {
            return "0".into();
        }
        let mag = v.abs().log10().floor() as i32;
        if mag >= 6 {
            let p = 10f64.powi(mag - 5);
            return format!("{:.0}", (v / p).round() * p);
        }
        let s = format!("{:.*}", (5 - mag).max(0) as usize, v);
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }

    #[test]
    fn canonical_fast_paths_agree_with_formatting() {
        let mut x = 0.37f64;
        for _ in 0..400 {
            for v in [
                x,
                x.round(),
                -x,
                x * 1e3,
                (x * 1e3).round(),
                x.round() * 1e7,
            ] {
                assert_eq!(canonical(v), canonical_by_formatting(v), "{v}");
            }
            x *= 1.13;
        }
        for v in [
            1.0,
            999_999.0,
            -999_999.0,
            -1e6,
            1e6,
            123_456_789.0,
            2.5e12,
            9.9e18,
            1.2e19,
            0.5,
            1e-3,
        ] {
            assert_eq!(canonical(v), canonical_by_formatting(v), "{v}");
        }
    }

    #[test]
    fn decimals() {
        assert_eq!(parse_decimal("1.500", DecimalMark::Comma), Some(1500.0));
        assert_eq!(parse_decimal("1,5", DecimalMark::Comma), Some(1.5));
        assert_eq!(parse_decimal("1,500", DecimalMark::Point), Some(1500.0));
        assert_eq!(parse_decimal("1.5", DecimalMark::Point), Some(1.5));
        assert_eq!(parse_decimal("1.2.3", DecimalMark::Point), None);
        assert_eq!(parse_decimal("", DecimalMark::Point), None);
        // The plain-digit fast path agrees with parsing, at its edge and past it.
        for digits in [
            "0",
            "007",
            "2024",
            "999999999999999",
            "1234567890123456",
            "9".repeat(80).as_str(),
        ] {
            assert_eq!(
                parse_decimal(digits, DecimalMark::Point),
                digits.parse::<f64>().ok(),
                "{digits}"
            );
        }
        // Separated numbers longer than the stack buffer take the heap one.
        let long = format!("1{}", ".000".repeat(30));
        assert_eq!(parse_decimal(&long, DecimalMark::Comma), Some(1e90));
        assert_eq!(parse_decimal("3.5", DecimalMark::Comma), Some(3.5));
        assert_eq!(parse_decimal("1.500,25", DecimalMark::Comma), Some(1500.25));
    }

    #[test]
    fn numbers_of_other_scripts() {
        use crate::analysis::normalize::normalize;
        // Native digits, separators, scale and percent words: the anchors of the English.
        let table: &[(&str, Lang, &[&str])] = &[
            ("\u{662}\u{660}\u{662}\u{660}", Lang::Arabic, &["year:2020"]),
            (
                "\u{661}\u{665}\u{660} \u{645}\u{644}\u{64a}\u{648}\u{646}",
                Lang::Arabic,
                &["num:150000000"],
            ),
            (
                "\u{661}\u{665}\u{660} \u{645}\u{644}\u{64a}\u{648}\u{646} \u{62f}\u{648}\u{644}\u{627}\u{631}",
                Lang::Arabic,
                &["amt:USD:150000000", "num:150000000"],
            ),
            ("\u{661}\u{66c}\u{665}\u{660}\u{660}", Lang::Arabic, &["num:1500"]),
            ("\u{663}\u{66b}\u{665}\u{66a}", Lang::Arabic, &["pct:3.5"]),
            ("\u{6f3}\u{6f9}\u{60c}\u{6f7}\u{6f6}\u{6f8}", Lang::Persian, &["num:39768"]),
            ("\u{6f5}\u{6f0} \u{62f}\u{631}\u{635}\u{62f}", Lang::Persian, &["pct:50"]),
            ("\u{967}\u{96b} \u{932}\u{93e}\u{916}", Lang::Hindi, &["num:1500000"]),
            ("\u{9e8} \u{995}\u{9cb}\u{99f}\u{9bf}", Lang::Bengali, &["num:20000000"]),
            ("1,5 \u{43c}\u{43b}\u{43d}", Lang::Russian, &["num:1500000"]),
            ("150\u{4e07}", Lang::Mandarin, &["num:1500000"]),
            ("\u{e52}\u{e50}\u{e52}\u{e50}", Lang::Thai, &["year:2020"]),
        ];
        for (text, lang, want) in table {
            assert_eq!(anchors(&normalize(text), *lang), *want, "{text:?}");
        }
    }

    #[test]
    fn native_words_are_written_normalised() {
        use crate::analysis::normalize::normalize;
        let words = NATIVE_SCALES
            .iter()
            .map(|(w, _)| *w)
            .chain(NATIVE_PERCENT_WORDS.iter().copied())
            .chain(NATIVE_CURRENCY_WORDS.iter().map(|(w, _)| *w));
        for w in words {
            assert_eq!(normalize(w).to_lowercase(), w, "{w:?}");
            assert!(!w.is_ascii(), "{w:?}: ASCII words go to SCALES");
        }
    }

    #[test]
    fn arabic_script_and_indic_languages_write_a_decimal_point() {
        // As the English: `,` groups thousands, `.` is the decimal mark.
        assert_eq!(anchors("39,768", Lang::Arabic), ["num:39768"]);
        assert_eq!(anchors("29.2", Lang::Urdu), ["num:29.2"]);
        assert_eq!(anchors("1,500", Lang::Bengali), ["num:1500"]);
        assert_eq!(anchors("39,768", Lang::Persian), ["num:39768"]);
        // A group that is not three digits is still a decimal.
        assert_eq!(anchors("1,5", Lang::Arabic), ["num:1.5"]);
    }
}
