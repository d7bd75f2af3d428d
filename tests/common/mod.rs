//! Helpers shared by the integration tests: features at a position, and pools compared
//! across processes and reopened indexes.

// Each test binary that includes this module uses some of it.
#![allow(dead_code)]

use lintas::jsonl::Reader;
use lintas::{Document, Feature, FeatureKind, Match, Position};
use std::path::Path;

/// A JSONL pool as index documents (`id`, `text`, and `title` when there is one).
pub fn read_pool(path: &Path) -> Vec<Document> {
    let f = std::fs::File::open(path).unwrap();
    Reader::new(std::io::BufReader::new(f))
        .map(|r| {
            let r = r.unwrap();
            let d = Document::new(r.id, r.text);
            match r.title {
                Some(t) => d.with_title(t),
                None => d,
            }
        })
        .collect()
}

/// The bundled sample as index documents.
pub fn sample() -> Vec<Document> {
    read_pool(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample.jsonl"))
}

/// The bundled sample with two copies of its first document, one of its third and an empty
/// document (copy groups and an empty document for the engine and Parquet tests).
pub fn sample_with_copies() -> Vec<Document> {
    let mut s = sample();
    let copy = |d: &Document, id: &str| Document {
        id: id.into(),
        ..d.clone()
    };
    let (first, third) = (s[0].clone(), s[2].clone());
    s.push(copy(&first, "copy-of-first"));
    s.push(Document::new("empty", "  "));
    s.push(copy(&first, "second-copy-of-first"));
    s.push(copy(&third, "copy-of-third"));
    s
}

/// Whether two matches agree: the same pair, type and explanation, and the same numbers up to
/// `tol` (sums of the same weights in another feature order differ in the last bits).
pub fn same_match(g: &Match, w: &Match, tol: f64) -> Result<(), String> {
    let close = |x: f64, y: f64| (x - y).abs() <= tol;
    if (&g.a, &g.b, g.cross_language) != (&w.a, &w.b, w.cross_language) {
        return Err(format!("{}-{} vs {}-{}", g.a, g.b, w.a, w.b));
    }
    for (what, x, y) in [
        ("score", g.score, w.score),
        ("probability", g.probability, w.probability),
        ("jaccard", g.jaccard, w.jaccard),
        ("containment", g.containment, w.containment),
        ("estimate", g.estimate, w.estimate),
        ("threshold", g.threshold, w.threshold),
    ] {
        if !close(x, y) {
            return Err(format!("{}-{}: {what} {x} vs {y}", g.a, g.b));
        }
    }
    if !g
        .evidence
        .values()
        .into_iter()
        .zip(w.evidence.values())
        .all(|(x, y)| close(x, y))
    {
        return Err(format!("evidence {:?} vs {:?}", g.evidence, w.evidence));
    }
    let (ge, we) = (&g.explanation, &w.explanation);
    if (&ge.shared_counts, &ge.top, &ge.conflicts) != (&we.shared_counts, &we.top, &we.conflicts) {
        return Err(format!("explanation {ge:?} vs {we:?}"));
    }
    for (x, y) in [
        (&ge.evidence_for, &we.evidence_for),
        (&ge.evidence_against, &we.evidence_against),
    ] {
        if x.len() != y.len()
            || !x
                .iter()
                .zip(y)
                .all(|((n, c), (m, d))| n == m && close(*c, *d))
        {
            return Err(format!("contributions {x:?} vs {y:?}"));
        }
    }
    Ok(())
}

/// A feature at a position (`Feature::new` puts every feature in the body).
pub fn at(kind: FeatureKind, label: &str, position: Position) -> Feature {
    let mut f = Feature::new(kind, label);
    f.position = position;
    f
}
