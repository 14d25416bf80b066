//! A run's workspace: checks the paths a model chose and writes the files that pass.
//!
//! Generated paths are hostile. [`check_tree`] decides, before anything touches the disk,
//! which files may be written, and gives every refusal with the literal path from the reply
//! and the reason, for the run page. [`write_tree`] then writes the accepted files without
//! ever leaving the workspace root, even if the root already holds symbolic links.
//!
//! Path policy, the same for every model:
//!
//! - `\` counts as a separator, `.` segments are dropped and `..` is resolved against the
//!   segments before it, purely lexically (the disk is never asked). A path that climbs above
//!   the root is rejected; one that stays inside, such as `app/../page.js`, is kept under its
//!   normalised name (`page.js`), so a model's harmless detour costs it nothing.
//! - Rejected outright: empty paths, absolute paths (`/x`, `\x`, `C:\x`, `C:x`, UNC
//!   `\\server\share`), NUL and other control characters, invisible format characters
//!   (bidirectional overrides, zero-width spaces), characters Windows forbids in
//!   names (`<>:"|?*`), empty segments (`a//b`, a trailing `/`), segments with leading or
//!   trailing spaces or a trailing dot, Windows device names (`CON`, `NUL`, `COM1`, `LPT1`,
//!   ... with any extension), over-long paths and segments, and anything under
//!   `node_modules/` or `.git/`, which belong to the install step and to nobody.
//! - Package-manager settings (`.npmrc`, `.yarnrc`, `.yarnrc.yml`, `bunfig.toml`) are dropped
//!   wherever they are: package sources are set by the arena, and a reply must not point the
//!   install at another registry.
//! - Two entries with the same normalised path: the last one wins, as in the reply extractor.
//!   Two that differ only in letter case, or a file that is also used as a directory, are one
//!   path on macOS and Windows: the later entry is rejected.
//! - Sizes: files over the per-file limit are rejected; past the file-count or total-bytes
//!   limit, every further file is rejected, in reply order.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tracing::debug;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory as _};

/// Longest accepted normalised path, in bytes. Deep Next.js routes stay far below this, and it
/// leaves room for the workspace's own prefix under filesystem and Windows path limits.
pub const MAX_PATH_BYTES: usize = 240;

/// Longest accepted single file or directory name, in bytes.
pub const MAX_SEGMENT_BYTES: usize = 128;

/// Files that decide where packages come from; a reply does not get to choose.
const PACKAGE_SOURCE_FILES: [&str; 4] = [".npmrc", ".yarnrc", ".yarnrc.yml", "bunfig.toml"];

/// Directories that belong to tools, never to the generated project.
const TOOL_DIRS: [&str; 2] = ["node_modules", ".git"];

/// How much one run's project may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeLimits {
    pub max_files: usize,
    pub max_file_bytes: u64,
    pub max_total_bytes: u64,
}

impl Default for TreeLimits {
    /// 500 files, 1 MiB per file, 10 MiB in all: far above a generated site, far below harm.
    fn default() -> Self {
        TreeLimits {
            max_files: 500,
            max_file_bytes: 1 << 20,
            max_total_bytes: 10 << 20,
        }
    }
}

/// A path refused, as the reply wrote it, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rejected path {path:?}: {reason}")]
pub struct Rejection {
    /// the literal path from the reply
    pub path: String,
    pub reason: String,
}

impl Rejection {
    fn new(path: &str, reason: impl Into<String>) -> Self {
        Rejection {
            path: path.to_string(),
            reason: reason.into(),
        }
    }
}

/// The outcome of [`check_tree`]: what may be written, and what was refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedTree {
    /// Accepted files, in reply order.
    pub files: Vec<(SafePath, String)>,
    /// Refused entries, in reply order.
    pub rejections: Vec<Rejection>,
}

/// A normalised path relative to a workspace root: `/` separators, no `.` or `..`, no empty,
/// absolute, reserved or tool-owned segments. Only [`SafePath::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SafePath(String);

