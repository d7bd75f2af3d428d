//! Stage 6: stemming.
//!
//! English and the 17 other Snowball languages of rust-stemmers go through
//! [`SnowballStemmer`]; a language's profile names its algorithm ([`Snowball`]). Indonesian, which rust-stemmers lacks, has a morphological analyser
//! written here ([`indonesian_candidates`]): it strips particles, possessives, suffixes,
//! prefixes (restoring the consonant a nasal prefix dropped) and confixes, and yields candidate
//! roots from the least to the most stripped; the concept stage accepts the first candidate its
//! lexicon knows.

use super::profile::{profile, Proclitics};
use crate::Lang;
use rust_stemmers::{Algorithm, Stemmer};

/// A Snowball stemmer for one language (a wrapper: rust-stemmers types stay here).
///
/// Its language's proclitics ([`Proclitics`]) are stripped first: Arabic `والبحث`, `للأسر`,
/// which the Snowball algorithm leaves on.
pub(crate) struct SnowballStemmer(Stemmer, Proclitics);

/// The Snowball algorithms of rust-stemmers, named by lintas (a language's profile picks one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Snowball {
    Arabic,
    Danish,
    Dutch,
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
}

impl SnowballStemmer {
    /// The stemmer of one algorithm.
    pub fn new(alg: Snowball) -> SnowballStemmer {
        let alg = match alg {
            Snowball::Arabic => Algorithm::Arabic,
            Snowball::Danish => Algorithm::Danish,
            Snowball::Dutch => Algorithm::Dutch,
            Snowball::English => Algorithm::English,
            Snowball::Finnish => Algorithm::Finnish,
            Snowball::French => Algorithm::French,
            Snowball::German => Algorithm::German,
            Snowball::Greek => Algorithm::Greek,
            Snowball::Hungarian => Algorithm::Hungarian,
            Snowball::Italian => Algorithm::Italian,
            Snowball::Norwegian => Algorithm::Norwegian,
            Snowball::Portuguese => Algorithm::Portuguese,
            Snowball::Romanian => Algorithm::Romanian,
            Snowball::Russian => Algorithm::Russian,
            Snowball::Spanish => Algorithm::Spanish,
            Snowball::Swedish => Algorithm::Swedish,
            Snowball::Tamil => Algorithm::Tamil,
            Snowball::Turkish => Algorithm::Turkish,
        };
        SnowballStemmer(Stemmer::create(alg), Proclitics::None)
    }

    /// The stemmer of a language's profile, if it names a Snowball algorithm.
    pub fn for_lang(lang: Lang) -> Option<SnowballStemmer> {
        let p = profile(lang);
        p.snowball()
            .map(|alg| SnowballStemmer(SnowballStemmer::new(alg).0, p.proclitics))
    }

    /// Stems a lowercase word.
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        self.0.stem(without_proclitics(self.1, word))
    }
}

/// An Arabic word without its proclitics, as light stemmers read it (Larkey's light10): the
/// conjunction `و` when three letters remain, then the article with what is glued before it
/// (`ال`, `وال`, `بال`, `كال`, `فال`, `لل`) when two remain. Snowball's Arabic algorithm strips
/// the article only from long words and never after `و`, so `والبحث` and `البحث`, `السكني`
/// and `سكني` stemmed apart. Every form of a word loses the same letters.
pub(crate) fn arabic_proclitics(word: &str) -> &str {
    fn letters(s: &str) -> usize {
        s.chars().count()
    }
    let mut w = word;
    if let Some(rest) = w.strip_prefix('و') {
        if letters(rest) >= 3 {
            w = rest;
        }
    }
    for article in ["وال", "بال", "كال", "فال", "لل", "ال"] {
        if let Some(rest) = w.strip_prefix(article) {
            if letters(rest) >= 2 {
                return rest;
            }
        }
    }
    w
}

