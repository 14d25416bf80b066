//! Pipeline files: the bundled default loads, and every kind of mistake is reported with
//! file, line, key and a valid example, all at once. The messages are pinned in golden
//! files under tests/fixtures/pipelines/; set ARENA_BLESS=1 to rewrite them on purpose.

use std::path::{Path, PathBuf};

use arena::pipeline::{self, DiskFiles, PipelineSet};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pipelines")
}

/// Compares `actual` with the golden file, or rewrites it when blessing.
fn assert_golden(name: &str, actual: &str) {
    let path = fixtures().join(name);
    if std::env::var_os("ARENA_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with ARENA_BLESS=1",
            path.display()
        )
    });
    assert_eq!(actual, expected, "messages differ from {}", path.display());
}

fn errors_for(file: &str) -> String {
    let dir = fixtures().join("broken");
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    match pipeline::parse(file, &text, &DiskFiles(&dir)) {
        Ok(_) => panic!("{file} loaded although it is broken"),
        Err(errors) => format!("{errors}\n"),
    }
}

#[test]
fn the_bundled_pipeline_loads_from_disk_and_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines");
    for set in [PipelineSet::load(Some(&dir)), PipelineSet::load(None)] {
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        let nextjs = &set.pipelines["nextjs"];
        assert!(nextjs.system_prompt.contains("path=app/page.tsx"));
        let validators: Vec<&str> = nextjs
            .validators
            .iter()
            .map(|s| s.plugin.as_str())
            .collect();
        assert_eq!(
            validators,
            [
                "package-json",
                "code-safety",
                "offline-build",
                "nextjs-structure"
            ]
        );
        assert_eq!(nextjs.screenshots.len(), 2);
        assert_eq!(
            (nextjs.screenshots[1].width, nextjs.screenshots[1].height),
            (390, 844)
        );
        assert_eq!(nextjs.plugin_limits.memory_bytes, 256 << 20);
        assert_eq!(nextjs.generate_limits().deadline.as_secs(), 600);
        assert!(
            nextjs
                .provider_params
                .contains(&("temperature".into(), "0.7".into()))
        );
    }
}

#[test]
fn every_mistake_in_a_file_is_reported_at_once_with_line_and_key() {
    let report = errors_for("every-mistake.toml");
    // The first error in a section must not hide the others, in it or in other sections.
    assert!(
        report.contains("every-mistake.toml: 12 problems"),
        "{report}"
    );
    assert_golden("every-mistake.expected", &report);
}

#[test]
fn a_syntax_error_names_line_and_column() {
    assert_golden("syntax.expected", &errors_for("syntax.toml"));
}

#[test]
fn a_broken_file_does_not_hide_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines");
    for file in ["nextjs.toml", "nextjs.system.md"] {
        std::fs::copy(bundled.join(file), dir.path().join(file)).unwrap();
    }
    std::fs::write(dir.path().join("broken.toml"), "[pipeline]\nid = 3\n").unwrap();

    let set = PipelineSet::load(Some(dir.path()));
    assert!(set.pipelines.contains_key("nextjs"));
    assert_eq!(set.errors.len(), 1);
    assert!(set.errors[0].file.ends_with("broken.toml"));
    assert!(
        set.errors[0]
            .to_string()
            .contains("2:1: `pipeline.id`: invalid type: integer `3`, expected a string"),
        "{}",
        set.errors[0]
    );
}

#[test]
fn a_system_prompt_outside_the_pipeline_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for prompt in ["/etc/hostname", "../secret.md"] {
        let text = format!("[pipeline]\nid = \"p\"\nsystem_prompt = {prompt:?}\n");
        let errors = pipeline::parse("p.toml", &text, &DiskFiles(dir.path())).unwrap_err();
        assert_eq!(
            errors.to_string(),
            "p.toml: 1 problem\n  p.toml:3:1: `pipeline.system_prompt`: must be a file name beside \
             the pipeline, e.g. \"nextjs.system.md\""
        );
    }
}
