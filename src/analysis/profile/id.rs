//! Indonesian: a built-in lexicon into English (`data/lexicon/id-en/`), reduplicated and
//! hyphenated words (affixes are `stem.rs`'s), number words and ordinals.

use super::{
    Concepts, DateOrder, DecimalMark, FunctionWords, Profile, Segmentation, Stemming, UnspacedRuns,
    MONTHS_EN_ID,
};
use super::{Spelling, WordParts};
use crate::analysis::word_cache::word_key;
use crate::Lang;
use std::sync::LazyLock;

/// Indonesian (and Malay, which detection reads as Indonesian).
pub(crate) const PROFILE: Profile = Profile {
    lang: Some(Lang::Indonesian),
    code: "id",
    function_words: FunctionWords::Own(include_str!("../../../data/stopwords/id.txt")),
    function_word_additions: "",
    decimal: DecimalMark::Comma,
    date_order: DateOrder::DayFirst,
    slash_decimal: false,
    space_thousands: false,
    number_words: NUMBER_WORDS,
    months: &[MONTHS_EN_ID],
    month_links: &[],
    numeric_months: false,
    han_numerals: false,
    stemming: Stemming::IndonesianAffixes,
    segmentation: Segmentation::Spaces,
    unspaced_runs: UnspacedRuns::Bigrams,
    concepts: Concepts::IntoEnglish,
    lexicon: LEXICON,
    parts: WordParts::Reduplication,
    spelling: Spelling::AsWritten,
    names_inflect: false,
    conjunction_prefixes: &[],
    proclitics: super::Proclitics::None,
    capitals_are_names: false,
    given_names: include_str!("../../../data/names/id.txt"),
    letter_folds: &[],
    letter_choices: &[],
    endings: &[],
};

/// Indonesian's profile with Malay's decimal point and thousands comma (`1,500` = 1500, where
/// Indonesian writes `1.500`), for the numbers of a document [`is_malay`] says is Malay.
pub(crate) const MALAY_NUMBERS: Profile = Profile {
    decimal: DecimalMark::Point,
    ..PROFILE
};

/// Whether a text read as Indonesian is Malay, from the function words the two spell apart
/// (`kerana`, `iaitu`, `bahawa`, `sahaja`, `selepas`, `mahupun` against `karena`, `yaitu`,
/// `bahwa`, `saja`, `setelah`, `maupun`) and words only Malay writes (`baharu`, `manakala`,
/// `sebarang`), given the [`word_key`]s of its lowercase words: more Malay words than
/// Indonesian ones. Detection reads both as Indonesian (whatlang has no Malay model); this
/// decides how a number such as `1,500` is read and which sense a word of
/// [`MALAY_SENSES`] has.
pub(crate) fn is_malay(keys: &[u64]) -> bool {
    static SPELLINGS: LazyLock<[Vec<u64>; 2]> = LazyLock::new(|| {
        [
            [
                "kerana", "iaitu", "bahawa", "sahaja", "selepas", "mahupun", "baharu", "manakala",
                "sebarang",
            ]
            .map(word_key)
            .to_vec(),
            ["karena", "yaitu", "bahwa", "saja", "setelah", "maupun"]
                .map(word_key)
                .to_vec(),
        ]
    });
    let [ms_keys, id_keys] = &*SPELLINGS;
    let (mut ms, mut id) = (0u32, 0u32);
    for k in keys {
        ms += u32::from(ms_keys.contains(k));
        id += u32::from(id_keys.contains(k));
    }
    ms > id
}

