//! Cognates: Indonesian loanwords the lexicon lacks, guessed from their English spelling.

use super::{english_stem, Lexicon};
use std::sync::Arc;

/// Cognate fallback for Indonesian loanwords the lexicon lacks: `-asi` → `-ation`,
/// `-isasi` → `-ization`, `-itas` → `-ity`, `-ologi` → `-ology`, `-isme` → `-ism`,
/// `-ik` → `-ic`, `-if` → `-ive`, `-si` → `-sion`/`-tion`, and `k` → `c`. Returns the English
/// stem of the first guess the lexicon's English vocabulary knows, else of the first guess.
pub(crate) fn cognate(lex: &Lexicon, word: &str) -> Option<Arc<str>> {
    const RULES: &[(&str, &str)] = &[
        ("isasi", "ization"),
        ("asi", "ation"),
        ("itas", "ity"),
        ("ologi", "ology"),
        ("ografi", "ography"),
        ("isme", "ism"),
        ("is", "ist"),
        ("ik", "ic"),
        ("if", "ive"),
        ("si", "sion"),
        ("si", "tion"),
        ("or", "or"),
        ("er", "er"),
    ];
    if word.len() < 5 {
        return None;
    }
    let mut first: Option<Arc<str>> = None;
    for (id, en) in RULES {
        let Some(stem) = word.strip_suffix(id) else {
            continue;
        };
        for variant in [
            format!("{stem}{en}"),
            format!("{}{en}", stem.replace('k', "c")),
        ] {
            let s: Arc<str> = english_stem(&variant);
            if lex.knows_english_stem(&s) {
                return Some(s);
            }
            if first.is_none() && *en != "or" && *en != "er" {
                first = Some(s);
            }
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn cognates() {
        let mut lex = Lexicon::empty();
        lex.add_tsv(Lang::Indonesian, "x\torganization\ny\tactive\n", "t")
            .unwrap();
        assert_eq!(cognate(&lex, "organisasi").as_deref(), Some("organ"));
        assert_eq!(cognate(&lex, "aktif").as_deref(), Some("activ"));
        assert!(cognate(&lex, "rumah").is_none());
    }
}
