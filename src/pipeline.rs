//! Pipeline files: which plugins a run goes through and how its built-in stages behave.
//!
//! A pipeline is a TOML file in `pipelines/`. Loading checks the whole file and reports
//! every problem at once, each with the file, line, key and what a valid value looks like;
//! `pipelines/nextjs.toml` documents every key.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::plugin::{PluginLimits, PluginSet, is_plain_id};
use crate::workspace::TreeLimits;

/// The pipeline files that ship inside the binary, used when no folder is given.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("nextjs.toml", include_str!("../pipelines/nextjs.toml")),
    (
        "nextjs.system.md",
        include_str!("../pipelines/nextjs.system.md"),
    ),
];

/// A checked pipeline, ready for runs.
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub id: String,
    pub display_name: String,
    pub description: String,
    /// The file it was loaded from (or `embedded:nextjs.toml`).
    pub source: String,
    pub system_prompt: String,
    pub provider_params: Vec<(String, String)>,
    pub plugin_limits: PluginLimits,
    pub generate_timeout: Duration,
    pub files: TreeLimits,
    pub validators: Vec<PluginStep>,
    pub scorers: Vec<PluginStep>,
    pub build: BuildSection,
    pub limits: ContainerLimits,
    pub timeouts: Timeouts,
    pub screenshots: Vec<Viewport>,
}

/// One plugin in the validator or scorer chain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginStep {
    pub plugin: String,
    #[serde(default)]
    pub settings: BTreeMap<String, SettingValue>,
}

impl PluginStep {
    pub fn settings(&self) -> Vec<(String, String)> {
        self.settings
            .iter()
            .map(|(key, value)| (key.clone(), value.to_string()))
            .collect()
    }
}

/// Plugin settings travel as strings; TOML numbers and booleans are accepted for comfort.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SettingValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}

