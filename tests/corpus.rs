//! The feature-level corpus: streaming inserts, queries, removal, pairs against the exact
//! oracle, clusters that do not chain, explanations and memory.

mod common;
use common::at;
use lintas::{Corpus, Feature, FeatureKind, Lang};

/// A document: `shared` concepts common to a group plus `own` distinct ones, and anchors.
fn doc(concepts: &[&str], anchors: &[&str]) -> Vec<Feature> {
    concepts
        .iter()
        .map(|c| Feature::new(FeatureKind::Concept, c))
        .chain(anchors.iter().map(|a| Feature::new(FeatureKind::Anchor, a)))
        .collect()
}

fn words(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// `n` local words `{prefix}0`, `{prefix}1`… (`fr:mot0`: the language code leads the label).
fn local(prefix: &str, n: usize) -> Vec<Feature> {
    words(prefix, n)
        .iter()
        .map(|w| Feature::new(FeatureKind::Local, w))
        .collect()
}

/// A background corpus of unrelated documents, so rarity weights mean something.
fn with_background(c: &mut Corpus) {
    with_background_of(c, 60);
}

/// [`with_background`] with `n` documents.
fn with_background_of(c: &mut Corpus, n: usize) {
    for d in 0..n {
        let w = words(&format!("bg{d}-"), 40);
        c.add(format!("bg{d}"), Some(Lang::English), &doc(&strs(&w), &[]))
            .unwrap();
    }
}

#[test]
fn streaming_insert_query_and_remove() {
    let mut c = Corpus::new();
    with_background(&mut c);
    let story = words("flood", 30);
    let a = doc(&strs(&story), &["name:semarang", "num:8", "date:02-02"]);
    assert!(c.insert("a", Some(Lang::English), &a).unwrap().is_empty());
    let found = c.insert("b", Some(Lang::Indonesian), &a[..25]).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((&*found[0].a, &*found[0].b), ("a", "b"));
    assert_eq!(
        found[0].threshold,
        c.thresholds().1,
        "different languages use the cross threshold"
    );
    assert!(found[0].explanation.shared(FeatureKind::Concept) >= 20);
    // A query finds both without being added.
    let q = c.query(Some(Lang::English), &a[..20]);
    assert_eq!(q.len(), 2);
    assert_eq!(c.len(), 62);
    assert!(c.signature("a").is_some() && c.signature("nope").is_none());
    // Removed documents are never returned.
    assert!(c.remove("a"));
    assert!(c.signature("a").is_none());
    let q = c.query(Some(Lang::English), &a[..20]);
    assert_eq!(q.len(), 1);
    assert_eq!(
        (&*q[0].a, &*q[0].b),
        ("b", ""),
        "a query's matches name the held document first"
    );
}

#[test]
fn pairs_match_the_exhaustive_oracle_on_clear_cases() {
    let mut c = Corpus::new();
    with_background(&mut c);
    for g in 0..5 {
        let w = words(&format!("event{g}-"), 30);
        for copy in 0..3 {
            let mut f = doc(&strs(&w[copy..]), &[&format!("name:person{g}")]);
            f.push(Feature::new(
                FeatureKind::Concept,
                &format!("noise{g}-{copy}"),
            ));
            c.add(format!("e{g}-{copy}"), None, &f).unwrap();
        }
    }
    let pairs = c.pairs();
    let oracle = c.pairs_exhaustive();
    assert_eq!(pairs.len(), 15, "3 pairs in each of 5 groups");
    assert_eq!(pairs, oracle);
    for m in &pairs {
        assert_eq!(
            m.a.split('-').next(),
            m.b.split('-').next(),
            "{} vs {}",
            m.a,
            m.b
        );
        assert!(m.score >= m.threshold && m.jaccard <= 1.0 && m.containment >= m.jaccard);
    }
    let mut cands = c.candidate_pairs();
    cands.sort();
    assert!(pairs
        .iter()
        .all(|m| cands.contains(&(m.a.clone(), m.b.clone()))));
}

#[test]
fn clusters_do_not_chain_through_a_bridge() {
    let mut c = Corpus::new();
    with_background(&mut c);
    let left = words("left", 30);
    let right = words("right", 30);
    // Two tight groups of three, and one bridge document half from each side.
    for i in 0..3 {
        c.add(format!("L{i}"), None, &doc(&strs(&left[i..]), &[]))
            .unwrap();
        c.add(format!("R{i}"), None, &doc(&strs(&right[i..]), &[]))
            .unwrap();
    }
    let bridge: Vec<&str> = strs(&left[..15])
        .into_iter()
        .chain(strs(&right[..15]))
        .collect();
    c.add("bridge", None, &doc(&bridge, &[])).unwrap();
    let pairs = c.pairs();
    assert!(
        pairs
            .iter()
            .any(|m| &*m.b == "bridge" && m.a.starts_with('L')),
        "the bridge matches the left group"
    );
    assert!(
        pairs
            .iter()
            .any(|m| &*m.b == "bridge" && m.a.starts_with('R')),
        "and the right group"
    );
    let clusters = c.clusters(&pairs);
    let l: Vec<&str> = vec!["L0", "L1", "L2"];
    let r: Vec<&str> = vec!["R0", "R1", "R2"];
    fn as_strs(g: &[std::sync::Arc<str>]) -> Vec<&str> {
        g.iter().map(|s| &**s).collect()
    }
    // The bridge may join one side (it matches all of it), but never both sides together.
    assert!(
        clusters
            .iter()
            .any(|g| l.iter().all(|x| as_strs(g).contains(x))),
        "{clusters:?}"
    );
    assert!(
        clusters
            .iter()
            .any(|g| r.iter().all(|x| as_strs(g).contains(x))),
        "{clusters:?}"
    );
    for g in &clusters {
        let ids = as_strs(g);
        let (has_l, has_r) = (
            ids.iter().any(|x| x.starts_with('L')),
            ids.iter().any(|x| x.starts_with('R')),
        );
        assert!(
            !(has_l && has_r),
            "a cluster spans both groups: {clusters:?}"
        );
    }
}

#[test]
fn explanations_and_memory_can_drop_labels() {
    let f = doc(&strs(&words("w", 30)), &["name:x"]);
    let mut with = Corpus::new();
    let mut without = Corpus::builder().keep_labels(false).build().unwrap();
    for c in [&mut with, &mut without] {
        with_background(c);
        c.add("a", None, &f).unwrap();
        c.add("b", None, &f).unwrap();
    }
    let (p1, p2) = (with.pairs(), without.pairs());
    assert_eq!(p1.len(), 1);
    assert_eq!(p2.len(), 1);
    assert_eq!(p1[0].score, p2[0].score);
    assert!(!p1[0].explanation.top.is_empty());
    assert!(p2[0].explanation.top.is_empty());
    assert_eq!(
        p1[0].explanation.shared_counts,
        p2[0].explanation.shared_counts
    );
    let (m1, m2) = (with.memory_report(), without.memory_report());
    assert_eq!(m1.documents, 62);
    assert!(m1.per_document_with_labels > m1.per_document_without_labels);
    assert!(m2.per_document_without_labels > 0.0);
}

/// A corpus whose documents share one feature held by more documents than blocking reads
/// (its postings are dropped), pairs held together by rare features, and noise.
fn overflow_corpus() -> Vec<(String, Vec<Feature>)> {
    let mut docs = Vec::new();
    for d in 0..90 {
        // Every document has "common" and the anchor "name:river"; pairs (2k, 2k+1) share
        // a story of 15 concepts and two rare ones; each has 10 words of its own.
        let mut c = words(&format!("own{d}-"), 10);
        c.extend(words(&format!("story{}-", d / 2), 15));
        c.push("common".into());
        c.push(format!("rare{}-a", d / 2));
        c.push(format!("rare{}-b", d / 2));
        docs.push((format!("d{d}"), doc(&strs(&c), &["name:river"])));
    }
    docs
}

/// Removing documents leaves the corpus as if they had never been added: the same candidates
/// and the same pairs, also for features whose postings were dropped while they were common
/// and are rare again.
#[test]
fn removal_equals_never_added_even_after_postings_overflow() {
    let docs = overflow_corpus();
    let removed = |i: usize| i < 84 && !i.is_multiple_of(7);
    let mut c = Corpus::new();
    for (id, f) in &docs {
        c.add(id.as_str(), None, f).unwrap();
    }
    for (i, (id, _)) in docs.iter().enumerate() {
        if removed(i) {
            assert!(c.remove(id));
        }
    }
    let mut fresh = Corpus::new();
    for (i, (id, f)) in docs.iter().enumerate() {
        if !removed(i) {
            fresh.add(id.as_str(), None, f).unwrap();
        }
    }
    assert_eq!(c.len(), fresh.len());
    // "name:river" was in 90 documents (postings dropped); now in 18, under the cap of 20.
    assert_eq!(c.len(), 18);
    let mut got = c.candidate_pairs();
    let mut want = fresh.candidate_pairs();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(c.pairs(), fresh.pairs());
    assert!(!c.pairs().is_empty());
}

/// `pairs_from(next_slot())` taken before a batch is the part of `pairs()` involving the batch;
/// streamed pairs are the same set, in document order.
#[test]
fn pairs_from_a_slot_and_streamed_pairs_agree_with_all_pairs() {
    let docs = overflow_corpus();
    let mut c = Corpus::new();
    for (id, f) in &docs[..50] {
        c.add(id.as_str(), None, f).unwrap();
    }
    let batch = c.next_slot();
    assert_eq!(batch, 50);
    for (id, f) in &docs[50..] {
        c.add(id.as_str(), None, f).unwrap();
    }
    let all = c.pairs();
    let late: Vec<_> = all
        .iter()
        .filter(|m| m.b[1..].parse::<usize>().unwrap() >= 50)
        .cloned()
        .collect();
    assert!(!late.is_empty());
    assert_eq!(c.pairs_from(batch), late);
    let mut streamed = Vec::new();
    c.try_for_each_pair(0, |m| {
        streamed.push(m);
        Ok::<_, ()>(())
    })
    .unwrap();
    // Document order: the later document's slot never decreases.
    let slot = |id: &str| id[1..].parse::<usize>().unwrap();
    assert!(streamed.windows(2).all(|w| slot(&w[0].b) <= slot(&w[1].b)));
    let mut sorted = streamed.clone();
    sorted.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    assert_eq!(sorted, all);
    // A sink error stops the stream.
    let mut seen = 0;
    let r = c.try_for_each_pair(0, |_| {
        seen += 1;
        if seen == 3 {
            Err("stop")
        } else {
            Ok(())
        }
    });
    assert_eq!((r, seen), (Err("stop"), 3));
}

/// Matching on many threads gives what matching on one gives.
#[test]
fn pairs_do_not_depend_on_the_thread_count() {
    let docs = overflow_corpus();
    let mut c = Corpus::new();
    for (id, f) in &docs {
        c.add(id.as_str(), None, f).unwrap();
    }
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| c.pairs())
    };
    let one = on(1);
    assert!(!one.is_empty());
    assert_eq!(on(4), one);
}