impl SafePath {
    /// Checks and normalises one path from a reply. The error names the literal path and what
    /// is wrong with it. Size limits and package-manager files are [`check_tree`]'s concern.
    pub fn parse(literal: &str) -> Result<SafePath, Rejection> {
        normalise(literal)
            .map(SafePath)
            .map_err(|reason| Rejection::new(literal, reason))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path's segments, directories first.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// The file's name: the last segment.
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// This path under `root`, built segment by segment so it never depends on `/` meaning
    /// the platform's separator.
    pub fn under(&self, root: &Path) -> PathBuf {
        let mut path = root.to_path_buf();
        path.extend(self.segments());
        path
    }
}

impl fmt::Display for SafePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SafePath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn normalise(literal: &str) -> Result<String, String> {
    if literal.is_empty() {
        return Err("the path is empty".into());
    }
    if literal.contains('\0') {
        return Err("contains a NUL byte".into());
    }
    if let Some(c) = literal.chars().find(|c| c.is_control()) {
        return Err(format!("contains the control character U+{:04X}", c as u32));
    }
    // Invisible format characters (bidirectional overrides, zero-width spaces and joiners,
    // the byte-order mark) are harmless to the disk but make a name read as another one
    // in the arena's file list: `app/page.js` could hide `app/page\u{202E}sj.exe`.
    if let Some(c) = literal
        .chars()
        .find(|c| c.general_category() == GeneralCategory::Format)
    {
        return Err(format!(
            "contains the invisible format character U+{:04X}, which can disguise the name",
            c as u32
        ));
    }
    if literal.starts_with("\\\\") || literal.starts_with("//") {
        return Err("is a UNC network path; paths must be relative to the project root".into());
    }
    if literal.starts_with(['/', '\\']) {
        return Err("is absolute; paths must be relative to the project root".into());
    }
    let mut chars = literal.chars();
    if let (Some(drive), Some(':')) = (chars.next(), chars.next())
        && drive.is_ascii_alphabetic()
    {
        return Err(format!(
            "starts with the Windows drive {drive}:; paths must be relative to the project root"
        ));
    }
    if let Some(c) = literal.chars().find(|c| "<>:\"|?*".contains(*c)) {
        return Err(format!(
            "contains {c:?}, which Windows does not allow in file names"
        ));
    }

    let raw: Vec<&str> = literal.split(['/', '\\']).collect();
    let mut segments: Vec<&str> = Vec::with_capacity(raw.len());
    for (index, segment) in raw.iter().enumerate() {
        match *segment {
            "" if index + 1 == raw.len() => {
                return Err("ends with a separator, so it names a directory, not a file".into());
            }
            "" => return Err("has an empty segment (two separators in a row)".into()),
            "." => {}
            ".." => {
                if segments.pop().is_none() {
                    let reason = "climbs above the project root with `..`; after resolving \
                                  `.`, `..` and `\\`, paths must stay inside the workspace";
                    return Err(reason.into());
                }
            }
            name => {
                check_segment(name)?;
                segments.push(name);
            }
        }
    }

    if segments.is_empty() {
        return Err("names the project root itself, not a file".into());
    }
    if let Some(dir) = segments
        .iter()
        .find(|s| TOOL_DIRS.iter().any(|d| s.eq_ignore_ascii_case(d)))
    {
        return Err(format!(
            "is inside {dir}/, which no generated file may write to"
        ));
    }
    let path = segments.join("/");
    if path.len() > MAX_PATH_BYTES {
        return Err(format!(
            "is {} bytes long; the limit is {MAX_PATH_BYTES}",
            path.len()
        ));
    }
    Ok(path)
}

fn check_segment(name: &str) -> Result<(), String> {
    if name.len() > MAX_SEGMENT_BYTES {
        return Err(format!(
            "has a {}-byte name; the limit is {MAX_SEGMENT_BYTES} per file or directory name",
            name.len()
        ));
    }
    if name.trim() != name {
        return Err(format!("{name:?} starts or ends with a space"));
    }
    // Windows drops a trailing dot, so `page.js.` would silently become `page.js`.
    if name.ends_with('.') {
        return Err(format!("{name:?} ends with a dot, which Windows drops"));
    }
    if is_reserved_on_windows(name) {
        return Err(format!(
            "{name:?} is a reserved device name on Windows (CON, PRN, AUX, NUL, COM0-9, \
             LPT0-9, with or without an extension)"
        ));
    }
    Ok(())
}

fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or(name)
        .trim_end()
        .to_ascii_uppercase();
    if matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let Some(number) = stem
        .strip_prefix("COM")
        .or_else(|| stem.strip_prefix("LPT"))
    else {
        return false;
    };
    let mut digits = number.chars();
    matches!(
        (digits.next(), digits.next()),
        (Some('0'..='9' | '¹' | '²' | '³'), None)
    )
}

