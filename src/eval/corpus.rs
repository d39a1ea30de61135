//! Labelled corpora: JSONL files of posts with the label the filter should give them.

use super::input;
use crate::verdict::Label;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// How to load corpus files.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Treat rows without an `expect` field as expected `allow` (background dumps, `demo.jsonl`).
    /// Without it, a file with no labelled row at all is a file error, and an unlabelled row in a
    /// labelled file is a bad line.
    pub assume_allow: bool,
}

/// One labelled post.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Index of its file in [`Corpus::files`].
    pub file: usize,
    /// 1-based line in that file.
    pub line: usize,
    /// The row's `id`, if it has one (numbers are turned into strings).
    pub id: Option<String>,
    /// The post.
    pub text: String,
    /// The label the filter should give it.
    pub expect: Label,
    /// True when `expect` was missing and assumed `allow` ([`LoadOptions::assume_allow`]).
    pub assumed: bool,
    /// The row's `category` (`otc_offer`, `hype_shill`, `news`, …), if any.
    pub category: Option<String>,
    /// The row's `note`, if any.
    pub note: Option<String>,
    /// The row's `account`, if any.
    pub account: Option<String>,
}

/// A problem found while loading: a bad line (`line` is set) or a whole file that could not be
/// used (`line` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadProblem {
    /// The file, as given.
    pub file: String,
    /// The 1-based line, for a bad line; `None` for a file error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl LoadProblem {
    /// True for a file error (the whole file was skipped), false for one bad line.
    pub fn is_file_error(&self) -> bool {
        self.line.is_none()
    }
}

impl std::fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Labelled posts from one or more files, with every problem met while loading them.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// The files, as given (a file that failed to load is listed, with no rows).
    pub files: Vec<String>,
    /// The rows, in file and line order.
    pub rows: Vec<Row>,
    /// Bad lines and file errors, in the order met.
    pub problems: Vec<LoadProblem>,
}

impl Corpus {
    /// Load JSONL files (`.jsonl.gz` too) with default [`LoadOptions`]. Never fails: unreadable
    /// files and bad lines are recorded in [`Corpus::problems`].
    pub fn load<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Corpus {
        Corpus::load_with(paths, LoadOptions::default())
    }

    /// Load JSONL files with `options`.
    pub fn load_with<P: AsRef<Path>>(
        paths: impl IntoIterator<Item = P>,
        options: LoadOptions,
    ) -> Corpus {
        let mut corpus = Corpus::default();
        for path in paths {
            let path: PathBuf = path.as_ref().to_path_buf();
            let name = path.display().to_string();
            match input::open(&path) {
                Ok(reader) => corpus.add_lines(&name, input::lines(reader), options),
                Err(e) => {
                    corpus.files.push(name.clone());
                    corpus.problems.push(LoadProblem {
                        file: name,
                        line: None,
                        message: format!("cannot read: {e}"),
                    });
                }
            }
        }
        corpus
    }

