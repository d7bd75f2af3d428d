//! Corpus settings as the manifest stores them: `(name, value)` text pairs, one per
//! [`CorpusSettings`] field in declaration order, values written as Rust's `Debug` prints
//! them (`0.14`, `Some(42)`, `[2.0, 1.0, 1.0, 1.0]`: floats in their shortest form that reads
//! back exactly), and a builder made again through the setters.
//!
//! [`settings_of`] destructures [`CorpusSettings`] without `..`: a field added to the
//! settings and not stored here does not compile, so an index never forgets a setting.

use crate::{CorpusBuilder, CorpusSettings, FeatureKind, Lang};

/// Settings as stored: `(name, value)` in field order.
pub(crate) type Settings = Vec<(String, String)>;

/// The settings of a builder.
pub(crate) fn settings_of(b: &CorpusBuilder) -> Settings {
    let CorpusSettings {
        num_hashes,
        seed,
        candidate_threshold,
        threshold,
        cross_threshold,
        containment_factor,
        containment_ratio,
        containment_anchors,
        containment_specific,
        containment_headline,
        pair_thresholds,
        dictionary_languages,
        dictionary_threshold,
        min_shared_rare,
        max_rare_df,
        min_shared_lead,
        max_lead_df,
        keep_labels,
        date_penalty,
        number_penalty,
        number_conflict_min,
        kind_weights,
        weighted_sketch,
        rarity_prior,
        collapse_copies,
        verifier,
        max_days_apart,
    } = b.settings();
    let d = |v: &dyn std::fmt::Debug| format!("{v:?}");
    [
        ("num_hashes", d(&num_hashes)),
        ("seed", d(&seed)),
        ("candidate_threshold", d(&candidate_threshold)),
        ("threshold", d(&threshold)),
        ("cross_threshold", d(&cross_threshold)),
        ("containment_factor", d(&containment_factor)),
        ("containment_ratio", d(&containment_ratio)),
        ("containment_anchors", d(&containment_anchors)),
        ("containment_specific", d(&containment_specific)),
        ("containment_headline", d(&containment_headline)),
        ("pair_thresholds", d(&pair_thresholds)),
        ("dictionary_languages", d(&dictionary_languages)),
        ("dictionary_threshold", d(&dictionary_threshold)),
        ("min_shared_rare", d(&min_shared_rare)),
        ("max_rare_df", d(&max_rare_df)),
        ("min_shared_lead", d(&min_shared_lead)),
        ("max_lead_df", d(&max_lead_df)),
        ("keep_labels", d(&keep_labels)),
        ("date_penalty", d(&date_penalty)),
        ("number_penalty", d(&number_penalty)),
        ("number_conflict_min", d(&number_conflict_min)),
        ("kind_weights", d(&kind_weights)),
        ("weighted_sketch", d(&weighted_sketch)),
        ("rarity_prior", d(&rarity_prior)),
        ("collapse_copies", d(&collapse_copies)),
        ("verifier", d(&verifier)),
        ("max_days_apart", d(&max_days_apart)),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_string(), v))
    .collect()
}

/// `[(English, French, 0.075), …]`, as `Debug` prints `Vec<(Lang, Lang, f64)>`.
fn pair_thresholds(v: &str) -> Result<Vec<(Lang, Lang, f64)>, String> {
    let bad = || format!("corpus setting `pair_thresholds` reads {v:?}");
    let inner = list_items(v).ok_or_else(bad)?;
    if inner.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for item in inner.split("), (") {
        let item = item.trim_start_matches('(').trim_end_matches(')');
        let f: Vec<&str> = item.split(", ").collect();
        let [a, b, t] = f[..] else {
            return Err(bad());
        };
        out.push((
            lang_named(a).ok_or_else(bad)?,
            lang_named(b).ok_or_else(bad)?,
            t.parse().map_err(|_| bad())?,
        ));
    }
    Ok(out)
}

/// What a `Debug`-printed `Vec` holds between its brackets.
fn list_items(v: &str) -> Option<&str> {
    v.strip_prefix('[').and_then(|s| s.strip_suffix(']'))
}

/// The language `Debug` prints as `name`.
fn lang_named(name: &str) -> Option<Lang> {
    Lang::ALL.iter().copied().find(|l| format!("{l:?}") == name)
}

/// `[French, Russian]`, as `Debug` prints `Vec<Lang>`.
fn languages(v: &str) -> Result<Vec<Lang>, String> {
    let bad = || format!("corpus setting `dictionary_languages` reads {v:?}");
    let inner = list_items(v).ok_or_else(bad)?;
    if inner.is_empty() {
        return Ok(Vec::new());
    }
    inner
        .split(", ")
        .map(|name| lang_named(name).ok_or_else(bad))
        .collect()
}

/// `(0.025, 0.06)`, as `Debug` prints `(f64, f64)`.
fn two_numbers(name: &str, v: &str) -> Result<(f64, f64), String> {
    let bad = || format!("corpus setting `{name}` reads {v:?}");
    let (a, b) = v
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .and_then(|s| s.split_once(", "))
        .ok_or_else(bad)?;
    Ok((a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?))
}