/// Short against long: a short item is contained in a long article only when the long one
/// holds its anchors (names, figures, dates), not when it holds only the story's words.
#[test]
fn containment_needs_the_short_items_anchors() {
    let story = words("election", 40);
    let long = |anchors: &[&str]| doc(&strs(&story), anchors);
    // The short item: a few of the story's words and its own anchors.
    let short = |anchors: &[&str]| doc(&strs(&story[..6]), anchors);
    let pair_of = |b: lintas::CorpusBuilder, s: &[&str], l: &[&str]| {
        let mut c = b.build().unwrap();
        with_background(&mut c);
        c.add("long", Some(Lang::English), &long(l)).unwrap();
        c.add("short", Some(Lang::English), &short(s)).unwrap();
        c.pairs().into_iter().find(|m| m.a != m.b)
    };
    let other = ["ent:TM", "num:2024"];
    let l = ["ent:KG", "num:2023", "name:japarov", "name:bishkek"];
    // Another country's election: the short item's anchors are not in the long article.
    assert!(pair_of(Corpus::builder(), &other, &l).is_none());
    // As lintas 0.1 scored it, containment on the story's words alone flags it.
    let old = pair_of(Corpus::builder().containment_anchors(0.0), &other, &l)
        .expect("containment on shared words alone");
    assert!(old.score > old.jaccard, "{old:?}");
    // The same short item naming the long article's country and year is contained.
    let m = pair_of(Corpus::builder(), &["ent:KG", "num:2023"], &l).expect("contained");
    assert!(m.score > m.jaccard);
    // Out of range is an error, not a silent clamp.
    assert!(Corpus::builder().containment_anchors(1.5).build().is_err());
    assert!(Corpus::builder()
        .containment_anchors(f64::NAN)
        .build()
        .is_err());
}

