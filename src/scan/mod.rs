//! Batch scanning: stream post dumps (JSONL, CSV/TSV, plain text; gzip/zstd) through a
//! [`Filter`] on all cores, write one [`ScanRecord`] per post in input order, aggregate accounts,
//! and count every bad record instead of losing it.
//!
//! Data flow: a reader thread opens each [`Input`], decompresses it, splits it into records and
//! sends chunks (about [`ScanOptions::chunk_bytes`] each) over a bounded channel; chunks are
//! parsed, checked and serialized in parallel on a rayon pool (two chunks at a time), and the
//! calling thread writes the results strictly in input order and updates the [`AccountBook`]
//! (the workers have already turned each account name into an id, see `account_ids`). The next
//! chunk is handed to the pool before the last one is written, and while jieba's dictionary
//! loads, chunks with posts that need it are held rather than waited on, so the workers do not
//! sit idle.
//! Memory is bounded by a handful of chunks plus the account book, whatever the dump size.
//! From stdin (or an [`Input::Reader`]) a chunk is also cut whenever no more input is buffered
//! and output is flushed after every chunk, so the scanner works as a filter in a pipeline.
//!
//! Every input record ends up as exactly one output record or one [`RecordError`]:
//! `summary.records == summary.posts + summary.errors`.
//!
//! ```
//! use coinsieve::scan::{Input, ScanOptions, Scanner};
//! use coinsieve::Filter;
//!
//! let dump = "{\"id\":\"a1\",\"account\":\"lz\",\"text\":\"收U 6.95 微信 laozhang88\"}\n\
//!             {\"id\":\"a2\",\"account\":\"amy\",\"text\":\"今天天气不错，去公园散步\"}\n\
//!             {\"id\":\"a3\",\"text\":\n";
//! let filter = Filter::shipped()?;
//! let scanner = Scanner::new(&filter, ScanOptions::default());
//! let input = Input::Reader { name: "dump.jsonl".into(), reader: Box::new(dump.as_bytes()) };
//! let mut out = Vec::new();
//! let mut errors = Vec::new();
//! let report = scanner.scan(vec![input], &mut out, &mut |e| errors.push(e.clone()))?;
//!
//! assert_eq!(report.summary.posts, 2);
//! assert_eq!(report.summary.errors, 1);
//! assert_eq!(errors[0].line, 3);
//! let first: coinsieve::scan::ScanRecord = serde_json::from_slice(out.split(|&b| b == b'\n').next().unwrap())?;
//! assert_eq!((first.id.as_str(), first.verdict.label), ("a1", coinsieve::Label::Block));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod account_ids;
mod csv;
mod fields;
mod format;
mod input;
mod jsonl;
mod output;
mod summary;
mod text;

pub use fields::FieldMap;
pub use format::Format;
pub use input::{Compression, Input};
pub use output::ScanRecord;
pub use summary::{RuleCount, ScanSummary};

use crate::account::{AccountBook, Policy, PostFacts};
use crate::filter::Filter;
use crate::verdict::{Label, Verdict};
use account_ids::{AccountIds, BookIndex};
use input::{LineReader, LineStatus};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A post as read from the input, before checking.
#[derive(Debug)]
pub(crate) struct Post<'a> {
    pub id: Option<Cow<'a, str>>,
    pub account: Option<Cow<'a, str>>,
    pub time: Option<Cow<'a, str>>,
    pub text: Cow<'a, str>,
}

impl Post<'_> {
    /// The same post, borrowing this one's strings.
    fn borrowed(&self) -> Post<'_> {
        fn b<'s>(s: &'s Option<Cow<'_, str>>) -> Option<Cow<'s, str>> {
            s.as_deref().map(Cow::Borrowed)
        }
        Post {
            id: b(&self.id),
            account: b(&self.account),
            time: b(&self.time),
            text: Cow::Borrowed(&self.text),
        }
    }
}

/// Why a record could not be scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The line is not valid JSON, or not a JSON object.
    InvalidJson,
    /// No text field (under any of the configured names).
    MissingText,
    /// The text field is there but is not a string.
    TextNotString,
    /// The record is not valid UTF-8.
    InvalidUtf8,
    /// An empty (or whitespace-only) line.
    EmptyLine,
    /// A CSV/TSV row with a different number of columns than the header.
    ColumnCount,
    /// A CSV quoted field that is never closed.
    InvalidCsv,
    /// A line (or CSV record) over `max_line_bytes`.
    LineTooLong,
    /// The input could not be read further (truncated or corrupt gzip/zstd, I/O error); the rest
    /// of that input is skipped.
    ReadError,
    /// The filter panicked on this post (a bug in the engine); the post is counted, not lost.
    CheckFailed,
}

impl ErrorKind {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::MissingText => "missing_text",
            ErrorKind::TextNotString => "text_not_string",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::EmptyLine => "empty_line",
            ErrorKind::ColumnCount => "column_count",
            ErrorKind::InvalidCsv => "invalid_csv",
            ErrorKind::LineTooLong => "line_too_long",
            ErrorKind::ReadError => "read_error",
            ErrorKind::CheckFailed => "check_failed",
        }
    }
}

/// One input record that could not be scanned. Serializes as the `--errors` JSONL line
/// `{"file","line","kind","reason"}`; displays as `file:line: reason`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct RecordError {
    /// The input's name (path, `<stdin>`, or reader name).
    pub file: String,
    /// 1-based line where the record starts.
    pub line: u64,
    /// The kind of problem.
    pub kind: ErrorKind,
    /// What is wrong, for people.
    pub reason: String,
}

