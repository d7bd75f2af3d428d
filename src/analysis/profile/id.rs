//! Indonesian: reduplicated and hyphenated words (affixes are `stem.rs`'s).

/// The parts of a hyphenated Indonesian word worth analysing: one copy of a reduplication
/// (`perusahaan-perusahaan`, `negara-negaranya` → the copy with the suffix, `bermain-main`),
/// every part of other compounds, the word itself when it has no hyphen.
pub(crate) fn reduplication_parts(w: &str) -> Vec<&str> {
    let Some((a, b)) = w.split_once('-') else {
        return vec![w];
    };
    if b.contains('-') {
        return w.split('-').filter(|p| !p.is_empty()).collect();
    }
    if a == b || a.ends_with(b) {
        vec![a]
    } else if b.starts_with(a) {
        vec![b]
    } else {
        vec![a, b].into_iter().filter(|p| !p.is_empty()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduplication() {
        assert_eq!(reduplication_parts("perusahaan-perusahaan"), ["perusahaan"]);
        assert_eq!(reduplication_parts("negara-negaranya"), ["negaranya"]);
        assert_eq!(reduplication_parts("bermain-main"), ["bermain"]);
        assert_eq!(reduplication_parts("rumah"), ["rumah"]);
        assert_eq!(reduplication_parts("sayur-mayur"), ["sayur", "mayur"]);
    }
}
