//! The plugin host with real components: bundled plugins load and answer, and hostile
//! plugins (trap, endless loop, memory bomb, output flood, a sleep in a host call) each
//! fail their own call with a clear reason while a good call beside them succeeds.

mod common;

use std::time::{Duration, Instant};

use arena::plugin::{
    GenerateRequest, NetworkGrant, PluginCallError, PluginLimits, PluginSet, PluginSource,
    ProviderPlugin,
};

fn limits() -> PluginLimits {
    PluginLimits {
        deadline: Duration::from_secs(2),
        memory_bytes: 64 << 20,
        max_output_bytes: 256 << 10,
    }
}

async fn call(plugin: &ProviderPlugin, model: &str) -> Result<String, PluginCallError> {
    let request = GenerateRequest {
        model: model.into(),
        user_prompt: "x".into(),
        ..Default::default()
    };
    let generation = plugin
        .generate(request, &limits(), NetworkGrant::default(), common::sink())
        .await?;
    Ok(generation.reply)
}

#[tokio::test]
async fn every_bundled_plugin_loads_and_describes_itself() {
    let engine = common::engine();
    let plugins = PluginSet::load(&engine, &[]).await;
    assert!(plugins.errors.is_empty(), "{:?}", plugins.errors);

    let providers: Vec<&str> = plugins.providers.keys().map(String::as_str).collect();
    assert_eq!(
        providers,
        [
            "anthropic",
            "google",
            "openai-compatible",
            "replay",
            "template"
        ]
    );
    let validators: Vec<&str> = plugins.validators.keys().map(String::as_str).collect();
    assert_eq!(
        validators,
        [
            "code-safety",
            "nextjs-structure",
            "offline-build",
            "package-json"
        ]
    );
    let scorers: Vec<&str> = plugins.scorers.keys().map(String::as_str).collect();
    assert_eq!(
        scorers,
        [
            "accessibility",
            "build-health",
            "console-errors",
            "mobile-layout",
            "page-weight",
            "prompt-adherence"
        ]
    );

    let template = &plugins.providers["template"];
    assert!(
        template.info.models.len() >= 2,
        "the template offers several styles"
    );
    assert!(template.info.hosts.is_empty() && template.info.secrets.is_empty());
    assert!(matches!(template.meta.source, PluginSource::Bundled(_)));
    assert_eq!(template.meta.content_hash.len(), 64);
}

#[tokio::test]
async fn hostile_plugins_fail_their_own_call_with_the_reason() {
    let engine = common::engine();
    let plugins = common::plugins_with_test_ones(&engine).await;
    let hostile = plugins.providers["hostile"].clone();

    let started = Instant::now();
    let (trap, endless, memory, flood, sleep, fine) = tokio::join!(
        call(&hostile, "trap"),
        call(&hostile, "loop"),
        call(&hostile, "memory"),
        call(&hostile, "flood"),
        call(&hostile, "sleep"),
        call(&hostile, "fine"),
    );
    let elapsed = started.elapsed();

    assert!(
        matches!(&trap, Err(PluginCallError::Trap { plugin, .. }) if plugin == "hostile"),
        "{trap:?}"
    );
    assert!(
        matches!(endless, Err(PluginCallError::Deadline { .. })),
        "{endless:?}"
    );
    assert!(
        matches!(memory, Err(PluginCallError::Memory { limit_bytes, .. }) if limit_bytes == 64 << 20),
        "{memory:?}"
    );
    assert!(
        matches!(flood, Err(PluginCallError::OutputCap { cap_bytes, .. }) if cap_bytes == 256 << 10),
        "{flood:?}"
    );
    assert!(
        matches!(sleep, Err(PluginCallError::Deadline { .. })),
        "{sleep:?}"
    );
    let fine = fine.expect("the good call beside the hostile ones succeeds");
    assert!(fine.contains("package.json"), "{fine}");

    // The deadlines are 2 s: everything ran side by side and ended in about that time.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");

    let message = endless.unwrap_err().to_string();
    assert_eq!(message, "plugin `hostile` ran past its deadline of 2.0s");
}

#[tokio::test]
async fn a_broken_or_foreign_component_is_a_load_error_not_a_crash() {
    let engine = common::engine();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("garbage.wasm"), b"not wasm at all").unwrap();
    // A valid component that exports nothing the arena knows.
    std::fs::write(dir.path().join("foreign.wasm"), b"(component)").unwrap();

    let plugins = PluginSet::load(&engine, &[dir.path().to_owned()]).await;
    assert_eq!(plugins.providers.len(), 5, "bundled providers still load");
    let mut errors: Vec<String> = plugins.errors.iter().map(|e| e.to_string()).collect();
    errors.sort();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].ends_with(
            "exports none of the arena's interfaces (vibe-arena:plugin/provider@0.1.0, \
        vibe-arena:plugin/validator@0.1.0, vibe-arena:plugin/scorer@0.1.0, \
        vibe-arena:plugin/page-scorer@0.1.0); it exports []"
        ),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("foreign.wasm"));
    assert!(
        errors[1]
            .ends_with("garbage.wasm: not a WebAssembly component: no \\0asm header (15 bytes)"),
        "{}",
        errors[1]
    );
}

#[tokio::test]
async fn compiled_components_are_cached_on_disk_by_content_hash() {
    let cache = tempfile::tempdir().unwrap();
    let bytes = arena::plugin::BUNDLED
        .iter()
        .find(|(name, _)| *name == "template")
        .unwrap()
        .1;

    let first = arena::plugin::PluginEngine::new(Some(cache.path().to_owned())).unwrap();
    let started = Instant::now();
    let (hash, _) = first.compile(bytes).unwrap();
    let cold = started.elapsed();
    assert_eq!(hash, arena::plugin::content_hash(bytes));

    let cached: Vec<_> = walk(cache.path());
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert!(cached[0].ends_with(format!("{hash}.cwasm")));

    // A new engine (a restarted arena) loads it instead of compiling again.
    let second = arena::plugin::PluginEngine::new(Some(cache.path().to_owned())).unwrap();
    let started = Instant::now();
    second.compile(bytes).unwrap();
    let warm = started.elapsed();
    eprintln!("template component: compiled in {cold:?}, loaded from cache in {warm:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            files.extend(walk(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files
}
