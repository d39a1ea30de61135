//! The account policy: how many flagged posts earn an account which label.

use super::AccountLabel;
use serde::Deserialize;
use std::path::Path;

/// The built-in default policy, as a documented TOML file.
pub const DEFAULT_POLICY_TOML: &str = include_str!("default_policy.toml");

/// Thresholds that turn an account's post counts into an [`AccountLabel`].
///
/// Load one from TOML with [`Policy::from_toml_str`] or [`Policy::from_file`]; the default is
/// [`DEFAULT_POLICY_TOML`]: ban at ≥ 3 blocked posts, restrict at 1–2, watch at ≥ 2 review.
///
/// ```
/// use coinsieve::account::{AccountLabel, Policy};
///
/// let policy = Policy::from_toml_str("ban_at_blocked = 5\nwindow = \"30d\"")?;
/// assert_eq!(policy.label(4, 0), AccountLabel::Restrict);
/// assert_eq!(policy.window_secs, Some(30 * 86_400));
/// # Ok::<(), coinsieve::account::PolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Ban at this many blocked posts or more.
    pub ban_at_blocked: u64,
    /// Restrict at this many blocked posts or more (and fewer than `ban_at_blocked`).
    pub restrict_at_blocked: u64,
    /// Watch at this many flagged (review or block) posts, when not restricted or banned.
    pub watch_at_review: u64,
    /// How many example post ids an account report lists.
    pub examples: usize,
    /// When set, only posts within one window of this many seconds count toward a threshold.
    pub window_secs: Option<i64>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            ban_at_blocked: 3,
            restrict_at_blocked: 1,
            watch_at_review: 2,
            examples: 5,
            window_secs: None,
        }
    }
}

/// A policy file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The policy file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The TOML is malformed or has an unknown key or wrong type.
    #[error("{path}invalid policy: {message}")]
    Parse {
        /// The policy file followed by `: `, or empty for a string.
        path: String,
        /// What the TOML parser said.
        message: String,
    },
    /// The values contradict each other or are out of range.
    #[error("{path}invalid policy: {message}")]
    Invalid {
        /// The policy file followed by `: `, or empty for a string.
        path: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    ban_at_blocked: Option<u64>,
    restrict_at_blocked: Option<u64>,
    watch_at_review: Option<u64>,
    examples: Option<usize>,
    window: Option<String>,
}

impl Policy {
    /// Parse a policy from TOML; keys left out keep their default.
    pub fn from_toml_str(text: &str) -> Result<Policy, PolicyError> {
        Self::parse(text, String::new())
    }

    /// Read and parse a policy file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Policy, PolicyError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, format!("{}: ", path.display()))
    }

    fn parse(text: &str, path: String) -> Result<Policy, PolicyError> {
        let raw: RawPolicy = toml::from_str(text).map_err(|e| PolicyError::Parse {
            path: path.clone(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let d = Policy::default();
        let invalid = |message: String| PolicyError::Invalid {
            path: path.clone(),
            message,
        };
        let window_secs = match raw.window.as_deref() {
            None => None,
            Some(w) => Some(parse_window(w).ok_or_else(|| {
                invalid(format!(
                    "window = {w:?}: expected a positive length like \"30d\" (units s, m, h, d, w)"
                ))
            })?),
        };
        let policy = Policy {
            ban_at_blocked: raw.ban_at_blocked.unwrap_or(d.ban_at_blocked),
            restrict_at_blocked: raw.restrict_at_blocked.unwrap_or(d.restrict_at_blocked),
            watch_at_review: raw.watch_at_review.unwrap_or(d.watch_at_review),
            examples: raw.examples.unwrap_or(d.examples),
            window_secs,
        };
        if policy.restrict_at_blocked == 0 || policy.watch_at_review == 0 {
            return Err(invalid(
                "restrict_at_blocked and watch_at_review must be at least 1".into(),
            ));
        }
        if policy.ban_at_blocked < policy.restrict_at_blocked {
            return Err(invalid(format!(
                "ban_at_blocked ({}) must be at least restrict_at_blocked ({})",
                policy.ban_at_blocked, policy.restrict_at_blocked
            )));
        }
        Ok(policy)
    }

    /// The label for an account with `blocked` blocked posts and `flagged` review-or-block posts
    /// (counted within the window, when there is one).
    pub fn label(&self, blocked: u64, flagged: u64) -> AccountLabel {
        if blocked >= self.ban_at_blocked {
            AccountLabel::Ban
        } else if blocked >= self.restrict_at_blocked {
            AccountLabel::Restrict
        } else if flagged >= self.watch_at_review {
            AccountLabel::Watch
        } else {
            AccountLabel::Ok
        }
    }
}

/// `"30d"` → seconds. Units s, m, h, d, w; a bare number is seconds.
fn parse_window(w: &str) -> Option<i64> {
    let w = w.trim();
    let split = w.find(|c: char| !c.is_ascii_digit()).unwrap_or(w.len());
    let n: i64 = w[..split].parse().ok()?;
    let unit = match w[split..].trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    };
    (n > 0).then(|| n.checked_mul(unit)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_matches_default() {
        assert_eq!(
            Policy::from_toml_str(DEFAULT_POLICY_TOML).unwrap(),
            Policy::default()
        );
    }

    #[test]
    fn default_thresholds() {
        let p = Policy::default();
        assert_eq!(p.label(0, 0), AccountLabel::Ok);
        assert_eq!(p.label(0, 1), AccountLabel::Ok);
        assert_eq!(p.label(0, 2), AccountLabel::Watch);
        assert_eq!(p.label(1, 1), AccountLabel::Restrict);
        assert_eq!(p.label(2, 2), AccountLabel::Restrict);
        assert_eq!(p.label(3, 3), AccountLabel::Ban);
    }

    #[test]
    fn rejects_bad_policies() {
        for bad in [
            "ban_at_blocked = 0",
            "restrict_at_blocked = 0",
            "unknown = 1",
            "window = \"3x\"",
            "window = \"0d\"",
            "ban_at_blocked = \"three\"",
        ] {
            assert!(Policy::from_toml_str(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_window("2w"), Some(14 * 86_400));
        assert_eq!(parse_window("90"), Some(90));
    }
}
