//! Number words of Spanish, French and Portuguese, then of Hindi, Urdu, Bengali, Persian,
//! Swahili and Tagalog (Arabic's and Russian's are in their profile files). Without them a
//! cardinal that opens a sentence (`Tres personas murieron`, `Trois morts`) was a capitalised
//! unknown word, so a *name* anchor (`name:tres`), and elsewhere a local word: now it is the
//! number anchor `num:3`, the one English `three` and Indonesian `tiga` give, so a figure
//! written as a word meets the same figure in any language.
//!
//! As for English: the cardinals up to twenty, the tens to fifty, a hundred, and the
//! ordinals up to the tenth. Left out, as the Russian and Arabic tables leave out forms
//! that are also common words: the indefinite article (`un`, `una`, `um`, `uma`), French
//! `neuf` ("new"), `cent` (`pour cent`, per cent) and `second`/`seconde` (a second),
//! Spanish `cuarto` ("room"), `octavo` (`octavos de final`), Portuguese `segundo`
//! ("according to"), `segunda`, `quarta`, `quinta` and `sexta` (weekdays, `segunda-feira`),
//! `quarto` ("room") and `oitavo` (`oitavas de final`). Hundreds and thousands are scale
//! words (`anchors.rs`), read after digits. Words are as lowercased text writes them, with
//! their accents.

/// Spanish.
pub(crate) const ES: &[(&str, u32)] = &[
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
    ("diez", 10),
    ("once", 11),
    ("doce", 12),
    ("trece", 13),
    ("catorce", 14),
    ("quince", 15),
    ("dieciséis", 16),
    ("dieciseis", 16),
    ("diecisiete", 17),
    ("dieciocho", 18),
    ("diecinueve", 19),
    ("veinte", 20),
    ("treinta", 30),
    ("cuarenta", 40),
    ("cincuenta", 50),
    ("cien", 100),
    ("primer", 1),
    ("primero", 1),
    ("primera", 1),
    ("segundo", 2),
    ("segunda", 2),
    ("tercer", 3),
    ("tercero", 3),
    ("tercera", 3),
    ("quinto", 5),
    ("quinta", 5),
    ("sexto", 6),
    ("sexta", 6),
    ("séptimo", 7),
    ("séptima", 7),
    ("noveno", 9),
    ("décimo", 10),
    ("décima", 10),
];

/// French.
pub(crate) const FR: &[(&str, u32)] = &[
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("six", 6),
    ("sept", 7),
    ("huit", 8),
    ("dix", 10),
    ("onze", 11),
    ("douze", 12),
    ("treize", 13),
    ("quatorze", 14),
    ("quinze", 15),
    ("seize", 16),
    ("dix-sept", 17),
    ("dix-huit", 18),
    ("dix-neuf", 19),
    ("vingt", 20),
    ("trente", 30),
    ("quarante", 40),
    ("cinquante", 50),
    ("premier", 1),
    ("première", 1),
    ("deuxième", 2),
    ("troisième", 3),
    ("quatrième", 4),
    ("cinquième", 5),
    ("sixième", 6),
    ("septième", 7),
    ("huitième", 8),
    ("neuvième", 9),
    ("dixième", 10),
];

