//! English: the concept space itself. Its words' stems are the concepts other languages map
//! into; British spellings are folded to American ones before stemming.

use super::{
    Concepts, DateOrder, DecimalMark, FunctionWords, Profile, Segmentation, Stemming, UnspacedRuns,
    MONTHS_EN_ID,
};
use super::{Spelling, WordParts};
use crate::analysis::stem::Snowball;
use crate::Lang;

/// English.
pub(crate) const PROFILE: Profile = Profile {
    lang: Some(Lang::English),
    code: "en",
    function_words: FunctionWords::Own(include_str!("../../../data/stopwords/en.txt")),
    function_word_additions: "",
    decimal: DecimalMark::Point,
    date_order: DateOrder::MonthFirst,
    slash_decimal: false,
    space_thousands: false,
    number_words: NUMBER_WORDS,
    months: &[MONTHS_EN_ID],
    month_links: &[],
    numeric_months: false,
    han_numerals: false,
    stemming: Stemming::Snowball(Snowball::English),
    segmentation: Segmentation::Spaces,
    unspaced_runs: UnspacedRuns::Bigrams,
    concepts: Concepts::ConceptSpace,
    lexicon: &[],
    parts: WordParts::Hyphens,
    spelling: Spelling::BritishToAmerican,
    names_inflect: false,
    conjunction_prefixes: &[],
    proclitics: super::Proclitics::None,
    capitals_are_names: false,
    given_names: include_str!("../../../data/names/en.txt"),
    letter_folds: &[],
    letter_choices: &[],
    endings: &[],
};

/// Number words and ordinals.
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("hundred", 100),
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
];

/// [`family_stem`]'s table: stem, family stem; sorted by stem, for a binary search.
const FAMILIES: &[(&str, &str)] = &[
    ("acquitt", "acquit"),
    ("admiss", "admit"),
    ("agreement", "agre"),
    ("belief", "believ"),
    ("bigger", "big"),
    ("biggest", "big"),
    ("broaden", "broad"),
    ("burial", "buri"),
    ("cheaper", "cheap"),
    ("cheapest", "cheap"),
    ("choic", "choos"),
    ("closer", "close"),
    ("closest", "close"),
    ("colder", "cold"),
    ("coldest", "cold"),
    ("collis", "collid"),
    ("darken", "dark"),
    ("dead", "die"),
    ("deadlier", "die"),
    ("deadliest", "die"),
    ("death", "die"),
    ("decis", "decid"),
    ("deepen", "deep"),
    ("deeper", "deep"),
    ("deepest", "deep"),
    ("definit", "defin"),
    ("denial", "deni"),
    ("departur", "depart"),
    ("descript", "describ"),
    ("destruct", "destroy"),
    ("detent", "detain"),
    ("diagnosi", "diagnos"),
    ("easier", "easi"),
    ("easiest", "easi"),
    ("econom", "economi"),
    ("epidemiologist", "epidemiolog"),
    ("expans", "expand"),
    ("explan", "explain"),
    ("explos", "explod"),
    ("exposur", "expos"),
    ("failur", "fail"),
    ("faster", "fast"),
    ("fastest", "fast"),
    ("fatal", "die"),
    ("fewer", "few"),
    ("fewest", "few"),
    ("flight", "fli"),
    ("fulli", "full"),
    ("greater", "great"),
    ("greatest", "great"),
    ("growth", "grow"),
    ("harder", "hard"),
    ("hardest", "hard"),
    ("heavier", "heavi"),
    ("heaviest", "heavi"),
    ("higher", "high"),
    ("highest", "high"),
    ("hotter", "hot"),
    ("hottest", "hot"),
    ("identif", "identifi"),
    ("injuri", "injur"),
    ("invas", "invad"),
    ("kill", "die"),
    ("larger", "larg"),
    ("largest", "larg"),
    ("lengthen", "length"),
    ("longer", "long"),
    ("longest", "long"),
    ("loosen", "loos"),
    ("loss", "lose"),
    ("lower", "low"),
    ("lowest", "low"),
    ("mainten", "maintain"),
    ("marriag", "marri"),
    ("minimum", "minim"),
    ("nearer", "near"),
    ("nearest", "near"),
    ("newer", "new"),
    ("newest", "new"),
    ("older", "old"),
    ("oldest", "old"),
    ("payment", "pay"),
    ("poorer", "poor"),
    ("poorest", "poor"),
    ("proof", "prove"),
    ("reduct", "reduc"),
    ("richer", "rich"),
    ("richest", "rich"),
    ("riski", "risk"),
    ("robberi", "rob"),
    ("safer", "safe"),
    ("safest", "safe"),
    ("sale", "sell"),
    ("settlement", "settl"),
    ("sharpen", "sharp"),
    ("shorten", "short"),
    ("shorter", "short"),
    ("shortest", "short"),
    ("slower", "slow"),
    ("slowest", "slow"),
    ("smaller", "small"),
    ("smallest", "small"),
    ("soften", "soft"),
    ("speech", "speak"),
    ("strengthen", "strength"),
    ("stronger", "strong"),
    ("strongest", "strong"),
    ("success", "succeed"),
    ("surgic", "surgeri"),
    ("suspens", "suspend"),
    ("taller", "tall"),
    ("tallest", "tall"),
    ("theft", "steal"),
    ("threaten", "threat"),
    ("tighten", "tight"),
    ("treatment", "treat"),
    ("virologist", "virolog"),
    ("weaken", "weak"),
    ("weaker", "weak"),
    ("weakest", "weak"),
    ("widen", "wide"),
    ("wider", "wide"),
    ("widest", "wide"),
    ("worsen", "wors"),
    ("worst", "wors"),
    ("younger", "young"),
    ("youngest", "young"),
];

