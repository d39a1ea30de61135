//! CSV and TSV records, parsed with `csv-core` (the parser inside the `csv` crate) fed one line at
//! a time, so that every record knows its line, overlong lines are skipped without buffering them,
//! blank lines are reported, and a runaway quoted field cannot swallow the rest of the file.

use super::ErrorKind;
use super::input::{LineReader, LineStatus};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder, Terminator};
use std::io;

/// What [`CsvRecords::next`] found.
pub(crate) enum CsvItem {
    /// A record starting at `line`; its fields are in [`CsvRecords::field`].
    Record { line: u64, fields: usize },
    /// A record that cannot be used.
    Error {
        line: u64,
        kind: ErrorKind,
        reason: String,
    },
}

/// Splits lines into CSV/TSV records.
pub(crate) struct CsvRecords {
    rdr: Reader,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    nends: usize,
    max: usize,
}

impl CsvRecords {
    /// A CSV (`tsv == false`) or TSV splitter; records longer than `max` bytes are errors.
    pub fn new(tsv: bool, max: usize) -> Self {
        let rdr = if tsv {
            ReaderBuilder::new()
                .delimiter(b'\t')
                .quoting(false)
                .terminator(Terminator::Any(b'\n'))
                .build()
        } else {
            ReaderBuilder::new()
                .terminator(Terminator::Any(b'\n'))
                .build()
        };
        CsvRecords {
            rdr,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            nends: 0,
            max,
        }
    }

    /// Field `i` of the last record.
    pub fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.out[start..self.ends[i]]
    }

    fn reset(&mut self) {
        self.rdr.reset();
        self.out_len = 0;
        self.nends = 0;
    }

    /// Feed bytes; true when a record is complete.
    fn feed(&mut self, mut input: &[u8]) -> bool {
        loop {
            let (res, nin, nout, nend) = self.rdr.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.nends..],
            );
            input = &input[nin..];
            self.out_len += nout;
            self.nends += nend;
            match res {
                ReadRecordResult::InputEmpty | ReadRecordResult::End => return false,
                ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => return true,
            }
        }
    }

    /// The next record. `Ok(None)` at end of input; an `Err` is a read error (e.g. a truncated
    /// compressed stream) at line `lines.line_no + 1`.
    pub fn next(
        &mut self,
        lines: &mut LineReader,
        buf: &mut Vec<u8>,
    ) -> io::Result<Option<CsvItem>> {
        let mut start: Option<u64> = None;
        let mut bytes = 0usize;
        loop {
            let status = match lines.next_line(buf) {
                Ok(s) => s,
                Err(e) => {
                    self.reset();
                    return Err(e);
                }
            };
            let Some(status) = status else {
                let Some(line) = start else { return Ok(None) };
                self.feed(&[]);
                self.reset();
                return Ok(Some(CsvItem::Error {
                    line,
                    kind: ErrorKind::InvalidCsv,
                    reason: "quoted field is never closed before the end of the input".into(),
                }));
            };
            let line = lines.line_no;
            if let LineStatus::TooLong(len) = status {
                let line = start.unwrap_or(line);
                self.reset();
                return Ok(Some(CsvItem::Error {
                    line,
                    kind: ErrorKind::LineTooLong,
                    reason: format!(
                        "line {} is {len} bytes, over --max-line-bytes {}",
                        lines.line_no, self.max
                    ),
                }));
            }
            if start.is_none() {
                if buf.iter().all(u8::is_ascii_whitespace) {
                    return Ok(Some(CsvItem::Error {
                        line,
                        kind: ErrorKind::EmptyLine,
                        reason: "empty line".into(),
                    }));
                }
                start = Some(line);
            }
            bytes += buf.len() + 1;
            if bytes > self.max {
                let line = start.unwrap_or(line);
                self.reset();
                return Ok(Some(CsvItem::Error {
                    line,
                    kind: ErrorKind::LineTooLong,
                    reason: format!(
                        "record spans lines {line}-{} and is over --max-line-bytes {} \
                         (an unclosed quote?)",
                        lines.line_no, self.max
                    ),
                }));
            }
            let body = std::mem::take(buf);
            // csv-core reads an empty input as the end of the input: never feed an empty line
            // (a blank line inside a quoted field) on its own, or the open field is cut there.
            let done = (!body.is_empty() && self.feed(&body)) || self.feed(b"\n");
            *buf = body;
            if done {
                let fields = self.nends;
                self.out_len = 0;
                self.nends = 0;
                return Ok(Some(CsvItem::Record {
                    line: start.unwrap_or(line),
                    fields,
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Read};

    fn lines(data: &'static [u8]) -> LineReader {
        let boxed: Box<dyn Read + Send> = Box::new(data);
        LineReader::new(BufReader::new(boxed), 64)
    }

    /// Read every item of `data`; records are shown by `show(reader, field count)`.
    fn read_all(data: &'static [u8], show: impl Fn(&CsvRecords, usize) -> String) -> Vec<String> {
        let mut l = lines(data);
        let mut c = CsvRecords::new(false, 64);
        let mut buf = Vec::new();
        let mut seen = Vec::new();
        while let Some(item) = c.next(&mut l, &mut buf).unwrap() {
            seen.push(match item {
                CsvItem::Record { line, fields } => format!("{line}:{}", show(&c, fields)),
                CsvItem::Error { line, kind, .. } => format!("{line}:{kind:?}"),
            });
        }
        seen
    }

    #[test]
    fn multiline_quotes_and_errors() {
        let seen = read_all(b"a,b\n1,\"x\ny\"\n\n2,3,4\n3,\"open\n", |c, fields| {
            format!("{fields}:{}", String::from_utf8_lossy(c.field(fields - 1)))
        });
        assert_eq!(
            seen,
            ["1:2:b", "2:2:x\ny", "4:EmptyLine", "5:3:4", "6:InvalidCsv"]
        );
    }

    /// Found by the `csv_quoting_round_trips` property: blank lines inside a quoted field.
    #[test]
    fn blank_lines_inside_quotes() {
        let seen = read_all(
            b"a,b\n\"0\",\"\n\n\"\n\"1\",\"\r\n\r\nx\"\n2,y\n",
            |c, fields| {
                format!(
                    "{}|{}",
                    String::from_utf8_lossy(c.field(0)),
                    String::from_utf8_lossy(c.field(fields - 1))
                )
            },
        );
        assert_eq!(seen, ["1:a|b", "2:0|\n\n", "5:1|\n\nx", "8:2|y"]);
    }
}
