//! Where each feature sits: headline, lead or body (`Position`), and the title as its own
//! input (`Analyzer::analyze_article`), whose features are those of the glued text.

use lintas::{Analyzer, Detector, Feature, FeatureKind, Lang, Position};

fn position(features: &[Feature], label: &str) -> Position {
    features
        .iter()
        .find(|f| &*f.label == label)
        .unwrap_or_else(|| panic!("no feature {label}"))
        .position
}

const BODY: &str = "Eight people died in Semarang on Monday. The river Kaligarang rose overnight. \
    Rain fell for hours. Schools closed early. Aid arrived from Demak.";

#[test]
fn a_title_word_is_headline_and_a_word_only_in_sentence_five_is_body() {
    let a = Analyzer::new().analyze_article(Some("Floods hit Tegal"), BODY);
    let f = a.features();
    assert_eq!(position(f, "name:tegal"), Position::Headline);
    // Sentences one to three of the body are the lead, four and five the body.
    assert_eq!(position(f, "ent:SEMARANG"), Position::Lead);
    assert_eq!(position(f, "rain"), Position::Lead);
    assert_eq!(position(f, "school"), Position::Body);
    assert_eq!(position(f, "name:demak"), Position::Body);
}

#[test]
fn without_a_title_the_first_sentence_is_the_headline() {
    let a = Analyzer::new().analyze(BODY);
    let f = a.features();
    assert_eq!(position(f, "ent:SEMARANG"), Position::Headline);
    // The lead is then sentences two and three: the first three in all.
    assert_eq!(position(f, "name:kaligarang"), Position::Lead);
    assert_eq!(position(f, "rain"), Position::Lead);
    assert_eq!(position(f, "school"), Position::Body);
    // The same with a blank title.
    let blank = Analyzer::new().analyze_article(Some("  "), BODY);
    assert_eq!(blank.features(), f);
}

#[test]
fn the_earliest_occurrence_counts() {
    let body = "Officials met on Monday. Talks went on. Nothing was agreed. \
        Later, Semarang officials said more.";
    let a = Analyzer::new().analyze_article(Some("Semarang talks"), body);
    let f = a.features();
    let s = f.iter().find(|x| &*x.label == "ent:SEMARANG").unwrap();
    assert_eq!(position(f, "later"), Position::Body);
    assert_eq!((s.count, s.position), (2, Position::Headline));
}

/// The title glued as `dedup` glued it before it passed titles through.
fn glued(title: Option<&str>, body: &str) -> String {
    match title {
        Some(t) if !t.trim().is_empty() && !body.trim_start().starts_with(t.trim()) => {
            format!("{t}\n\n{body}")
        }
        _ => body.to_string(),
    }
}

#[test]
fn analyze_article_has_the_features_of_the_glued_text() {
    let a = Analyzer::new();
    let cases: [(Option<&str>, &str); 6] = [
        (Some("Floods hit Tegal"), BODY),
        (None, BODY),
        (Some(""), BODY),
        // The body already starts with the title: not repeated.
        (Some(" Eight people died "), BODY),
        (
            Some("Ｇｅｍｐａ ６，２ guncang “Palu”"),
            "Gempa bermagnitudo 6,2 mengguncang Palu, Selasa. BNPB mencatat 27 korban.",
        ),
        (
            Some("Baca juga: banjir Demak"),
            "Banjir melanda Kudus pada Senin.",
        ),
    ];
    for (title, body) in cases {
        let article = a.analyze_article(title, body);
        let text = a.analyze(&glued(title, body));
        assert_eq!(article.detection(), text.detection(), "{title:?}");
        assert_eq!(article.word_count(), text.word_count());
        let strip = |fs: &[Feature]| -> Vec<(u64, FeatureKind, String, u32)> {
            fs.iter()
                .map(|f| (f.hash, f.kind, f.label.to_string(), f.count))
                .collect()
        };
        assert_eq!(
            strip(article.features()),
            strip(text.features()),
            "{title:?}"
        );
        let forced = a.analyze_article_as(title, body, Lang::Indonesian);
        let forced_text = a.analyze_as(&glued(title, body), Lang::Indonesian);
        assert_eq!(forced.hashes(), forced_text.hashes());
    }
}

#[test]
fn a_title_already_at_the_start_of_the_body_is_still_the_headline() {
    let a = Analyzer::new().analyze_article(
        Some("Floods hit Tegal"),
        "Floods hit Tegal on Monday, \
        killing eight. Rain fell. Schools closed. Aid came. Demak waited.",
    );
    let f = a.features();
    // Tegal and Demak stand only where capitals say nothing (a title-case title, a
    // sentence's first word), but the lexicon does not know them and the text never writes
    // them in lowercase: names, wherever they first stand.
    assert_eq!(position(f, "name:tegal"), Position::Headline);
    assert_eq!(position(f, "monday"), Position::Lead);
    assert_eq!(position(f, "school"), Position::Lead);
    assert_eq!(position(f, "name:demak"), Position::Body);
}

#[test]
fn a_full_width_title_ends_where_its_normalised_form_ends() {
    // NFKC shortens the title; the body's first word must not be read as headline.
    let a = Analyzer::new().analyze_article_as(
        Some("Ｆｌｏｏｄｓ ｉｎ Tegal"),
        "Semarang officials said eight people died.",
        Lang::English,
    );
    let f = a.features();
    assert_eq!(position(f, "name:tegal"), Position::Headline);
    assert_eq!(position(f, "ent:SEMARANG"), Position::Lead);
}

#[test]
fn features_made_without_text_are_body() {
    assert_eq!(
        Feature::new(FeatureKind::Concept, "flood").position,
        Position::Body
    );
}

#[test]
fn detector_takes_articles() {
    let mut d = Detector::new();
    d.add_article(
        "en",
        Some("Floods kill eight in Semarang"),
        "Floods in Semarang killed eight people on Monday and forced 12,000 residents \
         from their homes, the disaster agency BNPB said.",
    )
    .unwrap();
    let q = d.query_article(
        Some("Banjir tewaskan delapan orang di Semarang"),
        "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 warga \
         mengungsi, kata BNPB.",
    );
    assert_eq!(q.len(), 1);
    let found = d
        .add_article_as(
            "id",
            Some("Banjir tewaskan delapan orang di Semarang"),
            "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 warga \
             mengungsi, kata BNPB.",
            Lang::Indonesian,
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(d.add_article("en", None, "again").is_err());
}

#[test]
fn colons_quotes_brackets_and_abbreviations_do_not_end_a_lead_sentence() {
    // Four sentences; the tokeniser starts more (after the colon, at the quotation mark, in
    // the brackets, after "Mr."), which the lead does not count.
    let body = "Officials said: \"The river rose (again) on Monday.\" Mr. Budi agreed. \
        Rain fell. Schools closed.";
    let a = Analyzer::new().analyze_article_as(Some("Floods hit Tegal"), body, Lang::English);
    let f = a.features();
    assert_eq!(position(f, "monday"), Position::Lead);
    assert_eq!(position(f, "rain"), Position::Lead);
    assert_eq!(position(f, "school"), Position::Body);
}
