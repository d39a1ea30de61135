//! Metrics and the evaluation report.

use super::corpus::{Corpus, LoadProblem, Row};
use crate::normalize::chinese::is_cjk;
use crate::verdict::{Label, Verdict};
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts of the labels the filter gave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LabelCounts {
    /// Rows labelled allow.
    pub allow: usize,
    /// Rows labelled review.
    pub review: usize,
    /// Rows labelled block.
    pub block: usize,
}

impl LabelCounts {
    /// The count for `label`.
    pub fn get(&self, label: Label) -> usize {
        match label {
            Label::Allow => self.allow,
            Label::Review => self.review,
            Label::Block => self.block,
        }
    }

    fn add(&mut self, label: Label) {
        match label {
            Label::Allow => self.allow += 1,
            Label::Review => self.review += 1,
            Label::Block => self.block += 1,
        }
    }

    /// All rows counted.
    pub fn total(&self) -> usize {
        self.allow + self.review + self.block
    }
}

/// The confusion matrix: for each expected label, the labels the filter gave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// Rows expected allow.
    pub allow: LabelCounts,
    /// Rows expected review (never scored as errors).
    pub review: LabelCounts,
    /// Rows expected block.
    pub block: LabelCounts,
}

impl Confusion {
    /// The row of the matrix for rows expected `label`.
    pub fn expected(&self, label: Label) -> &LabelCounts {
        match label {
            Label::Allow => &self.allow,
            Label::Review => &self.review,
            Label::Block => &self.block,
        }
    }

    /// Count one row.
    pub fn add(&mut self, expected: Label, got: Label) {
        match expected {
            Label::Allow => self.allow.add(got),
            Label::Review => self.review.add(got),
            Label::Block => self.block.add(got),
        }
    }
}

/// Block-detection metrics for a group of rows. `block` is the positive class; rows expected
/// `review` are counted in `confusion` but scored neither way. A ratio is `None` when its
/// denominator is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// All rows in the group, review rows included.
    pub rows: usize,
    /// Expected × got.
    pub confusion: Confusion,
    /// Expected block, got block.
    pub true_positives: usize,
    /// Expected allow, got block.
    pub false_positives: usize,
    /// Expected block, got allow or review.
    pub false_negatives: usize,
    /// true positives / everything blocked among scored rows.
    pub precision: Option<f64>,
    /// true positives / rows expected block.
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall.
    pub f1: Option<f64>,
    /// Share of rows expected allow that were blocked.
    pub allow_blocked_rate: Option<f64>,
    /// Share of rows expected allow that were sent to review.
    pub allow_reviewed_rate: Option<f64>,
    /// Share of rows expected block that got review instead (caught, but not blocked).
    pub block_reviewed_rate: Option<f64>,
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl Metrics {
    /// Derive the metrics from a confusion matrix.
    pub fn from_confusion(confusion: Confusion) -> Metrics {
        let tp = confusion.block.block;
        let fp = confusion.allow.block;
        let fnn = confusion.block.allow + confusion.block.review;
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, confusion.block.total());
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        Metrics {
            rows: confusion.allow.total() + confusion.review.total() + confusion.block.total(),
            confusion,
            true_positives: tp,
            false_positives: fp,
            false_negatives: fnn,
            precision,
            recall,
            f1,
            allow_blocked_rate: ratio(fp, confusion.allow.total()),
            allow_reviewed_rate: ratio(confusion.allow.review, confusion.allow.total()),
            block_reviewed_rate: ratio(confusion.block.review, confusion.block.total()),
        }
    }
}

/// Why a row is listed as a miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissKind {
    /// Expected block, got allow or review.
    MissedBlock,
    /// Expected allow, got block.
    FalseBlock,
    /// Expected allow, got review (listed only on request).
    AllowReviewed,
}

impl MissKind {
    /// The kind's JSON name (`missed_block`, `false_block`, `allow_reviewed`).
    pub fn key(self) -> &'static str {
        match self {
            MissKind::MissedBlock => "missed_block",
            MissKind::FalseBlock => "false_block",
            MissKind::AllowReviewed => "allow_reviewed",
        }
    }

    /// A short heading for the kind.
    pub fn describe(self) -> &'static str {
        match self {
            MissKind::MissedBlock => "expected block, not blocked",
            MissKind::FalseBlock => "expected allow, blocked",
            MissKind::AllowReviewed => "expected allow, sent to review",
        }
    }
}

/// One piece of evidence, briefly: displays as `signal:entry "text"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct HitBrief {
    /// The signal.
    pub signal: String,
    /// The entry, detector or phrase name.
    pub entry: String,
    /// The original text of the span.
    pub text: String,
}

impl std::fmt::Display for HitBrief {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} {:?}", self.signal, self.entry, self.text)
    }
}

/// The hits of a verdict, briefly, in text order.
pub fn hit_briefs(v: &Verdict) -> Vec<HitBrief> {
    v.hits
        .iter()
        .map(|h| HitBrief {
            signal: h.signal.clone(),
            entry: h.entry.clone(),
            text: h.text.clone(),
        })
        .collect()
}

