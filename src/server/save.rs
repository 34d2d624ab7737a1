//! `--save DIR`: each request's exact bytes in a file of its own, written whole (a temp
//! file renamed into place) before the reply goes out, so a client that was answered can
//! count on its request being on disk. With `--save-sync` the file and the directory
//! are also flushed to the disk first, so the request survives a power cut too.

use std::collections::hash_map::RandomState;
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where saved requests go.
#[derive(Clone, Debug)]
pub struct SaveDir {
    dir: PathBuf,
    /// fsync each file and the directory before the reply (`--save-sync`).
    sync: bool,
}

impl SaveDir {
    /// Create the directory if needed and prove that files can be made in it, so a
    /// directory that cannot take them fails at start-up, not as a 500 on every request.
    pub fn open(dir: &Path, sync: bool) -> io::Result<SaveDir> {
        std::fs::create_dir_all(dir)?;
        let save = SaveDir {
            dir: dir.to_path_buf(),
            sync,
        };
        let probe = save.dir.join(temp_name(".probe"));
        let made = create_new(&probe).and_then(|mut f| {
            f.write_all(b"probe")?;
            if sync {
                f.sync_all()?;
            }
            Ok(())
        });
        let _ = std::fs::remove_file(&probe);
        made.map_err(|e| io::Error::new(e.kind(), format!("cannot write files here: {e}")))?;
        Ok(save)
    }

    /// The file for request `seq` (server-wide), request `nth` on connection `conn`.
    /// Names sort in arrival order; a request that could not be read is marked `bad`.
    pub fn path(&self, seq: u64, conn: u64, nth: u64, bad: bool) -> PathBuf {
        let mark = if bad { "-bad" } else { "" };
        self.dir
            .join(format!("{seq:06}-conn{conn}-req{nth}{mark}.http"))
    }

    /// Write `bytes` to `path` whole: readers see the old state or the new file, never
    /// half of it, and a failed write leaves no temp file behind.
    pub async fn write(&self, path: PathBuf, bytes: Vec<u8>) -> io::Result<()> {
        let (dir, sync) = (self.dir.clone(), self.sync);
        tokio::task::spawn_blocking(move || write_whole(&dir, &path, &bytes, sync))
            .await
            .unwrap_or_else(|e| Err(io::Error::other(e)))
    }
}

fn write_whole(dir: &Path, path: &Path, bytes: &[u8], sync: bool) -> io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(temp_name(&format!(".{name}")));
    let written = create_new(&temp).and_then(|mut file| {
        file.write_all(bytes)?;
        if sync {
            file.sync_all()?;
        }
        // rename replaces a symlink planted at `path` itself; it never follows it.
        std::fs::rename(&temp, path)
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    if sync {
        // The rename is only durable once the directory entry is.
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// A new file that did not exist: O_CREAT|O_EXCL fails on anything already at `path`,
/// a symlink included, so a link planted in DIR is never followed.
fn create_new(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// `{stem}.{random}.tmp`: a name nobody else in DIR can guess ahead of time (64 bits
/// from the process's randomly keyed hasher over pid, a counter and the clock).
fn temp_name(stem: &str) -> String {
    static KEYS: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = KEYS.get_or_init(RandomState::new).build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    format!("{stem}.{:016x}.tmp", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_differ_each_time() {
        let a = temp_name(".x");
        let b = temp_name(".x");
        assert_ne!(a, b);
        assert!(a.starts_with(".x.") && a.ends_with(".tmp"), "{a}");
    }
}
