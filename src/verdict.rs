//! Verdict: what [`Filter::check`](crate::Filter::check) says about one post.
//!
//! These types are the output contract of the library, the CLI (`check --json`) and the batch scanner.
//! Field names are stable and serialized in `snake_case`; offsets are always into the **original**
//! text the caller passed in, never into a normalized copy.
//!
//! Each type holding text is generic over its string type `S`, which defaults to `String`:
//! [`Filter::check`](crate::Filter::check) returns an owned `Verdict`, and
//! [`Filter::check_borrowed`](crate::Filter::check_borrowed) a `Verdict<&str>` whose strings
//! borrow from the lexicon and the post, for callers that read the verdict and move on without
//! keeping it (the batch scan writes it straight to its output).

use serde::{Deserialize, Serialize};

/// The moderation decision for one post.
///
/// Ordered by severity, so `Label::Block > Label::Review > Label::Allow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Nothing to act on.
    Allow,
    /// Suspicious: a person should look before anything is blocked.
    Review,
    /// An OTC-trading offer or crypto hype/shilling: block the post.
    Block,
}

impl Label {
    /// The lowercase name used in JSON and on the command line (`allow`, `review`, `block`).
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Allow => "allow",
            Label::Review => "review",
            Label::Block => "block",
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Label {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "allow" => Ok(Label::Allow),
            "review" => Ok(Label::Review),
            "block" => Ok(Label::Block),
            other => Err(format!(
                "unknown label {other:?} (expected allow, review or block)"
            )),
        }
    }
}

/// How a hit was found: lets a moderator see at a glance whether the author tried to hide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchHow {
    /// The original text is the lexicon pattern as written (ignoring ASCII case).
    Exact,
    /// Equal after ordinary normalization only: width, case, traditional → simplified characters.
    Normalized,
    /// Found only by seeing through a disguise: separators between characters, look-alike letters,
    /// leetspeak, repeated letters, accents or zero-width characters.
    Disguised,
    /// Found by a structured detector (contact handle, wallet address, rate, amount, …), not a pattern.
    Detected,
    /// Two hits combined by a named phrase in the rules file (e.g. a trade verb right before an asset).
    Phrase,
}

/// One piece of evidence in a post: a lexicon entry, a detector finding or a phrase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit<S = String> {
    /// The lexicon entry's canonical name (an alias reports the term it stands for), the detector
    /// name, or the phrase name.
    pub entry: S,
    /// The signal this hit feeds into the rules (e.g. `trade_verb`, `contact_handle`, `news`).
    pub signal: S,
    /// The category of a fired rule that used this hit, if any (`otc_offer`, `hype_shill`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<S>,
    /// Start, in Unicode scalar values (chars) from the start of the original text.
    pub start: usize,
    /// End (exclusive), in chars.
    pub end: usize,
    /// Start, in bytes of the original UTF-8 text.
    pub byte_start: usize,
    /// End (exclusive), in bytes.
    pub byte_end: usize,
    /// The original text of the span, disguises included.
    pub text: S,
    /// How the hit was found.
    pub how: MatchHow,
}

/// A named rule from the lexicon's rules file that fired on this post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiredRule<S = String> {
    /// The rule's name as written in the rules file.
    pub name: S,
    /// The category the rule scores for.
    pub category: S,
    /// What the rule contributed, after entry weights.
    pub score: f64,
}

/// A context signal (news, warning, question, …) that lowered the score, or `disguise`
/// (evidence the author hid by spacing, leetspeak or look-alike letters), which raised it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextPenalty<S = String> {
    /// The context signal, e.g. `news`, or `disguise`.
    pub signal: S,
    /// How much it subtracted from each category it applies to; negative for `disguise`, which
    /// adds to the categories whose rules rest on disguised terms.
    pub penalty: f64,
}

impl<S> ContextPenalty<S> {
    /// The effect on the score as people read it: `-0.9` for a penalty, `+0.4` for a bonus.
    pub fn signed(&self) -> String {
        if self.penalty < 0.0 {
            format!("+{}", -self.penalty)
        } else {
            format!("-{}", self.penalty)
        }
    }
}

