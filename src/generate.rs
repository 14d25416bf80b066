//! The plugin half of a run: the provider writes a reply, the reply becomes files, the
//! files pass the path checks and the validator chain, and the checked project is written
//! to the run's workspace.

use std::path::Path;

use crate::run::Fault;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::mpsc;

use crate::plugin::ReplySink;

use crate::contestants::Contestant;
use crate::extract;
use crate::pipeline::Pipeline;
use crate::plugin::{
    Edit, FinishReason, GenerateRequest, NetworkGrant, PluginLogLine, PluginSet, Severity,
    SourceFile, TokenUsage,
};
use crate::workspace;

/// The lifecycle stages this half of a run goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Generating,
    Validating,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Generating => "generating",
            Self::Validating => "validating",
        })
    }
}

/// A problem found in a reply, by the extractor, the path checks or a validator.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RunDiagnostic {
    /// `extract`, `paths`, or the validator plugin's id.
    pub source: String,
    pub severity: Severity,
    pub path: Option<String>,
    pub line: Option<u32>,
    pub message: String,
}

/// A validator's change to the tree, kept so that a reader sees what the model wrote and
/// what the arena changed.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RecordedEdit {
    pub validator: String,
    #[serde(flatten)]
    pub edit: Edit,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub stage: Stage,
    pub reason: String,
    /// Whose doing it was: a vote on a battle the model did not lose by itself is not counted.
    pub fault: crate::run::Fault,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageTime {
    pub stage: Stage,
    #[serde(serialize_with = "as_millis")]
    pub elapsed: Duration,
}

fn as_millis<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(duration.as_millis() as u64)
}

/// Everything the plugin chain produced for one contestant.
#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    pub contestant: String,
    pub provider: String,
    pub model: String,
    #[serde(skip)]
    pub reply: String,
    pub finish: Option<FinishReason>,
    pub usage: TokenUsage,
    /// US dollars, from the model's prices.
    pub cost_usd: f64,
    /// The checked project, sorted by path.
    #[serde(skip)]
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<RunDiagnostic>,
    pub edits: Vec<RecordedEdit>,
    pub plugin_logs: Vec<(String, PluginLogLine)>,
    pub timings: Vec<StageTime>,
    pub failure: Option<Failure>,
}

impl Generated {
    fn new(contestant: &Contestant) -> Self {
        Self {
            contestant: contestant.id.clone(),
            provider: contestant.provider.clone(),
            model: contestant.model.clone(),
            reply: String::new(),
            finish: None,
            usage: TokenUsage::default(),
            cost_usd: 0.0,
            files: Vec::new(),
            diagnostics: Vec::new(),
            edits: Vec::new(),
            plugin_logs: Vec::new(),
            timings: Vec::new(),
            failure: None,
        }
    }

    /// Fails the run through what the model wrote.
    fn fail(self, stage: Stage, reason: String) -> Self {
        self.fail_by(stage, reason, crate::run::Fault::Model)
    }

    fn fail_by(mut self, stage: Stage, reason: String, fault: crate::run::Fault) -> Self {
        tracing::info!(contestant = %self.contestant, %stage, %reason, ?fault, "Run failed.");
        self.failure = Some(Failure {
            stage,
            reason,
            fault,
        });
        self
    }

    fn diagnose(
        &mut self,
        source: &str,
        severity: Severity,
        path: Option<String>,
        message: String,
    ) {
        let source = source.to_owned();
        self.diagnostics.push(RunDiagnostic {
            source,
            severity,
            path,
            line: None,
            message,
        });
    }
}

/// Runs the provider and the validator chain for one contestant. Never panics on bad
/// plugin behaviour or bad replies: every failure ends up in `Generated::failure`.
pub async fn generate(
    plugins: &PluginSet,
    pipeline: &Pipeline,
    contestant: &Contestant,
    prompt: &str,
    stream: mpsc::UnboundedSender<String>,
) -> Generated {
    generate_with_progress(
        plugins,
        pipeline,
        contestant,
        prompt,
        stream.into(),
        &|_| {},
    )
    .await
}

/// The most diagnostics kept from one validator for one run, and the longest message.
pub const MAX_DIAGNOSTICS_PER_VALIDATOR: usize = 200;
const MAX_MESSAGE_CHARS: usize = 2000;

fn truncate_message(message: String) -> String {
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message,
    }
}