/// Errors that stop a scan (as opposed to [`RecordError`]s, which are counted and skipped).
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// An input could not be opened.
    #[error("{path}: {source}")]
    Open {
        /// The input.
        path: String,
        /// The underlying error.
        source: io::Error,
    },
    /// A CSV/TSV header has no column for the text.
    #[error(
        "{file}: the header has no text column (columns: {columns}; looked for: {looked_for}); \
         name it with --text-field"
    )]
    NoTextColumn {
        /// The input.
        file: String,
        /// The header's columns, comma-separated.
        columns: String,
        /// The text field names tried.
        looked_for: String,
    },
    /// Writing the output failed (`BrokenPipe` when the consumer went away).
    #[error("writing output: {0}")]
    Output(#[source] io::Error),
    /// The worker thread pool could not be built.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

/// How to scan. `ScanOptions::default()` suits common dumps.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Force a format; `None` detects it per input from the extension, then the content.
    pub format: Option<Format>,
    /// Field names for text, id, account and time.
    pub fields: FieldMap,
    /// Worker threads; 0 uses all cores.
    pub threads: usize,
    /// Target bytes of input per chunk (default 2 MiB). Peak memory grows with it: a chunk in
    /// flight holds its input, records and output lines. On the 200 MB bench dump with 2
    /// workers, 4 MiB chunks peaked at 150 MB RSS against 114 MB for 2 MiB, ~1% faster.
    pub chunk_bytes: usize,
    /// Longest accepted line (or CSV record) in bytes (default 1 MiB).
    pub max_line_bytes: usize,
    /// Stop once there are more record errors than this (`Some(0)`: at the first). `None`: never.
    pub max_errors: Option<u64>,
    /// Write only review and block records (all posts still count in summary and accounts).
    pub only_flagged: bool,
    /// The account policy.
    pub policy: Policy,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            format: None,
            fields: FieldMap::default(),
            threads: 0,
            chunk_bytes: 2 << 20,
            max_line_bytes: 1 << 20,
            max_errors: None,
            only_flagged: false,
            policy: Policy::default(),
        }
    }
}

/// Live counters of a running scan, for progress display. All counts are cumulative.
#[derive(Debug, Default)]
pub struct Progress {
    /// Raw (possibly compressed) bytes read from the inputs.
    pub bytes_read: AtomicU64,
    /// Sum of the sizes of all inputs when they are all files, else 0 (unknown).
    pub total_bytes: AtomicU64,
    /// Records written or counted as errors.
    pub records: AtomicU64,
    /// Inputs opened.
    pub files: AtomicU64,
}

/// Handles to watch and stop a running scan from another thread (or a signal handler).
#[derive(Debug, Clone, Default)]
pub struct ScanControl {
    /// Set to stop: reading stops, the record being written is finished, and
    /// [`Scanner::scan`] returns with `summary.interrupted`.
    pub cancel: Arc<AtomicBool>,
    /// Live counters.
    pub progress: Arc<Progress>,
}

/// The result of a scan: the summary and the per-account aggregation.
#[derive(Debug)]
pub struct ScanReport {
    /// Counts, throughput, labels.
    pub summary: ScanSummary,
    /// Per-account counts and labels; write them with [`AccountBook::reports`].
    pub accounts: AccountBook,
}

/// Scans inputs with a [`Filter`]. See the [module documentation](self) for an example.
pub struct Scanner<'f> {
    filter: &'f Filter,
    options: ScanOptions,
    control: ScanControl,
    /// Chunks held for jieba so far (see [`Checked::Held`]).
    held_chunks: AtomicU64,
}

/// Most records in one chunk, whatever their size.
const MAX_CHUNK_RECORDS: usize = 50_000;
/// Chunks queued between the reader and the checker.
const QUEUE: usize = 2;
/// Chunks being checked at once (one is written while the next is checked).
const IN_FLIGHT: u64 = 2;
/// Chunks held for jieba (see [`Checked::Held`]) beyond `IN_FLIGHT`; once this many are held,
/// they are finished (waiting for the dictionary), so at most `MAX_HELD + IN_FLIGHT` are held
/// at once. Each costs ~6 MB of peak RSS (data, items, output parts, all kept in the pool
/// afterwards). On the 200 MB bench dump up to four were held with a bound of four (RSS 124 MB
/// with two held, 136 MB with four); two keep the workers busy for ~50 ms of the ~0.1 s load.
const MAX_HELD: u64 = 2;
/// How often the writer looks whether jieba is ready while chunks are held for it.
const HELD_POLL: Duration = Duration::from_millis(2);

/// A chunk's outcome, as its checking task reports it to the writer.
enum Checked {
    /// Every record has its outcome: the parts and the input bytes they cover.
    Done(Vec<Part>, u64),
    /// Some posts were put aside because they need jieba and its dictionary is still loading;
    /// the others are checked. The chunk is kept (the put-aside records point into it) until
    /// the dictionary is ready, then finished. Without this, both workers of a 2-core scan sat
    /// idle for ~50 ms at start, waiting for the dictionary with two chunks in hand.
    Held(Vec<Part>, Chunk),
}

/// The next report of a checking task; while chunks are held, `None` after [`HELD_POLL`], so
/// that the writer looks at the dictionary (and the input) again soon.
fn next_report(done_rx: &mpsc::Receiver<(u64, Checked)>, held: u64) -> Option<(u64, Checked)> {
    if held > 0 {
        done_rx.recv_timeout(HELD_POLL).ok()
    } else {
        Some(done_rx.recv().expect("a checking task always reports"))
    }
}