/// A word without the proclitics its language glues on (`Proclitics::Arabic`: `المالية` →
/// `مالية`), the word itself otherwise: what an exact dictionary lookup tries before the
/// Snowball stem, which would also strip derivational suffixes (`مالية` "financial" and `مال`
/// "money" share the stem `مال`).
pub(crate) fn without_proclitics(proclitics: Proclitics, word: &str) -> &str {
    match proclitics {
        Proclitics::None => word,
        Proclitics::Arabic => arabic_proclitics(word),
    }
}

/// An Arabic word without a glued preposition (`ب` with, `ل` for, `ك` as), after an optional
/// conjunction (`و`, `ف`), when at least three letters remain (`لزيادة` → `زيادة`, `وبقوة` →
/// `قوة`); `None` for another language or a word without one. Light stemmers strip these
/// only before the article; a word that begins with one of these letters is as common, so the
/// analysis tries the rest only when the whole word is no dictionary entry, and takes it only
/// when the rest is one.
pub(crate) fn glued_preposition(proclitics: Proclitics, word: &str) -> Option<&str> {
    if proclitics != Proclitics::Arabic {
        return None;
    }
    let rest = |w: &str| w.chars().count() >= 3;
    let w = word
        .strip_prefix(['و', 'ف'])
        .filter(|r| rest(r))
        .unwrap_or(word);
    w.strip_prefix(['ب', 'ل', 'ك']).filter(|r| rest(r))
}

/// The first entry `lookup` finds for `word` without one of `endings` (`(ending,
/// replacement)`, longest ending first: [`crate::analysis::profile::endings`]), the
/// replacement put in its place, when at least three characters remain before it (fewer read
/// too many words as another: Bengali `মাটির` "of the soil" as `মা` "mother") (`সরকারের` →
/// `সরকার`, Hindi `बताया` → `बताना`). `None` when no ending applies or no result is an entry:
/// a word is never reduced to something the dictionary does not know.
pub(crate) fn without_ending<T>(
    endings: &[(&str, &str)],
    word: &str,
    mut lookup: impl FnMut(&str) -> Option<T>,
) -> Option<T> {
    let mut base = String::new();
    for &(ending, replacement) in endings {
        let Some(rest) = word.strip_suffix(ending) else {
            continue;
        };
        if rest.chars().nth(2).is_none() {
            continue;
        }
        base.clear();
        base.push_str(rest);
        base.push_str(replacement);
        if let Some(t) = lookup(&base) {
            return Some(t);
        }
    }
    None
}

impl std::fmt::Debug for SnowballStemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SnowballStemmer")
    }
}

