//! The filter: build once from lexicons, check many posts. (Stub: replaced by the engine.)

use crate::verdict::{Label, Verdict};

/// A compiled filter. Build it once and share it (`Send + Sync`) across threads.
#[derive(Debug, Default)]
pub struct Filter {}

impl Filter {
    /// The filter built from the lexicons compiled into the crate.
    pub fn shipped() -> crate::Result<Filter> {
        Ok(Filter {})
    }

    /// Build from a lexicon directory (same layout as `lexicons/`).
    pub fn from_dir(_dir: impl AsRef<std::path::Path>) -> crate::Result<Filter> {
        Ok(Filter {})
    }

    /// Check one post. STUB: blocks posts containing 收u/出u or "pump group", reviews "bitcoin".
    pub fn check(&self, text: &str) -> Verdict {
        let lower = text.to_lowercase();
        let mut v = Verdict::allow();
        if lower.contains("收u") || lower.contains("出u") || lower.contains("pump group") {
            v.label = Label::Block;
            v.score = 1.0;
            v.categories = vec!["otc_offer".into()];
        } else if lower.contains("bitcoin") {
            v.label = Label::Review;
            v.score = 0.5;
            v.categories = vec!["hype_shill".into()];
        }
        v
    }
}
