//! Parser for `rules.toml`: label thresholds, phrases, rules and context penalties.
//!
//! ```toml
//! [labels]
//! review = 0.5
//! block = 1.0
//!
//! [scoring]
//! extra_rule_bonus = 0.15     # per further rule fired in the same category
//! max_context_penalty = 1.5
//! context_extra_hit = 0.5    # each further hit of a context signal adds half its penalty
//! max_hits = 256              # per post; the verdict says when it was capped
//! rule_window = 200           # rules combine evidence within this many characters
//! nested_signals = ["asset"]  # kept even inside a longer match of another signal
//!
//! [detect]
//! channel_signals = ["contact_channel"]   # handles are looked for right after these words
//! weights = { id_token = 0.7 }            # detector findings weigh 1 unless set here
//!
//! [[phrase]]                  # two hits, in order, close together, make a new signal
//! name = "trade verb + asset"
//! signal = "otc_phrase"
//! first = "trade_verb"
//! then = "asset"
//! max_gap = 4                 # folded characters between them
//! weight = 0.7                # optional: assembled phrases are weaker than spelled-out entries
//!
//! [[rule]]
//! name = "otc.phrase+contact"
//! category = "otc_offer"
//! score = 1.2
//! all = ["otc_phrase"]
//! any = ["contact_handle", "phone"]
//! any_of = [["crypto_term", "asset"]]   # further groups: one of each must be present
//! none = []
//! floor = 0.0                 # lowest strength when it fires: decisive combinations ignore weak weights
//! min_distinct = 0            # the `all` signals need this many different entries behind them
//! min_any = 0                 # at least this many different `any` signals (0 or 1: one)
//!
//! [[context]]
//! signal = "news"
//! penalty = 0.8
//! unless = ["contact_handle"] # a report does not carry a working contact handle
//! categories = []             # empty: all categories
//! ```
//!
//! Every signal named must be defined by a `.terms` section, a detector or a phrase; an unknown
//! name is reported at its file:line:column.

use super::{SignalId, Signals, terms::is_signal_name};
use crate::error::LexiconError;
use crate::rules::{Context, Phrase, Rule, RuleSet, SignalMask, Thresholds, bit};
use serde::Deserialize;
use toml::Spanned;

type Name = Spanned<String>;

/// The most `[[rule]]`, `[[phrase]]` and `[[context]]` tables each: every post is scored against
/// all of them, so an untrusted rules file must not make checking arbitrarily slow.
pub const MAX_RULES: usize = 10_000;
/// The most signal names in one list of a rule (`all`, `any`, each `any_of` group, ...).
pub const MAX_NAMES: usize = 1_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    labels: Option<Labels>,
    #[serde(default)]
    scoring: Scoring,
    #[serde(default)]
    detect: Detect,
    #[serde(default, rename = "phrase")]
    phrases: Vec<PhraseDef>,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleDef>,
    #[serde(default, rename = "context")]
    contexts: Vec<ContextDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    review: Spanned<f64>,
    block: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Scoring {
    extra_rule_bonus: f64,
    disguise_bonus: f64,
    max_context_penalty: f64,
    context_extra_hit: f64,
    max_hits: usize,
    rule_window: usize,
    nested_signals: Vec<Name>,
}