/// The stem of a word's derivational family where the Snowball stemmer splits it (`decision`
/// → `decis`, `decide` → `decid`): one concept for the noun and the verb, so that an English
/// article's `decision` meets another's `decided`, and a lexicon's `keputusan` → `decision`
/// meets `memutuskan` → `decide`. Deaths are one concept however they are told (`died`,
/// `death`, `dead`, `killed`, `fatalities`: Indonesian `tewas`, `meninggal`, `kematian`).
/// An adjective's comparative and superlative are its concept (`largest` → `large`,
/// `deadliest` → die: Snowball keeps `-er` and `-est`, and Indonesian says `terbesar`, `lebih
/// besar`, whose stem is `besar`). Verbs made with `-en` are their adjective's or noun's
/// concept (`darkened` → `dark`,
/// `weakened` → `weak`, `strengthened` → `strength`: Indonesian `menggelapkan`, `melemahkan`,
/// `memperkuat` name those too). Written by the lintas project; families whose members drift
/// apart in meaning are left out (`product`/`production`, `state`/`statement`,
/// `ship`/`shipment`, `health`/`heal`, `harden`/`hard`, `heighten`/`height`).
///
/// News synonyms ([`SYNONYMS`]) are folded the same way: the short words of headlines and
/// wire copy and the everyday word for the same thing (`quake`, `blaze`, `graft`, `probe`,
/// `jailed`, `vowed` against earthquake, fire, corruption, investigation, prison, promise),
/// so two outlets' write-ups of one event, or an Indonesian article whose lexicon gives the
/// everyday word, meet.
pub(crate) fn family_stem(stem: &str) -> &str {
    if let Ok(i) = FAMILIES.binary_search_by(|(s, _)| (*s).cmp(stem)) {
        return FAMILIES[i].1;
    }
    match SYNONYMS.binary_search_by(|(s, _)| (*s).cmp(stem)) {
        Ok(i) => SYNONYMS[i].1,
        Err(_) => stem,
    }
}

