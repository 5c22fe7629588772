//! Writing a file so that a reader sees its old content or its new content, never a mix, and
//! so that what was written survives a crash: every file mbc writes goes through [`write()`].

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Writes `path` with what `fill` writes.
///
/// A new path or a regular file is replaced atomically: the content goes to a temporary file
/// in the same directory, is flushed to disk, and is renamed over the target, whose directory is
/// then flushed too. An existing file keeps its permissions. A symbolic link is followed, so
/// its target is written and the link stays. Anything else that can be written (a device such
/// as `/dev/null`, a FIFO) is written in place, since replacing it would destroy it. Errors name
/// the file.
pub fn write(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let target = resolve_links(path)?;
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(Error::io(
            &target,
            io::Error::new(io::ErrorKind::IsADirectory, "is a directory"),
        )),
        Ok(meta) if !meta.is_file() => write_in_place(&target, fill),
        Ok(meta) => replace(&target, Some(meta.permissions()), fill),
        Err(err) if err.kind() == io::ErrorKind::NotFound => replace(&target, None, fill),
        Err(err) => Err(Error::io(&target, err)),
    }
}

/// The file a path finally names, following symbolic links (a link to a path that does not
/// exist yet names that path).
fn resolve_links(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    // As many hops as Linux allows before ELOOP.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current).map_err(|e| Error::io(&current, e))?;
                current = match current.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(Error::io(
        path,
        io::Error::other("too many levels of symbolic links"),
    ))
}

fn write_in_place(
    target: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let file = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(target)
        .map_err(|e| Error::io(target, e))?;
    let mut out = BufWriter::new(file);
    fill(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(target, e))
}

fn replace(
    target: &Path,
    permissions: Option<fs::Permissions>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = temp_file_in(dir).map_err(|e| Error::io(target, directory_problem(dir, e)))?;
    let written = (|| {
        let mut out = BufWriter::new(temp.as_file_mut());
        fill(&mut out)?;
        out.flush()?;
        drop(out);
        if let Some(permissions) = permissions {
            temp.as_file().set_permissions(permissions)?;
        }
        temp.as_file().sync_all()
    })();
    written.map_err(|e| Error::io(target, e))?;
    temp.persist(target)
        .map_err(|e| Error::io(target, e.error))?;
    sync_directory(dir);
    Ok(())
}

/// A temporary file whose permissions are what a newly created file would get (0666 less the
/// umask), not tempfile's private 0600, since it becomes the user's file.
fn temp_file_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mbc-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Why no file can be made in `dir`, said of the directory: tempfile's own message names the
/// temporary file, which the person never asked for ("… at path nodir/.mbc-XZu5gD.tmp").
fn directory_problem(dir: &Path, err: io::Error) -> io::Error {
    let dir = dir.display();
    let reason = match err.kind() {
        io::ErrorKind::NotFound => format!("the directory {dir} does not exist"),
        io::ErrorKind::PermissionDenied => format!("no permission to write in {dir}"),
        io::ErrorKind::NotADirectory => format!("{dir} is not a directory"),
        kind => format!("cannot create a file in {dir}: {kind}"),
    };
    io::Error::new(err.kind(), reason)
}

/// Makes a rename in `dir` durable. Best effort: not every file system can sync a directory.
fn sync_directory(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_text(path: &Path, text: &str) -> Result<()> {
        write(path, |out| out.write_all(text.as_bytes()))
    }

    #[test]
    fn a_missing_directory_is_named_not_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nodir").join("out.json");
        let message = format!(
            "{:#}",
            anyhow::Error::from(write_text(&path, "x").unwrap_err())
        );
        assert!(message.contains("nodir does not exist"), "{message}");
        assert!(!message.contains(".mbc-"), "{message}");
    }

    #[test]
    fn a_new_file_gets_the_content_and_no_temporary_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_text(&path, "new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_text(&path, "new").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_text(&link, "new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place_not_replaced() {
        write_text(Path::new("/dev/null"), "anything").unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
    }

    #[test]
    fn a_directory_is_refused_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_text(dir.path(), "x").unwrap_err();
        assert!(err.to_string().contains(&dir.path().display().to_string()));
    }
}