/// [`generate`], calling `on_stage` as each stage begins.
pub async fn generate_with_progress(
    plugins: &PluginSet,
    pipeline: &Pipeline,
    contestant: &Contestant,
    prompt: &str,
    stream: ReplySink,
    on_stage: &(dyn Fn(Stage) + Sync),
) -> Generated {
    on_stage(Stage::Generating);
    let mut run = Generated::new(contestant);
    if let Some(reason) = contestant.unavailable_reason(plugins) {
        return run.fail_by(
            Stage::Generating,
            format!("contestant {} is unavailable: {reason}", contestant.id),
            Fault::Arena,
        );
    }
    let provider = &plugins.providers[&contestant.provider];

    // The pipeline's parameters first, so the contestant's own win.
    let mut params = pipeline.provider_params.clone();
    params.retain(|(key, _)| !contestant.params.contains_key(key));
    // "default" drops the pipeline's value and sends none, so the API's own default applies
    // (reasoning models refuse any temperature but theirs).
    params.extend(
        contestant
            .params()
            .into_iter()
            .filter(|(_, value)| value != "default"),
    );
    match contestant.replay_text(prompt) {
        Ok(Some(reply)) => params.push(("reply".into(), reply)),
        Ok(None) => {}
        Err(reason) => return run.fail_by(Stage::Generating, reason, Fault::Arena),
    }

    let request = GenerateRequest {
        system_prompt: pipeline.system_prompt.clone(),
        user_prompt: prompt.to_owned(),
        model: contestant.model.clone(),
        params,
    };
    let network = NetworkGrant {
        extra_hosts: contestant.allow_hosts.clone(),
        secrets: contestant.secret_values(&provider.info.secrets),
    };
    let started = Instant::now();
    let result = provider
        .generate(request, &pipeline.generate_limits(), network, stream)
        .await;
    run.timings.push(StageTime {
        stage: Stage::Generating,
        elapsed: started.elapsed(),
    });

    let generation = match result {
        Ok(generation) => generation,
        // The provider plugin trapped, ran past its deadline or out of memory.
        Err(error) => return run.fail_by(Stage::Generating, error.to_string(), Fault::Provider),
    };
    run.reply = generation.reply;
    run.usage = generation.usage;
    run.finish = Some(generation.finish.clone());
    run.plugin_logs = generation
        .logs
        .into_iter()
        .map(|line| (provider.meta.id.clone(), line))
        .collect();
    if let Some(price) = contestant.price(plugins) {
        run.cost_usd = price.cost_usd(run.usage.input_tokens, run.usage.output_tokens);
    }
    if let FinishReason::Error(message) = &generation.finish {
        // Refused keys, rate limits, outages, broken streams: the service, not the model.
        let reason = format!("provider `{}` failed: {message}", provider.meta.id);
        return run.fail_by(Stage::Generating, reason, Fault::Provider);
    }

    on_stage(Stage::Validating);
    let started = Instant::now();
    let run = validate(run, plugins, pipeline).await;
    let mut run = run;
    run.timings.push(StageTime {
        stage: Stage::Validating,
        elapsed: started.elapsed(),
    });
    run
}

