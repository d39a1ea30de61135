//! `coinsieve scan` and `coinsieve demo`: thin wrappers around [`coinsieve::scan::Scanner`].

use anyhow::{Context, bail};
use coinsieve::account::{AccountReport, Policy};
use coinsieve::lexicon::Lexicon;
use coinsieve::scan::{
    FieldMap, Format, Input, RecordError, ScanControl, ScanError, ScanOptions, ScanRecord,
    ScanReport, Scanner,
};
use coinsieve::{Filter, Label};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Errors printed on stderr before the rest are only counted (all go to `--errors FILE`).
const SHOWN_ERRORS: u64 = 10;

/// Arguments of `coinsieve scan`.
///
/// Exit codes: 0 success (bad records, if any, are counted and reported), 1 usage or
/// configuration error, 2 more bad records than `--max-errors` (or any with `--strict`),
/// 130 interrupted (Ctrl-C / SIGTERM).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit codes: 0 success (bad records are reported and counted), \
    1 usage/config error, 2 more bad records than --max-errors (or any with --strict), \
    130 interrupted."
)]
pub struct ScanArgs {
    /// Input files: JSONL, CSV/TSV with a header, or plain text; .gz/.zst are decompressed.
    /// `-` or no file reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Input format (default: from the extension, else from the content).
    #[arg(long, value_name = "jsonl|csv|tsv|text")]
    format: Option<Format>,
    /// Write records to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Write only review and block records.
    #[arg(long)]
    only_flagged: bool,
    /// Write one JSON line per account (label ok/watch/restrict/ban) to FILE.
    #[arg(long, value_name = "FILE")]
    accounts: Option<PathBuf>,
    /// Account policy (TOML); default: ban at 3 blocked posts, restrict at 1, watch at 2 review.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Write the summary as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    summary_json: Option<PathBuf>,
    /// Write every bad record as a JSON line {"file","line","kind","reason"} to FILE.
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
    /// Text field names, first found wins; dotted paths reach into nested JSON
    /// [default: text,content,body,message].
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    text_field: Vec<String>,
    /// Id field names [default: id,post_id,mid]; without one, the line number is the id.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    id_field: Vec<String>,
    /// Account field names [default: account,user,user_id,uid,author], e.g. `user.id`.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    account_field: Vec<String>,
    /// Time field names [default: time,created_at,timestamp].
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    time_field: Vec<String>,
    /// Worker threads (default: all cores).
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true
    )]
    threads: usize,
    /// Input bytes per chunk checked in parallel (suffix K, M or G for KiB, MiB, GiB).
    #[arg(long, value_name = "BYTES", default_value = "2M", value_parser = parse_size)]
    chunk_size: usize,
    /// Longest accepted line (or CSV record); longer ones are reported and skipped.
    #[arg(long, value_name = "BYTES", default_value = "1M", value_parser = parse_size)]
    max_line_bytes: usize,
    /// Stop with exit code 2 once there are more than N bad records (default: never stop).
    #[arg(long, value_name = "N")]
    max_errors: Option<u64>,
    /// Stop with exit code 2 at the first bad record (same as --max-errors 0).
    #[arg(long)]
    strict: bool,
    /// Use the lexicons in DIR instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    lexicons: Option<PathBuf>,
    /// No progress bar (it is only shown when stderr is a terminal anyway).
    #[arg(long)]
    no_progress: bool,
    /// No summary and no error lines on stderr.
    #[arg(short, long)]
    quiet: bool,
}

/// Arguments of `coinsieve demo`.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Also show the posts that were allowed.
    #[arg(long)]
    all: bool,
    /// Use the lexicons in DIR instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    lexicons: Option<PathBuf>,
}