/// The built-in lexicon into English, by domain.
pub(crate) const LEXICON: &[(&str, &str)] = &[
    (
        "politics_law_military.tsv",
        include_str!("../../../data/lexicon/id-en/politics_law_military.tsv"),
    ),
    (
        "economy_business_tech.tsv",
        include_str!("../../../data/lexicon/id-en/economy_business_tech.tsv"),
    ),
    (
        "health_disaster_society.tsv",
        include_str!("../../../data/lexicon/id-en/health_disaster_society.tsv"),
    ),
    // Second supplements by domain (4 December 2026): everyday news words the files above
    // lacked, and affixed forms whose root the analyser would misread.
    (
        "politics_law_society_more.tsv",
        include_str!("../../../data/lexicon/id-en/politics_law_society_more.tsv"),
    ),
    (
        "life_health_nature.tsv",
        include_str!("../../../data/lexicon/id-en/life_health_nature.tsv"),
    ),
    (
        "economy_culture_more.tsv",
        include_str!("../../../data/lexicon/id-en/economy_culture_more.tsv"),
    ),
    // Third supplements by domain (4 December 2026, evening).
    (
        "sports_media_religion.tsv",
        include_str!("../../../data/lexicon/id-en/sports_media_religion.tsv"),
    ),
    (
        "crime_transport_city.tsv",
        include_str!("../../../data/lexicon/id-en/crime_transport_city.tsv"),
    ),
    (
        "work_energy_environment.tsv",
        include_str!("../../../data/lexicon/id-en/work_energy_environment.tsv"),
    ),
    // General vocabulary last: where a domain file gives a word its domain sense, that wins.
    (
        "general.tsv",
        include_str!("../../../data/lexicon/id-en/general.tsv"),
    ),
    (
        "general_more.tsv",
        include_str!("../../../data/lexicon/id-en/general_more.tsv"),
    ),
    // Everyday words the files above lacked (5 December 2026).
    (
        "everyday.tsv",
        include_str!("../../../data/lexicon/id-en/everyday.tsv"),
    ),
    // Malay spellings and words Indonesian does not use (Malay is read as Indonesian).
    (
        "malay.tsv",
        include_str!("../../../data/lexicon/id-en/malay.tsv"),
    ),
    // More Malay vocabulary, by domain (6 December 2026); Malay senses of words Indonesian
    // reads otherwise are `MALAY_SENSES`, read in Malay documents only.
    (
        "malay_more.tsv",
        include_str!("../../../data/lexicon/id-en/malay_more.tsv"),
    ),
];

/// What Malay reads otherwise than Indonesian, read only in documents [`is_malay`] says are
/// Malay: false friends (`kerajaan`: kingdom in Indonesian, government in Malay), Malay words
/// an Indonesian root of another sense would read (`perlembagaan`, constitution, not
/// `lembaga`), and Malay expressions of Indonesian words (`balai polis`, police station).
pub(crate) const MALAY_SENSES: (&str, &str) = (
    "malay_senses.tsv",
    include_str!("../../../data/lexicon/id-en/malay_senses.tsv"),
);

/// What Malay reads a lowercase word read as Indonesian as ([`MALAY_SENSES`]), if otherwise
/// than Indonesian: the word's own reading, or its reading without the clitic `-nya`, `-lah`
/// or `-kah` glued to it (`kerajaannya`).
pub(crate) fn malay_sense<'l>(
    lex: &'l crate::analysis::concepts::Lexicon,
    low: &str,
) -> Option<&'l crate::analysis::concepts::Target> {
    lex.malay_word(low).or_else(|| {
        ["nya", "lah", "kah"].iter().find_map(|clitic| {
            low.strip_suffix(clitic)
                .filter(|rest| rest.len() >= 3)
                .and_then(|rest| lex.malay_word(rest))
        })
    })
}

/// Number words and ordinals (`ke-7` is read by the ordinal rule).
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("satu", 1),
    ("dua", 2),
    ("tiga", 3),
    ("empat", 4),
    ("lima", 5),
    ("enam", 6),
    ("tujuh", 7),
    ("delapan", 8),
    ("sembilan", 9),
    ("sepuluh", 10),
    ("sebelas", 11),
    ("seratus", 100),
    ("pertama", 1),
    ("ketiga", 3),
    ("keempat", 4),
    ("kelima", 5),
    ("keenam", 6),
    ("ketujuh", 7),
    ("kedelapan", 8),
    ("kesembilan", 9),
    ("kesepuluh", 10),
];