fn num<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("corpus setting `{name}` has an unreadable value {v:?}"))
}

/// A builder with the stored settings. `Err` for a name this code does not know (an index
/// written by a newer lintas) or a value that does not read.
pub(crate) fn builder_of(settings: &[(String, String)]) -> Result<CorpusBuilder, String> {
    let mut b = CorpusBuilder::default();
    // An index written before `containment_anchors` existed was matched without it.
    if !settings.iter().any(|(n, _)| n == "containment_anchors") {
        b = b.containment_anchors(0.0);
    }
    // One written before `containment_specific` existed counted containment without it.
    if !settings.iter().any(|(n, _)| n == "containment_specific") {
        b = b.containment_specific(false);
    }
    // Nor with `containment_headline`.
    if !settings.iter().any(|(n, _)| n == "containment_headline") {
        b = b.containment_headline(0.0);
    }
    // `verifier` resets both thresholds to its defaults, so it goes first. An index written
    // before the verifier was a setting was matched by the overlap score (then the only one;
    // the default is `Combined` since).
    let verifier = match settings.iter().find(|(n, _)| n == "verifier") {
        None => crate::Verifier::Overlap,
        Some((_, v)) => match v.as_str() {
            "Event" => crate::Verifier::Event,
            "Overlap" => crate::Verifier::Overlap,
            "Combined" => crate::Verifier::Combined,
            _ => return Err(format!("corpus setting `verifier` reads {v:?}")),
        },
    };
    b = b.verifier(verifier);
    for (name, v) in settings {
        let n = name.as_str();
        b = match n {
            "num_hashes" => b.num_hashes(num(n, v)?),
            "seed" => match v.as_str() {
                "None" => b,
                s => {
                    let inner = s
                        .strip_prefix("Some(")
                        .and_then(|s| s.strip_suffix(')'))
                        .ok_or_else(|| format!("corpus setting `seed` reads {s:?}"))?;
                    b.seed(num(n, inner)?)
                }
            },
            "candidate_threshold" => b.candidate_threshold(num(n, v)?),
            "threshold" => b.threshold(num(n, v)?),
            "cross_threshold" => b.cross_threshold(num(n, v)?),
            "containment_factor" => b.containment_factor(num(n, v)?),
            "containment_ratio" => b.containment_ratio(num(n, v)?),
            "containment_anchors" => b.containment_anchors(num(n, v)?),
            "containment_specific" => b.containment_specific(num(n, v)?),
            "containment_headline" => b.containment_headline(num(n, v)?),
            "pair_thresholds" => {
                for (x, y, t) in pair_thresholds(v)? {
                    b = b.pair_threshold(x, y, t);
                }
                b
            }
            "dictionary_languages" => b.dictionary_languages(&languages(v)?),
            "dictionary_threshold" => {
                let (intercept, slope) = two_numbers(n, v)?;
                b.dictionary_threshold(intercept, slope)
            }
            "min_shared_rare" => b.min_shared_rare(num(n, v)?),
            "max_rare_df" => b.max_rare_df(num(n, v)?),
            "min_shared_lead" => b.min_shared_lead(num(n, v)?),
            "max_lead_df" => b.max_lead_df(num(n, v)?),
            "keep_labels" => b.keep_labels(num(n, v)?),
            "date_penalty" => b.date_penalty(num(n, v)?),
            "number_penalty" => b.number_penalty(num(n, v)?),
            "number_conflict_min" => b.number_conflict_min(num(n, v)?),
            "kind_weights" => {
                let list = v
                    .strip_prefix('[')
                    .and_then(|s| s.strip_suffix(']'))
                    .ok_or_else(|| format!("corpus setting `kind_weights` reads {v:?}"))?;
                let ws: Vec<&str> = list.split(", ").collect();
                if ws.len() != FeatureKind::ALL.len() {
                    return Err(format!("corpus setting `kind_weights` reads {v:?}"));
                }
                for (k, w) in FeatureKind::ALL.into_iter().zip(ws) {
                    b = b.kind_weight(k, num(n, w)?);
                }
                b
            }
            "weighted_sketch" => b.weighted_sketch(num(n, v)?),
            "rarity_prior" => b.rarity_prior(num(n, v)?),
            "collapse_copies" => b.collapse_copies(num(n, v)?),
            "max_days_apart" => match v.as_str() {
                "None" => b.max_days_apart(None),
                s => {
                    let inner = s
                        .strip_prefix("Some(")
                        .and_then(|s| s.strip_suffix(')'))
                        .ok_or_else(|| format!("corpus setting `max_days_apart` reads {s:?}"))?;
                    b.max_days_apart(Some(num(n, inner)?))
                }
            },
            // Applied before the loop: it resets the thresholds.
            "verifier" => b,
            _ => {
                return Err(format!(
                    "corpus setting `{n}` is unknown to this version of lintas (the index was \
                     written by a newer one)"
                ))
            }
        };
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Corpus;

    #[test]
    fn every_setting_reads_back() {
        let custom = Corpus::builder()
            .num_hashes(64)
            .seed(7)
            .candidate_threshold(0.3)
            .overall_threshold(0.1)
            .containment_factor(0.35)
            .containment_ratio(2.5)
            .containment_anchors(0.5)
            .containment_specific(false)
            .containment_headline(0.25)
            .pair_threshold(Lang::French, Lang::English, 0.075)
            .pair_threshold(Lang::Spanish, Lang::Spanish, 0.2)
            .dictionary_languages(&[Lang::Russian, Lang::French])
            .dictionary_threshold(0.03, 0.05)
            .min_shared_rare(3)
            .max_rare_df(0.01)
            .min_shared_lead(0)
            .max_lead_df(0.04)
            .keep_labels(false)
            .date_penalty(0.9)
            .number_penalty(0.6)
            .number_conflict_min(4)
            .kind_weight(FeatureKind::Local, 0.5)
            .weighted_sketch(true)
            .rarity_prior(100.0)
            .collapse_copies(false)
            .verifier(crate::Verifier::Overlap)
            .overall_threshold(0.1)
            .max_days_apart(None);
        let wider = CorpusBuilder::default().max_days_apart(Some(30));
        for b in [CorpusBuilder::default(), custom, wider] {
            let s = settings_of(&b);
            // The stored form is the builder's `Debug` form, field by field (what indexes
            // written before `CorpusSettings` existed hold).
            let debug: String = s
                .iter()
                .map(|(n, v)| format!("{n}: {v}"))
                .collect::<Vec<_>>()
                .join(", ");
            assert_eq!(format!("CorpusBuilder {{ {debug} }}"), format!("{b:?}"));
            let back = builder_of(&s).unwrap();
            assert_eq!(back.settings(), b.settings());
            assert_eq!(settings_of(&back), s);
        }
        // An index written before `containment_anchors` existed keeps the scoring it was
        // written with: containment on shared words alone.
        let mut old = settings_of(&CorpusBuilder::default());
        old.retain(|(n, _)| n != "containment_anchors");
        assert_eq!(
            builder_of(&old).unwrap().settings().containment_anchors,
            0.0
        );
        // So does one written before `containment_specific` existed.
        let mut old = settings_of(&CorpusBuilder::default());
        old.retain(|(n, _)| n != "containment_specific");
        assert!(!builder_of(&old).unwrap().settings().containment_specific);
        assert!(
            builder_of(&settings_of(&CorpusBuilder::default()))
                .unwrap()
                .settings()
                .containment_specific
        );
        // And one written before `containment_headline` existed.
        let mut old = settings_of(&CorpusBuilder::default());
        old.retain(|(n, _)| n != "containment_headline");
        assert_eq!(
            builder_of(&old).unwrap().settings().containment_headline,
            0.0
        );
        // One written before the verifier was a setting was matched by the overlap score,
        // whatever the default is now.
        let mut old = settings_of(&CorpusBuilder::default().verifier(crate::Verifier::Overlap));
        old.retain(|(n, _)| n != "verifier");
        let back = builder_of(&old).unwrap().settings();
        assert_eq!(back.verifier, crate::Verifier::Overlap);
        assert_eq!(back.threshold, crate::DEFAULT_THRESHOLD);
        assert_eq!(
            builder_of(&settings_of(&CorpusBuilder::default()))
                .unwrap()
                .settings()
                .verifier,
            crate::Verifier::Combined
        );
        assert!(builder_of(&[("future".into(), "1".into())]).is_err());
        assert!(builder_of(&[("threshold".into(), "x".into())]).is_err());
        assert!(builder_of(&[("kind_weights".into(), "[1.0]".into())]).is_err());
        for bad in [
            "[(English, Klingon, 0.1)]",
            "[(English, French)]",
            "(English, French, 1)",
        ] {
            assert!(
                builder_of(&[("pair_thresholds".into(), bad.into())]).is_err(),
                "{bad}"
            );
        }
        for bad in ["[French, Klingon]", "French", "[French,Russian]"] {
            assert!(
                builder_of(&[("dictionary_languages".into(), bad.into())]).is_err(),
                "{bad}"
            );
        }
        for bad in ["(0.02)", "0.02, 0.06", "(0.02, x)", "[0.02, 0.06]"] {
            assert!(
                builder_of(&[("dictionary_threshold".into(), bad.into())]).is_err(),
                "{bad}"
            );
        }
        // An index written before the dictionary threshold had its rule keeps the pair
        // thresholds it stored, and has no dictionary languages.
        let mut old = settings_of(&CorpusBuilder::default());
        old.retain(|(n, _)| !n.starts_with("dictionary_"));
        assert!(builder_of(&old)
            .unwrap()
            .settings()
            .dictionary_languages
            .is_empty());
    }
}
