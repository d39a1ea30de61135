//! Which input fields hold a post's text, id, account and time.

use serde_json::Value;

/// Candidate field names for each role; the first one present in a record wins.
///
/// A name may be a dotted path into nested JSON objects (`user.id`; a number selects an array
/// element, `authors.0`). A key that itself contains a dot is matched literally first. For CSV/TSV
/// a name is a column name (exact match first, then ignoring ASCII case).
///
/// ```
/// use coinsieve::scan::FieldMap;
/// let mut fields = FieldMap::default();
/// fields.account = vec!["user.id".into()];
/// assert_eq!(fields.text, ["text", "content", "body", "message"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    /// The post text (required): default `text`, `content`, `body`, `message`.
    pub text: Vec<String>,
    /// The post id: default `id`, `post_id`, `mid`. Without one, the line number is the id.
    pub id: Vec<String>,
    /// The account: default `account`, `user`, `user_id`, `uid`, `author`.
    pub account: Vec<String>,
    /// The post time: default `time`, `created_at`, `timestamp`.
    pub time: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            text: names(&["text", "content", "body", "message"]),
            id: names(&["id", "post_id", "mid"]),
            account: names(&["account", "user", "user_id", "uid", "author"]),
            time: names(&["time", "created_at", "timestamp"]),
        }
    }
}

/// Look up a field by name or dotted path.
pub(crate) fn lookup<'v>(obj: &'v Value, path: &str) -> Option<&'v Value> {
    if let Some(v) = obj.get(path) {
        return Some(v);
    }
    if !path.contains('.') {
        return None;
    }
    let mut cur = obj;
    for seg in path.split('.') {
        cur = match cur {
            Value::Object(m) => m.get(seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The first candidate that holds a string or number, as a string. Empty strings count as absent.
pub(crate) fn scalar(obj: &Value, candidates: &[String]) -> Option<String> {
    candidates.iter().find_map(|c| match lookup(obj, c)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Resolve CSV header columns for each role.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub text: usize,
    pub id: Option<usize>,
    pub account: Option<usize>,
    pub time: Option<usize>,
}

pub(crate) fn find_column(header: &[String], candidates: &[String]) -> Option<usize> {
    candidates
        .iter()
        .find_map(|c| header.iter().position(|h| h == c))
        .or_else(|| {
            candidates
                .iter()
                .find_map(|c| header.iter().position(|h| h.eq_ignore_ascii_case(c)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_paths() {
        let v = json!({"user": {"id": 7, "name": "a"}, "a.b": "lit", "tags": ["x", "y"]});
        assert_eq!(lookup(&v, "user.id"), Some(&json!(7)));
        assert_eq!(lookup(&v, "a.b"), Some(&json!("lit")));
        assert_eq!(lookup(&v, "tags.1"), Some(&json!("y")));
        assert_eq!(lookup(&v, "user.nope"), None);
        assert_eq!(scalar(&v, &names(&["user", "user.id"])), Some("7".into()));
    }

    #[test]
    fn columns_prefer_exact_then_case_insensitive() {
        let header = names(&["ID", "Content", "text"]);
        assert_eq!(find_column(&header, &names(&["body", "text"])), Some(2));
        assert_eq!(find_column(&header, &names(&["content"])), Some(1));
        assert_eq!(find_column(&header, &names(&["id"])), Some(0));
    }
}
