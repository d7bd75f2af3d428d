//! The vocabulary both halves speak: a [`Feature`] is what the analysis produces and what
//! the similarity core and the matching stage receive.
//!
//! A feature is a `u64` ([`feature_hash`] of its [`FeatureKind`] tag and its label), a label for
//! explanations and a count. Anchors carry a typed [`AnchorClass`] (name, entity, date, …),
//! read from their label's prefix in one place ([`AnchorClass::of_label`]), so the matching
//! stage never parses label strings.

use crate::hash::feature_hash;

/// What a feature stands for, kept so that a match can say *why* two documents matched.
///
/// The kind is part of the feature's hash ([`feature_hash`]), so a concept and an
/// anchor with the same label are different features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum FeatureKind {
    /// A language-neutral anchor: a name, number, amount, date, acronym or place.
    Anchor,
    /// A cross-language concept (an English stem or a lexicon concept).
    Concept,
    /// An order-free pair of concepts that occur close together.
    Pair,
    /// A word with no cross-language concept: it matches only the same language, and its
    /// rarity is counted among the documents of that language (the language of the first
    /// document holding it; the analyser writes the language code into its label).
    Local,
}

impl FeatureKind {
    /// All kinds, in tag order.
    pub const ALL: [FeatureKind; 4] = [
        FeatureKind::Anchor,
        FeatureKind::Concept,
        FeatureKind::Pair,
        FeatureKind::Local,
    ];

    /// The one-byte tag hashed in front of a feature's label (part of the hash scheme).
    pub const fn tag(self) -> u8 {
        match self {
            FeatureKind::Anchor => b'A',
            FeatureKind::Concept => b'C',
            FeatureKind::Pair => b'P',
            FeatureKind::Local => b'L',
        }
    }

    /// A lowercase name for reports (`anchor`, `concept`, `pair`, `local`).
    pub const fn name(self) -> &'static str {
        match self {
            FeatureKind::Anchor => "anchor",
            FeatureKind::Concept => "concept",
            FeatureKind::Pair => "pair",
            FeatureKind::Local => "local",
        }
    }
}

/// One feature of a document: what the similarity core receives from the analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature value (see [`feature_hash`]).
    pub hash: u64,
    /// What kind of evidence it is.
    pub kind: FeatureKind,
    /// A readable label for explanations (`name:shanghai`, `amt:USD:1400000`, `partnership`).
    pub label: std::sync::Arc<str>,
    /// Occurrences in the document.
    pub count: u32,
    /// Where the feature first occurs: headline, lead or body (see [`Position`]).
    pub position: Position,
}

/// Where in a document a feature first occurs. News puts the event in the headline and the
/// first sentences; background paragraphs repeat the story's names in every article.
///
/// A feature's position is the earliest of its occurrences (`Headline < Lead < Body`):
///
/// * [`Position::Headline`]: a token of the title; with no title, of the body's first
///   sentence.
/// * [`Position::Lead`]: the body's first three sentences (the first one counts as the
///   headline when there is no title, so then the lead is sentences two and three).
/// * [`Position::Body`]: anywhere later.
///
/// Sentences are the tokeniser's: a new one starts after `.`, `!` or `?`, at a line break and
/// at an opening quotation mark.
///
/// ```
/// use lintas::{Analyzer, Position};
/// let a = Analyzer::new().analyze_article(
///     Some("Floods hit Semarang"),
///     "Eight people died on Monday. The river rose. Rain fell. Schools closed. Aid arrived in Demak.",
/// );
/// let pos = |label: &str| a.features().iter().find(|f| &*f.label == label).unwrap().position;
/// assert_eq!(pos("ent:SEMARANG"), Position::Headline);
/// assert_eq!(pos("river"), Position::Lead);
/// assert_eq!(pos("name:demak"), Position::Body);
/// assert!(Position::Headline < Position::Lead);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[repr(u8)]
pub enum Position {
    /// In the title (or, without one, the first sentence).
    Headline = 0,
    /// In the first sentences of the body.
    Lead = 1,
    /// Later in the body (also the position of a feature made without a text, such as
    /// [`Feature::new`]'s).
    #[default]
    Body = 2,
}

impl Position {
    /// Every position, earliest first.
    pub const ALL: [Position; 3] = [Position::Headline, Position::Lead, Position::Body];

    /// A lowercase name for reports (`headline`, `lead`, `body`).
    pub const fn name(self) -> &'static str {
        match self {
            Position::Headline => "headline",
            Position::Lead => "lead",
            Position::Body => "body",
        }
    }

    /// Whether the position is the headline or the lead: where news puts the event.
    pub const fn is_head_or_lead(self) -> bool {
        matches!(self, Position::Headline | Position::Lead)
    }
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Feature {
    /// A feature with its hash computed from kind and label, occurring once, in the body
    /// ([`Position::Body`]; set [`Feature::position`] for another).
    ///
    /// ```
    /// use lintas::{Feature, FeatureKind};
    /// let f = Feature::new(FeatureKind::Anchor, "name:shanghai");
    /// assert_eq!(f.hash, lintas::hash::feature_hash(FeatureKind::Anchor, "name:shanghai"));
    /// ```
    pub fn new(kind: FeatureKind, label: &str) -> Feature {
        Feature {
            hash: feature_hash(kind, label),
            kind,
            label: label.into(),
            count: 1,
            position: Position::Body,
        }
    }
}

