//! Analysis of arbitrary bytes (as lossy UTF-8), then the detector's path for a few documents:
//! the input split at ASCII record separators (0x1E) into up to four documents, each analysed
//! and inserted (what `Detector::add` does), then every pair and the clusters.
//!
//! The corpus template is built once: building a default `Corpus` tunes its LSH banding
//! (~40 ms), which would cap this target at a few dozen inputs a second. Each input inserts
//! into a clone of the empty template.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lintas::{Analyzer, Corpus};
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::new)
}

fn template() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(Corpus::new)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let whole = analyzer().analyze(&text);
    assert!(whole
        .hashes()
        .iter()
        .eq(whole.features().iter().map(|f| &f.hash)));
    let _ = lintas::detect_language(&text);

    let mut corpus = template().clone();
    for (i, doc) in text.split('\u{1e}').take(4).enumerate() {
        let a = analyzer().analyze(doc);
        corpus
            .insert(format!("d{i}"), a.detection().lang(), a.features())
            .expect("ids are distinct");
    }
    let pairs = corpus.pairs();
    for m in &pairs {
        assert!(m.score.is_finite() && m.score >= m.threshold, "{m:?}");
    }
    let _ = corpus.clusters(&pairs);
});
