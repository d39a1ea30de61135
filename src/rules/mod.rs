//! Rules and score: signals combine into category scores by named rules from `rules.toml`.
//!
//! Three kinds of definitions, all written by lexicon maintainers:
//!
//! * **phrases** derive a new signal from two hits in order and close together — a trade verb
//!   right before an asset (`收` … `U`) becomes an `otc_phrase`;
//! * **rules** fire when every signal in `all`, at least one in `any` (if given), at least one of
//!   each group in `any_of`, and none in `none` are present; each scores for one category. A rule's score is multiplied by the weights of the
//!   entries that satisfied it, so weak terms make weak evidence;
//! * **context** signals (news, warnings, questions) subtract a penalty from category scores,
//!   unless the post also carries a signal listed in `unless` (news does not come with a working
//!   contact handle).
//!
//! A category scores its best rule plus a small bonus for every further rule that fired, minus the
//! context penalty. The post's score is its best category; the thresholds turn it into a label.

use crate::lexicon::SignalId;
use crate::verdict::{ContextPenalty, FiredRule, Label};

/// A set of signals as a bit mask (at most 128 signals exist).
pub type SignalMask = u128;

/// The mask with only `id` set.
pub fn bit(id: SignalId) -> SignalMask {
    1u128 << (id as u32 & 127)
}

/// Score thresholds for the labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// At or above: review.
    pub review: f64,
    /// At or above: block.
    pub block: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            review: 0.5,
            block: 1.0,
        }
    }
}

/// Two hits in order, close together, make a new signal.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// Name shown in explanations.
    pub name: String,
    /// The signal the phrase emits.
    pub signal: SignalId,
    /// The signal that comes first.
    pub first: SignalId,
    /// The signal that follows.
    pub then: SignalId,
    /// The most folded characters allowed between them (spaces and punctuation count).
    pub max_gap: usize,
    /// Also accept `then` before `first` (`usdt 出` as well as `出 usdt`).
    pub either_order: bool,
    /// Multiplies the phrase's weight: a phrase assembled from separate words is weaker evidence
    /// than a lexicon entry spelling the same thing.
    pub weight: f32,
}

/// A named scoring rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Name shown in verdicts.
    pub name: String,
    /// Category it scores for.
    pub category: String,
    /// Score when it fires with full-weight evidence.
    pub score: f64,
    /// Every one of these signals must be present.
    pub all: Vec<SignalId>,
    /// At least one of these must be present (ignored when empty).
    pub any: Vec<SignalId>,
    /// Further groups: at least one signal of *each* group must be present. They are gates
    /// (e.g. "something crypto"): their weights do not lower the score.
    pub any_of: Vec<Vec<SignalId>>,
    /// None of these may be present.
    pub none: SignalMask,
    /// Lowest evidence strength when the rule fires: a decisive combination (an ambiguous term
    /// *with* a rate and a contact handle) is not weakened by the term's weight. 0 = no floor.
    pub floor: f64,
    /// The `all` signals must be backed by at least this many different entries (2: two distinct
    /// laundering terms, not one term repeated). 0 or 1 = no requirement.
    pub min_distinct: usize,
    /// At least this many different `any` signals must be present (3: a countdown, a get-ready
    /// line and a pump hint), and the rule is as strong as the weakest of the strongest that
    /// many. 0 or 1 = one, as usual.
    pub min_any: usize,
}

impl Rule {
    /// Every signal the rule looks at as evidence (`all`, `any`, `any_of`; not `none`).
    pub fn evidence(&self) -> impl Iterator<Item = SignalId> + '_ {
        self.all
            .iter()
            .chain(&self.any)
            .chain(self.any_of.iter().flatten())
            .copied()
    }
}

/// A context signal that lowers scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The context signal.
    pub signal: SignalId,
    /// Subtracted from each category it applies to.
    pub penalty: f64,
    /// No penalty when any of these is present.
    pub unless: SignalMask,
    /// Categories it applies to; empty means all.
    pub categories: Vec<String>,
}

