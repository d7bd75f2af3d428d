//! What a language is: one [`Profile`] per language, the one place the analysis reads what
//! differs from language to language.
//!
//! A profile says how numbers are written (decimal mark, date order, number and month words),
//! which function words are dropped, which stemmer reads words, how words are found in text
//! written without spaces, and where a word's concept comes from (English is the concept
//! space; Indonesian has a built-in lexicon into it; French, Spanish, Portuguese, Russian and
//! Chinese have built-in dictionaries into it ([`lexicons`]); every other language is read
//! language-locally unless a dictionary is loaded at run time). [`profile`] gives the profile of
//! a language, [`UNDETERMINED`] the one of text whose language was not determined.
//!
//! English and Indonesian have profiles of their own ([`en`], [`id`]); every other language
//! starts from [`Profile::generic`] and changes what is known of it in [`of`]. Word lists
//! stay reviewed text in `data/` (function words, lexicons); the short closed lists (number
//! and month words) are tables in the language's file here.
//!
//! The analysis fetches a document's profile once ([`for_detected`]) and reads its fields in
//! the token loop: a `&'static` reference, no lookup per token.

pub(crate) mod ar;
pub(crate) mod calendar;
pub(crate) mod en;
pub(crate) mod endings;
pub(crate) mod id;
pub(crate) mod lexicons;
pub(crate) mod numbers;
pub(crate) mod ru;

use super::stem::Snowball;
use crate::Lang;
use std::borrow::Cow;

/// How a language writes the decimal mark (the other of `.` and `,` groups thousands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecimalMark {
    /// `1.500,25` (Indonesian, most of Europe and Latin America).
    Comma,
    /// `1,500.25` (English, the Arabic script, India, China, Japan).
    Point,
}

/// The order of day and month in a numeric date (`31/1/2024` or `1/31/2024`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateOrder {
    /// Month first, unless the first part cannot be a month (English).
    MonthFirst,
    /// Day first, unless the second part cannot be a month.
    DayFirst,
}

/// Where a language's function words come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FunctionWords {
    /// None are dropped.
    None,
    /// A list the project writes (`data/stopwords/<code>.txt`), one word a line.
    Own(&'static str),
    /// The `stop-words` crate's list for `code`, minus the words the project reviewed out
    /// of it (`data/stopwords/exclusions/<code>.txt`: numbers, scale and calendar words,
    /// names and content words, which must survive as anchors).
    Reviewed {
        code: &'static str,
        exclusions: &'static str,
    },
}

/// How a language's words are reduced to a lookup form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stemming {
    /// Words are read as written (lowercased).
    None,
    /// A Snowball stemmer of rust-stemmers.
    Snowball(Snowball),
    /// Indonesian affixes and confixes: candidate roots, the first the lexicon knows wins
    /// (`stem.rs`).
    IndonesianAffixes,
}

/// How words are found in the language's own script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Segmentation {
    /// Words are separated by spaces.
    Spaces,
    /// The script has no spaces: runs of it go to the dictionary segmenter (`segment.rs`).
    /// The tokenizer recognises such scripts in any text; this says the language is one.
    Dictionary,
    /// One syllable a word (Vietnamese): adjacent syllables are read in pairs.
    SyllablePairs,
}

/// How a run of a script written without spaces (a Chinese name quoted in the text) is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnspacedRuns {
    /// Words found by the dictionary segmenter.
    Words,
    /// Character bigrams, the analysis English and Indonesian had before segmentation, kept
    /// so that their output stays as pinned.
    Bigrams,
}

/// Where a word's concept comes from: the direction of the language's lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Concepts {
    /// The language is the concept space (English): a word's concept is its stem.
    ConceptSpace,
    /// A built-in lexicon into the concept space ([`Profile::lexicon`]); a word it does not
    /// know is guessed as a loanword, else kept as an unresolved concept.
    IntoEnglish,
    /// No built-in lexicon: a word is a concept only through a dictionary loaded at run time
    /// (FreeDict, TSV), else a language-local feature (`fr:mainten`).
    Local,
}

