//! Reply extraction: turns a contestant's reply text into the files it meant to write.
//!
//! Models label files in many ways, and a parser that knows only one of them silently drops
//! the rest. This module accepts, in this order of precedence:
//!
//! 1. A reply that is one JSON value listing files: `[{"path", "content"}]`,
//!    `{"files": [...]}`, `{"files": {"path": "content"}}` or a single `{"path", "content"}`
//!    object (`file`, `filename`, `filePath` and `code`, `contents` are accepted too).
//! 2. Tags anywhere in the reply: `<file path="...">...</file>` and bolt-style
//!    `<boltAction type="file" filePath="...">...</boltAction>` (also `<action>`), whether or
//!    not they sit inside a code fence.
//! 3. Fenced code blocks (```` ``` ```` or `~~~`, three or more), named by, in order:
//!    - the info string: `tsx path=app/page.tsx`, `jsx title="app/page.js"`, `file=`,
//!      `filename=`, `tsx:app/page.tsx`, or a path as the info string itself;
//!    - a label line just above the fence (one blank line allowed): `**path**`, `### path`,
//!      `path:`, `File: path`, `` `path` ``, or a sentence ending in `:` that quotes exactly
//!      one path in backticks ("Replace your `app/page.tsx` with this:");
//!    - a first line inside the fence that is a comment holding only a path: `// path`,
//!      `/* path */`, `# path`, `-- path`, `<!-- path -->`, `{/* path */}`.
//! 4. An unlabelled ```` ```json ```` block, or a JSON value starting a line, that lists files
//!    as in 1.
//!
//! Policies, applied the same way to every model:
//!
//! - Line endings are normalised to `\n`, and a body never keeps the newline that precedes its
//!   closing fence or tag: the body is exactly the lines between the fences, joined by `\n`.
//!   JSON contents lose one trailing `\n` too, so one file reads the same in every format.
//! - A first-line path comment is the file's name tag, not part of the file: it is always
//!   removed (a `// package.json` line would break the JSON it sits in). When a label outside
//!   the fence names a different path, the outside label wins and a warning says so.
//! - Something is a path only if it looks like one: no spaces, and a file extension or a known
//!   extensionless name (`Dockerfile`, `.npmrc`, ...). `bash`, `json`, `jsx` or `dockerfile`
//!   in an info string are language tags and never become files; framework names such as
//!   `Next.js` are topics; prose never becomes a file, and a block nobody named is skipped
//!   (with a warning unless it is a shell or text snippet). A shell block's first-line
//!   comment names it only if it names a shell script or a dotfile.
//! - Markdown blocks may hold fences of their own: inside a `markdown`/`md`/`mdx` block, or one
//!   named `*.md`, a fence with an info string opens a nested block and the next bare fence
//!   closes it. If a stray bare fence after the block shows that it ended too early, the body
//!   runs to the last bare fence before the next file or the end of the reply; if that is
//!   ambiguous, a warning names the file.
//! - A ```` ``` ```` block still open when the next file clearly starts (a fence with a path
//!   in its info string, or a label line right above a fence with a language) is ended there,
//!   with a warning; longer fences are meant to nest and are never cut this way.
//! - A block still open at the end of the reply is a truncated file: `complete` is false and
//!   [`Extraction::incomplete`] returns it.
//! - A path written twice: the last one in the reply wins, whatever the formats, with a
//!   warning. Files come out in the order the reply has them.
//!
//! Paths are returned as written in the reply; containment and naming rules are checked by
//! [`crate::workspace::check_tree`], which needs the literal path to report it.

use serde_json::Value;
use tracing::debug;

/// One file found in the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedFile {
    /// The path exactly as the reply wrote it (not yet checked or normalised).
    pub path: String,
    pub contents: String,
    /// false when the reply ended inside this file's block
    pub complete: bool,
    /// how the file was labelled, e.g. "fence info string", "bold line", for the parse report
    pub label: &'static str,
}

/// Everything found in one reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    /// In the order of the reply; a duplicated path sits where its last occurrence is.
    pub files: Vec<ExtractedFile>,
    /// Things the parse report should show: skipped blocks, duplicates, guesses made.
    pub warnings: Vec<String>,
}

impl Extraction {
    /// The first file the reply broke off in, if any: a sign that the model hit its output cap.
    pub fn incomplete(&self) -> Option<&ExtractedFile> {
        self.files.iter().find(|file| !file.complete)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// message must quote the first ~200 chars of the reply
    #[error(
        "no files found in the reply: expected code blocks labelled with a file path, \
         <file path=\"...\"> tags or a JSON list of {{\"path\", \"content\"}} objects; \
         the reply starts with {reply_start:?}"
    )]
    NoFiles { reply_start: String },
}

/// How much of the reply [`ExtractError::NoFiles`] quotes.
const REPLY_START_CHARS: usize = 200;