/// The parts of a hyphenated Indonesian word worth analysing: one copy of a reduplication
/// (`perusahaan-perusahaan`, `negara-negaranya` → the copy with the suffix, `bermain-main`),
/// every part of other compounds, the word itself when it has no hyphen.
pub(crate) fn reduplication_parts(w: &str) -> Vec<&str> {
    let Some((a, b)) = w.split_once('-') else {
        return vec![w];
    };
    if b.contains('-') {
        return w.split('-').filter(|p| !p.is_empty()).collect();
    }
    if a == b || a.ends_with(b) {
        vec![a]
    } else if b.starts_with(a) {
        vec![b]
    } else {
        vec![a, b].into_iter().filter(|p| !p.is_empty()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malay_is_told_by_the_function_words_it_spells_apart() {
        let words = |t: &'static str| t.split(' ').map(word_key).collect::<Vec<_>>();
        assert!(is_malay(&words("kerajaan berkata bahawa 1,500 orang")));
        assert!(!is_malay(&words("pemerintah mengatakan bahwa 1,500 orang")));
        // A tie, or neither, is Indonesian.
        assert!(!is_malay(&words("kerana karena")));
        assert!(!is_malay(&words("1,500 orang")));
        assert!(is_malay(&words("peraturan baharu mahupun lama")));
        assert!(!is_malay(&words("peraturan baru maupun lama")));
    }

    #[test]
    fn malay_senses_are_read_in_malay_documents_only() {
        let a = crate::Analyzer::new();
        let labels = |t: &str| crate::analysis::labels_as(&a, t, Lang::Indonesian);
        // Malay: "The government said that the police arrested him because ..."
        let ms = labels("Kerajaan berkata bahawa polis menahannya kerana kes itu.");
        assert!(ms.contains(&"govern".to_string()), "{ms:?}");
        assert!(ms.contains(&"polic".to_string()), "{ms:?}");
        assert!(!ms.contains(&"kingdom".to_string()), "{ms:?}");
        // The same words in Indonesian keep their Indonesian senses.
        let id = labels("Kerajaan itu mengatakan bahwa polis asuransi berlaku karena perjanjian.");
        assert!(id.contains(&"kingdom".to_string()), "{id:?}");
        assert!(id.contains(&"polici".to_string()), "{id:?}");
        assert!(!id.contains(&"govern".to_string()), "{id:?}");
        // With a clitic glued to it, and wherever the document shows it is Malay.
        let late = labels("Kerajaannya tegas. Polis berkata bahawa ia kerana itu sahaja.");
        assert!(late.contains(&"govern".to_string()), "{late:?}");
        assert!(late.contains(&"polic".to_string()), "{late:?}");
        // An expression of words Indonesian also writes is read whole in Malay only.
        let ms = labels("Dia dibawa ke balai polis kerana disyaki.");
        let id = labels("Dia dibawa ke balai polis karena diduga.");
        assert!(ms.contains(&"polic".to_string()), "{ms:?}");
        assert!(!ms.contains(&"hall".to_string()), "{ms:?}");
        assert!(id.contains(&"hall".to_string()), "{id:?}");
        // Every entry of the file is in the table: a word, or an expression's first word.
        let lex = crate::Lexicon::builtin();
        let (_, text) = MALAY_SENSES;
        let mut n = 0;
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let (w, _) = line.split_once('\t').expect("two fields");
            match w.split_once(' ') {
                None => assert!(malay_sense(&lex, w).is_some(), "{w}"),
                Some((first, _)) => {
                    assert_ne!(lex.malay_phrase_index(word_key(first)), 0, "{w}")
                }
            }
            n += 1;
        }
        assert!(n >= 100, "{n}");
    }

    #[test]
    fn reduplication() {
        assert_eq!(reduplication_parts("perusahaan-perusahaan"), ["perusahaan"]);
        assert_eq!(reduplication_parts("negara-negaranya"), ["negaranya"]);
        assert_eq!(reduplication_parts("bermain-main"), ["bermain"]);
        assert_eq!(reduplication_parts("rumah"), ["rumah"]);
        assert_eq!(reduplication_parts("sayur-mayur"), ["sayur", "mayur"]);
    }
}
