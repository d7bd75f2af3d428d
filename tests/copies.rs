//! Near-exact copies: collapsed into groups that count once, matched once by their
//! representative, and expanded back into every pair — the same pairs as scoring every pair.

use lintas::{Corpus, Feature, FeatureKind, Match};

fn doc(prefix: &str, story: usize, n: usize) -> Vec<Feature> {
    (0..n)
        .map(|i| Feature::new(FeatureKind::Concept, &format!("{prefix}{story}-{i}")))
        .chain([Feature::new(FeatureKind::Anchor, &format!("name:s{story}"))])
        .collect()
}

/// `copies` copies each of `stories` texts, interleaved, plus a near (not exact) variant of
/// story 0 and unrelated documents.
fn feed(stories: usize, copies: usize) -> Vec<(String, Vec<Feature>)> {
    let mut out = Vec::new();
    for c in 0..copies {
        for s in 0..stories {
            out.push((format!("s{s}c{c}"), doc("w", s, 30)));
        }
    }
    let mut near = doc("w", 0, 30);
    near.truncate(26);
    out.push(("near0".into(), near));
    for u in 0..40 {
        out.push((format!("u{u}"), doc("own", u, 30)));
    }
    out
}

fn key(m: &Match) -> (String, String, String) {
    (m.a.to_string(), m.b.to_string(), format!("{:.9}", m.score))
}

fn sorted(v: &[Match]) -> Vec<(String, String, String)> {
    let mut k: Vec<_> = v.iter().map(key).collect();
    k.sort();
    k
}

#[test]
fn copies_are_grouped_and_expanded_into_every_pair() {
    let mut c = Corpus::new();
    for (id, f) in feed(5, 12) {
        c.add(id, None, &f).unwrap();
    }
    let groups = c.copy_groups();
    assert_eq!(groups.len(), 5);
    assert!(groups.iter().all(|g| g.len() == 12));
    assert_eq!(&*groups[0][0], "s0c0");
    let pairs = c.pairs();
    // Every pair of copies (5 × 66), near0 with the 12 copies of story 0.
    assert_eq!(pairs.iter().filter(|m| m.score == 1.0).count(), 5 * 66);
    assert_eq!(pairs.iter().filter(|m| &*m.b == "near0").count(), 12);
    // The expansion agrees with scoring every pair of documents.
    assert_eq!(sorted(&pairs), sorted(&c.pairs_exhaustive()));
    // Compact form: representative pairs only.
    let mut reps = Vec::new();
    c.try_for_each_representative_pair(0, |m| {
        reps.push(m);
        Ok::<_, ()>(())
    })
    .unwrap();
    assert_eq!(reps.len(), 1);
    assert_eq!((&*reps[0].a, &*reps[0].b), ("s0c0", "near0"));
}

#[test]
fn a_batch_of_copies_gives_the_pairs_of_a_one_shot_run() {
    // Copies 0–2 of each story and the unrelated documents first; copies 3–5 (of groups held
    // before) and the near variant in the batch.
    let all = feed(4, 6);
    let (old, new): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|(id, _)| id.starts_with('u') || id.ends_with(['0', '1', '2']));
    let half = old.len();
    let docs: Vec<_> = old.into_iter().chain(new).collect();
    let mut c = Corpus::new();
    for (id, f) in &docs[..half] {
        c.add(id.as_str(), None, f).unwrap();
    }
    let batch = c.next_slot();
    for (id, f) in &docs[half..] {
        c.add(id.as_str(), None, f).unwrap();
    }
    let later: std::collections::HashSet<&str> =
        docs[half..].iter().map(|(id, _)| id.as_str()).collect();
    let want: Vec<Match> = c
        .pairs()
        .into_iter()
        .filter(|m| later.contains(&*m.a) || later.contains(&*m.b))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(sorted(&c.pairs_from(batch)), sorted(&want));
}

#[test]
fn removing_a_representative_hands_its_group_to_the_next_copy() {
    let docs = feed(3, 4);
    let mut c = Corpus::new();
    for (id, f) in &docs {
        c.add(id.as_str(), None, f).unwrap();
    }
    assert!(c.remove("s1c0"));
    assert!(c.remove("s2c3"));
    let mut fresh = Corpus::new();
    for (id, f) in docs.iter().filter(|(id, _)| id != "s1c0" && id != "s2c3") {
        fresh.add(id.as_str(), None, f).unwrap();
    }
    assert_eq!(c.len(), fresh.len());
    assert_eq!(c.copy_groups(), fresh.copy_groups());
    assert_eq!(sorted(&c.pairs()), sorted(&fresh.pairs()));
    assert!(c.signature("s1c1").is_some());
    // An inserted copy matches every member of its group.
    let found = c.insert("s1new", None, &doc("w", 1, 30)).unwrap();
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|m| m.score == 1.0 && &*m.b == "s1new"));
    // A query of a copy finds every member.
    assert_eq!(c.query(None, &doc("w", 2, 30)).len(), 3);
}

#[test]
fn without_collapsing_copies_are_plain_documents() {
    let mut c = Corpus::builder().collapse_copies(false).build().unwrap();
    for (id, f) in feed(2, 3) {
        c.add(id, None, &f).unwrap();
    }
    assert!(c.copy_groups().is_empty());
    assert_eq!(c.pairs().iter().filter(|m| m.score == 1.0).count(), 2 * 3);
}