const FENCE_INFO: &str = "fence info string";
const BOLD_LINE: &str = "bold line";
const HEADING: &str = "heading";
const COLON_LINE: &str = "`path:` line";
const FILE_PREFIX: &str = "`File:` line";
const BACKTICKED: &str = "backticked line";
const PLAIN_LINE: &str = "path line";
const PROSE_LINE: &str = "path quoted in the sentence above";
const FIRST_LINE_COMMENT: &str = "first-line comment";
const FILE_TAG: &str = "<file> tag";
const BOLT_TAG: &str = "<boltAction> tag";
const ACTION_TAG: &str = "<action> tag";
const JSON_LIST: &str = "JSON file list";

/// Turns a reply into files. Fails only when the reply names no file at all.
pub fn extract(reply: &str) -> Result<Extraction, ExtractError> {
    let text = reply
        .strip_prefix('\u{feff}')
        .unwrap_or(reply)
        .replace("\r\n", "\n");
    let mut found = Collector::default();

    if !whole_reply_json(&text, &mut found) {
        let rest = extract_tags(&text, &mut found);
        let lines: Vec<&str> = rest.split('\n').collect();
        extract_fences(&lines, &mut found);
        if found.files.is_empty() {
            embedded_json(&lines, &mut found);
        }
    }

    if found.files.is_empty() {
        return Err(ExtractError::NoFiles {
            reply_start: reply.chars().take(REPLY_START_CHARS).collect(),
        });
    }

    let extraction = Extraction {
        files: found.in_reply_order(),
        warnings: found.warnings,
    };
    debug!(
        files = extraction.files.len(),
        incomplete = extraction.incomplete().map(|file| file.path.as_str()),
        warnings = extraction.warnings.len(),
        "Extracted files from the reply."
    );
    Ok(extraction)
}

struct Collector {
    files: Vec<ExtractedFile>,
    /// The reply line each file of `files` starts on. Tags are read before fenced blocks,
    /// so files arrive out of reply order; lines put them back in it, and decide which of
    /// two versions of a path is the last one.
    file_lines: Vec<usize>,
    /// The reply line of the file about to be added; set by each format's reader.
    line: usize,
    warnings: Vec<String>,
    /// Where each path sits in `files`, so a reply of many files stays linear.
    index: std::collections::HashMap<String, usize>,
    /// Lines the markdown look-ahead may still read: it double-checks nested fences, and
    /// a reply of thousands of markdown blocks must not make that quadratic.
    tail_budget: usize,
}

impl Default for Collector {
    fn default() -> Self {
        Self {
            files: Vec::new(),
            file_lines: Vec::new(),
            line: 0,
            warnings: Vec::new(),
            index: std::collections::HashMap::new(),
            tail_budget: 20 * MAX_TAIL_LINES,
        }
    }
}

impl Collector {
    fn add(&mut self, path: &str, contents: &str, complete: bool, label: &'static str) {
        let line = self.line;
        if let Some(&earlier) = self.index.get(path) {
            self.warnings.push(format!(
                "{path}: written more than once in the reply; the last version is kept"
            ));
            if self.file_lines[earlier] > line {
                // The version kept so far comes later in the reply.
                return;
            }
            // The earlier version goes; the slot is reused by the file that replaces it.
            let last = self.files.len() - 1;
            self.files.swap(earlier, last);
            self.files.pop();
            self.file_lines.swap(earlier, last);
            self.file_lines.pop();
            if earlier < self.files.len() {
                self.index.insert(self.files[earlier].path.clone(), earlier);
            }
            self.index.remove(path);
        }
        self.index.insert(path.to_string(), self.files.len());
        self.file_lines.push(line);
        if !complete {
            self.warnings.push(format!(
                "{path}: the reply ends inside this file, so it is incomplete (output truncated?)"
            ));
        }
        self.files.push(ExtractedFile {
            path: path.to_string(),
            contents: contents.to_string(),
            complete,
            label,
        });
    }

    fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// The files sorted by where they start in the reply (a stable sort: entries of one
    /// JSON list keep their order).
    fn in_reply_order(&mut self) -> Vec<ExtractedFile> {
        let lines = std::mem::take(&mut self.file_lines);
        let mut files: Vec<(usize, ExtractedFile)> = lines
            .into_iter()
            .zip(std::mem::take(&mut self.files))
            .collect();
        files.sort_by_key(|(line, _)| *line);
        files.into_iter().map(|(_, file)| file).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

/// Takes the whole reply as a JSON file list. Returns false when it is not one.
fn whole_reply_json(text: &str, found: &mut Collector) -> bool {
    let trimmed = text.trim();
    if !trimmed.starts_with(['{', '[']) {
        return false;
    }
    let Ok(value) = serde_json::from_str::<Value>(trimmed) else {
        return false;
    };
    add_manifest(&value, found)
}

/// Looks for a JSON file list starting at the beginning of some line, followed by prose or
/// not. Only used when nothing else named a file, so a JSON snippet never shadows real files.
fn embedded_json(lines: &[&str], found: &mut Collector) {
    // Each attempt may parse to the end of the reply; a bound keeps a reply full of braces
    // from costing quadratic time.
    const MAX_ATTEMPTS: usize = 20;

    let text = lines.join("\n");
    let mut offset = 0;
    let mut attempts = 0;
    for (number, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with(['{', '[']) && attempts < MAX_ATTEMPTS {
            attempts += 1;
            found.line = number;
            let start = offset + (line.len() - line.trim_start().len());
            let mut values = serde_json::Deserializer::from_str(&text[start..]).into_iter();
            if let Some(Ok(value)) = values.next()
                && add_manifest(&value, found)
            {
                return;
            }
        }
        offset += line.len() + 1;
    }
}

/// Adds the files of a JSON file list. Returns false, adding nothing, when the value is not
/// one (a package.json, say, which has a `files` array of strings).
fn add_manifest(value: &Value, found: &mut Collector) -> bool {
    let Some(entries) = manifest_entries(value) else {
        return false;
    };
    for (path, contents) in entries {
        let contents = unwrap_fence(strip_one_newline(contents));
        found.add(path, contents, true, JSON_LIST);
    }
    true
}

fn manifest_entries(value: &Value) -> Option<Vec<(&str, &str)>> {
    match value {
        Value::Array(items) => entry_list(items),
        Value::Object(map) => match map.get("files") {
            Some(Value::Array(items)) => entry_list(items),
            Some(Value::Object(by_path)) => path_map(by_path),
            Some(_) => None,
            None => manifest_entry(value)
                .map(|entry| vec![entry])
                .or_else(|| path_map(map)),
        },
        _ => None,
    }
}

/// A list counts only when every item is a file entry, so an unrelated array never half-counts.
fn entry_list(items: &[Value]) -> Option<Vec<(&str, &str)>> {
    if items.is_empty() {
        return None;
    }
    items.iter().map(manifest_entry).collect()
}

fn manifest_entry(item: &Value) -> Option<(&str, &str)> {
    const PATH_KEYS: [&str; 6] = [
        "path",
        "filePath",
        "file_path",
        "filename",
        "fileName",
        "file",
    ];
    const CONTENT_KEYS: [&str; 6] = ["content", "contents", "code", "body", "source", "text"];

    let object = item.as_object()?;
    let first_string = |keys: &[&str]| keys.iter().find_map(|key| object.get(*key)?.as_str());
    let path = first_string(&PATH_KEYS).filter(|path| !path.trim().is_empty())?;
    Some((path, first_string(&CONTENT_KEYS)?))
}

/// `{"app/page.js": "..."}`: only when every key looks like a path and every value is text.
fn path_map(map: &serde_json::Map<String, Value>) -> Option<Vec<(&str, &str)>> {
    if map.is_empty() || !map.keys().all(|path| looks_like_path(path)) {
        return None;
    }
    map.iter()
        .map(|(path, contents)| Some((path.as_str(), contents.as_str()?)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Tags

struct TagKind {
    name: &'static str,
    close: &'static str,
    label: &'static str,
    /// Bolt actions also run shell commands; only `type="file"` ones are files.
    typed: bool,
}

const TAG_KINDS: [TagKind; 3] = [
    TagKind {
        name: "file",
        close: "</file>",
        label: FILE_TAG,
        typed: false,
    },
    TagKind {
        name: "boltAction",
        close: "</boltAction>",
        label: BOLT_TAG,
        typed: true,
    },
    TagKind {
        name: "action",
        close: "</action>",
        label: ACTION_TAG,
        typed: true,
    },
];

/// Takes out every file tag and returns the rest of the reply for the fence pass, with each
/// tag replaced by its newlines so line numbers in later warnings still match the reply.
fn extract_tags(text: &str, found: &mut Collector) -> String {
    let mut rest = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    // Lines before `counted`, kept up to date as tags are found, so that many tags stay
    // linear. `rest` keeps every line of the text, so these are reply lines for fences too.
    let mut counted = 0;
    let mut line = 0;

    while let Some((start, kind)) = next_open_tag(text, search) {
        let attrs_start = start + 1 + kind.name.len();
        let Some(open_end) = tag_end(text, attrs_start) else {
            break;
        };
        search = open_end;
        let attrs = parse_attrs(&text[attrs_start..open_end - 1]);
        let attr = |names: &[&str]| {
            names.iter().find_map(|name| {
                attrs
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
        };
        if kind.typed && attr(&["type"]).is_some_and(|kind| kind != "file") {
            continue;
        }
        let Some(path) = attr(&["filePath", "path", "file", "filename", "name"]) else {
            continue;
        };

        let (body_end, tag_stop, complete) = match text[open_end..].find(kind.close) {
            Some(at) => (open_end + at, open_end + at + kind.close.len(), true),
            None => (text.len(), text.len(), false),
        };
        line += text[counted..start].matches('\n').count();
        counted = start;
        found.line = line;
        found.add(
            path,
            tag_body(&text[open_end..body_end]),
            complete,
            kind.label,
        );

        rest.push_str(&text[copied..start]);
        rest.extend(text[start..tag_stop].matches('\n'));
        copied = tag_stop;
        search = tag_stop;
    }

    rest.push_str(&text[copied..]);
    rest
}

fn next_open_tag(text: &str, from: usize) -> Option<(usize, &'static TagKind)> {
    text[from..].match_indices('<').find_map(|(at, _)| {
        let start = from + at;
        let after = &text[start + 1..];
        TAG_KINDS.iter().find_map(|kind| {
            let next = after.strip_prefix(kind.name)?.chars().next()?;
            (next.is_whitespace() || next == '>' || next == '/').then_some((start, kind))
        })
    })
}

/// The index just past the `>` that ends an opening tag, skipping `>` inside quoted values.
fn tag_end(text: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (at, c) in text[from..].char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(from + at + 1),
            _ => {}
        }
    }
    None
}

fn parse_attrs(attrs: &str) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut rest = attrs.trim_end_matches('/');
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let value = rest[eq + 1..].trim_start();
        let (value, remainder) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                Some(end) => (&value[1..end + 1], &value[end + 2..]),
                None => (&value[1..], ""),
            },
            _ => {
                let end = value.find(char::is_whitespace).unwrap_or(value.len());
                (&value[..end], &value[end..])
            }
        };
        // Only the last word before `=` is the key: `<file  path=...`, `a b=c`.
        let key = key.rsplit(char::is_whitespace).next().unwrap_or(key);
        out.push((key, value.to_string()));
        rest = remainder;
    }
    out
}

/// A tag's body without the line breaks that only lay the tags out, a CDATA wrapper or a code
/// fence some models put inside the tag.
fn tag_body(raw: &str) -> &str {
    let mut body = trim_layout_lines(raw);
    if let Some(inner) = body
        .trim()
        .strip_prefix("<![CDATA[")
        .and_then(|inner| inner.strip_suffix("]]>"))
    {
        body = trim_layout_lines(inner);
    }
    unwrap_fence(body)
}

/// Drops the rest of the opening tag's line and the closing tag's indentation, when they hold
/// nothing but whitespace.
fn trim_layout_lines(raw: &str) -> &str {
    let mut body = raw;
    if let Some((head, tail)) = body.split_once('\n')
        && head.trim().is_empty()
    {
        body = tail;
    }
    if let Some((head, tail)) = body.rsplit_once('\n')
        && tail.trim().is_empty()
    {
        body = head;
    }
    body
}

/// The inside of a body that is one fenced block, or the body itself.
fn unwrap_fence(body: &str) -> &str {
    let Some((first, rest)) = body.split_once('\n') else {
        return body;
    };
    let Some(open) = Fence::open(first) else {
        return body;
    };
    match rest.rsplit_once('\n') {
        Some((inner, last)) if open.closed_by(last) => inner,
        None if open.closed_by(rest) => "",
        _ => body,
    }
}

fn strip_one_newline(text: &str) -> &str {
    text.strip_suffix('\n').unwrap_or(text)
}

// ---------------------------------------------------------------------------------------------
// Fences

#[derive(Debug, Clone, Copy)]
struct Fence<'a> {
    ch: char,
    len: usize,
    indent: usize,
    info: &'a str,
}

