//! English: British spellings folded to American ones before stemming.

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
            if (stem.len() >= 3 && !NOT_BRITISH.contains(&w)) || TRE_WORDS.contains(&w) {
                return std::borrow::Cow::Owned(format!("{stem}{am}"));
            }
        }
    }
    std::borrow::Cow::Borrowed(w)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
