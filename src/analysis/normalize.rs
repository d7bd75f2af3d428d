//! Stage 1: normalisation (after HTML markup is resolved: `markup.rs`).
//!
//! NFKC (compatibility forms such as full-width digits and ligatures become their plain
//! equivalents), typographic quotes, dashes and spaces unified, invisible characters and
//! Arabic-script vowel marks removed.
//! The decimal digits of other scripts (Arabic-Indic `٢٠٢٠`, Persian `۲۰۲۰`, Devanagari
//! `२०२०`, Bengali, Thai …), which NFKC leaves alone, become ASCII digits, and the Arabic
//! decimal and thousands separators (and an Arabic comma between digits, as Persian writes
//! thousands) become the ASCII marks the number parser reads: numbers anchor across scripts.
//! Case is **kept**: names are recognised from capitalisation later, and each token carries
//! its own lowercase form.

use super::bits::{at_least, HIGH, ONES};
use std::borrow::Cow;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Line openings of web-news boilerplate: links to *other* stories ("Baca juga: …"), ads,
/// bylines. Such a line names another event's people and places, so it is dropped whole.
const BOILERPLATE: &[&str] = &[
    "baca juga",
    "baca:",
    "lihat juga",
    "simak juga",
    "simak video",
    "tonton juga",
    "baca selengkapnya",
    "artikel ini telah tayang",
    "read also",
    "also read",
    "read more:",
    "related:",
    "related articles",
    "recommended:",
    "advertisement",
    "scroll to continue",
    "editor:",
    "penulis:",
    "reporter:",
    "copyright",
    // Wire credits and footers: the reporters' and editors' names would otherwise be the
    // names two stories of one reporter share (`(Reporting by …; Editing by …)`).
    "reporting by",
    "additional reporting",
    "writing by",
    "editing by",
    "compiled by",
    "associated press writer",
    "this material may not be published",
    "all rights reserved",
    "sign up for",
    "subscribe to our",
    "follow us on",
    "click here",
    "share this article",
    "download the app",
    // Indonesian portals' calls to action and links to other stories.
    "dapatkan update",
    "dapatkan berita",
    "download aplikasi",
    "unduh aplikasi",
    "klik di sini",
    "halaman selanjutnya",
    "halaman berikutnya",
    "berita terkait",
    "video pilihan",
    "ikuti kami",
    "ikuti berita",
    "saksikan video",
    "tonton video",
    "lihat video",
    "cek berita",
    "jangan lewatkan",
];

/// For each letter a marker starts with (index `c - b'a'`), the letters that follow it in
/// some marker (bit `c - b'a'`), for a quick reject of lines that start with a letter.
const SECOND_LETTERS: [u32; 26] = {
    let mut m = [0u32; 26];
    let mut i = 0;
    while i < BOILERPLATE.len() {
        let b = BOILERPLATE[i].as_bytes();
        m[(b[0] - b'a') as usize] |= 1 << (b[1] - b'a');
        i += 1;
    }
    m
};

fn is_boilerplate(line: &str) -> bool {
    // Most lines start with two letters no marker starts with. A line that starts with a
    // letter or a digit is not trimmed below, so its first two bytes must be a marker's.
    let bytes = line.as_bytes();
    if let Some(&b) = bytes.first() {
        if b.is_ascii_alphanumeric() {
            let letter = |b: u8| b.is_ascii_alphabetic().then(|| (b | 0x20) - b'a');
            return match (letter(b), bytes.get(1).copied().and_then(letter)) {
                (Some(first), Some(second)) => {
                    SECOND_LETTERS[usize::from(first)] & (1 << second) != 0 && is_marker(line)
                }
                _ => false,
            };
        }
    }
    is_marker(line)
}

/// For each letter (index `c - b'a'`), the markers that start with it (bit `i` for
/// `BOILERPLATE[i]`), so a line is compared only with those.
const BY_FIRST_LETTER: [u64; 26] = {
    assert!(BOILERPLATE.len() <= 64);
    let mut m = [0u64; 26];
    let mut i = 0;
    while i < BOILERPLATE.len() {
        m[(BOILERPLATE[i].as_bytes()[0] - b'a') as usize] |= 1 << i;
        i += 1;
    }
    m
};

/// Whether a line starts with a marker, after spaces and opening brackets.
fn is_marker(line: &str) -> bool {
    let t =
        line.trim_start_matches(|c: char| c.is_whitespace() || c == '(' || c == '[' || c == '*');
    let b = t.as_bytes();
    let Some(first) = b.first().map(u8::to_ascii_lowercase) else {
        return false;
    };
    if !first.is_ascii_lowercase() {
        return false;
    }
    let mut candidates = BY_FIRST_LETTER[usize::from(first - b'a')];
    while candidates != 0 {
        let m = BOILERPLATE[candidates.trailing_zeros() as usize].as_bytes();
        if b.len() >= m.len() && b[..m.len()].eq_ignore_ascii_case(m) {
            return true;
        }
        candidates &= candidates - 1;
    }
    false
}