impl<'a> Fence<'a> {
    /// An opening fence line. Indentation is not limited to three spaces as in CommonMark,
    /// because models indent fences inside list items.
    fn open(line: &'a str) -> Option<Self> {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let len = trimmed.chars().take_while(|c| *c == ch).count();
        let info = trimmed[len..].trim();
        // Backticks in the info string mean inline code such as ```foo```, not a fence.
        if len < 3 || (ch == '`' && info.contains('`')) {
            return None;
        }
        Some(Fence {
            ch,
            len,
            indent: line.len() - trimmed.len(),
            info,
        })
    }

    fn closed_by(&self, line: &str) -> bool {
        let trimmed = line.trim();
        trimmed.len() >= self.len && trimmed.chars().all(|c| c == self.ch)
    }

    /// The language tag: the first word of the info string, unless that word is the path.
    fn lang(&self) -> String {
        let first = self
            .info
            .trim_start_matches('{')
            .split_whitespace()
            .next()
            .unwrap_or("");
        let first = first
            .split(':')
            .next()
            .unwrap_or("")
            .trim_start_matches('.');
        if first.contains('=') || info_word_is_path(first) {
            return String::new();
        }
        first.trim_end_matches('}').to_ascii_lowercase()
    }
}

/// How a block ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// By its closing fence, at this line.
    Closed(usize),
    /// By the start of the next file at this line, its own closing fence missing.
    NextFile(usize),
    /// By the end of the reply.
    Eof,
}

/// Names of blocks whose body may contain fences of its own.
fn is_markdown(lang: &str, path: Option<&str>) -> bool {
    let ext_is_md = path.is_some_and(|path| {
        let lower = path.to_ascii_lowercase();
        [".md", ".mdx", ".markdown"]
            .iter()
            .any(|ext| lower.ends_with(ext))
    });
    matches!(lang, "markdown" | "md" | "mdx") || ext_is_md
}

/// Snippets that are instructions rather than files; skipping them needs no warning.
fn is_snippet_lang(lang: &str) -> bool {
    matches!(
        lang,
        "" | "bash"
            | "sh"
            | "shell"
            | "zsh"
            | "fish"
            | "console"
            | "terminal"
            | "shell-session"
            | "powershell"
            | "ps1"
            | "cmd"
            | "bat"
            | "text"
            | "txt"
            | "plaintext"
            | "diff"
            | "output"
    )
}