/// Everything from `rules.toml`, compiled against the lexicon's signals.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// Label thresholds.
    pub thresholds: Thresholds,
    /// Added per extra fired rule in the same category.
    pub extra_rule_bonus: f64,
    /// Added once to a category when a rule it fired on rests on a term the author disguised
    /// (spaced out, leetspeak, look-alike letters): ordinary writers do not hide their words.
    pub disguise_bonus: f64,
    /// Upper bound of the summed context penalty.
    pub max_context_penalty: f64,
    /// Each further hit of the same context signal adds this fraction of its penalty: a post
    /// dense with warning words is more clearly a warning.
    pub context_extra_hit: f64,
    /// Most hits kept per post; the verdict says when the cap was reached.
    pub max_hits: usize,
    /// Rules combine evidence lying within this many folded characters of each other: spam puts
    /// its offer, rate and handle together; a long article mentions them paragraphs apart.
    pub rule_window: usize,
    /// Signals whose hits are contact-channel words, after which handles are looked for.
    pub channel_signals: SignalMask,
    /// Signals whose hits stay even inside a longer match of a different signal: the crypto
    /// anchors (`crypto` inside `lost crypto`, `gas fee` inside `gas fee required`), so a long
    /// pitch entry does not hide the word that gates its rules.
    pub nested_signals: SignalMask,
    /// Weights of detector signals (default 1).
    pub detector_weights: Vec<(SignalId, f32)>,
    /// Phrases, in file order.
    pub phrases: Vec<Phrase>,
    /// Rules, in file order.
    pub rules: Vec<Rule>,
    /// Context penalties, in file order.
    pub contexts: Vec<Context>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet {
            thresholds: Thresholds::default(),
            extra_rule_bonus: 0.15,
            disguise_bonus: 0.0,
            max_context_penalty: 1.5,
            context_extra_hit: 0.5,
            max_hits: 256,
            rule_window: 200,
            channel_signals: 0,
            nested_signals: 0,
            detector_weights: Vec::new(),
            phrases: Vec::new(),
            rules: Vec::new(),
            contexts: Vec::new(),
        }
    }
}

/// One piece of evidence as the rules see it: a signal, its weight and its place in the folded text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// The signal.
    pub signal: SignalId,
    /// Entry weight (1 for detectors).
    pub weight: f32,
    /// Start, in folded characters.
    pub start: usize,
    /// End (exclusive), in folded characters.
    pub end: usize,
    /// Which entry, detector or phrase produced it (for counting *distinct* evidence).
    pub source: u32,
}

/// The name under which the disguise bonus appears among a verdict's context entries.
pub const DISGUISE: &str = "disguise";

/// [`Evidence::source`] values at or above this are phrases (entries use their index).
pub const PHRASE_SOURCE: u32 = 1 << 30;

/// A phrase found in a post.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhraseMatch {
    /// Index into [`RuleSet::phrases`].
    pub phrase: usize,
    /// The combined evidence.
    pub evidence: Evidence,
}

/// What the rules concluded. Its names are `String`s, or `&str`s borrowed from the rule set
/// and the signal names inside a [`Filter`](crate::Filter).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome<S = String> {
    /// Final score: the best category after penalties.
    pub score: f64,
    /// Categories at or above the review threshold, best first, with their scores.
    pub categories: Vec<(S, f64)>,
    /// Fired rules, in file order.
    pub fired: Vec<FiredRule<S>>,
    /// Indices of the fired rules in [`RuleSet::rules`].
    pub fired_index: Vec<usize>,
    /// Context penalties that applied.
    pub context: Vec<ContextPenalty<S>>,
}

impl<S> Default for Outcome<S> {
    fn default() -> Self {
        Outcome {
            score: 0.0,
            categories: Vec::new(),
            fired: Vec::new(),
            fired_index: Vec::new(),
            context: Vec::new(),
        }
    }
}

impl Outcome<&str> {
    /// This outcome with owned names.
    pub fn into_owned(self) -> Outcome {
        Outcome {
            score: self.score,
            categories: (self.categories.into_iter())
                .map(|(c, s)| (c.to_string(), s))
                .collect(),
            fired: self.fired.into_iter().map(FiredRule::into_owned).collect(),
            fired_index: self.fired_index,
            context: self
                .context
                .into_iter()
                .map(ContextPenalty::into_owned)
                .collect(),
        }
    }
}

impl RuleSet {
    /// The weight of a detector signal's findings.
    pub fn detector_weight(&self, signal: SignalId) -> f32 {
        self.detector_weights
            .iter()
            .find(|(s, _)| *s == signal)
            .map_or(1.0, |&(_, w)| w)
    }

