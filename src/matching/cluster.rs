//! Clustering: groups of documents about one event, through verified pairs only.

use super::verify::Match;
use ahash::{AHashMap, AHashSet};
use std::sync::Arc;

/// Groups of documents linked by verified pairs, without chaining: two groups merge only
/// when more than half of the document pairs between them are flagged. Singletons are
/// left out. Groups are sorted by size, largest first, ids sorted within.
///
/// The groups do not depend on the order of `pairs`: they are taken strongest first, by the
/// score rounded to 4 decimals (what `dedup` writes), ties by ids. So the pairs of
/// [`Corpus::pairs`], of `dedup`'s stream, of a pairs file or of an engine recipe give the
/// same groups ([`clusters_of_pairs`]).
///
/// [`Corpus::pairs`]: crate::Corpus::pairs
pub fn clusters(pairs: &[Match]) -> Vec<Vec<Arc<str>>> {
    clusters_of_pairs(pairs.iter().map(|m| (m.a.clone(), m.b.clone(), m.score)))
}

/// [`clusters`] of flagged pairs given as `(a, b, score)`, in any order: for pairs read back
/// from a file or computed by an engine (the Spark and Ray recipes end with it).
///
/// ```
/// let pairs = [("c", "d", 0.3), ("a", "b", 0.9), ("b", "c", 0.5), ("a", "c", 0.4)];
/// let groups = lintas::clusters_of_pairs(pairs.iter().map(|&(a, b, s)| (a.into(), b.into(), s)));
/// assert_eq!(groups, vec![vec!["a".into(), "b".into(), "c".into()]]);
/// ```
pub fn clusters_of_pairs(
    pairs: impl IntoIterator<Item = (Arc<str>, Arc<str>, f64)>,
) -> Vec<Vec<Arc<str>>> {
    struct P {
        a: Arc<str>,
        b: Arc<str>,
    }
    let mut scored: Vec<(i64, Arc<str>, Arc<str>)> = pairs
        .into_iter()
        .map(|(a, b, s)| {
            let key = if s.is_finite() {
                (s * 1e4).round() as i64
            } else {
                i64::MIN
            };
            (key, a, b)
        })
        .collect();
    scored.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then_with(|| x.1.cmp(&y.1))
            .then_with(|| x.2.cmp(&y.2))
    });
    let pairs: Vec<P> = scored.into_iter().map(|(_, a, b)| P { a, b }).collect();
    let mut edges: AHashSet<(Arc<str>, Arc<str>)> = AHashSet::new();
    for m in &pairs {
        edges.insert((m.a.clone(), m.b.clone()));
        edges.insert((m.b.clone(), m.a.clone()));
    }
    let mut group_of: AHashMap<Arc<str>, usize> = AHashMap::new();
    let mut groups: Vec<Vec<Arc<str>>> = Vec::new();
    // A document paired with itself links nothing.
    for m in pairs.iter().filter(|m| m.a != m.b) {
        let ga = group_of.get(&m.a).copied();
        let gb = group_of.get(&m.b).copied();
        match (ga, gb) {
            (None, None) => {
                group_of.insert(m.a.clone(), groups.len());
                group_of.insert(m.b.clone(), groups.len());
                groups.push(vec![m.a.clone(), m.b.clone()]);
            }
            (Some(g), None) | (None, Some(g)) => {
                let newcomer = if ga.is_some() { &m.b } else { &m.a };
                let linked = groups[g]
                    .iter()
                    .filter(|x| edges.contains(&((*x).clone(), newcomer.clone())))
                    .count();
                if linked * 2 > groups[g].len() {
                    group_of.insert(newcomer.clone(), g);
                    groups[g].push(newcomer.clone());
                }
            }
            (Some(x), Some(y)) if x != y => {
                let (small, big) = if groups[x].len() <= groups[y].len() {
                    (x, y)
                } else {
                    (y, x)
                };
                let linked = groups[small]
                    .iter()
                    .map(|p| {
                        groups[big]
                            .iter()
                            .filter(|q| edges.contains(&(p.clone(), (*q).clone())))
                            .count()
                    })
                    .sum::<usize>();
                if linked * 2 > groups[small].len() * groups[big].len() {
                    let moved = std::mem::take(&mut groups[small]);
                    for d in &moved {
                        group_of.insert(d.clone(), big);
                    }
                    groups[big].extend(moved);
                }
            }
            _ => {}
        }
    }
    let mut groups: Vec<Vec<Arc<str>>> = groups.into_iter().filter(|g| g.len() > 1).collect();
    for g in &mut groups {
        g.sort();
    }
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    groups
}
