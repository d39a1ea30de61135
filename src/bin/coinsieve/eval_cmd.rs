//! `coinsieve eval`: measure the filter on labelled corpora, and diff two lexicon versions.

use crate::check_cmd::load_filter;
use anyhow::Result;
use coinsieve::Label;
use coinsieve::eval::{
    self, Bars, Corpus, Diff, Effect, Flip, LoadOptions, Metrics, Miss, MissKind, Report,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when a `--fail-under` bar is missed.
pub const EXIT_BAR_MISSED: u8 = 3;

/// Arguments of `coinsieve eval`.
#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Labelled JSONL corpora (`.jsonl` or `.jsonl.gz`): `text`, `expect`, optional `id`,
    /// `category`, `note`.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The lexicons under test (default: the shipped ones).
    #[arg(long, value_name = "DIR")]
    lexicons: Option<PathBuf>,
    /// Also run these lexicons and list every post whose label changes between them and
    /// `--lexicons`, with the hits that changed and the metric deltas.
    #[arg(long, value_name = "DIR")]
    baseline_lexicons: Option<PathBuf>,
    /// Treat rows without an `expect` label as expected allow (background dumps, demo.jsonl).
    #[arg(long)]
    assume_allow: bool,
    /// Print one JSON report object instead of tables.
    #[arg(long)]
    json: bool,
    /// Exit 3 when a bar is missed: e.g. `recall=0.97,precision=0.97,f1=0.95,allow_blocked_max=0.01`.
    #[arg(long, value_name = "BARS")]
    fail_under: Option<Bars>,
    /// List at most N misclassified posts of each kind.
    #[arg(long, default_value_t = 50, value_name = "N")]
    max_misses: usize,
    /// Also list rows expected allow that were sent to review.
    #[arg(long)]
    show_review: bool,
}

/// The `--json` report.
#[derive(Serialize)]
struct JsonReport<'a> {
    /// Format version of this object.
    version: u32,
    /// `shipped` or the `--lexicons` directory.
    lexicons: String,
    /// The report under `--lexicons`.
    report: &'a Report,
    /// Bars from `--fail-under` that were missed (empty when none given or all met).
    bars_missed: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_lexicons: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_report: Option<&'a Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deltas: Option<&'a eval::MetricDeltas>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flips: Option<&'a [Flip]>,
}

fn lexicon_name(dir: Option<&PathBuf>) -> String {
    dir.map_or_else(|| "shipped".to_string(), |d| d.display().to_string())
}

