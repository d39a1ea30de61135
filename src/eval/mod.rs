//! Evaluation: run the filter over labelled corpora and measure how well it blocks.
//!
//! A corpus is JSONL (`.jsonl` or `.jsonl.gz`), one post per line:
//! `{"id": "…", "text": "…", "expect": "allow|review|block", "category": "…", "note": "…"}`.
//! Only `text` and `expect` are needed; unknown fields are ignored. See [`Corpus`].
//!
//! `block` is the positive class. Rows expected `block` or `allow` are scored: precision, recall,
//! F1, and the share of allow rows blocked or sent to review. Rows expected `review` are
//! borderline: they appear in the confusion matrix but are never counted as errors. See
//! [`Metrics`] and [`Report`]; [`diff`] compares two lexicon versions post by post.
//!
//! ```
//! use coinsieve::Filter;
//! use coinsieve::eval::{self, Corpus, LoadOptions};
//!
//! let mut corpus = Corpus::default();
//! corpus.add_jsonl_str(
//!     "mini.jsonl",
//!     r#"{"id": "o1", "text": "收U 6.95 微信 laozhang88", "expect": "block", "category": "otc_offer"}
//! {"id": "b1", "text": "今天去买了个U盘", "expect": "allow", "category": "trap"}"#,
//!     LoadOptions::default(),
//! );
//! let report = eval::evaluate(&Filter::shipped()?, &corpus);
//! assert_eq!(report.overall.recall, Some(1.0));
//! assert_eq!(report.overall.allow_blocked_rate, Some(0.0));
//! assert_eq!(report.by_category["otc_offer"].recall, Some(1.0));
//! assert!(report.misses.is_empty());
//! # Ok::<(), coinsieve::Error>(())
//! ```

pub(crate) mod corpus;
mod diff;
pub mod input;
mod report;

pub use corpus::{Corpus, LoadOptions, LoadProblem, Row};
pub use diff::{Diff, Effect, Flip, MetricDeltas, diff, effect};
pub use report::{
    Bars, Confusion, HitBrief, LabelCounts, Metrics, Miss, MissKind, Report, hit_briefs,
    language_of, miss_kind,
};

use crate::Filter;
use crate::verdict::Verdict;
use rayon::prelude::*;

/// Check every row of `corpus` with `filter` (in parallel) and build the [`Report`].
pub fn evaluate(filter: &Filter, corpus: &Corpus) -> Report {
    Report::build(corpus, &verdicts(filter, corpus))
}

/// One verdict per row of `corpus`, in row order, computed in parallel.
pub fn verdicts(filter: &Filter, corpus: &Corpus) -> Vec<Verdict> {
    corpus
        .rows
        .par_iter()
        .map(|r| filter.check(&r.text))
        .collect()
}
