//! Lint: find mistakes and dead weight in lexicon files before they reach users.
//!
//! Every finding names its place (`file:line:column`, file relative to the lexicon directory) and
//! has a severity: **error** (the lexicon is wrong: `coinsieve lint` exits 1), **warning** (almost
//! certainly unintended) or **info** (worth a look). The checks, by name:
//!
//! | check | severity | what |
//! |---|---|---|
//! | `syntax` | error | every loading error of `.terms` files and `rules.toml` |
//! | `duplicate` | error | the same pattern twice in one signal |
//! | `normalized-duplicate` | warning | two spellings of one signal that normalize to the same key (`USDT` / `ＵＳＤＴ`) |
//! | `two-roles` | info | the same key in two different term signals (a term in two roles) |
//! | `dead-term` | warning | a term that can never fire: an `[allow]` exception's key lies inside the term's key (or equals it), so every match of the term overlaps the exception and is dropped; or a `suppresses=` exception inside it drops its signal. Word edges are respected for Latin keys (`moon` does not kill `moonshot`); boundary options are otherwise ignored |
//! | `normalized-form` | warning | a pattern whose key is not simply its folded form without separators: leetspeak or look-alike letters were rewritten (`B1tcoin` → `bitcoin`, `web3` → `webe`), or collapsing repeated letters left a key of 3 characters or fewer (`moon` → `mon`, `qq` → `q`). Longer keys that only lost a doubled letter (`sell` → `sel`) are by design and not reported |
//! | `too-short` | warning | a Latin key of 1–2 characters, or a single CJK character without `boundary=jieba` |
//! | `useless-exception` | warning | an `[allow]` exception without `suppresses=` whose key neither contains, lies inside, nor overlaps at an edge (a suffix of one is a prefix of the other) any term key: it can never drop anything |
//! | `unused-signal` | warning | a `[section]` signal that no phrase, rule, context, `channel_signals` or `suppresses=` uses |
//! | `alias-conflict` | warning | two aliases of the same key that name different targets |
//! | `background-rate` | warning / info | with [`against`]: a term that hits more than the allowed rate of benign background posts (info for context signals and exceptions, which are exempt) |
//!
//! ```
//! use coinsieve::lint::{self, Severity};
//!
//! let findings = lint::lint_sources(&[
//!     ("a.terms".into(), "[asset]\nusdt\nusdt\n".into()),
//!     ("rules.toml".into(), "[[rule]]\nname = \"r\"\ncategory = \"c\"\nscore = 1\nall = [\"asset\"]\n".into()),
//! ]);
//! assert_eq!(findings[0].severity, Severity::Error);
//! assert_eq!(findings[0].to_string(), "a.terms:3:1: error: duplicate pattern \"usdt\" in [asset], first at a.terms:2:1 [duplicate]");
//! ```

mod background;

pub use background::{EntryRate, against, read_texts};

use crate::error::Error;
use crate::lexicon::terms::{self, RawEntry};
use crate::lexicon::{Boundary, Lexicon, RULES_FILE};
use crate::normalize::chinese::is_cjk;
use crate::normalize::normalize_pattern;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The lexicon is wrong.
    Error,
    /// Almost certainly unintended.
    Warning,
    /// Worth a look.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// The check's name (see the module docs).
    pub check: &'static str,
    /// File relative to the lexicon directory.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, naming every place involved.
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {} [{}]",
            self.file,
            self.line,
            self.column,
            self.severity.as_str(),
            self.message,
            self.check
        )
    }
}

/// Read the lexicon files below `dir` (`.terms` and `rules.toml`) as `(relative name, text)`.
pub fn read_sources(dir: impl AsRef<Path>) -> Result<Vec<(String, String)>, Error> {
    let dir = dir.as_ref();
    let mut files = Vec::new();
    crate::lexicon::collect_files(dir, dir, 0, &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|(rel, path)| {
            std::fs::read_to_string(&path)
                .map(|t| (rel, t))
                .map_err(|source| Error::Io { path, source })
        })
        .collect()
}

/// The shipped lexicon files.
pub fn shipped_sources() -> Vec<(String, String)> {
    crate::lexicon::SHIPPED
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

/// One parsed entry with its key.
struct Item<'a> {
    file: &'a str,
    e: RawEntry,
    key: String,
    gaps: u64,
    folded: String,
}

