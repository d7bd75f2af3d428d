//! Inflectional endings of the languages read without a stemmer whose dictionaries list base
//! forms: Bengali, Hindi, Urdu and Persian. A word no entry knows is tried without one of its
//! language's endings, with the base form's own ending put back where the grammar replaces
//! one (Hindi `बताया` "told" → `बताना` "to tell"; Urdu `بڑے` → `بڑا`), and taken only when
//! the result is an entry ([`crate::analysis::stem::without_ending`]). The dictionaries'
//! `inflections.tsv` list the forms news writes most; these rules reach the rest, as a light
//! stemmer does, without ever making a word the dictionary does not know.
//!
//! Written by the project from the grammar of each language: `(ending, replacement)`, longest
//! ending first (a unit test checks), each ending as normalisation leaves it.

/// Bengali nouns: plural and classifier suffixes, case endings, and the emphatic `ও` ("also")
/// after a case ending (`দেশেও`) or on its own (`সরকারও`, `শিক্ষার্থীরাও`, `শিক্ষকদেরও`). Nouns
/// only: verb forms are the dictionary's.
pub(crate) const BN: &[(&str, &str)] = &[
    ("গুলোকে", ""),
    ("গুলিকে", ""),
    ("গুলোতে", ""),
    ("গুলিতে", ""),
    ("দেরকে", ""),
    ("গুলোও", ""),
    ("গুলিও", ""),
    ("গুলোর", ""),
    ("গুলির", ""),
    ("গুলো", ""),
    ("গুলি", ""),
    ("টিকে", ""),
    ("টিতে", ""),
    ("টাকে", ""),
    ("দেরও", ""),
    ("েরও", ""),
    ("েতে", ""),
    ("দের", ""),
    ("টির", ""),
    ("টার", ""),
    ("েরা", ""),
    ("রাও", ""),
    ("টিও", ""),
    ("কেও", ""),
    ("তেও", ""),
    ("টি", ""),
    ("টা", ""),
    ("কে", ""),
    ("তে", ""),
    ("ের", ""),
    ("েও", ""),
    ("রা", ""),
    ("এর", ""),
    ("য়", ""),
    ("র", ""),
    ("ে", ""),
    ("ও", ""),
];

/// Hindi: nouns and adjectives (oblique and plural forms, of nouns in long `ी` and short `ि`
/// alike: `बीमारियों`, `प्रतिनिधियों`; feminine adjectives), then verbs into the infinitive the
/// dictionary lists (`बताया`, `बताते`, `बताने`, `बताकर` → `बताना`).
pub(crate) const HI: &[(&str, &str)] = &[
    ("ाइयों", "ाई"),
    ("ाइयां", "ाई"),
    ("ाइयाँ", "ाई"),
    ("ियों", "ी"),
    ("ियों", "ि"),
    ("ियां", "ी"),
    ("ियां", "ि"),
    ("ियाँ", "ी"),
    ("ियाँ", "ि"),
    ("एंगे", "ना"),
    ("ेंगे", "ना"),
    ("ाओं", "ा"),
    ("ाएं", "ा"),
    ("ाएँ", "ा"),
    ("एगा", "ना"),
    ("एगी", "ना"),
    ("ेगा", "ना"),
    ("ेगी", "ना"),
    ("ओं", ""),
    ("ों", ""),
    ("ों", "ा"),
    ("ें", ""),
    ("या", "ना"),
    ("ये", "ना"),
    ("यी", "ना"),
    ("ता", "ना"),
    ("ती", "ना"),
    ("ते", "ना"),
    ("ने", "ना"),
    ("कर", "ना"),
    ("एं", "ना"),
    ("एँ", "ना"),
    ("े", "ा"),
    ("ी", "ा"),
    ("ा", "ना"),
    ("ी", "ना"),
    ("े", "ना"),
    ("ई", "ना"),
    ("ए", "ना"),
];

/// Urdu, as Hindi: nouns and adjectives, then verbs into the infinitive (`بتایا` → `بتانا`).
pub(crate) const UR: &[(&str, &str)] = &[
    ("ئیں", "نا"),
    ("یوں", "ی"),
    ("اؤں", "ا"),
    ("ےگا", "نا"),
    ("ےگی", "نا"),
    ("وں", ""),
    ("وں", "ا"),
    ("یں", ""),
    ("یا", "نا"),
    ("ئے", "نا"),
    ("ئی", "نا"),
    ("تا", "نا"),
    ("تی", "نا"),
    ("تے", "نا"),
    ("نے", "نا"),
    ("کر", "نا"),
    ("ے", "ا"),
    ("ی", "ا"),
    ("ا", "نا"),
    ("ی", "نا"),
    ("ے", "نا"),
];

/// Persian nouns: plural suffixes (written joined, as normalisation removes the zero-width
/// non-joiner), the ezafe and indefinite `ی`, and the possessives `اش`, `شان`.
pub(crate) const FA: &[(&str, &str)] = &[
    ("هایشان", ""),
    ("هایش", ""),
    ("هایی", ""),
    ("های", ""),
    ("شان", ""),
    ("ها", ""),
    ("ان", ""),
    ("ات", ""),
    ("ای", ""),
    ("اش", ""),
    ("ی", ""),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize::normalize;

    #[test]
    fn endings_are_longest_first_and_as_normalisation_leaves_them() {
        for table in [BN, HI, UR, FA] {
            for w in table.windows(2) {
                let len = |s: &str| s.chars().count();
                assert!(len(w[0].0) >= len(w[1].0), "{:?} before {:?}", w[0], w[1]);
            }
            for &(e, r) in table {
                assert!(!e.is_empty());
                assert_eq!(normalize(e), e, "{e:?}");
                assert_eq!(normalize(r), r, "{r:?}");
            }
        }
    }
}