const PARTICLES: &[&str] = &["lah", "kah", "tah", "pun"];
const POSSESSIVES: &[&str] = &["nya", "ku", "mu"];
const SUFFIXES: &[&str] = &["kan", "an", "i"];

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Pushes onto `out` the roots a prefix may hide, with nasal restoration (`me-`/`pe-` drop
/// the first consonant of some roots: `menulis` → `tulis`).
fn strip_prefix(w: &str, out: &mut Vec<String>) {
    let b = w.as_bytes();
    let starts = |p: &str| w.starts_with(p) && w.len() > p.len() + 1;
    let rest = |n: usize| &w[n..];
    let first_after = |n: usize| b.get(n).copied().unwrap_or(0);

    // Plain prefixes that keep the root intact.
    for p in ["di", "ke", "se"] {
        if starts(p) {
            out.push(rest(p.len()).to_string());
        }
    }
    for p in ["memper", "diper", "keber", "seper"] {
        if starts(p) {
            out.push(rest(p.len()).to_string());
        }
    }
    if starts("ber") {
        out.push(rest(3).to_string());
    }
    if starts("be") && !starts("ber") {
        out.push(rest(2).to_string()); // be+kerja, be+ternak (ber- loses its r before -er-)
    }
    if starts("be") && first_after(2) == b'r' {
        out.push(rest(2).to_string()); // be+rencana
    }
    if starts("bel") && rest(3).starts_with("ajar") {
        out.push(rest(3).to_string());
    }
    if starts("ter") {
        out.push(rest(3).to_string());
        if first_after(3) == b'r' {
            out.push(rest(2).to_string());
        }
    }
    if starts("per") {
        out.push(rest(3).to_string());
    }
    if starts("pel") && rest(3).starts_with("ajar") {
        out.push(rest(3).to_string());
    }
    // me-/pe- with nasal assimilation.
    for (p, is_me) in [("me", true), ("pe", false)] {
        if !starts(p) {
            continue;
        }
        let r = rest(2);
        let rb = r.as_bytes();
        if r.starts_with("ng") && r.len() > 3 {
            let x = &r[2..];
            if x.starts_with('e') && x.len() > 3 {
                out.push(x[1..].to_string()); // menge+bom → bom (monosyllabic roots)
            }
            out.push(x.to_string()); // meng+ambil → ambil, meng+gunakan → gunakan
            if is_vowel(x.as_bytes()[0]) {
                out.push(format!("k{x}")); // meng+irim → kirim
            }
        } else if r.starts_with("ny") && r.len() > 3 {
            let x = &r[2..];
            out.push(format!("s{x}")); // meny+atu → satu
            out.push(r.to_string()); // me+nyanyi
        } else if r.starts_with('m') && r.len() > 2 {
            let x = &r[1..];
            if x.starts_with('b') || x.starts_with('f') || x.starts_with('v') {
                out.push(x.to_string()); // mem+bangun
            } else if is_vowel(x.as_bytes()[0]) {
                out.push(format!("p{x}")); // mem+akai → pakai
                out.push(r.to_string()); // me+makan
            } else if x.starts_with('p') {
                out.push(x.to_string()); // mem+perkuat → perkuat
            } else {
                out.push(r.to_string());
            }
        } else if r.starts_with('n') && r.len() > 2 {
            let x = &r[1..];
            let xb = x.as_bytes()[0];
            if matches!(xb, b'd' | b'c' | b'j' | b'z' | b't' | b's') {
                out.push(x.to_string()); // men+dukung, men+cari
            } else if is_vowel(xb) {
                out.push(format!("t{x}")); // men+ulis → tulis
                out.push(r.to_string()); // me+nanti
            } else {
                out.push(r.to_string());
            }
        } else if !rb.is_empty() && matches!(rb[0], b'l' | b'r' | b'w' | b'y') {
            out.push(r.to_string()); // me+lihat, pe+rasa
        } else if !is_me && r.starts_with('r') {
            out.push(r[1..].to_string());
        } else if !rb.is_empty() && !is_me && !is_vowel(rb[0]) {
            out.push(r.to_string()); // pe+kerja
        }
    }
}

/// Candidate roots of an Indonesian word, least stripped first. The word itself comes first.
///
/// ```text
/// pengembangan → … pengembang, kembangan, embangan, kembang …
/// ```
pub(crate) fn indonesian_candidates(word: &str) -> Vec<String> {
    let mut cands: Vec<String> = Vec::with_capacity(24);
    cands.push(word.to_string());
    // Inflectional suffixes: particle, then possessive.
    let mut bases: Vec<String> = vec![word.to_string()];
    for p in PARTICLES {
        if let Some(s) = word.strip_suffix(p) {
            if s.len() >= 3 {
                bases.push(s.to_string());
            }
        }
    }
    let n = bases.len();
    for i in 0..n {
        for p in POSSESSIVES {
            if let Some(s) = bases[i].strip_suffix(p) {
                if s.len() >= 3 {
                    bases.push(s.to_string());
                }
            }
        }
    }
    // Derivational suffixes.
    let n = bases.len();
    for i in 0..n {
        for s in SUFFIXES {
            if let Some(r) = bases[i].strip_suffix(s) {
                if r.len() >= 3 {
                    bases.push(r.to_string());
                }
            }
        }
    }
    // Prefixes (up to two layers), on every base.
    let mut layer1 = Vec::new();
    for b in &bases {
        if !cands.contains(b) {
            cands.push(b.clone());
        }
    }
    for b in &bases {
        strip_prefix(b, &mut layer1);
    }
    let mut layer2 = Vec::new();
    for r in &layer1 {
        strip_prefix(r, &mut layer2);
    }
    for r in layer1.into_iter().chain(layer2) {
        if r.len() >= 2 && !cands.contains(&r) {
            cands.push(r);
        }
    }
    cands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_contain_the_root() {
        let table = [
            ("pengembangan", "kembang"),
            ("penelitian", "teliti"),
            ("meneliti", "teliti"),
            ("memperdalam", "dalam"),
            ("kemitraan", "mitra"),
            ("membatalkan", "batal"),
            ("mendirikan", "diri"),
            ("menyediakan", "sedia"),
            ("mengirimkan", "kirim"),
            ("mengambil", "ambil"),
            ("memakai", "pakai"),
            ("menulis", "tulis"),
            ("meningkatkan", "tingkat"),
            ("berpartisipasi", "partisipasi"),
            ("kepemilikan", "milik"),
            ("perdagangan", "dagang"),
            ("pertumbuhan", "tumbuh"),
            ("dihadiri", "hadir"),
            ("terintegrasi", "integrasi"),
            ("pembayaran", "bayar"),
            ("perekonomian", "ekonomi"),
            ("investasinya", "investasi"),
            ("menciptakan", "cipta"),
            ("menggunakan", "guna"),
            ("bukankah", "bukan"),
            ("rumahnyalah", "rumah"),
            ("menyatakan", "nyata"),
            ("berencana", "rencana"),
            ("pelajar", "ajar"),
            ("bekerja", "kerja"),
        ];
        for (word, root) in table {
            let c = indonesian_candidates(word);
            assert!(c.iter().any(|x| x == root), "{word}: {root} not in {c:?}");
            assert_eq!(c[0], word);
        }
    }

    #[test]
    fn short_words_are_not_shredded() {
        for w in ["di", "ke", "dia", "ibu", "api"] {
            let c = indonesian_candidates(w);
            assert!(c.iter().all(|x| x.len() >= 2), "{w}: {c:?}");
        }
        assert!(indonesian_candidates("").iter().all(|x| x.is_empty()));
    }

    #[test]
    fn arabic_words_lose_their_proclitics() {
        for (w, bare) in [
            ("والبحث", "بحث"),
            ("البحث", "بحث"),
            ("بالإسكندرية", "إسكندرية"),
            ("للأسر", "أسر"),
            ("وقال", "قال"),
            ("وطن", "وطن"),
            ("ال", "ال"),
            ("قارب", "قارب"),
        ] {
            assert_eq!(arabic_proclitics(w), bare, "{w}");
        }
        let s = SnowballStemmer::for_lang(Lang::Arabic).unwrap();
        assert_eq!(s.stem("والبحث"), s.stem("البحث"));
        assert_eq!(s.stem("السكني"), s.stem("سكني"));
        // Other languages' stemmers strip nothing.
        let fr = SnowballStemmer::for_lang(Lang::French).unwrap();
        assert_eq!(
            fr.stem("allée"),
            SnowballStemmer::new(Snowball::French).stem("allée")
        );
    }

    #[test]
    fn glued_prepositions_come_off_only_arabic_words_long_enough() {
        for (w, rest) in [
            ("لزيادة", Some("زيادة")),
            ("بقوة", Some("قوة")),
            ("وبقوة", Some("قوة")),
            ("كمصدر", Some("مصدر")),
            ("بيت", None),
            ("قوة", None),
            ("ولد", None),
        ] {
            assert_eq!(glued_preposition(Proclitics::Arabic, w), rest, "{w}");
        }
        assert_eq!(glued_preposition(Proclitics::None, "لزيادة"), None);
    }

    /// The analysis takes the rest only when the dictionary knows it: `لزيادة` (for an
    /// increase) reads as `increase`, a word whose rest no entry knows stays itself.
    #[test]
    fn an_arabic_word_with_a_glued_preposition_finds_its_entry() {
        let a = crate::Analyzer::new();
        let feats = |t: &str| crate::analysis::labels_as(&a, t, Lang::Arabic);
        let glued = feats("لزيادة");
        assert_eq!(glued, feats("زيادة"), "{glued:?}");
        assert!(glued.iter().all(|l| !l.starts_with("ar:")), "{glued:?}");
    }

    /// A word with its article is looked up without it before it is stemmed: `المالية`
    /// "the financial" is the entry `مالية` (finance), not `مال` (money), with which Snowball
    /// gives it one stem; `المال` "the money" still reads as money.
    #[test]
    fn an_arabic_word_without_its_article_is_looked_up_before_its_stem() {
        assert_eq!(without_proclitics(Proclitics::Arabic, "المالية"), "مالية");
        assert_eq!(without_proclitics(Proclitics::None, "المالية"), "المالية");
        let s = SnowballStemmer::for_lang(Lang::Arabic).unwrap();
        assert_eq!(
            s.stem("المالية"),
            s.stem("مال"),
            "the collision this guards against"
        );
        let a = crate::Analyzer::new();
        let feats = |t: &str| crate::analysis::labels_as(&a, t, Lang::Arabic);
        assert_eq!(feats("المالية"), feats("مالية"));
        assert_eq!(feats("المال"), feats("مال"));
        assert_ne!(feats("المالية"), feats("المال"));
        assert!(feats("المالية").iter().all(|l| !l.starts_with("ar:")));
    }

    #[test]
    fn an_ending_comes_off_only_to_an_entry_of_three_characters_or_more() {
        let entries = ["বাস", "बताना", "ab"];
        let lookup = |w: &str| entries.contains(&w).then(|| w.to_string());
        let endings: &[(&str, &str)] = &[("গুলিতে", ""), ("या", "ना"), ("ে", ""), ("c", "")];
        assert_eq!(
            without_ending(endings, "বাসগুলিতে", lookup).as_deref(),
            Some("বাস")
        );
        assert_eq!(
            without_ending(endings, "बताया", lookup).as_deref(),
            Some("बताना")
        );
        // No entry: the word stays itself; too short a rest is never tried.
        assert_eq!(without_ending(endings, "ভাসে", lookup), None);
        assert_eq!(without_ending(endings, "abc", lookup), None);
        assert_eq!(without_ending(&[], "বাসে", lookup), None);
    }

    /// Words whose forms the dictionaries do not list reach their base form's entry:
    /// Bengali `হাসপাতালগুলিতে` "in the hospitals", Hindi `बताएगी` "will tell", Persian
    /// `کشورهایی` "countries (some)", Urdu `بدلتے` "changing".
    #[test]
    fn inflected_words_find_their_base_forms_entry() {
        let a = crate::Analyzer::new();
        let feats = |t: &str, lang| crate::analysis::labels_as(&a, t, lang);
        for (inflected, base, lang) in [
            ("হাসপাতালগুলিতে", "হাসপাতাল", Lang::Bengali),
            ("बताएगी", "बताना", Lang::Hindi),
            ("کشورهایی", "کشور", Lang::Persian),
            ("بدلتے", "بدلنا", Lang::Urdu),
        ] {
            let read = feats(inflected, lang);
            assert_eq!(read, feats(base, lang), "{inflected}");
            assert!(read.iter().all(|l| !l.contains(':')), "{read:?}");
        }
    }

    #[test]
    fn english_stemmer_matches_snowball() {
        let s = SnowballStemmer::for_lang(Lang::English).unwrap();
        for (w, st) in [
            ("partnership", "partnership"),
            ("companies", "compani"),
            ("running", "run"),
            ("investments", "invest"),
        ] {
            assert_eq!(s.stem(w), st);
        }
        assert!(SnowballStemmer::for_lang(Lang::Indonesian).is_none());
    }
}
