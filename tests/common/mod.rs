//! Shared set-up for the integration tests: one plugin engine and the built plugins.
#![allow(dead_code)]

pub mod api;
pub mod browser;
pub mod wire;

use std::path::{Path, PathBuf};

use arena::contestants::Contestant;
use arena::pipeline::{Pipeline, PipelineSet};
use arena::plugin::{BUILT_PLUGIN_DIR, PluginEngine, PluginSet};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh engine with a private disk cache, so tests never share compiled state by
/// accident.
pub fn engine() -> PluginEngine {
    PluginEngine::new(None).expect("plugin engine")
}

/// The bundled plugins plus the test-only ones (hostile) from the build folder.
pub async fn plugins_with_test_ones(engine: &PluginEngine) -> PluginSet {
    let mut plugins = PluginSet::load(engine, &[]).await;
    plugins
        .add_file(engine, &Path::new(BUILT_PLUGIN_DIR).join("hostile.wasm"))
        .await;
    assert!(
        plugins.errors.is_empty(),
        "plugin load errors: {:?}",
        plugins.errors
    );
    plugins
}

pub fn default_pipeline() -> Pipeline {
    let set = PipelineSet::load(None);
    assert!(set.errors.is_empty(), "{:?}", set.errors);
    set.pipelines["nextjs"].clone()
}

pub fn contestant(id: &str, provider: &str, model: &str) -> Contestant {
    Contestant {
        id: id.into(),
        name: id.into(),
        provider: provider.into(),
        model: model.into(),
        group: None,
        params: Default::default(),
        secrets: Default::default(),
        price: None,
        allow_hosts: Vec::new(),
        replay: None,
        default: false,
    }
}

/// A replay contestant that streams the recorded reply at `reply` quickly.
pub fn replay(reply: &Path) -> Contestant {
    let mut contestant = contestant("replay", "replay", "recorded");
    contestant.replay = Some(reply.to_owned());
    contestant.params.insert(
        "chunk-delay-ms".into(),
        arena::pipeline::SettingValue::Integer(0),
    );
    contestant
}

pub fn sink() -> tokio::sync::mpsc::UnboundedSender<String> {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move { while receiver.recv().await.is_some() {} });
    sender
}

/// Width, height and distinct colours of a PNG: a blank or single-colour image has one or
/// two colours, a rendered page many.
pub fn png_colours(png: &[u8]) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let colours: std::collections::HashSet<&[u8]> =
        pixels[..info.buffer_size()].chunks(channels).collect();
    (info.width, info.height, colours.len())
}

/// A `text/event-stream` response that sends each part after its delay; an `Err` part
/// breaks the connection there, as a server that dies mid-reply does.
pub fn event_stream(
    parts: Vec<(std::time::Duration, Result<String, std::io::Error>)>,
) -> axum::response::Response {
    let stream = futures::stream::unfold(parts.into_iter(), |mut parts| async move {
        let (delay, part) = parts.next()?;
        tokio::time::sleep(delay).await;
        Some((part, parts))
    });
    axum::response::Response::builder()
        .header("content-type", "text/event-stream")
        .body(axum::body::Body::from_stream(stream))
        .unwrap()
}

/// Runs one generation of the bundled provider plugin `id` against a local
/// server at `base_url`, with `key` as its `api-key` secret; the server's host is allowed
/// only when `allow` is set, as an operator's `allow_hosts` would.
pub async fn provider_generate(
    id: &str,
    base_url: String,
    model: &str,
    allow: bool,
    key: &str,
    extra: &[(&str, &str)],
) -> arena::plugin::Generation {
    let deadline = std::time::Duration::from_secs(30);
    provider_generate_within(deadline, id, base_url, model, allow, key, extra)
        .await
        .unwrap()
}

/// [`provider_generate`] with the pipeline's per-call `deadline`, returning the host's
/// error when the plugin call itself fails.
pub async fn provider_generate_within(
    deadline: std::time::Duration,
    id: &str,
    base_url: String,
    model: &str,
    allow: bool,
    key: &str,
    extra: &[(&str, &str)],
) -> Result<arena::plugin::Generation, arena::plugin::PluginCallError> {
    let engine = engine();
    let plugins = PluginSet::load(&engine, &[]).await;
    assert!(plugins.errors.is_empty(), "{:?}", plugins.errors);
    let host = url::Url::parse(&base_url).unwrap();
    let host = format!("{}:{}", host.host_str().unwrap(), host.port().unwrap());
    let mut params = vec![
        ("base-url".to_owned(), base_url),
        ("max-retries".to_owned(), "2".to_owned()),
    ];
    params.extend(
        extra
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string())),
    );
    let request = arena::plugin::GenerateRequest {
        model: model.into(),
        system_prompt: "You write Next.js sites.".into(),
        user_prompt: "Build a landing page".into(),
        params,
    };
    let network = arena::plugin::NetworkGrant {
        extra_hosts: if allow { vec![host] } else { Vec::new() },
        secrets: [("api-key".to_owned(), key.to_owned())].into(),
    };
    let limits = arena::plugin::PluginLimits {
        deadline,
        ..arena::plugin::PluginLimits::default()
    };
    plugins.providers[id]
        .generate(request, &limits, network, sink())
        .await
}

/// The failure reason of a generation that must have failed.
pub fn error_of(generation: &arena::plugin::Generation) -> &str {
    match &generation.finish {
        arena::plugin::FinishReason::Error(message) => message,
        other => panic!("expected an error, got {other:?}"),
    }
}

/// A contestants file of two replayed contestants whose battles end within a second, both
/// through what their replies hold (the model's fault): `alpha` ("Alpha model") reads
/// secrets, `bravo` ("Bravo model") writes no package.json. `extra` entries follow them.
pub fn quick_contestants(dir: &Path, default: bool, extra: &str) -> PathBuf {
    let secrets = fixtures().join("replies/reads-secrets.md");
    let no_package = fixtures().join("cases/08-missing-build-script/reply-b-no-package-json.md");
    let mut text = String::new();
    for (id, name, reply) in [
        ("alpha", "Alpha model", secrets),
        ("bravo", "Bravo model", no_package),
    ] {
        text.push_str(&format!(
            "[[contestants]]\nid = {id:?}\nname = {name:?}\nprovider = \"replay\"\n\
             model = \"recorded\"\nreplay = {reply:?}\nparams = {{ chunk-delay-ms = 0 }}\n\
             default = {default}\n\n"
        ));
    }
    text.push_str(extra);
    let path = dir.join("contestants.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The arena containers the engine has now, in any state, with their labels: those
/// carrying `label` (a name, or `name=value`).
pub async fn containers_labelled(
    docker: &bollard::Docker,
    label: &str,
) -> Vec<(String, std::collections::HashMap<String, String>)> {
    let filters = std::collections::HashMap::from([("label", vec![label])]);
    let options = bollard::query_parameters::ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&filters)
        .build();
    docker
        .list_containers(Some(options))
        .await
        .unwrap()
        .into_iter()
        .map(|container| {
            (
                container.id.unwrap_or_default(),
                container.labels.unwrap_or_default(),
            )
        })
        .collect()
}
