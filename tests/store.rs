//! The persistent index (`lintas::Index`): what it answers after a save and a reopen is what
//! one process answers; deletions, expiry and compaction; refusals (another analysis, other
//! settings, another format version, a second writer); damaged files detected on open.
//! Killing a writer during a save: `tests/store_crash.rs`.

mod common;

use common::{read_pool, sample};

use lintas::{Analyzer, Corpus, Detector, Document, Error, Index, IndexOptions, Lang, Match};
use std::path::{Path, PathBuf};

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lintas-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// The dev pools when `../shared/eval` is there (required under CI=true), else the bundled
/// sample.
fn pools() -> Vec<(String, Vec<Document>)> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    let names = ["dev-en-id.jsonl", "dev-independent.jsonl"];
    if !shared.join(names[0]).exists() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but {} is missing: the dev pools cannot be checked",
            shared.display()
        );
        eprintln!(
            "SKIP dev pools: {} not found; the sample only",
            shared.display()
        );
        return vec![("sample".into(), sample())];
    }
    names
        .iter()
        .map(|n| (n.to_string(), read_pool(&shared.join(n))))
        .collect()
}

/// Every flagged pair of one `Detector` run over `docs`, in order.
fn one_shot(docs: &[Document]) -> Vec<Match> {
    one_shot_with(Analyzer::new(), docs)
}

fn one_shot_with(analyzer: Analyzer, docs: &[Document]) -> Vec<Match> {
    let mut d = Detector::builder().analyzer(analyzer).build().unwrap();
    for doc in docs {
        let a = match doc.lang {
            Some(l) => d
                .analyzer()
                .analyze_article_as(doc.title.as_deref(), &doc.text, l),
            None => d
                .analyzer()
                .analyze_article(doc.title.as_deref(), &doc.text),
        };
        d.push_analyzed(doc.id.as_str(), &a).unwrap();
    }
    d.pairs()
}

/// The same pairs, in the same order, scores within 1e-12, the same explanations.
#[track_caller]
fn assert_same_pairs(got: &[Match], want: &[Match]) {
    assert_eq!(got.len(), want.len(), "number of pairs");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        if let Err(e) = common::same_match(g, w, 1e-9) {
            panic!("pair {i}: {e}");
        }
    }
}

fn ids(docs: &[Document]) -> std::collections::HashSet<&str> {
    docs.iter().map(|d| d.id.as_str()).collect()
}

