//! Stage 1: normalisation.
//!
//! NFKC (compatibility forms such as full-width digits and ligatures become their plain
//! equivalents), typographic quotes, dashes and spaces unified, invisible characters removed.
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
];

/// The letters markers start with (bit `c - b'a'`), for a quick reject.
const FIRST_LETTERS: u32 = {
    let mut m = 0u32;
    let mut i = 0;
    while i < BOILERPLATE.len() {
        m |= 1 << (BOILERPLATE[i].as_bytes()[0] - b'a');
        i += 1;
    }
    m
};

fn is_boilerplate(line: &str) -> bool {
    // Most lines start with a letter no marker starts with.
    if let Some(&b) = line.as_bytes().first() {
        if b.is_ascii_alphabetic() && FIRST_LETTERS & (1 << (b.to_ascii_lowercase() - b'a')) == 0 {
            return false;
        }
    }
    let t =
        line.trim_start_matches(|c: char| c.is_whitespace() || c == '(' || c == '[' || c == '*');
    let b = t.as_bytes();
    let Some(first) = b.first().map(u8::to_ascii_lowercase) else {
        return false;
    };
    BOILERPLATE.iter().any(|m| {
        let m = m.as_bytes();
        m[0] == first && b.len() >= m.len() && b[..m.len()].eq_ignore_ascii_case(m)
    })
}

/// Drops boilerplate lines (see [`BOILERPLATE`]); text without any is returned borrowed.
fn strip_boilerplate(text: &str) -> Cow<'_, str> {
    if !text.lines().any(is_boilerplate) {
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

/// Normalises text for analysis (NFKC, unified punctuation, no invisible characters,
/// boilerplate lines dropped).
///
/// ASCII text without control characters or boilerplate is returned borrowed, untouched.
pub(crate) fn normalize(text: &str) -> Cow<'_, str> {
    match normalize_chars(text) {
        Cow::Borrowed(t) => strip_boilerplate(t),
        Cow::Owned(t) => match strip_boilerplate(&t) {
            Cow::Borrowed(_) => Cow::Owned(t),
            Cow::Owned(stripped) => Cow::Owned(stripped),
        },
    }
}

fn normalize_chars(text: &str) -> Cow<'_, str> {
    // One pass that looks at ASCII a byte at a time and at each run of other characters as a
    // whole. ASCII is always NFKC and resets the quick check's state, so checking the runs one
    // by one is the same as checking the whole text.
    let bytes = text.as_bytes();
    let (mut needs_map, mut needs_nfkc) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes of ordinary ASCII at a time.
        if let Some(chunk) = bytes.get(i..i + 8) {
            if plain_ascii8(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if b < 0x80 {
            needs_map |= is_ascii_control(b);
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
        for c in text.nfkc() {
            push_mapped(&mut out, c);
        }
        return Cow::Owned(out);
    }
    if !needs_map {
        return Cow::Borrowed(text);
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
        for c in text[start..i].chars() {
            push_mapped(&mut out, c);
        }
    }
    Cow::Owned(out)
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
    !c.is_ascii() && mapped(c) != Some(c) || (c.is_ascii_control() && !matches!(c, '\n' | '\t'))
}

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
        c => c,
    })
}

fn push_mapped(out: &mut String, c: char) {
    if let Some(m) = mapped(c) {
        out.push(m);
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
    fn markers_start_with_a_lowercase_letter() {
        // FIRST_LETTERS relies on it.
        for m in super::BOILERPLATE {
            assert!(m.as_bytes()[0].is_ascii_lowercase(), "{m}");
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
