//! `arena serve`: the arena's pages, the HTTP API and the preview gateway on one port.
//!
//! Requests whose Host is a preview host (`{run-id}.preview.localhost`) go to the gateway;
//! everything else is the pages (`/`, `/sessions/{id}`, `/plugins`) or the API under `/api`. Client mistakes get a 4xx with a plain message;
//! internal failures get a bare 500 and the real cause goes to the log.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures::Stream;
use serde::{Deserialize, Serialize};
use tower::ServiceExt as _;

use crate::arena::{Arena, Ballot, BattleRequest, Session, SessionError, VoteError, VotingState};
use crate::conceal::Concealer;
use crate::gateway::Gateway;
use crate::run::{Event, RunRecord};
use crate::store::{BoardFilter, HistoryQuery, StoreError};

#[derive(Clone)]
struct App {
    gateway: Arc<Gateway>,
    api: Router,
}

/// Builds the service: API routes plus the gateway, dispatched by Host header.
pub fn router(arena: Arena, preview_domain: &str) -> Router {
    let gateway = Arc::new(Gateway::new(
        Arc::new(arena.clone()),
        preview_domain.to_owned(),
    ));
    let policy: Arc<str> = crate::web::content_security_policy(preview_domain).into();
    let page = |name: &'static str| {
        let policy = policy.clone();
        get(move |headers: HeaderMap| async move { crate::web::page(name, &policy, &headers) })
    };
    let api = Router::new()
        .route("/", page(crate::web::HOME))
        .route("/sessions/{id}", page(crate::web::SESSION))
        .route("/plugins", page(crate::web::PLUGINS))
        .route("/history", page(crate::web::HISTORY))
        .route("/leaderboard", page(crate::web::LEADERBOARD))
        .route("/assets/{*file}", get(crate::web::asset))
        .route("/api/health", get(|| async { "ok" }))
        .route("/api/contestants", get(contestants))
        .route("/api/plugins", get(plugins))
        .route("/api/sessions", post(create_session).get(list_sessions))
        .route("/api/sessions/{id}", get(session))
        .route("/api/sessions/{id}/events", get(session_events))
        .route("/api/sessions/{id}/export", get(session_export))
        .route("/api/sessions/{id}/votes", post(create_vote))
        .route("/api/history", get(history))
        .route("/api/leaderboard", get(leaderboard))
        .route("/api/runs/{id}/download", get(run_download))
        .route("/api/runs/{id}", get(run))
        .route("/api/runs/{id}/summary", get(run_summary_route))
        .route("/api/runs/{id}/logs/{phase}", get(run_log))
        .route("/api/runs/{id}/files/{*path}", get(run_file))
        .route("/api/runs/{id}/screenshots/{viewport}", get(run_screenshot))
        .route("/api/runs/{id}/stop", post(stop_run))
        .with_state(arena);
    let app = App { gateway, api };
    Router::new().fallback(dispatch).with_state(app)
}

async fn dispatch(State(app): State<App>, request: Request) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if app.gateway.is_preview_host(&host) {
        return app.gateway.handle(request).await;
    }
    // Answering any Host would let a web page that rebinds its own name to 127.0.0.1 drive
    // the API (start battles, read replies) from a visitor's browser.
    if !is_api_host(&host) {
        let message = format!(
            "host {host:?} is not served here; add it to ARENA_HOSTS (comma-separated) to allow it"
        );
        let body = Json(serde_json::json!({ "error": message }));
        return (StatusCode::MISDIRECTED_REQUEST, body).into_response();
    }
    // A page elsewhere (a preview, whose sandboxed origin is "null", or any site the
    // visitor has open) may send a POST here without reading the answer: it could still
    // stop runs. Browsers name the sending page's origin on such requests; only the arena's
    // own pages may change anything.
    if request.method() != axum::http::Method::GET && request.method() != axum::http::Method::HEAD {
        let origin = request.headers().get(header::ORIGIN);
        if let Some(origin) = origin.filter(|origin| !is_same_origin(origin, &host)) {
            let message = format!(
                "requests from {} may not change anything here",
                String::from_utf8_lossy(origin.as_bytes())
            );
            let body = Json(serde_json::json!({ "error": message }));
            return (StatusCode::FORBIDDEN, body).into_response();
        }
    }
    match app.api.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Loopback names, and the names an operator lists in `ARENA_HOSTS`.