    /// The label a score earns.
    pub fn label_for(&self, score: f64) -> Label {
        if score >= self.thresholds.block {
            Label::Block
        } else if score >= self.thresholds.review {
            Label::Review
        } else {
            Label::Allow
        }
    }

    /// Find every phrase in `hits` (sorted by start). `blocked(a, b)` says whether a sentence break
    /// lies in folded chars `a..b`; phrases never cross one. A phrase also sees the phrases found
    /// by those before it in `rules.toml` ("send 0.1 ETH" → `send_amount`, then
    /// `send_amount` … amount → `send_get`). Its weight is the weaker part's times the phrase's
    /// own weight, at most 1: a weight above 1 says the pair is stronger than either word.
    pub fn phrases_in(
        &self,
        hits: &[Evidence],
        blocked: impl Fn(usize, usize) -> bool,
    ) -> Vec<PhraseMatch> {
        let mut found: Vec<PhraseMatch> = Vec::new();
        // the signals in the pool: a phrase missing either of its parts is skipped unsearched
        let mut present = hits.iter().fold(0, |m, h| m | bit(h.signal));
        for (pi, p) in self.phrases.iter().enumerate() {
            if present & bit(p.first) == 0 || present & bit(p.then) == 0 {
                continue;
            }
            let earlier = found.len();
            let pool = || {
                hits.iter()
                    .chain(found[..earlier].iter().map(|f| &f.evidence))
            };
            let mut new = Vec::new();
            for a in pool().filter(|h| h.signal == p.first) {
                let partner = pool().find(|b| {
                    b.signal == p.then
                        && (follows(a, b, p.max_gap)
                            || (p.either_order && follows(b, a, p.max_gap)))
                });
                if let Some(b) = partner {
                    let (s, e) = (a.start.min(b.start), a.end.max(b.end));
                    if !blocked(s, e) {
                        let weight = (a.weight.min(b.weight) * p.weight).min(1.0);
                        new.push(PhraseMatch {
                            phrase: pi,
                            evidence: Evidence {
                                signal: p.signal,
                                weight,
                                start: s,
                                end: e,
                                source: PHRASE_SOURCE + pi as u32,
                            },
                        });
                    }
                }
            }
            present = new.iter().fold(present, |m, f| m | bit(f.evidence.signal));
            found.extend(new);
        }
        found
    }

    /// Score the evidence. `names` gives signal names for the explanation.
    pub fn evaluate(&self, evidence: &[Evidence], names: &crate::lexicon::Signals) -> Outcome {
        self.evaluate_disguised(evidence, names, 0)
    }

    /// [`RuleSet::evaluate`], where `disguised` holds the signals whose evidence the author
    /// disguised: a category whose fired rules rest on one of them gains
    /// [`RuleSet::disguise_bonus`] (shown as a negative context penalty named `disguise`).
    pub fn evaluate_disguised(
        &self,
        evidence: &[Evidence],
        names: &crate::lexicon::Signals,
        disguised: SignalMask,
    ) -> Outcome {
        (self.evaluate_masked(&RuleMasks::of(self), evidence, names, disguised)).into_owned()
    }