/// [`family_stem`]'s news synonyms: Snowball stem, the stem of the everyday word (the one the
/// Indonesian lexicon's targets use); sorted by stem, for a binary search. Only words whose
/// news sense is the synonym's nearly always: `poll` (election or survey), `firm` (company or
/// steady), `slam` (criticise or crash), `oust`, `deal` and `accord` (`according`) are left
/// out. Written by the lintas project.
const SYNONYMS: &[(&str, &str)] = &[
    ("abduct", "kidnap"),
    ("ablaz", "fire"),
    ("acknowledg", "admit"),
    ("aircraft", "plane"),
    ("airplan", "plane"),
    ("attorney", "lawyer"),
    ("ballot", "vote"),
    ("blast", "explod"),
    ("blaze", "fire"),
    ("boss", "chief"),
    ("chopper", "helicopt"),
    ("cop", "polic"),
    ("crash", "accid"),
    ("curb", "limit"),
    ("custodi", "detain"),
    ("gasolin", "petrol"),
    ("graft", "corrupt"),
    ("hike", "increas"),
    ("home", "hous"),
    ("homicid", "murder"),
    ("hurt", "injur"),
    ("ill", "sick"),
    ("imprison", "prison"),
    ("inferno", "fire"),
    ("inocul", "vaccin"),
    ("jab", "vaccin"),
    ("jail", "prison"),
    ("jetlin", "plane"),
    ("kin", "relat"),
    ("lawsuit", "sue"),
    ("lorri", "truck"),
    ("merg", "merger"),
    ("movi", "film"),
    ("mull", "consid"),
    ("nab", "arrest"),
    ("negoti", "talk"),
    ("pact", "agre"),
    ("physician", "doctor"),
    ("pledg", "promis"),
    ("plummet", "fall"),
    ("plung", "fall"),
    ("probe", "investig"),
    ("quak", "earthquak"),
    ("quit", "resign"),
    ("rehab", "rehabilit"),
    ("restrict", "limit"),
    ("rise", "increas"),
    ("sack", "dismiss"),
    ("shooter", "gunman"),
    ("slain", "die"),
    ("slay", "die"),
    ("slump", "fall"),
    ("soar", "increas"),
    ("soccer", "footbal"),
    ("spokesmen", "spokesman"),
    ("spokespeopl", "spokesman"),
    ("spokesperson", "spokesman"),
    ("spokeswoman", "spokesman"),
    ("spokeswomen", "spokesman"),
    ("surg", "increas"),
    ("teen", "teenag"),
    ("temblor", "earthquak"),
    ("torch", "burn"),
    ("town", "citi"),
    ("treati", "agre"),
    ("truce", "ceasefir"),
    ("vow", "promis"),
    ("wound", "injur"),
];

/// Whole words spelt the British way that no ending rule of [`british_to_american`] folds,
/// sorted by the British form for a binary search.
const BRITISH_WORDS: &[(&str, &str)] = &[
    ("aluminium", "aluminum"),
    ("anaemia", "anemia"),
    ("defence", "defense"),
    ("defences", "defenses"),
    ("diarrhoea", "diarrhea"),
    ("foetus", "fetus"),
    ("grey", "gray"),
    ("haemorrhage", "hemorrhage"),
    ("jewellery", "jewelry"),
    ("kerb", "curb"),
    ("leukaemia", "leukemia"),
    ("licence", "license"),
    ("licences", "licenses"),
    ("manoeuvre", "maneuver"),
    ("manoeuvres", "maneuvers"),
    ("offence", "offense"),
    ("offences", "offenses"),
    ("paediatric", "pediatric"),
    ("plough", "plow"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("tyre", "tire"),
    ("tyres", "tires"),
];

/// A few British spellings folded to American ones, so both stem alike.
pub(crate) fn british_to_american(w: &str) -> std::borrow::Cow<'_, str> {
    /// Words whose ending only looks British.
    const NOT_BRITISH: &[&str] = &[
        "advise",
        "exercise",
        "otherwise",
        "promise",
        "surprise",
        "enterprise",
        "expertise",
        "franchise",
        "compromise",
        "premise",
        "rise",
        "wise",
        "noise",
        "cruise",
        "raise",
        "praise",
        "concise",
        "precise",
        "hour",
        "four",
        "your",
        "tour",
        "pour",
        "flour",
        "detour",
        "contour",
        "hours",
        "yours",
        "tours",
    ];
    if let Ok(k) = BRITISH_WORDS.binary_search_by(|&(br, _)| br.cmp(w)) {
        return std::borrow::Cow::Borrowed(BRITISH_WORDS[k].1);
    }
    /// `-tre` words folded whatever their stem length (`metre` has a two-letter stem).
    const TRE_WORDS: &[&str] = &[
        "centre", "centres", "metre", "metres", "litre", "litres", "fibre", "theatre",
    ];
    for (br, am) in [
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ise", "ize"),
        ("isations", "izations"),
        ("our", "or"),
        ("ours", "ors"),
        ("tre", "ter"),
        ("tres", "ters"),
    ] {
        if let Some(stem) = w.strip_suffix(br) {
            // `promising`, `surprised`: a form of a word whose ending only looks British.
            let base_not_british = br.starts_with("is")
                && NOT_BRITISH
                    .iter()
                    .any(|n| n.strip_suffix("ise") == Some(stem));
            if (stem.len() >= 3 && !NOT_BRITISH.contains(&w) && !base_not_british)
                || TRE_WORDS.contains(&w)
            {
                return std::borrow::Cow::Owned(format!("{stem}{am}"));
            }
        }
    }
    std::borrow::Cow::Borrowed(w)
}

