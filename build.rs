//! Builds the guest plugins (plugins/build) and embeds the bundled ones in the binary.
//!
//! Set ARENA_PREBUILT_PLUGINS to a folder of already built `.wasm` files to skip the guest
//! build, e.g. on a machine without a wasm32-wasip2 toolchain.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Plugins shipped inside `arena`. Everything else the build makes (test plugins) is only
/// reachable through `BUILT_PLUGIN_DIR`.
const BUNDLED: &[&str] = &[
    "template",
    "replay",
    "openai-compatible",
    "anthropic",
    "google",
    "package-json",
    "nextjs-structure",
    "code-safety",
    "offline-build",
    "build-health",
    "page-weight",
    "console-errors",
    "accessibility",
    "mobile-layout",
    "prompt-adherence",
];

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-env-changed=ARENA_PREBUILT_PLUGINS");

    let plugin_dir = match std::env::var_os("ARENA_PREBUILT_PLUGINS") {
        Some(dir) => PathBuf::from(dir),
        None => {
            watch_plugin_sources(&manifest_dir);
            let dir = out_dir.join("plugins");
            let status = Command::new("bash")
                .arg(manifest_dir.join("plugins/build"))
                .arg(&dir)
                .status()
                .expect("running plugins/build");
            if !status.success() {
                panic!("plugins/build failed ({status}); its output above says why");
            }
            dir
        }
    };

    let mut source = String::from("pub const BUNDLED: &[(&str, &[u8])] = &[\n");
    for name in BUNDLED {
        let path = plugin_dir.join(format!("{name}.wasm"));
        assert!(
            path.exists(),
            "bundled plugin {} was not built",
            path.display()
        );
        source.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    source.push_str("];\n");
    source.push_str(&format!(
        "pub const BUILT_PLUGIN_DIR: &str = {:?};\n",
        plugin_dir.display().to_string()
    ));
    std::fs::write(out_dir.join("bundled_plugins.rs"), source).unwrap();
}

/// Reruns the guest build when a plugin's sources or the WIT change. The plugin target
/// folder is deliberately not watched: the build itself writes there.
fn watch_plugin_sources(manifest_dir: &Path) {
    println!(
        "cargo:rerun-if-changed={}",
        manifest_dir.join("wit").display()
    );
    let plugins = manifest_dir.join("plugins");
    for file in ["Cargo.toml", "Cargo.lock", "build"] {
        println!("cargo:rerun-if-changed={}", plugins.join(file).display());
    }
    let mut stack = vec![plugins.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name == "target" || name == "dist" {
                continue;
            }
            if path.is_dir() {
                if path.join("Cargo.toml").exists() {
                    println!(
                        "cargo:rerun-if-changed={}",
                        path.join("Cargo.toml").display()
                    );
                    println!("cargo:rerun-if-changed={}", path.join("src").display());
                } else {
                    stack.push(path);
                }
            }
        }
    }
}