/// A misclassified post and why the filter decided as it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    /// What kind of miss.
    pub kind: MissKind,
    /// The row's id, if any.
    pub id: Option<String>,
    /// Its file.
    pub file: String,
    /// Its 1-based line.
    pub line: usize,
    /// The row's category, if any.
    pub category: Option<String>,
    /// The label expected.
    pub expected: Label,
    /// The label the filter gave.
    pub got: Label,
    /// The verdict's score.
    pub score: f64,
    /// The post (full; the terminal output truncates it).
    pub text: String,
    /// The row's note, if any.
    pub note: Option<String>,
    /// The evidence.
    pub hits: Vec<HitBrief>,
    /// Names of the rules that fired.
    pub rules: Vec<String>,
    /// Context signals that moved the score, as `signal -penalty` (or `disguise +bonus`).
    pub context: Vec<String>,
}

/// The result of [`evaluate`](super::evaluate): metrics overall and per group, the confusion
/// matrix, the misclassified posts and the loading problems. Serializes to the `--json` report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Every row evaluated, review rows included.
    pub overall: Metrics,
    /// Per row `category` (`(none)` when missing), sorted by name.
    pub by_category: BTreeMap<String, Metrics>,
    /// Per file, as given.
    pub by_file: BTreeMap<String, Metrics>,
    /// Per language: `zh` when the text has a CJK character, else `en`.
    pub by_language: BTreeMap<String, Metrics>,
    /// Misclassified posts: missed blocks, then false blocks, then (if asked) allow rows sent to
    /// review; file order within each kind.
    pub misses: Vec<Miss>,
    /// Misses left out of `misses` by [`Report::limit_misses`], per kind.
    pub misses_omitted: BTreeMap<String, usize>,
    /// Bad lines and file errors met while loading the corpus.
    pub problems: Vec<LoadProblem>,
}

/// The language bucket of a post: `zh` if it has any CJK character, else `en`.
pub fn language_of(text: &str) -> &'static str {
    if text.chars().any(is_cjk) { "zh" } else { "en" }
}

/// The kind of miss a row is, if any (allow → review counts only when `with_review`).
pub fn miss_kind(expected: Label, got: Label, with_review: bool) -> Option<MissKind> {
    match (expected, got) {
        (Label::Block, Label::Allow | Label::Review) => Some(MissKind::MissedBlock),
        (Label::Allow, Label::Block) => Some(MissKind::FalseBlock),
        (Label::Allow, Label::Review) if with_review => Some(MissKind::AllowReviewed),
        _ => None,
    }
}

impl Report {
    /// Build the report from the corpus and one verdict per row (same order).
    pub fn build(corpus: &Corpus, verdicts: &[Verdict]) -> Report {
        let mut overall = Confusion::default();
        let mut by_category: BTreeMap<String, Confusion> = BTreeMap::new();
        let mut by_file: BTreeMap<String, Confusion> = BTreeMap::new();
        let mut by_language: BTreeMap<String, Confusion> = BTreeMap::new();
        let mut misses = Vec::new();
        for (row, v) in corpus.rows.iter().zip(verdicts) {
            let (e, g) = (row.expect, v.label);
            overall.add(e, g);
            let cat = row.category.clone().unwrap_or_else(|| "(none)".to_string());
            by_category.entry(cat).or_default().add(e, g);
            by_file
                .entry(corpus.file_of(row).to_string())
                .or_default()
                .add(e, g);
            by_language
                .entry(language_of(&row.text).to_string())
                .or_default()
                .add(e, g);
            if let Some(kind) = miss_kind(e, g, true) {
                misses.push(miss(corpus, row, v, kind));
            }
        }
        misses.sort_by_key(|m| m.kind);
        let metrics = |m: BTreeMap<String, Confusion>| {
            m.into_iter()
                .map(|(k, c)| (k, Metrics::from_confusion(c)))
                .collect()
        };
        Report {
            overall: Metrics::from_confusion(overall),
            by_category: metrics(by_category),
            by_file: metrics(by_file),
            by_language: metrics(by_language),
            misses,
            misses_omitted: BTreeMap::new(),
            problems: corpus.problems.clone(),
        }
    }

    /// Keep at most `max` misses of each kind, and drop allow → review misses unless
    /// `with_review`. What is dropped is counted in [`Report::misses_omitted`].
    pub fn limit_misses(&mut self, max: usize, with_review: bool) {
        let mut kept: BTreeMap<MissKind, usize> = BTreeMap::new();
        let mut omitted = std::mem::take(&mut self.misses_omitted);
        self.misses.retain(|m| {
            if m.kind == MissKind::AllowReviewed && !with_review {
                return false;
            }
            let n = kept.entry(m.kind).or_default();
            *n += 1;
            if *n > max {
                *omitted.entry(m.kind.key().to_string()).or_default() += 1;
                return false;
            }
            true
        });
        self.misses_omitted = omitted;
    }