    /// [`RuleSet::evaluate_disguised`] with the rules' signal masks computed once, for a caller
    /// that evaluates many posts against rules that do not change (a [`Filter`](crate::Filter)).
    /// `masks` must be [`RuleMasks::of`] this rule set.
    pub(crate) fn evaluate_masked<'a>(
        &'a self,
        masks: &RuleMasks,
        evidence: &[Evidence],
        names: &'a crate::lexicon::Signals,
        disguised: SignalMask,
    ) -> Outcome<&'a str> {
        debug_assert_eq!(masks.all.len(), self.rules.len());
        let mut present: SignalMask = 0;
        let mut count = [0u16; 128];
        for e in evidence {
            present |= bit(e.signal);
            count[e.signal as usize & 127] = count[e.signal as usize & 127].saturating_add(1);
        }
        // empty lists allocate nothing: most posts that reach the rules fire none
        let mut out: Outcome<&'a str> = Outcome::default();
        let mut per_category: Vec<(&str, f64, usize, bool)> = Vec::new();
        let windows = Windows::new(evidence, self.rule_window);
        for (ri, (r, &needed)) in self.rules.iter().zip(&masks.all).enumerate() {
            // most rules lack one of their `all` signals anywhere in the post
            if present & needed != needed {
                continue;
            }
            let Some(strength) = windows.best_strength(r) else {
                continue;
            };
            let score = round3(r.score * strength);
            out.fired.push(FiredRule {
                name: r.name.as_str(),
                category: r.category.as_str(),
                score,
            });
            out.fired_index.push(ri);
            let hidden = r.evidence().any(|s| disguised & bit(s) != 0);
            match per_category.iter_mut().find(|(c, ..)| *c == r.category) {
                Some((_, best, n, any_hidden)) => {
                    *best = best.max(score);
                    *n += 1;
                    *any_hidden |= hidden;
                }
                None => per_category.push((&r.category, score, 1, hidden)),
            }
        }
        let penalties = self.penalties(present, &count, names, &mut out.context);
        let bonus = self.disguise_bonus;
        if bonus > 0.0 && per_category.iter().any(|c| c.3) {
            out.context.push(ContextPenalty {
                signal: DISGUISE,
                penalty: -bonus,
            });
        }
        for (category, best, n, hidden) in per_category {
            let bonus = if hidden { bonus } else { 0.0 };
            let raw = best + self.extra_rule_bonus * (n - 1) as f64 + bonus;
            let penalty = penalties
                .iter()
                .filter(|(cats, _)| cats.is_empty() || cats.iter().any(|c| c == category))
                .map(|(_, p)| p)
                .sum::<f64>();
            let score = round3((raw - penalty.min(self.max_context_penalty)).max(0.0));
            out.score = out.score.max(score);
            if score >= self.thresholds.review {
                out.categories.push((category, score));
            }
        }
        out.categories.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }

    fn penalties<'a>(
        &'a self,
        present: SignalMask,
        count: &[u16; 128],
        names: &'a crate::lexicon::Signals,
        applied: &mut Vec<ContextPenalty<&'a str>>,
    ) -> Vec<(&'a [String], f64)> {
        let mut out = Vec::new();
        for c in &self.contexts {
            if present & bit(c.signal) == 0 || present & c.unless != 0 {
                continue;
            }
            let extra = count[c.signal as usize & 127].saturating_sub(1) as f64;
            let penalty = round3(c.penalty * (1.0 + self.context_extra_hit * extra));
            applied.push(ContextPenalty {
                signal: names.name(c.signal),
                penalty,
            });
            out.push((c.categories.as_slice(), penalty));
        }
        out
    }
}

/// Each rule's `all` signals as one mask, in rule order: the test that rules most rules out
/// for a post, without walking each rule's signal list.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RuleMasks {
    all: Vec<SignalMask>,
}

impl RuleMasks {
    /// The masks of `rules`' rules.
    pub(crate) fn of(rules: &RuleSet) -> RuleMasks {
        let all = (rules.rules.iter())
            .map(|r| r.all.iter().fold(0, |m, &s| m | bit(s)))
            .collect();
        RuleMasks { all }
    }
}

/// The evidence grouped into overlapping windows of at most `width` folded characters; a rule
/// fires if some window satisfies it. A post shorter than the width is one window, kept inline
/// (no allocation for the groups, and each group's evidence is a range of `sorted`).
struct Windows<'e> {
    /// The evidence by start: borrowed when it came sorted (terms and detections come sorted;
    /// only phrases appended after them need a sorted copy).
    sorted: std::borrow::Cow<'e, [Evidence]>,
    first: Option<Group>,
    more: Vec<Group>,
}

/// One window: the signals present, the best weight per signal, and its evidence in `sorted`.
struct Group {
    present: SignalMask,
    weight: [f32; 128],
    range: std::ops::Range<usize>,
}