/// The index of the first `\n` at or after `from`, eight bytes at a time.
#[inline]
fn next_newline(bytes: &[u8], mut from: usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(from..from + 8) {
        // A zero byte where `\n` was: the lowest flagged byte is exact.
        let v =
            u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ (ONES * u64::from(b'\n'));
        let zero = v.wrapping_sub(ONES) & !v & HIGH;
        if zero != 0 {
            return Some(from + zero.trailing_zeros() as usize / 8);
        }
        from += 8;
    }
    bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|p| from + p)
}

/// Whether a line of `text` is boilerplate: `text.lines().any(is_boilerplate)`, with the line
/// breaks found eight bytes at a time. A line here keeps a final `\r` that `lines` drops, which
/// changes nothing: no marker holds a `\r`, and a leading one is trimmed as whitespace.
fn has_boilerplate(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    loop {
        let end = next_newline(bytes, start);
        if is_boilerplate(&text[start..end.unwrap_or(bytes.len())]) {
            return true;
        }
        match end {
            Some(e) => start = e + 1,
            None => return false,
        }
    }
}

/// Drops boilerplate lines (see [`BOILERPLATE`]); text without any is returned borrowed.
fn strip_boilerplate(text: &str) -> Cow<'_, str> {
    if !has_boilerplate(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !is_boilerplate(line) {
            out.push_str(line);
        } else {
            out.push('\n');
        }
    }
    Cow::Owned(out)
}

/// Normalises text for analysis (HTML tags and character references resolved, NFKC,
/// unified punctuation, no invisible characters, boilerplate lines dropped, the outlet of a
/// dateline and a byline blanked).
///
/// ASCII text without markup, control characters, boilerplate or credits is returned
/// borrowed, untouched.
pub(crate) fn normalize(text: &str) -> Cow<'_, str> {
    then(super::markup::strip_markup(text), normalize_text)
}

/// `step` applied to text an earlier step may already have copied. Every step returns its
/// input borrowed only when it changed nothing, so a borrowed result keeps that copy
/// instead of making another.
pub(super) fn then<'a>(
    text: Cow<'a, str>,
    step: impl for<'b> Fn(&'b str) -> Cow<'b, str>,
) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(t) => step(t),
        Cow::Owned(t) => match step(&t) {
            Cow::Borrowed(_) => Cow::Owned(t),
            Cow::Owned(changed) => Cow::Owned(changed),
        },
    }
}

/// [`normalize`] of text without markup.
fn normalize_text(text: &str) -> Cow<'_, str> {
    let (chars, boilerplate) = normalize_chars(text);
    let text = match chars {
        // The scan found no boilerplate line in the text itself.
        Cow::Borrowed(t) if !boilerplate => Cow::Borrowed(t),
        chars => then(chars, strip_boilerplate),
    };
    blank_credits(text)
}

/// How many of a text's first non-empty lines may hold a dateline or a byline (the title,
/// a byline, the first paragraph).
const CREDIT_LINES: usize = 3;

/// The longest dateline read, in bytes (`WASHINGTON, Dec. 4 (Reuters) -`,
/// `JAKARTA, KOMPAS.com -`).
const DATELINE_MAX: usize = 64;

/// Outlets that open Indonesian datelines by a bare name, neither a domain
/// (`KOMPAS.com`, `TEMPO.CO`) nor in brackets (`(ANTARA)`): lowercase, whole words. Written
/// by the lintas project.
const DATELINE_OUTLETS: &[&str] = &[
    "cnbc indonesia",
    "cnn indonesia",
    "detikcom",
    "detikfinance",
    "detikhealth",
    "detikinet",
    "detiknews",
    "detikoto",
    "detiksport",
    "detiktravel",
    "idn times",
    "kumparan",
    "okezone",
    "viva",
];

/// Top-level domains of news sites in datelines (`KOMPAS.com`, `TEMPO.CO`, `VIVA.co.id`).
const DOMAINS: &[&str] = &["com", "co", "id", "net", "org", "tv"];

/// Blanks (with spaces, byte for byte, so offsets and lengths stay) the outlet of a dateline
/// and a byline in the first lines of a text: `JAKARTA, KOMPAS.com - …` keeps `JAKARTA, -`,
/// `WASHINGTON (Reuters) - …` keeps `WASHINGTON -`, and a line `By Jane Smith` goes. The
/// outlet's name would otherwise be an anchor every article of that outlet shares (and no
/// article of another), the reporter's name one every story of that reporter shares: the
/// same-outlet, same-story pairs the event verifier must tell apart, while pairs across
/// languages (never one outlet) only lose weight to them. The place and the date stay.
fn blank_credits(text: Cow<'_, str>) -> Cow<'_, str> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let (mut at, mut seen) = (0, 0);
    for line in text.split_inclusive('\n') {
        let here = at;
        at += line.len();
        if line.trim().is_empty() {
            continue;
        }
        credit_spans(line, here, &mut spans);
        seen += 1;
        if seen == CREDIT_LINES {
            break;
        }
    }
    if spans.is_empty() {
        return text;
    }
    let mut bytes = text.into_owned().into_bytes();
    for (a, b) in spans {
        bytes[a..b].fill(b' ');
    }
    // Every span covers whole characters (it starts and ends at ASCII delimiters or a line's
    // ends), and spaces are ASCII: the bytes stay UTF-8.
    Cow::Owned(String::from_utf8(bytes).expect("blanked spans cover whole characters"))
}

