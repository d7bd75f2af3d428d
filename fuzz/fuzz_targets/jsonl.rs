//! The JSONL reader `dedup` uses (`lintas::jsonl::Reader`) on arbitrary bytes: every line is
//! a record or an error with its line number, and line numbers only grow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lintas::jsonl::Reader;

fuzz_target!(|data: &[u8]| {
    let mut reader = Reader::new(data);
    let mut last = 0;
    while let Some(r) = reader.next() {
        let line = match &r {
            Ok(rec) => {
                assert!(!rec.id.is_empty());
                let _ = rec.full_text();
                rec.line
            }
            Err(e) => e.line(),
        };
        assert!(
            line > last && line <= reader.lines_read(),
            "{line} after {last}"
        );
        last = line;
    }
    let newlines = data.iter().filter(|&&b| b == b'\n').count();
    assert!(reader.lines_read() == newlines || reader.lines_read() == newlines + 1);
});
