//! Month names of the languages whose dates are read beside English and Indonesian ones:
//! Russian, Arabic, Persian, Hindi, Urdu, Bengali, Swahili, Tagalog, French, Spanish,
//! Portuguese and German. Chinese, Japanese and Korean write a month as a number (`3月15日`,
//! `3월 15일`): [`NUMERIC_MONTH`] and [`NUMERIC_DAY`]. Written by the
//! project from knowledge of the languages, lowercase and in the form normalisation gives
//! (a unit test checks), with the forms a day takes (Russian genitive: `31 декабря`) and the
//! common abbreviations that do not collide with other words.
//!
//! Only the Gregorian calendar: a `date:MM-DD` anchor is a Gregorian month and day. Persian
//! news also dates by the Solar Hijri calendar (فروردین … اسفند) and Arabic by the Hijri one;
//! their days fall on different Gregorian dates each year, so they are not listed.

/// Russian: nominative and genitive, and abbreviations.
pub(crate) const RU: &[(&str, u32)] = &[
    ("январь", 1),
    ("января", 1),
    ("янв", 1),
    ("февраль", 2),
    ("февраля", 2),
    ("фев", 2),
    ("февр", 2),
    ("март", 3),
    ("марта", 3),
    ("апрель", 4),
    ("апреля", 4),
    ("апр", 4),
    ("май", 5),
    ("мая", 5),
    ("июнь", 6),
    ("июня", 6),
    ("июль", 7),
    ("июля", 7),
    ("август", 8),
    ("августа", 8),
    ("авг", 8),
    ("сентябрь", 9),
    ("сентября", 9),
    ("сент", 9),
    ("октябрь", 10),
    ("октября", 10),
    ("окт", 10),
    ("ноябрь", 11),
    ("ноября", 11),
    ("нояб", 11),
    ("декабрь", 12),
    ("декабря", 12),
    ("дек", 12),
];

/// Arabic: the Gregorian names of Egypt and the Gulf (with the spellings of April, June, July
/// and October that news uses) and the Syriac names of the Levant and Iraq that are one word
/// (كانون الثاني, تشرين الأول … are two and are not read).
pub(crate) const AR: &[(&str, u32)] = &[
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("شباط", 2),
    ("آذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("أيلول", 9),
];

/// Persian: the Gregorian names (from French) used for dates abroad. `می` (May, from
/// English) is left out: it is also the verb prefix `می`, written apart in some text.
pub(crate) const FA: &[(&str, u32)] = &[
    ("ژانویه", 1),
    ("فوریه", 2),
    ("مارس", 3),
    ("آوریل", 4),
    ("مه", 5),
    ("ژوئن", 6),
    ("ژوئیه", 7),
    ("جولای", 7),
    ("اوت", 8),
    ("آگوست", 8),
    ("سپتامبر", 9),
    ("اکتبر", 10),
    ("نوامبر", 11),
    ("دسامبر", 12),
];

/// Hindi, with the spellings that write a nasal as anusvara or as a half consonant (सितंबर,
/// सितम्बर) and फ़रवरी with and without its nukta (normalisation writes the nukta apart).
pub(crate) const HI: &[(&str, u32)] = &[
    ("जनवरी", 1),
    ("फरवरी", 2),
    ("फ\u{93c}रवरी", 2),
    ("मार्च", 3),
    ("अप्रैल", 4),
    ("मई", 5),
    ("जून", 6),
    ("जुलाई", 7),
    ("अगस्त", 8),
    ("सितंबर", 9),
    ("सितम्बर", 9),
    ("अक्टूबर", 10),
    ("अक्तूबर", 10),
    ("नवंबर", 11),
    ("नवम्बर", 11),
    ("दिसंबर", 12),
    ("दिसम्बर", 12),
];

/// French, with the abbreviations of the press (`janv.`, `févr.`) and `aout` without its
/// accent.
pub(crate) const FR: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
];

