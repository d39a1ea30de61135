//! Plain text: one post per line, no id (the line number is used) and no account.

use super::{ErrorKind, Post};

/// Turn one non-empty line into a post.
pub(crate) fn parse(line: &[u8]) -> Result<Post<'_>, (ErrorKind, String)> {
    let s = super::record_text(line)?;
    Ok(Post {
        id: None,
        account: None,
        time: None,
        text: s.into(),
    })
}