impl Item<'_> {
    fn at(&self) -> String {
        format!("{}:{}:{}", self.file, self.e.line, self.e.column)
    }

    fn is_term(&self) -> bool {
        self.e.section != "allow" && self.e.section != "segment"
    }

    fn finding(&self, severity: Severity, check: &'static str, message: String) -> Finding {
        Finding {
            severity,
            check,
            file: self.file.to_string(),
            line: self.e.line,
            column: self.e.column,
            message,
        }
    }
}

/// Run every static check on lexicon files given as `(name, text)`; findings sorted by place.
pub fn lint_sources(sources: &[(String, String)]) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Err(e) = Lexicon::from_sources(sources.iter().cloned()) {
        syntax_findings(e, &mut out);
    }
    let mut items = Vec::new();
    for (name, text) in sources {
        if !name.ends_with(".terms") {
            continue;
        }
        let (entries, _) = terms::parse(name, text);
        for e in entries {
            let k = normalize_pattern(&e.pattern);
            if k.key.is_empty() || k.key.contains(crate::normalize::BREAK_CHAR) {
                continue; // a syntax error already
            }
            items.push(Item {
                file: name,
                e,
                key: k.key,
                gaps: k.gaps,
                folded: k.folded,
            });
        }
    }
    items.retain(|i| i.e.section != "segment");
    duplicates(&items, &mut out);
    two_roles(&items, &mut out);
    dead_terms(&items, &mut out);
    normalized_form(&items, &mut out);
    too_short(&items, &mut out);
    useless_exceptions(&items, &mut out);
    alias_conflicts(&items, &mut out);
    unused_signals(sources, &items, &mut out);
    out.sort_by(|a, b| {
        (a.file.as_str(), a.line, a.column, a.severity, a.check).cmp(&(
            b.file.as_str(),
            b.line,
            b.column,
            b.severity,
            b.check,
        ))
    });
    out
}

/// Lint the lexicon directory `dir`.
pub fn lint_dir(dir: impl AsRef<Path>) -> Result<Vec<Finding>, Error> {
    Ok(lint_sources(&read_sources(dir)?))
}

fn syntax_findings(e: Error, out: &mut Vec<Finding>) {
    match e {
        Error::Lexicon(errors) => out.extend(errors.into_iter().map(|e| Finding {
            severity: Severity::Error,
            check: "syntax",
            file: e.file,
            line: e.line,
            column: e.column,
            message: e.message,
        })),
        other => out.push(Finding {
            severity: Severity::Error,
            check: "syntax",
            file: "(lexicon)".into(),
            line: 1,
            column: 1,
            message: other.to_string(),
        }),
    }
}

fn duplicates(items: &[Item], out: &mut Vec<Finding>) {
    let mut by_pattern: HashMap<(&str, &str), &Item> = HashMap::new();
    let mut by_key: HashMap<(&str, &str), &Item> = HashMap::new();
    for i in items {
        let s = i.e.section.as_str();
        if let Some(first) = by_pattern.get(&(s, i.e.pattern.as_str())) {
            out.push(i.finding(
                Severity::Error,
                "duplicate",
                format!(
                    "duplicate pattern {:?} in [{s}], first at {}",
                    i.e.pattern,
                    first.at()
                ),
            ));
            continue;
        }
        by_pattern.insert((s, i.e.pattern.as_str()), i);
        match by_key.get(&(s, i.key.as_str())) {
            Some(first) => out.push(i.finding(
                Severity::Warning,
                "normalized-duplicate",
                format!(
                    "{:?} and {:?} at {} are the same after normalization (key {:?}) in [{s}]",
                    i.e.pattern,
                    first.e.pattern,
                    first.at(),
                    i.key
                ),
            )),
            None => {
                by_key.insert((s, i.key.as_str()), i);
            }
        }
    }
}

fn two_roles(items: &[Item], out: &mut Vec<Finding>) {
    let mut first_in: HashMap<&str, Vec<&Item>> = HashMap::new();
    for i in items.iter().filter(|i| i.is_term()) {
        let seen = first_in.entry(i.key.as_str()).or_default();
        let others: Vec<String> = seen
            .iter()
            .filter(|o| o.e.section != i.e.section)
            .map(|o| format!("[{}] at {}", o.e.section, o.at()))
            .collect();
        if !others.is_empty() && !seen.iter().any(|o| o.e.section == i.e.section) {
            out.push(i.finding(
                Severity::Info,
                "two-roles",
                format!(
                    "{:?} (key {:?}) in [{}] is also in {}",
                    i.e.pattern,
                    i.key,
                    i.e.section,
                    others.join(", ")
                ),
            ));
        }
        seen.push(i);
    }
}