/// Buffers handed back for reuse: chunk buffers by the checkers for the reader to fill again,
/// and [`Part`]s by the writer for the checkers. Without it, every chunk allocated fresh
/// multi-MiB buffers on one thread that another thread freed, and glibc's heap grew with the
/// dump (peak RSS 93 MiB at 20 MB of input, 153 MiB at 200 MB, one worker). At most
/// `QUEUE + IN_FLIGHT + 1` chunks (one filling, `QUEUE` queued, `IN_FLIGHT` checked) and the
/// parts of `IN_FLIGHT + 1` chunks (one more being written) exist at once, plus up to
/// `MAX_HELD` chunks held while jieba loads, so the pool stays that small.
#[derive(Default)]
struct BufferPool {
    chunks: Mutex<Vec<(Vec<u8>, Vec<Item>)>>,
    parts: Mutex<Vec<Part>>,
}

impl BufferPool {
    fn take(&self) -> (Vec<u8>, Vec<Item>) {
        let mut pool = self.chunks.lock().unwrap_or_else(|e| e.into_inner());
        pool.pop().unwrap_or_default()
    }

    fn give_back(&self, chunk: Chunk) {
        let (mut data, mut items) = (chunk.data, chunk.items);
        data.clear();
        items.clear();
        let mut pool = self.chunks.lock().unwrap_or_else(|e| e.into_inner());
        pool.push((data, items));
    }

    /// An empty part for `records` records. A part is emptied here, on a worker, rather than
    /// when the writer gives it back: dropping its records (the rule and category names of
    /// flagged posts) then costs the workers, not the one writer thread.
    fn part(&self, records: usize) -> Part {
        let reused = {
            let mut pool = self.parts.lock().unwrap_or_else(|e| e.into_inner());
            pool.pop()
        };
        reused.map_or_else(|| Part::with_capacity(records), Part::emptied)
    }

    fn give_back_parts(&self, parts: Vec<Part>) {
        let mut pool = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        pool.extend(parts);
    }
}

enum Item {
    Json {
        line: u64,
        start: usize,
        end: usize,
    },
    Text {
        line: u64,
        start: usize,
        end: usize,
    },
    /// A CSV record, parsed by the reader (boxed: a chunk holds thousands of items, and most
    /// are the small variants above).
    Post {
        line: u64,
        post: Box<Post<'static>>,
    },
    Error {
        line: u64,
        kind: ErrorKind,
        reason: String,
    },
}

struct Chunk {
    file: Arc<str>,
    data: Vec<u8>,
    items: Vec<Item>,
    /// Decompressed input bytes this chunk covers.
    bytes: u64,
}

/// One record's outcome, in input order, within a [`Part`].
enum Rec {
    Post(PostRec),
    Error(RecordError),
    /// Not checked yet: the post needed jieba while its dictionary was loading. Holds the
    /// item's index in its batch.
    Deferred(usize),
}

/// What the writer needs of one checked post; its strings live in [`Part::strs`].
struct PostRec {
    label: Label,
    /// Whether the post has an output line.
    written: bool,
    /// The post's output line (with its newline) in [`Part::out`].
    out: Range<usize>,
    id: Range<usize>,
    /// The account's name in [`Part::strs`] and its [`AccountIds`] id (given by
    /// [`Part::assign_account_ids`] once the whole batch is checked).
    account: Option<(Range<usize>, u32)>,
    time: Option<Range<usize>>,
    categories: Vec<String>,
    rules: Vec<String>,
}

/// The checked records of one batch of a chunk: their output lines in one buffer (in order,
/// except deferred posts', which come last) and their ids, accounts and times in one string, so
/// that a clean post costs the writer no allocation to free and no write call of its own.
#[derive(Default)]
struct Part {
    out: Vec<u8>,
    strs: String,
    recs: Vec<Rec>,
    /// Number of [`Rec::Deferred`] records.
    deferred: usize,
}

impl Part {
    fn with_capacity(records: usize) -> Self {
        Part {
            out: Vec::with_capacity(records * 128),
            strs: String::with_capacity(records * 48),
            recs: Vec::with_capacity(records),
            deferred: 0,
        }
    }

    /// This part with no records, its buffers kept for the next batch.
    fn emptied(mut self) -> Self {
        self.out.clear();
        self.strs.clear();
        self.recs.clear();
        self.deferred = 0;
        self
    }

    fn push_str(&mut self, s: &str) -> Range<usize> {
        let start = self.strs.len();
        self.strs.push_str(s);
        start..self.strs.len()
    }

    fn str(&self, r: &Range<usize>) -> &str {
        self.strs.get(r.clone()).unwrap_or_default()
    }

    /// Give every checked post of this part that has an account name its id. Done once per
    /// batch rather than once per post: between two posts the checks push the name map out of
    /// the cache, while one pass over the batch's names finds it there (and can overlap the
    /// misses of neighbouring names). On the benchmark dump the lookups fell from ~5.5% to ~1%
    /// of a `scan -j 1`'s samples.
    fn assign_account_ids(&mut self, ids: &AccountIds) {
        let strs = &self.strs;
        let pending = self.recs.iter_mut().filter_map(|rec| match rec {
            Rec::Post(PostRec {
                account: Some((name, id)),
                ..
            }) if *id == AccountIds::UNASSIGNED => {
                Some((strs.get(name.clone()).unwrap_or_default(), id))
            }
            _ => None,
        });
        ids.assign(pending);
    }

    fn error(file: &str, line: u64, kind: ErrorKind, reason: String) -> Rec {
        Rec::Error(RecordError {
            file: file.to_string(),
            line,
            kind,
            reason,
        })
    }