fn is_api_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if matches!(name.as_str(), "localhost" | "127.0.0.1" | "[::1]") {
        return true;
    }
    std::env::var("ARENA_HOSTS").is_ok_and(|hosts| {
        hosts
            .split(',')
            .any(|allowed| allowed.trim().eq_ignore_ascii_case(&name))
    })
}

/// Whether an `Origin` header names the host the request was sent to (`http://localhost:3000`
/// for Host `localhost:3000`).
fn is_same_origin(origin: &axum::http::HeaderValue, host: &str) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    authority.is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// An error as the API reports it.
#[derive(Debug)]
enum ApiError {
    NotFound(String),
    BadRequest(String),
    /// The request is sound but the battle is not in a state to take it.
    Conflict(String),
    Internal(anyhow::Error),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, message),
            ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, message),
            ApiError::Conflict(message) => (StatusCode::CONFLICT, message),
            ApiError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "Request failed.");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_owned(),
                )
            }
        };
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}

impl From<SessionError> for ApiError {
    fn from(error: SessionError) -> Self {
        match error {
            SessionError::Store(_) => ApiError::Internal(error.into()),
            _ => ApiError::BadRequest(error.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError::Internal(error.into())
    }
}

impl From<VoteError> for ApiError {
    fn from(error: VoteError) -> Self {
        match error {
            VoteError::UnknownBattle(_) => ApiError::NotFound(error.to_string()),
            VoteError::NotFinished(_) | VoteError::AlreadyVoted => {
                ApiError::Conflict(error.to_string())
            }
            VoteError::BadBallot(_) => ApiError::BadRequest(error.to_string()),
            VoteError::Store(error) => error.into(),
        }
    }
}

#[derive(Serialize)]
struct ContestantEntry {
    id: String,
    name: String,
    provider: String,
    model: String,
    /// The picker's heading for it: the entry's group, else the provider plugin's name.
    group: String,
    default: bool,
    available: bool,
    unavailable_reason: Option<String>,
}

async fn contestants(State(arena): State<Arena>) -> Json<Vec<ContestantEntry>> {
    let catalog = arena.catalog();
    let entries = catalog
        .contestants
        .iter()
        .map(|contestant| {
            let reason = contestant.unavailable_reason(&catalog.plugins);
            let group = contestant.group.clone().unwrap_or_else(|| {
                catalog
                    .plugins
                    .providers
                    .get(&contestant.provider)
                    .map_or_else(
                        || contestant.provider.clone(),
                        |p| p.info.display_name.clone(),
                    )
            });
            ContestantEntry {
                id: contestant.id.clone(),
                name: contestant.name.clone(),
                provider: contestant.provider.clone(),
                model: contestant.model.clone(),
                group,
                default: contestant.default,
                available: reason.is_none(),
                unavailable_reason: reason,
            }
        })
        .collect();
    Json(entries)
}

/// One loaded plugin, as the plugins page lists it.
#[derive(Serialize)]
struct PluginEntry<'a> {
    id: &'a str,
    kind: crate::plugin::PluginKind,
    name: &'a str,
    version: &'a str,
    description: &'a str,
    /// The file it came from (`bundled x.wasm` for the ones inside the binary).
    source: String,
    content_hash: &'a str,
    /// Providers only: the models they offer, the secrets and hosts they declare.
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a crate::plugin::ProviderInfo>,
}

#[derive(Serialize)]
struct PipelineEntry<'a> {
    id: &'a str,
    name: &'a str,
    source: &'a str,
    missing_plugins: Vec<String>,
}

#[derive(Serialize)]
struct LoadProblem {
    source: String,
    message: String,
}

#[derive(Serialize)]
struct PluginsView<'a> {
    plugins: Vec<PluginEntry<'a>>,
    plugin_errors: Vec<LoadProblem>,
    pipelines: Vec<PipelineEntry<'a>>,
    pipeline_errors: Vec<LoadProblem>,
    /// Why the contestants file last failed to reload, if it did.
    contestants_error: Option<String>,
    /// Counts reloads since start: a page can tell its view is stale.
    version: u64,
}