/// Short against long, in a corpus large enough for rarity to mean something: a short item
/// that shares only the story's common names and words with a long article (features a
/// fifth of the corpus holds) is not contained in it; one that also shares a feature
/// specific to its event is. In a small corpus a feature at most four documents hold is
/// specific (the rarity prior), so there it scores as before.
#[test]
fn containment_needs_a_specific_feature_in_a_large_corpus() {
    // The story: 30 long articles on it share its names and 20 of its words.
    let story = words("campaign", 20);
    let common = ["name:trudeau", "name:justin", "ent:CA"];
    let article = |k: usize, extra: &[&str]| {
        let own = words(&format!("a{k}-"), 25);
        let mut c = strs(&story);
        c.extend(strs(&own));
        let mut a: Vec<&str> = common.to_vec();
        a.extend_from_slice(extra);
        doc(&c, &a)
    };
    // The short item: a headline and a line, its names the story's, its year its own.
    let short = doc(
        &strs(&story[..5]),
        &["name:trudeau", "name:justin", "num:2001"],
    );
    let corpus = |b: lintas::CorpusBuilder, long_extra: &[&str]| {
        let mut c = b.build().unwrap();
        with_background_of(&mut c, 120);
        for k in 1..30 {
            c.add(format!("story{k}"), Some(Lang::English), &article(k, &[]))
                .unwrap();
        }
        c.add("long", Some(Lang::English), &article(0, long_extra))
            .unwrap();
        c.add("short", Some(Lang::English), &short).unwrap();
        c
    };
    let contained = |m: &lintas::Match| m.score > m.jaccard;
    // Another event of the story: only common features shared, so no containment.
    let c = corpus(Corpus::builder(), &[]);
    let m = c.score_pair("long", "short").expect("both held");
    assert!(!contained(&m), "{m:?}");
    // Without the rule (as lintas scored before), containment on the story alone.
    let c = corpus(Corpus::builder().containment_specific(false), &[]);
    let before = c.score_pair("long", "short").unwrap();
    assert!(contained(&before), "{before:?}");
    assert!(before.score > m.score);
    // The long article gives the short item's year too: a specific feature is shared.
    let c = corpus(Corpus::builder(), &["num:2001"]);
    let m = c.score_pair("long", "short").unwrap();
    assert!(contained(&m), "{m:?}");
    // A small corpus: the story's names are in four documents, still specific there, so
    // containment counts as before.
    let mut small = Corpus::new();
    small
        .add("long", Some(Lang::English), &article(0, &[]))
        .unwrap();
    small.add("short", Some(Lang::English), &short).unwrap();
    for k in 1..3 {
        small
            .add(format!("story{k}"), Some(Lang::English), &article(k, &[]))
            .unwrap();
    }
    let m = small.score_pair("long", "short").unwrap();
    assert!(contained(&m), "{m:?}");
}