/// The spans (offset by `at`) of `line` that are a dateline's outlet or a byline.
fn credit_spans(line: &str, at: usize, spans: &mut Vec<(usize, usize)>) {
    let lead = line.len() - line.trim_start().len();
    let body = line.trim();
    if is_byline(body) {
        spans.push((at + lead, at + lead + body.len()));
        return;
    }
    let Some(dash) = dateline_dash(body) else {
        return;
    };
    let head = &body[..dash];
    if head.split_whitespace().count() > 6 {
        return;
    }
    let base = at + lead;
    let first = spans.len();
    // `(Reuters)`, `(ANTARA)`: a short bracketed name.
    let mut i = 0;
    while let Some(open) = head[i..].find('(').map(|o| o + i) {
        let Some(close) = head[open..].find(')').map(|c| c + open) else {
            break;
        };
        let inside = &head[open + 1..close];
        if (1..=24).contains(&inside.len()) && inside.starts_with(|c: char| c.is_ascii_uppercase())
        {
            spans.push((base + open, base + close + 1));
        }
        i = close + 1;
    }
    // `KOMPAS.com`, `Liputan6.com`, `TEMPO.CO`, `VIVA.co.id`: a word ending in a domain.
    for (from, word) in head_words(head) {
        let to = from + word.len();
        if let Some((name, tld)) = word.rsplit_once('.') {
            let name = name.trim_end_matches(".co");
            if name.len() >= 2
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
                && DOMAINS.iter().any(|d| tld.eq_ignore_ascii_case(d))
            {
                spans.push((base + from, base + to));
            }
        }
    }
    // `Jakarta, CNN Indonesia -`, `detikNews -`: a portal by its bare name.
    let lower = head.to_ascii_lowercase();
    for outlet in DATELINE_OUTLETS {
        let mut k = 0;
        while let Some(p) = lower[k..].find(outlet).map(|p| p + k) {
            let end = p + outlet.len();
            let bounded = |b: Option<u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric());
            if bounded(p.checked_sub(1).map(|q| lower.as_bytes()[q]))
                && bounded(lower.as_bytes().get(end).copied())
            {
                spans.push((base + p, base + end));
            }
            k = end;
        }
    }
    // A dateline is a place, a date and the outlet: every other word of the head starts
    // with a capital or a digit (`The e-commerce firm (Tokopedia) grew fast - …` is a
    // sentence).
    let found = &spans[first..];
    let other_words_ok = head_words(head).all(|(from, word)| {
        let from = base + from;
        word.is_empty()
            || found.iter().any(|&(a, b)| a <= from && from < b)
            || word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
    });
    if !other_words_ok {
        spans.truncate(first);
    }
}

/// The words of a dateline's head (split at whitespace and commas) with their byte offsets
/// in it, taken from the slices themselves so that a separator of several bytes cannot shift
/// them.
fn head_words(head: &str) -> impl Iterator<Item = (usize, &str)> {
    head.split(|c: char| c.is_whitespace() || c == ',')
        .map(move |w| (w.as_ptr() as usize - head.as_ptr() as usize, w))
}

/// Where the dash that ends a dateline is, in its first [`DATELINE_MAX`] bytes: a `-` (a
/// dash once normalised) after a space or a closing bracket and before a space, another dash
/// or a letter (`(CNN)-The …`).
fn dateline_dash(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let end = b.len().min(DATELINE_MAX);
    // Most lines have no dash near their start (`contains` on bytes is a fast search).
    if !b[..end].contains(&b'-') {
        return None;
    }
    (1..end).find(|&i| {
        b[i] == b'-'
            && matches!(b[i - 1], b' ' | b')')
            && b.get(i + 1)
                .is_none_or(|&n| n == b' ' || n == b'-' || n.is_ascii_alphabetic())
    })
}

/// A byline: `By Jane Smith`, `By Tom Phillips in Beijing`, `Oleh: Ahmad Romadoni` — a short
/// line that opens with the word and whose next word is capitalised (not `The`), with no
/// sentence end (`By Monday, the toll had risen.` is a sentence).
fn is_byline(line: &str) -> bool {
    if !line.starts_with(['B', 'O']) {
        return false;
    }
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    if !matches!(first, "By" | "BY" | "Oleh" | "Oleh:" | "OLEH" | "OLEH:") {
        return false;
    }
    let Some(second) = words.next() else {
        return false;
    };
    second.starts_with(|c: char| c.is_uppercase())
        && !matches!(second, "The" | "THE")
        && 2 + words.count() <= 8
        && !line.ends_with(['.', '!', '?', ':', ';'])
}