fn is_shell_lang(lang: &str) -> bool {
    matches!(
        lang,
        "bash"
            | "sh"
            | "shell"
            | "zsh"
            | "fish"
            | "console"
            | "terminal"
            | "shell-session"
            | "powershell"
            | "ps1"
            | "cmd"
            | "bat"
    )
}

/// What a shell block may be named by its first-line comment. `# app/page.js` above
/// `cat > app/page.js` is an instruction about that file, not the file.
fn is_shell_file(path: &str) -> bool {
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    let shell_ext = [".sh", ".bash", ".zsh", ".fish", ".ps1", ".bat", ".cmd"];
    name.starts_with('.') || shell_ext.iter().any(|ext| name.ends_with(ext))
}

fn extract_fences(lines: &[&str], found: &mut Collector) {
    // Where prose (not a block) last ended, so labels are only looked for in between blocks.
    let mut prose_start = 0;
    let mut i = 0;

    while i < lines.len() {
        let Some(open) = Fence::open(lines[i]) else {
            i += 1;
            continue;
        };
        let name = BlockName::of(lines, prose_start..i, &open);
        let end = block_end(lines, i + 1, &open, &name, found);
        add_block(lines, i, &open, &name, end, found);

        i = match end {
            End::Closed(close) => close + 1,
            End::NextFile(at) => at,
            End::Eof => lines.len(),
        };
        prose_start = i;
    }
}

/// What a block is called, and by whom.
struct BlockName {
    lang: String,
    /// From the info string or a label line above the fence, with its label kind.
    outside: Option<(String, &'static str)>,
    /// From a first-line path comment, which is removed from the body either way.
    comment: Option<String>,
}

impl BlockName {
    fn of(lines: &[&str], prose: std::ops::Range<usize>, open: &Fence) -> Self {
        let lang = open.lang();
        let outside = info_path(open.info)
            .map(|path| (path, FENCE_INFO))
            .or_else(|| {
                label_above(&lines[prose.clone()], !is_snippet_lang(&lang))
                    .map(|(path, kind)| (path.to_string(), kind))
            });

        let first_line = lines
            .get(prose.end + 1)
            .copied()
            .filter(|line| !open.closed_by(line));
        let markdown = is_markdown(&lang, outside.as_ref().map(|(path, _)| path.as_str()));
        let comment = first_line
            .and_then(|line| comment_path(line, markdown))
            .filter(|path| outside.is_some() || !is_shell_lang(&lang) || is_shell_file(path))
            .map(str::to_string);

        BlockName {
            lang,
            outside,
            comment,
        }
    }

    fn path(&self) -> Option<&str> {
        self.outside
            .as_ref()
            .map(|(path, _)| path.as_str())
            .or(self.comment.as_deref())
    }

    fn label(&self) -> &'static str {
        self.outside
            .as_ref()
            .map_or(FIRST_LINE_COMMENT, |(_, kind)| kind)
    }

    fn markdown(&self) -> bool {
        is_markdown(&self.lang, self.path())
    }
}

/// Finds where a block ends; for markdown, double-checks the end against what follows.
fn block_end(
    lines: &[&str],
    body_start: usize,
    open: &Fence,
    name: &BlockName,
    found: &mut Collector,
) -> End {
    let end = find_end(lines, body_start, open, name.markdown());
    let End::Closed(close) = end else {
        return end;
    };
    // An unnamed block is skipped whatever its end, so only named ones are worth a look.
    let Some(file) = name.path().filter(|_| name.markdown()) else {
        return end;
    };

    // Past its budget the look-ahead is skipped: the block ends at its first bare fence,
    // and the warning says the body may be short.
    if found.tail_budget < MAX_TAIL_LINES {
        found.warn(format!(
            "{file}: nested fence, body may be cut short (reply too long to check)"
        ));
        return end;
    }
    found.tail_budget -= MAX_TAIL_LINES.min(lines.len().saturating_sub(close + 1));
    match markdown_tail(lines, close, open) {
        Tail::Clean => end,
        Tail::Extend(last) => {
            found.warn(format!(
                "{file}: its block holds nested fences; the body runs to the last bare fence \
                 before the next file (line {})",
                last + 1
            ));
            End::Closed(last)
        }
        Tail::Ambiguous(line) => {
            found.warn(format!(
                "{file}: nested fence, body may be cut short (another bare fence follows at \
                 line {})",
                line + 1
            ));
            end
        }
    }
}

