//! Arabic: the stop-words list reviewed and the project's additions to it, the Snowball
//! stemmer after the proclitics (and a glued preposition tried off a word no entry knows:
//! `stem::glued_preposition`), the built-in dictionary, the decimal point (and the Arabic
//! separators `٫ ٬`, which normalisation reads), Arabic month names, and its number words.

use super::{calendar, DecimalMark, FunctionWords, Profile, Stemming, MONTHS_EN_ID};
use crate::analysis::stem::Snowball;
use crate::Lang;

/// Arabic.
pub(crate) const PROFILE: Profile = Profile {
    function_words: FunctionWords::Reviewed {
        code: "ar",
        exclusions: include_str!("../../../data/stopwords/exclusions/ar.txt"),
    },
    function_word_additions: include_str!("../../../data/stopwords/additions/ar.txt"),
    months: &[MONTHS_EN_ID, calendar::AR],
    decimal: DecimalMark::Point,
    number_words: NUMBER_WORDS,
    stemming: Stemming::Snowball(Snowball::Arabic),
    lexicon: super::lexicons::AR,
    conjunction_prefixes: &['و', 'ف'],
    proclitics: super::Proclitics::Arabic,
    ..Profile::generic(Lang::Arabic)
};

/// Cardinal numbers as news writes them: the masculine and feminine forms (`خمسة`, `خمس`),
/// the dual's cases (`اثنان`, `اثنين`), the tens in both cases (`عشرون`, `عشرين`), each with
/// and without its hamza (`أربعة`, `اربعة`), as text is written either way. Words that are
/// also common content words are left out (`ست` "lady", `سبع` "lion", `واحد` "one of").
/// Hundreds and thousands are scale words (`anchors.rs`), read after digits.
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("اثنان", 2),
    ("اثنين", 2),
    ("اثنتان", 2),
    ("اثنتين", 2),
    ("إثنين", 2),
    ("ثلاثة", 3),
    ("ثلاث", 3),
    ("أربعة", 4),
    ("اربعة", 4),
    ("أربع", 4),
    ("اربع", 4),
    ("خمسة", 5),
    ("خمس", 5),
    ("ستة", 6),
    ("سبعة", 7),
    ("ثمانية", 8),
    ("ثماني", 8),
    ("ثمان", 8),
    ("تسعة", 9),
    ("تسع", 9),
    ("عشرة", 10),
    ("عشر", 10),
    ("عشرون", 20),
    ("عشرين", 20),
    ("ثلاثون", 30),
    ("ثلاثين", 30),
    ("أربعون", 40),
    ("أربعين", 40),
    ("اربعون", 40),
    ("اربعين", 40),
    ("خمسون", 50),
    ("خمسين", 50),
    ("ستون", 60),
    ("ستين", 60),
    ("سبعون", 70),
    ("سبعين", 70),
    ("ثمانون", 80),
    ("ثمانين", 80),
    ("تسعون", 90),
    ("تسعين", 90),
];