    /// Add the JSONL `text` as a file called `name` (for tests and embedded corpora).
    pub fn add_jsonl_str(&mut self, name: &str, text: &str, options: LoadOptions) {
        let lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, Ok(l.to_string())));
        self.add_lines(name, lines, options);
    }

    /// The number of bad lines (problems with a line number).
    pub fn bad_lines(&self) -> usize {
        self.problems.iter().filter(|p| p.line.is_some()).count()
    }

    /// The file errors: files skipped as a whole.
    pub fn file_errors(&self) -> impl Iterator<Item = &LoadProblem> {
        self.problems.iter().filter(|p| p.is_file_error())
    }

    /// The file name of `row`.
    pub fn file_of(&self, row: &Row) -> &str {
        self.files.get(row.file).map_or("", String::as_str)
    }

    fn add_lines(
        &mut self,
        name: &str,
        lines: impl Iterator<Item = input::Line>,
        options: LoadOptions,
    ) {
        let file = self.files.len();
        self.files.push(name.to_string());
        let mut rows = Vec::new();
        let mut unlabelled = Vec::new();
        let mut problems = Vec::new();
        let bad = |line: usize, message: String| LoadProblem {
            file: name.to_string(),
            line: Some(line),
            message,
        };
        for (line, text) in lines {
            let text = match text {
                Ok(t) => t,
                Err(message) => {
                    problems.push(bad(line, message));
                    continue;
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            match parse_row(&text, options) {
                Ok(mut row) => {
                    row.file = file;
                    row.line = line;
                    if row.assumed && !options.assume_allow {
                        unlabelled.push(line);
                    }
                    rows.push(row);
                }
                Err(message) => problems.push(bad(line, message)),
            }
        }
        if !options.assume_allow && !unlabelled.is_empty() {
            if unlabelled.len() == rows.len() {
                self.problems.extend(problems);
                self.problems.push(LoadProblem {
                    file: name.to_string(),
                    line: None,
                    message:
                        "no row has an \"expect\" label; skipped (use --assume-allow to treat \
                              every row as expected allow)"
                            .to_string(),
                });
                return;
            }
            problems.extend(
                unlabelled
                    .iter()
                    .map(|&l| bad(l, "no \"expect\" field; row skipped".to_string())),
            );
            problems.sort_by_key(|p| p.line);
            rows.retain(|r| !r.assumed);
        }
        self.problems.extend(problems);
        self.rows.extend(rows);
    }
}

/// Parse one JSONL line. A missing `expect` gives a row with `assumed` set (the caller decides).
fn parse_row(line: &str, _options: LoadOptions) -> Result<Row, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(obj) = value else {
        return Err("not a JSON object".to_string());
    };
    let text = match obj.get("text") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("\"text\" is not a string".to_string()),
        None => return Err("no \"text\" field".to_string()),
    };
    let (expect, assumed) = match obj.get("expect") {
        None | Some(Value::Null) => (Label::Allow, true),
        Some(Value::String(s)) => (s.parse::<Label>()?, false),
        Some(_) => return Err("\"expect\" is not a string".to_string()),
    };
    let string = |key: &str| match obj.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    Ok(Row {
        file: 0,
        line: 0,
        id: string("id"),
        text,
        expect,
        assumed,
        category: string("category"),
        note: string("note"),
        account: string("account"),
    })
}

/// The `text` of every row in the project's `corpora/*.jsonl` (labelled or not): the posts unit
/// tests run through two code paths to check they agree.
#[cfg(test)]
pub(crate) fn project_corpus_texts() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora");
    let mut texts = Vec::new();
    for e in std::fs::read_dir(dir).expect("corpora") {
        let path = e.expect("entry").path();
        if path.extension().is_none_or(|x| x != "jsonl") {
            continue;
        }
        for line in std::fs::read_to_string(&path).expect("read").lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                texts.push(t.to_string());
            }
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_bad_lines_and_unlabelled_files() {
        let mut c = Corpus::default();
        let text = "{\"id\":\"a\",\"text\":\"hi\",\"expect\":\"allow\",\"source\":\"x\"}\n\nnot json\n{\"text\":1,\"expect\":\"block\"}\n{\"text\":\"t\",\"expect\":\"maybe\"}\n{\"text\":\"u\"}\n";
        c.add_jsonl_str("f.jsonl", text, LoadOptions::default());
        assert_eq!(c.rows.len(), 1);
        assert_eq!(c.rows[0].id.as_deref(), Some("a"));
        let lines: Vec<Option<usize>> = c.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![Some(3), Some(4), Some(5), Some(6)]);
        assert!(c.problems[2].message.contains("unknown label"));

        c.add_jsonl_str("bg.jsonl", "{\"text\":\"x\"}\n", LoadOptions::default());
        assert_eq!(c.file_errors().count(), 1);
        assert_eq!(c.rows.len(), 1);

        let mut c = Corpus::default();
        c.add_jsonl_str(
            "bg.jsonl",
            "{\"text\":\"x\"}\n",
            LoadOptions { assume_allow: true },
        );
        assert_eq!((c.rows.len(), c.rows[0].expect), (1, Label::Allow));
        assert!(c.rows[0].assumed && c.problems.is_empty());
    }
}