/// Where `inner` occurs inside `outer` with its Latin edges on word edges of `outer`.
fn contains_aligned(outer: &Item, inner: &Item) -> bool {
    let o: Vec<char> = outer.key.chars().collect();
    let n: Vec<char> = inner.key.chars().collect();
    if n.len() > o.len() {
        return false;
    }
    let latin = |c: char| c.is_ascii_alphanumeric();
    let gap_before = |i: usize| i < 64 && outer.gaps & (1 << i) != 0;
    (0..=o.len() - n.len()).any(|p| {
        o[p..p + n.len()] == n[..]
            && (p == 0 || !latin(n[0]) || !latin(o[p - 1]) || gap_before(p))
            && {
                let end = p + n.len();
                end == o.len() || !latin(n[n.len() - 1]) || !latin(o[end]) || gap_before(end)
            }
    })
}

fn dead_terms(items: &[Item], out: &mut Vec<Finding>) {
    let exceptions: Vec<&Item> = items.iter().filter(|i| i.e.section == "allow").collect();
    for t in items.iter().filter(|i| i.is_term()) {
        for x in &exceptions {
            let suppresses_it = x.e.suppresses.iter().any(|(s, _)| *s == t.e.section);
            if !(x.e.suppresses.is_empty() || suppresses_it) || !contains_aligned(t, x) {
                continue;
            }
            let how = if x.key == t.key {
                "has the same key".to_string()
            } else {
                format!("(key {:?}) lies inside it", x.key)
            };
            let what = if suppresses_it {
                format!("suppresses=[{}] exception", t.e.section)
            } else {
                "exception".to_string()
            };
            out.push(t.finding(
                Severity::Warning,
                "dead-term",
                format!(
                    "term {:?} in [{}] is always dropped: {what} {:?} at {} {how}",
                    t.e.pattern,
                    t.e.section,
                    x.e.pattern,
                    x.at()
                ),
            ));
            break;
        }
    }
}

fn collapse_repeats(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c.is_ascii_alphabetic() && out.ends_with(c)) {
            out.push(c);
        }
    }
    out
}

fn normalized_form(items: &[Item], out: &mut Vec<Finding>) {
    for i in items {
        let plain: String = i.folded.chars().filter(|c| c.is_alphanumeric()).collect();
        if plain == i.key {
            continue;
        }
        // Doubled letters collapse by design (`sell` → `sel`, in posts too); only a short result
        // is worth a warning, because it then matches unrelated words (`moon` → `mon`, `qq` → `q`).
        let repeats_only = collapse_repeats(&plain) == collapse_repeats(&i.key);
        if repeats_only && i.key.chars().count() > 3 {
            continue;
        }
        let why = if repeats_only {
            "repeated letters collapse, leaving a short key that matches other words"
        } else {
            "digits or look-alike letters are read as letters (leetspeak), so the entry also matches the rewritten form"
        };
        out.push(i.finding(
            Severity::Warning,
            "normalized-form",
            format!(
                "{:?} normalizes to key {:?}, not {plain:?}: {why}",
                i.e.pattern, i.key
            ),
        ));
    }
}

fn too_short(items: &[Item], out: &mut Vec<Finding>) {
    for i in items.iter().filter(|i| i.is_term()) {
        let n = i.key.chars().count();
        let latin = i.key.chars().all(|c| c.is_ascii_alphanumeric());
        if latin && n <= 2 {
            out.push(i.finding(
                Severity::Warning,
                "too-short",
                format!(
                    "{:?} in [{}]: Latin key {:?} of {n} character(s) matches too much",
                    i.e.pattern, i.e.section, i.key
                ),
            ));
        } else if n == 1 && i.key.chars().all(is_cjk) && i.e.boundary != Boundary::Jieba {
            out.push(i.finding(
                Severity::Warning,
                "too-short",
                format!(
                    "{:?} in [{}]: a single CJK character without boundary=jieba matches inside other words",
                    i.e.pattern, i.e.section
                ),
            ));
        }
    }
}

/// True if some text can hold `a` and `b` overlapping: one contains the other, or they share a
/// seam (a non-empty suffix of one is a prefix of the other).
fn keys_overlap(a: &str, b: &str) -> bool {
    if a.contains(b) || b.contains(a) {
        return true;
    }
    let seam = |x: &str, y: &str| {
        x.char_indices()
            .skip(1)
            .any(|(i, _)| y.starts_with(&x[i..]))
    };
    seam(a, b) || seam(b, a)
}

