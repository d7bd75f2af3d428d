//! The built-in dictionaries into English (`data/lexicon/<lang>-en/`, written by the project):
//! French, Spanish, Portuguese, Russian and Chinese; Arabic, Persian, Urdu, Hindi, Bengali,
//! Swahili and Tagalog. Their words reach English concepts
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
/// headwords share a stem, the first loaded keeps it). `common.tsv`, where a dictionary has
/// one, is the frequent vocabulary of every domain that its first files missed, written
/// later; `more.tsv` (stops 46 to 48) more of it (in most dictionaries mostly inflected forms;
/// in French, Spanish and Portuguese mostly less frequent words); `basic.tsv` (stop 49), in
/// the dictionaries that have one, the core general vocabulary of everyday and news text the
/// domain files missed (with the verb forms the analyser does not reach where it reads words
/// whole), loaded last.
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
pub(crate) const FR: &[(&str, &str)] = dictionary!("fr-en", "common.tsv", "more.tsv");
/// Spanish into English.
pub(crate) const ES: &[(&str, &str)] = dictionary!("es-en", "common.tsv", "more.tsv");
/// Russian into English (`ё` written `е`; each file ends with the inflected forms the
/// Russian Snowball stemmer does not bring to their headword's stem).
pub(crate) const RU: &[(&str, &str)] = dictionary!("ru-en", "common.tsv", "more.tsv", "basic.tsv");
/// Chinese into English (Simplified, then Traditional forms; headwords are words as the
/// segmenter cuts them, looked up whole). Its names of places and organisations are entries
/// too (`entities.tsv`: `美国` → the entity `US`), since the entity table matches tokens and
/// a segmented word is not one.
pub(crate) const ZH: &[(&str, &str)] = dictionary!(
    "zh-en",
    "entities.tsv",
    "common.tsv",
    "more.tsv",
    "basic.tsv"
);
/// Portuguese into English (Brazilian and European spellings; `inflections.tsv`: forms the
/// Portuguese Snowball stemmer does not bring to their headword's stem).
pub(crate) const PT: &[(&str, &str)] =
    dictionary!("pt-en", "inflections.tsv", "common.tsv", "more.tsv");

/// A dictionary of a language read without a stemmer here (Arabic's leaves broken plurals
/// apart): after the domain files, `inflections.tsv`, the inflected forms news writes, each
/// listed whole, then `common.tsv`, `more.tsv` and `basic.tsv` as `dictionary!` says.
macro_rules! inflected_dictionary {
    ($dir:literal) => {
        dictionary!(
            $dir,
            "inflections.tsv",
            "common.tsv",
            "more.tsv",
            "basic.tsv"
        )
    };
}

/// Arabic into English (headwords without the article and without vowel marks; the Arabic
/// Snowball stemmer reads them as it reads text; `inflections.tsv`: broken plurals and verb
/// forms it does not bring to their headword's stem).
pub(crate) const AR: &[(&str, &str)] = inflected_dictionary!("ar-en");
/// Persian into English (headwords written joined, as normalisation removes the zero-width
/// non-joiner: `میگوید`, `کشورها`).
pub(crate) const FA: &[(&str, &str)] = inflected_dictionary!("fa-en");
/// Urdu into English.
pub(crate) const UR: &[(&str, &str)] = inflected_dictionary!("ur-en");
/// Hindi into English.
pub(crate) const HI: &[(&str, &str)] = inflected_dictionary!("hi-en");
/// Bengali into English (case endings are attached in Bengali: `inflections.tsv` lists the
/// forms news writes, `সরকারের`, `দেশে`).
pub(crate) const BN: &[(&str, &str)] = inflected_dictionary!("bn-en");
/// Swahili into English, read by the Shona profile, as the detector reads Swahili as Shona
/// (`inflections.tsv`: verbs with their subject and tense prefixes, `alisema`, `wamefariki`).
pub(crate) const SW: &[(&str, &str)] = inflected_dictionary!("sw-en");
/// Tagalog into English (`inflections.tsv`: verbs with their affixes, `sinabi`, `namatay`).
pub(crate) const TL: &[(&str, &str)] = inflected_dictionary!("tl-en");
