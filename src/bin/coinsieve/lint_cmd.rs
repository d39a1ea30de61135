//! `coinsieve lint`.
use std::process::ExitCode;

/// Arguments of `coinsieve lint`.
#[derive(clap::Args, Debug)]
pub struct LintArgs {}

/// Run `coinsieve lint`.
pub fn run_lint(_args: LintArgs) -> anyhow::Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
