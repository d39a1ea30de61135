//! Account labels: aggregate post verdicts per account and apply a [`Policy`].
//!
//! Account state is the only thing in a scan that grows with the dump: a few counters, the
//! categories seen and a handful of example ids per account (plus the times of flagged posts when
//! the policy has a time window).
//!
//! ```
//! use coinsieve::account::{AccountBook, AccountLabel, Policy, PostFacts};
//! use coinsieve::Label;
//!
//! let mut book = AccountBook::new(Policy::default());
//! for (id, label) in [("1", Label::Block), ("2", Label::Allow), ("3", Label::Block)] {
//!     let cats = if label == Label::Block { vec!["otc_offer".to_string()] } else { vec![] };
//!     book.record("laozhang", &PostFacts { id, time: None, label, categories: &cats });
//! }
//! let report = book.reports().next().unwrap();
//! assert_eq!(report.label, AccountLabel::Restrict); // 2 blocked posts
//! assert_eq!((report.posts, report.block), (3, 2));
//! ```

mod policy;
mod time;

pub use policy::{DEFAULT_POLICY_TOML, Policy, PolicyError};
pub use time::parse_time;

use crate::verdict::Label;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to do about an account. Ordered by severity: `Ban > Restrict > Watch > Ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountLabel {
    /// Nothing to act on.
    Ok,
    /// Flagged posts but nothing blocked: keep an eye on it.
    Watch,
    /// Some blocked posts: restrict the account (e.g. payments, reach).
    Restrict,
    /// Repeatedly blocked posts: ban the account.
    Ban,
}

impl AccountLabel {
    /// The lowercase name used in JSON (`ok`, `watch`, `restrict`, `ban`).
    pub fn as_str(self) -> &'static str {
        match self {
            AccountLabel::Ok => "ok",
            AccountLabel::Watch => "watch",
            AccountLabel::Restrict => "restrict",
            AccountLabel::Ban => "ban",
        }
    }

    /// All labels, least severe first.
    pub const ALL: [AccountLabel; 4] = [
        AccountLabel::Ok,
        AccountLabel::Watch,
        AccountLabel::Restrict,
        AccountLabel::Ban,
    ];
}

impl std::fmt::Display for AccountLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The facts about one scanned post that account aggregation needs.
#[derive(Debug, Clone, Copy)]
pub struct PostFacts<'a> {
    /// The post id.
    pub id: &'a str,
    /// The post time as written in the input, if any (see [`parse_time`]).
    pub time: Option<&'a str>,
    /// The post's label.
    pub label: Label,
    /// The post's categories.
    pub categories: &'a [String],
}

/// One line of the `--accounts` output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountReport {
    /// The account id as in the input.
    pub account: String,
    /// The label from the policy.
    pub label: AccountLabel,
    /// Posts scanned for this account.
    pub posts: u64,
    /// Posts labelled review.
    pub review: u64,
    /// Posts labelled block.
    pub block: u64,
    /// Categories of the account's flagged posts, sorted.
    pub categories: Vec<String>,
    /// Time of the earliest flagged post, as written in the input.
    pub first_flagged: Option<String>,
    /// Time of the latest flagged post, as written in the input.
    pub last_flagged: Option<String>,
    /// Ids of the first few flagged posts, in input order.
    pub examples: Vec<String>,
    /// With a policy window: most blocked posts within one window (what the label used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_block: Option<u64>,
    /// With a policy window: most flagged posts within one window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_flagged: Option<u64>,
}

#[derive(Debug, Default)]
struct AccountState {
    name: String,
    review: u64,
    block: u64,
    categories: BTreeSet<String>,
    first: Option<Stamp>,
    last: Option<Stamp>,
    examples: Vec<String>,
    // Only with a window: times of blocked / flagged posts, and how many had no readable time.
    block_times: Vec<i64>,
    flagged_times: Vec<i64>,
    undated_block: u64,
    undated_flagged: u64,
}

#[derive(Debug, Clone)]
struct Stamp {
    secs: Option<i64>,
    text: String,
}

/// Per-account aggregation of post verdicts, in order of each account's first post.
#[derive(Debug)]
pub struct AccountBook {
    policy: Policy,
    /// Account name → index in `accounts`, for [`AccountBook::record`] (a batch scan maps names
    /// to indices itself and leaves this empty). The hash is foldhash (hashbrown's default:
    /// randomly seeded per book, and cheaper than std's SipHash on short names).
    index: HashMap<String, usize, foldhash::fast::RandomState>,
    /// `accounts[..indexed]` are in `index`. A batch scan adds accounts by id without indexing
    /// them (it keeps its own map of names); [`AccountBook::record`] indexes the rest first.
    indexed: usize,
    /// Posts per account, apart from the rest of its state: most posts are allowed and only
    /// count here, and this array stays in cache where the states would not.
    posts: Vec<u64>,
    accounts: Vec<AccountState>,
}

impl AccountBook {
    /// An empty book that will label accounts with `policy`.
    pub fn new(policy: Policy) -> Self {
        AccountBook {
            policy,
            index: HashMap::default(),
            indexed: 0,
            posts: Vec::new(),
            accounts: Vec::new(),
        }
    }

    /// The policy in use.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Number of accounts seen.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// True when no post with an account has been recorded.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// Count one post toward `account`.
    pub fn record(&mut self, account: &str, post: &PostFacts<'_>) {
        for (i, st) in self.accounts.iter().enumerate().skip(self.indexed) {
            self.index.insert(st.name.clone(), i);
        }
        let idx = match self.index.get(account) {
            Some(&i) => i,
            None => {
                let i = self.add_unindexed(account);
                self.index.insert(account.to_string(), i);
                i
            }
        };
        self.indexed = self.accounts.len();
        self.record_at(idx, post);
    }

    /// Add an account the caller knows is new, without indexing its name, and return its index
    /// for [`AccountBook::record_at`].
    pub(crate) fn add_unindexed(&mut self, account: &str) -> usize {
        self.accounts.push(AccountState {
            name: account.to_string(),
            ..AccountState::default()
        });
        self.posts.push(0);
        self.accounts.len() - 1
    }

    /// Count one post toward the account at index `idx` (as returned by
    /// [`AccountBook::add_unindexed`]); an index out of range is ignored.
    pub(crate) fn record_at(&mut self, idx: usize, post: &PostFacts<'_>) {
        let (Some(n), Some(st)) = (self.posts.get_mut(idx), self.accounts.get_mut(idx)) else {
            return;
        };
        *n += 1;
        let windowed = self.policy.window_secs.is_some();
        let max_examples = self.policy.examples;
        match post.label {
            Label::Allow => return,
            Label::Review => st.review += 1,
            Label::Block => st.block += 1,
        }
        for c in post.categories {
            if !st.categories.contains(c) {
                st.categories.insert(c.clone());
            }
        }
        if st.examples.len() < max_examples {
            st.examples.push(post.id.to_string());
        }
        let secs = post.time.and_then(parse_time);
        if let Some(text) = post.time {
            let stamp = || Stamp {
                secs,
                text: text.to_string(),
            };
            if st.first.as_ref().is_none_or(|f| earlier(secs, f.secs)) {
                st.first = Some(stamp());
            }
            if st.last.as_ref().is_none_or(|l| !earlier(secs, l.secs)) {
                st.last = Some(stamp());
            }
        }
        if windowed {
            match secs {
                Some(t) => {
                    st.flagged_times.push(t);
                    if post.label == Label::Block {
                        st.block_times.push(t);
                    }
                }
                None => {
                    st.undated_flagged += 1;
                    if post.label == Label::Block {
                        st.undated_block += 1;
                    }
                }
            }
        }
    }

    /// The report of every account, in order of first appearance.
    pub fn reports(&self) -> impl Iterator<Item = AccountReport> + '_ {
        (self.accounts.iter().zip(&self.posts)).map(|(st, &posts)| self.report(st, posts))
    }

    /// How many accounts got each label.
    pub fn label_counts(&self) -> BTreeMap<AccountLabel, u64> {
        let mut counts: BTreeMap<AccountLabel, u64> =
            AccountLabel::ALL.iter().map(|&l| (l, 0)).collect();
        // the label alone: a whole report clones every account's strings
        for st in &self.accounts {
            *counts.entry(self.judge(st).0).or_default() += 1;
        }
        counts
    }

    /// The account's label, with its most blocked and flagged posts in any window when the
    /// policy has one.
    fn judge(&self, st: &AccountState) -> (AccountLabel, Option<u64>, Option<u64>) {
        match self.policy.window_secs {
            None => (
                self.policy.label(st.block, st.review + st.block),
                None,
                None,
            ),
            Some(w) => {
                let b = max_in_window(&st.block_times, w) + st.undated_block;
                let f = max_in_window(&st.flagged_times, w) + st.undated_flagged;
                (self.policy.label(b, f), Some(b), Some(f))
            }
        }
    }

    fn report(&self, st: &AccountState, posts: u64) -> AccountReport {
        let (label, window_block, window_flagged) = self.judge(st);
        AccountReport {
            account: st.name.clone(),
            label,
            posts,
            review: st.review,
            block: st.block,
            categories: st.categories.iter().cloned().collect(),
            first_flagged: st.first.as_ref().map(|s| s.text.clone()),
            last_flagged: st.last.as_ref().map(|s| s.text.clone()),
            examples: st.examples.clone(),
            window_block,
            window_flagged,
        }
    }
}

/// Is time `a` strictly earlier than `b`? A readable time beats an unreadable one; two unreadable
/// times keep input order (the new one is not earlier).
fn earlier(a: Option<i64>, b: Option<i64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The most timestamps within any half-open span `[t, t + window)`.
fn max_in_window(times: &[i64], window: i64) -> u64 {
    let mut t = times.to_vec();
    t.sort_unstable();
    let (mut best, mut lo) = (0usize, 0usize);
    for hi in 0..t.len() {
        while t[hi] - t[lo] >= window {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post<'a>(id: &'a str, time: &'a str, label: Label) -> PostFacts<'a> {
        PostFacts {
            id,
            time: Some(time),
            label,
            categories: &[],
        }
    }

    #[test]
    fn window_counts_only_close_posts() {
        let policy = Policy::from_toml_str("window = \"7d\"").unwrap();
        let mut book = AccountBook::new(policy);
        book.record("a", &post("1", "2018-01-01", Label::Block));
        book.record("a", &post("2", "2018-01-05", Label::Block));
        book.record("a", &post("3", "2018-03-01", Label::Block));
        let r = book.reports().next().unwrap();
        assert_eq!(r.window_block, Some(2));
        assert_eq!(r.label, AccountLabel::Restrict);
        assert_eq!(r.first_flagged.as_deref(), Some("2018-01-01"));
        assert_eq!(r.last_flagged.as_deref(), Some("2018-03-01"));

        let mut book = AccountBook::new(Policy::default());
        for (i, t) in ["2018-03-01", "2018-01-01", "2018-01-05"]
            .iter()
            .enumerate()
        {
            book.record("a", &post(&i.to_string(), t, Label::Block));
        }
        let r = book.reports().next().unwrap();
        assert_eq!(r.label, AccountLabel::Ban);
        assert_eq!(r.first_flagged.as_deref(), Some("2018-01-01"));
        assert_eq!(r.last_flagged.as_deref(), Some("2018-03-01"));
    }

    #[test]
    fn max_in_window_edges() {
        assert_eq!(max_in_window(&[], 10), 0);
        assert_eq!(max_in_window(&[5, 0, 10, 9], 10), 3);
        assert_eq!(max_in_window(&[0, 10, 20], 10), 1);
    }
}
