//! Words of scripts written without spaces (Thai, Lao, Khmer, Myanmar, Chinese, Japanese).
//!
//! The tokenizer leaves such text as one token per character; the feature stage hands each
//! run of them to ICU4X's word segmenter, which splits it with the dictionaries compiled into
//! `icu_segmenter` (a CJ dictionary for Han and kana, one dictionary per script for Thai,
//! Lao, Khmer and Myanmar). Character bigrams, which every text of a language shares, are
//! gone. Runs of other scripts (Tibetan has no dictionary) come back as the segmenter's
//! Unicode word boundaries. Text written with spaces never reaches this file.

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};

/// The word segmenter with compiled dictionary data, made once (it borrows static data).
fn segmenter() -> WordSegmenterBorrowed<'static> {
    WordSegmenter::new_dictionary(WordBreakInvariantOptions::default())
}

/// Byte spans (relative to `run`) of the words in a run of characters of scripts written
/// without spaces, in order, into `out` (cleared first). Segments that are not word-like
/// (punctuation, marks on their own) are left out.
pub(crate) fn words(run: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let mut prev = 0;
    for (end, kind) in segmenter().segment_str(run).iter_with_word_type() {
        if end > prev && kind.is_word_like() {
            out.push((prev, end));
        }
        prev = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        words(s, &mut out);
        out.iter().map(|&(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn dictionary_words_not_characters() {
        // Thai "every two weeks": three words (the example of ICU4X's documentation).
        assert_eq!(split("ทุกสองสัปดาห์"), ["ทุก", "สอง", "สัปดาห์"]);
        // Japanese "hello world".
        assert_eq!(split("こんにちは世界"), ["こんにちは", "世界"]);
        // Chinese "the Chinese government announced": words, not single characters.
        let zh = split("中国政府宣布");
        assert!(zh.contains(&"政府"), "{zh:?}");
        assert!(zh.len() < 6, "{zh:?}");
        assert!(split("").is_empty());
    }
}