/// Extraction, path checks and the validator chain.
async fn validate(mut run: Generated, plugins: &PluginSet, pipeline: &Pipeline) -> Generated {
    // Extraction is plain computation over a reply of up to the output cap: keep it off
    // the async workers that serve the API and the gateway.
    let reply = run.reply.clone();
    let extracted = tokio::task::spawn_blocking(move || extract::extract(&reply)).await;
    let extraction = match extracted {
        Ok(Ok(extraction)) => extraction,
        Ok(Err(error)) => return run.fail(Stage::Validating, error.to_string()),
        Err(panic) => {
            return run.fail_by(
                Stage::Validating,
                format!("arena error: extraction failed: {panic}"),
                Fault::Arena,
            );
        }
    };
    for warning in &extraction.warnings {
        run.diagnose("extract", Severity::Warning, None, warning.clone());
    }

    // A cut-off reply is the model's failure, and the first thing a reader must see: a
    // build error about the half-written file would hide it.
    let cut_at_limit = run.finish == Some(FinishReason::Length);
    if let Some(file) = extraction.incomplete() {
        let stop = if cut_at_limit {
            "length (the output limit)"
        } else {
            "stop"
        };
        let reason = format!(
            "model output truncated: the reply ends inside {}; provider stop reason: {stop}",
            file.path
        );
        return run.fail(Stage::Validating, reason);
    }
    if cut_at_limit {
        let reason = "model output truncated: the provider stopped at its output limit \
                      (stop reason: length); files the reply meant to write may be missing";
        return run.fail(Stage::Validating, reason.into());
    }

    let checked = workspace::check_tree(
        extraction
            .files
            .into_iter()
            .map(|file| (file.path, file.contents)),
        &pipeline.files,
    );
    for rejection in checked.rejections {
        let message = format!("{} rejected: {}", rejection.path, rejection.reason);
        run.diagnose("paths", Severity::Warning, Some(rejection.path), message);
    }
    let mut files: Vec<SourceFile> = checked
        .files
        .into_iter()
        .map(|(path, contents)| SourceFile {
            path: path.as_str().to_owned(),
            contents,
        })
        .collect();

    for step in &pipeline.validators {
        let Some(validator) = plugins.validators.get(&step.plugin) else {
            let reason = format!(
                "pipeline `{}` uses validator `{}`, which is not loaded",
                pipeline.id, step.plugin
            );
            return run.fail_by(Stage::Validating, reason, Fault::Arena);
        };
        let validation = match validator
            .validate(&files, &step.settings(), &pipeline.plugin_limits)
            .await
        {
            Ok(validation) => validation,
            // The validator is the arena's tool: its trap or timeout is not the model's.
            Err(error) => {
                return run.fail_by(Stage::Validating, error.to_string(), Fault::Arena);
            }
        };
        let id = validator.meta.id.clone();
        run.plugin_logs
            .extend(validation.logs.into_iter().map(|line| (id.clone(), line)));
        // A validator's say is capped like a provider's reply: a flood of diagnostics would
        // bloat the record, every report and every watching page. Errors are kept first, so
        // the cut never hides why a run failed.
        let total = validation.diagnostics.len();
        let mut diagnostics = validation.diagnostics;
        diagnostics.sort_by_key(|d| d.severity != Severity::Error);
        for diagnostic in diagnostics.into_iter().take(MAX_DIAGNOSTICS_PER_VALIDATOR) {
            run.diagnostics.push(RunDiagnostic {
                source: id.clone(),
                severity: diagnostic.severity,
                path: diagnostic.path,
                line: diagnostic.line,
                message: truncate_message(diagnostic.message),
            });
        }
        if total > MAX_DIAGNOSTICS_PER_VALIDATOR {
            run.diagnostics.push(RunDiagnostic {
                source: id.clone(),
                severity: Severity::Info,
                path: None,
                line: None,
                message: format!(
                    "{} more diagnostics not kept (at most {MAX_DIAGNOSTICS_PER_VALIDATOR} per \
                     validator)",
                    total - MAX_DIAGNOSTICS_PER_VALIDATOR
                ),
            });
        }
        match apply_edits(&mut files, &validation.edits, &pipeline.files) {
            Ok(()) => {}
            Err(reason) => {
                return run.fail_by(
                    Stage::Validating,
                    format!("validator `{id}` made a bad edit: {reason}"),
                    Fault::Arena,
                );
            }
        }
        run.edits
            .extend(validation.edits.into_iter().map(|edit| RecordedEdit {
                validator: id.clone(),
                edit,
            }));
    }

    files.sort_by(|a, b| a.path.cmp(&b.path));
    run.files = files;
    let errors: Vec<String> = run
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|diagnostic| match &diagnostic.path {
            Some(path) => format!("{path}: {}", diagnostic.message),
            None => diagnostic.message.clone(),
        })
        .collect();
    if !errors.is_empty() {
        return run.fail(Stage::Validating, errors.join("; "));
    }
    run
}

/// Applies a validator's edits; a written path goes through the same checks as the reply's.
fn apply_edits(
    files: &mut Vec<SourceFile>,
    edits: &[Edit],
    limits: &workspace::TreeLimits,
) -> Result<(), String> {
    for edit in edits {
        match edit {
            Edit::Write { path, contents } => {
                let checked = workspace::check_tree([(path.clone(), contents.clone())], limits);
                if let Some(rejection) = checked.rejections.first() {
                    return Err(format!("{}: {}", rejection.path, rejection.reason));
                }
                let (safe, contents) = checked.files.into_iter().next().expect("one checked file");
                let path = safe.as_str().to_owned();
                files.retain(|file| file.path != path);
                files.push(SourceFile { path, contents });
            }
            Edit::Delete { path } => files.retain(|file| &file.path != path),
        }
    }
    Ok(())
}

/// Writes the checked project into `dir` (which must not exist yet or be empty).
pub fn write_project(
    dir: &Path,
    files: &[SourceFile],
    limits: &workspace::TreeLimits,
) -> anyhow::Result<()> {
    let checked = workspace::check_tree(
        files
            .iter()
            .map(|file| (file.path.clone(), file.contents.clone())),
        limits,
    );
    if let Some(rejection) = checked.rejections.first() {
        anyhow::bail!("refusing to write {}: {}", rejection.path, rejection.reason);
    }
    std::fs::create_dir_all(dir)?;
    workspace::write_tree(dir, &checked.files)?;
    Ok(())
}
