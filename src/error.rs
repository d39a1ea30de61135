//! Typed errors. Every error says *where* (a file and line, or a lexicon file:line:column) and *what*.

use std::path::PathBuf;

/// One problem in a lexicon file, located to the character.
///
/// Displays as `file:line:column: message`, the format editors and terminals make clickable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct LexiconError {
    /// The lexicon file, as named when it was loaded (e.g. `lexicons/zh/otc.terms`).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, and where possible how to fix it.
    pub message: String,
}

/// Everything that can go wrong building a [`Filter`](crate::Filter) or loading lexicons.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more lexicon errors; all of them are reported, not just the first.
    #[error("{}", display_lexicon_errors(.0))]
    Lexicon(Vec<LexiconError>),
    /// A file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The combined lexicon is too large to build safely (entry count or pattern length caps).
    #[error("lexicon too large: {0}")]
    TooLarge(String),
    /// The pattern automaton could not be built.
    #[error("building the pattern automaton failed: {0}")]
    Automaton(String),
}

fn display_lexicon_errors(errors: &[LexiconError]) -> String {
    let mut out = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&e.to_string());
    }
    out
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
