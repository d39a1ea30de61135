//! Opening inputs (files, stdin, any reader), transparent decompression by magic bytes, and a
//! line reader whose memory is bounded by `--max-line-bytes`.

use super::Progress;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// One input to scan.
pub enum Input {
    /// Standard input (`-` on the command line). Results are flushed promptly, so the scanner
    /// can sit inside a streaming pipeline.
    Stdin,
    /// A file; `.gz` / `.zst` content is detected by magic bytes, not by the name.
    Path(PathBuf),
    /// Any reader, e.g. an embedded dump or a socket. Treated like stdin (flushed promptly).
    Reader {
        /// The name used in error messages and format detection by extension.
        name: String,
        /// The bytes, possibly compressed.
        reader: Box<dyn Read + Send>,
    },
}

impl Input {
    /// The name used in error messages: the path, `<stdin>`, or the reader's name.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::Path(p) => p.display().to_string(),
            Input::Reader { name, .. } => name.clone(),
        }
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Input({})", self.name())
    }
}

/// How an input was compressed (detected from its first bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain bytes.
    None,
    /// gzip, possibly several members (`cat a.gz b.gz`).
    Gzip,
    /// Zstandard, possibly several frames.
    Zstd,
}

/// An opened, decompressed input.
pub(crate) struct Opened {
    pub reader: BufReader<Box<dyn Read + Send>>,
    pub compression: Compression,
    /// Flush results as soon as no more input is buffered (stdin and readers).
    pub streaming: bool,
    /// The first line(s) of the decompressed input, for format detection.
    pub head: Vec<u8>,
}

const READ_BUFFER: usize = 256 * 1024;

