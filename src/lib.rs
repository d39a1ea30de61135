//! coinsieve finds **crypto OTC-trading offers** and **crypto hype/shilling** in Chinese and English
//! social posts, and labels posts (allow / review / block) with an explanation.
//!
//! The pipeline, one module per stage, in the order data flows:
//!
//! 1. [`normalize`]: fold disguises (width, case, traditional characters, look-alike letters,
//!    leetspeak, repeated letters, separators between characters) while keeping a map from every
//!    normalized character back to the original text;
//! 2. [`segment`]: jieba word segmentation, only for posts whose candidate hits need it;
//! 3. [`matcher`]: one Aho-Corasick automaton over all lexicon patterns, then boundary checks;
//! 4. [`detect`]: structured signals — contact handles, wallet addresses, rates, amounts;
//! 5. [`rules`]: named rules from the lexicon combine signals into category scores, context (news,
//!    warnings, questions) lowers them;
//! 6. [`verdict`]: the label, score, categories and evidence spans.
//!
//! ```
//! use coinsieve::{Filter, Label};
//!
//! let filter = Filter::shipped()?; // the lexicons compiled into the crate
//! assert_eq!(filter.check("收U 6.95 微信 laozhang88").label, Label::Block);
//! assert_eq!(filter.check("今天去买了个U盘").label, Label::Allow);
//! # Ok::<(), coinsieve::Error>(())
//! ```

pub mod account;
pub mod detect;
pub mod error;
pub mod eval;
pub mod filter;
pub mod lexicon;
pub mod lint;
pub mod matcher;
pub mod normalize;
pub mod rules;
pub mod scan;
pub mod segment;
pub mod verdict;

pub use error::{Error, LexiconError, Result};
pub use filter::Filter;
pub use verdict::{ContextPenalty, FiredRule, Hit, Label, MatchHow, Verdict};
