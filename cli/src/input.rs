//! Every file the command reads (`--params-json`, `parse`'s answer, the credentials chain's
//! config.json, credentials ini and OIDC token file) and standard input: bounded, and only
//! regular files — a FIFO, a device such as /dev/zero or a directory is refused before it is
//! opened, so a read can neither hang nor grow without end.

use std::io::Read;

/// The most read from a file or standard input unless the caller says otherwise: core's
/// bound for the files a host reads for it (4 MiB).
pub const MAX_INPUT_BYTES: usize = camskit::provider::MAX_FILE_BYTES as usize;

/// Why a read failed.
pub enum ReadError {
    /// The file does not exist or cannot be opened or read (the message names it).
    Unreadable(String),
    /// Not a regular file, or larger than the limit (the message names it).
    Refused(String),
}

/// Reads `source` (a path, or `-` for standard input), refusing what is not a regular file and
/// more than `limit` bytes; `what` names the input in messages (`--params-json`).
pub fn read_bounded(source: &str, limit: usize, what: &str) -> Result<Vec<u8>, ReadError> {
    if source == "-" {
        return read_limited(std::io::stdin(), source, limit, what);
    }
    let not_regular = |kind: &str| {
        ReadError::Refused(format!(
            "{what} {source}: not a regular file ({kind}); refused without reading"
        ))
    };
    // Looked at before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(source).map_err(|e| open_error(source, &e))?;
    if !meta.is_file() {
        return Err(not_regular(file_kind(&meta)));
    }
    if meta.len() > limit as u64 {
        return Err(too_large(source, limit, what));
    }
    let file = std::fs::File::open(source).map_err(|e| open_error(source, &e))?;
    // The path may have been replaced in between: the open file itself must be regular too.
    let meta = file
        .metadata()
        .map_err(|e| ReadError::Unreadable(format!("{source}: {e}")))?;
    if !meta.is_file() {
        return Err(not_regular(file_kind(&meta)));
    }
    read_limited(file, source, limit, what)
}

fn read_limited(
    reader: impl Read,
    source: &str,
    limit: usize,
    what: &str,
) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| ReadError::Unreadable(format!("reading {source}: {e}")))?;
    if body.len() > limit {
        return Err(too_large(source, limit, what));
    }
    Ok(body)
}

fn too_large(source: &str, limit: usize, what: &str) -> ReadError {
    ReadError::Refused(format!("{what} {source}: more than {limit} bytes"))
}

fn open_error(source: &str, e: &std::io::Error) -> ReadError {
    ReadError::Unreadable(format!("{source}: {e}"))
}

/// What a file that is not regular is, in words.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let ty = meta.file_type();
    if ty.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ty.is_fifo() {
            return "a FIFO";
        }
        if ty.is_char_device() {
            return "a character device";
        }
        if ty.is_block_device() {
            return "a block device";
        }
        if ty.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}