/// Whether the line of `bytes` that starts at `start` may be boilerplate: `false` only when
/// [`is_boilerplate`] of that line is certainly `false` (it starts with two letters no marker
/// starts with, a digit, or a character that is neither trimmed nor a marker's first).
#[inline]
fn may_be_boilerplate(bytes: &[u8], start: usize) -> bool {
    let Some(&b) = bytes.get(start) else {
        return false;
    };
    let letter = |b: u8| b.is_ascii_alphabetic().then(|| (b | 0x20) - b'a');
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => match bytes.get(start + 1).copied().and_then(letter) {
            Some(second) => SECOND_LETTERS[usize::from((b | 0x20) - b'a')] & (1 << second) != 0,
            None => false,
        },
        // Trimmed before a marker is looked for (ASCII whitespace, opening brackets), or not
        // ASCII (which may be whitespace).
        b' ' | b'\t' | b'\x0B' | b'\x0C' | b'\r' | b'(' | b'[' | b'*' => true,
        _ => b >= 0x80,
    }
}

/// Whether the line of `text` that starts at `start` (after a line break, or 0) is
/// boilerplate, rejecting most lines on their first two bytes.
#[inline]
fn line_is_boilerplate(text: &str, start: usize) -> bool {
    let bytes = text.as_bytes();
    may_be_boilerplate(bytes, start)
        && is_boilerplate(&text[start..next_newline(bytes, start).unwrap_or(bytes.len())])
}

/// The characters of `text` normalised (see [`normalize`], boilerplate aside), and whether a
/// line of `text` itself is boilerplate (only meaningful when the text is returned borrowed,
/// the only case in which its lines are the result's).
fn normalize_chars(text: &str) -> (Cow<'_, str>, bool) {
    // One pass that looks at ASCII a byte at a time and at each run of other characters as a
    // whole. ASCII is always NFKC and resets the quick check's state, so checking the runs one
    // by one is the same as checking the whole text.
    let bytes = text.as_bytes();
    let (mut needs_map, mut needs_nfkc) = (false, false);
    let mut boilerplate = line_is_boilerplate(text, 0);
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes of ASCII at a time.
        if let Some(chunk) = bytes.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if x & HIGH == 0 {
                // Below 0x20 or DEL: usually none.
                let odd = (!at_least(x, 0x20) | at_least(x, 0x7F)) & HIGH;
                if odd != 0 {
                    let eq = |c: u8| !at_least(x ^ (ONES * u64::from(c)), 1) & HIGH;
                    let newlines = eq(b'\n');
                    needs_map |= odd & !(newlines | eq(b'\t')) != 0;
                    let mut nl = newlines;
                    while nl != 0 {
                        let p = i + nl.trailing_zeros() as usize / 8;
                        boilerplate = boilerplate || line_is_boilerplate(text, p + 1);
                        nl &= nl - 1;
                    }
                }
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if b < 0x80 {
            needs_map |= is_ascii_control(b);
            if b == b'\n' {
                boilerplate = boilerplate || line_is_boilerplate(text, i + 1);
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] >= 0x80 {
            i += 1;
        }
        let run = &text[start..i];
        needs_map = needs_map || run.chars().any(needs_mapping);
        needs_nfkc = needs_nfkc || is_nfkc_quick(run.chars()) != IsNormalized::Yes;
    }
    if needs_nfkc {
        let mut out = String::with_capacity(text.len());
        push_mapped_all(&mut out, text.nfkc(), None);
        return (Cow::Owned(out), true);
    }
    if !needs_map {
        return (Cow::Borrowed(text), boilerplate);
    }
    // Copy runs of ordinary ASCII whole; map everything else character by character.
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while let Some(chunk) = bytes.get(i..i + 8) {
            if !plain_ascii8(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
                break;
            }
            i += 8;
        }
        while i < bytes.len() && bytes[i] < 0x80 && !is_ascii_control(bytes[i]) {
            i += 1;
        }
        out.push_str(&text[start..i]);
        let start = i;
        while i < bytes.len() && (bytes[i] >= 0x80 || is_ascii_control(bytes[i])) {
            i += 1;
        }
        push_mapped_all(&mut out, text[start..i].chars(), text[i..].chars().next());
    }
    (Cow::Owned(out), true)
}

/// Whether eight bytes (little-endian in `x`) are all ASCII and none is a control character
/// other than newline or tab, by word arithmetic.
#[inline]
fn plain_ascii8(x: u64) -> bool {
    if x & HIGH != 0 {
        return false;
    }
    // High bit set per byte: at least 0x20; equal to `c` (a byte equal to `c` leaves 0, and a
    // non-zero 7-bit byte is at least 1).
    let printable = at_least(x, 0x20);
    let eq = |c: u8| !at_least(x ^ (ONES * u64::from(c)), 1) & HIGH;
    (printable | eq(b'\n') | eq(b'\t')) & !eq(0x7F) == HIGH
}

