//! Hostile paths and writing a run's files, against the real cases in tests/fixtures/cases.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use arena::extract::extract;
use arena::workspace::{
    CheckedTree, MAX_PATH_BYTES, SafePath, TreeLimits, WriteError, check_tree, write_tree,
};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cases")
        .join(relative)
}

fn case_04_entries() -> Vec<(String, String)> {
    let reply = fs::read_to_string(fixture("04-path-traversal/reply.md")).unwrap();
    let extraction = extract(&reply).unwrap();
    extraction
        .files
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect()
}

fn entries(paths: &[&str]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|path| (path.to_string(), format!("// {path}")))
        .collect()
}

fn kept(tree: &CheckedTree) -> Vec<&str> {
    tree.files.iter().map(|(path, _)| path.as_str()).collect()
}

fn rejected(tree: &CheckedTree) -> Vec<&str> {
    tree.rejections
        .iter()
        .map(|rejection| rejection.path.as_str())
        .collect()
}

fn reason<'a>(tree: &'a CheckedTree, path: &str) -> &'a str {
    let rejection = tree
        .rejections
        .iter()
        .find(|rejection| rejection.path == path);
    &rejection
        .unwrap_or_else(|| panic!("{path} was not rejected: {tree:?}"))
        .reason
}

/// Every file under `dir`, recursively, without following links.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            found.extend(files_under(&entry.path()));
        } else if kind.is_file() {
            found.push(entry.path());
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Case 04.

#[test]
fn case_04_rejects_the_four_hostile_paths_by_name_and_drops_npmrc() {
    let tree = check_tree(case_04_entries(), &TreeLimits::default());

    assert_eq!(
        kept(&tree),
        ["package.json", "app/layout.js", "app/page.js"]
    );
    assert_eq!(
        rejected(&tree),
        [
            "../outside.txt",
            "/tmp/arena-abs-path-test.txt",
            "app/../../escape.js",
            "app\\..\\..\\win-escape.js",
            ".npmrc",
        ]
    );
    assert!(reason(&tree, "../outside.txt").contains("climbs above the project root"));
    assert!(reason(&tree, "/tmp/arena-abs-path-test.txt").contains("absolute"));
    assert!(reason(&tree, "app/../../escape.js").contains("climbs above the project root"));
    assert!(reason(&tree, "app\\..\\..\\win-escape.js").contains("climbs above the project root"));
    assert!(reason(&tree, ".npmrc").contains("package sources are set by the arena"));

    let message = tree.rejections[2].to_string();
    assert!(message.contains("app/../../escape.js"), "{message}");
}

#[test]
fn case_04_written_tree_leaves_no_marker_outside_the_root() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("workspace");
    fs::create_dir(&root).unwrap();
    let absolute_target = Path::new("/tmp/arena-abs-path-test.txt");
    let started = SystemTime::now();

    let tree = check_tree(case_04_entries(), &TreeLimits::default());
    write_tree(&root, &tree.files).unwrap();

    let mut written: Vec<String> = files_under(&root)
        .iter()
        .map(|path| {
            path.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    written.sort();
    assert_eq!(written, ["app/layout.js", "app/page.js", "package.json"]);
    assert!(
        fs::read_to_string(root.join("app/page.js"))
            .unwrap()
            .contains("Paths case")
    );

    for path in files_under(parent.path()) {
        if path.starts_with(&root) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            !text.contains("ARENA-PATH-TEST"),
            "marker written to {}",
            path.display()
        );
    }
    for escaped in [
        "outside.txt",
        "escape.js",
        "win-escape.js",
        "workspace/.npmrc",
    ] {
        assert!(
            !parent.path().join(escaped).exists(),
            "{escaped} was written"
        );
    }
    // Another process may own this file; it only matters whether this test wrote it.
    if let Ok(meta) = fs::metadata(absolute_target) {
        assert!(
            meta.modified().unwrap() < started,
            "{} written",
            absolute_target.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Valid trees from the cases.

#[test]
fn case_06_and_09_trees_pass_whole() {
    for case in [
        "06-react19-with-next14/files",
        "09-missing-use-client/files",
    ] {
        let root = fixture(case);
        let mut files: Vec<(String, String)> = files_under(&root)
            .into_iter()
            .map(|path| {
                let relative = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (relative, fs::read_to_string(&path).unwrap())
            })
            .collect();
        files.sort();

        let tree = check_tree(files, &TreeLimits::default());
        assert!(tree.rejections.is_empty(), "{case}: {:?}", tree.rejections);
        assert_eq!(
            kept(&tree),
            ["app/layout.js", "app/page.js", "package.json"],
            "{case}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Path rules.

#[test]
fn absolute_and_escaping_paths_are_rejected() {
    let hostile = [
        "/etc/passwd",
        "\\windows\\x.js",
        "C:\\Users\\x.js",
        "c:x.js",
        "\\\\server\\share\\x.js",
        "//server/share/x.js",
        "..",
        "a/../../b.js",
        "./../b.js",
        "a\\b\\..\\..\\..\\c.js",
    ];
    let tree = check_tree(entries(&hostile), &TreeLimits::default());
    assert!(tree.files.is_empty(), "{:?}", kept(&tree));
    assert_eq!(rejected(&tree), hostile);
    assert!(reason(&tree, "\\\\server\\share\\x.js").contains("UNC"));
    assert!(reason(&tree, "C:\\Users\\x.js").contains("Windows drive"));
}

#[test]
fn inner_dots_are_normalised_when_the_path_stays_inside() {
    let tree = check_tree(
        entries(&[
            "./app/page.js",
            "app/../layout.js",
            "app\\components\\Hero.js",
            "a/./b.js",
        ]),
        &TreeLimits::default(),
    );
    assert!(tree.rejections.is_empty(), "{:?}", tree.rejections);
    assert_eq!(
        kept(&tree),
        [
            "app/page.js",
            "layout.js",
            "app/components/Hero.js",
            "a/b.js"
        ]
    );
}

#[test]
fn control_characters_empty_segments_and_odd_names_are_rejected() {
    let bad = [
        "",
        "app/pa\0ge.js",
        "app/page\n.js",
        "app/\u{1b}[31m.js",
        "app//page.js",
        "app/",
        "./",
        "app/page.js.",
        "app/ page.js",
        "app/pa:ge.js",
        "app/page?.js",
        "app/<x>.js",
    ];
    let tree = check_tree(entries(&bad), &TreeLimits::default());
    assert!(tree.files.is_empty(), "{:?}", kept(&tree));
    assert_eq!(rejected(&tree), bad);
    assert!(reason(&tree, "app/pa\0ge.js").contains("NUL"));
    assert!(reason(&tree, "app//page.js").contains("empty segment"));
}

#[test]
fn invisible_format_characters_that_disguise_names_are_rejected() {
    let bad = [
        "app/page\u{202E}sj.exe", // right-to-left override: shows as "app/pageexe.js"
        "app/pa\u{200B}ge.js",    // zero-width space
        "components/\u{FEFF}Nav.js", // byte-order mark
        "app/\u{2066}page.js",    // left-to-right isolate
        "lib/a\u{200D}b.js",      // zero-width joiner
    ];
    let good = ["app/café.js", "app/日本語/page.js", "app/emoji-🎉.js"];
    let tree = check_tree(
        entries(&[&bad[..], &good[..]].concat()),
        &TreeLimits::default(),
    );
    assert_eq!(rejected(&tree), bad);
    let mut kept = kept(&tree);
    kept.sort_unstable();
    let mut good = good.to_vec();
    good.sort_unstable();
    assert_eq!(kept, good);
    let why = reason(&tree, "app/page\u{202E}sj.exe");
    assert!(why.contains("U+202E") && why.contains("disguise"), "{why}");
}

#[test]
fn windows_reserved_names_are_rejected_with_any_extension() {
    let reserved = [
        "CON",
        "nul.txt",
        "app/Aux.js",
        "COM1.tar.gz",
        "lpt9",
        "app/con/page.js",
    ];
    let tree = check_tree(entries(&reserved), &TreeLimits::default());
    assert!(tree.files.is_empty(), "{:?}", kept(&tree));
    assert_eq!(rejected(&tree), reserved);
    assert!(reason(&tree, "nul.txt").contains("reserved device name"));

    let fine = check_tree(
        entries(&[
            "console.js",
            "app/nullable.ts",
            "com10.js",
            "components/Auxiliary.js",
        ]),
        &TreeLimits::default(),
    );
    assert!(fine.rejections.is_empty(), "{:?}", fine.rejections);
}

#[test]
fn node_modules_and_git_are_off_limits() {
    let owned = [
        "node_modules/next/index.js",
        "app/node_modules/x.js",
        ".git/config",
        ".GIT/HEAD",
    ];
    let tree = check_tree(entries(&owned), &TreeLimits::default());
    assert!(tree.files.is_empty(), "{:?}", kept(&tree));
    assert!(reason(&tree, "node_modules/next/index.js").contains("node_modules/"));
    assert!(reason(&tree, ".git/config").contains(".git/"));
}

#[test]
fn package_manager_settings_are_dropped_anywhere() {
    let settings = [
        ".npmrc",
        "app/.npmrc",
        ".yarnrc",
        ".yarnrc.yml",
        "bunfig.toml",
        ".NPMRC",
    ];
    let tree = check_tree(entries(&settings), &TreeLimits::default());
    assert!(tree.files.is_empty(), "{:?}", kept(&tree));
    for path in settings {
        assert!(reason(&tree, path).contains("package sources are set by the arena"));
    }
}

#[test]
fn over_long_paths_and_names_are_rejected() {
    let long_name = format!("app/{}.js", "a".repeat(200));
    let long_path = format!("{}page.js", "dir/".repeat(MAX_PATH_BYTES / 4));
    let fits = format!("{}.js", "a".repeat(100));
    let tree = check_tree(
        entries(&[&long_name, &long_path, &fits]),
        &TreeLimits::default(),
    );
    assert_eq!(rejected(&tree), [long_name.as_str(), long_path.as_str()]);
    assert_eq!(kept(&tree), [fits.as_str()]);
}

#[test]
fn case_insensitive_duplicates_and_file_directory_clashes_are_rejected() {
    let tree = check_tree(
        entries(&[
            "app/Page.js",
            "app/page.js",
            "App/layout.js",
            "lib",
            "lib/a.js",
            "x/y.js",
            "X",
        ]),
        &TreeLimits::default(),
    );
    assert_eq!(kept(&tree), ["app/Page.js", "lib", "x/y.js"]);
    assert!(reason(&tree, "app/page.js").contains("only in letter case"));
    // On Linux `App/` and `app/` are two directories, on macOS one: the tree would differ.
    assert!(reason(&tree, "App/layout.js").contains("directory App differs from app"));
    assert!(reason(&tree, "lib/a.js").contains("lib is a file"));
    assert!(reason(&tree, "X").contains("also a directory"));
}

#[test]
fn exact_duplicates_after_normalising_keep_the_last() {
    let files = vec![
        ("app/page.js".to_string(), "first".to_string()),
        ("./app/page.js".to_string(), "second".to_string()),
    ];
    let tree = check_tree(files, &TreeLimits::default());
    assert_eq!(tree.files.len(), 1);
    assert_eq!(tree.files[0].1, "second");
    assert_eq!(rejected(&tree), ["app/page.js"]);
}

// ---------------------------------------------------------------------------------------------
// Limits.

#[test]
fn default_limits() {
    let limits = TreeLimits::default();
    assert_eq!(limits.max_files, 500);
    assert_eq!(limits.max_file_bytes, 1024 * 1024);
    assert_eq!(limits.max_total_bytes, 10 * 1024 * 1024);
}

#[test]
fn per_file_count_and_total_limits_reject_in_reply_order() {
    let limits = TreeLimits {
        max_files: 3,
        max_file_bytes: 10,
        max_total_bytes: 25,
    };
    let files = vec![
        ("big.txt".to_string(), "x".repeat(11)),
        ("a.txt".to_string(), "x".repeat(10)),
        ("b.txt".to_string(), "x".repeat(10)),
        ("c.txt".to_string(), "x".repeat(6)),
        ("d.txt".to_string(), "x".repeat(5)),
        ("e.txt".to_string(), String::new()),
        ("f.txt".to_string(), String::new()),
    ];
    let tree = check_tree(files, &limits);

    assert_eq!(kept(&tree), ["a.txt", "b.txt", "d.txt"]);
    assert!(reason(&tree, "big.txt").contains("limit is 10 bytes per file"));
    assert!(reason(&tree, "c.txt").contains("limit of 25 bytes"));
    assert!(reason(&tree, "e.txt").contains("limit of 3 files"));
    assert!(reason(&tree, "f.txt").contains("limit of 3 files"));

    let total: usize = tree.files.iter().map(|(_, contents)| contents.len()).sum();
    assert!(total <= 25);
}

#[test]
fn safe_path_parse_names_the_literal_path() {
    let err = SafePath::parse("../x.js").unwrap_err();
    assert_eq!(err.path, "../x.js");
    assert!(err.to_string().contains("\"../x.js\""), "{err}");
    assert_eq!(SafePath::parse("app\\x.js").unwrap().as_str(), "app/x.js");
}

// ---------------------------------------------------------------------------------------------
// Writing.

#[cfg(unix)]
#[test]
fn a_planted_directory_symlink_is_not_followed() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("workspace");
    let outside = parent.path().join("outside");
    fs::create_dir(&root).unwrap();
    fs::create_dir(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("app")).unwrap();

    let tree = check_tree(
        vec![(
            "app/page.js".to_string(),
            "ARENA-SYMLINK-MARKER".to_string(),
        )],
        &TreeLimits::default(),
    );
    let err = write_tree(&root, &tree.files).unwrap_err();

    assert!(matches!(err, WriteError::Symlink { .. }), "{err:?}");
    assert!(err.to_string().contains("app/page.js"), "{err}");
    assert!(
        fs::read_dir(&outside).unwrap().next().is_none(),
        "a file landed outside the root"
    );
}

#[cfg(unix)]
#[test]
fn a_planted_file_symlink_is_not_written_through() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("workspace");
    fs::create_dir(&root).unwrap();
    let target = parent.path().join("target.txt");
    fs::write(&target, "original").unwrap();
    std::os::unix::fs::symlink(&target, root.join("page.js")).unwrap();
    // A dangling link must not be followed to create its target either.
    let dangling = parent.path().join("never-created.txt");
    std::os::unix::fs::symlink(&dangling, root.join("layout.js")).unwrap();

    for name in ["page.js", "layout.js"] {
        let tree = check_tree(
            vec![(name.to_string(), "ARENA-SYMLINK-MARKER".to_string())],
            &TreeLimits::default(),
        );
        let err = write_tree(&root, &tree.files).unwrap_err();
        assert!(matches!(err, WriteError::Symlink { .. }), "{name}: {err:?}");
    }
    assert_eq!(fs::read_to_string(&target).unwrap(), "original");
    assert!(!dangling.exists());
}

#[test]
fn existing_files_are_never_overwritten() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("page.js"), "original").unwrap();
    let tree = check_tree(entries(&["page.js"]), &TreeLimits::default());

    let err = write_tree(root.path(), &tree.files).unwrap_err();
    assert!(matches!(err, WriteError::AlreadyExists { .. }), "{err:?}");
    assert_eq!(
        fs::read_to_string(root.path().join("page.js")).unwrap(),
        "original"
    );
}

#[test]
fn write_tree_creates_nested_directories_with_exact_contents() {
    let root = tempfile::tempdir().unwrap();
    let files = vec![
        ("app/(shop)/[slug]/page.js".to_string(), "A\nB".to_string()),
        ("app/layout.js".to_string(), String::new()),
    ];
    let tree = check_tree(files, &TreeLimits::default());
    write_tree(root.path(), &tree.files).unwrap();

    let page = root.path().join("app/(shop)/[slug]/page.js");
    assert_eq!(fs::read_to_string(page).unwrap(), "A\nB");
    assert_eq!(
        fs::read_to_string(root.path().join("app/layout.js")).unwrap(),
        ""
    );
}

#[test]
fn a_missing_root_is_an_error_naming_it() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("missing");
    let tree = check_tree(entries(&["a.js"]), &TreeLimits::default());

    let err = write_tree(&root, &tree.files).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
    assert!(!root.exists());
}