    /// The record of a checked post; writes its output line when `write`. Its account id is
    /// [`AccountIds::UNASSIGNED`] until [`Part::assign_account_ids`].
    fn post(&mut self, line: u64, post: &Post<'_>, verdict: Verdict<&str>, write: bool) -> Rec {
        let id = match &post.id {
            Some(id) => self.push_str(id),
            None => self.push_str(&line.to_string()),
        };
        let account = (post.account.as_deref()).map(|a| (self.push_str(a), AccountIds::UNASSIGNED));
        let time = post.time.as_deref().map(|t| self.push_str(t));
        let start = self.out.len();
        if write {
            let strs = &self.strs;
            let str = |r: &Range<usize>| strs.get(r.clone()).unwrap_or_default();
            let record = output::RecordRef {
                id: str(&id),
                account: account.as_ref().map(|(a, _)| str(a)),
                time: time.as_ref().map(str),
                verdict: &verdict,
            };
            output::write_record(&mut self.out, &record);
            self.out.push(b'\n');
        }
        Rec::Post(PostRec {
            label: verdict.label,
            written: write,
            out: start..self.out.len(),
            id,
            account,
            time,
            rules: verdict.rules.iter().map(|r| r.name.to_string()).collect(),
            categories: verdict.categories.iter().map(|c| c.to_string()).collect(),
        })
    }
}

/// What a worker needs to check the items of one chunk.
struct ChunkCtx<'c> {
    data: &'c [u8],
    accounts: &'c AccountIds,
    reader: jsonl::Reader<'c>,
    file: &'c str,
}

impl<'c> ChunkCtx<'c> {
    fn of(chunk: &'c Chunk, accounts: &'c AccountIds, fields: &'c FieldMap) -> Self {
        ChunkCtx {
            data: &chunk.data,
            accounts,
            reader: jsonl::Reader::new(fields),
            file: &chunk.file,
        }
    }
}

/// Items checked as one batch on one worker.
const BATCH: usize = 256;

/// `line` as UTF-8 text, or the error `std::str::from_utf8` gives (with its `valid_up_to`).
/// Every record is validated, so the check runs SIMD-wide first (`simdutf8`: half the CPU of
/// the standard library's check on the benchmark dump); only an invalid line is validated again
/// by the standard library, for the position of its first bad byte.
pub(crate) fn utf8(line: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(line) {
        Ok(s) => Ok(s),
        Err(_) => std::str::from_utf8(line),
    }
}

/// [`utf8`] for a record reader: an invalid line is an [`ErrorKind::InvalidUtf8`] record error
/// naming its first bad byte.
pub(crate) fn record_text(line: &[u8]) -> Result<&str, (ErrorKind, String)> {
    utf8(line).map_err(|e| {
        let reason = format!("invalid UTF-8 at byte {}", e.valid_up_to());
        (ErrorKind::InvalidUtf8, reason)
    })
}

impl<'f> Scanner<'f> {
    /// A scanner that checks posts with `filter`.
    pub fn new(filter: &'f Filter, options: ScanOptions) -> Self {
        Scanner {
            filter,
            options,
            control: ScanControl::default(),
            held_chunks: AtomicU64::new(0),
        }
    }

    /// Handles to cancel the scan and watch its progress; clone them before calling
    /// [`scan`](Self::scan).
    pub fn control(&self) -> ScanControl {
        self.control.clone()
    }

    /// The options in use.
    pub fn options(&self) -> &ScanOptions {
        &self.options
    }

    /// Scan `inputs` in order, writing one JSON line per post to `out` (flushed after every
    /// chunk) and calling `on_error` for every record that cannot be scanned.
    ///
    /// Returns `Err` only for problems that make going on pointless: an input that cannot be
    /// opened, a CSV header without a text column, a failed write (e.g. broken pipe).
    pub fn scan(
        &self,
        inputs: Vec<Input>,
        out: &mut dyn Write,
        on_error: &mut dyn FnMut(&RecordError),
    ) -> Result<ScanReport, ScanError> {
        let started = Instant::now();
        let opts = &self.options;
        let progress = &self.control.progress;
        let cancel = &self.control.cancel;
        self.filter.preload_in_background();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads)
            .build()
            .map_err(|e| ScanError::Threads(e.to_string()))?;

        let total: Option<u64> = inputs.iter().try_fold(0u64, |acc, i| match i {
            Input::Path(p) => std::fs::metadata(p).ok().map(|m| acc + m.len()),
            _ => None,
        });
        progress
            .total_bytes
            .store(total.unwrap_or(0), Ordering::Relaxed);

        // The reader runs on its own (detached) thread: if it is blocked reading a quiet pipe
        // when the scan is cancelled, we return without waiting for it.
        let (tx, rx) = mpsc::sync_channel::<Chunk>(QUEUE);
        let buffers: Arc<BufferPool> = Arc::default();
        let reader_result: Arc<Mutex<Option<Result<(), ScanError>>>> = Arc::default();
        let reader = {
            let reader_opts = opts.clone();
            let control = self.control.clone();
            let result = Arc::clone(&reader_result);
            let buffers = Arc::clone(&buffers);
            std::thread::Builder::new()
                .name("coinsieve-reader".into())
                .spawn(move || {
                    let r = read_inputs(inputs, &reader_opts, &control, &tx, &buffers);
                    *result.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                })
                .map_err(|e| ScanError::Threads(e.to_string()))?
        };

