//! `send --save DIR`: each exchange's exact bytes, one file per direction,
//! `001-sent.http` and `001-received.http` (interim 1xx responses included), each
//! written whole through a temporary file renamed into place.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::model::Direction;

/// Where the exchanges go.
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

    /// The file for exchange `number`'s bytes in `direction`.
    pub fn path(&self, number: usize, direction: Direction) -> PathBuf {
        self.dir
            .join(format!("{number:03}-{}.http", direction.as_str()))
    }

    /// Write `bytes` as the file for `number` and `direction`, replacing an older one
    /// (from an earlier run) whole; a symlink there is replaced, never followed.
    pub fn write(&self, number: usize, direction: Direction, bytes: &[u8]) -> io::Result<PathBuf> {
        let path = self.path(number, direction);
        let temp = self.dir.join(format!(
            ".{number:03}-{}.{}.tmp",
            direction.as_str(),
            std::process::id()
        ));
        let written = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut file| file.write_all(bytes))
            .and_then(|()| std::fs::rename(&temp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        Ok(path)
    }
}