impl std::fmt::Display for FeatureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FeatureKind {
    /// Position of the kind in [`FeatureKind::ALL`] (and in per-kind arrays such as
    /// [`crate::Explanation::shared_counts`]).
    pub const fn index(self) -> usize {
        match self {
            FeatureKind::Anchor => 0,
            FeatureKind::Concept => 1,
            FeatureKind::Pair => 2,
            FeatureKind::Local => 3,
        }
    }
}

/// What an anchor stands for. The class is the prefix of the anchor's label (`name:`,
/// `date:`, …): the prefix is part of the hashed label, so the classes below are part of the
/// hash scheme.
///
/// ```
/// use lintas::{AnchorClass, Feature, FeatureKind};
/// let f = Feature::new(FeatureKind::Anchor, "date:09-17");
/// assert_eq!(f.anchor_class(), Some(AnchorClass::Date));
/// assert_eq!(AnchorClass::Date.prefix(), "date:");
/// assert_eq!(Feature::new(FeatureKind::Concept, "date").anchor_class(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum AnchorClass {
    /// A person's or place's name, folded to lowercase ASCII (`name:larasati`).
    Name,
    /// An entity of the built-in table, language-neutral (`ent:BNPB`, `ent:CENTRAL_SULAWESI`).
    Entity,
    /// A calendar day, month and day of month (`date:09-17`).
    Date,
    /// A year (`year:2019`).
    Year,
    /// An amount of money with its currency (`amt:USD:1400000`).
    Amount,
    /// A percentage (`pct:3.5`).
    Percent,
    /// A plain number, digits or number words (`num:27`).
    Number,
    /// A code mixing digits and letters, or a score or range, smaller side first (`code:5g`,
    /// `code:17-21` for both `21-17` and `17-21`).
    Code,
    /// An acronym that is not in the entity table (`acr:KPK`).
    Acronym,
}

impl AnchorClass {
    /// Every class, in prefix order of the table in DESIGN.md.
    pub const ALL: [AnchorClass; 9] = [
        AnchorClass::Name,
        AnchorClass::Entity,
        AnchorClass::Date,
        AnchorClass::Year,
        AnchorClass::Amount,
        AnchorClass::Percent,
        AnchorClass::Number,
        AnchorClass::Code,
        AnchorClass::Acronym,
    ];

    /// The label prefix of the class, colon included.
    pub const fn prefix(self) -> &'static str {
        match self {
            AnchorClass::Name => "name:",
            AnchorClass::Entity => "ent:",
            AnchorClass::Date => "date:",
            AnchorClass::Year => "year:",
            AnchorClass::Amount => "amt:",
            AnchorClass::Percent => "pct:",
            AnchorClass::Number => "num:",
            AnchorClass::Code => "code:",
            AnchorClass::Acronym => "acr:",
        }
    }

    /// The class of an anchor label, from its prefix (`None` for a label of no class).
    pub fn of_label(label: &str) -> Option<AnchorClass> {
        let (head, _) = label.split_once(':')?;
        AnchorClass::ALL
            .into_iter()
            .find(|c| c.prefix().len() == head.len() + 1 && c.prefix().starts_with(head))
    }

    /// Whether the class is a figure (a number, amount or percentage): figures of one event
    /// agree across its reports, so figures that all disagree are evidence against a match.
    pub const fn is_figure(self) -> bool {
        matches!(
            self,
            AnchorClass::Number | AnchorClass::Amount | AnchorClass::Percent
        )
    }
}

impl Feature {
    /// The anchor class of an anchor feature (`None` for the other kinds, or an anchor label
    /// without a known prefix).
    pub fn anchor_class(&self) -> Option<AnchorClass> {
        match self.kind {
            FeatureKind::Anchor => AnchorClass::of_label(&self.label),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_reads_back_from_its_prefix() {
        for c in AnchorClass::ALL {
            assert_eq!(AnchorClass::of_label(&format!("{}x", c.prefix())), Some(c));
        }
        assert_eq!(
            AnchorClass::of_label("amt:USD:1400"),
            Some(AnchorClass::Amount)
        );
        assert_eq!(AnchorClass::of_label("nam:x"), None);
        assert_eq!(AnchorClass::of_label("names:x"), None);
        assert_eq!(AnchorClass::of_label("plain"), None);
    }

    #[test]
    fn index_follows_all() {
        for (i, k) in FeatureKind::ALL.into_iter().enumerate() {
            assert_eq!(k.index(), i);
        }
    }
}
