//! The engine's binary columns (`lintas::Fingerprint::to_bytes`, `lintas::Frequencies::to_bytes`)
//! read back after damage.
//!
//! The input is `text A 0x1E text B 0x1E edits`: the two texts are analysed and fingerprinted,
//! a table of document frequencies counts both, and the edits (3 bytes each: an operation, a
//! position, a value) change the three binary forms before they are decoded: operation % 4 is
//! 0 flip the byte at the position with the value, 1 insert the value, 2 delete the byte, 3 cut
//! the bytes there; bit 2 and 3 of the operation choose fingerprint A, B or the table. A fuzz
//! build (`--cfg fuzzing`, set by cargo-fuzz) takes any checksum, so edits reach the decoding.
//!
//! Decoding must give a value or an error, never a panic. What decodes must encode to bytes
//! that decode to the same value; `Engine::keys_of_bytes` must give the keys of the decoded
//! fingerprint; and two decoded fingerprints are verified against a decoded table with finite
//! scores.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lintas::{Analyzer, Corpus, Engine, Fingerprint, Frequencies};
use std::sync::OnceLock;

fn setup() -> &'static (Analyzer, Engine) {
    static S: OnceLock<(Analyzer, Engine)> = OnceLock::new();
    S.get_or_init(|| {
        (
            Analyzer::new(),
            Engine::new(Corpus::builder()).expect("default settings"),
        )
    })
}

fn edit(bytes: &mut Vec<u8>, op: u8, at: u8, value: u8) {
    if bytes.is_empty() {
        return;
    }
    // Positions reach the whole form: scaled from 0..=255 to its length.
    let i = usize::from(at) * (bytes.len() - 1) / 255;
    match op % 4 {
        0 => bytes[i] ^= value.max(1),
        1 => bytes.insert(i, value),
        2 => {
            bytes.remove(i);
        }
        _ => bytes.truncate(i),
    }
}

fuzz_target!(|data: &[u8]| {
    let (analyzer, engine) = setup();
    let mut parts = data.splitn(3, |&b| b == 0x1E);
    let a = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let b = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let edits = parts.next().unwrap_or_default();
    let print = |id: &str, text: &str| {
        let x = analyzer.analyze(text);
        engine.fingerprint(id, x.detection().lang(), x.features())
    };
    let (fa, fb) = (print("a", &a), print("b", &b));
    let mut freq = Frequencies::new();
    freq.add(&fa);
    freq.add(&fb);
    let mut forms = [fa.to_bytes(), fb.to_bytes(), freq.to_bytes()];
    for e in edits.chunks_exact(3) {
        let which = usize::from((e[0] >> 2) & 3) % 3;
        edit(&mut forms[which], e[0], e[1], e[2]);
    }
    let [ba, bb, bf] = &forms;
    let freq = match Frequencies::from_bytes(bf) {
        Ok(f) => {
            let again = Frequencies::from_bytes(&f.to_bytes()).expect("re-encoded table decodes");
            assert_eq!(again, f, "a table survives encoding");
            Some(f)
        }
        Err(_) => None,
    };
    let table = freq.clone().unwrap_or_default();
    let decoded: Vec<Option<Fingerprint>> = [ba, bb]
        .into_iter()
        .map(|bytes| {
            let keys = engine.keys_of_bytes(bytes, &table);
            match Fingerprint::from_bytes(bytes) {
                Ok(fp) => {
                    let again =
                        Fingerprint::from_bytes(&fp.to_bytes()).expect("re-encoded fingerprint");
                    assert_eq!(again, fp, "a fingerprint survives encoding");
                    let keys = keys.expect("what decodes has keys");
                    assert_eq!(
                        keys,
                        engine.keys(&fp, &table),
                        "keys from bytes and from values"
                    );
                    Some(fp)
                }
                Err(_) => None,
            }
        })
        .collect();
    if let (Some(x), Some(y), Some(f)) = (&decoded[0], &decoded[1], &freq) {
        if let Some(m) = engine.score(x, y, f) {
            assert!(m.score.is_finite() && m.jaccard.is_finite() && m.containment.is_finite());
        }
        let _ = engine.verify(x, y, f);
    }
});
