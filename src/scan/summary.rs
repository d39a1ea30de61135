//! The scan summary: counts, throughput, labels, errors.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How often one rule fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCount {
    /// The rule name.
    pub rule: String,
    /// Posts it fired on.
    pub count: u64,
}

/// What a scan did. Printed on stderr by the CLI; `--summary-json` writes it as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanSummary {
    /// Inputs opened.
    pub files: u64,
    /// Input records seen: `posts + errors`.
    pub records: u64,
    /// Posts checked.
    pub posts: u64,
    /// Records written to the output (fewer than `posts` with `only_flagged`).
    pub written: u64,
    /// Records that could not be scanned.
    pub errors: u64,
    /// Decompressed input bytes scanned.
    pub bytes: u64,
    /// Raw bytes read from the inputs (compressed size for .gz/.zst).
    pub input_bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Decompressed megabytes (10^6 bytes) per second.
    pub mb_per_sec: f64,
    /// Posts per second.
    pub posts_per_sec: f64,
    /// Posts per label (`allow`, `review`, `block`; all present).
    pub labels: BTreeMap<String, u64>,
    /// Posts per category.
    pub categories: BTreeMap<String, u64>,
    /// Accounts per label (`ok`, `watch`, `restrict`, `ban`; all present).
    pub accounts: BTreeMap<String, u64>,
    /// The rules that fired most, most frequent first (at most 10).
    pub top_rules: Vec<RuleCount>,
    /// Errors per [`ErrorKind`](super::ErrorKind) name.
    pub error_kinds: BTreeMap<String, u64>,
    /// The scan was stopped by [`ScanControl::cancel`](super::ScanControl::cancel) (Ctrl-C).
    pub interrupted: bool,
    /// The scan stopped because there were more errors than `max_errors`.
    pub stopped_early: bool,
}

impl ScanSummary {
    /// True when every record was scanned and nothing stopped the scan early.
    pub fn is_clean(&self) -> bool {
        self.errors == 0 && !self.interrupted && !self.stopped_early
    }
}

fn counts(f: &mut fmt::Formatter<'_>, map: &BTreeMap<String, u64>, order: &[&str]) -> fmt::Result {
    let mut first = true;
    let mut item = |f: &mut fmt::Formatter<'_>, k: &str, n: u64| {
        let sep = if first { "" } else { ", " };
        first = false;
        write!(f, "{sep}{k} {n}")
    };
    for k in order {
        item(f, k, map.get(*k).copied().unwrap_or(0))?;
    }
    let mut rest: Vec<(&String, &u64)> = map
        .iter()
        .filter(|(k, _)| !order.contains(&k.as_str()))
        .collect();
    rest.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    for (k, n) in rest {
        item(f, k, *n)?;
    }
    if first {
        write!(f, "none")?;
    }
    Ok(())
}

/// The multi-line summary the CLI prints on stderr.
impl fmt::Display for ScanSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.interrupted {
            " (interrupted)"
        } else if self.stopped_early {
            " (stopped: too many errors)"
        } else {
            ""
        };
        let size = if self.bytes >= 100_000 {
            format!("{:.1} MB", self.bytes as f64 / 1e6)
        } else {
            format!("{:.1} kB", self.bytes as f64 / 1e3)
        };
        writeln!(
            f,
            "scanned {} posts in {} file(s){state}: {size} in {:.2} s, {:.1} MB/s, {:.0} posts/s",
            self.posts, self.files, self.seconds, self.mb_per_sec, self.posts_per_sec,
        )?;
        write!(f, "  labels:     ")?;
        counts(f, &self.labels, &["allow", "review", "block"])?;
        write!(f, "\n  categories: ")?;
        counts(f, &self.categories, &[])?;
        write!(f, "\n  accounts:   ")?;
        counts(f, &self.accounts, &["ok", "watch", "restrict", "ban"])?;
        write!(f, "\n  top rules:  ")?;
        if self.top_rules.is_empty() {
            write!(f, "none")?;
        }
        for (i, r) in self.top_rules.iter().take(5).enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{} {}", r.rule, r.count)?;
        }
        write!(f, "\n  errors:     {}", self.errors)?;
        if self.errors > 0 {
            write!(f, " (")?;
            counts(f, &self.error_kinds, &[])?;
            write!(f, ")")?;
        }
        if self.written != self.posts {
            write!(f, "\n  written:    {} records", self.written)?;
        }
        Ok(())
    }
}
