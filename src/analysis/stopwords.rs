//! Stage 5: stopwords — function words, never anchors.
//!
//! English, Indonesian and Urdu use short lists the project writes (`data/stopwords/en.txt`,
//! `id.txt`, `ur.txt`: the crate's Urdu list is mis-encoded). Other languages use the list of the `stop-words` crate (stopwords-iso) with the
//! words the project has reviewed out of it removed (`data/stopwords/exclusions/<code>.txt`):
//! those lists carry numbers, ordinals, scale and calendar words (*deux, mille, premier, año,
//! miliardi*), which must survive as anchors (FACTS.md), and some names and content words.
//! Only languages whose exclusions have been reviewed use a list; the others keep every word.
//! Which list a language uses is its profile's ([`FunctionWords`]).
//!
//! Numbers and scale words are never stopwords: anchors are extracted before this stage.

use super::normalize::normalize;
use super::profile::{profile, FunctionWords, Profile};
use crate::Lang;
use ahash::AHashSet;
use std::sync::OnceLock;

#[cfg(test)]
/// The languages whose `stop-words` list is used, with the words reviewed out of it (their
/// profiles say so: [`FunctionWords::Reviewed`]).
pub(crate) fn reviewed() -> impl Iterator<Item = Lang> {
    Lang::ALL
        .iter()
        .copied()
        .filter(|&l| matches!(profile(l).function_words, FunctionWords::Reviewed { .. }))
}

/// The lines of a word list that are words (not blank, not `#` comments).
fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
/// The crate's list for a reviewed language, as published.
pub(crate) fn crate_list(lang: Lang) -> Option<&'static [&'static str]> {
    match profile(lang).function_words {
        FunctionWords::Reviewed { code, .. } => stop_words::lookup(code),
        _ => None,
    }
}

#[cfg(test)]
/// The words reviewed out of a language's crate list.
pub(crate) fn exclusions(lang: Lang) -> Vec<&'static str> {
    match profile(lang).function_words {
        FunctionWords::Reviewed { exclusions, .. } => lines(exclusions).collect(),
        _ => Vec::new(),
    }
}

/// A language's function words, with the project's additions
/// ([`Profile::function_word_additions`]). The project's own lists are written as the
/// analysis reads text; a reviewed crate list and the additions are normalised and lowercased
/// as the analysis reads text (so `ي`/`ی` and similar forms compare as the tokens will).
fn function_words(p: &Profile) -> AHashSet<Box<str>> {
    let mut set = match p.function_words {
        FunctionWords::None => AHashSet::new(),
        FunctionWords::Own(text) => lines(text).map(Box::from).collect(),
        FunctionWords::Reviewed { code, exclusions } => {
            let excluded: AHashSet<&str> = lines(exclusions).collect();
            normalized_crate_list(code, |w| !excluded.contains(w))
        }
    };
    set.extend(lines(p.function_word_additions).map(as_read));
    // Persian's published list writes Arabic yeh and kaf (`يك`): as the text is read.
    if !p.letter_folds.is_empty() {
        set = set
            .into_iter()
            .map(|w| p.fold_letters(&w).into_owned().into_boxed_str())
            .collect();
    }
    set
}

/// A listed word as the analysis reads text: normalised and lowercased.
fn as_read(w: &str) -> Box<str> {
    normalize(w).to_lowercase().into_boxed_str()
}

/// The `stop-words` crate's list for a language code, the words `keep` accepts (as
/// published, trimmed), normalised and lowercased as the analysis reads text.
fn normalized_crate_list(code: &str, keep: impl Fn(&str) -> bool) -> AHashSet<Box<str>> {
    stop_words::lookup(code)
        .unwrap_or(&[])
        .iter()
        .map(|w| w.trim())
        .filter(|w| keep(w))
        .map(as_read)
        .filter(|w| !w.is_empty())
        .collect()
}

impl Profile {
    /// Whether a lowercase word is one of the language's function words, also behind a
    /// conjunction glued to it ([`Profile::conjunction_prefixes`]: Arabic `وفي`). A word of
    /// several syllables or words written with spaces (`bởi vì`) is a function word if the
    /// list holds it so.
    pub(crate) fn is_stopword(&self, word: &str) -> bool {
        static SETS: [OnceLock<AHashSet<Box<str>>>; Lang::ALL.len()] =
            [const { OnceLock::new() }; Lang::ALL.len()];
        match self.lang {
            Some(l) => {
                let set = SETS[l as usize].get_or_init(|| function_words(self));
                set.contains(word)
                    || (!self.conjunction_prefixes.is_empty()
                        && word
                            .strip_prefix(self.conjunction_prefixes)
                            .is_some_and(|rest| set.contains(rest)))
            }
            None => false,
        }
    }

    /// Whether a lowercase word is on the `stop-words` crate's broad list of its language
    /// (stopwords-iso, unreviewed: `according`, `despite`, `meanwhile`; `menurut`,
    /// `misalnya`). Not a function word for the features (those lists hold content words
    /// too), only a word that is no name where capitals say nothing (a sentence's first word).
    pub(crate) fn is_common_word(&self, word: &str) -> bool {
        static SETS: [OnceLock<AHashSet<Box<str>>>; Lang::ALL.len()] =
            [const { OnceLock::new() }; Lang::ALL.len()];
        let Some(l) = self.lang else {
            return false;
        };
        SETS[l as usize]
            .get_or_init(|| normalized_crate_list(self.code, |_| true))
            .contains(word)
    }
}