        let ids = Arc::new(AccountIds::new(pool.current_num_threads()));
        let mut tally = Tally::new(opts.policy.clone());
        let mut finished = false;
        // Up to IN_FLIGHT chunks are checked on the pool while this thread writes the oldest
        // one, so writing and account aggregation overlap with checking. Results are written
        // strictly in chunk order.
        let flow = pool.in_place_scope(|scope| -> Result<(), ScanError> {
            let (done_tx, done_rx) = mpsc::channel::<(u64, Checked)>();
            let mut pending: BTreeMap<u64, Checked> = BTreeMap::new();
            let (mut next_seq, mut write_seq) = (0u64, 0u64);
            // chunks in `pending` held for jieba
            let mut held = 0u64;
            let mut input_done = false;
            let mut to_write: Option<(Vec<Part>, u64)> = None;
            loop {
                // a chunk held for jieba does not count against IN_FLIGHT, up to MAX_HELD of them
                while !input_done && next_seq - write_seq < IN_FLIGHT + held.min(MAX_HELD) {
                    let got = if next_seq == write_seq && to_write.is_none() {
                        rx.recv_timeout(Duration::from_millis(100))
                    } else {
                        rx.try_recv().map_err(|e| match e {
                            mpsc::TryRecvError::Empty => RecvTimeoutError::Timeout,
                            mpsc::TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
                        })
                    };
                    match got {
                        Ok(chunk) => {
                            let (tx, seq) = (done_tx.clone(), next_seq);
                            let (buffers, ids) = (Arc::clone(&buffers), Arc::clone(&ids));
                            next_seq += 1;
                            scope.spawn(move |_| {
                                let checked = self.check_chunk(chunk, &buffers, &ids);
                                let _ = tx.send((seq, checked));
                            });
                        }
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => input_done = true,
                    }
                }
                // written once the next chunk is on its way, so no worker waits for the writer
                if let Some((outcomes, bytes)) = to_write.take() {
                    let go_on = tally.write_chunk(
                        &outcomes,
                        bytes,
                        out,
                        on_error,
                        cancel,
                        opts.max_errors,
                    )?;
                    buffers.give_back_parts(outcomes);
                    if !go_on {
                        return Ok(());
                    }
                    progress
                        .records
                        .store(tally.summary.records, Ordering::Relaxed);
                }
                if cancel.load(Ordering::Relaxed) {
                    tally.summary.interrupted = true;
                    return Ok(());
                }
                if held > 0 && (held >= MAX_HELD || input_done || self.filter.segmenter_loaded()) {
                    let held_chunks = pending.extract_if(.., |_, c| matches!(c, Checked::Held(..)));
                    for (seq, checked) in held_chunks {
                        let Checked::Held(parts, chunk) = checked else {
                            continue;
                        };
                        let (tx, buffers, ids) =
                            (done_tx.clone(), Arc::clone(&buffers), Arc::clone(&ids));
                        scope.spawn(move |_| {
                            let checked = self.finish_chunk(parts, chunk, &buffers, &ids);
                            let _ = tx.send((seq, checked));
                        });
                    }
                    held = 0;
                }
                if write_seq == next_seq {
                    if input_done {
                        finished = true;
                        return Ok(());
                    }
                    continue;
                }
                match pending.remove(&write_seq) {
                    Some(Checked::Done(outcomes, bytes)) => {
                        write_seq += 1;
                        to_write = Some((outcomes, bytes));
                    }
                    not_done => {
                        if let Some(held_chunk) = not_done {
                            pending.insert(write_seq, held_chunk);
                        }
                        if let Some((seq, checked)) = next_report(&done_rx, held) {
                            held += u64::from(matches!(checked, Checked::Held(..)));
                            pending.insert(seq, checked);
                        }
                    }
                }
            }
        });
        flow?;
        let Tally {
            mut summary,
            book,
            book_index: _,
            rule_counts,
            labels,
        } = tally;
        for (l, n) in [Label::Allow, Label::Review, Label::Block]
            .iter()
            .zip(labels)
        {
            summary.labels.insert(l.as_str().to_string(), n);
        }
        out.flush().map_err(ScanError::Output)?;
        drop(rx);
        if finished {
            let _ = reader.join();
            let result = reader_result
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            if let Some(Err(e)) = result {
                return Err(e);
            }
        }