/// Adds the file a block holds, or the files of a JSON list in an unnamed block, or a
/// warning that an unnamed block was skipped.
fn add_block(
    lines: &[&str],
    open_line: usize,
    open: &Fence,
    name: &BlockName,
    end: End,
    found: &mut Collector,
) {
    let body_start = open_line + 1;
    let body_end = match end {
        End::Closed(close) => close,
        End::NextFile(at) => trim_blank_tail(lines, body_start, at),
        End::Eof => lines.len(),
    };
    let mut body_lines: Vec<&str> = lines[body_start..body_end.max(body_start)]
        .iter()
        .map(|line| dedent(line, open.indent))
        .collect();
    // A reply that ends with a newline leaves an empty last line, which is not file text.
    if end == End::Eof && body_lines.last() == Some(&"") {
        body_lines.pop();
    }
    if name.comment.is_some() && !body_lines.is_empty() {
        body_lines.remove(0);
    }
    let body = body_lines.join("\n");

    if let (Some((outer, _)), Some(inner)) = (&name.outside, &name.comment)
        && !same_path(outer, inner)
    {
        found.warn(format!(
            "{outer}: the block's first line names {inner}; used the label outside the block \
             and dropped that line"
        ));
    }

    let Some(path) = name.path() else {
        let lang = name.lang.as_str();
        let json = matches!(lang, "" | "json" | "jsonc" | "json5");
        let listed = json
            && serde_json::from_str::<Value>(&body).is_ok_and(|value| add_manifest(&value, found));
        if !listed && !is_snippet_lang(lang) && !body.trim().is_empty() {
            found.warn(format!(
                "line {}: a ```{lang} block names no file path, so it was skipped",
                open_line + 1
            ));
        }
        return;
    };

    if let End::NextFile(at) = end {
        found.warn(format!(
            "{path}: its block was not closed before the next file at line {}; ended it there",
            at + 1
        ));
    }
    found.line = open_line;
    found.add(path, &body, end != End::Eof, name.label());
}

fn find_end(lines: &[&str], from: usize, open: &Fence, markdown: bool) -> End {
    let mut depth = 0usize;
    for (j, line) in lines.iter().enumerate().skip(from) {
        if markdown {
            match Fence::open(line) {
                Some(inner) if inner.ch == open.ch && inner.len >= open.len => {
                    if !inner.info.is_empty() {
                        depth += 1;
                    } else if depth > 0 {
                        depth -= 1;
                    } else {
                        return End::Closed(j);
                    }
                }
                _ => {}
            }
        } else if open.closed_by(line) {
            return End::Closed(j);
        } else if open.len == 3 && starts_file(lines, j) {
            // A longer fence says the author meant to nest fences, so none of them ends it.
            return End::NextFile(j);
        }
    }
    End::Eof
}

enum Tail {
    Clean,
    /// The block really ends at this later bare fence.
    Extend(usize),
    /// A bare block follows, at this line, that may or may not belong to the markdown file.
    Ambiguous(usize),
}

/// How far past a markdown block [`markdown_tail`] looks. The rest of a README cut off by a
/// nested fence is short; the bound keeps a reply of many markdown blocks linear.
const MAX_TAIL_LINES: usize = 400;

/// Looks at what follows a markdown block, up to the next file, for signs that the block
/// ended too early: a bare fence with no partner is the block's real closing fence.
fn markdown_tail(lines: &[&str], close: usize, open: &Fence) -> Tail {
    // In prose a label above a bare fence is a file too, unlike inside a block.
    let labelled = |j: usize| {
        label_line(lines[j]).is_some_and(|(_, kind)| kind != PLAIN_LINE)
            && lines
                .get(j + 1)
                .is_some_and(|line| Fence::open(line).is_some())
    };
    let horizon = lines.len().min(close + 1 + MAX_TAIL_LINES);
    let limit = (close + 1..horizon)
        .find(|&j| starts_file(lines, j) || labelled(j))
        .unwrap_or(horizon);
    let mut inside: Option<Fence> = None;
    let mut first_bare = None;
    let mut last_bare = None;

    for (j, line) in lines.iter().enumerate().take(limit).skip(close + 1) {
        let fence = Fence::open(line);
        if fence.is_some_and(|f| f.info.is_empty() && f.ch == open.ch && f.len >= open.len) {
            last_bare = Some(j);
        }
        match inside {
            Some(current) if current.closed_by(line) => inside = None,
            Some(_) => {}
            None => {
                if let Some(f) = fence {
                    if f.info.is_empty() {
                        first_bare.get_or_insert(j);
                    }
                    inside = Some(f);
                }
            }
        }
    }

    match (inside, last_bare, first_bare) {
        (Some(stray), Some(last), _)
            if stray.info.is_empty() && stray.ch == open.ch && stray.len >= open.len =>
        {
            Tail::Extend(last)
        }
        (_, _, Some(first)) => Tail::Ambiguous(first),
        _ => Tail::Clean,
    }
}

/// Whether line `j` unmistakably starts another file: a fence whose info string names a path,
/// or a label line right above a fence with a language. Used to end a block whose closing
/// fence is missing, so one forgotten fence does not swallow the files after it.
fn starts_file(lines: &[&str], j: usize) -> bool {
    if let Some(fence) = Fence::open(lines[j]) {
        return info_path(fence.info).is_some();
    }
    let next_is_fence = lines
        .get(j + 1)
        .and_then(|line| Fence::open(line))
        .is_some_and(|fence| !fence.info.is_empty());
    next_is_fence && label_line(lines[j]).is_some_and(|(_, kind)| kind != PLAIN_LINE)
}

fn trim_blank_tail(lines: &[&str], from: usize, mut to: usize) -> usize {
    while to > from && lines[to - 1].trim().is_empty() {
        to -= 1;
    }
    to
}