fn is_package_source(path: &SafePath) -> bool {
    let name = path.file_name();
    PACKAGE_SOURCE_FILES
        .iter()
        .any(|source| name.eq_ignore_ascii_case(source))
}

/// Decides which of a reply's files may be written. Never touches the disk. Entries are
/// `(literal path, contents)` in reply order.
pub fn check_tree(
    files: impl IntoIterator<Item = (String, String)>,
    limits: &TreeLimits,
) -> CheckedTree {
    let mut rejections: Vec<(usize, Rejection)> = Vec::new();

    // Step 1: each path on its own.
    let mut parsed: Vec<(usize, String, SafePath, String)> = Vec::new();
    for (index, (literal, contents)) in files.into_iter().enumerate() {
        match SafePath::parse(&literal) {
            Ok(path) if is_package_source(&path) => rejections.push((
                index,
                Rejection::new(
                    &literal,
                    format!(
                        "package sources are set by the arena; {} from the reply is ignored",
                        path.file_name()
                    ),
                ),
            )),
            Ok(path) => parsed.push((index, literal, path, contents)),
            Err(rejection) => rejections.push((index, rejection)),
        }
    }

    // Step 2: the same path twice. The last one wins, as in the reply extractor.
    let last_index: HashMap<&SafePath, usize> = parsed
        .iter()
        .map(|(index, _, path, _)| (path, *index))
        .collect();
    let mut superseded = HashSet::new();
    for (index, literal, path, _) in &parsed {
        let last = last_index[path];
        if last != *index {
            superseded.insert(*index);
            rejections.push((
                *index,
                Rejection::new(
                    literal,
                    format!("{path} is written again later in the reply"),
                ),
            ));
        }
    }

    // Step 3: sizes and collisions, in reply order, so limits keep the earliest files.
    let mut accepted = Vec::new();
    let mut file_keys: HashMap<String, SafePath> = HashMap::new();
    // Lower-cased directory path to the spelling first used for it.
    let mut dir_keys: HashMap<String, String> = HashMap::new();
    let mut total_bytes = 0u64;

    for (index, literal, path, contents) in parsed {
        if superseded.contains(&index) {
            continue;
        }
        let size = contents.len() as u64;
        let refusal = if size > limits.max_file_bytes {
            Some(format!(
                "is {size} bytes; the limit is {} bytes per file",
                limits.max_file_bytes
            ))
        } else if let Some(reason) = collision(&path, &file_keys, &dir_keys) {
            Some(reason)
        } else if accepted.len() >= limits.max_files {
            Some(format!(
                "is past the limit of {} files per project",
                limits.max_files
            ))
        } else if total_bytes + size > limits.max_total_bytes {
            Some(format!(
                "would bring the project past its limit of {} bytes in all",
                limits.max_total_bytes
            ))
        } else {
            None
        };
        if let Some(reason) = refusal {
            rejections.push((index, Rejection::new(&literal, reason)));
            continue;
        }

        let key = path.as_str().to_lowercase();
        for (at, _) in path.as_str().match_indices('/') {
            let dir = &path.as_str()[..at];
            dir_keys
                .entry(dir.to_lowercase())
                .or_insert_with(|| dir.to_string());
        }
        file_keys.insert(key, path.clone());
        total_bytes += size;
        accepted.push((path, contents));
    }

    rejections.sort_by_key(|(index, _)| *index);
    let rejections: Vec<Rejection> = rejections.into_iter().map(|(_, r)| r).collect();
    for rejection in &rejections {
        debug!(path = %rejection.path, reason = %rejection.reason, "Rejected a generated path.");
    }
    CheckedTree {
        files: accepted,
        rejections,
    }
}