/// Everything the analysis needs to know of one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    /// The language (`None` for undetermined text).
    pub lang: Option<Lang>,
    /// The prefix of its language-local features (`fr`, `xx` for undetermined text).
    pub code: &'static str,
    /// Function words, dropped from the features (never numbers or scale words).
    pub function_words: FunctionWords,
    /// Function words the project adds to [`Profile::function_words`]
    /// (`data/stopwords/additions/<code>.txt`, one word a line): auxiliaries, pronouns and
    /// postpositions a list misses, in the forms news writes.
    pub function_word_additions: &'static str,
    /// The decimal mark of numbers written with digits.
    pub decimal: DecimalMark,
    /// The order of day and month in numeric dates.
    pub date_order: DateOrder,
    /// `/` between two runs of digits is the decimal mark (Persian `۲/۵` = 2.5); a date then
    /// needs three parts (`۱۴۰۲/۰۵/۱۲`, `31/12/2019`).
    pub slash_decimal: bool,
    /// Thousands are grouped with spaces (`1 500 000`, also with no-break and narrow no-break
    /// spaces, which normalisation makes spaces): the groups are read as one number.
    pub space_thousands: bool,
    /// Number words and ordinals (`five`, `kelima`) read as `num:` anchors, lowercase.
    pub number_words: &'static [(&'static str, u32)],
    /// Month names and abbreviations (lowercase) that make `date:` anchors next to a day;
    /// the tables are searched in order.
    pub months: &'static [&'static [(&'static str, u32)]],
    /// Words that may stand between a day and its month (`5 de marzo`).
    pub month_links: &'static [&'static str],
    /// Months are written as numbers (`3月15日`, `3월 15일`: [`calendar::NUMERIC_MONTH`]).
    pub numeric_months: bool,
    /// A segment of unspaced text written in Han numerals is a number (`三名`, `十五天`:
    /// [`anchors::han_numeral`](crate::analysis::anchors::han_numeral)), and a month and
    /// day written in them a date (`三月十五日`:
    /// [`anchors::han_date`](crate::analysis::anchors::han_date)).
    pub han_numerals: bool,
    /// How words are reduced for lookup and for local features.
    pub stemming: Stemming,
    /// How words are found in the language's script.
    pub segmentation: Segmentation,
    /// How runs of scripts without spaces inside its text are read.
    pub unspaced_runs: UnspacedRuns,
    /// Where a word's concept comes from.
    pub concepts: Concepts,
    /// Built-in lexicon files into English (`name`, TSV text), for [`Concepts::IntoEnglish`].
    pub lexicon: &'static [(&'static str, &'static str)],
    /// The parts of a word worth analysing (hyphenated compounds, reduplications).
    pub parts: WordParts,
    /// Spelling folded before stemming (British to American).
    pub spelling: Spelling,
    /// Names take case endings (Путин, Путина): a name anchor is keyed by its stem.
    pub names_inflect: bool,
    /// Without a lexicon, every capitalised word the analysis does not know may be a name.
    pub capitals_are_names: bool,
    /// Conjunctions written glued to the next word (Arabic `و`, `ف`): a word is a function
    /// word when it is one without them (`وفي`, `فإن`, `ولا`).
    pub conjunction_prefixes: &'static [char],
    /// Proclitics stripped before stemming, as light stemmers do (Arabic: Larkey's light10,
    /// [`crate::analysis::stem::arabic_proclitics`]).
    pub proclitics: Proclitics,
    /// Inflectional endings tried off a word no entry knows, `(ending, replacement)`,
    /// longest first; the base form is taken only when it is an entry ([`endings`]).
    pub endings: &'static [(&'static str, &'static str)],
    /// Letters read as other letters once the language is known, `(from, to)`, each pair
    /// of the same UTF-8 length: Persian and Urdu text typed on Arabic keyboards writes
    /// Arabic yeh and kaf (`ي`, `ك`, and `ى`) for Persian `ی` and `ک`, which their word lists
    /// and dictionaries write ([`Profile::fold_letters`]).
    pub letter_folds: &'static [(char, char)],
    /// Letters that stand for one of several the language writes, chosen word by word,
    /// `(from, alternatives)`, each alternative of `from`'s UTF-8 length: Urdu typed on Arabic
    /// keyboards writes Arabic heh `ه` both for `ہ` (`زیاده`, `وه`) and for the aspirating
    /// `ھ` (`بهی`, `تها`). A word takes the first of its spellings the language knows (an
    /// entry, a function word, a number, a month, an entity or phrase start), the
    /// alternatives tried in order; a word none of them knows takes the first alternative
    /// everywhere ([`Profile::choices`]).
    pub letter_choices: &'static [(char, &'static [char])],
    /// Given names that are also words the language knows (a word list, `data/names/`): such
    /// a word before a name is a name too ([`Profile::is_given_name`]). Empty for none.
    pub given_names: &'static str,
}

