//! Reading corpus files: plain or gzip-compressed (`.gz`), one record per line.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// One line of an input file: its 1-based number and its text, or why it could not be read.
pub type Line = (usize, Result<String, String>);

/// Open `path` for reading lines, decompressing it when its name ends in `.gz`.
pub fn open(path: &Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    let file = File::open(path)?;
    let reader: Box<dyn Read + Send> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, reader)))
}

/// Every line of `reader` with its 1-based number. A line that is not UTF-8 becomes an `Err` naming
/// the problem; a read error (e.g. a corrupt `.gz`) ends the list with one `Err` entry.
pub fn lines(mut reader: impl BufRead) -> impl Iterator<Item = Line> {
    let mut number = 0usize;
    let mut done = false;
    let mut buf = Vec::new();
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        buf.clear();
        number += 1;
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => None,
            Ok(_) => {
                while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                    buf.pop();
                }
                let bytes = if number == 1 {
                    buf.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&buf)
                } else {
                    &buf[..]
                };
                Some((
                    number,
                    String::from_utf8(bytes.to_vec()).map_err(|e| format!("not valid UTF-8: {e}")),
                ))
            }
            Err(e) => {
                done = true;
                Some((number, Err(format!("read error: {e}"))))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lines_and_flags_bad_utf8() {
        let data: &[u8] = b"\xEF\xBB\xBFone\r\n\xFF\xFE\nthree";
        let got: Vec<Line> = lines(data).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], (1, Ok("one".to_string())));
        assert!(got[1].1.as_ref().is_err_and(|e| e.contains("UTF-8")));
        assert_eq!(got[2], (3, Ok("three".to_string())));
    }
}