/// The base form of an irregular English verb form or plural (`said` → `say`, `shot` →
/// `shoot`, `children` → `child`), which the Snowball stemmer leaves as written: the
/// lexicons map other languages' words to base forms (`menembak` → `shoot`), so an English
/// article's `shot` would otherwise never meet them. Written by the lintas project; forms
/// that are as often another word are left out (`lay`, `ground`, `wound`, `bore`, `bit`).
pub(crate) fn irregular_base(w: &str) -> Option<&'static str> {
    /// Sorted by form, for a binary search.
    const FORMS: &[(&str, &str)] = &[
        ("arisen", "arise"),
        ("arose", "arise"),
        ("ate", "eat"),
        ("beaten", "beat"),
        ("became", "become"),
        ("began", "begin"),
        ("begun", "begin"),
        ("bent", "bend"),
        ("bitten", "bite"),
        ("bled", "bleed"),
        ("blew", "blow"),
        ("blown", "blow"),
        ("bought", "buy"),
        ("broke", "break"),
        ("broken", "break"),
        ("brought", "bring"),
        ("built", "build"),
        ("came", "come"),
        ("caught", "catch"),
        ("children", "child"),
        ("chose", "choose"),
        ("chosen", "choose"),
        ("criteria", "criterion"),
        ("dealt", "deal"),
        ("drawn", "draw"),
        ("drew", "draw"),
        ("driven", "drive"),
        ("drove", "drive"),
        ("dug", "dig"),
        ("eaten", "eat"),
        ("fallen", "fall"),
        ("fed", "feed"),
        ("feet", "foot"),
        ("fell", "fall"),
        ("felt", "feel"),
        ("fled", "flee"),
        ("flew", "fly"),
        ("flown", "fly"),
        ("forbade", "forbid"),
        ("forbidden", "forbid"),
        ("forgave", "forgive"),
        ("forgiven", "forgive"),
        ("forgot", "forget"),
        ("forgotten", "forget"),
        ("fought", "fight"),
        ("found", "find"),
        ("froze", "freeze"),
        ("frozen", "freeze"),
        ("gave", "give"),
        ("given", "give"),
        ("gone", "go"),
        ("grew", "grow"),
        ("grown", "grow"),
        ("gunmen", "gunman"),
        ("heard", "hear"),
        ("held", "hold"),
        ("hid", "hide"),
        ("hidden", "hide"),
        ("hung", "hang"),
        ("kept", "keep"),
        ("knew", "know"),
        ("known", "know"),
        ("led", "lead"),
        ("left", "leave"),
        ("lent", "lend"),
        ("lost", "lose"),
        ("made", "make"),
        ("meant", "mean"),
        ("men", "man"),
        ("met", "meet"),
        ("misled", "mislead"),
        ("oversaw", "oversee"),
        ("overseen", "oversee"),
        ("overtaken", "overtake"),
        ("overthrew", "overthrow"),
        ("overthrown", "overthrow"),
        ("overtook", "overtake"),
        ("paid", "pay"),
        ("people", "person"),
        ("phenomena", "phenomenon"),
        ("ran", "run"),
        ("rang", "ring"),
        ("rebuilt", "rebuild"),
        ("ridden", "ride"),
        ("risen", "rise"),
        ("rode", "ride"),
        ("rose", "rise"),
        ("rung", "ring"),
        ("said", "say"),
        ("sang", "sing"),
        ("sank", "sink"),
        ("saw", "see"),
        ("seen", "see"),
        ("sent", "send"),
        ("shaken", "shake"),
        ("shook", "shake"),
        ("shot", "shoot"),
        ("shrank", "shrink"),
        ("shrunk", "shrink"),
        ("slept", "sleep"),
        ("slid", "slide"),
        ("sold", "sell"),
        ("sought", "seek"),
        ("spent", "spend"),
        ("spoke", "speak"),
        ("spoken", "speak"),
        ("sprang", "spring"),
        ("spun", "spin"),
        ("stole", "steal"),
        ("stolen", "steal"),
        ("stood", "stand"),
        ("stricken", "strike"),
        ("struck", "strike"),
        ("stuck", "stick"),
        ("stung", "sting"),
        ("sung", "sing"),
        ("sunk", "sink"),
        ("swam", "swim"),
        ("swept", "sweep"),
        ("swore", "swear"),
        ("sworn", "swear"),
        ("swung", "swing"),
        ("taken", "take"),
        ("taught", "teach"),
        ("teeth", "tooth"),
        ("thought", "think"),
        ("threw", "throw"),
        ("thrown", "throw"),
        ("told", "tell"),
        ("took", "take"),
        ("tore", "tear"),
        ("torn", "tear"),
        ("understood", "understand"),
        ("undertaken", "undertake"),
        ("undertook", "undertake"),
        ("upheld", "uphold"),
        ("went", "go"),
        ("wept", "weep"),
        ("withdrawn", "withdraw"),
        ("withdrew", "withdraw"),
        ("withheld", "withhold"),
        ("woke", "wake"),
        ("woken", "wake"),
        ("women", "woman"),
        ("won", "win"),
        ("wore", "wear"),
        ("worn", "wear"),
        ("written", "write"),
        ("wrote", "write"),
    ];
    FORMS
        .binary_search_by(|(form, _)| (*form).cmp(w))
        .ok()
        .map(|i| FORMS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn british_words_are_sorted_and_fold_to_what_american_text_stems_to() {
        assert!(BRITISH_WORDS.windows(2).all(|w| w[0].0 < w[1].0));
        for &(br, am) in BRITISH_WORDS {
            assert_eq!(british_to_american(br), am);
        }
        assert_eq!(british_to_american("defence"), "defense");
        assert_eq!(british_to_american("defense"), "defense");
        assert_eq!(irregular_base("feet"), Some("foot"));
        assert_eq!(family_stem("econom"), "economi");
        // Forms of words whose ending only looks British stay as written.
        for w in ["promising", "surprised", "advising", "compromises"] {
            assert_eq!(british_to_american(w), w);
        }
        assert_eq!(british_to_american("organising"), "organizing");
    }

    #[test]
    fn british_spellings_fold() {
        assert_eq!(british_to_american("organisation"), "organization");
        assert_eq!(british_to_american("centre"), "center");
        assert_eq!(british_to_american("labour"), "labor");
        assert_eq!(british_to_american("hour"), "hour");
        assert_eq!(british_to_american("rise"), "rise");
        assert_eq!(british_to_american("metres"), "meters");
        assert_eq!(british_to_american("litre"), "liter");
        assert_eq!(british_to_american("theatre"), "theater");
        assert_eq!(british_to_american("tours"), "tours");
        assert_eq!(british_to_american("colour"), "color");
    }

    #[test]
    fn irregular_forms_fold_to_their_base() {
        assert_eq!(irregular_base("said"), Some("say"));
        assert_eq!(irregular_base("shot"), Some("shoot"));
        assert_eq!(irregular_base("children"), Some("child"));
        assert_eq!(irregular_base("withdrawn"), Some("withdraw"));
        assert_eq!(irregular_base("shoot"), None);
        assert_eq!(irregular_base("wound"), None);
        assert_eq!(irregular_base(""), None);
    }

    #[test]
    fn derivational_families_are_one_concept() {
        use crate::analysis::concepts::english_stem;
        let same = |a: &str, b: &str| assert_eq!(english_stem(a), english_stem(b), "{a} {b}");
        same("decision", "decided");
        same("explosion", "exploded");
        same("agreement", "agree");
        same("injuries", "injured");
        same("suspension", "suspended");
        // Verbs made with -en are their adjective's or noun's concept.
        same("darkened", "dark");
        same("weakening", "weak");
        same("widened", "wide");
        same("strengthened", "strength");
        same("worsened", "worse");
        same("loosen", "loose");
        // Comparatives and superlatives are their adjective's concept.
        same("largest", "large");
        same("bigger", "big");
        same("longest", "long");
        same("deadliest", "die");
        same("worst", "worse");
        same("heaviest", "heavy");
        for w in [
            "death",
            "deaths",
            "dead",
            "died",
            "dying",
            "killed",
            "fatalities",
            "deadly",
        ] {
            same(w, "die");
        }
        // Families whose members drift apart are not merged.
        assert_ne!(english_stem("production"), english_stem("produce"));
        assert_ne!(english_stem("statement"), english_stem("state"));
        assert_ne!(english_stem("health"), english_stem("heal"));
        assert_ne!(english_stem("hardened"), english_stem("hard"));
        assert_ne!(english_stem("heightened"), english_stem("height"));
        // The table is sorted (binary search) and maps to stems it does not map again.
        assert!(FAMILIES.windows(2).all(|w| w[0].0 < w[1].0));
        for (stem, family) in FAMILIES {
            assert_eq!(family_stem(stem), *family);
            assert_eq!(family_stem(family), *family, "{stem}");
        }
        assert_eq!(family_stem("zzz"), "zzz");
    }

    #[test]
    fn news_synonyms_are_one_concept() {
        use crate::analysis::concepts::english_stem;
        let same = |a: &str, b: &str| assert_eq!(english_stem(a), english_stem(b), "{a} {b}");
        for (a, b) in [
            ("quake", "earthquake"),
            ("blaze", "fire"),
            ("graft", "corruption"),
            ("probe", "investigation"),
            ("jailed", "prison"),
            ("vowed", "promised"),
            ("treaty", "agreement"),
            ("soared", "increased"),
            ("rises", "increase"),
            ("cops", "police"),
            ("choppers", "helicopter"),
            ("slain", "killed"),
            ("restrictions", "limits"),
        ] {
            same(a, b);
        }
        // Words with a second common news sense stay apart.
        assert_ne!(english_stem("polls"), english_stem("election"));
        assert_ne!(english_stem("firm"), english_stem("company"));
        assert_ne!(english_stem("according"), english_stem("agreement"));
        // Sorted (binary search), apart from the families, and mapping to stems neither table
        // maps again.
        assert!(SYNONYMS.windows(2).all(|w| w[0].0 < w[1].0));
        for (stem, target) in SYNONYMS {
            assert!(
                FAMILIES.binary_search_by(|(s, _)| s.cmp(stem)).is_err(),
                "{stem}"
            );
            assert_eq!(family_stem(stem), *target);
            assert_eq!(family_stem(target), *target, "{stem}");
        }
    }
}
