//! The output record: one JSON object per scanned post.

use crate::verdict::Verdict;
use serde::{Deserialize, Serialize};

/// One line of `coinsieve scan` output: the post's id, account and time, then the [`Verdict`]
/// fields flattened (`label`, `score`, `categories`, `rules`, `context` if any, `hits`,
/// `hits_capped` if true).
///
/// `id`, `account` and `time` are always JSON strings (a numeric id `12` becomes `"12"`);
/// `account` is `null` when the record has none; `time` is left out when the record has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanRecord {
    /// The post id, or the input line number when the record has none.
    pub id: String,
    /// The account, if the record names one.
    pub account: Option<String>,
    /// The post time as written in the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// Borrowing twin of [`ScanRecord`], for serializing without copies.
#[derive(Serialize)]
pub(crate) struct RecordRef<'a> {
    pub id: &'a str,
    pub account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<&'a str>,
    #[serde(flatten)]
    pub verdict: &'a Verdict,
}
