//! The Parquet files (`lintas::parquet`, feature `parquet`) read back with the `parquet`
//! crate's arrow reader hold what they promise, on the bundled sample with copies and an
//! empty document: every document's id, input order, copy key and signature; exactly the
//! keys `Engine::keys` gives each representative with the global frequencies; the settings
//! in the key-value metadata; and a self-join of the keys that gives exactly
//! `Corpus::candidate_pairs`. `examples/parquet_join.py` does the same join in DuckDB SQL.
#![cfg(feature = "parquet")]

mod common;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use lintas::parquet::{self, Metadata, PairWriter};
use lintas::{Analyzer, Corpus, Detector, Document, Engine, Frequencies, KeySource};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};

/// The sample with copies and an empty document.
fn pool() -> Vec<Document> {
    common::sample_with_copies()
}

fn tmp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lintas-parquet-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// A file's batches and its key-value metadata.
fn read(path: &Path) -> (Vec<RecordBatch>, BTreeMap<String, String>) {
    use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let b = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let kv: BTreeMap<String, String> = b
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .expect("key-value metadata")
        .iter()
        .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
        .collect();
    let batches = b.build().unwrap().map(Result::unwrap).collect();
    (batches, kv)
}

fn strings(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let c = b.column_by_name(name).unwrap().as_string::<i32>();
    (0..c.len())
        .map(|i| c.is_valid(i).then(|| c.value(i).to_string()))
        .collect()
}

fn int64s(b: &RecordBatch, name: &str) -> Vec<i64> {
    b.column_by_name(name)
        .unwrap()
        .as_primitive::<Int64Type>()
        .values()
        .to_vec()
}