fn useless_exceptions(items: &[Item], out: &mut Vec<Finding>) {
    let term_keys: BTreeSet<&str> = items
        .iter()
        .filter(|i| i.is_term())
        .map(|i| i.key.as_str())
        .collect();
    for x in items
        .iter()
        .filter(|i| i.e.section == "allow" && i.e.suppresses.is_empty())
    {
        if !term_keys.iter().any(|t| keys_overlap(&x.key, t)) {
            out.push(x.finding(
                Severity::Warning,
                "useless-exception",
                format!(
                    "exception {:?} (key {:?}) overlaps no term and has no suppresses=: it never drops anything",
                    x.e.pattern, x.key
                ),
            ));
        }
    }
}

fn alias_conflicts(items: &[Item], out: &mut Vec<Finding>) {
    let mut first: HashMap<&str, &Item> = HashMap::new();
    for i in items {
        let Some(target) = &i.e.alias_of else {
            continue;
        };
        match first.get(i.key.as_str()) {
            Some(f) if f.e.alias_of.as_ref() != Some(target) => out.push(i.finding(
                Severity::Warning,
                "alias-conflict",
                format!(
                    "{:?} -> {target:?} conflicts with {:?} -> {:?} at {} (same key {:?})",
                    i.e.pattern,
                    f.e.pattern,
                    f.e.alias_of.as_deref().unwrap_or(""),
                    f.at(),
                    i.key
                ),
            )),
            Some(_) => {}
            None => {
                first.insert(i.key.as_str(), i);
            }
        }
    }
}

/// Signal names `rules.toml` uses anywhere (phrases, rules, contexts, channel_signals).
fn used_in_rules(text: &str) -> Option<BTreeSet<String>> {
    let value: toml::Table = toml::from_str(text).ok()?;
    let mut used = BTreeSet::new();
    let mut take = |v: Option<&toml::Value>| match v {
        Some(toml::Value::String(s)) => {
            used.insert(s.clone());
        }
        Some(toml::Value::Array(a)) => {
            used.extend(a.iter().filter_map(|x| x.as_str().map(String::from)));
        }
        _ => {}
    };
    let tables = |name: &str| {
        value
            .get(name)
            .and_then(toml::Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for p in tables("phrase") {
        take(p.get("first"));
        take(p.get("then"));
    }
    for r in tables("rule") {
        take(r.get("all"));
        take(r.get("any"));
        take(r.get("none"));
    }
    for c in tables("context") {
        take(c.get("signal"));
        take(c.get("unless"));
    }
    take(value.get("detect").and_then(|d| d.get("channel_signals")));
    Some(used)
}

fn unused_signals(sources: &[(String, String)], items: &[Item], out: &mut Vec<Finding>) {
    let Some(rules) = sources.iter().find(|(n, _)| n.ends_with(RULES_FILE)) else {
        return;
    };
    let Some(mut used) = used_in_rules(&rules.1) else {
        return;
    };
    for i in items {
        used.extend(i.e.suppresses.iter().map(|(s, _)| s.clone()));
    }
    // The first header of each section: (file, line, column).
    let mut headers: BTreeMap<String, (String, usize, usize)> = BTreeMap::new();
    for (name, text) in sources.iter().filter(|(n, _)| n.ends_with(".terms")) {
        for (ln, line) in text.lines().enumerate() {
            let t = line.trim_start();
            let Some(rest) = t.strip_prefix('[') else {
                continue;
            };
            let Some(close) = rest.find(']') else {
                continue;
            };
            let section = rest[..close].trim().to_string();
            let col = line.chars().count() - t.chars().count() + 2;
            headers
                .entry(section)
                .or_insert_with(|| (name.clone(), ln + 1, col));
        }
    }
    for (section, (file, line, column)) in headers {
        if section == "allow" || section == "segment" || used.contains(&section) {
            continue;
        }
        let n = items.iter().filter(|i| i.e.section == section).count();
        out.push(Finding {
            severity: Severity::Warning,
            check: "unused-signal",
            file,
            line,
            column,
            message: format!(
                "signal [{section}] ({n} entries) is used by no phrase, rule or context in {RULES_FILE}: its hits never change a score"
            ),
        });
    }
}

/// Count findings by severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    findings
        .iter()
        .fold((0, 0, 0), |(e, w, i), f| match f.severity {
            Severity::Error => (e + 1, w, i),
            Severity::Warning => (e, w + 1, i),
            Severity::Info => (e, w, i + 1),
        })
}