#[test]
fn containment_needs_the_headline_in_the_other_lead() {
    use lintas::Position::{Body, Headline, Lead};
    use FeatureKind::{Anchor, Concept};
    // The short item: a headline (its event: a photo, and the year it was taken) and a line.
    let short = || {
        let mut d = vec![
            at(Anchor, "name:trudeau", Headline),
            at(Concept, "brownface", Headline),
            at(Concept, "photo", Headline),
            at(Anchor, "num:2001", Headline),
        ];
        d.extend(words("line", 4).iter().map(|w| at(Concept, w, Lead)));
        d
    };
    // A long article with its own headline and lead, then 40 words of background; `event`
    // puts the short item's event in its headline and lead, else only in its background.
    let long = |event: bool| {
        let mut d: Vec<Feature> = words("plane", 4)
            .iter()
            .map(|w| at(Concept, w, Headline))
            .collect();
        d.extend(words("bus", 6).iter().map(|w| at(Concept, w, Lead)));
        d.extend(words("body", 40).iter().map(|w| at(Concept, w, Body)));
        let p = if event { Lead } else { Body };
        for (k, l) in [
            (Anchor, "name:trudeau"),
            (Concept, "brownface"),
            (Concept, "photo"),
            (Anchor, "num:2001"),
        ] {
            d.push(at(k, l, p));
        }
        d.extend(words("line", 4).iter().map(|w| at(Concept, w, Body)));
        d
    };
    let score = |b: lintas::CorpusBuilder, event: bool| {
        let mut c = b.build().unwrap();
        with_background_of(&mut c, 120);
        c.add("long", Some(Lang::English), &long(event)).unwrap();
        c.add("short", Some(Lang::Indonesian), &short()).unwrap();
        c.score_pair("long", "short").expect("both held")
    };
    let contained = |m: &lintas::Match| m.score > m.jaccard;
    // Everything the short item says is in the long article, but only in its background:
    // another event of the story, so no containment.
    let m = score(Corpus::builder(), false);
    assert!(!contained(&m), "{m:?}");
    assert!(m.evidence.headline_in_lead < lintas::DEFAULT_CONTAINMENT_HEADLINE);
    // Without the rule (as lintas scored before), contained and flagged.
    let before = score(Corpus::builder().containment_headline(0.0), false);
    assert!(contained(&before), "{before:?}");
    assert!(before.score >= before.threshold && m.score < m.threshold);
    // The same words in the long article's lead: the same event, contained.
    let m = score(Corpus::builder(), true);
    assert!(contained(&m) && m.score >= m.threshold, "{m:?}");
    assert!(m.evidence.headline_in_lead >= lintas::DEFAULT_CONTAINMENT_HEADLINE);
    // Features without positions are not held to it.
    let strip = |d: Vec<Feature>| -> Vec<Feature> {
        d.into_iter()
            .map(|mut f| {
                f.position = Body;
                f
            })
            .collect()
    };
    let mut c = Corpus::new();
    with_background_of(&mut c, 120);
    c.add("long", Some(Lang::English), &strip(long(false)))
        .unwrap();
    c.add("short", Some(Lang::Indonesian), &strip(short()))
        .unwrap();
    let m = c.score_pair("long", "short").unwrap();
    assert!(contained(&m), "{m:?}");
    // Out of range is an error, not a silent clamp.
    assert!(Corpus::builder().containment_headline(1.5).build().is_err());
}

