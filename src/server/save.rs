//! `--save DIR`: each request's exact bytes in a file of its own, written whole (a temp
//! file renamed into place) before the reply goes out, so a client that was answered can
//! count on its request being on disk.

use std::io;
use std::path::{Path, PathBuf};

/// Where saved requests go.
#[derive(Clone, Debug)]
pub struct SaveDir {
    dir: PathBuf,
}

impl SaveDir {
    /// Create the directory if needed.
    pub fn open(dir: &Path) -> io::Result<SaveDir> {
        std::fs::create_dir_all(dir)?;
        Ok(SaveDir {
            dir: dir.to_path_buf(),
        })
    }

    /// The file for request `seq` (server-wide), request `nth` on connection `conn`.
    /// Names sort in arrival order; a request that could not be read is marked `bad`.
    pub fn path(&self, seq: u64, conn: u64, nth: u64, bad: bool) -> PathBuf {
        let mark = if bad { "-bad" } else { "" };
        self.dir
            .join(format!("{seq:06}-conn{conn}-req{nth}{mark}.http"))
    }

    /// Write `bytes` to `path` whole: readers see the old state or the new file, never
    /// half of it.
    pub async fn write(&self, path: PathBuf, bytes: &[u8]) -> io::Result<()> {
        let name = path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(&name);
        temp_name.push(".tmp");
        let temp = self.dir.join(temp_name);
        tokio::fs::write(&temp, bytes).await?;
        tokio::fs::rename(&temp, &path).await
    }
}