/// The explained decision for one post.
///
/// `label` follows from `score` and the thresholds in the rules file; `categories` lists every
/// category that reached the review threshold; `hits` are the evidence, in text order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict<S = String> {
    /// allow, review or block.
    pub label: Label,
    /// The highest category score after context penalties (0 when nothing fired).
    pub score: f64,
    /// Categories at or above the review threshold, highest score first.
    pub categories: Vec<S>,
    /// Rules that fired, in rules-file order.
    pub rules: Vec<FiredRule<S>>,
    /// Context signals that lowered the score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextPenalty<S>>,
    /// Evidence spans in the original text, sorted by start.
    pub hits: Vec<Hit<S>>,
    /// True when the post had more hits than the per-post cap and some were left out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hits_capped: bool,
}

impl Verdict {
    /// A verdict with nothing found: label allow, score 0.
    pub fn allow() -> Self {
        Verdict::nothing_found()
    }
}

impl<S> Verdict<S> {
    /// [`Verdict::allow`] for any string type.
    pub(crate) fn nothing_found() -> Self {
        Verdict {
            label: Label::Allow,
            score: 0.0,
            categories: Vec::new(),
            rules: Vec::new(),
            context: Vec::new(),
            hits: Vec::new(),
            hits_capped: false,
        }
    }

    /// True for review and block: the post needs attention.
    pub fn is_flagged(&self) -> bool {
        self.label != Label::Allow
    }
}

impl<S: Into<String>> Verdict<S> {
    /// This verdict with owned strings: copies a [`Verdict<&str>`] out of the lexicon and the
    /// post it borrows from (a `Verdict<String>` is returned as it is).
    pub fn into_owned(self) -> Verdict {
        Verdict {
            label: self.label,
            score: self.score,
            categories: map_vec(self.categories, Into::into),
            rules: map_vec(self.rules, FiredRule::into_owned),
            context: map_vec(self.context, ContextPenalty::into_owned),
            hits: map_vec(self.hits, Hit::into_owned),
            hits_capped: self.hits_capped,
        }
    }
}

/// `items` mapped by `f`; an empty vector (every list of a clean post's verdict) costs nothing.
fn map_vec<T, U>(items: Vec<T>, f: impl FnMut(T) -> U) -> Vec<U> {
    if items.is_empty() {
        return Vec::new();
    }
    items.into_iter().map(f).collect()
}

impl<S: Into<String>> Hit<S> {
    /// This hit with owned strings.
    pub fn into_owned(self) -> Hit {
        Hit {
            entry: self.entry.into(),
            signal: self.signal.into(),
            category: self.category.map(Into::into),
            start: self.start,
            end: self.end,
            byte_start: self.byte_start,
            byte_end: self.byte_end,
            text: self.text.into(),
            how: self.how,
        }
    }
}

impl<S: Into<String>> FiredRule<S> {
    /// This fired rule with owned strings.
    pub fn into_owned(self) -> FiredRule {
        FiredRule {
            name: self.name.into(),
            category: self.category.into(),
            score: self.score,
        }
    }
}

impl<S: Into<String>> ContextPenalty<S> {
    /// This penalty with owned strings.
    pub fn into_owned(self) -> ContextPenalty {
        ContextPenalty {
            signal: self.signal.into(),
            penalty: self.penalty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_order_by_severity_and_round_trip() {
        assert!(Label::Block > Label::Review && Label::Review > Label::Allow);
        for label in [Label::Allow, Label::Review, Label::Block] {
            assert_eq!(label.as_str().parse::<Label>(), Ok(label));
            let json = serde_json::to_string(&label).expect("serialize");
            assert_eq!(json, format!("\"{}\"", label.as_str()));
        }
        assert!("maybe".parse::<Label>().is_err());
    }

    #[test]
    fn empty_verdict_serializes_without_optional_fields() {
        let json = serde_json::to_string(&Verdict::allow()).expect("serialize");
        assert_eq!(
            json,
            r#"{"label":"allow","score":0.0,"categories":[],"rules":[],"hits":[]}"#
        );
    }
}
