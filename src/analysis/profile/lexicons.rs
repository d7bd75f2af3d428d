//! The built-in dictionaries of French, Spanish, Portuguese, Russian and Chinese into English
//! (`data/lexicon/<lang>-en/`, written by the project). Their words reach English concepts
//! through these entries as through a dictionary loaded at run time
//! ([`super::Concepts::Local`]: a word no entry knows stays a language-local feature); their
//! cross-language pairs keep the cross-language threshold ([`crate::Lang::has_builtin_dictionary`]).

/// `(file name, TSV text)` of each file named, in `data/lexicon/<dir>/`.
macro_rules! files {
    ($dir:literal: $($name:literal),+) => {
        &[$(($name, include_str!(concat!("../../../data/lexicon/", $dir, "/", $name)))),+]
    };
}

/// The domain files every dictionary has, then its `extra` files, in load order (where two
/// headwords share a stem, the first loaded keeps it).
macro_rules! dictionary {
    ($dir:literal $(, $extra:literal)*) => {
        files!($dir:
            "general.tsv",
            "politics_law.tsv",
            "economy_business.tsv",
            "health_disaster.tsv",
            "society_science_sport.tsv",
            "everyday.tsv"
            $(, $extra)*
        )
    };
}

/// French into English.
pub(crate) const FR: &[(&str, &str)] = dictionary!("fr-en");
/// Spanish into English.
pub(crate) const ES: &[(&str, &str)] = dictionary!("es-en");
/// Russian into English (`ё` written `е`; each file ends with the inflected forms the
/// Russian Snowball stemmer does not bring to their headword's stem).
pub(crate) const RU: &[(&str, &str)] = dictionary!("ru-en");
/// Chinese into English (Simplified, then Traditional forms; headwords are words as the
/// segmenter cuts them, looked up whole). Its names of places and organisations are entries
/// too (`entities.tsv`: `美国` → the entity `US`), since the entity table matches tokens and
/// a segmented word is not one.
pub(crate) const ZH: &[(&str, &str)] = dictionary!("zh-en", "entities.tsv");
/// Portuguese into English (Brazilian and European spellings; `inflections.tsv`: forms the
/// Portuguese Snowball stemmer does not bring to their headword's stem).
pub(crate) const PT: &[(&str, &str)] = dictionary!("pt-en", "inflections.tsv");