        summary.files = progress.files.load(Ordering::Relaxed);
        summary.input_bytes = progress.bytes_read.load(Ordering::Relaxed);
        summary.seconds = started.elapsed().as_secs_f64();
        let secs = summary.seconds.max(1e-9);
        summary.mb_per_sec = summary.bytes as f64 / 1e6 / secs;
        summary.posts_per_sec = summary.posts as f64 / secs;
        summary.accounts = book
            .label_counts()
            .into_iter()
            .map(|(l, n)| (l.as_str().to_string(), n))
            .collect();
        let mut rules: Vec<RuleCount> = rule_counts
            .into_iter()
            .map(|(rule, count)| RuleCount { rule, count })
            .collect();
        rules.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
        rules.truncate(10);
        summary.top_rules = rules;
        Ok(ScanReport {
            summary,
            accounts: book,
        })
    }

    /// Parse, check and serialize one chunk in parallel, keeping order. While jieba's
    /// dictionary is loading, posts that need it are put aside: the chunk is then held (see
    /// [`Checked::Held`]) so that the workers go on with later chunks instead of waiting for it.
    fn check_chunk(&self, chunk: Chunk, buffers: &BufferPool, ids: &AccountIds) -> Checked {
        let ctx = ChunkCtx::of(&chunk, ids, &self.options.fields);
        let parts: Vec<Part> = (chunk.items.par_chunks(BATCH))
            .map(|batch| {
                let mut part = buffers.part(batch.len());
                for (i, item) in batch.iter().enumerate() {
                    let rec = self.check_item(item, i, &ctx, &mut part, false);
                    part.deferred += usize::from(matches!(rec, Rec::Deferred(_)));
                    part.recs.push(rec);
                }
                part.assign_account_ids(ctx.accounts);
                part
            })
            .collect();
        if parts.iter().any(|p| p.deferred > 0) && !self.filter.segmenter_loaded() {
            self.held_chunks.fetch_add(1, Ordering::Relaxed);
            return Checked::Held(parts, chunk);
        }
        self.finish_chunk(parts, chunk, buffers, ids)
    }

    /// Check the posts of `chunk` that were put aside for jieba, waiting for its dictionary if
    /// it is still loading, and hand the chunk's buffers back.
    fn finish_chunk(
        &self,
        mut parts: Vec<Part>,
        chunk: Chunk,
        buffers: &BufferPool,
        ids: &AccountIds,
    ) -> Checked {
        if parts.iter().any(|p| p.deferred > 0) {
            let ctx = ChunkCtx::of(&chunk, ids, &self.options.fields);
            (parts.par_iter_mut())
                .zip(chunk.items.par_chunks(BATCH))
                .for_each(|(part, batch)| self.check_deferred(part, batch, &ctx));
        }
        let bytes = chunk.bytes;
        buffers.give_back(chunk);
        Checked::Done(parts, bytes)
    }

    /// Check the deferred posts of `part`, waiting for jieba as needed.
    fn check_deferred(&self, part: &mut Part, batch: &[Item], ctx: &ChunkCtx<'_>) {
        for k in 0..part.recs.len() {
            let Some(&Rec::Deferred(i)) = part.recs.get(k) else {
                continue;
            };
            let Some(item) = batch.get(i) else { continue };
            let rec = self.check_item(item, i, ctx, part, true);
            part.recs[k] = rec;
        }
        part.assign_account_ids(ctx.accounts);
        part.deferred = 0;
    }

    /// Parse, check and serialize one record (item `i` of its batch) into `part`. Unless
    /// `wait`, a post that needs jieba while its dictionary is loading is deferred.
    fn check_item(
        &self,
        item: &Item,
        i: usize,
        ctx: &ChunkCtx<'_>,
        part: &mut Part,
        wait: bool,
    ) -> Rec {
        let (line, parsed) = match item {
            Item::Json { line, start, end } => (*line, ctx.reader.parse(&ctx.data[*start..*end])),
            Item::Text { line, start, end } => (*line, text::parse(&ctx.data[*start..*end])),
            Item::Post { line, post } => (*line, Ok(post.borrowed())),
            Item::Error { line, kind, reason } => {
                return Part::error(ctx.file, *line, *kind, reason.clone());
            }
        };
        let post = match parsed {
            Ok(p) => p,
            Err((kind, reason)) => return Part::error(ctx.file, line, kind, reason),
        };
        let filter = self.filter;
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if wait {
                Some(filter.check_borrowed(&post.text))
            } else {
                filter.check_ready(&post.text)
            }
        }));
        match checked {
            Ok(Some(verdict)) => {
                let write = !self.options.only_flagged || verdict.is_flagged();
                part.post(line, &post, verdict, write)
            }
            Ok(None) => Rec::Deferred(i),
            Err(_) => {
                let reason = "the filter panicked on this post (engine bug)".to_string();
                Part::error(ctx.file, line, ErrorKind::CheckFailed, reason)
            }
        }
    }
}

/// Running totals of a scan, updated in output order.
struct Tally {
    summary: ScanSummary,
    book: AccountBook,
    /// Account id → index in `book`.
    book_index: BookIndex,
    /// Posts per rule name (foldhash: looked up for every rule of every flagged post).
    rule_counts: HashMap<String, u64, foldhash::fast::RandomState>,
    /// allow, review, block.
    labels: [u64; 3],
}

impl Tally {
    fn new(policy: Policy) -> Self {
        Tally {
            summary: ScanSummary::default(),
            book: AccountBook::new(policy),
            book_index: BookIndex::default(),
            rule_counts: HashMap::default(),
            labels: [0; 3],
        }
    }

    /// Write one checked chunk and count it. `Ok(false)`: stop (cancelled or too many errors).
    fn write_chunk(
        &mut self,
        parts: &[Part],
        bytes: u64,
        out: &mut dyn Write,
        on_error: &mut dyn FnMut(&RecordError),
        cancel: &AtomicBool,
        max_errors: Option<u64>,
    ) -> Result<bool, ScanError> {
        for part in parts {
            if !self.write_part(part, out, on_error, cancel, max_errors)? {
                return Ok(false);
            }
        }
        self.summary.bytes += bytes;
        out.flush().map_err(ScanError::Output)?;
        Ok(true)
    }

    /// Write and count the records of one part, in order. The output lines of consecutive
    /// posts go out in one write; an error record first writes the lines before it.
    fn write_part(
        &mut self,
        part: &Part,
        out: &mut dyn Write,
        on_error: &mut dyn FnMut(&RecordError),
        cancel: &AtomicBool,
        max_errors: Option<u64>,
    ) -> Result<bool, ScanError> {
        // lines counted but not written yet
        let mut pending = 0..0;
        let mut write_pending = |pending: &mut Range<usize>| -> Result<(), ScanError> {
            let lines = part.out.get(pending.clone()).unwrap_or_default();
            *pending = pending.end..pending.end;
            if lines.is_empty() {
                return Ok(());
            }
            out.write_all(lines).map_err(ScanError::Output)
        };
        for rec in &part.recs {
            if cancel.load(Ordering::Relaxed) {
                self.summary.interrupted = true;
                write_pending(&mut pending)?;
                return Ok(false);
            }
            self.summary.records += 1;
            match rec {
                Rec::Post(p) => {
                    if p.out.start != pending.end {
                        write_pending(&mut pending)?;
                        pending = p.out.clone();
                    } else {
                        pending.end = p.out.end;
                    }
                    self.count_post(part, p);
                }
                Rec::Error(e) => {
                    write_pending(&mut pending)?;
                    if !self.count_error(e, on_error, max_errors) {
                        return Ok(false);
                    }
                }
                Rec::Deferred(_) => unreachable!("deferred posts are checked before writing"),
            }
        }
        write_pending(&mut pending)?;
        Ok(true)
    }