/// Pair thresholds: a pair of languages decided at its own threshold, and a detector whose
/// lexicon maps a language through a runtime dictionary giving that language's pairs with
/// mapped languages the dictionary threshold, and no other pair.
#[test]
fn pair_thresholds_decide_their_pairs_and_follow_runtime_dictionaries() {
    use lintas::{Detector, Lexicon};
    let story = words("quake", 30);
    let other = words("de-only", 60);
    let en = doc(&strs(&story), &["num:61"]);
    // The German write-up shares a few of the story's concepts and many words of its own.
    let mut fr_words = strs(&story[..6]);
    fr_words.extend(strs(&other));
    let fr = doc(&fr_words, &["num:61"]);
    let flagged = |b: lintas::CorpusBuilder| {
        let mut c = b.build().unwrap();
        with_background(&mut c);
        c.add("en", Some(Lang::English), &en).unwrap();
        c.add("fr", Some(Lang::German), &fr).unwrap();
        c.pairs()
    };
    let plain = flagged(Corpus::builder());
    assert!(plain.is_empty(), "{plain:?}");
    let low = flagged(Corpus::builder().pair_threshold(Lang::German, Lang::English, 0.05));
    assert_eq!(low.len(), 1);
    assert_eq!(low[0].threshold, 0.05);
    // Another pair's threshold does not apply.
    assert!(
        flagged(Corpus::builder().pair_threshold(Lang::German, Lang::Italian, 0.05)).is_empty()
    );
    assert!(Corpus::builder()
        .pair_threshold(Lang::German, Lang::English, 0.0)
        .build()
        .is_err());

    let mut lex = Lexicon::builtin();
    assert!(lex.dictionary_languages().is_empty());
    lex.add_tsv(Lang::German, "erdbeben\tearthquake\n", "test")
        .unwrap();
    assert_eq!(lex.dictionary_languages(), [Lang::German]);
    let analyzer = std::sync::Arc::new(lintas::Analyzer::builder().lexicon(lex).build().unwrap());
    let d = Detector::builder()
        .analyzer(analyzer.clone())
        .build()
        .unwrap();
    let s = d.corpus().settings();
    assert_eq!(s.dictionary_languages, [Lang::German]);
    assert!(s.pair_thresholds.is_empty(), "{:?}", s.pair_thresholds);
    // Languages the corpus settings name are kept beside the analyser's.
    let d = Detector::builder()
        .analyzer(analyzer)
        .corpus(Corpus::builder().dictionary_languages(&[Lang::Italian]))
        .build()
        .unwrap();
    let mut langs = d.corpus().settings().dictionary_languages;
    langs.sort_by_key(|l| l.code());
    assert_eq!(langs, [Lang::German, Lang::Italian]);
}

