//! Regression diff: the same corpus under two lexicon versions, and exactly which posts flip.

use super::corpus::Corpus;
use super::report::{HitBrief, Metrics, Report, hit_briefs};
use crate::Filter;
use crate::verdict::{Label, Verdict};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;

/// Whether a flip moved a post toward or away from its expected label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The new label is further from the expected one (allow → block on a benign post).
    Worse,
    /// The new label is closer to the expected one.
    Better,
    /// As far from it as before (e.g. allow → block on a row expected review).
    Neutral,
}

/// One post whose label changed between the baseline and the candidate lexicons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flip {
    /// The row's id, if any.
    pub id: Option<String>,
    /// Its file.
    pub file: String,
    /// Its 1-based line.
    pub line: usize,
    /// The label expected.
    pub expected: Label,
    /// The label under the baseline lexicons.
    pub before: Label,
    /// The label under the candidate lexicons.
    pub after: Label,
    /// Toward or away from `expected`.
    pub effect: Effect,
    /// Baseline score.
    pub score_before: f64,
    /// Candidate score.
    pub score_after: f64,
    /// The post.
    pub text: String,
    /// Hits only the candidate found.
    pub hits_added: Vec<HitBrief>,
    /// Hits only the baseline found.
    pub hits_removed: Vec<HitBrief>,
    /// Rules fired under the baseline.
    pub rules_before: Vec<String>,
    /// Rules fired under the candidate.
    pub rules_after: Vec<String>,
}

impl Flip {
    /// `allow → block`.
    pub fn direction(&self) -> String {
        format!("{} → {}", self.before, self.after)
    }
}

/// Change of the headline metrics, candidate minus baseline (`None` when either is undefined).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MetricDeltas {
    /// Precision change.
    pub precision: Option<f64>,
    /// Recall change.
    pub recall: Option<f64>,
    /// F1 change.
    pub f1: Option<f64>,
    /// Change in the share of allow rows blocked.
    pub allow_blocked_rate: Option<f64>,
    /// Change in the share of allow rows sent to review.
    pub allow_reviewed_rate: Option<f64>,
    /// Change in true positives.
    pub true_positives: i64,
    /// Change in false positives.
    pub false_positives: i64,
    /// Change in false negatives.
    pub false_negatives: i64,
}

impl MetricDeltas {
    /// `after - before` for every metric.
    pub fn between(before: &Metrics, after: &Metrics) -> MetricDeltas {
        let d = |a: Option<f64>, b: Option<f64>| Some(b? - a?);
        MetricDeltas {
            precision: d(before.precision, after.precision),
            recall: d(before.recall, after.recall),
            f1: d(before.f1, after.f1),
            allow_blocked_rate: d(before.allow_blocked_rate, after.allow_blocked_rate),
            allow_reviewed_rate: d(before.allow_reviewed_rate, after.allow_reviewed_rate),
            true_positives: after.true_positives as i64 - before.true_positives as i64,
            false_positives: after.false_positives as i64 - before.false_positives as i64,
            false_negatives: after.false_negatives as i64 - before.false_negatives as i64,
        }
    }
}

/// The result of [`diff`]: both reports, the flips and the metric deltas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The report under the baseline lexicons.
    pub baseline: Report,
    /// The report under the candidate lexicons.
    pub candidate: Report,
    /// Overall metrics, candidate minus baseline.
    pub deltas: MetricDeltas,
    /// Posts whose label changed: worse ones first, then better, then neutral; file order within.
    pub flips: Vec<Flip>,
}

impl Diff {
    /// The number of flips with `effect`.
    pub fn count(&self, effect: Effect) -> usize {
        self.flips.iter().filter(|f| f.effect == effect).count()
    }
}

fn rank(l: Label) -> i32 {
    match l {
        Label::Allow => 0,
        Label::Review => 1,
        Label::Block => 2,
    }
}

/// Whether moving from `before` to `after` brings a post expected `expected` closer.
pub fn effect(expected: Label, before: Label, after: Label) -> Effect {
    let dist = |l: Label| (rank(l) - rank(expected)).abs();
    match dist(after).cmp(&dist(before)) {
        std::cmp::Ordering::Less => Effect::Better,
        std::cmp::Ordering::Greater => Effect::Worse,
        std::cmp::Ordering::Equal => Effect::Neutral,
    }
}

/// Run `baseline` and `candidate` over `corpus` (in parallel) and list every post whose label
/// changed, with the hits that changed.
pub fn diff(baseline: &Filter, candidate: &Filter, corpus: &Corpus) -> Diff {
    let pairs: Vec<(Verdict, Verdict)> = corpus
        .rows
        .par_iter()
        .map(|r| (baseline.check(&r.text), candidate.check(&r.text)))
        .collect();
    let (before, after): (Vec<Verdict>, Vec<Verdict>) = pairs.into_iter().unzip();
    let mut flips = Vec::new();
    for ((row, b), a) in corpus.rows.iter().zip(&before).zip(&after) {
        if a.label == b.label {
            continue;
        }
        let hb: BTreeSet<HitBrief> = hit_briefs(b).into_iter().collect();
        let ha: BTreeSet<HitBrief> = hit_briefs(a).into_iter().collect();
        flips.push(Flip {
            id: row.id.clone(),
            file: corpus.file_of(row).to_string(),
            line: row.line,
            expected: row.expect,
            before: b.label,
            after: a.label,
            effect: effect(row.expect, b.label, a.label),
            score_before: b.score,
            score_after: a.score,
            text: row.text.clone(),
            hits_added: ha.difference(&hb).cloned().collect(),
            hits_removed: hb.difference(&ha).cloned().collect(),
            rules_before: b.rules.iter().map(|r| r.name.clone()).collect(),
            rules_after: a.rules.iter().map(|r| r.name.clone()).collect(),
        });
    }
    flips.sort_by_key(|f| f.effect);
    let baseline = Report::build(corpus, &before);
    let candidate = Report::build(corpus, &after);
    Diff {
        deltas: MetricDeltas::between(&baseline.overall, &candidate.overall),
        baseline,
        candidate,
        flips,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effects_are_relative_to_the_expected_label() {
        assert_eq!(
            effect(Label::Block, Label::Allow, Label::Block),
            Effect::Better
        );
        assert_eq!(
            effect(Label::Block, Label::Block, Label::Review),
            Effect::Worse
        );
        assert_eq!(
            effect(Label::Allow, Label::Allow, Label::Review),
            Effect::Worse
        );
        assert_eq!(
            effect(Label::Review, Label::Allow, Label::Block),
            Effect::Neutral
        );
    }
}
