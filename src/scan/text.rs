//! Plain text: one post per line, no id (the line number is used) and no account.

use super::{ErrorKind, Post};

/// Turn one non-empty line into a post.
pub(crate) fn parse(line: &[u8]) -> Result<Post<'_>, (ErrorKind, String)> {
    match super::utf8(line) {
        Ok(s) => Ok(Post {
            id: None,
            account: None,
            time: None,
            text: s.into(),
        }),
        Err(e) => Err((
            ErrorKind::InvalidUtf8,
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        )),
    }
}