/// The threshold of a pair through runtime dictionaries follows the pair's coverage: a
/// document whose dictionary mapped few of its words (many local features) gets the lower
/// threshold; pairs not through a dictionary keep theirs, and without dictionary languages
/// nothing changes.
#[test]
fn dictionary_threshold_follows_coverage() {
    use lintas::{DICTIONARY_THRESHOLD_INTERCEPT as A, DICTIONARY_THRESHOLD_SLOPE as B};
    let story = words("quake", 30);
    let en = doc(&strs(&story), &["num:61"]);
    // Well covered: 20 of the story's concepts, 2 words the dictionary left alone.
    let mut fr_high = doc(&strs(&story[..20]), &["num:61"]);
    fr_high.extend(local("de:wort", 2));
    // Thinly covered: 6 concepts, 30 local words.
    let mut it_low = doc(&strs(&story[..6]), &["num:61"]);
    it_low.extend(local("it:parola", 30));
    let zh = doc(&strs(&story[..20]), &["num:61"]);
    let fr_other = doc(&strs(&story[..20]), &["num:62"]);
    let held = |b: lintas::CorpusBuilder| {
        let mut c = b.build().unwrap();
        with_background(&mut c);
        c.add("en", Some(Lang::English), &en).unwrap();
        c.add("fr", Some(Lang::German), &fr_high).unwrap();
        c.add("it", Some(Lang::Italian), &it_low).unwrap();
        c.add("zh", Some(Lang::Mandarin), &zh).unwrap();
        c.add("fr2", Some(Lang::German), &fr_other).unwrap();
        c
    };
    let threshold = |c: &Corpus, a: &str, b: &str| c.score_pair(a, b).unwrap().threshold;
    let dict = Corpus::builder().dictionary_languages(&[Lang::German, Lang::Italian]);
    let c = held(dict.clone());
    let (high, low) = (threshold(&c, "en", "fr"), threshold(&c, "en", "it"));
    assert!((high - (A + B * 20.0 / 22.0)).abs() < 1e-12, "{high}");
    assert!((low - (A + B * 6.0 / 36.0)).abs() < 1e-12, "{low}");
    assert!(low < high);
    // Two dictionary languages: the product of the two documents' coverage.
    let both = threshold(&c, "fr", "it");
    assert!((both - (A + B * (20.0 / 22.0) * (6.0 / 36.0))).abs() < 1e-12);
    // A language no lexicon maps, and one language's pairs, keep their thresholds.
    assert_eq!(threshold(&c, "en", "zh"), lintas::DEFAULT_CROSS_THRESHOLD);
    assert_eq!(threshold(&c, "fr", "fr2"), lintas::DEFAULT_THRESHOLD);
    // A pair threshold the user set wins; a one-value rule gives every such pair its value.
    let c = held(
        dict.clone()
            .pair_threshold(Lang::English, Lang::Italian, 0.2),
    );
    assert_eq!(threshold(&c, "en", "it"), 0.2);
    let c = held(dict.dictionary_threshold(0.07, 0.0));
    assert_eq!(threshold(&c, "en", "it"), 0.07);
    assert_eq!(threshold(&c, "en", "fr"), 0.07);
    // Without dictionary languages every cross-language pair has the cross threshold.
    let c = held(Corpus::builder());
    for (a, b) in [("en", "fr"), ("en", "it"), ("fr", "it"), ("en", "zh")] {
        assert_eq!(threshold(&c, a, b), lintas::DEFAULT_CROSS_THRESHOLD);
    }
    for bad in [
        (0.0, 0.06),
        (-0.1, 0.2),
        (0.03, -0.01),
        (0.5, 0.6),
        (f64::NAN, 0.0),
    ] {
        let e = Corpus::builder()
            .dictionary_threshold(bad.0, bad.1)
            .build()
            .unwrap_err();
        assert!(
            matches!(e, lintas::Error::InvalidParameter { .. }),
            "{bad:?}: {e:?}"
        );
    }
}