/// Portuguese (Brazilian and European spellings).
pub(crate) const PT: &[(&str, u32)] = &[
    ("dois", 2),
    ("duas", 2),
    ("três", 3),
    ("quatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("sete", 7),
    ("oito", 8),
    ("nove", 9),
    ("dez", 10),
    ("onze", 11),
    ("doze", 12),
    ("treze", 13),
    ("catorze", 14),
    ("quatorze", 14),
    ("quinze", 15),
    ("dezesseis", 16),
    ("dezasseis", 16),
    ("dezessete", 17),
    ("dezassete", 17),
    ("dezoito", 18),
    ("dezenove", 19),
    ("dezanove", 19),
    ("vinte", 20),
    ("trinta", 30),
    ("quarenta", 40),
    ("cinquenta", 50),
    ("cem", 100),
    ("primeiro", 1),
    ("primeira", 1),
    ("terceiro", 3),
    ("terceira", 3),
    ("sétimo", 7),
    ("sétima", 7),
    ("nono", 9),
    ("nona", 9),
    ("décimo", 10),
    ("décima", 10),
];

// The languages of the built-in dictionaries read without a stemmer: the cardinals from two
// to twenty and the tens to fifty, as for English. `one` is left out in each (`एक`, `ایک`,
// `এক`, `یک`, `moja`, `isa`: also the indefinite article), and so are forms that are other
// common words: Bengali `নয়` ("is not"), Persian `نه` ("no") and `ده` ("village"), Hindi and
// Urdu ordinals (`पहले` is also "before", `दूसरे` "other").

/// Hindi, with the spellings that write a nasal as anusvara or candrabindu (`पांच`, `पाँच`).
pub(crate) const HI: &[(&str, u32)] = &[
    ("दो", 2),
    ("तीन", 3),
    ("चार", 4),
    ("पांच", 5),
    ("पाँच", 5),
    ("छह", 6),
    ("छः", 6),
    ("सात", 7),
    ("आठ", 8),
    ("नौ", 9),
    ("दस", 10),
    ("ग्यारह", 11),
    ("बारह", 12),
    ("तेरह", 13),
    ("चौदह", 14),
    ("पंद्रह", 15),
    ("पन्द्रह", 15),
    ("सोलह", 16),
    ("सत्रह", 17),
    ("अठारह", 18),
    ("उन्नीस", 19),
    ("बीस", 20),
    ("तीस", 30),
    ("चालीस", 40),
    ("पचास", 50),
];

/// Urdu.
pub(crate) const UR: &[(&str, u32)] = &[
    ("دو", 2),
    ("تین", 3),
    ("چار", 4),
    ("پانچ", 5),
    ("چھ", 6),
    ("سات", 7),
    ("آٹھ", 8),
    ("نو", 9),
    ("دس", 10),
    ("گیارہ", 11),
    ("بارہ", 12),
    ("تیرہ", 13),
    ("چودہ", 14),
    ("پندرہ", 15),
    ("سولہ", 16),
    ("سترہ", 17),
    ("اٹھارہ", 18),
    ("انیس", 19),
    ("بیس", 20),
    ("تیس", 30),
    ("چالیس", 40),
    ("پچاس", 50),
];

/// Bengali, with the classifier forms news writes for a count (`দুটি`, `তিনজন`).
pub(crate) const BN: &[(&str, u32)] = &[
    ("দুই", 2),
    ("দুটি", 2),
    ("দুটো", 2),
    ("দুজন", 2),
    ("তিন", 3),
    ("তিনটি", 3),
    ("তিনজন", 3),
    ("চার", 4),
    ("চারটি", 4),
    ("চারজন", 4),
    ("পাঁচ", 5),
    ("পাঁচটি", 5),
    ("পাঁচজন", 5),
    ("ছয়", 6),
    ("ছয়টি", 6),
    ("ছয়জন", 6),
    ("সাত", 7),
    ("সাতটি", 7),
    ("সাতজন", 7),
    ("আট", 8),
    ("আটটি", 8),
    ("আটজন", 8),
    ("নয়টি", 9),
    ("নয়জন", 9),
    ("দশ", 10),
    ("দশটি", 10),
    ("দশজন", 10),
    ("এগারো", 11),
    ("বারো", 12),
    ("তেরো", 13),
    ("চৌদ্দ", 14),
    ("চোদ্দ", 14),
    ("পনেরো", 15),
    ("ষোলো", 16),
    ("ষোল", 16),
    ("সতেরো", 17),
    ("আঠারো", 18),
    ("উনিশ", 19),
    ("বিশ", 20),
    ("ত্রিশ", 30),
    ("তিরিশ", 30),
    ("চল্লিশ", 40),
    ("পঞ্চাশ", 50),
];

/// Persian.
pub(crate) const FA: &[(&str, u32)] = &[
    ("دو", 2),
    ("سه", 3),
    ("چهار", 4),
    ("پنج", 5),
    ("شش", 6),
    ("هفت", 7),
    ("هشت", 8),
    ("یازده", 11),
    ("دوازده", 12),
    ("سیزده", 13),
    ("چهارده", 14),
    ("پانزده", 15),
    ("شانزده", 16),
    ("هفده", 17),
    ("هجده", 18),
    ("هیجده", 18),
    ("نوزده", 19),
    ("بیست", 20),
    ("سی", 30),
    ("چهل", 40),
    ("پنجاه", 50),
];

/// Swahili, with the forms that agree with people (`watu wawili`, two people).
pub(crate) const SW: &[(&str, u32)] = &[
    ("mbili", 2),
    ("wawili", 2),
    ("tatu", 3),
    ("watatu", 3),
    ("nne", 4),
    ("wanne", 4),
    ("tano", 5),
    ("watano", 5),
    ("sita", 6),
    ("saba", 7),
    ("nane", 8),
    ("wanane", 8),
    ("tisa", 9),
    ("kumi", 10),
    ("ishirini", 20),
    ("thelathini", 30),
    ("arobaini", 40),
    ("hamsini", 50),
];

/// Tagalog, with the forms that take the linker `-ng` (`dalawang tao`, two people).
pub(crate) const TL: &[(&str, u32)] = &[
    ("dalawa", 2),
    ("dalawang", 2),
    ("tatlo", 3),
    ("tatlong", 3),
    ("apat", 4),
    ("lima", 5),
    ("limang", 5),
    ("anim", 6),
    ("pito", 7),
    ("pitong", 7),
    ("walo", 8),
    ("walong", 8),
    ("siyam", 9),
    ("sampu", 10),
    ("sampung", 10),
    ("dalawampu", 20),
    ("dalawampung", 20),
    ("tatlumpu", 30),
    ("tatlumpung", 30),
    ("apatnapu", 40),
    ("limampu", 50),
];

#[cfg(test)]
mod tests {
    use crate::analysis::normalize::normalize;
    use crate::analysis::profile::profile;
    use crate::Lang;

    /// Every profile's number words are written as normalisation and lowercasing leave text
    /// (a word written otherwise would never be read), and none is one of its language's
    /// function words, which a list might hold (`دو`, `تین`).
    #[test]
    fn number_words_are_read_as_written_and_are_no_function_words() {
        let mut n = 0;
        for &lang in Lang::ALL {
            let p = profile(lang);
            for &(w, v) in p.number_words {
                assert_eq!(normalize(w).to_lowercase(), w, "{lang}: {w:?}");
                assert!(!p.is_stopword(w), "{lang}: {w:?} is a function word");
                assert!((1..=1000).contains(&v), "{lang}: {w:?}");
                n += 1;
            }
        }
        assert!(n > 300, "{n}");
    }
}
