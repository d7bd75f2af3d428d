//! The engine steps ([`Engine`]) give exactly the corpus's pairs: the same pairs, in
//! the same orientation, with the same scores and explanations, on the bundled sample (with
//! copies added), the dev pools and dev-multi when `../shared` is there (required under
//! CI=true), with both verifiers. The shuffle is simulated here with a map, as an engine
//! would do it with a self-join.

mod common;

use common::{read_pool, same_match};
use lintas::{
    Analysis, Analyzer, Corpus, CorpusBuilder, Detector, Document, Engine, Fingerprint,
    Frequencies, KeySource, Match, Verifier,
};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The pools to check: the sample with two copies and an empty document, plus the dev pools
/// when present.
fn pools() -> Vec<(String, Vec<Document>)> {
    let s = common::sample_with_copies();
    let mut out = vec![("sample+copies".to_string(), s)];
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    let names = [
        "dev-en-id.jsonl",
        "dev-independent.jsonl",
        "dev-multi.jsonl",
    ];
    // dev-multi's 483k candidate pairs take over a minute in a debug build: it is checked in
    // release builds here, and by python/parity.py (every path, release) in CI.
    let names = if cfg!(debug_assertions) {
        &names[..2]
    } else {
        &names[..]
    };
    if !shared.join(names[0]).exists() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but {} is missing: the dev pools cannot be checked",
            shared.display()
        );
        eprintln!("SKIP dev pools: {} not found", shared.display());
        return out;
    }
    out.extend(
        names
            .iter()
            .map(|n| (n.to_string(), read_pool(&shared.join(n)))),
    );
    out
}

fn analyses(docs: &[Document]) -> Vec<Analysis> {
    let a = Analyzer::new();
    docs.iter()
        .map(|d| a.analyze_article(d.title.as_deref(), &d.text))
        .collect()
}

/// The corpus's pairs, as `dedup` makes them (every document added, then the pair stream).
fn corpus_pairs(settings: CorpusBuilder, docs: &[Document], a: &[Analysis]) -> Vec<Match> {
    let mut d = Detector::builder().corpus(settings).build().unwrap();
    d.push_analyzed_many(docs.iter().zip(a).map(|(d, a)| (d.id.as_str().into(), a)))
        .unwrap();
    let mut out = Vec::new();
    d.corpus()
        .try_for_each_pair(0, |m| {
            out.push(m);
            Ok::<(), ()>(())
        })
        .unwrap();
    out
}

/// The engine recipe in one process: fingerprints (through their bytes), copy groups,
/// frequencies in two merged parts (through their bytes), keys, the self-join, the candidate
/// rule, verification and expansion to the groups' members. Also returns the candidate
/// pairs of representatives.
fn engine_pairs(
    settings: CorpusBuilder,
    docs: &[Document],
    a: &[Analysis],
) -> (Vec<Match>, Vec<(usize, usize)>) {
    let engine = Engine::new(settings).unwrap();
    let fps: Vec<Fingerprint> = docs
        .iter()
        .zip(a)
        .map(|(d, a)| {
            let fp = engine.fingerprint(d.id.as_str(), a.detection().lang(), a.features());
            Fingerprint::from_bytes(&fp.to_bytes()).unwrap()
        })
        .collect();
    // Copy groups: the first document of a non-zero key represents it.
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut rep_of_key: HashMap<u64, usize> = HashMap::new();
    for (i, fp) in fps.iter().enumerate() {
        let rep = match fp.copy_key() {
            0 => i,
            k => *rep_of_key.entry(k).or_insert(i),
        };
        groups.entry(rep).or_default().push(i);
    }
    let reps: Vec<usize> = groups.keys().copied().collect();
    // Frequencies in two parts, merged.
    let (mut x, mut y) = (Frequencies::new(), Frequencies::new());
    for (n, &r) in reps.iter().enumerate() {
        if n % 2 == 0 { &mut x } else { &mut y }.add(&fps[r]);
    }
    let mut freq = Frequencies::from_bytes(&y.to_bytes()).unwrap();
    freq.merge(&x);
    // The same table from the fingerprints' binary form (labels never made).
    let mut from_bytes = Frequencies::new();
    for &r in &reps {
        from_bytes.add_bytes(&fps[r].to_bytes()).unwrap();
    }
    assert_eq!(from_bytes, freq);
    // Keys and the self-join.
    let mut rows: HashMap<(i32, u64), Vec<usize>> = HashMap::new();
    for &r in &reps {
        let keys = engine.keys(&fps[r], &freq);
        assert_eq!(
            engine.keys_of_bytes(&fps[r].to_bytes(), &freq).unwrap(),
            keys
        );
        for k in keys {
            rows.entry((k.source.code(), k.key)).or_default().push(r);
        }
    }
    let mut shared: BTreeMap<(usize, usize), [usize; 3]> = BTreeMap::new();
    for ((source, _), v) in &rows {
        let col = match KeySource::from_code(*source).unwrap() {
            KeySource::Band(_) => 0,
            KeySource::Rare => 1,
            KeySource::Lead => 2,
        };
        for (i, &a) in v.iter().enumerate() {
            for &b in &v[i + 1..] {
                shared.entry((a.min(b), a.max(b))).or_default()[col] += 1;
            }
        }
    }
    let candidates: Vec<(usize, usize)> = shared
        .iter()
        .filter(|(_, n)| engine.is_candidate(n[0], n[1], n[2]))
        .map(|(&p, _)| p)
        .collect();
    let mut out = Vec::new();
    for &rep in &reps {
        if groups[&rep].len() > 1 {
            if let Some(m) = engine.verify(&fps[rep], &fps[rep], &freq) {
                let g = &groups[&rep];
                for (j, &b) in g.iter().enumerate() {
                    for &a in &g[..j] {
                        out.push(Match {
                            a: fps[a].id().clone(),
                            b: fps[b].id().clone(),
                            ..m.clone()
                        });
                    }
                }
            }
        }
    }
    // Half the pairs one by one, half in one batch: both paths are checked.
    let (one, batch) = candidates.split_at(candidates.len() / 2);
    let verified = one
        .iter()
        .map(|&(a, b)| engine.verify(&fps[a], &fps[b], &freq))
        .chain(engine.verify_many(&fps, batch, &freq));
    for (&(a, b), m) in candidates.iter().zip(verified) {
        if let Some(m) = m {
            for &x in &groups[&a] {
                for &y in &groups[&b] {
                    out.push(Match {
                        a: fps[x.min(y)].id().clone(),
                        b: fps[x.max(y)].id().clone(),
                        ..m.clone()
                    });
                }
            }
        }
    }
    (out, candidates)
}