impl<'a> PluginEntry<'a> {
    fn new(meta: &'a crate::plugin::PluginMeta, name: &'a str, version: &'a str) -> Self {
        Self {
            id: &meta.id,
            kind: meta.kind,
            name,
            version,
            description: "",
            source: meta.source.to_string(),
            content_hash: &meta.content_hash,
            provider: None,
        }
    }
}

async fn plugins(State(arena): State<Arena>) -> Response {
    let catalog = arena.catalog();
    let plugins = &catalog.plugins;
    let pipelines = &catalog.pipelines;

    let providers = plugins.providers.values().map(|plugin| PluginEntry {
        provider: Some(&plugin.info),
        ..PluginEntry::new(
            &plugin.meta,
            &plugin.info.display_name,
            &plugin.info.version,
        )
    });
    let validators = plugins.validators.values().map(|plugin| PluginEntry {
        description: &plugin.info.description,
        ..PluginEntry::new(
            &plugin.meta,
            &plugin.info.display_name,
            &plugin.info.version,
        )
    });
    let scorers = plugins.scorers.values().map(|plugin| PluginEntry {
        description: &plugin.info.description,
        ..PluginEntry::new(
            &plugin.meta,
            &plugin.info.display_name,
            &plugin.info.version,
        )
    });

    let view = PluginsView {
        plugins: providers.chain(validators).chain(scorers).collect(),
        plugin_errors: plugins
            .errors
            .iter()
            .map(|error| LoadProblem {
                source: error.origin.to_string(),
                message: error.message.clone(),
            })
            .collect(),
        pipelines: pipelines
            .pipelines
            .values()
            .map(|pipeline| PipelineEntry {
                id: &pipeline.id,
                name: &pipeline.display_name,
                source: &pipeline.source,
                missing_plugins: pipeline.missing_plugins(plugins),
            })
            .collect(),
        pipeline_errors: pipelines
            .errors
            .iter()
            .map(|error| LoadProblem {
                source: error.file.clone(),
                message: error.to_string(),
            })
            .collect(),
        contestants_error: catalog.contestants_error.clone(),
        version: catalog.version,
    };
    Json(view).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSession {
    prompt: String,
    #[serde(default)]
    contestants: Vec<String>,
    #[serde(default = "default_pipeline")]
    pipeline: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    anonymous: bool,
}

fn default_pipeline() -> String {
    "nextjs".into()
}

/// A session with its runs, in full (`RunRecord`) or as summaries.
#[derive(Serialize)]
struct SessionView<Run = RunRecord> {
    id: String,
    prompt: String,
    pipeline: String,
    category: Option<String>,
    anonymous: bool,
    /// Contestants show as "Contestant A", "Contestant B"… until this browser votes.
    names_hidden: bool,
    created_ms: u64,
    runs: Vec<Run>,
    voting: Option<VotingState>,
    votes: Vec<crate::store::Vote>,
}

/// Who is asking, for what depends on whether they have voted.
#[derive(Deserialize, Default)]
struct VoterQuery {
    voter: Option<String>,
}

fn view(arena: &Arena, session: &Session, voter: Option<&str>) -> Result<SessionView, ApiError> {
    view_with(arena, session, voter, |run| run)
}

fn view_with<Run>(
    arena: &Arena,
    session: &Session,
    voter: Option<&str>,
    each: impl FnMut(RunRecord) -> Run,
) -> Result<SessionView<Run>, ApiError> {
    let names_hidden = arena.names_hidden(session, voter);
    let mut runs = arena.runs_of(session);
    let mut voting = arena.voting(session, voter)?;
    if names_hidden {
        let contestants = contestants_of(&runs);
        for (position, run) in runs.iter_mut().enumerate() {
            conceal(run, &contestants, position);
        }
        // Why a vote would not count, told of the runs as this voter sees them.
        voting.excluded = runs.iter().find_map(RunRecord::arena_fault);
    }
    let runs = runs.into_iter().map(each).collect();
    Ok(SessionView {
        id: session.id.clone(),
        prompt: session.prompt.clone(),
        pipeline: session.pipeline.clone(),
        category: session.category.clone(),
        anonymous: session.anonymous,
        names_hidden,
        created_ms: session.created_ms,
        runs,
        // Others' verdicts are not shown before one's own: they would sway it (and in an
        // anonymous battle their reasons name the contestants).
        votes: match voting.voted {
            true => arena.store().votes_of(&session.id)?,
            false => Vec::new(),
        },
        voting: Some(voting),
    })
}

/// Who competes in each run, in the battle's order: what a [`Concealer`] hides.
fn contestants_of(runs: &[RunRecord]) -> Vec<crate::run::ContestantView> {
    runs.iter().map(|run| run.contestant.clone()).collect()
}

/// A run as someone who has not voted on its anonymous battle sees it: by its letter, its
/// reasons and logs without the contestant's name, model or provider, and without the
/// usage and cost that would tell the model by its price.
fn conceal(run: &mut RunRecord, contestants: &[crate::run::ContestantView], position: usize) {
    let concealer = Concealer::for_run(contestants, position);
    let hidden = crate::run::ContestantView::hidden(position);
    let reason = run.failure.clone();
    run.failure = reason
        .as_deref()
        .map(|text| concealer.failure(text, run.fault));
    for text in run.logs.values_mut() {
        *text = concealer.apply(text);
    }
    // The error log repeats the reason.
    if let (Some(reason), Some(shown), Some(log)) =
        (&reason, &run.failure, run.logs.get_mut("error"))
    {
        *log = log.replace(&concealer.apply(reason), shown);
    }
    run.reply = concealer.apply(&run.reply);
    for diagnostic in &mut run.diagnostics {
        diagnostic.message = concealer.apply(&diagnostic.message);
    }
    if let Some(crate::plugin::FinishReason::Error(message)) = &mut run.finish {
        *message = concealer.failure(message, Some(crate::run::Fault::Provider));
    }
    run.usage = Default::default();
    run.cost_usd = 0.0;
    run.contestant = hidden;
}

async fn create_session(
    State(arena): State<Arena>,
    body: Result<Json<NewSession>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<SessionView>), ApiError> {
    let Json(body) = body.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let session = arena.start_battle(BattleRequest {
        prompt: body.prompt,
        contestants: body.contestants,
        pipeline: body.pipeline,
        category: body.category,
        anonymous: body.anonymous,
    })?;
    Ok((StatusCode::CREATED, Json(view(&arena, &session, None)?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewVote {
    voter: String,
    /// `best` (with `best`), `ranking` (with `ranking`) or `all_bad`.
    kind: String,
    best: Option<String>,
    ranking: Option<Vec<Vec<String>>>,
}

/// `POST /api/sessions/{id}/votes`: a person's ranking of a finished battle. Answers the
/// vote and the battle as the voter may now see it (names revealed).
async fn create_vote(
    State(arena): State<Arena>,
    Path(id): Path<String>,
    body: Result<Json<NewVote>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let Json(body) = body.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let ballot = match (body.kind.as_str(), body.best, body.ranking) {
        ("best", Some(best), None) => Ballot::Best(best),
        ("ranking", None, Some(ranking)) => Ballot::Ranking(ranking),
        ("all_bad", None, None) => Ballot::AllBad,
        (kind @ ("best" | "ranking" | "all_bad"), _, _) => {
            return Err(ApiError::BadRequest(format!(
                "a `{kind}` vote takes {}",
                match kind {
                    "best" => "`best`: the winning run's id, and no `ranking`",
                    "ranking" => "`ranking`: tiers of run ids, best first, and no `best`",
                    _ => "neither `best` nor `ranking`",
                }
            )));
        }
        (other, _, _) => {
            return Err(ApiError::BadRequest(format!(
                "no vote kind `{other}`; kinds are best, ranking, all_bad"
            )));
        }
    };
    let voter = body.voter.trim();
    let vote = arena.vote(&id, voter, ballot)?;
    let session = arena
        .session(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no session {id}")))?;
    let session = view(&arena, &session, Some(voter))?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "vote": vote, "session": session })),
    ))
}

#[derive(Deserialize)]
struct HistoryParams {
    q: Option<String>,
    contestant: Option<String>,
    category: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
    voter: Option<String>,
}

/// `GET /api/history`: past battles, newest first, by prompt words, contestant, category.
async fn history(
    State(arena): State<Arena>,
    query: Result<Query<HistoryParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Query(params) = query.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let given = |value: Option<String>| {
        value
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let query = HistoryQuery {
        text: given(params.q),
        contestant: given(params.contestant),
        category: given(params.category),
        limit: params.limit.unwrap_or(50).clamp(1, 200),
        offset: params.offset.unwrap_or(0),
        voter: given(params.voter.clone()),
    };
    let voter = params.voter.as_deref();
    let (total, entries) = arena.store().history(&query)?;
    let battles: Vec<serde_json::Value> = entries
        .into_iter()
        .map(|entry| {
            let names_hidden = arena.hides_names(&entry.info.id, entry.info.anonymous, voter);
            let mut runs = entry.runs;
            if names_hidden {
                let contestants: Vec<_> = runs.iter().map(|run| run.contestant.clone()).collect();
                for (position, run) in runs.iter_mut().enumerate() {
                    let concealer = Concealer::for_run(&contestants, position);
                    run.failure =
                        (run.failure.as_deref()).map(|text| concealer.failure(text, run.fault));
                    run.cost_usd = 0.0;
                    run.contestant = crate::run::ContestantView::hidden(position);
                }
            }
            serde_json::json!({
                "id": entry.info.id,
                "prompt": entry.info.prompt,
                "category": entry.info.category,
                "pipeline": entry.info.pipeline,
                "created_ms": entry.info.created_ms,
                "anonymous": entry.info.anonymous,
                "names_hidden": names_hidden,
                "votes": entry.votes,
                "runs": runs,
            })
        })
        .collect();
    Ok(Json(
        serde_json::json!({ "total": total, "battles": battles }),
    ))
}

#[derive(Deserialize)]
struct BoardParams {
    pipeline: Option<String>,
    category: Option<String>,
}

/// `GET /api/leaderboard`: strengths from votes, and the scorers' means beside them.
async fn leaderboard(
    State(arena): State<Arena>,
    query: Result<Query<BoardParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<crate::arena::LeaderboardView>, ApiError> {
    let Query(params) = query.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let given = |value: Option<String>| value.filter(|value| !value.trim().is_empty());
    let filter = BoardFilter {
        pipeline: given(params.pipeline),
        category: given(params.category),
    };
    // The fit runs on a blocking thread: a cold board with many votes takes milliseconds
    // of CPU that the runtime's other tasks should not wait for.
    let board = tokio::task::spawn_blocking(move || arena.leaderboard(&filter))
        .await
        .map_err(|error| ApiError::Internal(error.into()))??;
    Ok(Json(board))
}

/// `GET /api/runs/{id}/download`: the run's project as a ZIP: the files as the arena
/// checked and built them (validator edits applied), the model's whole reply, and a list of
/// what each validator changed.
async fn run_download(
    State(arena): State<Arena>,
    Path(id): Path<String>,
    Query(voter): Query<VoterQuery>,
) -> Result<Response, ApiError> {
    let record = visible_run(&arena, &id, voter.voter.as_deref())?;
    let name = format!("{}-{}", record.contestant.id, record.id);
    let bytes = crate::export::project_zip(&record, &name)
        .map_err(|error| ApiError::Internal(error.into()))?;
    let disposition = format!("attachment; filename=\"{name}.zip\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// A run without its text (reply, logs, the contents of validator edits): what a list or
/// a watcher that follows the event stream needs, at a fraction of the size.
fn run_summary(record: &RunRecord) -> serde_json::Value {
    let mut value = serde_json::to_value(record).expect("run records serialise");
    if let Some(fields) = value.as_object_mut() {
        fields.remove("reply");
        fields.remove("logs");
        if let Some(serde_json::Value::Array(edits)) = fields.get_mut("edits") {
            for edit in edits {
                if let Some(edit) = edit.as_object_mut() {
                    edit.remove("contents");
                }
            }
        }
    }
    value
}

/// Every session, each run as a summary (`GET /api/runs/{id}` has the rest).
async fn list_sessions(
    State(arena): State<Arena>,
    Query(voter): Query<VoterQuery>,
) -> Result<Json<Vec<SessionView<serde_json::Value>>>, ApiError> {
    let sessions = arena.sessions();
    let views = sessions.iter().map(|session| {
        view_with(&arena, session, voter.voter.as_deref(), |run| {
            run_summary(&run)
        })
    });
    Ok(Json(views.collect::<Result<_, _>>()?))
}

/// A run as `voter` may see it: in an anonymous battle they have not voted on, without the
/// contestant's name.
fn visible_run(arena: &Arena, id: &str, voter: Option<&str>) -> Result<RunRecord, ApiError> {
    let mut record = arena
        .run(id)
        .ok_or_else(|| ApiError::NotFound(format!("no run {id}")))?;
    if let Some(session) = arena.session(&record.session)
        && arena.names_hidden(&session, voter)
    {
        let position = session.run_ids.iter().position(|run| run == id);
        let contestants = contestants_of(&arena.runs_of(&session));
        conceal(&mut record, &contestants, position.unwrap_or(0));
    }
    Ok(record)
}

async fn run_summary_route(
    State(arena): State<Arena>,
    Path(id): Path<String>,
    Query(voter): Query<VoterQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let record = visible_run(&arena, &id, voter.voter.as_deref())?;
    Ok(Json(run_summary(&record)))
}

async fn session(
    State(arena): State<Arena>,
    Path(id): Path<String>,
    Query(voter): Query<VoterQuery>,
) -> Result<Json<SessionView>, ApiError> {
    let session = arena
        .session(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no session {id}")))?;
    Ok(Json(view(&arena, &session, voter.voter.as_deref())?))
}

/// The battle for analysis, as a download: prompt, pipeline, and per run the contestant,
/// statuses with times, time per stage, usage and cost, checks, scores and what the page
/// showed; not the reply, logs or file contents (the run's own endpoints have those).
async fn session_export(
    State(arena): State<Arena>,
    Path(id): Path<String>,
    Query(voter): Query<VoterQuery>,
) -> Result<Response, ApiError> {
    let session = arena
        .session(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no session {id}")))?;
    let battle = view_with(&arena, &session, voter.voter.as_deref(), |run| {
        run_summary(&run)
    })?;
    // The providers used would tell an anonymous battle's contestants apart.
    let versions = match battle.names_hidden {
        true => serde_json::Value::Null,
        false => session.versions.clone(),
    };
    // A download for analysis carries every vote, unless names are hidden from its reader.
    let mut battle = battle;
    if !battle.names_hidden {
        battle.votes = arena.store().votes_of(&session.id)?;
    }
    let export = serde_json::json!({
        "format": "vibe-arena battle export 1",
        "exported_ms": crate::run::now_ms(),
        "battle": battle,
        "versions": versions,
    });
    let disposition = format!("attachment; filename=\"battle-{}.json\"", session.id);
    Ok((
        [(axum::http::header::CONTENT_DISPOSITION, disposition)],
        Json(export),
    )
        .into_response())
}

#[derive(Deserialize)]
struct EventsQuery {
    /// Resume after this event number; the `Last-Event-ID` header does the same.
    after: Option<u64>,
    /// Who watches: an anonymous battle's events name no contestant until they vote.
    voter: Option<String>,
}

/// Server-sent events for a session: every event since `after` (or since the start),
/// then each new one as it happens. Event ids are the session's sequence numbers, so a
/// browser that reconnects resumes where it stopped, without gaps or repeats.
async fn session_events(
    State(arena): State<Arena>,
    Path(id): Path<String>,
    query: Result<Query<EventsQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let Query(query) = query.map_err(|_| {
        ApiError::BadRequest("`after` must be an event number, as in ?after=41".into())
    })?;
    let session = arena
        .session(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no session {id}")))?;
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let after = last_event_id.or(query.after);
    let (missed, receiver) = session.subscribe(after);
    // Decided when the stream opens: a watcher who votes meanwhile sees names from the
    // next page load on.
    let concealers: Option<std::collections::HashMap<String, Concealer>> = arena
        .names_hidden(&session, query.voter.as_deref())
        .then(|| {
            let runs = arena.runs_of(&session);
            let contestants = contestants_of(&runs);
            (runs.iter().enumerate())
                .map(|(position, run)| (run.id.clone(), Concealer::for_run(&contestants, position)))
                .collect()
        });

    struct Cursor {
        session: Arc<Session>,
        pending: std::collections::VecDeque<Event>,
        receiver: tokio::sync::broadcast::Receiver<Event>,
        last_seq: Option<u64>,
        concealers: Option<std::collections::HashMap<String, Concealer>>,
        arena: Arena,
    }
    let cursor = Cursor {
        arena: arena.clone(),
        session,
        pending: missed.into(),
        receiver,
        last_seq: after,
        concealers,
    };
    let stream = futures::stream::unfold(cursor, |mut cursor| async move {
        loop {
            if let Some(event) = cursor.pending.pop_front() {
                if cursor.last_seq.is_some_and(|seq| event.seq <= seq) {
                    continue;
                }
                cursor.last_seq = Some(event.seq);
                let mut event = event;
                if let Some(concealer) = cursor
                    .concealers
                    .as_ref()
                    .and_then(|all| all.get(&event.run))
                {
                    match &mut event.kind {
                        crate::run::EventKind::Status { reason, .. } => {
                            // A reason comes with the run's end, when its fault is known.
                            let fault = cursor.arena.run(&event.run).and_then(|run| run.fault);
                            *reason = reason.as_deref().map(|text| concealer.failure(text, fault));
                        }
                        crate::run::EventKind::Reply { text } => *text = concealer.apply(text),
                        crate::run::EventKind::Log { line, .. } => *line = concealer.apply(line),
                    }
                }
                let sse = SseEvent::default()
                    .id(event.seq.to_string())
                    .event(event_name(&event))
                    .json_data(&event)
                    .expect("events serialise");
                return Some((Ok(sse), cursor));
            }
            match cursor.receiver.recv().await {
                Ok(event) => cursor.pending.push_back(event),
                // A slow watcher fell behind the channel: refill from the session's log.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let (missed, receiver) = cursor.session.subscribe(cursor.last_seq);
                    cursor.pending.extend(missed);
                    cursor.receiver = receiver;
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn event_name(event: &Event) -> &'static str {
    match event.kind {
        crate::run::EventKind::Status { .. } => "status",
        crate::run::EventKind::Reply { .. } => "reply",
        crate::run::EventKind::Log { .. } => "log",
    }
}

async fn run(
    State(arena): State<Arena>,
    Path(id): Path<String>,
    Query(voter): Query<VoterQuery>,
) -> Result<Json<RunRecord>, ApiError> {
    Ok(Json(visible_run(&arena, &id, voter.voter.as_deref())?))
}

async fn run_log(
    State(arena): State<Arena>,
    Path((id, phase)): Path<(String, String)>,
    Query(voter): Query<VoterQuery>,
) -> Result<Response, ApiError> {
    // A failure's reason in the error log can name the contestant.
    let record = visible_run(&arena, &id, voter.voter.as_deref())?;
    if !["install", "build", "start", "error"].contains(&phase.as_str()) {
        return Err(ApiError::NotFound(format!(
            "no phase {phase}; phases are install, build, start, error"
        )));
    }
    let text = record.logs.get(&phase).cloned().unwrap_or_default();
    let headers = [
        (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    Ok((headers, text).into_response())
}

/// One file of a run's project as the arena checked it (validator edits included), from
/// memory: never from the project folder, which the generated code could write to.
async fn run_file(
    State(arena): State<Arena>,
    Path((id, path)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let record = arena
        .run(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no run {id}")))?;
    let file = record
        .kept_files
        .iter()
        .find(|file| file.path == path)
        .ok_or_else(|| ApiError::NotFound(format!("run {id} has no file {path}")))?;
    let headers = [
        (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    Ok((headers, file.contents.clone()).into_response())
}

async fn run_screenshot(
    State(arena): State<Arena>,
    Path((id, viewport)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let record = arena
        .run(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no run {id}")))?;
    let viewport = viewport.trim_end_matches(".png");
    let shot = record
        .screenshots
        .iter()
        .find(|shot| shot.viewport == viewport)
        .ok_or_else(|| ApiError::NotFound(format!("run {id} has no {viewport} screenshot")))?;
    let bytes = tokio::fs::read(&shot.path)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    Ok(([(header::CONTENT_TYPE, "image/png")], Body::from(bytes)).into_response())
}

async fn stop_run(
    State(arena): State<Arena>,
    Path(id): Path<String>,
) -> Result<Json<RunRecord>, ApiError> {
    if !arena.stop(&id, "stopped on request").await {
        return Err(ApiError::NotFound(format!("no run {id}")));
    }
    Ok(Json(visible_run(&arena, &id, None)?))
}