impl Default for Scoring {
    fn default() -> Self {
        let d = RuleSet::default();
        Scoring {
            extra_rule_bonus: d.extra_rule_bonus,
            disguise_bonus: d.disguise_bonus,
            max_context_penalty: d.max_context_penalty,
            context_extra_hit: d.context_extra_hit,
            max_hits: d.max_hits,
            rule_window: d.rule_window,
            nested_signals: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Detect {
    channel_signals: Vec<Name>,
    weights: std::collections::BTreeMap<String, Spanned<f32>>,
}

impl Default for Detect {
    fn default() -> Self {
        Detect {
            channel_signals: vec![Spanned::new(0..0, "contact_channel".to_string())],
            weights: Default::default(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseDef {
    name: String,
    signal: Name,
    first: Name,
    then: Name,
    max_gap: usize,
    #[serde(default)]
    either_order: bool,
    #[serde(default = "one")]
    weight: f32,
}

fn one() -> f32 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    name: String,
    category: String,
    score: f64,
    #[serde(default)]
    all: Vec<Name>,
    #[serde(default)]
    any: Vec<Name>,
    #[serde(default)]
    any_of: Vec<Vec<Name>>,
    #[serde(default)]
    none: Vec<Name>,
    #[serde(default)]
    floor: f64,
    #[serde(default)]
    min_distinct: usize,
    #[serde(default)]
    min_any: Option<Spanned<usize>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextDef {
    signal: Name,
    penalty: f64,
    #[serde(default)]
    unless: Vec<Name>,
    #[serde(default)]
    categories: Vec<String>,
}

/// Parse and compile `text` (the file `file`) against `signals`; phrases define new signals.
/// Problems go to `errors`; the returned set is only meaningful when none were added.
pub fn parse(
    file: &str,
    text: &str,
    signals: &mut Signals,
    errors: &mut Vec<LexiconError>,
) -> RuleSet {
    let located = Locator { file, text };
    let parsed: RulesFile = match toml::from_str(text) {
        Ok(p) => p,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            errors.push(located.error(at, e.message().trim().to_string()));
            return RuleSet::default();
        }
    };
    for (what, n) in [
        ("[[rule]]", parsed.rules.len()),
        ("[[phrase]]", parsed.phrases.len()),
        ("[[context]]", parsed.contexts.len()),
    ] {
        if n > MAX_RULES {
            errors.push(located.error(0, format!("{n} {what} tables (at most {MAX_RULES})")));
            return RuleSet::default();
        }
    }
    let too_many_names = parsed.rules.iter().any(|r| {
        r.any_of.len() > MAX_NAMES
            || [&r.all, &r.any, &r.none]
                .into_iter()
                .chain(&r.any_of)
                .any(|l| l.len() > MAX_NAMES)
    }) || parsed.contexts.iter().any(|x| x.unless.len() > MAX_NAMES);
    if too_many_names {
        errors.push(located.error(
            0,
            format!("a rule or context lists more than {MAX_NAMES} signal names"),
        ));
        return RuleSet::default();
    }
    let mut c = Compiler {
        located,
        signals,
        errors,
    };
    let mut set = RuleSet::default();
    if let Some(labels) = &parsed.labels {
        let review = *labels.review.get_ref();
        if !(0.0..labels.block).contains(&review) {
            c.fail(
                labels.review.span().start,
                format!(
                    "need 0 <= review < block, found review={review} block={}",
                    labels.block
                ),
            );
        }
        set.thresholds = Thresholds {
            review,
            block: labels.block,
        };
    }
    set.extra_rule_bonus = parsed.scoring.extra_rule_bonus;
    set.disguise_bonus = parsed.scoring.disguise_bonus.clamp(0.0, 1.0);
    set.max_context_penalty = parsed.scoring.max_context_penalty;
    set.context_extra_hit = parsed.scoring.context_extra_hit;
    set.rule_window = parsed.scoring.rule_window.max(1);
    set.max_hits = parsed.scoring.max_hits.clamp(1, 100_000);
    set.channel_signals = c.default_tolerant_mask(&parsed.detect.channel_signals);
    set.nested_signals = c.mask(&parsed.scoring.nested_signals);
    for (name, w) in &parsed.detect.weights {
        let at = w.span().start;
        match c.signals.id(name) {
            Some(id) if (0.0..=10.0).contains(w.get_ref()) => {
                set.detector_weights.push((id, *w.get_ref()))
            }
            Some(_) => c.fail(at, format!("weight for {name:?} must be from 0 to 10")),
            None => c.fail(at, format!("unknown detector signal {name:?}")),
        }
    }
    for p in &parsed.phrases {
        set.phrases.push(c.phrase(p));
    }
    for r in &parsed.rules {
        let min_any = r.min_any.as_ref().map_or(0, |m| *m.get_ref());
        if let Some(m) = r.min_any.as_ref().filter(|_| min_any > r.any.len().max(1)) {
            let message = format!(
                "min_any = {min_any} but `any` lists {} signal(s)",
                r.any.len()
            );
            c.fail(m.span().start, message);
        }
        set.rules.push(Rule {
            name: r.name.clone(),
            category: r.category.clone(),
            score: r.score,
            all: c.ids(&r.all),
            any: c.ids(&r.any),
            any_of: r.any_of.iter().map(|g| c.ids(g)).collect(),
            none: c.mask(&r.none),
            floor: r.floor,
            min_distinct: r.min_distinct,
            min_any,
        });
    }
    for x in &parsed.contexts {
        set.contexts.push(Context {
            signal: c.id(&x.signal),
            penalty: x.penalty,
            unless: c.mask(&x.unless),
            categories: x.categories.clone(),
        });
    }
    set
}

struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn error(&self, byte: usize, message: String) -> LexiconError {
        let before = self.text.get(..byte.min(self.text.len())).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LexiconError {
            file: self.file.to_string(),
            line,
            column,
            message,
        }
    }
}

struct Compiler<'a, 'b> {
    located: Locator<'a>,
    signals: &'b mut Signals,
    errors: &'b mut Vec<LexiconError>,
}

impl Compiler<'_, '_> {
    fn fail(&mut self, byte: usize, message: String) {
        self.errors.push(self.located.error(byte, message));
    }

    /// A string span includes its quotes; point at the name itself.
    fn at(name: &Name) -> usize {
        name.span().start + usize::from(name.span().len() > name.get_ref().len())
    }

    fn id(&mut self, name: &Name) -> SignalId {
        match self.signals.id(name.get_ref()) {
            Some(id) => id,
            None => {
                let hint = "define it as a [section] in a .terms file, a phrase signal, or use a detector signal";
                self.fail(
                    Self::at(name),
                    format!("unknown signal {:?}: {hint}", name.get_ref()),
                );
                0
            }
        }
    }

    fn ids(&mut self, names: &[Name]) -> Vec<SignalId> {
        names.iter().map(|n| self.id(n)).collect()
    }

    fn mask(&mut self, names: &[Name]) -> SignalMask {
        names.iter().fold(0, |m, n| m | bit(self.id(n)))
    }

    /// Like `mask`, but built-in defaults (empty span) that name no defined signal are skipped.
    fn default_tolerant_mask(&mut self, names: &[Name]) -> SignalMask {
        let defined: Vec<Name> = names
            .iter()
            .filter(|n| !n.span().is_empty() || self.signals.id(n.get_ref()).is_some())
            .cloned()
            .collect();
        self.mask(&defined)
    }

    fn phrase(&mut self, p: &PhraseDef) -> Phrase {
        let (first, then) = (self.id(&p.first), self.id(&p.then));
        let signal = if !is_signal_name(p.signal.get_ref()) {
            self.fail(
                Self::at(&p.signal),
                format!(
                    "{:?} is not a signal name (a-z, 0-9, _)",
                    p.signal.get_ref()
                ),
            );
            0
        } else {
            match self.signals.intern(p.signal.get_ref()) {
                Ok(id) => id,
                Err(m) => {
                    self.fail(Self::at(&p.signal), m);
                    0
                }
            }
        };
        Phrase {
            name: p.name.clone(),
            signal,
            first,
            then,
            max_gap: p.max_gap,
            either_order: p.either_order,
            weight: p.weight.clamp(0.0, 10.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals() -> Signals {
        let mut s = Signals::default();
        for n in ["trade_verb", "asset", "contact_channel", "news"] {
            s.intern(n).expect("room");
        }
        s
    }

    #[test]
    fn compiles_phrases_rules_and_context() {
        let text = r#"
[labels]
review = 0.4
block = 0.9
[[phrase]]
name = "verb+asset"
signal = "otc_phrase"
first = "trade_verb"
then = "asset"
max_gap = 3
[[rule]]
name = "r1"
category = "otc_offer"
score = 1.0
all = ["otc_phrase"]
any = ["contact_channel"]
[[context]]
signal = "news"
penalty = 0.8
"#;
        let mut s = signals();
        let mut errors = Vec::new();
        let set = parse("rules.toml", text, &mut s, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            set.thresholds,
            Thresholds {
                review: 0.4,
                block: 0.9
            }
        );
        let phrase = s.id("otc_phrase").expect("phrase signal defined");
        assert_eq!(set.rules[0].all, vec![phrase]);
        assert_eq!(
            set.channel_signals,
            bit(s.id("contact_channel").expect("defined"))
        );
        assert_eq!(set.contexts[0].penalty, 0.8);
    }

    #[test]
    fn unknown_signals_and_syntax_errors_are_located() {
        let mut errors = Vec::new();
        parse(
            "rules.toml",
            "[[rule]]\nname = \"x\"\ncategory = \"c\"\nscore = 1\nall = [\"trade_verb\", \"asett\"]\n",
            &mut signals(),
            &mut errors,
        );
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (5, 23));
        assert!(errors[0].message.contains("unknown signal \"asett\""));

        errors.clear();
        parse(
            "rules.toml",
            "[labels]\nreview = 0.5\nblock = \n",
            &mut signals(),
            &mut errors,
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3, "{errors:?}");

        errors.clear();
        parse(
            "rules.toml",
            "[labels]\nreview = 2.0\nblock = 1.0\n",
            &mut signals(),
            &mut errors,
        );
        assert_eq!((errors[0].line, errors[0].column), (2, 10));

        errors.clear();
        parse(
            "rules.toml",
            "[[rule]]\nname = \"x\"\ncategory = \"c\"\nscore = 1\nany = [\"asset\"]\nmin_any = 2\n",
            &mut signals(),
            &mut errors,
        );
        assert_eq!((errors[0].line, errors[0].column), (6, 11), "{errors:?}");
        assert!(errors[0].message.contains("min_any = 2"), "{errors:?}");
    }
}