/// What is stripped from the front of a word before its stemmer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proclitics {
    /// Nothing.
    None,
    /// Arabic's conjunction `و` and article with what is glued before it (`ال`, `وال`, `بال`,
    /// `كال`, `فال`, `لل`).
    Arabic,
}

/// Which parts of a word are analysed (for [`Concepts::ConceptSpace`] and
/// [`Concepts::IntoEnglish`]; a language-local word is read whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordParts {
    /// The word itself.
    Whole,
    /// Each part of a hyphenated word (`well-known` → `well`, `known`).
    Hyphens,
    /// One copy of a reduplication, each part of another compound ([`id::reduplication_parts`]).
    Reduplication,
}

impl WordParts {
    /// The parts of `w`.
    pub(crate) fn of(self, w: &str) -> Parts<'_> {
        match self {
            WordParts::Whole => Parts::One(Some(w)),
            WordParts::Hyphens => Parts::Split(w.split('-')),
            WordParts::Reduplication => Parts::Listed(id::reduplication_parts(w).into_iter()),
        }
    }
}

/// The parts of one word ([`WordParts::of`]), without allocating for the common cases.
pub(crate) enum Parts<'w> {
    One(Option<&'w str>),
    Split(std::str::Split<'w, char>),
    Listed(std::vec::IntoIter<&'w str>),
}

impl<'w> Iterator for Parts<'w> {
    type Item = &'w str;

    fn next(&mut self) -> Option<&'w str> {
        match self {
            Parts::One(w) => w.take(),
            Parts::Split(s) => s.find(|p| !p.is_empty()),
            Parts::Listed(v) => v.next(),
        }
    }
}

/// Spellings folded before stemming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spelling {
    /// As written.
    AsWritten,
    /// British spellings folded to American ones ([`en::british_to_american`]), irregular
    /// verb forms and plurals to their base ([`en::irregular_base`]).
    BritishToAmerican,
}

impl Spelling {
    /// `w` in the spelling the stemmer and lexicon expect.
    pub(crate) fn fold(self, w: &str) -> Cow<'_, str> {
        match self {
            Spelling::AsWritten => Cow::Borrowed(w),
            Spelling::BritishToAmerican => match en::irregular_base(w) {
                Some(base) => Cow::Borrowed(base),
                None => en::british_to_american(w),
            },
        }
    }
}

