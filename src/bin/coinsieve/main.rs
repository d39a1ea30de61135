//! The `coinsieve` command line: a thin layer over the library.
//!
//! Each subcommand lives in its own file; this file only parses arguments and dispatches.

/// `println!` that returns the write error instead of panicking, so a closed pipe
/// (`coinsieve explain … | head`) ends the command quietly (see [`is_broken_pipe`]).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `print!` counterpart of [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod check_cmd;
mod eval_cmd;
mod lint_cmd;
mod scan_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Find crypto OTC-trading offers and crypto hype/shilling in Chinese and English posts.
#[derive(Parser, Debug)]
#[command(name = "coinsieve", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check one post (or each line of stdin) and print its label, score and evidence.
    Check(check_cmd::CheckArgs),
    /// Show every stage of the pipeline for one post: how a maintainer debugs a miss.
    Explain(check_cmd::ExplainArgs),
    /// Batch-scan post dumps (JSONL, CSV/TSV, plain text; .gz/.zst) on all cores.
    Scan(Box<scan_cmd::ScanArgs>),
    /// Scan the built-in example dump and show flagged posts, account labels and the summary.
    Demo(scan_cmd::DemoArgs),
    /// Measure the filter on labelled JSONL corpora; with --baseline-lexicons, list posts that flip.
    Eval(eval_cmd::EvalArgs),
    /// Check lexicons for errors, duplicates, dead entries and terms too common in benign text.
    Lint(lint_cmd::LintArgs),
}

fn main() -> ExitCode {
    // Usage errors exit with 1 (clap's default, 2, means "too many bad records" here).
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 1 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Check(args) => check_cmd::run_check(args),
        Command::Explain(args) => check_cmd::run_explain(args),
        Command::Scan(args) => scan_cmd::run_scan(*args),
        Command::Demo(args) => scan_cmd::run_demo(args),
        Command::Eval(args) => eval_cmd::run_eval(args),
        Command::Lint(args) => lint_cmd::run_lint(args),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS, // `coinsieve … | head`
        Err(err) => {
            eprintln!("coinsieve: error: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// The reader of our output went away: not an error worth reporting.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
