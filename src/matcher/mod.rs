//! Match: one Aho-Corasick automaton over the key view for every lexicon entry, then boundary checks.
//!
//! The automaton reports every occurrence, overlapping ones included; [`boundary`] then decides
//! which are real words (`pump` yes, `pumpkin` no). Entries whose keys coincide share one
//! automaton pattern, so duplicate spellings across files cost nothing at match time.

pub mod boundary;

use crate::error::Error;
use crate::lexicon::Entry;
use crate::normalize::Normalized;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;

/// A raw automaton hit: entry `entry` at key chars `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Index into the lexicon's entries.
    pub entry: u32,
    /// Start, in key chars.
    pub start: usize,
    /// End (exclusive), in key chars.
    pub end: usize,
}

/// The compiled automaton and the entries behind each of its patterns.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: AhoCorasick,
    entries_of_pattern: Vec<Vec<u32>>,
}

impl Matcher {
    /// Build the automaton for `entries` (their normalized keys).
    pub fn build(entries: &[Entry]) -> Result<Matcher, Error> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut patterns: Vec<&str> = Vec::new();
        let mut entries_of_pattern: Vec<Vec<u32>> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let p = *index.entry(e.key.key.as_str()).or_insert_with(|| {
                patterns.push(e.key.key.as_str());
                entries_of_pattern.push(Vec::new());
                patterns.len() - 1
            });
            entries_of_pattern[p].push(i as u32);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| Error::Automaton(e.to_string()))?;
        Ok(Matcher {
            automaton,
            entries_of_pattern,
        })
    }

    /// Append every occurrence of every entry in the key view of `norm` to `out`, up to `cap`.
    /// Returns false if the cap cut the list short.
    pub fn candidates(&self, norm: &Normalized, cap: usize, out: &mut Vec<Candidate>) -> bool {
        for m in self.automaton.find_overlapping_iter(norm.key_text()) {
            let start = norm.key_index_at_byte(m.start());
            let end = norm.key_index_at_byte(m.end() - 1) + 1;
            for &entry in &self.entries_of_pattern[m.pattern().as_usize()] {
                if out.len() >= cap {
                    return false;
                }
                out.push(Candidate { entry, start, end });
            }
        }
        true
    }

    /// Number of distinct automaton patterns.
    pub fn pattern_count(&self) -> usize {
        self.entries_of_pattern.len()
    }
}