impl<'e> Windows<'e> {
    fn new(evidence: &'e [Evidence], width: usize) -> Windows<'e> {
        // a stable sort of evidence already in order leaves it as it is
        let sorted = if evidence.is_sorted_by_key(|e| e.start) {
            std::borrow::Cow::Borrowed(evidence)
        } else {
            let mut copy = evidence.to_vec();
            copy.sort_by_key(|e| e.start);
            std::borrow::Cow::Owned(copy)
        };
        let (mut first, mut more) = (None, Vec::new());
        let mut last_end = None;
        for i in 0..sorted.len() {
            let limit = sorted[i].start.saturating_add(width);
            let end = sorted[i..].iter().take_while(|e| e.end <= limit).count() + i;
            // a window contained in the previous one adds nothing
            if last_end.is_some_and(|l| end <= l) || end == i {
                continue;
            }
            last_end = Some(end);
            let group = Self::group(&sorted, i..end);
            if first.is_none() {
                first = Some(group);
            } else {
                more.push(group);
            }
            if end == sorted.len() {
                break;
            }
        }
        Windows {
            sorted,
            first,
            more,
        }
    }

    fn group(sorted: &[Evidence], range: std::ops::Range<usize>) -> Group {
        let mut present: SignalMask = 0;
        let mut weight = [0f32; 128];
        for e in &sorted[range.clone()] {
            present |= bit(e.signal);
            let w = &mut weight[e.signal as usize & 127];
            *w = w.max(e.weight);
        }
        Group {
            present,
            weight,
            range,
        }
    }

    /// The strongest window in which `r` fires. The signal masks are checked first, in
    /// [`rule_strength`]; the distinct counts are the costly part.
    fn best_strength(&self, r: &Rule) -> Option<f64> {
        let counts_ok = |ev: &[Evidence]| {
            (r.min_distinct <= 1 || distinct_sources(r, ev) >= r.min_distinct)
                && (r.min_any <= 1 || distinct_any_signals(r, ev) >= r.min_any)
        };
        (self.first.iter().chain(&self.more))
            .filter_map(|g| {
                let strength = rule_strength(r, g.present, &g.weight)?;
                let evidence = self.sorted.get(g.range.clone()).unwrap_or_default();
                counts_ok(evidence).then_some(strength)
            })
            .reduce(f64::max)
    }
}

/// How many different entries back the rule's `all` signals, counting two entries that match
/// the same words (`take profit`, `take-profit`) once: neither span may contain the other.
fn distinct_sources(r: &Rule, evidence: &[Evidence]) -> usize {
    let of_all = evidence.iter().filter(|e| r.all.contains(&e.signal));
    count_apart(of_all, |a, b| (a.signal, a.source) == (b.signal, b.source))
}

/// How many different `any` signals are present on words of their own: one word that is two
/// signals (`giveaway` is `airdrop` and `giveaway`) counts once.
fn distinct_any_signals(r: &Rule, evidence: &[Evidence]) -> usize {
    let of_any = evidence.iter().filter(|e| r.any.contains(&e.signal));
    count_apart(of_any, |a, b| a.signal == b.signal)
}

/// Counts the pieces of evidence that are neither `same` as one counted before nor nested with
/// it (one span inside the other: the same words).
fn count_apart<'a>(
    evidence: impl Iterator<Item = &'a Evidence>,
    same: impl Fn(&Evidence, &Evidence) -> bool,
) -> usize {
    let nested = |a: &Evidence, b: &Evidence| {
        (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end)
    };
    let mut counted: Vec<&Evidence> = Vec::new();
    for e in evidence {
        if !counted.iter().any(|c| same(c, e) || nested(c, e)) {
            counted.push(e);
        }
    }
    counted.len()
}

fn follows(a: &Evidence, b: &Evidence, max_gap: usize) -> bool {
    b.start >= a.end && b.start - a.end <= max_gap
}