#[test]
fn a_reopened_index_answers_as_the_process_that_built_it() {
    let dir = scratch("round-trip");
    let docs = sample();
    let mut index = Index::create(&dir, IndexOptions::new()).unwrap();
    assert!(index.is_empty());
    let found = index.add_batch_at(docs.clone(), 1_000).unwrap();
    assert_same_pairs(&found, &one_shot(&docs));
    assert!(!found.is_empty());
    assert!(index.has_unsaved_changes());
    index.save().unwrap();
    assert!(!index.has_unsaved_changes());
    let before = index.corpus().pairs();
    let query = (Some("Gempa guncang Sigi"), "Gempa bermagnitudo 6,2 mengguncang Palu dan Sigi, Sulawesi Tengah, Selasa, menewaskan 27 orang.");
    let q_before = index.query(query.0, query.1);
    let memory = index.memory_report();
    drop(index);

    let index = Index::open(&dir, Analyzer::new()).unwrap();
    assert!(index.opened_from_parts(), "nothing deleted: the fast open");
    assert_eq!(index.len(), docs.len());
    assert!(docs.iter().all(|d| index.contains(&d.id)));
    assert_eq!(index.added_at(&docs[0].id), Some(1_000));
    assert_same_pairs(&index.corpus().pairs(), &before);
    assert_same_pairs(&index.query(query.0, query.1), &q_before);
    assert!(!q_before.is_empty());
    // Labels are shared between documents on open, as the analyser's cache shares them.
    let reopened = index.memory_report();
    assert!(
        reopened.per_document_with_labels <= memory.per_document_with_labels * 1.05,
        "{reopened:?} vs {memory:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn two_halves_through_the_index_give_the_one_shot_pairs_of_the_second_half() {
    for (name, docs) in pools() {
        let dir = scratch(&format!("halves-{name}"));
        let all = one_shot(&docs);
        let (first, second) = docs.split_at(docs.len() / 2);

        let mut index = Index::create(&dir, IndexOptions::new()).unwrap();
        let found = index.add_batch(first.to_vec()).unwrap();
        assert_same_pairs(&found, &one_shot(first));
        index.save().unwrap();
        drop(index);

        let mut index = Index::open(&dir, Analyzer::new()).unwrap();
        assert!(index.opened_from_parts());
        let found = index.add_batch(second.to_vec()).unwrap();
        let new = ids(second);
        let want: Vec<Match> = all
            .iter()
            .filter(|m| new.contains(&*m.b))
            .cloned()
            .collect();
        assert!(!want.is_empty(), "{name}: the second half has pairs");
        assert_same_pairs(&found, &want);
        // And the whole index is the one-shot run, in this process and reopened.
        assert_same_pairs(&index.corpus().pairs(), &all);
        index.save().unwrap();
        drop(index);
        let index = Index::open(&dir, Analyzer::new()).unwrap();
        assert!(index.opened_from_parts());
        assert_same_pairs(&index.corpus().pairs(), &all);
        eprintln!(
            "{name}: {} documents, {} pairs, {} involving the second half: identical",
            docs.len(),
            all.len(),
            want.len()
        );
        drop(index);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// `insert_batch` in pieces and then one pair stream from the first piece's slot: the pairs
/// of one `add_batch` of everything (document order instead of strongest first), and what an
/// unsaved insert wrote to disk is not part of the index.
#[test]
fn batches_inserted_in_pieces_stream_the_pairs_of_one_batch() {
    for (name, docs) in pools() {
        let dir = scratch(&format!("pieces-{name}"));
        let all = one_shot(&docs);
        let (first, second) = docs.split_at(docs.len() / 3);
        let mut index = Index::create(&dir, IndexOptions::new()).unwrap();
        index.add_batch(first.to_vec()).unwrap();
        index.save().unwrap();
        drop(index);

        let mut index = Index::open(&dir, Analyzer::new()).unwrap();
        let saved = std::fs::read_dir(&dir).unwrap().count();
        let mut start = None;
        for piece in second.chunks(97) {
            let slot = index.insert_batch(piece.to_vec()).unwrap();
            start.get_or_insert(slot);
        }
        // The pieces are on disk already, one segment each, but not in the index.
        let staged = std::fs::read_dir(&dir).unwrap().count() - saved;
        assert_eq!(
            staged,
            second.len().div_ceil(97),
            "{name}: a segment a piece"
        );
        assert!(index.has_unsaved_changes());
        let reader = Index::open_read_only(&dir, Analyzer::new()).unwrap();
        assert_eq!(
            reader.len(),
            first.len(),
            "{name}: a reader sees the last save"
        );
        drop(reader);

        let mut got = Vec::new();
        index
            .corpus()
            .try_for_each_pair(start.unwrap(), |m| {
                got.push(m);
                Ok::<(), std::convert::Infallible>(())
            })
            .unwrap();
        let new = ids(second);
        let mut want: Vec<Match> = all
            .iter()
            .filter(|m| new.contains(&*m.b))
            .cloned()
            .collect();
        assert!(!want.is_empty(), "{name}: the pieces have pairs");
        // The stream is in document order; `add_batch`, strongest first.
        let by_ids = |m: &Match| (m.b.to_string(), m.a.to_string());
        got.sort_by_key(by_ids);
        want.sort_by_key(by_ids);
        assert_same_pairs(&got, &want);

        // Dropped without a save (a crash): the next writer sees the first third and
        // removes the staged files; inserting again and saving gives the whole run.
        drop(index);
        let mut index = Index::open(&dir, Analyzer::new()).unwrap();
        assert_eq!(index.len(), first.len(), "{name}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), saved, "{name}");
        for piece in second.chunks(97) {
            index.insert_batch(piece.to_vec()).unwrap();
        }
        index.save().unwrap();
        drop(index);
        let index = Index::open(&dir, Analyzer::new()).unwrap();
        assert_eq!(index.len(), docs.len());
        assert_same_pairs(&index.corpus().pairs(), &all);
        eprintln!(
            "{name}: {} pieces inserted, {} pairs streamed: identical",
            second.len().div_ceil(97),
            want.len()
        );
        drop(index);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn deleted_and_expired_documents_are_gone_after_a_reopen() {
    let dir = scratch("delete");
    let docs = sample();
    let (old, new) = docs.split_at(8);
    let mut index = Index::create(&dir, IndexOptions::new()).unwrap();
    index.add_batch_at(old.to_vec(), 100).unwrap();
    index.save().unwrap();
    index.add_batch_at(new.to_vec(), 200).unwrap();
    // One saved document, one not yet saved, one unknown id.
    let gone = [old[1].id.as_str(), new[0].id.as_str(), "no-such-id"];
    assert_eq!(index.delete(gone).unwrap(), 2);
    assert_eq!(index.len(), docs.len() - 2);
    let kept: Vec<Document> = docs
        .iter()
        .filter(|d| !gone.contains(&d.id.as_str()))
        .cloned()
        .collect();
    assert_same_pairs(&index.corpus().pairs(), &one_shot(&kept));
    index.save().unwrap();
    // The saved document's and the one deleted before its batch was saved.
    assert_eq!(index.tombstone_count(), 2);
    drop(index);

    let mut index = Index::open(&dir, Analyzer::new()).unwrap();
    assert!(
        index.opened_from_parts(),
        "deletions are replayed between the parts"
    );
    assert_eq!(index.len(), kept.len());
    assert!(!index.contains(gone[0]) && !index.contains(gone[1]));
    assert_same_pairs(&index.corpus().pairs(), &one_shot(&kept));

    // A rolling window: everything added before 150 goes.
    let expired = index.expire_older_than(150).unwrap();
    assert_eq!(expired, old.len() - 1);
    let recent: Vec<Document> = kept
        .iter()
        .filter(|d| index.contains(&d.id))
        .cloned()
        .collect();
    assert_eq!(recent.len(), new.len() - 1);
    // A deleted id comes back as a new document (a corrected article).
    let corrected = old[1].clone();
    index.add_batch_at(vec![corrected.clone()], 300).unwrap();
    index.save().unwrap();
    drop(index);
    let index = Index::open(&dir, Analyzer::new()).unwrap();
    let mut expect = recent.clone();
    expect.push(corrected);
    assert_eq!(index.len(), expect.len());
    assert_eq!(index.added_at(&old[1].id), Some(300));
    assert_same_pairs(&index.corpus().pairs(), &one_shot(&expect));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn copies_across_batches_answer_as_one_run_through_reopens_and_deletions() {
    let dir = scratch("copies");
    let docs = sample();
    let copy = |d: &Document, n: usize| {
        let mut c = d.clone();
        c.id = format!("{}-copy{n}", d.id);
        c
    };
    // A copy inside the first batch, copies of held documents in the second.
    let mut first = docs[..10].to_vec();
    first.push(copy(&docs[0], 1));
    let second: Vec<Document> = vec![
        copy(&docs[0], 2),
        copy(&docs[3], 1),
        docs[10].clone(),
        copy(&docs[10], 1),
        docs[11].clone(),
    ];
    let all: Vec<Document> = first.iter().chain(&second).cloned().collect();
    let mut index = Index::create(&dir, IndexOptions::new()).unwrap();
    assert_same_pairs(&index.add_batch(first.clone()).unwrap(), &one_shot(&first));
    index.save().unwrap();
    drop(index);
    let mut index = Index::open(&dir, Analyzer::new()).unwrap();
    let new = ids(&second);
    let want: Vec<Match> = one_shot(&all)
        .into_iter()
        .filter(|m| new.contains(&*m.b))
        .collect();
    assert_same_pairs(&index.add_batch(second).unwrap(), &want);
    index.save().unwrap();
    drop(index);
    let mut index = Index::open(&dir, Analyzer::new()).unwrap();
    assert_eq!(index.len(), all.len());
    assert_same_pairs(&index.corpus().pairs(), &one_shot(&all));
    // The first of a group goes: the group lives on in its copies.
    index
        .delete([docs[0].id.as_str(), docs[10].id.as_str()])
        .unwrap();
    let kept: Vec<Document> = all
        .iter()
        .filter(|d| d.id != docs[0].id && d.id != docs[10].id)
        .cloned()
        .collect();
    assert_same_pairs(&index.corpus().pairs(), &one_shot(&kept));
    index.save().unwrap();
    drop(index);
    let mut index = Index::open(&dir, Analyzer::new()).unwrap();
    assert!(index.opened_from_parts());
    assert_same_pairs(&index.corpus().pairs(), &one_shot(&kept));
    index.compact().unwrap();
    drop(index);
    let mut index = Index::open(&dir, Analyzer::new()).unwrap();
    assert!(index.opened_from_parts());
    assert_same_pairs(&index.corpus().pairs(), &one_shot(&kept));
    // A document deleted before its batch is saved, and one deleted then added again in a
    // later batch (a corrected article): tombstones replayed between the parts.
    let extra = vec![copy(&docs[5], 9), docs[12].clone()];
    index.add_batch(extra.clone()).unwrap();
    index
        .delete([docs[12].id.as_str(), docs[1].id.as_str()])
        .unwrap();
    index.add_batch(vec![docs[1].clone()]).unwrap();
    index.save().unwrap();
    let in_process = index.corpus().pairs();
    drop(index);
    let index = Index::open(&dir, Analyzer::new()).unwrap();
    assert!(index.opened_from_parts());
    assert_same_pairs(&index.corpus().pairs(), &in_process);
    let mut expect: Vec<Document> = kept
        .iter()
        .filter(|d| d.id != docs[1].id)
        .cloned()
        .collect();
    expect.push(extra[0].clone());
    expect.push(docs[1].clone());
    assert_same_pairs(&index.corpus().pairs(), &one_shot(&expect));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compaction_drops_deleted_documents_and_keeps_every_answer() {
    let dir = scratch("compact");
    let docs = sample();
    let mut index = Index::create(&dir, IndexOptions::new().keep_texts(true)).unwrap();
    for chunk in docs.chunks(5) {
        index.add_batch(chunk.to_vec()).unwrap();
        index.save().unwrap();
    }
    index
        .delete([docs[0].id.as_str(), docs[7].id.as_str()])
        .unwrap();
    index.save().unwrap();
    assert_eq!(index.segment_count(), docs.len().div_ceil(5));
    let before = index.corpus().pairs();
    let bytes_before = dir_bytes(&dir);
    index.compact().unwrap();
    assert_eq!(index.segment_count(), 1);
    assert_eq!(index.tombstone_count(), 0);
    assert_same_pairs(&index.corpus().pairs(), &before);
    assert!(dir_bytes(&dir) < bytes_before);
    // Only the listed segment, the manifest and the lock are left.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    drop(index);
    let mut index = Index::open(&dir, Analyzer::new()).unwrap();
    assert!(index.opened_from_parts(), "compacted: the fast open again");
    assert_same_pairs(&index.corpus().pairs(), &before);
    // Deletions after a compaction land in the new segment's tombstones.
    index.delete([docs[3].id.as_str()]).unwrap();
    index.save().unwrap();
    let after = index.corpus().pairs();
    drop(index);
    let index = Index::open(&dir, Analyzer::new()).unwrap();
    assert_eq!(index.len(), docs.len() - 3);
    assert_same_pairs(&index.corpus().pairs(), &after);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

fn other_analyzer() -> Analyzer {
    let mut lex = lintas::Lexicon::builtin();
    lex.add_tsv(Lang::Indonesian, "gempa\tvolcano\n", "extra.tsv")
        .unwrap();
    Analyzer::builder().lexicon(lex).build().unwrap()
}

#[test]
fn another_analysis_is_refused_and_a_rebuild_adopts_it() {
    let docs = sample();
    for keep_texts in [false, true] {
        let dir = scratch(&format!("fingerprint-{keep_texts}"));
        let mut index = Index::create(&dir, IndexOptions::new().keep_texts(keep_texts)).unwrap();
        index.add_batch(docs.clone()).unwrap();
        index.delete([docs[2].id.as_str()]).unwrap();
        index.save().unwrap();
        drop(index);
        let e = Index::open(&dir, other_analyzer()).unwrap_err();
        let msg = e.to_string();
        assert!(
            matches!(&e, Error::IndexMismatch { what, .. } if what.starts_with("analysis fingerprint")),
            "{e:?}"
        );
        assert!(msg.contains("rebuild"), "{msg}");
        assert!(Index::open_read_only(&dir, other_analyzer()).is_err());
        if !keep_texts {
            let e = Index::rebuild(&dir, other_analyzer()).unwrap_err();
            assert!(
                matches!(&e, Error::IndexMismatch { what, .. } if what == "keep_texts"),
                "{e:?}"
            );
            // Still the old index, still usable with its own analysis.
            assert_eq!(
                Index::open(&dir, Analyzer::new()).unwrap().len(),
                docs.len() - 1
            );
        } else {
            let index = Index::rebuild(&dir, other_analyzer()).unwrap();
            assert!(
                index.opened_from_parts(),
                "a rebuild stores the new corpus's parts"
            );
            assert_eq!(index.fingerprint(), other_analyzer().fingerprint());
            let kept: Vec<Document> = docs
                .iter()
                .filter(|d| d.id != docs[2].id)
                .cloned()
                .collect();
            assert_same_pairs(
                &index.corpus().pairs(),
                &one_shot_with(other_analyzer(), &kept),
            );
            drop(index);
            // The old analysis is the one refused now.
            assert!(Index::open(&dir, Analyzer::new()).is_err());
            assert_eq!(
                Index::open(&dir, other_analyzer()).unwrap().len(),
                kept.len()
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn other_settings_and_other_format_versions_are_refused() {
    let dir = scratch("settings");
    let options = || IndexOptions::new().corpus(Corpus::builder().threshold(0.2));
    let mut index = Index::open_or_create(&dir, options()).unwrap();
    index.add_batch(sample()).unwrap();
    index.save().unwrap();
    drop(index);
    // The stored settings are the index's: open needs none, open_or_create must agree.
    let index = Index::open(&dir, Analyzer::new()).unwrap();
    assert_eq!(index.corpus().thresholds().0, 0.2);
    drop(index);
    assert_eq!(Index::open_or_create(&dir, options()).unwrap().len(), 20);
    let e = Index::open_or_create(&dir, IndexOptions::new()).unwrap_err();
    assert!(
        matches!(&e, Error::IndexMismatch { what, stored, .. } if what == "corpus setting threshold" && stored == "0.2"),
        "{e:?}"
    );
    let e = Index::open_or_create(&dir, options().keep_texts(true)).unwrap_err();
    assert!(
        matches!(&e, Error::IndexMismatch { what, .. } if what == "keep_texts"),
        "{e:?}"
    );
    assert!(Index::create(&dir, options()).is_err(), "an index is there");

    // An intact manifest of another format version (the checksum made as the format says).
    let path = dir.join("MANIFEST");
    let good = std::fs::read(&path).unwrap();
    let mut v2 = good.clone();
    v2[8..12].copy_from_slice(&99u32.to_le_bytes());
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(u64::from_le_bytes(*b"lintas-s"));
    h.update(&v2[8..24]);
    h.update(&v2[32..]);
    v2[24..32].copy_from_slice(&h.digest().to_le_bytes());
    std::fs::write(&path, &v2).unwrap();
    let e = Index::open(&dir, Analyzer::new()).unwrap_err();
    assert!(
        matches!(&e, Error::IndexMismatch { what, stored, .. } if what == "format version" && stored == "99"),
        "{e:?}"
    );
    std::fs::write(&path, &good).unwrap();
    assert!(Index::open(&dir, Analyzer::new()).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Opens `dir` and expects a damaged-file error naming `file`.
#[track_caller]
fn assert_corrupt(dir: &Path, file: &str, case: &str) {
    match Index::open(dir, Analyzer::new()) {
        Err(Error::IndexCorrupt { file: f, reason }) => {
            assert!(f.ends_with(file), "{case}: {f} instead of {file}: {reason}")
        }
        other => panic!("{case}: {other:?}"),
    }
}

#[test]
fn damaged_and_truncated_files_are_detected_on_open() {
    let dir = scratch("corrupt");
    let docs = sample();
    let mut index = Index::create(&dir, IndexOptions::new().keep_texts(true)).unwrap();
    index.add_batch(docs[..9].to_vec()).unwrap();
    index.save().unwrap();
    index.add_batch(docs[9..].to_vec()).unwrap();
    index.save().unwrap();
    let want = index.corpus().pairs();
    drop(index);
    let seg = "seg-000002.lseg";
    for file in ["MANIFEST", seg] {
        let path = dir.join(file);
        let good = std::fs::read(&path).unwrap();
        // A flipped bit anywhere: in the header, near the start, the middle and the end.
        for at in [0, 9, 17, 25, 40, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x04;
            std::fs::write(&path, &bad).unwrap();
            assert_corrupt(&dir, file, &format!("{file} byte {at} flipped"));
        }
        // Cut short: inside the header, just after it, one byte off the end.
        for len in [0, 20, 32, good.len() - 1] {
            std::fs::write(&path, &good[..len]).unwrap();
            assert_corrupt(&dir, file, &format!("{file} cut to {len} bytes"));
        }
        // One byte too many.
        let mut longer = good.clone();
        longer.push(0);
        std::fs::write(&path, &longer).unwrap();
        assert_corrupt(&dir, file, &format!("{file} one byte longer"));
        std::fs::write(&path, &good).unwrap();
    }
    // A segment swapped for another intact one.
    let one = std::fs::read(dir.join("seg-000001.lseg")).unwrap();
    let two = std::fs::read(dir.join(seg)).unwrap();
    std::fs::write(dir.join(seg), &one).unwrap();
    assert_corrupt(&dir, seg, "segment 1 copied over segment 2");
    std::fs::write(dir.join(seg), &two).unwrap();
    // A missing segment is an i/o error naming it.
    std::fs::rename(dir.join(seg), dir.join("moved")).unwrap();
    let e = Index::open(&dir, Analyzer::new()).unwrap_err();
    assert!(
        matches!(&e, Error::Io { path, .. } if path.ends_with(seg)),
        "{e:?}"
    );
    std::fs::rename(dir.join("moved"), dir.join(seg)).unwrap();
    // Restored: opens, same answers.
    let index = Index::open(&dir, Analyzer::new()).unwrap();
    assert_same_pairs(&index.corpus().pairs(), &want);
    drop(index);
    // Not an index at all.
    let e = Index::open(dir.join("nothing-here"), Analyzer::new()).unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_second_writer_is_refused_and_readers_see_the_last_save() {
    let dir = scratch("lock");
    let docs = sample();
    let mut writer = Index::create(&dir, IndexOptions::new()).unwrap();
    writer.add_batch(docs[..10].to_vec()).unwrap();
    writer.save().unwrap();
    writer.add_batch(docs[10..].to_vec()).unwrap();
    for e in [
        Index::open(&dir, Analyzer::new()).unwrap_err(),
        Index::open_or_create(&dir, IndexOptions::new()).unwrap_err(),
        Index::create(&dir, IndexOptions::new()).unwrap_err(),
        Index::rebuild(&dir, Analyzer::new()).unwrap_err(),
    ] {
        assert!(matches!(e, Error::IndexLocked { .. }), "{e:?}");
    }
    // A reader needs no lock and sees the last save, not the unsaved batch.
    let mut reader = Index::open_read_only(&dir, Analyzer::new()).unwrap();
    assert!(reader.is_read_only());
    assert_eq!(reader.len(), 10);
    assert_same_pairs(&reader.corpus().pairs(), &one_shot(&docs[..10]));
    let q = reader.query(docs[12].title.as_deref(), &docs[12].text);
    assert!(q.iter().all(|m| m.b.is_empty()));
    for e in [
        reader.add_batch(vec![Document::new("x", "y")]).unwrap_err(),
        reader.delete(["x"]).unwrap_err(),
        reader.expire_older_than(1).unwrap_err(),
        reader.save().unwrap_err(),
        reader.compact().unwrap_err(),
    ] {
        assert!(matches!(e, Error::IndexReadOnly { .. }), "{e:?}");
    }
    writer.save().unwrap();
    assert_eq!(
        Index::open_read_only(&dir, Analyzer::new()).unwrap().len(),
        docs.len()
    );
    drop(writer);
    // The lock goes with the writer.
    assert_eq!(
        Index::open(&dir, Analyzer::new()).unwrap().len(),
        docs.len()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn repeated_ids_are_errors_and_leave_the_index_unchanged() {
    let dir = scratch("duplicates");
    let docs = sample();
    let mut index = Index::create(&dir, IndexOptions::new()).unwrap();
    index.add_batch(docs[..4].to_vec()).unwrap();
    let pairs = index.corpus().pairs();
    let twice = vec![docs[5].clone(), docs[6].clone(), docs[5].clone()];
    let again = vec![docs[7].clone(), docs[1].clone()];
    for batch in [twice, again] {
        match index.add_batch(batch) {
            Err(Error::DuplicateId(id)) => assert!(id == docs[5].id || id == docs[1].id),
            other => panic!("{other:?}"),
        }
        assert_eq!(index.len(), 4);
        assert_same_pairs(&index.corpus().pairs(), &pairs);
    }
    assert!(index.add_batch(Vec::new()).unwrap().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn what_a_killed_writer_left_is_removed_and_nothing_else() {
    let dir = scratch("garbage");
    let mut index = Index::create(&dir, IndexOptions::new()).unwrap();
    index.add_batch(sample()).unwrap();
    index.save().unwrap();
    drop(index);
    for f in ["seg-000007.lseg", "seg-000008.lseg.tmp", "MANIFEST.tmp"] {
        std::fs::write(dir.join(f), b"half written").unwrap();
    }
    std::fs::write(dir.join("notes.txt"), b"the user's").unwrap();
    // A reader changes nothing.
    assert!(Index::open_read_only(&dir, Analyzer::new()).is_ok());
    assert!(dir.join("MANIFEST.tmp").exists());
    let index = Index::open(&dir, Analyzer::new()).unwrap();
    assert_eq!(index.len(), 20);
    for f in ["seg-000007.lseg", "seg-000008.lseg.tmp", "MANIFEST.tmp"] {
        assert!(!dir.join(f).exists(), "{f}");
    }
    assert!(dir.join("notes.txt").exists());
    drop(index);
    // An index is not created among other files.
    let other = scratch("garbage-other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), b"x").unwrap();
    let e = Index::create(&other, IndexOptions::new()).unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "dir", .. }),
        "{e:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&other).unwrap();
}

/// Open time for 100,000 documents (~70 copies of the dev pools' texts, each under a new id
/// with its sentences shuffled): `cargo test --release -p lintas --test store -- --ignored
/// open_time --nocapture`.
#[test]
#[ignore = "a measurement: ~100k documents, run in release"]
fn open_time_per_100k_documents() {
    let pools = pools();
    let base: Vec<&Document> = pools.iter().flat_map(|(_, d)| d).collect();
    let target = 100_000;
    let dir = scratch("open-time");
    let mut index = Index::create(&dir, IndexOptions::new()).unwrap();
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let t0 = std::time::Instant::now();
    let mut n = 0;
    while n < target {
        let batch: Vec<Document> = (0..10_000.min(target - n))
            .map(|i| {
                let d = base[(n + i) % base.len()];
                // The lines of one document, shuffled with lines of another: a new text.
                let other = base[next() as usize % base.len()];
                let mut lines: Vec<&str> =
                    d.text.lines().chain(other.text.lines().take(3)).collect();
                for j in (1..lines.len()).rev() {
                    lines.swap(j, next() as usize % (j + 1));
                }
                Document::new(format!("doc-{}", n + i), lines.join("\n"))
            })
            .collect();
        n += batch.len();
        let pairs = index.add_batch(batch).unwrap();
        index.save().unwrap();
        eprintln!(
            "{n} documents indexed, {} pairs in the batch, {:.1} s",
            pairs.len(),
            t0.elapsed().as_secs_f64()
        );
    }
    let memory = index.memory_report();
    drop(index);
    let bytes = dir_bytes(&dir);
    // Three opens each way (the machine is shared: the least is the cost, the others the
    // noise), with the process's CPU time (Linux: /proc/self/stat), which other processes do
    // not inflate.
    let cpu = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let after = stat.rsplit_once(')')?.1;
        let f: Vec<&str> = after.split_whitespace().collect();
        let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
        Some(ticks / 100.0)
    };
    let opens = |from_parts: bool| {
        let mut times = Vec::new();
        let mut cpus = Vec::new();
        for _ in 0..3 {
            let (t, c) = (std::time::Instant::now(), cpu());
            let opened = Index::open(&dir, Analyzer::new()).unwrap();
            times.push(t.elapsed().as_secs_f64());
            cpus.push(cpu().zip(c).map_or(f64::NAN, |(b, a)| b - a));
            assert_eq!(opened.opened_from_parts(), from_parts);
            assert!(opened.len() >= target - target / 100);
        }
        let least = times.iter().copied().fold(f64::INFINITY, f64::min);
        eprintln!(
            "open from {}: wall {times:.2?} s, CPU {cpus:.2?} s (least wall {:.2} s per 100k)",
            if from_parts {
                "the corpus parts"
            } else {
                "the features"
            },
            least * 100_000.0 / target as f64
        );
    };
    opens(true);
    // Deletions (every 100th document) are replayed between the parts.
    let mut index = Index::open(&dir, Analyzer::new()).unwrap();
    index
        .delete((0..target).step_by(100).map(|i| format!("doc-{i}")))
        .unwrap();
    index.save().unwrap();
    drop(index);
    opens(true);
    eprintln!(
        "{target} documents: {:.1} MB on disk, {:.0} bytes per document in memory (labels included)",
        bytes as f64 / 1e6,
        memory.per_document_with_labels
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_index_keeps_its_verifier_and_answers_with_it_after_a_reopen() {
    use lintas::Verifier;
    let dir = scratch("event-verifier");
    let docs = sample();
    let event = Corpus::builder().verifier(Verifier::Event);
    let mut index = Index::create(&dir, IndexOptions::new().corpus(event.clone())).unwrap();
    index.add_batch_at(docs.clone(), 1_000).unwrap();
    index.save().unwrap();
    let before = index.corpus().pairs();
    assert!(!before.is_empty());
    assert!(before.iter().all(|m| m.score == m.probability));
    drop(index);
    let index = Index::open(&dir, Analyzer::new()).unwrap();
    assert_eq!(index.corpus().verifier(), Verifier::Event);
    assert_eq!(
        index.corpus().thresholds(),
        (lintas::EVENT_THRESHOLD, lintas::EVENT_CROSS_THRESHOLD)
    );
    assert_same_pairs(&index.corpus().pairs(), &before);
    // The same documents in one process with the same settings.
    let mut d = Detector::builder().corpus(event).build().unwrap();
    for doc in &docs {
        d.add_article(doc.id.as_str(), doc.title.as_deref(), &doc.text)
            .unwrap();
    }
    assert_same_pairs(&d.pairs(), &before);
    let _ = std::fs::remove_dir_all(&dir);
}
