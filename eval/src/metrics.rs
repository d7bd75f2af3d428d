//! `score.py`'s metrics: precision, recall and F1 over all pairs, per language pair,
//! cross-language and independent coverage; and metric names with their aliases.

use crate::input::Doc;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Counts behind precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    /// Flagged pairs that are gold.
    pub tp: usize,
    /// Flagged pairs.
    pub flagged: usize,
    /// Gold pairs.
    pub gold: usize,
}

impl Prf {
    /// Precision (0 when nothing is flagged).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.flagged)
    }
    /// Recall (0 when there is no gold pair).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold)
    }
    /// F1 (0 when precision and recall are both 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// An unordered pair of ids, smaller first.
pub type Pair = (String, String);

/// The unordered pair of two ids.
pub fn key(a: &str, b: &str) -> Pair {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// The gold standard of a pool, as `score.py` reads it.
#[derive(Debug, Default)]
pub struct Gold {
    /// The `lang` field of each document (`?` when absent).
    pub lang: HashMap<String, String>,
    /// Pairs of documents with the same `event`.
    pub gold: HashSet<Pair>,
    /// Pairs named in `meta.near_duplicates`: not scored.
    pub ignore: HashSet<Pair>,
    /// `meta.unlabeled_group` of each document that has one.
    pub group: HashMap<String, String>,
    /// `meta.article` of each document (its own id when absent).
    pub article: HashMap<String, String>,
}

fn meta_str(v: &Value, k: &str) -> Option<String> {
    match v.get("meta")?.get(k)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl Gold {
    /// The gold standard of documents read with their raw JSON objects.
    ///
    /// # Panics
    /// When a document was read without its raw object.
    pub fn of(docs: &[Doc]) -> Gold {
        let mut by_event: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut g = Gold::default();
        let ids: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        for d in docs {
            let raw = d.raw.as_ref().expect("documents read with keep_raw");
            let lang = raw.get("lang").and_then(Value::as_str).unwrap_or("?");
            g.lang.insert(d.id.clone(), lang.to_string());
            if let Some(e) = raw.get("event").and_then(Value::as_str) {
                by_event
                    .entry(e.to_string())
                    .or_default()
                    .push(d.id.clone());
            }
            if let Some(nd) = raw
                .get("meta")
                .and_then(|m| m.get("near_duplicates"))
                .and_then(Value::as_array)
            {
                for o in nd {
                    let o = match o {
                        Value::String(s) => s.clone(),
                        x => x.to_string(),
                    };
                    if ids.contains(o.as_str()) {
                        g.ignore.insert(key(&d.id, &o));
                    }
                }
            }
            if let Some(grp) = meta_str(raw, "unlabeled_group") {
                g.group.insert(d.id.clone(), grp);
            }
            let article = meta_str(raw, "article").unwrap_or_else(|| d.id.clone());
            g.article.insert(d.id.clone(), article);
        }
        for ids in by_event.values() {
            for i in 0..ids.len() {
                for j in i + 1..ids.len() {
                    g.gold.insert(key(&ids[i], &ids[j]));
                }
            }
        }
        g
    }

    /// Whether a flagged pair counts, as `score.py` counts: not a near-duplicate, and not an
    /// unlabeled pair inside one `meta.unlabeled_group` (a gold pair there always counts).
    pub fn scored(&self, p: &Pair) -> bool {
        let unlabeled = match (self.group.get(&p.0), self.group.get(&p.1)) {
            (Some(x), Some(y)) => x == y && !self.gold.contains(p),
            _ => false,
        };
        !self.ignore.contains(p) && !unlabeled
    }

    /// `en-id` for a pair of an English and an Indonesian document (sorted codes).
    fn lang_pair(&self, p: &Pair) -> String {
        let mut l = [self.lang[&p.0].as_str(), self.lang[&p.1].as_str()];
        l.sort_unstable();
        format!("{}-{}", l[0], l[1])
    }
}

/// The rows of `score.py` for a set of flagged pairs: `all`, one per language pair with gold
/// or flags, `cross-language`, `independent` and `en-id-independent` (recall-only rows, whose
/// precision is 1 by construction).
pub fn score(g: &Gold, flagged: &HashSet<Pair>) -> BTreeMap<String, Prf> {
    let pred: HashSet<&Pair> = flagged.iter().filter(|p| g.scored(p)).collect();
    let mut res: BTreeMap<String, Prf> = BTreeMap::new();
    let mut count = |name: String, in_gold: bool, is_pred: bool| {
        let e = res.entry(name).or_default();
        e.gold += usize::from(in_gold);
        e.flagged += usize::from(is_pred);
        e.tp += usize::from(in_gold && is_pred);
    };
    let cross = |p: &Pair| g.lang[&p.0] != g.lang[&p.1];
    let indep = |p: &Pair| g.article[&p.0] != g.article[&p.1];
    for p in &g.gold {
        let hit = pred.contains(p);
        let lp = g.lang_pair(p);
        count("all".into(), true, hit);
        count(lp.clone(), true, hit);
        if cross(p) {
            count("cross-language".into(), true, hit);
        }
        if indep(p) {
            count("independent".into(), true, hit);
            if lp == "en-id" {
                count("en-id-independent".into(), true, hit);
            }
        }
    }
    for p in &pred {
        if g.gold.contains(*p) {
            continue;
        }
        count("all".into(), false, true);
        count(g.lang_pair(p), false, true);
        if cross(p) {
            count("cross-language".into(), false, true);
        }
    }
    for k in ["en-id", "en-id-independent"] {
        res.entry(k.into()).or_default();
    }
    // Recall-only rows: precision is 1 by construction, as in score.py.
    for k in ["independent", "en-id-independent"] {
        if let Some(e) = res.get_mut(k) {
            e.flagged = e.tp;
        }
    }
    res
}

/// One row over the pairs whose gold languages satisfy `keep(lang_a, lang_b)`, counted as
/// [`score`] counts (near-duplicates and same-group unlabeled pairs left out).
pub fn score_where(g: &Gold, flagged: &HashSet<Pair>, keep: impl Fn(&str, &str) -> bool) -> Prf {
    let langs = |p: &Pair| (g.lang[&p.0].as_str(), g.lang[&p.1].as_str());
    let kept = |p: &Pair| {
        let (a, b) = langs(p);
        keep(a, b)
    };
    let mut row = Prf::default();
    for p in g.gold.iter().filter(|p| kept(p)) {
        row.gold += 1;
        row.tp += usize::from(flagged.contains(p));
    }
    for p in flagged.iter().filter(|p| kept(p) && !g.gold.contains(*p)) {
        row.flagged += usize::from(g.scored(p));
    }
    row.flagged += row.tp;
    row
}

/// The table `score.py` prints (without its `== pool` heading), row for row.
pub fn table(res: &BTreeMap<String, Prf>) -> Vec<String> {
    let order = |k: &str| match k {
        "all" => 0,
        "cross-language" => 2,
        "independent" => 3,
        "en-id-independent" => 4,
        _ => 1,
    };
    let mut keys: Vec<&String> = res.keys().collect();
    keys.sort_by_key(|k| (order(k), k.to_string()));
    let mut out = Vec::new();
    for k in keys {
        let v = res[k];
        if v.gold == 0 && v.flagged == 0 && k != "en-id" && k != "en-id-independent" {
            continue;
        }
        let note = if k.contains("independent") {
            "  (recall only: precision is 1 by construction)"
        } else {
            ""
        };
        out.push(format!(
            "{k:18} P={:.4} R={:.4} F1={:.4}  tp={} flagged={} gold={}{note}",
            v.precision(),
            v.recall(),
            v.f1(),
            v.tp,
            v.flagged,
            v.gold
        ));
    }
    out
}

/// The language-pair matrix of a pool's rows: one line per language, one column per language
/// (codes in sorted order), each cell the F1 of that pair where the pair has gold pairs, and
/// `xN` where it has none but `N` false flags (same-language cells of a pool where no two
/// documents of one language describe the same event); `.` where it has neither.
pub fn matrix(res: &BTreeMap<String, Prf>) -> Vec<String> {
    let mut langs: Vec<&str> = res
        .keys()
        .filter_map(|k| k.split_once('-'))
        // Language codes (two or three letters, or `?`), not `cross-language` and the like.
        .filter(|(a, b)| {
            [a, b]
                .iter()
                .all(|c| (1..=3).contains(&c.len()) && !c.contains('-'))
        })
        .flat_map(|(a, b)| [a, b])
        .collect();
    langs.sort_unstable();
    langs.dedup();
    let mut out = Vec::new();
    let mut head = format!("{:6}", "F1");
    for l in &langs {
        head.push_str(&format!("{l:>6}"));
    }
    out.push(head);
    for a in &langs {
        let mut line = format!("{a:6}");
        for b in &langs {
            let (x, y) = if a <= b { (a, b) } else { (b, a) };
            let cell = match res.get(&format!("{x}-{y}")) {
                Some(v) if v.gold > 0 => format!("{:.2}", v.f1()),
                Some(v) if v.flagged > 0 => format!("x{}", v.flagged),
                _ => ".".to_string(),
            };
            line.push_str(&format!("{cell:>6}"));
        }
        out.push(line);
    }
    out
}

/// Every row's metrics under their canonical names: `ROW.precision`, `ROW.recall`, `ROW.f1`.
pub fn flatten(res: &BTreeMap<String, Prf>) -> BTreeMap<String, f64> {
    let mut flat = BTreeMap::new();
    for (k, v) in res {
        flat.insert(format!("{k}.precision"), v.precision());
        flat.insert(format!("{k}.recall"), v.recall());
        flat.insert(format!("{k}.f1"), v.f1());
    }
    flat
}

/// The canonical name of a metric: the aliases `ROW.p` and `ROW.r` become `ROW.precision` and
/// `ROW.recall`; any other name is returned as given.
pub fn canonical_metric(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((row, "p")) => format!("{row}.precision"),
        Some((row, "r")) => format!("{row}.recall"),
        _ => name.to_string(),
    }
}

/// A metric's value by name or alias (see [`canonical_metric`]); `None` when not measured.
pub fn metric(values: &BTreeMap<String, f64>, name: &str) -> Option<f64> {
    values
        .get(name)
        .or_else(|| values.get(&canonical_metric(name)))
        .copied()
}

/// One line of a floors file: `POOL METRIC MIN`.
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    /// The pool's file name (`seeds` for the seed checks).
    pub pool: String,
    /// The metric, by name or alias.
    pub metric: String,
    /// The least acceptable value.
    pub min: f64,
}