/// French, Spanish and Portuguese (and Arabic, Hindi …) have built-in dictionaries: unlike a
/// runtime dictionary's language, their pairs with English, the languages with a built-in
/// lexicon and each other keep the cross-language threshold, whatever is loaded at run time;
/// a pair with a runtime-dictionary language follows that language's coverage rule.
#[test]
fn builtin_dictionaries_keep_the_cross_language_threshold() {
    use lintas::DEFAULT_CROSS_THRESHOLD as X;
    assert!(Lang::French.has_builtin_dictionary() && Lang::Spanish.has_builtin_dictionary());
    assert!(!Lang::German.has_builtin_dictionary() && !Lang::English.has_builtin_dictionary());
    assert!(Lang::Arabic.has_builtin_dictionary() && !Lang::Italian.has_builtin_dictionary());
    let story = words("quake", 30);
    let en = doc(&strs(&story), &["num:61"]);
    let mut ru = doc(&strs(&story[..6]), &["num:61"]);
    ru.extend(local("it:parola", 30));
    let held = |b: lintas::CorpusBuilder| {
        let mut c = b.build().unwrap();
        with_background(&mut c);
        for (id, lang, d) in [
            ("en", Lang::English, &en),
            ("id", Lang::Indonesian, &en),
            ("fr", Lang::French, &en),
            ("es", Lang::Spanish, &en),
            ("it", Lang::Italian, &ru),
            ("zh", Lang::Mandarin, &en),
            ("fr2", Lang::French, &en),
        ] {
            c.add(id, Some(lang), d).unwrap();
        }
        c
    };
    let threshold = |c: &Corpus, a: &str, b: &str| c.score_pair(a, b).unwrap().threshold;
    let c = held(Corpus::builder().dictionary_languages(&[Lang::Italian, Lang::French]));
    // French given as a runtime dictionary language is still built in: it is ignored there.
    assert_eq!(c.settings().dictionary_languages, [Lang::Italian]);
    for (a, b) in [
        ("en", "fr"),
        ("id", "fr"),
        ("en", "es"),
        ("fr", "es"),
        ("fr", "zh"),
    ] {
        assert_eq!(threshold(&c, a, b), X, "{a}-{b}");
    }
    let (a, b) = (
        lintas::DICTIONARY_THRESHOLD_INTERCEPT,
        lintas::DICTIONARY_THRESHOLD_SLOPE,
    );
    let fr_it = threshold(&c, "fr", "it");
    assert!((fr_it - (a + b * 6.0 / 36.0)).abs() < 1e-12, "{fr_it}");
    assert_eq!(threshold(&c, "fr", "fr2"), lintas::DEFAULT_THRESHOLD);
    // A pair threshold the user set wins.
    let c = held(Corpus::builder().pair_threshold(Lang::English, Lang::French, 0.3));
    assert_eq!(threshold(&c, "en", "fr"), 0.3);
    assert_eq!(threshold(&c, "en", "es"), X);
}

/// Local words match only their own language: their rarity is counted among that language's
/// documents, so documents of other languages do not make a language's common words look
/// rare (nor its pairs look alike).
#[test]
fn local_words_are_rare_or_common_within_their_own_language() {
    let french = |c: &mut Corpus| {
        for d in 0..10 {
            let mut f = local(&format!("fr:d{d}-"), 12);
            f.extend(["fr:le", "fr:de"].map(|w| Feature::new(FeatureKind::Local, w)));
            if d < 2 {
                f.extend(local("fr:pair-", 6));
            }
            c.add(format!("fr{d}"), Some(Lang::French), &f).unwrap();
        }
    };
    let alone = {
        let mut c = Corpus::new();
        french(&mut c);
        c
    };
    let mixed = {
        let mut c = Corpus::new();
        with_background(&mut c);
        french(&mut c);
        for d in 0..40 {
            let f = local(&format!("es:d{d}-"), 20);
            c.add(format!("es{d}"), Some(Lang::Spanish), &f).unwrap();
        }
        c
    };
    let (a, b) = (
        alone.score_pair("fr0", "fr1").unwrap(),
        mixed.score_pair("fr0", "fr1").unwrap(),
    );
    assert!(a.score > 0.0);
    assert_eq!(
        a.score, b.score,
        "the other languages' documents changed a French pair"
    );
    assert_eq!(a.jaccard, b.jaccard);
    // The same features counted among every document would weigh the shared common words
    // (in 10 of 110 documents) like rare ones: the pair's score would move.
    assert_eq!(
        alone.pairs().len(),
        mixed
            .pairs()
            .iter()
            .filter(|m| m.a.starts_with("fr"))
            .count()
    );
}

/// Concepts can only be held by documents of the languages a lexicon or dictionary maps into
/// the concept space: a concept's rarity is counted among the documents holding concepts, so
/// documents of other languages (local words, names and figures only) do not make concepts
/// look rarer.
#[test]
fn concepts_are_rare_or_common_among_the_documents_holding_concepts() {
    let english = |c: &mut Corpus| {
        for d in 0..10 {
            let mut w = words(&format!("en-d{d}-"), 12);
            w.extend(["virus".to_string(), "health".to_string()]);
            if d < 2 {
                w.extend(words("pair-", 6));
            }
            c.add(format!("en{d}"), Some(Lang::English), &doc(&strs(&w), &[]))
                .unwrap();
        }
    };
    let alone = {
        let mut c = Corpus::new();
        english(&mut c);
        c
    };
    let mixed = {
        let mut c = Corpus::new();
        english(&mut c);
        for d in 0..60 {
            let f = local(&format!("fr:d{d}-"), 20);
            c.add(format!("fr{d}"), Some(Lang::French), &f).unwrap();
        }
        c
    };
    let (a, b) = (
        alone.score_pair("en0", "en1").unwrap(),
        mixed.score_pair("en0", "en1").unwrap(),
    );
    assert!(a.score > 0.0);
    assert_eq!(
        a.score, b.score,
        "the French documents changed the English concepts' weights"
    );
    assert_eq!(alone.pairs(), mixed.pairs());
}