/// `123`, `64K`, `4M`, `1G` (binary units).
fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim().to_ascii_uppercase();
    let t = t.trim_end_matches("IB").trim_end_matches('B');
    let (num, mult) = match t.char_indices().last() {
        Some((i, 'K')) => (&t[..i], 1usize << 10),
        Some((i, 'M')) => (&t[..i], 1 << 20),
        Some((i, 'G')) => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    let n: usize = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a size like 512K, 4M or 1048576"))?;
    match n.checked_mul(mult) {
        Some(v) if v > 0 => Ok(v),
        _ => Err(format!("{s:?} must be a positive size")),
    }
}

/// The filter for a batch scan: its automaton is rebuilt as a DFA, since a dump pays the build
/// once and the search on every post.
fn load_filter(lexicons: Option<&Path>) -> anyhow::Result<Filter> {
    let lexicon = match lexicons {
        Some(dir) => Lexicon::from_dir(dir)
            .with_context(|| format!("loading lexicons from {}", dir.display()))?,
        None => Lexicon::shipped().context("loading the built-in lexicons")?,
    };
    Filter::new_for_throughput(lexicon).context("building the search automaton")
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::with_capacity(256 * 1024, f))
}

/// Cancel the scan on Ctrl-C / SIGTERM; a second signal exits at once.
fn install_signal_handler(control: &ScanControl) {
    let cancel = Arc::clone(&control.cancel);
    let _ = ctrlc::set_handler(move || {
        if cancel.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}

/// A progress bar on stderr, fed from the scan's live counters by a ticker thread.
struct Progress {
    bar: ProgressBar,
    done: Arc<AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(control: &ScanControl) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(5));
        let done = Arc::new(AtomicBool::new(false));
        let ticker = {
            let (bar, done, progress) = (bar.clone(), done.clone(), control.progress.clone());
            std::thread::spawn(move || {
                let mut styled = false;
                loop {
                    // Sleep first: the scan publishes the total size when it starts.
                    std::thread::sleep(Duration::from_millis(200));
                    if done.load(Ordering::Relaxed) {
                        break;
                    }
                    let total = progress.total_bytes.load(Ordering::Relaxed);
                    if !styled {
                        let template = if total > 0 {
                            "{spinner} [{bar:20}] {bytes}/{total_bytes} {bytes_per_sec} \
                             ETA {eta} {msg}"
                        } else {
                            "{spinner} {elapsed} {bytes} {bytes_per_sec} {msg}"
                        };
                        if let Ok(style) = ProgressStyle::with_template(template) {
                            bar.set_style(style.progress_chars("=> "));
                        }
                        if total > 0 {
                            bar.set_length(total);
                        }
                        styled = true;
                    }
                    bar.set_position(progress.bytes_read.load(Ordering::Relaxed));
                    let records = progress.records.load(Ordering::Relaxed);
                    let secs = bar.elapsed().as_secs_f64().max(1e-3);
                    bar.set_message(format!("{records} posts {:.0}/s", records as f64 / secs));
                }
            })
        };
        Progress {
            bar,
            done,
            ticker: Some(ticker),
        }
    }

    fn finish(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

/// Run `coinsieve scan`.
pub fn run_scan(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let filter = load_filter(args.lexicons.as_deref())?;
    let policy = match &args.policy {
        Some(p) => Policy::from_file(p)?,
        None => Policy::default(),
    };
    let mut fields = FieldMap::default();
    for (given, slot) in [
        (&args.text_field, &mut fields.text),
        (&args.id_field, &mut fields.id),
        (&args.account_field, &mut fields.account),
        (&args.time_field, &mut fields.time),
    ] {
        if !given.is_empty() {
            *slot = given.clone();
        }
    }
    let options = ScanOptions {
        format: args.format,
        fields,
        threads: args.threads,
        chunk_bytes: args.chunk_size,
        max_line_bytes: args.max_line_bytes,
        max_errors: if args.strict {
            Some(0)
        } else {
            args.max_errors
        },
        only_flagged: args.only_flagged,
        policy,
    };

    let mut inputs = Vec::new();
    for f in &args.files {
        if f.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else {
            File::open(f).with_context(|| format!("cannot open {}", f.display()))?;
            if f.is_dir() {
                bail!("cannot open {}: is a directory", f.display());
            }
            inputs.push(Input::Path(f.clone()));
        }
    }
    if inputs.is_empty() {
        if io::stdin().is_terminal() && !args.quiet {
            eprintln!("coinsieve: reading posts from the terminal; end with Ctrl-D (see --help)");
        }
        inputs.push(Input::Stdin);
    }
    if inputs.iter().filter(|i| matches!(i, Input::Stdin)).count() > 1 {
        bail!("stdin (-) can be given only once");
    }

    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(create(p)?),
        None => Box::new(BufWriter::with_capacity(256 * 1024, io::stdout().lock())),
    };
    let mut errors_file = args.errors.as_deref().map(create).transpose()?;
    // Fail on an unwritable --accounts / --summary-json now, not after a long scan.
    let accounts_file = args.accounts.as_deref().map(create).transpose()?;
    let summary_file = args.summary_json.as_deref().map(create).transpose()?;

    let scanner = Scanner::new(&filter, options);
    let control = scanner.control();
    install_signal_handler(&control);
    let mut progress = (!args.quiet && !args.no_progress && io::stderr().is_terminal())
        .then(|| Progress::start(&control));
    let bar = progress.as_ref().map(|p| p.bar.clone());

    let mut shown = 0u64;
    let mut errors_write: Option<io::Error> = None;
    let mut on_error = |e: &RecordError| {
        if !args.quiet && shown < SHOWN_ERRORS {
            shown += 1;
            let line = format!("coinsieve: {e}");
            match &bar {
                Some(b) => b.suspend(|| eprintln!("{line}")),
                None => eprintln!("{line}"),
            }
        }
        if let Some(w) = errors_file.as_mut()
            && errors_write.is_none()
            && let Err(err) = serde_json::to_writer(&mut *w, e)
                .map_err(io::Error::from)
                .and_then(|()| w.write_all(b"\n"))
        {
            errors_write = Some(err);
        }
    };
    let result = scanner.scan(inputs, &mut out, &mut on_error);
    if let Some(p) = progress.as_mut() {
        p.finish();
    }
    let report = match result {
        Ok(r) => r,
        Err(ScanError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(e.into()),
    };
    drop(out);
    if let Some(e) = errors_write {
        return Err(e).context("writing --errors file");
    }
    if let Some(mut w) = errors_file {
        w.flush().context("writing --errors file")?;
    }
    if let Some(w) = accounts_file {
        write_accounts(w, &report).context("writing --accounts file")?;
    }
    if let Some(mut w) = summary_file {
        serde_json::to_writer_pretty(&mut w, &report.summary)?;
        w.write_all(b"\n")?;
        w.flush().context("writing --summary-json file")?;
    }

    let s = &report.summary;
    if !args.quiet {
        if s.errors > shown {
            let hint = match &args.errors {
                Some(p) => format!("all are in {}", p.display()),
                None => "use --errors FILE to list them all".to_string(),
            };
            eprintln!(
                "coinsieve: … {} more bad records ({hint})",
                s.errors - shown
            );
        }
        eprintln!("coinsieve: {s}");
    }
    let code = if s.interrupted {
        ExitCode::from(130)
    } else if s.stopped_early {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends next: freeing the account book and the filter (jieba's dictionary, the
    // automaton) one allocation at a time took ~15 ms at the end of a 200 MB scan, with
    // nothing else to run; the OS takes the memory back whole.
    drop(scanner);
    std::mem::forget(report);
    std::mem::forget(filter);
    Ok(code)
}

fn write_accounts(mut w: impl Write, report: &ScanReport) -> io::Result<()> {
    for r in report.accounts.reports() {
        serde_json::to_writer(&mut w, &r)?;
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// The built-in example dump.
const DEMO_DUMP: &str = include_str!("../../../corpora/demo.jsonl");

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn label(&self, label: Label) -> String {
        let code = match label {
            Label::Block => "1;31",
            Label::Review => "1;33",
            Label::Allow => "32",
        };
        self.wrap(code, &format!("{:<6}", label.as_str().to_uppercase()))
    }

    /// The text with every hit span marked (bold red on a terminal, ⟦…⟧ otherwise).
    fn hits(&self, text: &str, spans: &[(usize, usize)]) -> String {
        let mut marks = vec![false; text.chars().count()];
        for &(s, e) in spans {
            for m in marks.iter_mut().take(e).skip(s) {
                *m = true;
            }
        }
        let (open, close) = if self.on {
            ("\x1b[1;31m", "\x1b[0m")
        } else {
            ("⟦", "⟧")
        };
        let mut out = String::new();
        let mut inside = false;
        for (c, &m) in text.chars().zip(&marks) {
            if m != inside {
                out.push_str(if m { open } else { close });
                inside = m;
            }
            out.push(c);
        }
        if inside {
            out.push_str(close);
        }
        out
    }
}

/// Run `coinsieve demo`.
pub fn run_demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let filter = load_filter(args.lexicons.as_deref())?;
    let scanner = Scanner::new(&filter, ScanOptions::default());
    let input = Input::Reader {
        name: "demo.jsonl".into(),
        reader: Box::new(DEMO_DUMP.as_bytes()),
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let report = scanner.scan(vec![input], &mut out, &mut |e| errors.push(e.to_string()))?;
    let texts: HashMap<String, String> = DEMO_DUMP
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            Some((
                v["id"].as_str()?.to_string(),
                v["text"].as_str()?.to_string(),
            ))
        })
        .collect();
    let paint = Paint {
        on: io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let stdout = io::stdout();
    let mut w = stdout.lock();
    let title = |s: &str| paint.wrap("1", s);

    writeln!(
        w,
        "{} — {} example posts from {} accounts\n",
        title("coinsieve demo"),
        report.summary.posts,
        report.accounts.len()
    )?;
    writeln!(w, "{}", title("Flagged posts"))?;
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let rec: ScanRecord = serde_json::from_slice(line)?;
        let v = &rec.verdict;
        if !args.all && !v.is_flagged() {
            continue;
        }
        let spans: Vec<(usize, usize)> = v.hits.iter().map(|h| (h.start, h.end)).collect();
        let text = texts.get(&rec.id).map(String::as_str).unwrap_or("");
        writeln!(
            w,
            "  {} {:<4} @{:<10} score {:.2}  {}",
            paint.label(v.label),
            rec.id,
            rec.account.as_deref().unwrap_or("-"),
            v.score,
            v.categories.join(", ")
        )?;
        writeln!(w, "         {}", paint.hits(text, &spans))?;
    }

    writeln!(w, "\n{}", title("Accounts"))?;
    let mut accounts: Vec<AccountReport> = report.accounts.reports().collect();
    accounts.sort_by(|a, b| {
        b.label
            .cmp(&a.label)
            .then_with(|| a.account.cmp(&b.account))
    });
    for a in &accounts {
        let label = format!("{:<8}", a.label.as_str().to_uppercase());
        let label = match a.label {
            coinsieve::account::AccountLabel::Ban | coinsieve::account::AccountLabel::Restrict => {
                paint.wrap("1;31", &label)
            }
            coinsieve::account::AccountLabel::Watch => paint.wrap("1;33", &label),
            coinsieve::account::AccountLabel::Ok => paint.wrap("32", &label),
        };
        write!(
            w,
            "  {label} @{:<10} {} posts, {} block, {} review",
            a.account, a.posts, a.block, a.review
        )?;
        if !a.examples.is_empty() {
            write!(w, "   e.g. {}", a.examples.join(" "))?;
        }
        writeln!(w)?;
    }
    writeln!(w, "\n{}", title("Summary"))?;
    writeln!(w, "{}", report.summary)?;
    for e in &errors {
        writeln!(w, "  error: {e}")?;
    }
    writeln!(
        w,
        "\nScan your own dump:\n  coinsieve scan posts.jsonl.gz -o out.jsonl --accounts accounts.jsonl"
    )?;
    Ok(ExitCode::SUCCESS)
}