#[test]
fn the_files_hold_the_signatures_the_engine_keys_and_the_settings() {
    let docs = pool();
    let analyzer = Analyzer::new();
    let analyses: Vec<_> = docs
        .iter()
        .map(|d| analyzer.analyze_article(d.title.as_deref(), &d.text))
        .collect();
    let mut detector = Detector::new();
    detector
        .push_analyzed_many(
            docs.iter()
                .zip(&analyses)
                .map(|(d, a)| (d.id.as_str().into(), a)),
        )
        .unwrap();
    let corpus = detector.corpus();
    let dir = tmp_dir("sample");
    let written = parquet::write_corpus(corpus, &dir).unwrap();
    assert_eq!(written.signatures, docs.len() as u64);

    // The engine's view: fingerprints, copy groups, global frequencies, keys.
    let engine = Engine::new(Corpus::builder()).unwrap();
    let fps: Vec<_> = docs
        .iter()
        .zip(&analyses)
        .map(|(d, a)| engine.fingerprint(d.id.as_str(), a.detection().lang(), a.features()))
        .collect();
    let mut first_of_key: HashMap<u64, usize> = HashMap::new();
    let reps: Vec<usize> = (0..fps.len())
        .filter(|&i| match fps[i].copy_key() {
            0 => true,
            k => *first_of_key.entry(k).or_insert(i) == i,
        })
        .collect();
    assert_eq!(reps.len(), docs.len() - 3, "three copies");
    let mut freq = Frequencies::new();
    reps.iter().for_each(|&r| freq.add(&fps[r]));

    // signatures.parquet: every document in input order.
    let (batches, kv) = read(&dir.join(parquet::SIGNATURES_FILE));
    assert_eq!(kv["lintas.file"], "signatures");
    let mut n = 0;
    for b in &batches {
        let ids = strings(b, "id");
        let ords = int64s(b, "ord");
        let keys = int64s(b, "copy_key");
        let langs = strings(b, "lang");
        let reps_col = b.column_by_name("representative").unwrap().as_boolean();
        let sigs = b.column_by_name("sig").unwrap().as_fixed_size_list();
        assert_eq!(sigs.value_length(), 128);
        for i in 0..b.num_rows() {
            let fp = &fps[n];
            assert_eq!(ids[i].as_deref(), Some(docs[n].id.as_str()));
            assert_eq!(ords[i], n as i64);
            assert_eq!(keys[i] as u64, fp.copy_key(), "{}", docs[n].id);
            assert_eq!(langs[i].as_deref(), fp.lang().map(|l| l.code()));
            assert_eq!(reps_col.value(i), reps.contains(&n), "{}", docs[n].id);
            assert_eq!(
                corpus.signature(&docs[n].id),
                Some(fp.signature()),
                "the corpus's signature is the engine's"
            );
            if fp.signature().is_empty() {
                assert!(sigs.is_null(i), "an empty document has a null sig");
            } else {
                let v = sigs.value(i);
                let got = v.as_primitive::<Int64Type>().values();
                let want: Vec<i64> = fp
                    .signature()
                    .values()
                    .iter()
                    .map(|&x| i64::from(x))
                    .collect();
                assert_eq!(got, &want[..]);
            }
            n += 1;
        }
    }
    assert_eq!(n, docs.len());
    assert!(
        fps.iter().any(|f| f.signature().is_empty()),
        "the empty document is checked"
    );

    // keys.parquet: exactly Engine::keys of every representative, in order.
    let (batches, kv) = read(&dir.join(parquet::KEYS_FILE));
    let mut got: Vec<(i64, String, i32, u64)> = Vec::new();
    for b in &batches {
        let sources = b
            .column_by_name("source")
            .unwrap()
            .as_primitive::<Int32Type>();
        let (keys, ords, ids) = (int64s(b, "key"), int64s(b, "ord"), strings(b, "id"));
        for i in 0..b.num_rows() {
            got.push((
                ords[i],
                ids[i].clone().unwrap(),
                sources.value(i),
                keys[i] as u64,
            ));
        }
    }
    let want: Vec<(i64, String, i32, u64)> = reps
        .iter()
        .flat_map(|&r| {
            let id = &docs[r].id;
            engine
                .keys(&fps[r], &freq)
                .into_iter()
                .map(move |k| (r as i64, id.clone(), k.source.code(), k.key))
        })
        .collect();
    assert_eq!(got.len() as u64, written.keys);
    assert_eq!(
        got, want,
        "keys.parquet is Engine::keys with the global frequencies"
    );
    for source in [KeySource::Band(0), KeySource::Rare, KeySource::Lead] {
        assert!(
            got.iter().any(|r| r.2 == source.code()),
            "{source:?} keys are checked"
        );
    }
    for &r in &reps {
        assert_eq!(
            corpus.keys(&docs[r].id).unwrap(),
            engine.keys(&fps[r], &freq)
        );
    }

    // The metadata: the settings the join reads.
    let meta = Metadata::of_engine(&engine, &freq);
    assert_eq!(meta, Metadata::of_corpus(corpus));
    for (k, v) in [
        ("lintas.format", "lintas-parquet".to_string()),
        ("lintas.format_version", parquet::FORMAT_VERSION.to_string()),
        ("lintas.file", "keys".to_string()),
        ("lintas.hash_scheme", "1".to_string()),
        ("lintas.num_hashes", "128".to_string()),
        ("lintas.bands", "32".to_string()),
        ("lintas.rows", "4".to_string()),
        ("lintas.documents", reps.len().to_string()),
        ("lintas.min_shared_rare", "2".to_string()),
        ("lintas.min_shared_lead", "2".to_string()),
        ("lintas.rare_cap", engine.rare_cap(&freq).to_string()),
        ("lintas.lead_cap", engine.lead_cap(&freq).to_string()),
        ("lintas.seed", fps[0].signature().seed().to_string()),
    ] {
        assert_eq!(kv.get(k), Some(&v), "{k}");
    }
    for (k, v) in meta.entries() {
        assert_eq!(kv.get(k), Some(v), "{k}");
    }

    // The self-join of the file's rows and the candidate rule give the corpus's candidates.
    let mut buckets: HashMap<(i32, u64), Vec<(i64, &str)>> = HashMap::new();
    for (ord, id, source, key) in &got {
        buckets
            .entry((*source, *key))
            .or_default()
            .push((*ord, id.as_str()));
    }
    type Doc<'a> = (i64, &'a str);
    let mut shared: BTreeMap<(Doc, Doc), [usize; 3]> = BTreeMap::new();
    for ((source, _), v) in &buckets {
        let col = match KeySource::from_code(*source).unwrap() {
            KeySource::Band(_) => 0,
            KeySource::Rare => 1,
            KeySource::Lead => 2,
        };
        for x in v {
            for y in v.iter().filter(|y| x.0 < y.0) {
                shared.entry((*x, *y)).or_default()[col] += 1;
            }
        }
    }
    let joined: BTreeSet<(String, String)> = shared
        .iter()
        .filter(|(_, n)| engine.is_candidate(n[0], n[1], n[2]))
        .map(|((a, b), _)| (a.1.to_string(), b.1.to_string()))
        .collect();
    let candidates: BTreeSet<(String, String)> = corpus
        .candidate_pairs()
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert!(!candidates.is_empty());
    assert_eq!(joined, candidates);

    // pairs.parquet: the flagged pairs as written.
    let pairs = detector.pairs();
    let mut w = PairWriter::create(dir.join(parquet::PAIRS_FILE), &meta).unwrap();
    pairs.iter().for_each(|m| w.push(m).unwrap());
    assert_eq!(w.finish().unwrap(), pairs.len() as u64);
    let (batches, kv) = read(&dir.join(parquet::PAIRS_FILE));
    assert_eq!(kv["lintas.file"], "pairs");
    let mut back = Vec::new();
    for b in &batches {
        let (a, bb) = (strings(b, "a"), strings(b, "b"));
        let score = b
            .column_by_name("score")
            .unwrap()
            .as_primitive::<arrow_array::types::Float64Type>();
        let cross = b.column_by_name("cross_language").unwrap().as_boolean();
        for i in 0..b.num_rows() {
            back.push((
                a[i].clone().unwrap(),
                bb[i].clone().unwrap(),
                score.value(i),
                cross.value(i),
            ));
        }
    }
    let want: Vec<_> = pairs
        .iter()
        .map(|m| (m.a.to_string(), m.b.to_string(), m.score, m.cross_language))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(back, want);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// More rows than one record batch: the batches split and join up again, and a writer given