    /// Total misses of `kind` (listed and omitted).
    pub fn miss_count(&self, kind: MissKind) -> usize {
        self.misses.iter().filter(|m| m.kind == kind).count()
            + self.misses_omitted.get(kind.key()).copied().unwrap_or(0)
    }
}

fn miss(corpus: &Corpus, row: &Row, v: &Verdict, kind: MissKind) -> Miss {
    Miss {
        kind,
        id: row.id.clone(),
        file: corpus.file_of(row).to_string(),
        line: row.line,
        category: row.category.clone(),
        expected: row.expect,
        got: v.label,
        score: v.score,
        text: row.text.clone(),
        note: row.note.clone(),
        hits: hit_briefs(v),
        rules: v.rules.iter().map(|r| r.name.clone()).collect(),
        context: v
            .context
            .iter()
            .map(|c| format!("{} {}", c.signal, c.signed()))
            .collect(),
    }
}

/// Quality bars for `--fail-under`: `recall=0.95,precision=0.97,f1=0.9,allow_blocked_max=0.01`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bars {
    /// Minimum block recall.
    pub recall: Option<f64>,
    /// Minimum block precision.
    pub precision: Option<f64>,
    /// Minimum F1.
    pub f1: Option<f64>,
    /// Maximum share of allow rows blocked.
    pub allow_blocked_max: Option<f64>,
}

impl std::str::FromStr for Bars {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bars = Bars::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, value)) = part.split_once('=') else {
                return Err(format!("expected name=value, found {part:?}"));
            };
            let value: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| (0.0..=1.0).contains(v))
                .ok_or_else(|| format!("{name}: expected a number from 0 to 1, found {value:?}"))?;
            let slot = match name.trim() {
                "recall" => &mut bars.recall,
                "precision" => &mut bars.precision,
                "f1" => &mut bars.f1,
                "allow_blocked_max" => &mut bars.allow_blocked_max,
                other => {
                    return Err(format!(
                        "unknown bar {other:?} (known: recall, precision, f1, allow_blocked_max)"
                    ));
                }
            };
            *slot = Some(value);
        }
        Ok(bars)
    }
}

impl Bars {
    /// Every bar `m` misses, described (`recall 0.912 < 0.950`). A metric that is undefined (no
    /// rows to compute it from) misses its bar.
    pub fn check(&self, m: &Metrics) -> Vec<String> {
        let mut missed = Vec::new();
        let mut min = |name: &str, bar: Option<f64>, got: Option<f64>| match (bar, got) {
            (Some(b), Some(g)) if g < b => missed.push(format!("{name} {g:.4} < {b}")),
            (Some(b), None) => missed.push(format!("{name} undefined (no rows) < {b}")),
            _ => {}
        };
        min("recall", self.recall, m.recall);
        min("precision", self.precision, m.precision);
        min("f1", self.f1, m.f1);
        match (self.allow_blocked_max, m.allow_blocked_rate) {
            (Some(b), Some(g)) if g > b => missed.push(format!("allow_blocked {g:.4} > {b}")),
            (Some(b), None) => {
                missed.push(format!("allow_blocked undefined (no allow rows) > {b}"))
            }
            _ => {}
        }
        missed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_from_a_known_matrix() {
        let mut c = Confusion::default();
        for (e, g, n) in [
            (Label::Block, Label::Block, 8),
            (Label::Block, Label::Review, 1),
            (Label::Block, Label::Allow, 1),
            (Label::Allow, Label::Block, 2),
            (Label::Allow, Label::Review, 3),
            (Label::Allow, Label::Allow, 15),
            (Label::Review, Label::Block, 4),
        ] {
            for _ in 0..n {
                c.add(e, g);
            }
        }
        let m = Metrics::from_confusion(c);
        assert_eq!(
            (
                m.rows,
                m.true_positives,
                m.false_positives,
                m.false_negatives
            ),
            (34, 8, 2, 2)
        );
        assert_eq!(m.precision, Some(0.8));
        assert_eq!(m.recall, Some(0.8));
        assert!((m.f1.expect("defined") - 0.8).abs() < 1e-12);
        assert_eq!(m.allow_blocked_rate, Some(0.1));
        assert_eq!(m.allow_reviewed_rate, Some(0.15));
        assert_eq!(m.block_reviewed_rate, Some(0.1));
        let empty = Metrics::from_confusion(Confusion::default());
        assert_eq!(
            (empty.precision, empty.recall, empty.f1),
            (None, None, None)
        );
    }

    #[test]
    fn bars_parse_and_check() {
        let bars: Bars = "recall=0.9, allow_blocked_max=0.05"
            .parse()
            .expect("parses");
        assert_eq!(bars.recall, Some(0.9));
        assert!("recal=0.9".parse::<Bars>().is_err());
        assert!("recall=2".parse::<Bars>().is_err());
        let m = Metrics {
            recall: Some(0.85),
            allow_blocked_rate: Some(0.01),
            ..Metrics::default()
        };
        let missed = bars.check(&m);
        assert_eq!(missed, vec!["recall 0.8500 < 0.9".to_string()]);
    }
}