    /// Count one post in the summary, the rule counts and the account book.
    fn count_post(&mut self, part: &Part, p: &PostRec) {
        let summary = &mut self.summary;
        if p.written {
            summary.written += 1;
        }
        summary.posts += 1;
        self.labels[match p.label {
            Label::Allow => 0,
            Label::Review => 1,
            Label::Block => 2,
        }] += 1;
        for c in &p.categories {
            match summary.categories.get_mut(c) {
                Some(n) => *n += 1,
                None => {
                    summary.categories.insert(c.clone(), 1);
                }
            }
        }
        for r in &p.rules {
            match self.rule_counts.get_mut(r) {
                Some(n) => *n += 1,
                None => {
                    self.rule_counts.insert(r.clone(), 1);
                }
            }
        }
        if let Some((account, id)) = &p.account {
            debug_assert_ne!(*id, AccountIds::UNASSIGNED, "ids are assigned per batch");
            let facts = PostFacts {
                id: part.str(&p.id),
                time: p.time.as_ref().map(|t| part.str(t)),
                label: p.label,
                categories: &p.categories,
            };
            // a new id is a new name: the workers give each name one id
            let at = self.book_index.get(*id).unwrap_or_else(|| {
                let at = self.book.add_unindexed(part.str(account));
                self.book_index.set(*id, at);
                at
            });
            self.book.record_at(at, &facts);
        }
    }

    /// Count one record error and report it. `false`: too many errors, stop.
    fn count_error(
        &mut self,
        e: &RecordError,
        on_error: &mut dyn FnMut(&RecordError),
        max_errors: Option<u64>,
    ) -> bool {
        let summary = &mut self.summary;
        summary.errors += 1;
        *summary
            .error_kinds
            .entry(e.kind.as_str().to_string())
            .or_default() += 1;
        on_error(e);
        if max_errors.is_some_and(|m| summary.errors > m) {
            summary.stopped_early = true;
            return false;
        }
        true
    }
}

/// Sends chunks of one input; `false` from a method means the receiver is gone (stop).
struct Chunker<'a> {
    tx: &'a SyncSender<Chunk>,
    buffers: &'a BufferPool,
    file: Arc<str>,
    chunk_bytes: usize,
    streaming: bool,
    data: Vec<u8>,
    items: Vec<Item>,
    /// Text bytes of already-parsed (CSV) posts in this chunk.
    post_bytes: usize,
    sent_bytes: u64,
}

impl Chunker<'_> {
    fn size(&self) -> usize {
        self.data.len() + self.post_bytes
    }

    fn push(&mut self, item: Item, lines: &LineReader) -> bool {
        self.items.push(item);
        let full = self.size() >= self.chunk_bytes || self.items.len() >= MAX_CHUNK_RECORDS;
        if full || (self.streaming && lines.drained()) {
            return self.send(lines);
        }
        true
    }

    fn push_line(&mut self, line: u64, bytes: &[u8], json: bool, lines: &LineReader) -> bool {
        let start = self.data.len();
        self.data.extend_from_slice(bytes);
        let end = self.data.len();
        let item = if json {
            Item::Json { line, start, end }
        } else {
            Item::Text { line, start, end }
        };
        self.push(item, lines)
    }

    /// Room for a whole chunk, with the line that crosses `chunk_bytes`: grown by doubling
    /// instead, every buffer ended at twice `chunk_bytes` (the pool holds about eight).
    fn reserve_data(&mut self) {
        self.data.reserve(self.chunk_bytes + self.chunk_bytes / 16);
    }

    fn send(&mut self, lines: &LineReader) -> bool {
        if self.items.is_empty() {
            return true;
        }
        let (data, items) = self.buffers.take();
        let chunk = Chunk {
            file: Arc::clone(&self.file),
            data: std::mem::replace(&mut self.data, data),
            items: std::mem::replace(&mut self.items, items),
            bytes: lines.bytes - self.sent_bytes,
        };
        self.sent_bytes = lines.bytes;
        self.post_bytes = 0;
        self.reserve_data();
        self.tx.send(chunk).is_ok()
    }
}

/// The reader thread: open, detect, split, send.
fn read_inputs(
    inputs: Vec<Input>,
    opts: &ScanOptions,
    control: &ScanControl,
    tx: &SyncSender<Chunk>,
    buffers: &BufferPool,
) -> Result<(), ScanError> {
    for input in inputs {
        if control.cancel.load(Ordering::Relaxed) {
            break;
        }
        let name = input.name();
        let opened = input::open(input, Arc::clone(&control.progress)).map_err(|source| {
            ScanError::Open {
                path: name.clone(),
                source,
            }
        })?;
        control.progress.files.fetch_add(1, Ordering::Relaxed);
        let compression = opened.compression;
        let format = opts
            .format
            .or_else(|| Format::from_name(&name))
            .unwrap_or_else(|| Format::sniff(&opened.head, &opts.fields));
        let mut lines = LineReader::new(opened.reader, opts.max_line_bytes);
        let mut chunker = Chunker {
            tx,
            buffers,
            file: Arc::from(name.as_str()),
            chunk_bytes: opts.chunk_bytes.max(1),
            streaming: opened.streaming,
            data: Vec::new(),
            items: Vec::new(),
            post_bytes: 0,
            sent_bytes: 0,
        };
        chunker.reserve_data();
        let go_on = match format {
            Format::Jsonl | Format::Text => {
                read_lines(&mut lines, &mut chunker, format, compression, control)
            }
            Format::Csv | Format::Tsv => {
                read_csv(&mut lines, &mut chunker, format, compression, opts, control)?
            }
        };
        if !go_on || !chunker.send(&lines) {
            return Ok(());
        }
    }
    Ok(())
}