/// An ASCII control character other than newline and tab (these are mapped, see [`mapped`]).
#[inline]
fn is_ascii_control(b: u8) -> bool {
    (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F
}

fn needs_mapping(c: char) -> bool {
    !c.is_ascii() && (mapped(c) != Some(c) || c == ARABIC_COMMA)
        || (c.is_ascii_control() && !matches!(c, '\n' | '\t'))
}

/// The first code point (the digit zero) of each run of ten Unicode decimal digits
/// (General_Category Nd) outside ASCII that NFKC leaves alone, in ascending order. The Unicode
/// stability policy guarantees that Nd characters come in contiguous runs of ten from 0 to 9,
/// so a digit's value is its distance from its run's zero. The full-width, mathematical,
/// segmented and outlined digits are not here: NFKC already makes them ASCII. A unit test
/// checks the table against the standard library's numeric property and the transliteration
/// table of `any_ascii`.
const DIGIT_ZEROS: [u32; 68] = [
    0x0660,  // Arabic-Indic
    0x06F0,  // Extended Arabic-Indic (Persian, Urdu)
    0x07C0,  // NKo
    0x0966,  // Devanagari
    0x09E6,  // Bengali
    0x0A66,  // Gurmukhi
    0x0AE6,  // Gujarati
    0x0B66,  // Oriya
    0x0BE6,  // Tamil
    0x0C66,  // Telugu
    0x0CE6,  // Kannada
    0x0D66,  // Malayalam
    0x0DE6,  // Sinhala Lith
    0x0E50,  // Thai
    0x0ED0,  // Lao
    0x0F20,  // Tibetan
    0x1040,  // Myanmar
    0x1090,  // Myanmar Shan
    0x17E0,  // Khmer
    0x1810,  // Mongolian
    0x1946,  // Limbu
    0x19D0,  // New Tai Lue
    0x1A80,  // Tai Tham Hora
    0x1A90,  // Tai Tham Tham
    0x1B50,  // Balinese
    0x1BB0,  // Sundanese
    0x1C40,  // Lepcha
    0x1C50,  // Ol Chiki
    0xA620,  // Vai
    0xA8D0,  // Saurashtra
    0xA900,  // Kayah Li
    0xA9D0,  // Javanese
    0xA9F0,  // Myanmar Tai Laing
    0xAA50,  // Cham
    0xABF0,  // Meetei Mayek
    0x104A0, // Osmanya
    0x10D30, // Hanifi Rohingya
    0x10D40, // Garay
    0x11066, // Brahmi
    0x110F0, // Sora Sompeng
    0x11136, // Chakma
    0x111D0, // Sharada
    0x112F0, // Khudawadi
    0x11450, // Newa
    0x114D0, // Tirhuta
    0x11650, // Modi
    0x116C0, // Takri
    0x116D0, // Myanmar Pao
    0x116DA, // Myanmar Eastern Pwo Karen
    0x11730, // Ahom
    0x118E0, // Warang Citi
    0x11950, // Dives Akuru
    0x11BF0, // Sunuwar
    0x11C50, // Bhaiksuki
    0x11D50, // Masaram Gondi
    0x11DA0, // Gunjala Gondi
    0x11DE0, // Tolong Siki
    0x11F50, // Kawi
    0x16130, // Gurung Khema
    0x16A60, // Mro
    0x16AC0, // Tangsa
    0x16B50, // Pahawh Hmong
    0x16D70, // Kirat Rai
    0x1E140, // Nyiakeng Puachue Hmong
    0x1E2F0, // Wancho
    0x1E4F0, // Nag Mundari
    0x1E5F1, // Ol Onal
    0x1E950, // Adlam
];

/// The ASCII digit of a decimal digit of another script (`'٣'`, `'۳'`, `'३'`, `'৩'`, `'๓'`
/// → `'3'`), by [`DIGIT_ZEROS`]; `None` for every other character.
#[inline]
pub(crate) fn native_digit(c: char) -> Option<char> {
    let cp = c as u32;
    // Below the first run, and the widest gaps between runs (CJK, Hangul, and everything
    // after Adlam): no search.
    if cp < DIGIT_ZEROS[0]
        || (0x1C5A..0xA620).contains(&cp)
        || (0xABFA..0x104A0).contains(&cp)
        || cp > 0x1E959
    {
        return None;
    }
    let zero = DIGIT_ZEROS[DIGIT_ZEROS.partition_point(|&z| z <= cp) - 1];
    let d = cp - zero;
    (d < 10).then(|| char::from(b'0' + d as u8))
}

/// ARABIC COMMA, which Persian also writes between digits as the thousands separator
/// (`۳۹،۷۶۸`): there it becomes `,`; elsewhere it is punctuation and stays.
const ARABIC_COMMA: char = '\u{060C}';

/// What a character becomes: `None` removes it.
fn mapped(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        '\u{2028}' | '\u{2029}' | '\u{0085}' | '\r' => '\n',
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => return None,
        c if c.is_control() && c != '\n' && c != '\t' => ' ',
        // ARABIC DECIMAL SEPARATOR, ARABIC PERCENT SIGN.
        '\u{066B}' => '.',
        '\u{066A}' => '%',
        // ARABIC THOUSANDS SEPARATOR: dropped, so the digits read as one number in every
        // locale's convention.
        '\u{066C}' => return None,
        // Arabic-script vowel marks, tanween and shadda (`فوراً`, `مُدير`), the superscript alef
        // and the tatweel (a stretching stroke): news mostly leaves them out, so a word is
        // read the same with or without them (the Arabic stemmer drops them too; Persian and
        // Urdu have no stemmer here).
        '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' => return None,
        c => return Some(native_digit(c).unwrap_or(c)),
    })
}

