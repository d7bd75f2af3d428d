//! The file system side: durable writes, the writer's lock, and garbage collection.

use crate::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) const MANIFEST: &str = "MANIFEST";
pub(crate) const LOCK: &str = "LOCK";
/// Suffix of a file being written: never read, removed by the next writer.
pub(crate) const TMP_SUFFIX: &str = ".tmp";

pub(crate) fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Makes a directory's entries (files created, renamed or removed in it) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Writes `parts` to `dir/name` durably and atomically: to `name.tmp` first, synced, then
/// renamed over `name`. The caller syncs the directory to make the rename durable.
pub(crate) fn write_atomic(dir: &Path, name: &str, parts: &[&[u8]]) -> Result<PathBuf> {
    let tmp = dir.join(format!("{name}{TMP_SUFFIX}"));
    let dest = dir.join(name);
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)
        .map_err(io(&tmp))?;
    for p in parts {
        f.write_all(p).map_err(io(&tmp))?;
    }
    f.sync_all().map_err(io(&tmp))?;
    drop(f);
    std::fs::rename(&tmp, &dest).map_err(io(&dest))?;
    Ok(dest)
}

/// Takes the writer's lock: an exclusive lock on `dir/LOCK` (created if missing), held
/// until the returned file is dropped. The operating system releases it when the process
/// ends, however it ends.
pub(crate) fn lock(dir: &Path) -> Result<File> {
    let path = dir.join(LOCK);
    let f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io(&path))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::IndexLocked {
            path: dir.display().to_string(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io(&path)(e)),
    }
}

/// Whether a file name is one the index writes: `MANIFEST`, `LOCK`, a segment, or a
/// temporary file of either.
pub(crate) fn is_index_file(name: &str) -> bool {
    let base = name.strip_suffix(TMP_SUFFIX).unwrap_or(name);
    base == MANIFEST || base == LOCK || is_segment_name(base)
}

fn is_segment_name(name: &str) -> bool {
    name.strip_prefix("seg-")
        .and_then(|s| s.strip_suffix(".lseg"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Removes what a writer killed mid-save left behind: temporary files and segments the
/// manifest does not list (`keep`). Only the index's own file names are touched. Returns the
/// number of files removed.
pub(crate) fn collect_garbage(dir: &Path, keep: &[String]) -> Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let garbage = name.ends_with(TMP_SUFFIX) && is_index_file(name)
            || is_segment_name(name) && !keep.iter().any(|k| k == name);
        if garbage {
            let p = entry.path();
            std::fs::remove_file(&p).map_err(io(&p))?;
            removed += 1;
        }
    }
    if removed > 0 {
        sync_dir(dir)?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_index_own_names_are_garbage() {
        for n in [
            "MANIFEST",
            "LOCK",
            "MANIFEST.tmp",
            "seg-000001.lseg",
            "seg-1234567.lseg.tmp",
        ] {
            assert!(is_index_file(n), "{n}");
        }
        for n in [
            "notes.txt",
            "seg-.lseg",
            "seg-12a.lseg",
            "MANIFEST.bak",
            "x.tmp",
        ] {
            assert!(!is_index_file(n), "{n}");
        }
    }
}