fn read_error(e: io::Error, compression: Compression, line: u64) -> Item {
    let what = match compression {
        Compression::None => String::new(),
        Compression::Gzip => " (truncated or corrupt gzip input)".into(),
        Compression::Zstd => " (truncated or corrupt zstd input)".into(),
    };
    Item::Error {
        line,
        kind: ErrorKind::ReadError,
        reason: format!("cannot read further{what}: {e}; the rest of this input is skipped"),
    }
}

/// JSONL and plain text: one record per line. Returns false when the scan should stop.
fn read_lines(
    lines: &mut LineReader,
    chunker: &mut Chunker<'_>,
    format: Format,
    compression: Compression,
    control: &ScanControl,
) -> bool {
    let json = format == Format::Jsonl;
    let max = lines.max();
    let mut buf = Vec::new();
    loop {
        if control.cancel.load(Ordering::Relaxed) {
            return false;
        }
        let ok = match lines.next_line(&mut buf) {
            Ok(None) => return true,
            Ok(Some(LineStatus::TooLong(len))) => chunker.push(
                Item::Error {
                    line: lines.line_no,
                    kind: ErrorKind::LineTooLong,
                    reason: format!("line is {len} bytes, over --max-line-bytes {max}"),
                },
                lines,
            ),
            Ok(Some(LineStatus::Ok)) if buf.trim_ascii().is_empty() => chunker.push(
                Item::Error {
                    line: lines.line_no,
                    kind: ErrorKind::EmptyLine,
                    reason: "empty line".into(),
                },
                lines,
            ),
            Ok(Some(LineStatus::Ok)) => chunker.push_line(lines.line_no, &buf, json, lines),
            Err(e) => {
                let item = read_error(e, compression, lines.line_no + 1);
                return chunker.push(item, lines);
            }
        };
        if !ok {
            return false;
        }
    }
}

/// CSV and TSV: a header row, then records. Returns Ok(false) when the scan should stop.
fn read_csv(
    lines: &mut LineReader,
    chunker: &mut Chunker<'_>,
    format: Format,
    compression: Compression,
    opts: &ScanOptions,
    control: &ScanControl,
) -> Result<bool, ScanError> {
    let mut rdr = csv::CsvRecords::new(format == Format::Tsv, opts.max_line_bytes);
    let mut buf = Vec::new();
    let mut header: Option<(Vec<String>, fields::Columns)> = None;
    loop {
        if control.cancel.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let item = match rdr.next(lines, &mut buf) {
            Ok(None) => return Ok(true),
            Ok(Some(csv::CsvItem::Error { line, kind, reason })) => {
                Item::Error { line, kind, reason }
            }
            Ok(Some(csv::CsvItem::Record { line, fields: n })) => match &header {
                None => {
                    let names: Vec<String> = (0..n)
                        .map(|i| String::from_utf8_lossy(rdr.field(i)).trim().to_string())
                        .collect();
                    let f = &opts.fields;
                    let Some(text) = fields::find_column(&names, &f.text) else {
                        return Err(ScanError::NoTextColumn {
                            file: chunker.file.to_string(),
                            columns: names.join(", "),
                            looked_for: f.text.join(", "),
                        });
                    };
                    let cols = fields::Columns {
                        text,
                        id: fields::find_column(&names, &f.id),
                        account: fields::find_column(&names, &f.account),
                        time: fields::find_column(&names, &f.time),
                    };
                    header = Some((names, cols));
                    continue;
                }
                Some((names, cols)) => csv_record(&rdr, line, n, names, cols),
            },
            Err(e) => {
                let item = read_error(e, compression, lines.line_no + 1);
                return Ok(chunker.push(item, lines));
            }
        };
        if let Item::Post { post, .. } = &item {
            chunker.post_bytes += post.text.len();
        }
        if !chunker.push(item, lines) {
            return Ok(false);
        }
    }
}

fn csv_record(
    rdr: &csv::CsvRecords,
    line: u64,
    n: usize,
    names: &[String],
    cols: &fields::Columns,
) -> Item {
    if n != names.len() {
        return Item::Error {
            line,
            kind: ErrorKind::ColumnCount,
            reason: format!(
                "{n} columns, but the header has {}{}",
                names.len(),
                if n == 1 && names.len() > 1 {
                    " (wrong delimiter?)"
                } else {
                    ""
                }
            ),
        };
    }
    let get = |i: usize| -> Result<Cow<'static, str>, Item> {
        let field = String::from_utf8(rdr.field(i).to_vec()).map_err(|e| Item::Error {
            line,
            kind: ErrorKind::InvalidUtf8,
            reason: format!(
                "invalid UTF-8 in column `{}` at byte {}",
                names[i],
                e.utf8_error().valid_up_to()
            ),
        })?;
        Ok(Cow::Owned(field))
    };
    let opt = |i: Option<usize>| -> Result<Option<Cow<'static, str>>, Item> {
        match i {
            None => Ok(None),
            Some(i) => get(i).map(|s| Some(s).filter(|s| !s.is_empty())),
        }
    };
    let post = (|| {
        Ok(Post {
            text: get(cols.text)?,
            id: opt(cols.id)?,
            account: opt(cols.account)?,
            time: opt(cols.time)?,
        })
    })();
    match post {
        Ok(post) => Item::Post {
            line,
            post: Box::new(post),
        },
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests;