/// A batch of at most an eighth of the corpus is matched with weights computed only for the
/// documents it can meet (`batch_weights_since`): its pairs, scores, evidence and
/// explanations must be exactly those that all pairs give, with either verifier.
#[test]
fn a_small_batch_gets_exactly_the_pairs_and_scores_of_all_pairs() {
    // Even documents first, then odd ones: the last ten (the batch) pair with documents
    // held long before them.
    let mut docs = overflow_corpus();
    docs.sort_by_key(|(id, _)| {
        let n: usize = id[1..].parse().unwrap();
        (n % 2, n)
    });
    let slot_of = |id: &str| docs.iter().position(|(d, _)| d == id).unwrap();
    for verifier in [lintas::Verifier::Overlap, lintas::Verifier::Event] {
        // A low threshold: the event model gives these synthetic pairs low probabilities,
        // and every scored candidate is then compared.
        let mut c = Corpus::builder()
            .verifier(verifier)
            .overall_threshold(0.01)
            .build()
            .unwrap();
        for (id, f) in &docs {
            c.add(id.as_str(), None, f).unwrap();
        }
        // 10 of 90: the sparse path (at most one in eight).
        let late: Vec<_> = c
            .pairs()
            .into_iter()
            .filter(|m| slot_of(&m.b) >= 80)
            .collect();
        assert!(late.len() >= 5, "{verifier:?}: {} pairs", late.len());
        assert!(
            late.iter().any(|m| slot_of(&m.a) < 80),
            "a pair across the batch"
        );
        assert_eq!(c.pairs_from(80), late, "{verifier:?}");
        // And a batch too large for it (the dense path) agrees too.
        let wide: Vec<_> = c
            .pairs()
            .into_iter()
            .filter(|m| slot_of(&m.b) >= 40)
            .collect();
        assert_eq!(c.pairs_from(40), wide, "{verifier:?}");
    }
}

/// Two documents of one language that share nothing but names (people, places, entities)
/// are the same story, not the same event: their score is halved. A shared word, date or
/// figure lifts that, and across languages names may be all a pair shares.
#[test]
fn names_alone_do_not_make_one_event_in_one_language() {
    let names = [
        "name:trudeau",
        "name:justin",
        "ent:CA",
        "ent:PRIME_MINISTER",
    ];
    // The score over the Jaccard overlap of `a` (English) and `b` (in `lang_b`), which share
    // the names, `shared_words` concepts and the anchors `shared_anchors`.
    let ratio = |lang_b: Lang, shared_words: usize, shared_anchors: &[&str]| -> f64 {
        let mut c = Corpus::builder().overall_threshold(0.001).build().unwrap();
        with_background(&mut c);
        let anchors: Vec<&str> = names.iter().chain(shared_anchors).copied().collect();
        let common = words("apolog", shared_words);
        let text = |own: &str| {
            let mut w = words(own, 4);
            w.extend(common.iter().cloned());
            doc(&strs(&w), &anchors)
        };
        c.add("a", Some(Lang::English), &text("brownface")).unwrap();
        c.add("b", Some(lang_b), &text("campaign")).unwrap();
        let m = c
            .pairs()
            .into_iter()
            .find(|m| &*m.a == "a" && &*m.b == "b")
            .expect("scored");
        assert!(m.jaccard > 0.0, "{m:?}");
        m.score / m.jaccard
    };
    let close = |x: f64, y: f64| (x - y).abs() < 1e-9;
    // One language, names only: half the overlap.
    assert!(close(
        ratio(Lang::English, 0, &[]),
        lintas::NAMES_ONLY_PENALTY
    ));
    // Across languages, names only: the overlap itself.
    assert!(close(ratio(Lang::Indonesian, 0, &[]), 1.0));
    // One language, the names and a word, a figure or a date besides: the overlap itself.
    assert!(close(ratio(Lang::English, 1, &[]), 1.0));
    assert!(close(ratio(Lang::English, 0, &["num:2001"]), 1.0));
    assert!(close(ratio(Lang::English, 0, &["date:09-18"]), 1.0));
}
