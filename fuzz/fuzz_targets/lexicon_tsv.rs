//! The TSV lexicon readers: `Lexicon::add_tsv` (word lexicon) and `add_entities_tsv` on
//! arbitrary text (lossy UTF-8); when entries were read, an analysis of the start of the same
//! text with that lexicon (its first 512 characters: a new analyser starts with an empty word
//! cache, and analysing a whole 8 KB chunk cold capped the target at ~27 inputs a second).
#![no_main]

use libfuzzer_sys::fuzz_target;
use lintas::{Analyzer, Lang, Lexicon};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lex = Lexicon::empty();
    let words = lex
        .add_tsv(Lang::Indonesian, &text, "fuzz.tsv")
        .unwrap_or(0);
    let entities = lex
        .add_entities_tsv(&text, "fuzz-entities.tsv")
        .unwrap_or(0);
    let _ = Lexicon::empty().add_tsv(Lang::English, &text, "fuzz-en.tsv");
    if words + entities > 0 {
        if let Ok(a) = Analyzer::builder().lexicon(lex).build() {
            let head: String = text.chars().take(512).collect();
            let _ = a.analyze_as(&head, Lang::Indonesian);
        }
    }
});