/// Why `path` cannot live next to the files already accepted, compared the way a
/// case-insensitive file system would: what is one entry on macOS and Windows must be one
/// entry everywhere, or the project would differ between machines.
fn collision(
    path: &SafePath,
    file_keys: &HashMap<String, SafePath>,
    dir_keys: &HashMap<String, String>,
) -> Option<String> {
    let key = path.as_str().to_lowercase();
    if let Some(other) = file_keys.get(&key) {
        return Some(format!(
            "differs from {other} only in letter case; they are one file on macOS and Windows"
        ));
    }
    if let Some(dir) = dir_keys.get(&key) {
        return Some(format!(
            "{path} is also a directory ({dir}/) of other files"
        ));
    }
    path.as_str().match_indices('/').find_map(|(at, _)| {
        let dir = &path.as_str()[..at];
        let dir_key = dir.to_lowercase();
        if let Some(file) = file_keys.get(&dir_key) {
            return Some(format!(
                "needs {dir} to be a directory, but {file} is a file"
            ));
        }
        dir_keys
            .get(&dir_key)
            .filter(|spelled| *spelled != dir)
            .map(|spelled| {
                format!(
                    "its directory {dir} differs from {spelled} only in letter case; they are one \
                 directory on macOS and Windows"
                )
            })
    })
}

/// Why [`write_tree`] stopped. Each variant names the file being written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("workspace root {} is not a directory", root.display())]
    RootNotADirectory { root: PathBuf },
    #[error(
        "refusing to write {path}: {} is a symbolic link, and the workspace never follows one",
        link.display()
    )]
    Symlink { path: SafePath, link: PathBuf },
    #[error("cannot write {path}: {} exists and is not a directory", blocker.display())]
    NotADirectory { path: SafePath, blocker: PathBuf },
    #[error("refusing to write {path}: the file already exists in the workspace")]
    AlreadyExists { path: SafePath },
    #[error("could not write {path} at {}: {source}", at.display())]
    Io {
        path: SafePath,
        at: PathBuf,
        source: io::Error,
    },
}

/// Writes checked files under `root`, which must exist. Parent directories are created one
/// component at a time and each is checked to be a real directory, never a symbolic link;
/// files are created new, so an existing file or link is never written through. Stops at the
/// first error; the caller throws the workspace away.
///
/// Symbolic links are looked for as the tree is written, which is enough because nothing else
/// writes into the workspace meanwhile: its container only starts after this returns.
pub fn write_tree(root: &Path, files: &[(SafePath, String)]) -> Result<(), WriteError> {
    if !fs::metadata(root).is_ok_and(|meta| meta.is_dir()) {
        return Err(WriteError::RootNotADirectory {
            root: root.to_path_buf(),
        });
    }

    for (path, contents) in files {
        let segments: Vec<&str> = path.segments().collect();
        let (file_name, dirs) = segments.split_last().expect("a SafePath has a file name");

        let mut dir = root.to_path_buf();
        for segment in dirs {
            dir.push(segment);
            ensure_dir(path, &dir)?;
        }
        write_new(path, &dir.join(file_name), contents)?;
    }

    debug!(root = %root.display(), files = files.len(), "Wrote the generated files.");
    Ok(())
}

/// Makes `dir` a real directory, refusing to pass through a link or a file.
fn ensure_dir(path: &SafePath, dir: &Path) -> Result<(), WriteError> {
    let io_error = |source| WriteError::Io {
        path: path.clone(),
        at: dir.to_path_buf(),
        source,
    };
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Symlink {
            path: path.clone(),
            link: dir.to_path_buf(),
        }),
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(WriteError::NotADirectory {
            path: path.clone(),
            blocker: dir.to_path_buf(),
        }),
        // `create_dir`, not `create_dir_all`: the latter would follow a link planted between
        // the check above and its own walk.
        Err(err) if err.kind() == io::ErrorKind::NotFound => fs::create_dir(dir).map_err(io_error),
        Err(err) => Err(io_error(err)),
    }
}

fn write_new(path: &SafePath, target: &Path, contents: &str) -> Result<(), WriteError> {
    let mut options = fs::OpenOptions::new();
    // `create_new` is O_CREAT|O_EXCL: it fails on any existing entry, a link included, dangling
    // or not, instead of writing through it.
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);

    let io_error = |source| WriteError::Io {
        path: path.clone(),
        at: target.to_path_buf(),
        source,
    };
    let mut file = match options.open(target) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
            let is_link = fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
            return Err(if is_link {
                WriteError::Symlink {
                    path: path.clone(),
                    link: target.to_path_buf(),
                }
            } else {
                WriteError::AlreadyExists { path: path.clone() }
            });
        }
        Err(err) => return Err(io_error(err)),
    };
    file.write_all(contents.as_bytes()).map_err(io_error)
}
