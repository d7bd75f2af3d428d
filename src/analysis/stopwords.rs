//! Stage 5: stopwords — function words, never anchors.
//!
//! English and Indonesian use short lists the project writes (`data/stopwords/en.txt`,
//! `id.txt`). Other languages use the list of the `stop-words` crate (stopwords-iso) with the
//! words the project has reviewed out of it removed (`data/stopwords/exclusions/<code>.txt`):
//! those lists carry numbers, ordinals, scale and calendar words (*deux, mille, premier, año,
//! miliardi*), which must survive as anchors (FACTS.md), and some names and content words.
//! Only languages whose exclusions have been reviewed use a list ([`REVIEWED`]); the others
//! keep every word.
//!
//! Numbers and scale words are never stopwords: anchors are extracted before this stage.

use super::normalize::normalize;
use crate::Lang;
use ahash::AHashSet;
use std::sync::OnceLock;

const EN: &str = include_str!("../../data/stopwords/en.txt");
const ID: &str = include_str!("../../data/stopwords/id.txt");

/// The languages whose `stop-words` list is used, with the words reviewed out of it.
pub(crate) const REVIEWED: &[(Lang, &str)] = &[
    (
        Lang::Arabic,
        include_str!("../../data/stopwords/exclusions/ar.txt"),
    ),
    (
        Lang::Bengali,
        include_str!("../../data/stopwords/exclusions/bn.txt"),
    ),
    (
        Lang::Spanish,
        include_str!("../../data/stopwords/exclusions/es.txt"),
    ),
    (
        Lang::Persian,
        include_str!("../../data/stopwords/exclusions/fa.txt"),
    ),
    (
        Lang::French,
        include_str!("../../data/stopwords/exclusions/fr.txt"),
    ),
    (
        Lang::Hindi,
        include_str!("../../data/stopwords/exclusions/hi.txt"),
    ),
    (
        Lang::Italian,
        include_str!("../../data/stopwords/exclusions/it.txt"),
    ),
    (
        Lang::Japanese,
        include_str!("../../data/stopwords/exclusions/ja.txt"),
    ),
    (
        Lang::Portuguese,
        include_str!("../../data/stopwords/exclusions/pt.txt"),
    ),
    (
        Lang::Russian,
        include_str!("../../data/stopwords/exclusions/ru.txt"),
    ),
    (
        Lang::Thai,
        include_str!("../../data/stopwords/exclusions/th.txt"),
    ),
    (
        Lang::Tagalog,
        include_str!("../../data/stopwords/exclusions/tl.txt"),
    ),
    (
        Lang::Urdu,
        include_str!("../../data/stopwords/exclusions/ur.txt"),
    ),
    (
        Lang::Vietnamese,
        include_str!("../../data/stopwords/exclusions/vi.txt"),
    ),
    (
        Lang::Mandarin,
        include_str!("../../data/stopwords/exclusions/zh.txt"),
    ),
];

/// The lines of a word list that are words (not blank, not `#` comments).
fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn parse(text: &'static str) -> AHashSet<&'static str> {
    lines(text).collect()
}

/// The `stop-words` crate's code for a language.
fn crate_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Norwegian => "no",
        l => l.code(),
    }
}

/// The crate's list for a reviewed language, as published.
pub(crate) fn crate_list(lang: Lang) -> Option<&'static [&'static str]> {
    REVIEWED.iter().find(|(l, _)| *l == lang)?;
    stop_words::lookup(crate_code(lang))
}

/// The words reviewed out of a language's crate list.
pub(crate) fn exclusions(lang: Lang) -> Vec<&'static str> {
    REVIEWED
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or_else(Vec::new, |(_, text)| lines(text).collect())
}