fn by_pair(v: Vec<Match>) -> BTreeMap<(String, String), Match> {
    v.into_iter()
        .map(|m| ((m.a.to_string(), m.b.to_string()), m))
        .collect()
}

#[test]
fn the_engine_steps_give_the_corpus_pairs() {
    for (name, docs) in pools() {
        let a = analyses(&docs);
        // dev-multi (483k candidate pairs: its same-language floods) with the default
        // verifier only, to keep the test short.
        let verifiers: &[Verifier] = if name.starts_with("dev-multi") {
            &[Verifier::Combined]
        } else {
            &[Verifier::Combined, Verifier::Overlap, Verifier::Event]
        };
        for &verifier in verifiers {
            let settings = Corpus::builder().verifier(verifier);
            let t = std::time::Instant::now();
            let want = corpus_pairs(settings.clone(), &docs, &a);
            let corpus_time = t.elapsed();
            let t = std::time::Instant::now();
            let (got, candidates) = engine_pairs(settings, &docs, &a);
            let engine_time = t.elapsed();
            let (want, got) = (by_pair(want), by_pair(got));
            assert!(!want.is_empty(), "{name}: no pair to compare");
            let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
            let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{name} {verifier:?}: missing {missing:?}, extra {extra:?}"
            );
            for (k, w) in &want {
                if let Err(e) = same_match(&got[k], w, 1e-9) {
                    panic!("{name} {verifier:?}: {e}");
                }
            }
            // The clusterer ends every engine recipe: the engine's pairs, in another order
            // (here by pair id, reversed), give the corpus's groups.
            let (want, got): (Vec<Match>, Vec<Match>) = (
                want.into_values().collect(),
                got.into_values().rev().collect(),
            );
            assert_eq!(
                lintas::clusters(&got),
                lintas::clusters(&want),
                "{name} {verifier:?}"
            );
            eprintln!(
                "{name} {verifier:?}: {} pairs and their clusters identical ({} candidate pairs of representatives; \
                 corpus {corpus_time:.2?}, engine steps {engine_time:.2?})",
                want.len(),
                candidates.len()
            );
        }
    }
}

