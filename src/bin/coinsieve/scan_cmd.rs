//! `coinsieve scan` and `coinsieve demo` (under construction).
use std::process::ExitCode;

/// Arguments of `coinsieve scan`.
#[derive(clap::Args, Debug)]
pub struct ScanArgs {}

/// Arguments of `coinsieve demo`.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {}

/// Run `coinsieve scan`.
pub fn run_scan(_args: ScanArgs) -> anyhow::Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}

/// Run `coinsieve demo`.
pub fn run_demo(_args: DemoArgs) -> anyhow::Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