/// Month names of English and Indonesian (and their abbreviations, and Malay's own spellings:
/// `Mac`, `Julai`, `Ogos`, `Disember`), read in every language so far: dates in English and
/// Indonesian words are the common case of every feed.
pub(crate) const MONTHS_EN_ID: &[(&str, u32)] = &[
    ("january", 1),
    ("januari", 1),
    ("jan", 1),
    ("february", 2),
    ("februari", 2),
    ("pebruari", 2),
    ("feb", 2),
    ("peb", 2),
    ("march", 3),
    ("maret", 3),
    ("mac", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("mei", 5),
    ("june", 6),
    ("juni", 6),
    ("jun", 6),
    ("july", 7),
    ("juli", 7),
    ("julai", 7),
    ("jul", 7),
    ("august", 8),
    ("agustus", 8),
    ("ogos", 8),
    ("aug", 8),
    ("agu", 8),
    ("agt", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oktober", 10),
    ("oct", 10),
    ("okt", 10),
    ("november", 11),
    ("nopember", 11),
    ("nov", 11),
    ("nop", 11),
    ("december", 12),
    ("desember", 12),
    ("disember", 12),
    ("dec", 12),
    ("des", 12),
];

/// Arabic yeh, alef maksura and kaf as Persian and Urdu write them ([`Profile::letter_folds`]).
const ARABIC_YEH_KAF: &[(char, char)] = &[('ي', 'ی'), ('ى', 'ی'), ('ك', 'ک')];

/// Arabic heh as Urdu typed on Arabic keyboards writes it: for heh goal `ہ` or for the
/// aspirating do-chashmi heh `ھ` ([`Profile::letter_choices`]).
const URDU_HEH: &[(char, &[char])] = &[('\u{0647}', &['\u{06C1}', '\u{06BE}'])];

impl Profile {
    /// `w` with [`Profile::letter_folds`] applied (borrowed when none applies).
    pub(crate) fn fold_letters<'w>(&self, w: &'w str) -> std::borrow::Cow<'w, str> {
        if !w.chars().any(|c| self.folds(c).is_some()) {
            return std::borrow::Cow::Borrowed(w);
        }
        std::borrow::Cow::Owned(w.chars().map(|c| self.folds(c).unwrap_or(c)).collect())
    }

    /// The letters [`Profile::letter_choices`] says `c` may stand for, if any.
    #[inline]
    pub(crate) fn choices(&self, c: char) -> Option<&'static [char]> {
        self.letter_choices
            .iter()
            .find(|&&(from, _)| from == c)
            .map(|&(_, to)| to)
    }

    /// What [`Profile::letter_folds`] reads `c` as, if anything.
    #[inline]
    pub(crate) fn folds(&self, c: char) -> Option<char> {
        self.letter_folds
            .iter()
            .find(|&&(from, _)| from == c)
            .map(|&(_, to)| to)
    }

    /// The profile of a language nothing particular is known of: its code, no function words,
    /// the decimal comma, day-first dates, English and Indonesian month names, no stemmer,
    /// words separated by spaces, no lexicon, capitalised unknown words as names.
    pub(crate) const fn generic(lang: Lang) -> Profile {
        Profile {
            lang: Some(lang),
            code: lang.code(),
            function_words: FunctionWords::None,
            function_word_additions: "",
            decimal: DecimalMark::Comma,
            date_order: DateOrder::DayFirst,
            slash_decimal: false,
            space_thousands: false,
            number_words: &[],
            months: &[MONTHS_EN_ID],
            month_links: &[],
            numeric_months: false,
            han_numerals: false,
            stemming: Stemming::None,
            segmentation: Segmentation::Spaces,
            unspaced_runs: UnspacedRuns::Words,
            concepts: Concepts::Local,
            lexicon: &[],
            parts: WordParts::Whole,
            spelling: Spelling::AsWritten,
            names_inflect: false,
            conjunction_prefixes: &[],
            proclitics: Proclitics::None,
            capitals_are_names: true,
            given_names: "",
            letter_folds: &[],
            letter_choices: &[],
            endings: &[],
        }
    }

    /// The Snowball stemmer of the language, if it has one.
    pub(crate) fn snowball(&self) -> Option<Snowball> {
        match self.stemming {
            Stemming::Snowball(s) => Some(s),
            _ => None,
        }
    }

    /// The value of a lowercase number word.
    #[inline]
    pub(crate) fn number_word(&self, lower: &str) -> Option<u32> {
        self.number_words
            .iter()
            .find(|(w, _)| *w == lower)
            .map(|&(_, n)| n)
    }

    /// The month number of a lowercase month name or abbreviation.
    #[inline]
    pub(crate) fn month(&self, lower: &str) -> Option<u32> {
        self.months
            .iter()
            .find_map(|t| t.iter().find(|(m, _)| *m == lower))
            .map(|&(_, n)| n)
    }
}

