//! `lint --against`: which entries hit benign background text too often.

use super::{Finding, Severity};
use crate::Filter;
use crate::eval::input;
use crate::lexicon::EntryKind;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// How often one entry hit the background posts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryRate {
    /// Where the entry is defined (`file:line:column`).
    pub defined_at: String,
    /// The pattern as written.
    pub pattern: String,
    /// Its signal (`allow` for exceptions).
    pub signal: String,
    /// Posts it hit (once per post), after boundary checks, exceptions and longest-match.
    pub posts: usize,
    /// Hits per 10,000 posts.
    pub per_10k: f64,
    /// True for context signals and exceptions: exempt from the rate limit, listed apart.
    pub exempt: bool,
    /// The first post it hit, cut to 80 characters.
    pub example: String,
}

/// Read background posts: JSONL lines with a `text` field, or plain text lines (`.gz` too).
/// Returns the texts and the lines that could not be read (as `file:line: why`).
pub fn read_texts(paths: &[impl AsRef<Path>]) -> (Vec<String>, Vec<String>) {
    let mut texts = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let reader = match input::open(path) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{}: cannot read: {e}", path.display()));
                continue;
            }
        };
        for (n, line) in input::lines(reader) {
            match line {
                Ok(l) if l.trim().is_empty() => {}
                Ok(l) => {
                    let json_text = l
                        .trim_start()
                        .starts_with('{')
                        .then(|| serde_json::from_str::<serde_json::Value>(&l).ok())
                        .flatten()
                        .and_then(|v| v.get("text").and_then(|t| t.as_str()).map(String::from));
                    texts.push(json_text.unwrap_or(l));
                }
                Err(why) => problems.push(format!("{}:{n}: {why}", path.display())),
            }
        }
    }
    (texts, problems)
}

/// Run `filter` over `texts` and rate every entry that hit them. Returns the rates of entries
/// above `max_per_10k` (most frequent first) and one finding per such entry: a warning for terms,
/// info for exempt entries (context signals and exceptions).
pub fn against(
    filter: &Filter,
    texts: &[String],
    max_per_10k: f64,
) -> (Vec<EntryRate>, Vec<Finding>) {
    let lexicon = filter.lexicon();
    let per_post: Vec<BTreeSet<String>> = texts
        .par_iter()
        .map(|t| {
            let x = filter.explain(t);
            x.candidates
                .into_iter()
                .filter(|c| c.decision == "accepted")
                .map(|c| c.defined_at)
                .collect()
        })
        .collect();
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, set) in per_post.iter().enumerate() {
        for at in set {
            counts.entry(at.as_str()).or_insert((0, i)).0 += 1;
        }
    }
    let context: BTreeSet<u16> = lexicon.rules().contexts.iter().map(|c| c.signal).collect();
    let total = texts.len().max(1) as f64;
    let mut rates = Vec::new();
    let mut findings = Vec::new();
    for e in lexicon.entries() {
        let at = e.origin.to_string();
        let Some(&(posts, first)) = counts.get(at.as_str()) else {
            continue;
        };
        let per_10k = posts as f64 * 10_000.0 / total;
        if per_10k <= max_per_10k {
            continue;
        }
        let exempt = e.kind != EntryKind::Term || context.contains(&e.signal);
        let signal = match e.kind {
            EntryKind::Term => lexicon.signals().name(e.signal).to_string(),
            _ => "allow".to_string(),
        };
        let example: String = texts[first]
            .chars()
            .take(80)
            .map(|c| if c == '\n' { ' ' } else { c })
            .collect();
        findings.push(Finding {
            severity: if exempt {
                Severity::Info
            } else {
                Severity::Warning
            },
            check: "background-rate",
            file: e.origin.file.clone(),
            line: e.origin.line,
            column: e.origin.column,
            message: format!(
                "{:?} [{signal}] hits {per_10k:.1} per 10k background posts ({posts} of {}), above {max_per_10k}{}; e.g. {example:?}",
                e.pattern,
                texts.len(),
                if exempt { " (exempt: context or exception)" } else { "" }
            ),
        });
        rates.push(EntryRate {
            defined_at: at,
            pattern: e.pattern.clone(),
            signal,
            posts,
            per_10k,
            exempt,
            example,
        });
    }
    rates.sort_by_key(|r| std::cmp::Reverse(r.posts));
    (rates, findings)
}