impl Profile {
    /// Whether a lowercase word is one of the language's given names that are also words
    /// ([`Profile::given_names`], `data/names/<code>.txt`).
    #[cfg(test)]
    pub(crate) fn is_given_name(&self, word: &str) -> bool {
        self.is_given_name_key(super::word_cache::word_key(word))
    }

    /// [`Profile::is_given_name`] by the word's [`word_key`](super::word_cache::word_key)
    /// (the key the tokens carry): a binary search of a few dozen keys, no hashing of the text.
    pub(crate) fn is_given_name_key(&self, key: u64) -> bool {
        static SETS: [OnceLock<Box<[u64]>>; Lang::ALL.len()] =
            [const { OnceLock::new() }; Lang::ALL.len()];
        let Some(l) = self.lang else {
            return false;
        };
        if self.given_names.is_empty() {
            return false;
        }
        SETS[l as usize]
            .get_or_init(|| {
                let mut keys: Vec<u64> = lines(self.given_names)
                    .map(super::word_cache::word_key)
                    .collect();
                keys.sort_unstable();
                keys.into()
            })
            .binary_search(&key)
            .is_ok()
    }
}

/// Whether a lowercase word is a function word of `lang` ([`Profile::is_stopword`]).
pub(crate) fn is_stopword(lang: Lang, word: &str) -> bool {
    profile(lang).is_stopword(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_name_lists_are_sorted_lowercase_content_words() {
        for lang in [Lang::English, Lang::Indonesian] {
            let p = profile(lang);
            let words: Vec<&str> = lines(p.given_names).collect();
            assert!(!words.is_empty(), "{lang:?}");
            assert!(
                words.windows(2).all(|w| w[0] < w[1]),
                "{lang:?}: sorted, no repeats"
            );
            for w in &words {
                assert_eq!(*w, w.to_lowercase(), "{lang:?}");
                assert!(!p.is_stopword(w), "{lang:?}: {w} is a function word");
                assert!(p.is_given_name(w), "{lang:?}: {w}");
            }
        }
        assert!(!profile(Lang::English).is_given_name("president"));
        assert!(!profile(Lang::French).is_given_name("mark"));
    }

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
    fn the_broad_lists_know_sentence_openers_that_are_no_names() {
        for w in ["according", "despite", "meanwhile", "although"] {
            assert!(profile(Lang::English).is_common_word(w), "{w}");
            assert!(!is_stopword(Lang::English, w), "{w} is a feature word");
        }
        for w in ["menurut", "misalnya", "sebaliknya"] {
            assert!(profile(Lang::Indonesian).is_common_word(w), "{w}");
        }
        for w in ["saikawa", "nissan", "trudeau"] {
            assert!(!profile(Lang::English).is_common_word(w), "{w}");
            assert!(!profile(Lang::Indonesian).is_common_word(w), "{w}");
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
            (
                Lang::Urdu,
                &["میں", "سے", "کا", "کو", "اور"],
                &["ایک", "دو", "ہزار"],
            ),
            (
                Lang::Shona,
                &["kwa", "na", "ya", "katika"],
                &["moja", "watu"],
            ),
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

    /// The additions are single lowercase words that become function words, never a word
    /// the project reviewed out of a list (numbers, calendar words, content words), a number
    /// word, or a headword of the language's own dictionary (which would then never be read).
    #[test]
    fn additions_are_function_words_nothing_else_names() {
        let mut added = 0;
        for p in crate::analysis::profile::all() {
            let Some(lang) = p.lang else { continue };
            let excluded = exclusions(lang);
            let headwords: AHashSet<&str> = p
                .lexicon
                .iter()
                .flat_map(|(_, text)| lines(text))
                .filter_map(|l| l.split('\t').next())
                .collect();
            for w in lines(p.function_word_additions) {
                assert!(
                    !w.contains(char::is_whitespace),
                    "{lang}: {w:?} is not one word"
                );
                assert_eq!(w, w.to_lowercase(), "{lang}: {w:?}");
                assert!(!excluded.contains(&w), "{lang}: {w:?} was reviewed out");
                assert!(p.number_word(w).is_none(), "{lang}: {w:?} is a number");
                assert!(
                    !headwords.contains(w),
                    "{lang}: {w:?} is a dictionary headword"
                );
                assert!(is_stopword(lang, &as_read(w)), "{lang}: {w:?}");
                added += 1;
            }
        }
        assert!(added > 300, "{added}");
    }

    /// Every file of `data/stopwords/additions/` is some language's additions (a file nobody
    /// compiles in would change nothing).
    #[test]
    fn every_additions_file_is_compiled_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/stopwords/additions");
        let mut files = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                crate::analysis::profile::all().any(|p| p.function_word_additions == text),
                "{} is no profile's additions",
                path.display()
            );
            files += 1;
        }
        assert_eq!(files, 7);
    }

    /// Every word an exclusion file names is in the crate's list (the file says exactly what
    /// was removed) and is not a stopword; every reviewed language has a crate list.
    #[test]
    fn exclusions_name_words_of_the_list_and_remove_them() {
        let mut removed = 0;
        for lang in reviewed() {
            let list = crate_list(lang).unwrap_or_else(|| panic!("{lang}: no crate list"));
            assert!(list.len() >= 50, "{lang}: {} words", list.len());
            for w in exclusions(lang) {
                assert!(list.contains(&w), "{lang}: {w:?} is not in the crate list");
                let low = as_read(w);
                assert!(!is_stopword(lang, &low), "{lang}: {w:?} still a stopword");
                removed += 1;
            }
        }
        assert!(removed > 300, "{removed}");
    }
}
