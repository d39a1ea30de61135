//! Input formats and their detection from the file name and the first line.

use super::fields::FieldMap;

/// The layout of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row (RFC 4180 quoting; quoted fields may span lines).
    Csv,
    /// Tab-separated values with a header row; no quoting (IANA TSV): a field cannot contain a tab
    /// or a newline.
    Tsv,
    /// Plain text, one post per line; the id is the line number, there is no account.
    Text,
}

impl Format {
    /// The lowercase name (`jsonl`, `csv`, `tsv`, `text`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Text => "text",
        }
    }

    /// The format implied by a file name's extension, ignoring `.gz` / `.zst`.
    ///
    /// ```
    /// use coinsieve::scan::Format;
    /// assert_eq!(Format::from_name("posts.jsonl.gz"), Some(Format::Jsonl));
    /// assert_eq!(Format::from_name("dump.TSV"), Some(Format::Tsv));
    /// assert_eq!(Format::from_name("-"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let mut stem = lower.as_str();
        for ext in [".gz", ".gzip", ".zst", ".zstd"] {
            if let Some(s) = stem.strip_suffix(ext) {
                stem = s;
                break;
            }
        }
        let ext = stem.rsplit_once('.')?.1;
        match ext {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    /// Guess the format from the first bytes of the (decompressed) input: a line starting with
    /// `{` is JSONL; a header line with a known text column, split by tabs or commas, is TSV or
    /// CSV; anything else is plain text.
    pub fn sniff(head: &[u8], fields: &FieldMap) -> Format {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let first = head
            .split(|&b| b == b'\n')
            .map(|l| l.trim_ascii())
            .find(|l| !l.is_empty())
            .unwrap_or(b"");
        if first.starts_with(b"{") {
            return Format::Jsonl;
        }
        let first = String::from_utf8_lossy(first);
        let has_text_column = |sep: char| {
            let cells: Vec<String> = first
                .split(sep)
                .map(|c| c.trim().trim_matches('"').to_string())
                .collect();
            cells.len() > 1 && super::fields::find_column(&cells, &fields.text).is_some()
        };
        if first.contains('\t') && has_text_column('\t') {
            Format::Tsv
        } else if first.contains(',') && has_text_column(',') {
            Format::Csv
        } else {
            Format::Text
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            "text" | "txt" => Ok(Format::Text),
            other => Err(format!(
                "unknown format {other:?} (expected jsonl, csv, tsv or text)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_content() {
        let f = FieldMap::default();
        assert_eq!(Format::sniff(b"\n{\"text\":1}\n", &f), Format::Jsonl);
        assert_eq!(Format::sniff(b"id,\"text\",user\n1,a,b", &f), Format::Csv);
        assert_eq!(Format::sniff(b"id\tcontent\n1\tx", &f), Format::Tsv);
        assert_eq!(Format::sniff(b"hello, world\nbye", &f), Format::Text);
        assert_eq!(Format::sniff(b"", &f), Format::Text);
    }
}
