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
    let zh = labels("中国政府宣布了新的计划", Lang::Mandarin);
    assert!(zh.contains(&"zh:政府".to_string()), "{zh:?}");
    // 了 and 的 are function words.
    assert!(!zh.iter().any(|l| l == "zh:了" || l == "zh:的"), "{zh:?}");
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