/// Pushes the mapped form of each of `chars` ([`mapped`]), followed in the text by `after`;
/// an [`ARABIC_COMMA`] between two digits becomes `,` (the digit before it is already in
/// `out`, as ASCII).
fn push_mapped_all(out: &mut String, chars: impl Iterator<Item = char>, after: Option<char>) {
    let mut chars = chars.peekable();
    while let Some(c) = chars.next() {
        if c == ARABIC_COMMA
            && out.as_bytes().last().is_some_and(u8::is_ascii_digit)
            && chars
                .peek()
                .copied()
                .or(after)
                .is_some_and(|n| n.is_ascii_digit() || native_digit(n).is_some())
        {
            out.push(',');
        } else if let Some(m) = mapped(c) {
            out.push(m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn cases() {
        let table = [
            ("plain ascii", "plain ascii"),
            ("“quoted” ‘text’", "\"quoted\" 'text'"),
            ("2019–2020 — dash", "2019-2020 - dash"),
            ("non\u{00A0}breaking", "non breaking"),
            (
                "soft\u{00AD}hyphen zero\u{200B}width",
                "softhyphen zerowidth",
            ),
            ("ﬁnance", "finance"),
            ("１０ juta", "10 juta"),
            ("a\r\nb", "a\n\nb"),
            ("Bílek", "Bílek"),
            ("Ĳssel ſ “x”", "IJssel s \"x\""),
            ("café – “déjà vu”", "café - \"déjà vu\""),
            ("فوراً مُدير الـشركة", "فورا مدير الشركة"),
            ("tab\tdel\u{7f}bell\u{7}", "tab\tdel bell "),
            ("e\u{301}te\u{301}", "été"),
            ("“a”\u{7f}", "\"a\" "),
            // Long ASCII runs (copied eight bytes at a time) between mapped characters.
            (
                "The minister said on Monday “that prices will rise”\u{7}and again—later",
                "The minister said on Monday \"that prices will rise\" and again-later",
            ),
        ];
        for (input, want) in table {
            assert_eq!(normalize(input), want, "{input:?}");
        }
    }

    #[test]
    fn dateline_outlets_and_bylines_are_blanked() {
        // The outlet goes, byte for byte; the place, the date and the text stay.
        let blank = |t: &str, outlet: &str| t.replacen(outlet, &" ".repeat(outlet.len()), 1);
        let table = [
            (
                "JAKARTA, KOMPAS.com - Presiden meresmikan jalan tol.",
                "KOMPAS.com",
            ),
            ("Liputan6.com, Jakarta - Harga beras naik.", "Liputan6.com"),
            ("TEMPO.CO, Jakarta - Banjir.", "TEMPO.CO"),
            (
                "Jakarta, CNN Indonesia -- Harga emas turun.",
                "CNN Indonesia",
            ),
            ("JAKARTA, investor.id - Saham naik.", "investor.id"),
            ("Jakarta, VIVA.co.id - Harga naik.", "VIVA.co.id"),
            (
                "WASHINGTON, Dec. 4 (Reuters) - The Senate passed the bill.",
                "(Reuters)",
            ),
            ("(CNN)-The storm hit.", "(CNN)"),
            (
                "Floods\n\nBy Jane Smith and Tom Ng\nThe river rose.",
                "By Jane Smith and Tom Ng",
            ),
            ("Oleh: Ahmad Romadoni\nHarga naik.", "Oleh: Ahmad Romadoni"),
        ]
        .map(|(t, outlet)| (t, blank(t, outlet)));
        for (input, want) in table {
            assert_eq!(normalize(input), want, "{input:?}");
            assert_eq!(normalize(input).len(), input.len(), "{input:?}");
        }
        // Not datelines or bylines: left as they are.
        for t in [
            "The e-commerce firm (Tokopedia) grew fast - analysts said.",
            "By Monday, the toll had risen to 30.",
            "By The Numbers",
            "Harga naik 5 persen - kata BPS.",
            "He visited U.S. - Mexico border towns.",
            "Kompas.com reported the story on Monday.",
        ] {
            assert_eq!(normalize(t), t, "{t:?}");
        }
        // Only the first three non-empty lines.
        let late = "One.\nTwo.\nThree.\nJAKARTA, KOMPAS.com - Four.";
        assert_eq!(normalize(late), late);
    }

    #[test]
    fn boilerplate_lines_are_dropped() {
        let t = "Banjir melanda kota.\nBaca Juga: Gempa di Aceh tewaskan 3 orang\nWarga mengungsi.\n(ADVERTISEMENT)\n";
        assert_eq!(normalize(t), "Banjir melanda kota.\n\nWarga mengungsi.\n\n");
        // Only at the start of a line: the words elsewhere are kept.
        let t = "Warga diminta baca juga peringatan dini.";
        assert_eq!(normalize(t), t);
        assert_eq!(
            normalize("Read also: other story\nMain text"),
            "\nMain text"
        );
        // Wire credits and portal footers.
        assert_eq!(
            normalize("Jakarta flooded.\n(Reporting by Ann Lee; Editing by Tom Ng)\nDapatkan update berita pilihan setiap hari.\nAll rights reserved."),
            "Jakarta flooded.\n\n\n\n"
        );
        let t = "Editors by the dozen resigned.";
        assert_eq!(normalize(t), t);
        // Mapped characters and boilerplate in one text.
        assert_eq!(
            normalize("“Banjir” melanda kota.\nBaca juga: “Gempa” di Aceh\nWarga mengungsi."),
            "\"Banjir\" melanda kota.\n\nWarga mengungsi."
        );
    }

    #[test]
    fn eight_byte_check_agrees_with_the_byte_check() {
        use super::{is_ascii_control, plain_ascii8};
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut chunk = *b"abcdefgh";
                chunk[pos] = b;
                let want = b < 0x80 && !is_ascii_control(b);
                assert_eq!(
                    plain_ascii8(u64::from_le_bytes(chunk)),
                    want,
                    "{b:#x} at {pos}"
                );
            }
        }
    }

    #[test]
    fn boilerplate_is_found_as_lines_find_it() {
        use super::{has_boilerplate, is_boilerplate, next_newline};
        let texts = [
            "",
            "\n",
            "baca juga: x",
            "Berita.\nBaca juga: x\nLagi.",
            "Berita.\r\nBACA JUGA: x\r\n",
            "Berita panjang sekali tanpa apa-apa\n\n\nlagi\n",
            "  \n(ADVERTISEMENT)",
            "baca\njuga",
            "Berita.\nbaca:\r",
            "a long first line of more than eight bytes\nand then copyright 2024",
            "x\ry\nreporter: z",
            "News.\n(Reporting by A; Editing by B)",
            "Berita.\nKlik di sini",
        ];
        for t in texts {
            assert_eq!(has_boilerplate(t), t.lines().any(is_boilerplate), "{t:?}");
            for from in 0..=t.len() {
                assert_eq!(
                    next_newline(t.as_bytes(), from),
                    t.as_bytes()[from..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map(|p| from + p),
                    "{t:?} from {from}"
                );
            }
        }
    }

    #[test]
    fn the_scan_finds_what_the_line_check_finds() {
        use super::{has_boilerplate, normalize_chars};
        let mut texts: Vec<String> = [
            "Berita.\nBaca juga: x\nLagi.",
            "Baca juga: x",
            "  Baca juga: x",
            "Berita yang cukup panjang sekali.\n (ADVERTISEMENT)\nLagi",
            "Berita yang cukup panjang sekali.\n\tEditor: x",
            "Tab\tdi tengah baris yang panjang\ndan\nreporter: y",
            "x\nRead also: y",
            "Berita panjang tanpa apa-apa di dalamnya sama sekali.\n\nLagi.",
            "Caf\u{e9}\nCopyright 2024",
            "caf\u{e9} panjang\nbaca: z",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        // Every marker at every offset of an eight-byte chunk.
        for m in super::BOILERPLATE {
            for pad in 0..9 {
                texts.push(format!("{}\n{m} tail", "a".repeat(pad)));
            }
        }
        for t in &texts {
            let (chars, found) = normalize_chars(t);
            if matches!(chars, std::borrow::Cow::Borrowed(_)) {
                assert_eq!(found, has_boilerplate(t), "{t:?}");
            }
        }
    }

    #[test]
    fn markers_start_with_two_lowercase_letters() {
        // SECOND_LETTERS relies on it.
        for m in super::BOILERPLATE {
            let b = m.as_bytes();
            assert!(
                b[0].is_ascii_lowercase() && b[1].is_ascii_lowercase(),
                "{m}"
            );
        }
    }

    #[test]
    fn the_quick_reject_agrees_with_the_marker_check() {
        use super::{is_boilerplate, is_marker, BOILERPLATE};
        let mut lines: Vec<String> = vec![
            "".into(),
            "A".into(),
            "Ba".into(),
            "1 baca juga".into(),
            "  Baca juga: x".into(),
            "(ADVERTISEMENT)".into(),
            "*Editor: x".into(),
            "Bacaan lain".into(),
            "B. Baca".into(),
            "\u{e9}diteur".into(),
        ];
        for m in BOILERPLATE {
            lines.push(m.to_string());
            lines.push(m.to_uppercase());
            lines.push(format!("{m} tail"));
            lines.push(m[..m.len() - 1].to_string());
            lines.push(format!("x{m}"));
        }
        for a in b'0'..=b'z' {
            for b in [b'a', b'e', b'A', b'E', b' ', b'.', b'1'] {
                lines.push(String::from_utf8(vec![a, b, b'c', b'a', b':']).unwrap());
            }
        }
        for l in &lines {
            assert_eq!(is_boilerplate(l), is_marker(l), "{l:?}");
        }
    }

    #[test]
    fn native_digits_and_separators_become_ascii() {
        let table = [
            ("\u{662}\u{660}\u{662}\u{660}", "2020"),     // Arabic-Indic
            ("\u{6f1}\u{6f3}\u{6f9}\u{6f9}", "1399"),     // Persian
            ("\u{968}\u{966}\u{968}\u{966}", "2020"),     // Devanagari
            ("\u{9e8}\u{9e6}\u{9e8}\u{9e6}", "2020"),     // Bengali
            ("\u{e52}\u{e50}\u{e52}\u{e50}", "2020"),     // Thai
            ("\u{f22}\u{f20} \u{1042}\u{1040}", "20 20"), // Tibetan, Myanmar
            ("\u{17e9}\u{1e959}", "99"),                  // Khmer, Adlam (the last run)
            // ARABIC DECIMAL SEPARATOR, THOUSANDS SEPARATOR and PERCENT SIGN.
            (
                "\u{661}\u{66c}\u{665}\u{660}\u{660}\u{66b}\u{667}\u{665}",
                "1500.75",
            ),
            ("\u{665}\u{660}\u{66a}", "50%"),
            // An Arabic comma between digits (Persian thousands), native or ASCII.
            ("\u{6f3}\u{6f9}\u{60c}\u{6f7}\u{6f6}\u{6f8}", "39,768"),
            ("39\u{60c}768 x", "39,768 x"),
            // Elsewhere it is a comma of the text, and stays.
            (
                "\u{643}\u{644}\u{645}\u{629}\u{60c} \u{6f3}",
                "\u{643}\u{644}\u{645}\u{629}\u{60c} 3",
            ),
            ("3\u{60c} 4\u{60c}", "3\u{60c} 4\u{60c}"),
            ("\u{60c}5", "\u{60c}5"),
            // With NFKC at work in the same text (a ligature).
            ("\u{fb01} \u{6f3}\u{60c}\u{6f5}\u{6f0}\u{6f0}", "fi 3,500"),
            // Digits NFKC already folds, and numeric characters that are no decimal digits.
            ("\u{ff11}\u{ff12} \u{2460} \u{bd}", "12 1 1\u{2044}2"),
        ];
        for (input, want) in table {
            assert_eq!(normalize(input), want, "{input:?}");
        }
    }

    #[test]
    fn the_digit_table_is_every_run_of_decimal_digits_nfkc_keeps() {
        use super::{native_digit, DIGIT_ZEROS};
        use unicode_normalization::UnicodeNormalization;
        assert!(DIGIT_ZEROS.windows(2).all(|w| w[0] + 10 <= w[1]));
        // Runs of ten numeric characters that a maintained transliteration table reads as
        // 0 … 9: decimal digits. Each must be NFKC's or the table's, the same way.
        let ascii = |c: char| any_ascii::any_ascii_char(c);
        let mut found = Vec::new();
        let mut cp = 0x80;
        while cp < 0x11_0000 - 10 {
            let run: Option<Vec<char>> = (0..10).map(|k| char::from_u32(cp + k)).collect();
            let is_run = run.as_ref().is_some_and(|r| {
                r.iter()
                    .enumerate()
                    .all(|(k, &c)| c.is_numeric() && ascii(c) == k.to_string())
            });
            if is_run {
                let zero = char::from_u32(cp).unwrap();
                if zero.nfkc().collect::<String>() != "0" {
                    found.push(cp);
                }
                cp += 10;
            } else {
                cp += 1;
            }
        }
        // The table may know runs newer than the transliteration table, never fewer.
        // Runs of ten that are other numerals (General_Category No, which the standard
        // library does not tell from Nd): Khmer divination numerals, and the vigesimal
        // Medefaidrin, Kaktovik and Mayan numerals, whose nine is followed by more.
        let other_numerals = [0x17F0, 0x16E80, 0x1D2C0, 0x1D2E0];
        let missing: Vec<String> = found
            .iter()
            .filter(|z| !DIGIT_ZEROS.contains(z) && !other_numerals.contains(z))
            .map(|z| format!("{z:#X}"))
            .collect();
        assert!(missing.is_empty(), "missing from DIGIT_ZEROS: {missing:?}");
        for &z in &DIGIT_ZEROS {
            for k in 0..10 {
                let c = char::from_u32(z + k).unwrap();
                assert!(c.is_numeric(), "{c:?}");
                assert_eq!(native_digit(c), char::from_digit(k, 10), "{c:?}");
                assert_eq!(c.nfkc().collect::<String>(), c.to_string(), "{c:?}");
            }
        }
        // Every character outside the runs is left alone.
        for cp in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let in_run = DIGIT_ZEROS.iter().any(|&z| (z..z + 10).contains(&cp));
            assert_eq!(native_digit(c).is_some(), in_run, "{c:?}");
        }
    }

    #[test]
    fn ascii_is_borrowed() {
        assert!(matches!(
            normalize("Hello, world."),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