/// a signature of another size refuses it.
#[test]
fn rows_past_one_batch_and_a_wrong_signature_size() {
    let engine = Engine::new(Corpus::builder()).unwrap();
    let freq = Frequencies::new();
    let meta = Metadata::of_engine(&engine, &freq);
    let dir = tmp_dir("batches");
    std::fs::create_dir_all(&dir).unwrap();
    let a = Analyzer::new().analyze("Floods in Semarang killed eight people on Monday.");
    let fp = engine.fingerprint("x", a.detection().lang(), a.features());
    let mut w = parquet::SignatureWriter::create(dir.join("s.parquet"), &meta).unwrap();
    let n = parquet::BATCH_ROWS + 5;
    for i in 0..n {
        w.push_fingerprint(i as u64, &fp, true).unwrap();
    }
    let other = Engine::new(Corpus::builder().num_hashes(256)).unwrap();
    let wide = other.fingerprint("y", a.detection().lang(), a.features());
    let e = w.push_fingerprint(0, &wide, true).unwrap_err();
    assert!(e.to_string().contains("num_hashes"), "{e}");
    assert_eq!(w.finish().unwrap(), n as u64);
    let (batches, _) = read(&dir.join("s.parquet"));
    let ords: Vec<i64> = batches.iter().flat_map(|b| int64s(b, "ord")).collect();
    assert_eq!(ords, (0..n as i64).collect::<Vec<_>>());
    std::fs::remove_dir_all(&dir).unwrap();
}
