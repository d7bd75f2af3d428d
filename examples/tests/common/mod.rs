//! What the `dedup` tests share: the binary, a run of it, scratch files and two texts of one
//! event. `cargo test` at the workspace root builds the example next to the test binaries.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `dedup` example built by this `cargo test`.
pub fn dedup_bin() -> PathBuf {
    // target/<profile>/deps/<test>-HASH → target/<profile>/examples/dedup
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir
        .join("examples")
        .join(format!("dedup{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} not built: run `cargo test` at the workspace root (or `cargo test -p lintas-examples`), which builds the example",
        bin.display()
    );
    bin
}

/// Runs `dedup` with `args`.
pub fn dedup(args: &[&str]) -> Output {
    Command::new(dedup_bin())
        .args(args)
        .output()
        .expect("dedup runs")
}

/// A scratch path, one directory per test binary (`tag`) and process.
pub fn tmp(tag: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lintas-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

pub const EN: &str = "Floods in the Indonesian city of Semarang killed eight people on Monday and forced 12,000 residents from their homes, the disaster agency BNPB said. Water reached 1.5 metres in 21 neighbourhoods.";
pub const ID: &str = "Banjir di Kota Semarang menewaskan delapan orang pada Senin (2/2/2026) dan memaksa 12.000 warga mengungsi, kata BNPB. Air setinggi 1,5 meter merendam 21 kelurahan.";
