//! Signature decoding: `Signature::from_bytes` on arbitrary bytes; what decodes must encode
//! back to the same bytes and compare with itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lintas::Signature;

fuzz_target!(|data: &[u8]| {
    if let Ok(sig) = Signature::from_bytes(data) {
        assert_eq!(sig.to_bytes(), data, "decode then encode is the identity");
        let j = sig.jaccard(&sig).expect("compatible with itself");
        assert!(j.value.is_finite());
    }
});