#[test]
fn the_engine_candidates_are_the_corpus_candidates() {
    for (name, docs) in pools().into_iter().take(2) {
        let mut d = Detector::new();
        let a = analyses(&docs);
        d.push_analyzed_many(docs.iter().zip(&a).map(|(d, a)| (d.id.as_str().into(), a)))
            .unwrap();
        let mut want: Vec<(String, String)> = d
            .corpus()
            .candidate_pairs()
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        want.sort();
        let (_, cand) = engine_pairs(Corpus::builder(), &docs, &a);
        let mut got: Vec<(String, String)> = cand
            .into_iter()
            .map(|(a, b)| (docs[a].id.clone(), docs[b].id.clone()))
            .collect();
        got.sort();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn fingerprints_and_frequencies_round_trip_and_refuse_damage() {
    let engine = Engine::new(Corpus::builder()).unwrap();
    let a = Analyzer::new().analyze(
        "Floods in Semarang killed eight people on Monday and forced 12,000 residents from \
         their homes, the disaster agency BNPB said.",
    );
    let fp = engine.fingerprint("en-1", a.detection().lang(), a.features());
    let bytes = fp.to_bytes();
    assert_eq!(&bytes[..4], b"LNTP");
    assert_eq!(Fingerprint::from_bytes(&bytes).unwrap(), fp);
    let mut freq = Frequencies::new();
    freq.add(&fp);
    freq.add(&fp);
    assert_eq!(freq.documents(), 2);
    assert!(fp.features().iter().all(|f| freq.df(f.hash) == 2));
    let fb = freq.to_bytes();
    assert_eq!(Frequencies::from_bytes(&fb).unwrap(), freq);
    assert_eq!(freq.languages(), vec![(Some(lintas::Lang::English), 2)]);
    assert_eq!(freq.documents_in(Some(lintas::Lang::English)), 2);
    assert_eq!(freq.documents_in(Some(lintas::Lang::French)), 0);
    // Rows from an engine's GROUP BY: the same table once the languages are added.
    let rows = Frequencies::from_entries(2, freq.entries());
    assert!(rows.languages().is_empty());
    assert_eq!(freq.concept_documents(), 2);
    assert_eq!(
        fb,
        rows.with_languages(freq.languages())
            .with_concept_documents(2)
            .to_bytes()
    );
    for (what, b) in [("fingerprint", &bytes), ("frequencies", &fb)] {
        let decode = |x: &[u8]| match what {
            "fingerprint" => Fingerprint::from_bytes(x).err(),
            _ => Frequencies::from_bytes(x).err(),
        };
        for cut in [0, 4, 12, b.len() / 2, b.len() - 1] {
            let e = decode(&b[..cut]).expect("a cut form is refused");
            assert!(e.to_string().contains(what), "{e}");
        }
        if what == "fingerprint" {
            let cut = &b[..b.len() - 1];
            assert!(engine.keys_of_bytes(cut, &freq).is_err());
            let mut f = freq.clone();
            assert!(f.add_bytes(cut).is_err());
            assert_eq!(f, freq, "a refused fingerprint counts nothing");
        }
        let mut flipped = b.clone();
        flipped[b.len() / 2] ^= 1;
        assert!(decode(&flipped).unwrap().to_string().contains("checksum"));
        let mut version = b.clone();
        version[4] = 99;
        assert!(decode(&version).unwrap().to_string().contains("version 99"));
    }
}

#[test]
fn empty_and_incompatible_documents_match_nothing() {
    let engine = Engine::new(Corpus::builder()).unwrap();
    let text = "Floods in Semarang killed eight people on Monday, the disaster agency BNPB said.";
    let a = Analyzer::new().analyze(text);
    let fp = engine.fingerprint("a", a.detection().lang(), a.features());
    let empty = engine.fingerprint("e", None, &[]);
    assert!(empty.is_empty());
    assert_eq!(empty.copy_key(), 0);
    let mut freq = Frequencies::new();
    freq.add(&fp);
    freq.add(&empty);
    assert!(engine.keys(&empty, &freq).is_empty());
    assert!(engine.score(&fp, &empty, &freq).is_none());
    assert!(engine.verify(&fp, &fp, &freq).is_some());
    let other = Engine::new(Corpus::builder().seed(7)).unwrap();
    let fp7 = other.fingerprint("b", a.detection().lang(), a.features());
    assert!(engine.score(&fp, &fp7, &freq).is_none(), "other seed");
    // The candidate rule: any band, or enough rare or lead keys; a minimum of 0 is off.
    assert!(engine.is_candidate(1, 0, 0));
    assert!(engine.is_candidate(0, 2, 0) && engine.is_candidate(0, 0, 2));
    assert!(!engine.is_candidate(0, 1, 1));
    let off = Engine::new(Corpus::builder().min_shared_rare(0)).unwrap();
    assert!(!off.is_candidate(0, 5, 0));
    assert!(off
        .keys(&fp, &freq)
        .iter()
        .all(|k| k.source != KeySource::Rare));
    for code in [-2, -1, 0, 31] {
        assert_eq!(KeySource::from_code(code).unwrap().code(), code);
    }
    assert_eq!(KeySource::from_code(-3), None);
}