/// The profile of text whose language was not determined: anchors (numbers read with the
/// decimal comma, as in most languages; entities marked for every language), words kept as
/// written under the code `xx`, no function words, no stemmer, no names from capitals alone.
pub(crate) static UNDETERMINED: Profile = Profile {
    lang: None,
    code: "xx",
    function_words: FunctionWords::None,
    function_word_additions: "",
    decimal: DecimalMark::Comma,
    date_order: DateOrder::DayFirst,
    slash_decimal: false,
    space_thousands: false,
    number_words: &[],
    months: &[MONTHS_EN_ID],
    month_links: &[],
    numeric_months: false,
    han_numerals: false,
    stemming: Stemming::None,
    segmentation: Segmentation::Spaces,
    unspaced_runs: UnspacedRuns::Words,
    concepts: Concepts::Local,
    lexicon: &[],
    parts: WordParts::Whole,
    spelling: Spelling::AsWritten,
    names_inflect: false,
    conjunction_prefixes: &[],
    proclitics: Proclitics::None,
    capitals_are_names: false,
    given_names: "",
    letter_folds: &[],
    letter_choices: &[],
    endings: &[],
};

/// A language's `stop-words` list with the words reviewed out of it.
macro_rules! reviewed {
    ($code:literal) => {
        FunctionWords::Reviewed {
            code: $code,
            exclusions: include_str!(concat!(
                "../../../data/stopwords/exclusions/",
                $code,
                ".txt"
            )),
        }
    };
}

/// A language's additions to its function words (`data/stopwords/additions/<code>.txt`).
macro_rules! additions {
    ($code:literal) => {
        include_str!(concat!("../../../data/stopwords/additions/", $code, ".txt"))
    };
}

