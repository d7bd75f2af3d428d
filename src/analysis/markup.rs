//! Stage 0 of normalisation: HTML left in the text.
//!
//! News reaches a deduplicator from feeds and scrapers, whose text often keeps HTML: character
//! references (`&quot;`, `&amp;`, `&#39;`, `&nbsp;`, `&eacute;`) and tags (`<p>`, `<br/>`,
//! `<a href="…">`). Read as text, they become words (`quot`, `amp`, `nbsp`, `p`, `href`) that
//! every article of one feed shares and no article of another, and a reference inside a word
//! splits it (`Trudeau&#39;s`). Here tags of HTML's own vocabulary are removed (a tag that
//! separates lines or blocks becomes a line break, an inline one nothing), and then character
//! references are decoded by the `html-escape` crate (every HTML5 named reference and every
//! numeric one; an unknown one such as `&bogus;`, or a bare `&` as in `AT&T`, stays as it is).
//!
//! Only what is unmistakably markup is touched: a `<` starts a tag only when a known tag name
//! follows it (`< 5`, `<3` and `x<y and z>w` stay text), and a tag or comment must close on
//! its own line. Everything works within a line and a line break joins nothing, so the
//! stage keeps normalisation's rule that a title normalised alone is the prefix of the title
//! and body normalised together. Text with no `<` and no `&` is returned borrowed.

use std::borrow::Cow;

/// Tags whose elements separate lines or blocks: each becomes a line break, so a paragraph
/// or list item ends a sentence as its line does in plain text.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Tags of inline elements: removed without a trace, so `<b>Jakarta</b>,` reads `Jakarta,`.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i",
    "iframe", "img", "ins", "kbd", "label", "mark", "noscript", "picture", "q", "s", "samp",
    "script", "small", "source", "span", "strike", "strong", "style", "sub", "sup", "time", "tt",
    "u", "var", "video", "wbr",
];

/// The longest tag read, in bytes (a tag with long attributes, such as an image's `srcset`,
/// may be longer; it then stays as text).
const MAX_TAG: usize = 2048;

/// What a tag at `at` (a `<`) becomes and where it ends: `Some((end, replacement))` for a tag
/// of [`BLOCK_TAGS`] or [`INLINE_TAGS`] or a comment (`<!-- … -->`) closed on its line.
fn tag_at(bytes: &[u8], at: usize) -> Option<(usize, &'static str)> {
    let rest = &bytes[at + 1..bytes.len().min(at + MAX_TAG)];
    if rest.starts_with(b"!--") {
        let end = rest
            .windows(3)
            .skip(3)
            .take_while(|w| w[0] != b'\n')
            .position(|w| w == b"-->")?;
        return Some((at + 1 + 3 + end + 3, ""));
    }
    let name_start = usize::from(rest.first() == Some(&b'/'));
    let name_len = rest[name_start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !rest[name_start].is_ascii_alphabetic() || name_len > 10 {
        return None;
    }
    let after = name_start + name_len;
    // The name ends the tag, or attributes or a self-closing slash follow it.
    if !matches!(rest.get(after), Some(b'>' | b'/' | b' ' | b'\t' | b'\r')) {
        return None;
    }
    let mut name = [0u8; 10];
    name[..name_len].copy_from_slice(&rest[name_start..after]);
    name[..name_len].make_ascii_lowercase();
    let name = std::str::from_utf8(&name[..name_len]).ok()?;
    let replacement = if BLOCK_TAGS.binary_search(&name).is_ok() {
        "\n"
    } else if INLINE_TAGS.binary_search(&name).is_ok() {
        ""
    } else {
        return None;
    };
    // The first `>` on the line, before any other `<`.
    let end = after
        + rest[after..]
            .iter()
            .position(|&b| b == b'>' || b == b'<' || b == b'\n')
            .filter(|&p| rest[after + p] == b'>')?;
    Some((at + 1 + end + 1, replacement))
}

/// The text with HTML tags removed and character references decoded (see the module
/// documentation); borrowed when it holds neither.
pub(crate) fn strip_markup(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let Some(first) = memchr::memchr2(b'<', b'&', bytes) else {
        return Cow::Borrowed(text);
    };
    let untagged = match memchr::memchr(b'<', &bytes[first..]) {
        None => Cow::Borrowed(text),
        Some(p) => strip_tags(text, first + p),
    };
    super::normalize::then(untagged, html_escape::decode_html_entities::<str>)
}

/// [`strip_markup`]'s tags, from the first `<` at `first`.
fn strip_tags(text: &str, first: usize) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut at) = (0, first);
    loop {
        if let Some((end, replacement)) = tag_at(bytes, at) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            // Tags are ASCII, so `at` and `end` are character boundaries.
            o.push_str(&text[copied..at]);
            o.push_str(replacement);
            copied = end;
            at = end;
        } else {
            at += 1;
        }
        match memchr::memchr(b'<', &bytes[at.min(bytes.len())..]) {
            Some(p) => at += p,
            None => break,
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_lists_are_sorted_for_binary_search() {
        for list in [BLOCK_TAGS, INLINE_TAGS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            assert!(list.iter().all(|t| t.len() <= 10));
        }
    }

    #[test]
    fn tags_go_and_references_are_decoded() {
        for (text, want) in [
            (
                "<p>Banjir di Jakarta.</p><p>Dua tewas.</p>",
                "\nBanjir di Jakarta.\n\nDua tewas.\n",
            ),
            (
                "Trudeau&#39;s &quot;brownface&quot; photo",
                "Trudeau's \"brownface\" photo",
            ),
            (
                "A <b>bold</b> and <A HREF=\"x.html\">linked</a> word<br/>next",
                "A bold and linked word\nnext",
            ),
            (
                "caf&eacute;&nbsp;&mdash; R&amp;D",
                "caf\u{e9}\u{a0}\u{2014} R&D",
            ),
            ("before<!-- a comment -->after", "beforeafter"),
            ("<img src=\"a.jpg\" alt=\"Jokowi\">Jokowi", "Jokowi"),
        ] {
            assert_eq!(strip_markup(text), want, "{text:?}");
        }
    }

    #[test]
    fn what_is_not_markup_stays() {
        for text in [
            "AT&T and P&G rose; 5 < 6 and 7 > 3",
            "x<y and z>w",
            "I <3 Jakarta",
            "<notatag>",
            "&bogus; stays",
            "an open <p tag that never closes",
            "a tag across lines <a\nhref=\"x\">",
            "a comment <!-- never closed",
            "",
        ] {
            assert!(
                matches!(strip_markup(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
        // Escaped markup is text: decoded once, not stripped.
        assert_eq!(strip_markup("&lt;p&gt;"), "<p>");
    }

    #[test]
    fn a_title_alone_is_the_prefix_of_title_and_body() {
        for (title, body) in [
            ("Gempa <b>Sulawesi</b>", "<p>Gempa &amp; tsunami.</p>"),
            ("Trudeau&#39;s photo<br>", "Text"),
            ("Title <a", "href=\"x\">body</a>"),
            ("Title &amp", "; body"),
        ] {
            let alone = strip_markup(title);
            let joined = strip_markup(&format!("{title}\n\n{body}")).into_owned();
            assert!(
                joined.starts_with(&*alone),
                "{title:?} / {body:?}: {joined:?}"
            );
        }
    }
}