/// Run `coinsieve eval`.
pub fn run_eval(args: EvalArgs) -> Result<ExitCode> {
    let filter = load_filter(args.lexicons.as_ref())?;
    let baseline = match &args.baseline_lexicons {
        Some(dir) => Some(load_filter(Some(dir))?),
        None => None,
    };
    let corpus = Corpus::load_with(
        &args.files,
        LoadOptions {
            assume_allow: args.assume_allow,
        },
    );
    let (mut report, diff) = match &baseline {
        Some(b) => {
            let mut d = eval::diff(b, &filter, &corpus);
            d.baseline.limit_misses(args.max_misses, args.show_review);
            let mut candidate = d.candidate.clone();
            candidate.limit_misses(args.max_misses, args.show_review);
            d.candidate = candidate.clone();
            (candidate, Some(d))
        }
        None => (eval::evaluate(&filter, &corpus), None),
    };
    if diff.is_none() {
        report.limit_misses(args.max_misses, args.show_review);
    }
    let bars_missed = args
        .fail_under
        .map(|b| b.check(&report.overall))
        .unwrap_or_default();
    let lexicons = lexicon_name(args.lexicons.as_ref());
    if args.json {
        let json = JsonReport {
            version: 1,
            lexicons,
            report: &report,
            bars_missed: &bars_missed,
            baseline_lexicons: args
                .baseline_lexicons
                .as_ref()
                .map(|d| lexicon_name(Some(d))),
            baseline_report: diff.as_ref().map(|d| &d.baseline),
            deltas: diff.as_ref().map(|d| &d.deltas),
            flips: diff.as_ref().map(|d| d.flips.as_slice()),
        };
        outln!("{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        let mut out = String::new();
        render_problems(&mut out, &report);
        let _ = writeln!(
            out,
            "coinsieve eval: {} rows from {} file(s), lexicons: {lexicons}",
            report.overall.rows,
            corpus.files.len()
        );
        render_tables(&mut out, &report);
        match &diff {
            Some(d) => render_diff(
                &mut out,
                d,
                &lexicon_name(args.baseline_lexicons.as_ref()),
                &lexicons,
            ),
            None => render_misses(&mut out, &report, args.max_misses, args.show_review),
        }
        for m in &bars_missed {
            let _ = writeln!(out, "FAIL: {m}");
        }
        out!("{out}")?;
    }
    let file_errors = corpus.file_errors().count();
    if file_errors > 0 {
        eprintln!("coinsieve: error: {file_errors} file(s) could not be evaluated (see above)");
        return Ok(ExitCode::from(1));
    }
    if !bars_missed.is_empty() {
        eprintln!("coinsieve: quality bar missed: {}", bars_missed.join(", "));
        return Ok(ExitCode::from(EXIT_BAR_MISSED));
    }
    Ok(ExitCode::SUCCESS)
}

fn render_problems(out: &mut String, report: &Report) {
    for p in &report.problems {
        let kind = if p.is_file_error() {
            "error"
        } else {
            "bad line"
        };
        let _ = writeln!(out, "{kind}: {p}");
    }
    let bad = report
        .problems
        .iter()
        .filter(|p| !p.is_file_error())
        .count();
    if bad > 0 {
        let _ = writeln!(out, "{bad} bad line(s) skipped\n");
    } else if !report.problems.is_empty() {
        out.push('\n');
    }
}

fn ratio(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{:.2}%", v * 100.0))
}

fn render_tables(out: &mut String, report: &Report) {
    let names = report
        .by_file
        .keys()
        .chain(report.by_category.keys())
        .map(|k| k.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .max(12);
    let _ = writeln!(
        out,
        "\n{:<names$} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9} {:>9}",
        "", "rows", "block", "allow", "review", "prec", "recall", "F1", "allow→blk", "allow→rev"
    );
    // Precision and F1 only mean something for a group holding both block and allow rows.
    let line = |out: &mut String, name: &str, m: &Metrics| {
        let c = &m.confusion;
        let both = c.block.total() > 0 && c.allow.total() > 0;
        let (precision, f1) = if both {
            (m.precision, m.f1)
        } else {
            (None, None)
        };
        let _ = writeln!(
            out,
            "{name:<names$} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9} {:>9}",
            m.rows,
            c.block.total(),
            c.allow.total(),
            c.review.total(),
            ratio(precision),
            ratio(m.recall),
            ratio(f1),
            percent(m.allow_blocked_rate),
            percent(m.allow_reviewed_rate),
        );
    };
    line(out, "overall", &report.overall);
    for (title, group) in [
        ("by category", &report.by_category),
        ("by file", &report.by_file),
        ("by language", &report.by_language),
    ] {
        let _ = writeln!(out, "{title}");
        for (k, m) in group {
            line(out, &format!("  {k}"), m);
        }
    }
    let c = &report.overall.confusion;
    let _ = writeln!(out, "\nconfusion (rows: expected, columns: got)");
    let _ = writeln!(
        out,
        "  {:<8} {:>7} {:>7} {:>7}",
        "", "allow", "review", "block"
    );
    for l in [Label::Allow, Label::Review, Label::Block] {
        let r = c.expected(l);
        let _ = writeln!(
            out,
            "  {:<8} {:>7} {:>7} {:>7}",
            l.as_str(),
            r.allow,
            r.review,
            r.block
        );
    }
    if c.review.total() > 0 {
        let _ = writeln!(
            out,
            "  ({} rows expected review are borderline: shown here, not scored)",
            c.review.total()
        );
    }
}

/// A post on one line, cut to `max` chars.
fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { '⏎' } else { c })
        .collect();
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

fn place(id: &Option<String>, file: &str, line: usize) -> String {
    match id {
        Some(id) => format!("{id} {file}:{line}"),
        None => format!("{file}:{line}"),
    }
}

fn render_miss(out: &mut String, m: &Miss) {
    let cat = m.category.as_deref().unwrap_or("-");
    let _ = writeln!(
        out,
        "  {}  [{cat}] expected {}, got {} (score {:.2})",
        place(&m.id, &m.file, m.line),
        m.expected,
        m.got,
        m.score
    );
    let _ = writeln!(out, "      {}", one_line(&m.text, 140));
    if m.hits.is_empty() {
        let _ = writeln!(out, "      hits: none");
    } else {
        let hits: Vec<String> = m.hits.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "      hits: {}", hits.join(", "));
    }
    if !m.rules.is_empty() {
        let _ = writeln!(out, "      rules: {}", m.rules.join(", "));
    }
    if !m.context.is_empty() {
        let _ = writeln!(out, "      context: {}", m.context.join(", "));
    }
}