/// Removes up to `indent` leading spaces or tabs, the indentation of the opening fence.
fn dedent(line: &str, indent: usize) -> &str {
    let strip = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[strip.min(indent)..]
}

fn same_path(a: &str, b: &str) -> bool {
    let norm = |p: &str| p.trim_start_matches("./").replace('\\', "/");
    norm(a) == norm(b)
}

// ---------------------------------------------------------------------------------------------
// Labels

/// A path in a fence's info string: `path=`, `file=`, `filename=`, `title=`, `name=`,
/// `lang:path`, or any word that is a path.
fn info_path(info: &str) -> Option<String> {
    let info = info.trim_start_matches('{').trim_end_matches('}');
    let words = split_info(info);

    for word in &words {
        if let Some((key, value)) = word.split_once('=') {
            let key = key.trim_start_matches('.').to_ascii_lowercase();
            let value = unquote(value);
            let keyed = matches!(
                key.as_str(),
                "path" | "file" | "filename" | "filepath" | "title" | "name"
            );
            if keyed && looks_like_path(value) {
                return Some(value.to_string());
            }
        }
    }

    words
        .iter()
        .filter(|word| !word.contains('='))
        .find_map(|word| {
            let word = unquote(word);
            let lang_prefixed = word.split_once(':').filter(|(lang, path)| {
                lang.len() >= 2
                    && lang
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-#".contains(c))
                    && looks_like_path(path)
            });
            match lang_prefixed {
                Some((_, path)) => Some(path.to_string()),
                None => info_word_is_path(word).then(|| word.to_string()),
            }
        })
}

/// A bare word of an info string names a file only if it cannot be a language tag:
/// ```` ```dockerfile ```` and ```` ```makefile ```` are languages, a `**Dockerfile**` label is
/// a file.
fn info_word_is_path(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let tag_like = !word.contains(['/', '\\', '.']) && KNOWN_NAMES.contains(&lower.as_str());
    !tag_like && looks_like_path(word)
}

/// Splits an info string on whitespace outside quotes.
fn split_info(info: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    for (at, c) in info.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                start.get_or_insert(at);
            }
            None if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push(&info[s..at]);
                }
            }
            None => {
                start.get_or_insert(at);
            }
        }
    }
    if let Some(s) = start {
        words.push(&info[s..]);
    }
    words
}

fn unquote(value: &str) -> &str {
    let value = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

/// The label for a fence: the nearest non-blank line above it (one blank line allowed), or,
/// when `far`, a strong label (heading, bold, `File:`) a little further up in the same stretch
/// of prose, for replies that put a sentence between the name and the code. Shell snippets
/// never look far, so "**app/page.js**, but first run:" does not name a `bash` block.
fn label_above<'a>(prose: &[&'a str], far: bool) -> Option<(&'a str, &'static str)> {
    let mut seen = 0;
    let mut blanks = 0;
    for line in prose.iter().rev() {
        if line.trim().is_empty() {
            blanks += 1;
            continue;
        }
        seen += 1;
        if seen == 1 && blanks <= 1 {
            if let Some(label) = label_line(line).or_else(|| prose_label(line)) {
                return Some(label);
            }
        } else if let Some((path, kind)) = label_line(line)
            && matches!(kind, BOLD_LINE | HEADING | FILE_PREFIX)
        {
            return Some((path, kind));
        }
        if seen == 3 || !far {
            break;
        }
    }
    None
}

/// A line that is nothing but a path, decorated: `**path**`, `### path`, `path:`,
/// `File: path`, `` `path` ``, `1. **path**`, `` **File:** `path` ``, `path (new)`.
fn label_line(line: &str) -> Option<(&str, &'static str)> {
    let mut s = line.trim();
    let mut kind = None;

    let hashes = s.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) && s[hashes..].starts_with([' ', '\t']) {
        s = s[hashes..].trim().trim_end_matches('#').trim();
        kind = Some(HEADING);
    }
    s = strip_list_marker(s);

    loop {
        if let Some(inner) = wrapped(s, "**").or_else(|| wrapped(s, "__")) {
            s = inner.trim();
            kind.get_or_insert(BOLD_LINE);
        } else if let Some(inner) = wrapped(s, "`") {
            s = inner.trim();
            kind.get_or_insert(BACKTICKED);
        } else if let Some(inner) = wrapped(s, "*") {
            s = inner.trim();
            kind.get_or_insert(BOLD_LINE);
        } else if let Some(rest) = strip_file_prefix(s) {
            s = rest;
            kind.get_or_insert(FILE_PREFIX);
        } else if let Some(inner) = s.strip_suffix(':') {
            s = inner.trim_end();
            kind.get_or_insert(COLON_LINE);
        } else if let Some((name, _)) = s.split_once(" — ").or_else(|| s.split_once(" - ")) {
            s = name.trim_end();
        } else if let Some((name, _)) = s.rsplit_once(" (").filter(|_| s.ends_with(')')) {
            s = name.trim_end();
        } else {
            break;
        }
        s = strip_list_marker(s);
    }

    looks_like_path(s).then(|| (s, kind.unwrap_or(PLAIN_LINE)))
}

