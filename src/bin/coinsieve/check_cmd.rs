//! `coinsieve check` and `coinsieve explain`: one post in, one explained verdict out.

use anyhow::{Context, Result};
use coinsieve::{Filter, Verdict};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `coinsieve check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The post to check. Without it, every line of standard input is checked as one post.
    text: Option<String>,
    /// Print one JSON object per post (the Verdict fields) instead of readable lines.
    #[arg(long)]
    json: bool,
    /// Use the lexicons in DIR instead of the shipped ones.
    #[arg(long, value_name = "DIR")]
    lexicons: Option<PathBuf>,
    /// Highlight matched spans: auto (when stdout is a terminal), always, never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    color: ColorChoice,
}

/// Arguments of `coinsieve explain`.
#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The post to explain.
    text: String,
    /// Print the explanation as JSON.
    #[arg(long)]
    json: bool,
    /// Use the lexicons in DIR instead of the shipped ones.
    #[arg(long, value_name = "DIR")]
    lexicons: Option<PathBuf>,
}

/// When to use terminal colors.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ColorChoice {
    /// When standard output is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Build the filter from `--lexicons DIR` or the shipped lexicons.
pub fn load_filter(lexicons: Option<&PathBuf>) -> Result<Filter> {
    match lexicons {
        Some(dir) => Filter::from_dir(dir)
            .with_context(|| format!("loading lexicons from {}", dir.display())),
        None => Filter::shipped().context("loading the shipped lexicons"),
    }
}

/// Run `coinsieve check`.
pub fn run_check(args: CheckArgs) -> Result<ExitCode> {
    let filter = load_filter(args.lexicons.as_ref())?;
    let color = match args.color {
        ColorChoice::Auto => std::io::stdout().is_terminal(),
        ColorChoice::Always => true,
        ColorChoice::Never => false,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut emit = |text: &str| -> Result<()> {
        let verdict = filter.check(text);
        if args.json {
            serde_json::to_writer(&mut out, &verdict)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}", readable(text, &verdict, color))?;
        }
        Ok(())
    };
    match &args.text {
        Some(text) => emit(text)?,
        None => {
            for (i, line) in std::io::stdin().lock().lines().enumerate() {
                let line = line.with_context(|| format!("<stdin>:{}: not valid UTF-8", i + 1))?;
                emit(&line)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Run `coinsieve explain`.
pub fn run_explain(args: ExplainArgs) -> Result<ExitCode> {
    let filter = load_filter(args.lexicons.as_ref())?;
    let explanation = filter.explain(&args.text);
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&explanation)?)?;
    } else {
        outln!("{explanation}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `BLOCK  1.35  otc_offer  text-with-highlights`, then one indented line per hit.
pub fn readable(text: &str, v: &Verdict, color: bool) -> String {
    let label = v.label.as_str().to_uppercase();
    let cats = if v.categories.is_empty() {
        "-".to_string()
    } else {
        v.categories.join(",")
    };
    let mut s = format!(
        "{label:<6} {:>5.2}  {cats:<20} {}",
        v.score,
        highlight(text, v, color)
    );
    if v.is_flagged() {
        for h in &v.hits {
            s.push_str(&format!(
                "\n         {:<16} {:<14} {:?} [{}..{}] {:?}",
                h.signal, h.entry, h.text, h.start, h.end, h.how
            ));
        }
    }
    s
}

fn highlight(text: &str, v: &Verdict, color: bool) -> String {
    if !color || v.hits.is_empty() {
        return text.replace('\n', " ");
    }
    let mut out = String::new();
    let mut at = 0;
    for h in &v.hits {
        if h.byte_start < at || h.byte_end > text.len() {
            continue;
        }
        out.push_str(&text[at..h.byte_start]);
        out.push_str("\x1b[1;31m");
        out.push_str(&text[h.byte_start..h.byte_end]);
        out.push_str("\x1b[0m");
        at = h.byte_end;
    }
    out.push_str(&text[at..]);
    out.replace('\n', " ")
}