/// The profile of a language: its own file's for English, Indonesian, Arabic and Russian,
/// otherwise the generic one with what is known of the language (its function words, its
/// decimal mark, its stemmer, its segmentation).
const fn of(lang: Lang) -> Profile {
    use DecimalMark::Point;
    use Snowball as S;
    let g = Profile::generic(lang);
    match lang {
        Lang::English => en::PROFILE,
        Lang::Indonesian => id::PROFILE,
        Lang::Arabic => ar::PROFILE,
        Lang::Bengali => Profile {
            function_words: reviewed!("bn"),
            function_word_additions: additions!("bn"),
            lexicon: lexicons::BN,
            months: &[MONTHS_EN_ID, calendar::BN],
            endings: endings::BN,
            number_words: numbers::BN,
            decimal: Point,
            ..g
        },
        Lang::Spanish => Profile {
            function_words: reviewed!("es"),
            lexicon: lexicons::ES,
            months: &[MONTHS_EN_ID, calendar::ES],
            month_links: calendar::DE_LINK,
            number_words: numbers::ES,
            stemming: Stemming::Snowball(S::Spanish),
            ..g
        },
        Lang::Persian => Profile {
            function_words: reviewed!("fa"),
            function_word_additions: additions!("fa"),
            lexicon: lexicons::FA,
            months: &[MONTHS_EN_ID, calendar::FA],
            endings: endings::FA,
            number_words: numbers::FA,
            letter_folds: ARABIC_YEH_KAF,
            decimal: Point,
            slash_decimal: true,
            ..g
        },
        Lang::French => Profile {
            function_words: reviewed!("fr"),
            lexicon: lexicons::FR,
            months: &[MONTHS_EN_ID, calendar::FR],
            space_thousands: true,
            number_words: numbers::FR,
            stemming: Stemming::Snowball(S::French),
            ..g
        },
        Lang::Hindi => Profile {
            function_words: reviewed!("hi"),
            function_word_additions: additions!("hi"),
            lexicon: lexicons::HI,
            months: &[MONTHS_EN_ID, calendar::HI],
            endings: endings::HI,
            number_words: numbers::HI,
            decimal: Point,
            ..g
        },
        Lang::Italian => Profile {
            function_words: reviewed!("it"),
            stemming: Stemming::Snowball(S::Italian),
            ..g
        },
        Lang::Japanese => Profile {
            function_words: reviewed!("ja"),
            numeric_months: true,
            han_numerals: true,
            decimal: Point,
            segmentation: Segmentation::Dictionary,
            ..g
        },
        Lang::Portuguese => Profile {
            function_words: reviewed!("pt"),
            lexicon: lexicons::PT,
            months: &[MONTHS_EN_ID, calendar::PT],
            month_links: calendar::DE_LINK,
            number_words: numbers::PT,
            stemming: Stemming::Snowball(S::Portuguese),
            ..g
        },
        Lang::Russian => ru::PROFILE,
        Lang::Thai => Profile {
            function_words: reviewed!("th"),
            decimal: Point,
            segmentation: Segmentation::Dictionary,
            ..g
        },
        Lang::Tagalog => Profile {
            function_words: reviewed!("tl"),
            function_word_additions: additions!("tl"),
            lexicon: lexicons::TL,
            months: &[MONTHS_EN_ID, calendar::TL],
            month_links: calendar::NG_LINK,
            number_words: numbers::TL,
            decimal: Point,
            ..g
        },
        Lang::Urdu => Profile {
            function_words: FunctionWords::Own(include_str!("../../../data/stopwords/ur.txt")),
            function_word_additions: additions!("ur"),
            lexicon: lexicons::UR,
            months: &[MONTHS_EN_ID, calendar::UR],
            endings: endings::UR,
            number_words: numbers::UR,
            letter_folds: ARABIC_YEH_KAF,
            letter_choices: URDU_HEH,
            decimal: Point,
            ..g
        },
        Lang::Vietnamese => Profile {
            function_words: reviewed!("vi"),
            segmentation: Segmentation::SyllablePairs,
            ..g
        },
        Lang::Mandarin => Profile {
            function_words: reviewed!("zh"),
            lexicon: lexicons::ZH,
            numeric_months: true,
            han_numerals: true,
            decimal: Point,
            segmentation: Segmentation::Dictionary,
            ..g
        },
        // whatlang has no Swahili: Swahili text is detected as Shona, whose profile drops
        // Swahili's function words (`kwa`, `na`, `ya`), as Malay is read as Indonesian.
        Lang::Shona => Profile {
            function_words: reviewed!("sw"),
            function_word_additions: additions!("sw"),
            lexicon: lexicons::SW,
            months: &[MONTHS_EN_ID, calendar::SW],
            number_words: numbers::SW,
            ..g
        },
        Lang::Korean => Profile {
            decimal: Point,
            numeric_months: true,
            han_numerals: true,
            ..g
        },
        Lang::Hebrew => Profile {
            decimal: Point,
            ..g
        },
        Lang::Marathi
        | Lang::Nepali
        | Lang::Gujarati
        | Lang::Punjabi
        | Lang::Oriya
        | Lang::Telugu
        | Lang::Kannada
        | Lang::Malayalam
        | Lang::Sinhalese => Profile {
            decimal: Point,
            ..g
        },
        Lang::Tamil => Profile {
            decimal: Point,
            stemming: Stemming::Snowball(S::Tamil),
            ..g
        },
        Lang::Burmese => Profile {
            decimal: Point,
            segmentation: Segmentation::Dictionary,
            ..g
        },
        Lang::Khmer => Profile {
            segmentation: Segmentation::Dictionary,
            ..g
        },
        Lang::Danish => snowball(g, S::Danish),
        Lang::Dutch => snowball(g, S::Dutch),
        Lang::Finnish => snowball(g, S::Finnish),
        Lang::German => Profile {
            stemming: Stemming::Snowball(S::German),
            months: &[MONTHS_EN_ID, calendar::DE],
            ..g
        },
        Lang::Greek => snowball(g, S::Greek),
        Lang::Hungarian => snowball(g, S::Hungarian),
        Lang::Norwegian => snowball(g, S::Norwegian),
        Lang::Romanian => snowball(g, S::Romanian),
        Lang::Swedish => snowball(g, S::Swedish),
        Lang::Turkish => snowball(g, S::Turkish),
        _ => g,
    }
}