/// Counts raw (compressed) bytes read into a shared counter, for progress.
struct Counting<R> {
    inner: R,
    progress: Arc<Progress>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress
            .bytes_read
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Open an input and wrap it in the right decompressor.
pub(crate) fn open(input: Input, progress: Arc<Progress>) -> io::Result<Opened> {
    let (raw, streaming): (Box<dyn Read + Send>, bool) = match input {
        Input::Stdin => (Box::new(io::stdin()), true),
        Input::Path(p) => (Box::new(File::open(p)?), false),
        Input::Reader { reader, .. } => (reader, true),
    };
    let mut raw = Counting {
        inner: raw,
        progress,
    };
    let mut magic = [0u8; 4];
    let mut n = 0;
    while n < magic.len() {
        match raw.read(&mut magic[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    let head = Cursor::new(magic[..n].to_vec()).chain(raw);
    let (reader, compression): (Box<dyn Read + Send>, Compression) =
        if magic[..n].starts_with(&[0x1f, 0x8b]) {
            (
                Box::new(flate2::read::MultiGzDecoder::new(head)),
                Compression::Gzip,
            )
        } else if magic[..n] == [0x28, 0xb5, 0x2f, 0xfd] {
            (
                Box::new(zstd::stream::read::Decoder::new(head)?),
                Compression::Zstd,
            )
        } else {
            (Box::new(head), Compression::None)
        };
    let prefixed = Prefixed::read_head(reader);
    let head = prefixed.head.clone();
    Ok(Opened {
        reader: BufReader::with_capacity(READ_BUFFER, Box::new(prefixed)),
        compression,
        streaming,
        head,
    })
}

/// Most bytes read ahead to detect the format.
const HEAD_MAX: usize = 64 * 1024;

/// The first line(s) of the decompressed input, read ahead for format detection, then the rest.
/// A read error while reading ahead is kept and returned after the head, so it is reported at
/// the right line.
struct Prefixed {
    head: Vec<u8>,
    pos: usize,
    err: Option<io::Error>,
    rest: Box<dyn Read + Send>,
}

impl Prefixed {
    fn read_head(mut rest: Box<dyn Read + Send>) -> Prefixed {
        let mut head: Vec<u8> = Vec::new();
        let mut err = None;
        let mut chunk = [0u8; 8192];
        // Until a newline after some content, HEAD_MAX bytes, or the end.
        while head.len() < HEAD_MAX
            && !head
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .any(|&b| b == b'\n')
        {
            let want = chunk.len().min(HEAD_MAX - head.len());
            match rest.read(&mut chunk[..want]) {
                Ok(0) => break,
                Ok(n) => head.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        Prefixed {
            head,
            pos: 0,
            err,
            rest,
        }
    }
}

impl Read for Prefixed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.head.len() {
            let n = buf.len().min(self.head.len() - self.pos);
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
            if self.pos == self.head.len() {
                self.head = Vec::new();
            }
            return Ok(n);
        }
        if let Some(e) = self.err.take() {
            return Err(e);
        }
        self.rest.read(buf)
    }
}

/// What [`LineReader::next_line`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineStatus {
    /// The line is in the buffer (without `\n` / `\r\n`).
    Ok,
    /// The line was longer than the limit and was skipped; its full length in bytes.
    TooLong(u64),
}

/// Splits a reader into lines, never holding more than `max` bytes of one line.
pub(crate) struct LineReader {
    inner: BufReader<Box<dyn Read + Send>>,
    max: usize,
    /// Number of the last line returned (1-based).
    pub line_no: u64,
    /// Decompressed bytes consumed so far.
    pub bytes: u64,
}

impl LineReader {
    pub fn new(inner: BufReader<Box<dyn Read + Send>>, max: usize) -> Self {
        LineReader {
            inner,
            max,
            line_no: 0,
            bytes: 0,
        }
    }

    /// The line length limit in bytes.
    pub fn max(&self) -> usize {
        self.max
    }

    /// True when the next read would have to go to the underlying reader (and might block).
    pub fn drained(&self) -> bool {
        self.inner.buffer().is_empty()
    }

    /// Read the next line into `buf`. `Ok(None)` at end of input. On error, the partial line is
    /// lost and [`line_no`](Self::line_no)` + 1` is the line that failed.
    pub fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<LineStatus>> {
        buf.clear();
        let mut total: u64 = 0;
        let mut too_long = false;
        let mut any = false;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i, true),
                None => (avail.len(), false),
            };
            total += take as u64;
            if !too_long {
                if buf.len() + take > self.max {
                    too_long = true;
                    buf.clear();
                    buf.shrink_to(self.max.min(64 * 1024));
                } else {
                    buf.extend_from_slice(&avail[..take]);
                }
            }
            let consumed = take + usize::from(done);
            self.inner.consume(consumed);
            self.bytes += consumed as u64;
            if done {
                break;
            }
        }
        self.line_no += 1;
        if too_long {
            return Ok(Some(LineStatus::TooLong(total)));
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        if self.line_no == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
            buf.drain(..3);
        }
        Ok(Some(LineStatus::Ok))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(data: &'static [u8], max: usize) -> LineReader {
        let boxed: Box<dyn Read + Send> = Box::new(data);
        LineReader::new(BufReader::with_capacity(4, boxed), max)
    }

    #[test]
    fn splits_and_bounds_lines() {
        let mut r = reader(b"\xEF\xBB\xBFab\r\n0123456789\n\nlast", 8);
        let mut buf = Vec::new();
        assert_eq!(r.next_line(&mut buf).unwrap(), Some(LineStatus::Ok));
        assert_eq!(buf, b"ab");
        assert_eq!(
            r.next_line(&mut buf).unwrap(),
            Some(LineStatus::TooLong(10))
        );
        assert_eq!(r.next_line(&mut buf).unwrap(), Some(LineStatus::Ok));
        assert_eq!(buf, b"");
        assert_eq!(r.next_line(&mut buf).unwrap(), Some(LineStatus::Ok));
        assert_eq!((buf.as_slice(), r.line_no), (&b"last"[..], 4));
        assert_eq!(r.next_line(&mut buf).unwrap(), None);
    }

    #[test]
    fn detects_compression() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        io::Write::write_all(&mut gz, b"hello\n").unwrap();
        let data = gz.finish().unwrap();
        let input = Input::Reader {
            name: "x".into(),
            reader: Box::new(Cursor::new(data)),
        };
        let mut opened = open(input, Arc::default()).unwrap();
        assert_eq!(opened.compression, Compression::Gzip);
        let mut s = String::new();
        opened.reader.read_to_string(&mut s).unwrap();
        assert_eq!(s, "hello\n");
    }
}