fn render_misses(out: &mut String, report: &Report, max: usize, with_review: bool) {
    let mut kinds = vec![MissKind::MissedBlock, MissKind::FalseBlock];
    if with_review {
        kinds.push(MissKind::AllowReviewed);
    }
    for kind in kinds {
        let total = report.miss_count(kind);
        let shown: Vec<&Miss> = report.misses.iter().filter(|m| m.kind == kind).collect();
        let _ = writeln!(out, "\n{} ({total})", kind.describe());
        if total > shown.len() {
            let _ = writeln!(
                out,
                "  showing {} of {total} (--max-misses {max})",
                shown.len()
            );
        }
        for m in shown {
            render_miss(out, m);
        }
    }
}

fn delta(d: Option<f64>, as_percent: bool) -> String {
    match d {
        None => "-".to_string(),
        Some(d) if as_percent => format!("{:+.2}pp", d * 100.0),
        Some(d) => format!("{d:+.3}"),
    }
}

fn render_diff(out: &mut String, d: &Diff, baseline: &str, candidate: &str) {
    let (b, c) = (&d.baseline.overall, &d.candidate.overall);
    let _ = writeln!(
        out,
        "\nregression diff: baseline {baseline} → candidate {candidate}"
    );
    let _ = writeln!(
        out,
        "  {:<16} {:>9} {:>9} {:>9}",
        "", "baseline", "candidate", "delta"
    );
    // (name, baseline, candidate, delta, shown as a percentage)
    type Row<'a> = (&'a str, Option<f64>, Option<f64>, Option<f64>, bool);
    let rows: [Row; 5] = [
        (
            "precision",
            b.precision,
            c.precision,
            d.deltas.precision,
            false,
        ),
        ("recall", b.recall, c.recall, d.deltas.recall, false),
        ("F1", b.f1, c.f1, d.deltas.f1, false),
        (
            "allow blocked",
            b.allow_blocked_rate,
            c.allow_blocked_rate,
            d.deltas.allow_blocked_rate,
            true,
        ),
        (
            "allow reviewed",
            b.allow_reviewed_rate,
            c.allow_reviewed_rate,
            d.deltas.allow_reviewed_rate,
            true,
        ),
    ];
    for (name, x, y, dd, pc) in rows {
        let f = if pc { percent } else { ratio };
        let _ = writeln!(
            out,
            "  {name:<16} {:>9} {:>9} {:>9}",
            f(x),
            f(y),
            delta(dd, pc)
        );
    }
    let _ = writeln!(
        out,
        "  blocked correctly {:+}, wrongly {:+}; missed blocks {:+}",
        d.deltas.true_positives, d.deltas.false_positives, d.deltas.false_negatives
    );
    let mut by_dir: BTreeMap<String, usize> = BTreeMap::new();
    for f in &d.flips {
        *by_dir
            .entry(format!("{} (expected {})", f.direction(), f.expected))
            .or_default() += 1;
    }
    let _ = writeln!(
        out,
        "\n{} post(s) flip: {} worse, {} better, {} neutral",
        d.flips.len(),
        d.count(Effect::Worse),
        d.count(Effect::Better),
        d.count(Effect::Neutral)
    );
    for (dir, n) in &by_dir {
        let _ = writeln!(out, "  {n:>5}  {dir}");
    }
    for effect in [Effect::Worse, Effect::Better, Effect::Neutral] {
        let flips: Vec<&Flip> = d.flips.iter().filter(|f| f.effect == effect).collect();
        if flips.is_empty() {
            continue;
        }
        let title = match effect {
            Effect::Worse => "worse (further from the expected label)",
            Effect::Better => "better (closer to the expected label)",
            Effect::Neutral => "neutral",
        };
        let _ = writeln!(out, "\n{title}");
        for f in flips {
            let _ = writeln!(
                out,
                "  {}  expected {}: {} (score {:.2} → {:.2})",
                place(&f.id, &f.file, f.line),
                f.expected,
                f.direction(),
                f.score_before,
                f.score_after
            );
            let _ = writeln!(out, "      {}", one_line(&f.text, 140));
            for h in &f.hits_added {
                let _ = writeln!(out, "      + {h}");
            }
            for h in &f.hits_removed {
                let _ = writeln!(out, "      - {h}");
            }
            if f.rules_before != f.rules_after {
                let _ = writeln!(
                    out,
                    "      rules: [{}] → [{}]",
                    f.rules_before.join(", "),
                    f.rules_after.join(", ")
                );
            }
        }
    }
}