/// Spanish (Latin America writes `setiembre` too), with the abbreviations English lacks.
pub(crate) const ES: &[(&str, u32)] = &[
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("ago", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("dic", 12),
];

/// Portuguese. The abbreviations are left out: `dez` is also "ten", `set` and `out` are
/// English words in Portuguese text.
pub(crate) const PT: &[(&str, u32)] = &[
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("marco", 3),
    ("abril", 4),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("agosto", 8),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
];

/// German (Austria writes `Jänner`), with the abbreviations English lacks.
pub(crate) const DE: &[(&str, u32)] = &[
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mär", 3),
    ("april", 4),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("august", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("dezember", 12),
    ("dez", 12),
];

/// Urdu, with `مئی` also written without its final yeh.
pub(crate) const UR: &[(&str, u32)] = &[
    ("جنوری", 1),
    ("فروری", 2),
    ("مارچ", 3),
    ("اپریل", 4),
    ("مئی", 5),
    ("مئ", 5),
    ("جون", 6),
    ("جولائی", 7),
    ("اگست", 8),
    ("ستمبر", 9),
    ("اکتوبر", 10),
    ("نومبر", 11),
    ("دسمبر", 12),
];

/// Bengali, with the spellings that end in a long or a short i (`জানুয়ারি`, `জানুয়ারী`) and
/// the genitive and locative a day takes (`১৫ মার্চের মধ্যে`, "by 15 March"; `১৫ মার্চে`).
pub(crate) const BN: &[(&str, u32)] = &[
    ("জানুয়ারি", 1),
    ("জানুয়ারী", 1),
    ("জানুয়ারির", 1),
    ("জানুয়ারীর", 1),
    ("জানুয়ারিতে", 1),
    ("ফেব্রুয়ারি", 2),
    ("ফেব্রুয়ারী", 2),
    ("ফেব্রুয়ারির", 2),
    ("ফেব্রুয়ারীর", 2),
    ("ফেব্রুয়ারিতে", 2),
    ("মার্চ", 3),
    ("মার্চের", 3),
    ("মার্চে", 3),
    ("এপ্রিল", 4),
    ("এপ্রিলের", 4),
    ("এপ্রিলে", 4),
    ("মে", 5),
    ("মের", 5),
    ("জুন", 6),
    ("জুনের", 6),
    ("জুনে", 6),
    ("জুলাই", 7),
    ("জুলাইয়ের", 7),
    ("জুলাইয়ে", 7),
    ("আগস্ট", 8),
    ("আগষ্ট", 8),
    ("আগস্টের", 8),
    ("আগস্টে", 8),
    ("সেপ্টেম্বর", 9),
    ("সেপ্টেম্বরের", 9),
    ("সেপ্টেম্বরে", 9),
    ("অক্টোবর", 10),
    ("অক্টোবরের", 10),
    ("অক্টোবরে", 10),
    ("নভেম্বর", 11),
    ("নভেম্বরের", 11),
    ("নভেম্বরে", 11),
    ("ডিসেম্বর", 12),
    ("ডিসেম্বরের", 12),
    ("ডিসেম্বরে", 12),
];

/// Swahili (`tarehe 15 Machi`). January, February, May and June are also the Indonesian
/// spellings.
pub(crate) const SW: &[(&str, u32)] = &[
    ("januari", 1),
    ("februari", 2),
    ("mei", 5),
    ("juni", 6),
    ("machi", 3),
    ("aprili", 4),
    ("julai", 7),
    ("agosti", 8),
    ("septemba", 9),
    ("oktoba", 10),
    ("novemba", 11),
    ("desemba", 12),
];

/// Tagalog: the Filipino spellings and the Spanish ones the press also writes.
/// `ika-15 ng Marso` links the day to its month with `ng` ([`NG_LINK`]).
pub(crate) const TL: &[(&str, u32)] = &[
    ("enero", 1),
    ("pebrero", 2),
    ("febrero", 2),
    ("marso", 3),
    ("abril", 4),
    ("mayo", 5),
    ("hunyo", 6),
    ("junio", 6),
    ("hulyo", 7),
    ("julio", 7),
    ("agosto", 8),
    ("setyembre", 9),
    ("septiyembre", 9),
    ("septiembre", 9),
    ("oktubre", 10),
    ("octubre", 10),
    ("nobyembre", 11),
    ("noviembre", 11),
    ("disyembre", 12),
    ("diciembre", 12),
];

/// The word that links a day to its month in Tagalog (`ika-15 ng Marso`).
pub(crate) const NG_LINK: &[&str] = &["ng"];

/// The character that follows a month's number in Chinese and Japanese (`3月`) and Korean
/// (`3월`): the number before it is the month when the next number is its day.
pub(crate) const NUMERIC_MONTH: &[&str] = &["月", "월"];

/// The character that follows a year's number in Chinese and Japanese (`2020年`; Korean's
/// `2020년` is one token, read as a year by its ending).
pub(crate) const NUMERIC_YEAR: &[&str] = &["年"];

/// The characters that may follow the day's number (`15日`, `15号`, `15일`).
pub(crate) const NUMERIC_DAY: &[&str] = &["日", "号", "號", "일"];

/// The word that links a day to its month in Spanish and Portuguese (`5 de marzo`).
pub(crate) const DE_LINK: &[&str] = &["de"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize::normalize;

    #[test]
    fn month_names_are_written_as_normalisation_leaves_them() {
        for table in [RU, AR, FA, HI, UR, BN, SW, TL, FR, ES, PT, DE] {
            for &(w, m) in table {
                assert_eq!(normalize(w).to_lowercase(), w, "{w:?}");
                assert!((1..=12).contains(&m), "{w}");
            }
        }
    }
}