/// The evidence strength a rule fires with (its weakest required piece, raised to the rule's
/// floor), or `None` if it does not fire.
fn rule_strength(r: &Rule, present: SignalMask, weight: &[f32; 128]) -> Option<f64> {
    if present & r.none != 0 {
        return None;
    }
    let mut strength = 1.0f64;
    for &s in &r.all {
        if present & bit(s) == 0 {
            return None;
        }
        strength = strength.min(weight[s as usize & 127] as f64);
    }
    // `any_of` groups are gates ("something crypto"): present or not, their weights don't count
    let gate_closed = |g: &Vec<SignalId>| !g.is_empty() && g.iter().all(|&s| present & bit(s) == 0);
    if r.any_of.iter().any(gate_closed) {
        return None;
    }
    if r.min_any > 1 {
        let mut weights: Vec<f32> = (r.any.iter())
            .filter(|&&s| present & bit(s) != 0)
            .map(|&s| weight[s as usize & 127])
            .collect();
        weights.sort_unstable_by(|a, b| b.total_cmp(a));
        strength = strength.min(*weights.get(r.min_any - 1)? as f64);
    } else if !r.any.is_empty() {
        let best = r
            .any
            .iter()
            .filter(|&&s| present & bit(s) != 0)
            .map(|&s| weight[s as usize & 127])
            .fold(None, |m: Option<f32>, w| Some(m.map_or(w, |m| m.max(w))))?;
        strength = strength.min(best as f64);
    }
    Some(strength.max(r.floor).min(1.5))
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Signals;

    fn setup() -> (RuleSet, Signals) {
        let mut s = Signals::default();
        let [verb, asset, phrase, contact, news, handle] = [
            "trade_verb",
            "asset",
            "otc_phrase",
            "contact_channel",
            "news",
            "contact_handle",
        ]
        .map(|n| s.intern(n).expect("room"));
        let rules = RuleSet {
            phrases: vec![Phrase {
                name: "verb+asset".into(),
                signal: phrase,
                first: verb,
                then: asset,
                max_gap: 2,
                either_order: false,
                weight: 1.0,
            }],
            rules: vec![
                Rule {
                    name: "offer".into(),
                    category: "otc_offer".into(),
                    score: 1.0,
                    all: vec![phrase],
                    any: vec![contact, handle],
                    any_of: vec![],
                    none: 0,
                    floor: 0.0,
                    min_distinct: 0,
                    min_any: 0,
                },
                Rule {
                    name: "phrase".into(),
                    category: "otc_offer".into(),
                    score: 0.6,
                    all: vec![phrase],
                    any: vec![],
                    any_of: vec![],
                    none: 0,
                    floor: 0.0,
                    min_distinct: 0,
                    min_any: 0,
                },
            ],
            contexts: vec![Context {
                signal: news,
                penalty: 0.8,
                unless: bit(handle),
                categories: vec![],
            }],
            ..RuleSet::default()
        };
        (rules, s)
    }

    fn ev(signal: SignalId, start: usize, end: usize, weight: f32) -> Evidence {
        Evidence {
            signal,
            weight,
            start,
            end,
            source: start as u32,
        }
    }

    #[test]
    fn disguise_bonus_lifts_only_categories_resting_on_the_disguised_signal() {
        let (mut r, s) = setup();
        r.disguise_bonus = 0.4;
        r.rules[1].score = 0.6;
        let posts = [ev(2, 0, 2, 1.0)];
        let plain = r.evaluate(&posts, &s);
        assert_eq!(plain.score, 0.6);
        assert!(plain.context.is_empty());
        let hidden = r.evaluate_disguised(&posts, &s, bit(2));
        assert_eq!(hidden.score, 1.0);
        assert_eq!(hidden.context[0].signal, DISGUISE);
        assert_eq!(hidden.context[0].signed(), "+0.4");
        // a disguised signal no fired rule rests on (news) adds nothing
        let elsewhere = r.evaluate_disguised(&posts, &s, bit(4));
        assert_eq!(elsewhere.score, 0.6);
    }

    #[test]
    fn rules_combine_only_nearby_evidence() {
        let (mut r, s) = setup();
        r.rule_window = 50;
        let near = r.evaluate(&[ev(2, 0, 2, 1.0), ev(3, 20, 22, 1.0)], &s);
        assert!(near.fired.iter().any(|f| f.name == "offer"));
        let far = r.evaluate(&[ev(2, 0, 2, 1.0), ev(3, 400, 402, 1.0)], &s);
        assert!(
            far.fired.iter().all(|f| f.name != "offer"),
            "phrase and contact 400 chars apart"
        );
        assert!(far.fired.iter().any(|f| f.name == "phrase"));
    }

    #[test]
    fn min_any_needs_that_many_different_signals_on_their_own_words() {
        let (mut r, s) = setup();
        // rule 0 "offer": all = [otc_phrase (2)], any = [contact_channel (3), contact_handle (5)]
        r.rules[0].min_any = 2;
        let fires = |ev: &[Evidence]| r.evaluate(ev, &s).fired.iter().any(|f| f.name == "offer");
        assert!(
            !fires(&[ev(2, 0, 2, 1.0), ev(3, 4, 6, 1.0)]),
            "one any signal"
        );
        assert!(fires(&[
            ev(2, 0, 2, 1.0),
            ev(3, 4, 6, 1.0),
            ev(5, 8, 9, 1.0)
        ]));
        // one word that is both signals counts once
        assert!(!fires(&[
            ev(2, 0, 2, 1.0),
            ev(3, 4, 6, 1.0),
            ev(5, 4, 6, 1.0)
        ]));
        // the rule is as strong as the second best of its any signals
        let out = r.evaluate(&[ev(2, 0, 2, 1.0), ev(3, 4, 6, 1.0), ev(5, 8, 9, 0.5)], &s);
        let offer = out.fired.iter().find(|f| f.name == "offer").expect("fires");
        assert!((offer.score - 0.5).abs() < 1e-9, "{offer:?}");
    }

    #[test]
    fn min_distinct_counts_different_entries() {
        let (mut r, s) = setup();
        r.rules[1].min_distinct = 2;
        let same_twice = [
            ev(2, 0, 2, 1.0),
            Evidence {
                source: 0,
                ..ev(2, 5, 7, 1.0)
            },
        ];
        assert!(
            r.evaluate(&same_twice, &s)
                .fired
                .iter()
                .all(|f| f.name != "phrase")
        );
        let two_entries = [ev(2, 0, 2, 1.0), ev(2, 5, 7, 1.0)];
        assert!(
            r.evaluate(&two_entries, &s)
                .fired
                .iter()
                .any(|f| f.name == "phrase")
        );
        // two spellings of one term (`take profit`, `take-profit`) on the same words count once
        let one_span = [
            ev(2, 0, 2, 1.0),
            Evidence {
                source: 77,
                ..ev(2, 0, 2, 1.0)
            },
        ];
        assert!(
            r.evaluate(&one_span, &s)
                .fired
                .iter()
                .all(|f| f.name != "phrase")
        );
    }

    #[test]
    fn phrases_need_order_and_closeness() {
        let (r, _) = setup();
        let hits = [ev(0, 0, 1, 1.0), ev(1, 2, 3, 0.5)];
        let found = r.phrases_in(&hits, |_, _| false);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].evidence,
            Evidence {
                source: PHRASE_SOURCE,
                ..ev(2, 0, 3, 0.5)
            }
        );
        assert!(
            r.phrases_in(&[ev(0, 0, 1, 1.0), ev(1, 9, 10, 1.0)], |_, _| false)
                .is_empty()
        );
        assert!(
            r.phrases_in(&[ev(1, 0, 1, 1.0), ev(0, 1, 2, 1.0)], |_, _| false)
                .is_empty()
        );
        assert!(r.phrases_in(&hits, |_, _| true).is_empty());
    }

    #[test]
    fn later_phrases_see_earlier_ones_and_strong_pairs_cap_at_one() {
        let (mut r, _) = setup();
        // phrase 0 makes signal 2 from 0 then 1; phrase 1 makes signal 3 from 2 then 0
        let second = Phrase {
            name: "chained".into(),
            signal: 3,
            first: 2,
            then: 0,
            max_gap: 3,
            either_order: false,
            weight: 4.0,
        };
        r.phrases.push(second);
        let hits = [ev(0, 0, 1, 1.0), ev(1, 2, 3, 0.5), ev(0, 5, 6, 1.0)];
        let found = r.phrases_in(&hits, |_, _| false);
        let chained: Vec<&PhraseMatch> = found.iter().filter(|f| f.phrase == 1).collect();
        assert_eq!(chained.len(), 1, "{found:?}");
        assert_eq!((chained[0].evidence.start, chained[0].evidence.end), (0, 6));
        assert_eq!(chained[0].evidence.weight, 1.0, "0.5 × 4 is capped at 1");
    }

    #[test]
    fn rules_score_with_weights_bonus_and_context() {
        let (r, s) = setup();
        let offer = r.evaluate(&[ev(2, 0, 2, 1.0), ev(3, 5, 7, 1.0)], &s);
        assert_eq!(offer.fired.len(), 2);
        assert_eq!(offer.score, 1.15);
        assert_eq!(r.label_for(offer.score), Label::Block);

        let weak = r.evaluate(&[ev(2, 0, 2, 0.5)], &s);
        assert_eq!((weak.score, r.label_for(weak.score)), (0.3, Label::Allow));

        let news = r.evaluate(&[ev(2, 0, 2, 1.0), ev(3, 5, 7, 1.0), ev(4, 9, 11, 1.0)], &s);
        assert_eq!(news.score, 0.35);
        assert_eq!(news.context.len(), 1);

        let with_handle = r.evaluate(&[ev(2, 0, 2, 1.0), ev(5, 5, 7, 1.0), ev(4, 9, 11, 1.0)], &s);
        assert!(with_handle.context.is_empty());
        assert_eq!(with_handle.score, 1.15);
    }
}