impl fmt::Display for SettingValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => f.write_str(text),
            Self::Integer(number) => write!(f, "{number}"),
            Self::Float(number) => write!(f, "{number}"),
            Self::Bool(flag) => write!(f, "{flag}"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PipelineSection {
    id: String,
    display_name: Option<String>,
    #[serde(default)]
    description: String,
    system_prompt: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct PluginsSection {
    memory_mb: u32,
    call_timeout_secs: u64,
    generate_timeout_secs: u64,
    max_reply_kb: u32,
}

impl Default for PluginsSection {
    fn default() -> Self {
        let limits = PluginLimits::default();
        Self {
            memory_mb: (limits.memory_bytes >> 20) as u32,
            call_timeout_secs: limits.deadline.as_secs(),
            generate_timeout_secs: 600,
            max_reply_kb: (limits.max_output_bytes >> 10) as u32,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct FilesSection {
    max_files: usize,
    max_file_kb: u64,
    max_total_kb: u64,
}

impl Default for FilesSection {
    fn default() -> Self {
        let limits = TreeLimits::default();
        Self {
            max_files: limits.max_files,
            max_file_kb: limits.max_file_bytes >> 10,
            max_total_kb: limits.max_total_bytes >> 10,
        }
    }
}

/// How a project is installed, built and started inside its container.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildSection {
    pub image: String,
    pub fallback_image: Option<String>,
    pub registry: String,
    pub ca_bundle: Option<PathBuf>,
    /// Commands as lists of words; unset means the arena's own (see nextjs.toml).
    pub install: Option<Vec<String>>,
    pub build: Option<Vec<String>>,
    pub start: Option<Vec<String>>,
}

impl Default for BuildSection {
    fn default() -> Self {
        Self {
            image: "node:20-bookworm-slim".into(),
            fallback_image: Some("arena-node:local".into()),
            registry: "https://registry.npmjs.org/".into(),
            ca_bundle: None,
            install: None,
            build: None,
            start: None,
        }
    }
}

/// Limits for each run's containers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContainerLimits {
    pub memory_mb: u32,
    pub cpus: f64,
    pub pids: u32,
}

impl Default for ContainerLimits {
    fn default() -> Self {
        Self {
            memory_mb: 2048,
            cpus: 1.0,
            pids: 512,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Timeouts {
    pub install_secs: u64,
    pub build_secs: u64,
    pub start_secs: u64,
    pub screenshot_secs: u64,
    pub idle_minutes: u64,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            install_secs: 600,
            build_secs: 600,
            start_secs: 60,
            screenshot_secs: 30,
            idle_minutes: 30,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Viewport {
    pub name: String,
    pub width: u32,
    pub height: u32,
}

/// Problems found in one pipeline file.
#[derive(Debug, Clone)]
pub struct PipelineErrors {
    pub file: String,
    pub problems: Vec<Problem>,
}

/// One problem, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// Dotted key path, e.g. `limits.memory_mb`; empty for syntax errors.
    pub key: String,
    pub message: String,
}

impl fmt::Display for PipelineErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        write!(f, "{}: {count} {noun}", self.file)?;
        for problem in &self.problems {
            write!(f, "\n  {}:{}:{}: ", self.file, problem.line, problem.column)?;
            if !problem.key.is_empty() {
                write!(f, "`{}`: ", problem.key)?;
            }
            f.write_str(&problem.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for PipelineErrors {}

/// Reads the text of files a pipeline refers to, from disk or from the embedded set.
pub trait PipelineFiles {
    fn read(&self, relative: &Path) -> Result<String, String>;
}

/// Files beside the pipeline on disk.
pub struct DiskFiles<'a>(pub &'a Path);

impl PipelineFiles for DiskFiles<'_> {
    fn read(&self, relative: &Path) -> Result<String, String> {
        let path = self.0.join(relative);
        std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read {}: {error}", relative.display()))
    }
}

struct EmbeddedFiles;

impl PipelineFiles for EmbeddedFiles {
    fn read(&self, relative: &Path) -> Result<String, String> {
        EMBEDDED
            .iter()
            .find(|(name, _)| Path::new(name) == relative)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| format!("no embedded file {}", relative.display()))
    }
}

/// The longest any timeout may be: a day.
const MAX_SECS: u64 = 86_400;

const SECTIONS: &[&str] = &[
    "pipeline",
    "provider",
    "plugins",
    "files",
    "validators",
    "scorers",
    "build",
    "limits",
    "timeouts",
    "screenshots",
];

/// Parses and checks one pipeline file's text. `file` names it in errors; `files` resolves
/// the files it references.
pub fn parse(
    file: &str,
    text: &str,
    files: &dyn PipelineFiles,
) -> Result<Pipeline, PipelineErrors> {
    let fail = |problems| PipelineErrors {
        file: file.to_owned(),
        problems,
    };
    let document = match toml_edit::Document::parse(text) {
        Ok(document) => document,
        Err(error) => {
            let offset = error.span().map(|span| span.start).unwrap_or(0);
            let (line, column) = line_column(text, offset);
            let message = error.message().trim().to_owned();
            return Err(fail(vec![Problem {
                line,
                column,
                key: String::new(),
                message,
            }]));
        }
    };
    let table: toml::Table = toml::from_str(text).map_err(|error| {
        let (line, column) = line_column(text, error.span().map(|s| s.start).unwrap_or(0));
        fail(vec![Problem {
            line,
            column,
            key: String::new(),
            message: error.message().into(),
        }])
    })?;

    let mut checker = Checker {
        text,
        document: &document,
        problems: Vec::new(),
    };
    for key in table.keys() {
        if !SECTIONS.contains(&key.as_str()) {
            let message = format!(
                "unknown section; a pipeline has these: {}",
                SECTIONS.join(", ")
            );
            checker.problem(&[key.as_str()], message);
        }
    }

    let pipeline: Option<PipelineSection> = checker.section(&table, "pipeline", true);
    let provider: Option<BTreeMap<String, SettingValue>> =
        checker.section(&table, "provider", false);
    let plugins: Option<PluginsSection> = checker.section(&table, "plugins", false);
    let files_section: Option<FilesSection> = checker.section(&table, "files", false);
    let validators: Option<Vec<PluginStep>> =
        checker.section_list(&table, "validators", Checker::check_step);
    let scorers: Option<Vec<PluginStep>> =
        checker.section_list(&table, "scorers", Checker::check_step);
    let build: Option<BuildSection> = checker.section(&table, "build", false);
    let limits: Option<ContainerLimits> = checker.section(&table, "limits", false);
    let timeouts: Option<Timeouts> = checker.section(&table, "timeouts", false);
    let screenshots: Option<Vec<Viewport>> =
        checker.section_list(&table, "screenshots", Checker::check_viewport);

    let system_prompt = pipeline.as_ref().and_then(|section| {
        checker.check(&["pipeline", "id"], is_plain_id(&section.id), || {
            "must be 1-64 characters of a-z, 0-9 and '-', e.g. \"nextjs\"".into()
        });
        // The prompt file sits beside the pipeline: a pipeline must not pull in arbitrary
        // host files and send them to every provider.
        let mut parts = section.system_prompt.components();
        let beside =
            matches!(parts.next(), Some(std::path::Component::Normal(_))) && parts.next().is_none();
        if !beside {
            let message = "must be a file name beside the pipeline, e.g. \"nextjs.system.md\"";
            checker.problem(&["pipeline", "system_prompt"], message.into());
            return None;
        }
        match files.read(&section.system_prompt) {
            Ok(text) if text.trim().is_empty() => {
                checker.problem(&["pipeline", "system_prompt"], "the file is empty".into());
                None
            }
            Ok(text) => Some(text),
            Err(message) => {
                checker.problem(&["pipeline", "system_prompt"], message);
                None
            }
        }
    });
    let plugins = plugins.unwrap_or_default();
    checker.check_plugins(&plugins);
    let files_section = files_section.unwrap_or_default();
    checker.check(
        &["files", "max_files"],
        (1..=100_000).contains(&files_section.max_files),
        || "must be 1 to 100000, e.g. 500".into(),
    );
    checker.check(
        &["files", "max_file_kb"],
        (1..=1 << 20).contains(&files_section.max_file_kb),
        || "must be 1 to 1048576 (KiB), e.g. 1024".into(),
    );
    checker.check(
        &["files", "max_total_kb"],
        (1..=1 << 24).contains(&files_section.max_total_kb),
        || "must be 1 to 16777216 (KiB), e.g. 10240".into(),
    );
    let validators = validators.unwrap_or_default();
    let scorers = scorers.unwrap_or_default();
    let build = build.unwrap_or_default();
    checker.check_build(&build);
    let limits = limits.unwrap_or_default();
    checker.check_limits(&limits);
    let timeouts = timeouts.unwrap_or_default();
    checker.check_timeouts(&timeouts);
    let screenshots = screenshots.unwrap_or_else(default_viewports);
    for (index, viewport) in screenshots.iter().enumerate() {
        if screenshots[..index]
            .iter()
            .any(|earlier| earlier.name == viewport.name)
        {
            let message = format!("another viewport is already named {:?}", viewport.name);
            checker.problem(&["screenshots", &index.to_string(), "name"], message);
        }
    }

    if !checker.problems.is_empty() {
        let mut problems = checker.problems;
        problems.sort_by_key(|problem| (problem.line, problem.column));
        return Err(fail(problems));
    }
    let (Some(pipeline), Some(system_prompt)) = (pipeline, system_prompt) else {
        unreachable!("a missing section or prompt is recorded as a problem");
    };

    Ok(Pipeline {
        display_name: pipeline.display_name.unwrap_or_else(|| pipeline.id.clone()),
        id: pipeline.id,
        description: pipeline.description,
        source: file.to_owned(),
        system_prompt,
        provider_params: provider
            .unwrap_or_default()
            .into_iter()
            .map(|(key, value)| (key, value.to_string()))
            .collect(),
        plugin_limits: PluginLimits {
            deadline: Duration::from_secs(plugins.call_timeout_secs),
            memory_bytes: (plugins.memory_mb as usize) << 20,
            max_output_bytes: (plugins.max_reply_kb as usize) << 10,
        },
        generate_timeout: Duration::from_secs(plugins.generate_timeout_secs),
        files: TreeLimits {
            max_files: files_section.max_files,
            max_file_bytes: files_section.max_file_kb << 10,
            max_total_bytes: files_section.max_total_kb << 10,
        },
        validators,
        scorers,
        build,
        limits,
        timeouts,
        screenshots,
    })
}

impl Pipeline {
    /// Limits for a provider call: the generation timeout instead of the plugin call one.
    pub fn generate_limits(&self) -> PluginLimits {
        PluginLimits {
            deadline: self.generate_timeout,
            ..self.plugin_limits
        }
    }

    /// Plugin references that the loaded plugins cannot satisfy, as messages.
    pub fn missing_plugins(&self, plugins: &PluginSet) -> Vec<String> {
        let validators = self
            .validators
            .iter()
            .filter(|step| !plugins.validators.contains_key(&step.plugin));
        let scorers = self
            .scorers
            .iter()
            .filter(|step| !plugins.scorers.contains_key(&step.plugin));
        validators
            .map(|step| format!("validator `{}`", step.plugin))
            .chain(scorers.map(|step| format!("scorer `{}`", step.plugin)))
            .map(|what| {
                format!(
                    "pipeline `{}` ({}) uses {what}, which is not loaded",
                    self.id, self.source
                )
            })
            .collect()
    }
}

fn default_viewports() -> Vec<Viewport> {
    vec![
        Viewport {
            name: "desktop".into(),
            width: 1440,
            height: 900,
        },
        Viewport {
            name: "mobile".into(),
            width: 390,
            height: 844,
        },
    ]
}

/// Collects located problems while a file is checked.
struct Checker<'a> {
    text: &'a str,
    document: &'a toml_edit::Document<&'a str>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, path: &[&str], message: String) {
        let offset = self.offset_of(path);
        let (line, column) = line_column(self.text, offset);
        self.problems.push(Problem {
            line,
            column,
            key: path.join("."),
            message,
        });
    }

    fn check(&mut self, path: &[&str], ok: bool, message: impl FnOnce() -> String) {
        if !ok {
            self.problem(path, message());
        }
    }

    /// Deserialises one top-level section on its own, so that a mistake in one section
    /// does not hide the mistakes in the others.
    fn section<T: serde::de::DeserializeOwned>(
        &mut self,
        table: &toml::Table,
        name: &str,
        required: bool,
    ) -> Option<T> {
        let value = match table.get(name) {
            Some(value) => value.clone(),
            None if required => {
                self.problems.push(Problem {
                    line: 1,
                    column: 1,
                    key: name.to_owned(),
                    message: format!("missing section [{name}]"),
                });
                return None;
            }
            None => return None,
        };
        self.deserialize_at(value, vec![name.to_owned()])
    }

    /// Deserialises `value`, recording a located problem when it does not fit `T`.
    fn deserialize_at<T: serde::de::DeserializeOwned>(
        &mut self,
        value: toml::Value,
        mut path: Vec<String>,
    ) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(section) => Some(section),
            Err(error) => {
                for segment in error.path().iter() {
                    match segment {
                        serde_path_to_error::Segment::Seq { index } => path.push(index.to_string()),
                        serde_path_to_error::Segment::Map { key } => path.push(key.clone()),
                        serde_path_to_error::Segment::Enum { variant } => {
                            path.push(variant.clone())
                        }
                        serde_path_to_error::Segment::Unknown => {}
                    }
                }
                // toml appends the key path on lines of its own; the path is shown anyway.
                let inner = error.into_inner().to_string();
                let inner = inner
                    .split("\nin `")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned();
                if let Some(unknown) = between(&inner, "unknown field `", "`")
                    && path.last().map(String::as_str) != Some(unknown)
                {
                    path.push(unknown.to_owned());
                }
                let refs: Vec<&str> = path.iter().map(String::as_str).collect();
                let message = explain(&refs, &inner);
                self.problem(&refs, message);
                None
            }
        }
    }

    /// Deserialises each table of an array section on its own, for the same reason.
    fn section_list<T: serde::de::DeserializeOwned>(
        &mut self,
        table: &toml::Table,
        name: &str,
        check: fn(&mut Self, &[&str], &T),
    ) -> Option<Vec<T>> {
        let value = table.get(name)?;
        let Some(items) = value.as_array() else {
            let message = format!("must be a list of tables, written [[{name}]]");
            self.problem(&[name], message);
            return None;
        };
        // A broken entry is recorded and left out; the good ones are still checked.
        let parsed = items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let index = index.to_string();
                let element =
                    self.deserialize_at(item.clone(), vec![name.to_owned(), index.clone()]);
                if let Some(element) = &element {
                    check(self, &[name, &index], element);
                }
                element
            })
            .collect();
        Some(parsed)
    }

    fn check_plugins(&mut self, plugins: &PluginsSection) {
        self.check(
            &["plugins", "memory_mb"],
            (1..=4096).contains(&plugins.memory_mb),
            || "must be 1 to 4096 (MiB), e.g. 256".into(),
        );
        self.check(
            &["plugins", "call_timeout_secs"],
            (1..=3600).contains(&plugins.call_timeout_secs),
            || "must be 1 to 3600 seconds, e.g. 30".into(),
        );
        let generate = plugins.generate_timeout_secs;
        self.check(
            &["plugins", "generate_timeout_secs"],
            (1..=MAX_SECS).contains(&generate),
            || format!("must be 1 to {MAX_SECS} seconds, e.g. 600"),
        );
        self.check(
            &["plugins", "max_reply_kb"],
            (1..=1 << 20).contains(&plugins.max_reply_kb),
            || "must be 1 to 1048576 (KiB), e.g. 4096".into(),
        );
    }

    fn check_step(&mut self, at: &[&str], step: &PluginStep) {
        self.check(
            &[at, &["plugin"]].concat(),
            is_plain_id(&step.plugin),
            || "must be a plugin id such as \"package-json\"".into(),
        );
    }

    fn check_build(&mut self, build: &BuildSection) {
        self.check(&["build", "image"], !build.image.trim().is_empty(), || {
            "must name an image, e.g. \"node:20-bookworm-slim\"".into()
        });
        let registry_ok = url::Url::parse(&build.registry)
            .is_ok_and(|url| matches!(url.scheme(), "http" | "https"));
        self.check(&["build", "registry"], registry_ok, || {
            "must be an http(s) URL, e.g. \"https://registry.npmjs.org/\"".into()
        });
        for key in ["install", "build", "start"] {
            let command = match key {
                "install" => &build.install,
                "build" => &build.build,
                _ => &build.start,
            };
            let empty = command.as_ref().is_some_and(Vec::is_empty);
            self.check(&["build", key], !empty, || {
                "must be a command as a list of words, e.g. [\"node_modules/.bin/next\", \"build\"]"
                    .into()
            });
        }
    }

    fn check_limits(&mut self, limits: &ContainerLimits) {
        self.check(&["limits", "memory_mb"], limits.memory_mb >= 128, || {
            "must be at least 128 (MiB); next build needs about 1024".into()
        });
        self.check(
            &["limits", "cpus"],
            limits.cpus > 0.0 && limits.cpus <= 64.0,
            || "must be more than 0 and at most 64, e.g. 1.0".into(),
        );
        self.check(&["limits", "pids"], limits.pids >= 32, || {
            "must be at least 32; npm and next need about 200".into()
        });
    }

    fn check_timeouts(&mut self, timeouts: &Timeouts) {
        let pairs = [
            ("install_secs", timeouts.install_secs),
            ("build_secs", timeouts.build_secs),
            ("start_secs", timeouts.start_secs),
            ("screenshot_secs", timeouts.screenshot_secs),
            ("idle_minutes", timeouts.idle_minutes),
        ];
        for (key, value) in pairs {
            let max = if key == "idle_minutes" {
                MAX_SECS / 60
            } else {
                MAX_SECS
            };
            self.check(&["timeouts", key], (1..=max).contains(&value), || {
                format!("must be 1 to {max}")
            });
        }
    }

    fn check_viewport(&mut self, at: &[&str], viewport: &Viewport) {
        self.check(
            &[at, &["name"]].concat(),
            is_plain_id(&viewport.name),
            || "must be a short name of a-z, 0-9 and '-', e.g. \"desktop\"".into(),
        );
        for (key, value) in [("width", viewport.width), ("height", viewport.height)] {
            self.check(
                &[at, &[key]].concat(),
                (200..=4000).contains(&value),
                || "must be 200 to 4000 pixels, e.g. 1440".into(),
            );
        }
    }

    /// Byte offset of the key at `path`, or of its nearest parent that exists.
    fn offset_of(&self, path: &[&str]) -> usize {
        let mut node = Node::Table(self.document.as_table());
        let mut best = 0;
        for segment in path {
            let (span, next) = node.child(segment);
            if let Some(span) = span {
                best = span.start;
            }
            match next {
                Some(next) => node = next,
                None => break,
            }
        }
        best
    }
}