/// A reviewed language's function words, normalised and lowercased as the analysis reads
/// text (so `ي`/`ی` and similar forms compare as the tokens will).
fn reviewed_set(lang: Lang) -> AHashSet<String> {
    let excluded: AHashSet<&str> = exclusions(lang).into_iter().collect();
    crate_list(lang)
        .unwrap_or(&[])
        .iter()
        .filter(|w| !excluded.contains(w.trim()))
        .map(|w| normalize(w.trim()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a lowercase word is a function word of `lang`. A word of several syllables or
/// words written with spaces (`bởi vì`) is a function word if the list holds it so.
pub(crate) fn is_stopword(lang: Lang, word: &str) -> bool {
    static EN_SET: OnceLock<AHashSet<&'static str>> = OnceLock::new();
    static ID_SET: OnceLock<AHashSet<&'static str>> = OnceLock::new();
    static OTHER: [OnceLock<AHashSet<String>>; Lang::ALL.len()] =
        [const { OnceLock::new() }; Lang::ALL.len()];
    match lang {
        Lang::English => EN_SET.get_or_init(|| parse(EN)).contains(word),
        Lang::Indonesian => ID_SET.get_or_init(|| parse(ID)).contains(word),
        l => OTHER[l as usize]
            .get_or_init(|| reviewed_set(l))
            .contains(word),
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
    }

    #[test]
    fn other_languages_drop_function_words_and_keep_anchors() {
        let table: &[(Lang, &[&str], &[&str])] = &[
            (
                Lang::French,
                &["le", "les", "de", "dans", "qui", "été"],
                &["deux", "mille", "cinq", "premier", "aujourd'hui", "état"],
            ),
            (
                Lang::Spanish,
                &["el", "los", "que", "para", "dijo"],
                &["dos", "ayer", "año", "nuevo", "estados", "primera"],
            ),
            (
                Lang::Portuguese,
                &["o", "os", "que", "para"],
                &["dois", "ano", "segunda", "quinta", "mil", "hoje"],
            ),
            (
                Lang::Russian,
                &["и", "в", "не", "что"],
                &["два", "год", "тысяч", "россия", "москва", "первый"],
            ),
            (
                Lang::Italian,
                &["il", "della", "che"],
                &["milioni", "miliardi", "anno", "ieri", "sei"],
            ),
            (
                Lang::Arabic,
                &["في", "من", "على"],
                &["مليون", "مليار", "عام", "اليوم", "ثلاثة"],
            ),
            (
                Lang::Mandarin,
                &["的", "了", "是"],
                &["年", "月", "日", "三", "第"],
            ),
            (Lang::Japanese, &["の", "は", "です"], &[]),
            (Lang::Thai, &["ที่", "และ", "ของ"], &["หนึ่ง", "วัน", "แรก"]),
            (
                Lang::Vietnamese,
                &["của", "và", "các", "bởi vì"],
                &["năm", "tháng", "ngày", "một", "mới"],
            ),
        ];
        for (lang, stop, kept) in table {
            for w in *stop {
                assert!(
                    is_stopword(*lang, w),
                    "{lang}: {w} should be a function word"
                );
            }
            for w in *kept {
                assert!(!is_stopword(*lang, w), "{lang}: {w} must survive");
            }
        }
        // A language without a reviewed list keeps every word.
        assert!(!is_stopword(Lang::German, "der"));
        assert!(!is_stopword(Lang::Korean, "그"));
    }

    /// Every word an exclusion file names is in the crate's list (the file says exactly what
    /// was removed) and is not a stopword; every reviewed language has a crate list.
    #[test]
    fn exclusions_name_words_of_the_list_and_remove_them() {
        let mut removed = 0;
        for &(lang, _) in REVIEWED {
            let list = crate_list(lang).unwrap_or_else(|| panic!("{lang}: no crate list"));
            assert!(list.len() >= 50, "{lang}: {} words", list.len());
            for w in exclusions(lang) {
                assert!(list.contains(&w), "{lang}: {w:?} is not in the crate list");
                let low = normalize(w).to_lowercase();
                assert!(!is_stopword(lang, &low), "{lang}: {w:?} still a stopword");
                removed += 1;
            }
        }
        assert!(removed > 300, "{removed}");
    }
}