/// Parses a floors file: `POOL METRIC MIN` a line; blank lines and `#` comments skipped.
///
/// # Errors
/// A line with another shape or a bad number, with its line number.
pub fn parse_floors(text: &str, name: &str) -> Result<Vec<Floor>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [pool, m, min] = parts[..] else {
            return Err(format!("{name}:{}: expected POOL METRIC MIN", n + 1));
        };
        let min: f64 = min
            .parse()
            .map_err(|_| format!("{name}:{}: bad number {min:?}", n + 1))?;
        out.push(Floor {
            pool: pool.to_string(),
            metric: m.to_string(),
            min,
        });
    }
    Ok(out)
}

/// The flagged pairs of a threshold sweep at overall threshold `t`: a pair is kept when its
/// score reaches `t` (same-language) or `t × cross_ratio` (cross-language). Whether a pair is
/// cross-language is given by `cross` (from the languages the corpus matched the two
/// documents with), never guessed from the threshold recorded in the match.
pub fn sweep_flags<'a>(
    scored: impl IntoIterator<Item = (&'a Pair, f64, bool)>,
    t: f64,
    cross_ratio: f64,
) -> HashSet<Pair> {
    scored
        .into_iter()
        .filter(|&(_, score, cross)| score >= if cross { t * cross_ratio } else { t })
        .map(|(p, _, _)| p.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, json: &str) -> Doc {
        Doc {
            id: id.into(),
            title: None,
            text: String::new(),
            lang: None,
            raw: Some(serde_json::from_str(json).unwrap()),
        }
    }

    /// Six documents: event A in en and id (two articles), event B in en and en (translations
    /// of one article), an unlabelled group and a near duplicate.
    fn pool() -> Vec<Doc> {
        vec![
            doc("a1", r#"{"lang": "en", "event": "A"}"#),
            doc("a2", r#"{"lang": "id", "event": "A"}"#),
            doc(
                "b1",
                r#"{"lang": "en", "event": "B", "meta": {"article": "b"}}"#,
            ),
            doc(
                "b2",
                r#"{"lang": "en", "event": "B", "meta": {"article": "b", "near_duplicates": ["x"]}}"#,
            ),
            doc(
                "u1",
                r#"{"lang": "id", "event": "U1", "meta": {"unlabeled_group": 3}}"#,
            ),
            doc(
                "u2",
                r#"{"lang": "id", "event": "U2", "meta": {"unlabeled_group": 3}}"#,
            ),
        ]
    }

    #[test]
    fn prf_edges() {
        let z = Prf::default();
        assert_eq!((z.precision(), z.recall(), z.f1()), (0.0, 0.0, 0.0));
        let v = Prf {
            tp: 1,
            flagged: 2,
            gold: 4,
        };
        assert_eq!((v.precision(), v.recall()), (0.5, 0.25));
        assert!((v.f1() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn gold_pairs_ignores_and_groups() {
        let g = Gold::of(&pool());
        let mut gold: Vec<&Pair> = g.gold.iter().collect();
        gold.sort();
        assert_eq!(gold, [&key("a1", "a2"), &key("b1", "b2")]);
        assert!(g.ignore.is_empty(), "x is not in the pool");
        assert_eq!(g.group["u1"], "3");
        assert_eq!(g.article["a1"], "a1");
        assert_eq!(g.article["b2"], "b");
    }

    #[test]
    fn rows_match_score_py() {
        let g = Gold::of(&pool());
        // a1-a2 right, b1-u1 wrong (cross-language), u1-u2 unscored (one unlabelled group).
        let flagged: HashSet<Pair> = [key("a1", "a2"), key("b1", "u1"), key("u1", "u2")]
            .into_iter()
            .collect();
        let r = score(&g, &flagged);
        assert_eq!(
            r["all"],
            Prf {
                tp: 1,
                flagged: 2,
                gold: 2
            }
        );
        assert_eq!(
            r["en-id"],
            Prf {
                tp: 1,
                flagged: 2,
                gold: 1
            }
        );
        assert_eq!(
            r["en-en"],
            Prf {
                tp: 0,
                flagged: 0,
                gold: 1
            }
        );
        assert_eq!(
            r["cross-language"],
            Prf {
                tp: 1,
                flagged: 2,
                gold: 1
            }
        );
        // Independent: a1-a2 (different articles); b1-b2 are one article.
        assert_eq!(
            r["independent"],
            Prf {
                tp: 1,
                flagged: 1,
                gold: 1
            }
        );
        assert_eq!(
            r["en-id-independent"],
            Prf {
                tp: 1,
                flagged: 1,
                gold: 1
            }
        );
        assert!(!r.contains_key("id-id"), "the unscored pair makes no row");
        let t = table(&r);
        assert_eq!(
            t[0],
            "all                P=0.5000 R=0.5000 F1=0.5000  tp=1 flagged=2 gold=2"
        );
        let names: Vec<&str> = t
            .iter()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "all",
                "en-en",
                "en-id",
                "cross-language",
                "independent",
                "en-id-independent"
            ]
        );
    }

    #[test]
    fn floors_may_name_metrics_by_alias() {
        let r = score(&Gold::of(&pool()), &[key("a1", "a2")].into_iter().collect());
        let flat = flatten(&r);
        assert_eq!(metric(&flat, "all.p"), Some(1.0));
        assert_eq!(metric(&flat, "all.precision"), Some(1.0));
        assert_eq!(metric(&flat, "all.r"), Some(0.5));
        assert_eq!(metric(&flat, "en-id.f1"), Some(1.0));
        assert_eq!(metric(&flat, "all.q"), None);
        assert_eq!(metric(&flat, "nope.p"), None);
    }

    #[test]
    fn floors_file() {
        let f = parse_floors("# c\n\ndev.jsonl all.p 0.9\nseeds margin 0.1\n", "f").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].metric.as_str(), f[0].min), ("all.p", 0.9));
        assert_eq!(
            parse_floors("a b\n", "f").unwrap_err(),
            "f:1: expected POOL METRIC MIN"
        );
        assert!(parse_floors("a b c\n", "f")
            .unwrap_err()
            .contains("bad number"));
    }

    #[test]
    fn sweep_tells_cross_language_pairs_by_their_languages() {
        // The old sweep called a pair same-language when its recorded threshold equalled the
        // base run's overall threshold; a cross-language pair whose threshold happens to be
        // that value (a `cross` knob) was then judged by the same-language threshold.
        let same = key("a", "b");
        let cross = key("c", "d");
        let scored = [(&same, 0.20, false), (&cross, 0.20, true)];
        let flags = sweep_flags(scored, 0.18, 1.2);
        assert!(flags.contains(&same), "0.20 ≥ 0.18");
        assert!(!flags.contains(&cross), "0.20 < 0.18 × 1.2");
        assert_eq!(sweep_flags(scored, 0.10, 1.2).len(), 2);
    }
}