/// "Replace your `app/page.tsx` with this:": a sentence ending in a colon that quotes exactly
/// one path.
fn prose_label(line: &str) -> Option<(&str, &'static str)> {
    let trimmed = line.trim().trim_end_matches(['*', '_']);
    if !trimmed.ends_with(':') {
        return None;
    }
    let mut paths = trimmed
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|quoted| looks_like_path(quoted));
    match (paths.next(), paths.next()) {
        (Some(path), None) => Some((path, PROSE_LINE)),
        _ => None,
    }
}

fn wrapped<'a>(s: &'a str, mark: &str) -> Option<&'a str> {
    (s.len() > 2 * mark.len() && s.starts_with(mark) && s.ends_with(mark))
        .then(|| &s[mark.len()..s.len() - mark.len()])
}

/// Drops a list marker (`- `, `* `, `1. `, `2) `) or a leading emoji (`📄 `).
fn strip_list_marker(s: &str) -> &str {
    if let Some((head, rest)) = s.split_once(char::is_whitespace)
        && !head.is_empty()
        && head.chars().all(|c| !c.is_ascii() && !c.is_alphanumeric())
    {
        return rest.trim_start();
    }
    if let Some(rest) = s
        .strip_prefix(['-', '*', '+'])
        .filter(|r| r.starts_with(' '))
    {
        return rest.trim_start();
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = s[digits..]
            .strip_prefix(['.', ')'])
            .filter(|r| r.starts_with(' '))
    {
        return rest.trim_start();
    }
    s
}

/// `File: x`, `**File:** x`, `Filename: x`, `Path: x`, any letter case.
fn strip_file_prefix(s: &str) -> Option<&str> {
    let t = s.trim_start_matches(['*', '_']);
    ["filename", "file path", "filepath", "file", "path"]
        .iter()
        .find_map(|word| {
            let head = t.get(..word.len())?;
            if !head.eq_ignore_ascii_case(word) {
                return None;
            }
            let rest = t[word.len()..]
                .trim_start_matches(['*', '_'])
                .strip_prefix(':')?;
            Some(rest.trim_start_matches(['*', '_']).trim())
        })
}

/// The path in a first line that is a comment holding only a path. In markdown, `#` starts a
/// heading, not a comment, so only `<!-- path -->` counts there.
fn comment_path(line: &str, markdown: bool) -> Option<&str> {
    let t = line.trim();
    let inner = if let Some(rest) = t.strip_prefix("<!--") {
        rest.strip_suffix("-->")?
    } else if markdown {
        return None;
    } else if let Some(rest) = t.strip_prefix("{/*") {
        rest.strip_suffix("*/}")?
    } else if let Some(rest) = t.strip_prefix("/*") {
        rest.strip_suffix("*/")?.trim_start_matches('*')
    } else if let Some(rest) = t.strip_prefix("//").or_else(|| t.strip_prefix("--")) {
        rest
    } else {
        t.strip_prefix('#')?
    };

    let inner = inner.trim();
    let inner = strip_file_prefix(inner).unwrap_or(inner);
    let inner = wrapped(inner, "`").unwrap_or(inner);
    looks_like_path(inner).then_some(inner)
}

/// Extensionless names that are files in a Next.js project or next to one.
const KNOWN_NAMES: [&str; 18] = [
    "dockerfile",
    "makefile",
    "procfile",
    "license",
    "readme",
    "containerfile",
    ".npmrc",
    ".yarnrc",
    ".nvmrc",
    ".gitignore",
    ".dockerignore",
    ".env",
    ".prettierrc",
    ".eslintrc",
    ".babelrc",
    ".editorconfig",
    ".browserslistrc",
    ".node-version",
];

/// Names of frameworks that look like file names; a label `**Next.js**` is a topic.
const FRAMEWORK_NAMES: [&str; 14] = [
    "next.js",
    "node.js",
    "react.js",
    "vue.js",
    "nuxt.js",
    "express.js",
    "three.js",
    "chart.js",
    "d3.js",
    "nest.js",
    "socket.io",
    "p5.js",
    "alpine.js",
    "anime.js",
];

/// Whether a word is a file path rather than a language tag, a framework name or prose.
/// Hostile paths (`../x.js`, `C:\x.js`, `/etc/x.conf`) still look like paths: rejecting them
/// is the workspace's job, and it must see them to report them.
fn looks_like_path(s: &str) -> bool {
    let forbidden = |c: char| c.is_whitespace() || c.is_control() || "`\"'<>|*?{}".contains(c);
    if s.is_empty() || s.len() > 1024 || s.chars().any(forbidden) || s.contains("://") {
        return false;
    }

    let name = s.rsplit(['/', '\\']).next().unwrap_or(s);
    let lower = name.to_ascii_lowercase();
    if KNOWN_NAMES.contains(&lower.as_str()) {
        return true;
    }
    if !s.contains(['/', '\\']) && FRAMEWORK_NAMES.contains(&lower.as_str()) {
        return false;
    }
    if let Some(dotfile) = name.strip_prefix('.')
        && !dotfile.is_empty()
        && !dotfile.starts_with('.')
        && dotfile
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && dotfile.chars().any(|c| c.is_ascii_alphabetic())
    {
        return true;
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=10).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}
