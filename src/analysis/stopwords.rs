//! Stage 5: stopwords — short function-word lists the project writes (`data/stopwords/`).
//!
//! Numbers and scale words are never stopwords: anchors are extracted before this stage and
//! the lists hold function words only.

use crate::Lang;
use ahash::AHashSet;
use std::sync::OnceLock;

const EN: &str = include_str!("../../data/stopwords/en.txt");
const ID: &str = include_str!("../../data/stopwords/id.txt");

fn parse(text: &'static str) -> AHashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Whether a lowercase word is a function word of `lang` (only English and Indonesian have
/// lists; other languages keep every word).
pub(crate) fn is_stopword(lang: Lang, word: &str) -> bool {
    static EN_SET: OnceLock<AHashSet<&'static str>> = OnceLock::new();
    static ID_SET: OnceLock<AHashSet<&'static str>> = OnceLock::new();
    match lang {
        Lang::English => EN_SET.get_or_init(|| parse(EN)).contains(word),
        Lang::Indonesian => ID_SET.get_or_init(|| parse(ID)).contains(word),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keep_anchors_and_content_words() {
        for w in ["the", "of", "and", "which"] {
            assert!(is_stopword(Lang::English, w), "{w}");
        }
        for w in ["yang", "dan", "di", "tersebut"] {
            assert!(is_stopword(Lang::Indonesian, w), "{w}");
        }
        for w in ["million", "five", "new", "late", "first", "public"] {
            assert!(!is_stopword(Lang::English, w), "{w}");
        }
        for w in ["lima", "satu", "akhir", "umum", "juta", "baru"] {
            assert!(!is_stopword(Lang::Indonesian, w), "{w}");
        }
        assert!(!is_stopword(Lang::French, "le"));
    }
}