/// A generic profile with a Snowball stemmer.
const fn snowball(g: Profile, s: Snowball) -> Profile {
    Profile {
        stemming: Stemming::Snowball(s),
        ..g
    }
}

/// Every language's profile, in the order of [`Lang::ALL`].
static PROFILES: [Profile; Lang::ALL.len()] = {
    let mut i = 0;
    let mut out = [Profile::generic(Lang::English); Lang::ALL.len()];
    while i < Lang::ALL.len() {
        out[i] = of(Lang::ALL[i]);
        i += 1;
    }
    out
};

/// The profile of a language.
#[inline]
pub(crate) fn profile(lang: Lang) -> &'static Profile {
    &PROFILES[lang as usize]
}

/// Every profile: each language's, then [`UNDETERMINED`].
pub(crate) fn all() -> impl Iterator<Item = &'static Profile> {
    PROFILES.iter().chain(std::iter::once(&UNDETERMINED))
}

/// The profile of a detection's result: the language's, or [`UNDETERMINED`].
#[inline]
pub(crate) fn for_detected(lang: Option<Lang>) -> &'static Profile {
    lang.map_or(&UNDETERMINED, profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_profile() {
        for (i, &l) in Lang::ALL.iter().enumerate() {
            assert_eq!(l as usize, i);
            let p = profile(l);
            assert_eq!(p.lang, Some(l));
            assert_eq!(p.code, l.code());
        }
        assert_eq!(for_detected(None).lang, None);
        assert_eq!(for_detected(None).code, "xx");
    }

    /// Folding keeps every byte offset: each letter is replaced by one of the same UTF-8
    /// length (the analysis folds the text after tokenising it).
    #[test]
    fn letter_folds_keep_byte_lengths() {
        let mut n = 0;
        for p in all() {
            for &(from, to) in p.letter_folds {
                assert_eq!(from.len_utf8(), to.len_utf8(), "{from:?} -> {to:?}");
                assert_eq!(p.folds(from), Some(to));
                assert_eq!(p.folds(to), None, "{to:?} folds again");
                n += 1;
            }
        }
        assert!(n >= 6, "{n}");
        let fa = profile(Lang::Persian);
        assert_eq!(fa.fold_letters("يك"), "یک");
        assert!(matches!(
            fa.fold_letters("یک"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(profile(Lang::Arabic).fold_letters("يك"), "يك");
    }

    #[test]
    fn month_and_number_words() {
        assert_eq!(profile(Lang::English).month("sept"), Some(9));
        assert_eq!(profile(Lang::French).month("januari"), Some(1));
        assert_eq!(profile(Lang::Indonesian).number_word("lima"), Some(5));
        assert_eq!(profile(Lang::English).number_word("seventh"), Some(7));
        assert_eq!(profile(Lang::French).number_word("cinq"), Some(5));
        assert_eq!(profile(Lang::Portuguese).number_word("três"), Some(3));
        assert_eq!(profile(Lang::Spanish).number_word("una"), None);
        assert_eq!(profile(Lang::Italian).number_word("cinque"), None);
        assert_eq!(UNDETERMINED.number_word("five"), None);
    }
}