/// A place in a parsed TOML document that can have children.
#[derive(Clone, Copy)]
enum Node<'d> {
    Table(&'d toml_edit::Table),
    Inline(&'d toml_edit::InlineTable),
    Array(&'d toml_edit::Array),
    Tables(&'d toml_edit::ArrayOfTables),
}

impl<'d> Node<'d> {
    fn of_item(item: &'d toml_edit::Item) -> Option<Self> {
        match item {
            toml_edit::Item::Table(table) => Some(Self::Table(table)),
            toml_edit::Item::ArrayOfTables(tables) => Some(Self::Tables(tables)),
            toml_edit::Item::Value(value) => Self::of_value(value),
            toml_edit::Item::None => None,
        }
    }

    fn of_value(value: &'d toml_edit::Value) -> Option<Self> {
        match value {
            toml_edit::Value::InlineTable(table) => Some(Self::Inline(table)),
            toml_edit::Value::Array(array) => Some(Self::Array(array)),
            _ => None,
        }
    }

    /// The span of the child's key (or of the element) and the child itself.
    fn child(self, segment: &str) -> (Option<std::ops::Range<usize>>, Option<Self>) {
        let index = segment.parse::<usize>().ok();
        match self {
            Self::Table(table) => {
                let span = table.key(segment).and_then(|key| key.span());
                (span, table.get(segment).and_then(Node::of_item))
            }
            Self::Inline(table) => {
                let span = table.key(segment).and_then(|key| key.span());
                (span, table.get(segment).and_then(Node::of_value))
            }
            Self::Array(array) => {
                let value = index.and_then(|index| array.get(index));
                (
                    value.and_then(|value| value.span()),
                    value.and_then(Node::of_value),
                )
            }
            Self::Tables(tables) => {
                let table = index.and_then(|index| tables.get(index));
                (table.and_then(|table| table.span()), table.map(Node::Table))
            }
        }
    }
}

/// Adds what a valid value looks like to serde's message for keys people get wrong.
fn explain(path: &[&str], message: &str) -> String {
    let hint = match path {
        ["limits", "memory_mb"] => "a whole number of MiB, e.g. 2048",
        ["limits", "cpus"] => "a number of CPUs, e.g. 1.0",
        ["limits", "pids"] => "a whole number of processes, e.g. 512",
        ["build", "install" | "build" | "start"] => {
            "a list of words, e.g. [\"node_modules/.bin/next\", \"build\"]"
        }
        ["timeouts", _] => "a whole number, e.g. 300",
        ["plugins", _] => "a whole number, e.g. 30",
        ["files", _] => "a whole number, e.g. 500",
        ["screenshots", ..] => "tables like { name = \"desktop\", width = 1440, height = 900 }",
        ["validators" | "scorers", ..] => "tables like { plugin = \"package-json\" }",
        _ => "",
    };
    if hint.is_empty() {
        message.to_owned()
    } else {
        format!("{message} (valid: {hint})")
    }
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |tail| tail.chars().count())
        + 1;
    (line, column)
}

/// The pipelines available to runs, and the files that failed to load.
#[derive(Debug, Default)]
pub struct PipelineSet {
    pub pipelines: BTreeMap<String, Pipeline>,
    pub errors: Vec<PipelineErrors>,
}

impl PipelineSet {
    /// Loads every `*.toml` in `dir`, or the embedded pipelines when `dir` is `None`.
    pub fn load(dir: Option<&Path>) -> Self {
        let mut set = Self::default();
        let Some(dir) = dir else {
            for (name, text) in EMBEDDED.iter().filter(|(name, _)| name.ends_with(".toml")) {
                set.insert(parse(&format!("embedded:{name}"), text, &EmbeddedFiles));
            }
            return set;
        };

        let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect(),
            Err(error) => {
                set.errors.push(PipelineErrors {
                    file: dir.display().to_string(),
                    problems: vec![Problem {
                        line: 0,
                        column: 0,
                        key: String::new(),
                        message: format!("cannot read the pipeline folder: {error}"),
                    }],
                });
                return set;
            }
        };
        paths.retain(|path| path.extension().is_some_and(|ext| ext == "toml"));
        paths.sort();
        for path in paths {
            let file = path.display().to_string();
            let result = match std::fs::read_to_string(&path) {
                Ok(text) => parse(&file, &text, &DiskFiles(dir)),
                Err(error) => Err(PipelineErrors {
                    file: file.clone(),
                    problems: vec![Problem {
                        line: 0,
                        column: 0,
                        key: String::new(),
                        message: format!("cannot read: {error}"),
                    }],
                }),
            };
            set.insert(result);
        }
        set
    }

    fn insert(&mut self, result: Result<Pipeline, PipelineErrors>) {
        match result {
            Ok(pipeline) => {
                if let Some(earlier) = self.pipelines.get(&pipeline.id) {
                    self.errors.push(PipelineErrors {
                        file: pipeline.source.clone(),
                        problems: vec![Problem {
                            line: 1,
                            column: 1,
                            key: "pipeline.id".into(),
                            message: format!(
                                "id `{}` is already used by {}",
                                pipeline.id, earlier.source
                            ),
                        }],
                    });
                    return;
                }
                tracing::debug!(pipeline = %pipeline.id, source = %pipeline.source, "Pipeline loaded.");
                self.pipelines.insert(pipeline.id.clone(), pipeline);
            }
            Err(errors) => {
                tracing::warn!("Pipeline failed to load: {errors}");
                self.errors.push(errors);
            }
        }
    }
}
