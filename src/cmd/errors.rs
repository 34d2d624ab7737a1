//! Errors as a user reads them on standard error: I/O failures worded in the chosen
//! language (the operating system's text is English only, and says `os error 2`), and a
//! whole error chain with each I/O cause replaced by its wording.

use std::io;

use crate::explain::{Label, Lang, Text};

/// What went wrong with a file, a socket or a stream, in `lang`. Kinds without a wording
/// here keep the operating system's text, which is still true.
pub(crate) fn io_text(err: &io::Error, lang: Lang) -> String {
    use io::ErrorKind as K;
    if let Some(capture) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<crate::model::CaptureError>())
    {
        return crate::explain::capture_error_text(capture, lang);
    }
    // An error made with its own message (by us or a library) says more than its kind.
    if err.get_ref().is_some() {
        return err.to_string();
    }
    let (en, zh) = match err.kind() {
        K::NotFound => ("no such file or directory", "没有这个文件或目录"),
        K::PermissionDenied => ("permission denied", "没有权限"),
        K::IsADirectory => ("is a directory, not a file", "是目录,不是文件"),
        K::NotADirectory => (
            "a part of the path is not a directory",
            "路径中有一部分不是目录",
        ),
        K::AlreadyExists => ("already exists", "已经存在"),
        K::AddrInUse => (
            "the address is already in use (is another server on this port? try another port, or 0 for any free one)",
            "地址已被占用(这个端口上已有别的服务器?换一个端口,或用 0 让系统挑一个空闲端口)",
        ),
        K::AddrNotAvailable => (
            "this address is not one of this machine's (try 127.0.0.1 or 0.0.0.0)",
            "这个地址不属于本机(试试 127.0.0.1 或 0.0.0.0)",
        ),
        K::StorageFull => ("no space left on the device", "设备上没有剩余空间"),
        K::ReadOnlyFilesystem => ("the file system is read-only", "文件系统是只读的"),
        K::InvalidData => ("the data is not valid (not UTF-8?)", "数据无效(不是 UTF-8?)"),
        K::ConnectionRefused => ("connection refused", "连接被拒绝"),
        K::TimedOut => ("timed out", "超时"),
        _ => return err.to_string(),
    };
    Text { en, zh }.get(lang).to_string()
}

/// Every cause of `err`, outermost first, joined as `anyhow`'s `{:#}` joins them, with
/// I/O errors worded by [`io_text`].
pub fn chain_text(err: &anyhow::Error, lang: Lang) -> String {
    let colon = Label::Colon.text(lang);
    err.chain()
        .map(|cause| match cause.downcast_ref::<io::Error>() {
            Some(io) => io_text(io, lang),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(colon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_joined_and_io_errors_worded() {
        let err = anyhow::Error::new(io::Error::from(io::ErrorKind::NotFound)).context("a.http");
        assert_eq!(
            chain_text(&err, Lang::En),
            "a.http: no such file or directory"
        );
        assert_eq!(chain_text(&err, Lang::Zh), "a.http:没有这个文件或目录");
    }
}
