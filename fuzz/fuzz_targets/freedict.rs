//! The FreeDict reader: `Lexicon::add_freedict` on a generated `.index` + `.dict` pair. The
//! input is the index, a NUL byte, then the data file (which may be gzip, as `.dict.dz` is);
//! both are written to a per-process temporary directory and read in both directions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lintas::{FreedictDirection, Lang, Lexicon};
use std::path::PathBuf;
use std::sync::OnceLock;

fn dir() -> &'static PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("lintas-fuzz-freedict-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temporary directory");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let (index, dict) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let (ip, dp) = (dir().join("fuzz.index"), dir().join("fuzz.dict"));
    std::fs::write(&ip, index).expect("write index");
    std::fs::write(&dp, dict).expect("write dict");
    for direction in [FreedictDirection::FromEnglish, FreedictDirection::ToEnglish] {
        let mut lex = Lexicon::empty();
        let _ = lex.add_freedict(Lang::Indonesian, direction, &ip, &dp);
    }
});
