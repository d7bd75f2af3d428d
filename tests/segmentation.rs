//! Scripts without spaces become words, not character bigrams; Vietnamese syllables pair up;
//! function words of the reviewed stopwords-iso lists are dropped, anchors kept.

use lintas::{Analyzer, Lang};

fn labels(text: &str, lang: Lang) -> Vec<String> {
    Analyzer::new()
        .analyze_as(text, lang)
        .features()
        .iter()
        .map(|f| f.label.to_string())
        .collect()
}

#[test]
fn thai_and_chinese_are_words() {
    let th = labels("ทุกสองสัปดาห์", Lang::Thai);
    assert!(th.contains(&"th:สัปดาห์".to_string()), "{th:?}");
    assert!(
        !th.iter().any(|l| l == "th:ทุ"),
        "no character bigrams: {th:?}"
    );
    // 穿山甲 (pangolin) is a word the built-in Chinese dictionary does not hold: a local word.
    let zh = labels("中国政府宣布了新的计划，穿山甲", Lang::Mandarin);
    assert!(zh.contains(&"zh:穿山甲".to_string()), "{zh:?}");
    // 了 and 的 are function words.
    assert!(!zh.iter().any(|l| l == "zh:了" || l == "zh:的"), "{zh:?}");
}

/// A dictionary of a language written without spaces maps its segmented words: the built-in
/// Chinese one (`政府` government, `美国` the entity US), and entries loaded at run time, each
/// headword one word (not a phrase of its characters); a word no entry knows stays local.
#[test]
fn a_chinese_dictionary_maps_segmented_words() {
    let zh = labels("中国政府宣布了新的计划，美国", Lang::Mandarin);
    for want in ["govern", "announc", "ent:US"] {
        assert!(zh.contains(&want.to_string()), "{want}: {zh:?}");
    }
    assert!(!zh.iter().any(|l| l == "zh:政府"), "{zh:?}");
    let mut lex = lintas::Lexicon::builtin();
    let n = lex
        .add_tsv(
            Lang::Mandarin,
            "穿山甲\tpangolin\n蜂鸟\thummingbird\n",
            "test",
        )
        .unwrap();
    assert_eq!(n, 2);
    let analyzer = Analyzer::builder().lexicon(lex).build().unwrap();
    let zh: Vec<String> = analyzer
        .analyze_as("穿山甲和蜂鸟", Lang::Mandarin)
        .features()
        .iter()
        .map(|f| f.label.to_string())
        .collect();
    for want in ["pangolin", "hummingbird"] {
        assert!(zh.contains(&want.to_string()), "{want}: {zh:?}");
    }
}

#[test]
fn vietnamese_syllables_are_paired() {
    let vi = labels(
        "hôm nay bệnh viện tiếp nhận nhiều bệnh nhân mới",
        Lang::Vietnamese,
    );
    for want in ["vi:hôm nay", "vi:bệnh viện", "vi:bệnh nhân"] {
        assert!(vi.contains(&want.to_string()), "{want}: {vi:?}");
    }
    assert!(!vi.iter().any(|l| l == "vi:bệnh"), "{vi:?}");
}

#[test]
fn french_function_words_go_and_numbers_stay() {
    let fr = labels(
        "le gouvernement a annoncé deux mille nouveaux postes dans les hôpitaux",
        Lang::French,
    );
    assert!(
        !fr.iter()
            .any(|l| l == "fr:le" || l == "fr:dan" || l == "fr:dans"),
        "{fr:?}"
    );
    // `deux` is a number word (`profile/numbers.rs`), read as the anchor English `two` gives.
    assert!(fr.iter().any(|l| l == "num:2"), "{fr:?}");
    assert!(fr.iter().any(|l| l.starts_with("fr:mill")), "{fr:?}");
}
