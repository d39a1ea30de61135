//! `coinsieve lint`: check lexicons for errors, duplicates, dead entries and noisy terms.

use anyhow::{Context, Result};
use coinsieve::Filter;
use coinsieve::lexicon::Lexicon;
use coinsieve::lint::{self, Finding, Severity};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `coinsieve lint`.
#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// The lexicon directory to check (default: the shipped lexicons).
    #[arg(long, value_name = "DIR")]
    lexicons: Option<PathBuf>,
    /// Benign background posts (JSONL with `text`, or plain text lines; `.gz` too): list entries
    /// that hit them more often than --max-rate.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    against: Vec<PathBuf>,
    /// Most hits per 10,000 background posts an entry may have.
    #[arg(long, default_value_t = 50.0, value_name = "PER_10K")]
    max_rate: f64,
    /// Leave out info findings.
    #[arg(long)]
    no_info: bool,
    /// Print one JSON object: {"findings": [...], "errors", "warnings", "infos", "background"}.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonLint<'a> {
    findings: &'a [Finding],
    errors: usize,
    warnings: usize,
    infos: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    background: Option<Background<'a>>,
}

#[derive(Serialize)]
struct Background<'a> {
    posts: usize,
    max_per_10k: f64,
    over: &'a [lint::EntryRate],
}

/// Run `coinsieve lint`.
pub fn run_lint(args: LintArgs) -> Result<ExitCode> {
    let (sources, prefix) = match &args.lexicons {
        Some(dir) => (
            lint::read_sources(dir).with_context(|| format!("reading {}", dir.display()))?,
            dir.display().to_string(),
        ),
        None => (lint::shipped_sources(), "lexicons".to_string()),
    };
    let mut findings = lint::lint_sources(&sources);
    let mut background = None;
    if !args.against.is_empty() {
        let has_errors = findings.iter().any(|f| f.severity == Severity::Error);
        if has_errors {
            eprintln!("coinsieve: --against skipped: the lexicons do not load");
        } else {
            let filter = Filter::new(Lexicon::from_sources(sources.iter().cloned())?)?;
            let (texts, problems) = lint::read_texts(&args.against);
            for p in &problems {
                eprintln!("bad line: {p}");
            }
            let (rates, found) = lint::against(&filter, &texts, args.max_rate);
            findings.extend(found);
            background = Some((texts.len(), rates));
        }
    }
    if args.no_info {
        findings.retain(|f| f.severity != Severity::Info);
    }
    for f in &mut findings {
        if !f.file.starts_with('(') {
            f.file = format!("{prefix}/{}", f.file);
        }
    }
    let (errors, warnings, infos) = lint::counts(&findings);
    if args.json {
        let json = JsonLint {
            findings: &findings,
            errors,
            warnings,
            infos,
            background: background.as_ref().map(|(posts, over)| Background {
                posts: *posts,
                max_per_10k: args.max_rate,
                over,
            }),
        };
        outln!("{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        for f in &findings {
            outln!("{f}")?;
        }
        if let Some((posts, _)) = &background {
            outln!(
                "(background: {posts} posts, limit {} per 10k)",
                args.max_rate
            )?;
        }
        outln!("{errors} error(s), {warnings} warning(s), {infos} info")?;
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
