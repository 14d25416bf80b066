//! Reply extraction against the real cases (tests/fixtures/cases, copied from the bug-report
//! inputs) and against each labelling format models use.

use std::path::Path;

use arena::extract::{ExtractError, Extraction, extract};

fn case(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cases")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("reading {}: {err}", path.display()))
}

fn extract_case(relative: &str) -> Extraction {
    extract(&case(relative)).unwrap_or_else(|err| panic!("{relative}: {err}"))
}

fn paths(extraction: &Extraction) -> Vec<&str> {
    extraction
        .files
        .iter()
        .map(|file| file.path.as_str())
        .collect()
}

fn contents<'a>(extraction: &'a Extraction, path: &str) -> &'a str {
    let file = extraction.files.iter().find(|file| file.path == path);
    &file
        .unwrap_or_else(|| panic!("{path} not extracted; got {:?}", paths(extraction)))
        .contents
}

fn label(extraction: &Extraction, path: &str) -> &'static str {
    extraction
        .files
        .iter()
        .find(|file| file.path == path)
        .expect("file extracted")
        .label
}

/// Every language tag a parser might mistake for a file name.
fn assert_no_language_files(extraction: &Extraction) {
    for tag in [
        "bash", "markdown", "jsx", "json", "tsx", "js", "text", "ini", "css", "ts",
    ] {
        assert!(
            !extraction
                .files
                .iter()
                .any(|file| file.path.eq_ignore_ascii_case(tag)),
            "a file named after the language tag {tag}: {:?}",
            paths(extraction)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Case 01: five labelling styles and a markdown file holding a fence of its own.

#[test]
fn case_01_fence_zoo_gives_exactly_five_files_with_exact_bodies() {
    let extraction = extract_case("01-fence-zoo/reply.md");

    assert_eq!(
        paths(&extraction),
        [
            "package.json",
            "app/layout.js",
            "app/page.js",
            "components/Hero.js",
            "README.md"
        ]
    );
    assert!(extraction.files.iter().all(|file| file.complete));
    assert_no_language_files(&extraction);

    assert_eq!(
        contents(&extraction, "package.json"),
        "{\n  \"name\": \"acme-notes\",\n  \"private\": true,\n  \"scripts\": { \"build\": \
         \"next build\", \"start\": \"next start\" },\n  \"dependencies\": { \"next\": \
         \"14.2.35\", \"react\": \"18.3.1\", \"react-dom\": \"18.3.1\" }\n}"
    );
    assert_eq!(
        contents(&extraction, "app/layout.js"),
        "export const metadata = { title: \"Acme Notes\" };\nexport default function \
         RootLayout({ children }) {\n  return (<html lang=\"en\"><body>{children}</body></html>);\
         \n}"
    );
    assert_eq!(
        contents(&extraction, "app/page.js"),
        "import Hero from \"../components/Hero\";\nexport default function Page() {\n  return \
         <main><Hero /></main>;\n}"
    );
    // Policy: the first-line `// path` comment names the file and is removed from it.
    assert_eq!(
        contents(&extraction, "components/Hero.js"),
        "export default function Hero() {\n  return <h1>Acme Notes: write things down.</h1>;\n}"
    );
    // Recovered whole: the inner ```bash block and the line after it are part of README.md.
    assert_eq!(
        contents(&extraction, "README.md"),
        "# Acme Notes\n\nRun it locally:\n\n```bash\nnpm install\nnpm run dev\n```\n\nThen open \
         http://localhost:3000."
    );

    assert_eq!(label(&extraction, "package.json"), "bold line");
    assert_eq!(label(&extraction, "app/layout.js"), "heading");
    assert_eq!(label(&extraction, "app/page.js"), "fence info string");
    assert_eq!(
        label(&extraction, "components/Hero.js"),
        "first-line comment"
    );
    assert_eq!(label(&extraction, "README.md"), "`path:` line");
}

#[test]
fn case_01_closing_prose_is_not_swallowed_into_any_file() {
    let extraction = extract_case("01-fence-zoo/reply.md");
    for file in &extraction.files {
        assert!(
            !file.contents.contains("That's it"),
            "{} swallowed the closing prose",
            file.path
        );
        assert!(
            !file.contents.contains("Sure! Here is"),
            "{} swallowed the intro",
            file.path
        );
    }
}

#[test]
fn nested_fence_in_markdown_without_info_string_is_recovered_or_warned() {
    // The inner block opens with a bare fence, so nesting cannot be tracked; the stray fence
    // left over shows that the README ran on.
    let reply = "README.md:\n```markdown\n# Title\n\n```\nnpm install\n```\n\nDone.\n```\n\n\
                 **app/page.js**\n```jsx\nexport default function Page() {}\n```\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(paths(&extraction), ["README.md", "app/page.js"]);
    let readme = contents(&extraction, "README.md");
    let recovered = readme == "# Title\n\n```\nnpm install\n```\n\nDone.";
    let warned = extraction.warnings.iter().any(|w| w.contains("README.md"));
    assert!(
        recovered || warned,
        "README.md silently cut short: {readme:?}"
    );
    assert_eq!(
        contents(&extraction, "app/page.js"),
        "export default function Page() {}"
    );
}

#[test]
fn a_stray_fence_after_a_markdown_block_extends_it_with_a_warning() {
    // The inner ```bash closes, then a bare fence opens an inner block the tracker cannot see;
    // the fence left over before the next file is the README's own.
    let reply = "README.md:\n```md\n```bash\nx\n```\ny\n```\nz\n```\n\n**a.js**\n```js\nA\n```\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(paths(&extraction), ["README.md", "a.js"]);
    assert_eq!(
        contents(&extraction, "README.md"),
        "```bash\nx\n```\ny\n```\nz"
    );
    assert!(
        extraction
            .warnings
            .iter()
            .any(|w| w.starts_with("README.md:"))
    );
}

#[test]
fn many_markdown_blocks_stay_fast() {
    // Looking past each markdown block for a stray fence once made this quadratic.
    let reply = format!(
        "**a.md**\n```md\nx\n```\n{}",
        "```md\ny\n```\n".repeat(5000)
    );
    let started = std::time::Instant::now();
    let extraction = extract(&reply).unwrap();
    assert_eq!(paths(&extraction), ["a.md"]);
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn markdown_followed_by_a_shell_snippet_keeps_the_snippet_out_and_says_so() {
    let reply = "**README.md**\n```md\n# Title\n```\n\nThen run:\n```\nnpm install\n```\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(paths(&extraction), ["README.md"]);
    assert_eq!(contents(&extraction, "README.md"), "# Title");
    assert!(
        extraction
            .warnings
            .iter()
            .any(|w| w.contains("README.md") && w.contains("nested fence")),
        "no warning naming README.md: {:?}",
        extraction.warnings
    );
}

// ---------------------------------------------------------------------------------------------
// Case 02: a reply cut off by the output-token cap.

#[test]
fn case_02_truncated_reply_gives_three_complete_files_and_one_incomplete() {
    let extraction = extract_case("02-truncated-reply/reply.md");

    assert_eq!(
        paths(&extraction),
        [
            "package.json",
            "app/layout.js",
            "app/page.js",
            "components/Features.js"
        ]
    );
    let complete: Vec<bool> = extraction.files.iter().map(|file| file.complete).collect();
    assert_eq!(complete, [true, true, true, false]);

    let incomplete = extraction
        .incomplete()
        .expect("the truncated file is reported");
    assert_eq!(incomplete.path, "components/Features.js");
    assert!(
        incomplete.contents.ends_with("body: \"Pay for what you"),
        "{}",
        incomplete.contents
    );
    assert!(
        extraction
            .warnings
            .iter()
            .any(|w| w.contains("components/Features.js")),
        "{:?}",
        extraction.warnings
    );
}

#[test]
fn a_complete_reply_has_no_incomplete_file() {
    assert!(
        extract_case("07-hallucinated-package/reply.md")
            .incomplete()
            .is_none()
    );
}

// ---------------------------------------------------------------------------------------------
// Case 04: hostile paths are extracted as written, so the workspace can reject them by name.

#[test]
fn case_04_path_traversal_gives_eight_entries_with_literal_paths() {
    let extraction = extract_case("04-path-traversal/reply.md");

    assert_eq!(
        paths(&extraction),
        [
            "package.json",
            "app/layout.js",
            "app/page.js",
            "../outside.txt",
            "/tmp/arena-abs-path-test.txt",
            "app/../../escape.js",
            "app\\..\\..\\win-escape.js",
            ".npmrc",
        ]
    );
    // The comment line is prose, not a path, so it stays in the file.
    assert_eq!(
        contents(&extraction, "app/../../escape.js"),
        "// ARENA-PATH-TEST-3 normalises to outside the project"
    );
    assert_eq!(
        contents(&extraction, ".npmrc"),
        "registry=http://registry.example.invalid/\nignore-scripts=false"
    );
}

// ---------------------------------------------------------------------------------------------
// The other cases: file counts.

#[test]
fn parse_counts_of_the_other_cases() {
    let expected: [(&str, &[&str]); 10] = [
        (
            "07-hallucinated-package/reply.md",
            &["package.json", "app/layout.js", "app/page.js"],
        ),
        (
            "08-missing-build-script/reply-a-dev-only.md",
            &["package.json", "app/layout.js", "app/page.js"],
        ),
        (
            "08-missing-build-script/reply-b-no-package-json.md",
            &["app/page.tsx"],
        ),
        (
            "10-eslint-apostrophe/reply.md",
            &[
                "package.json",
                ".eslintrc.json",
                "app/layout.js",
                "app/page.js",
            ],
        ),
        (
            "12-tailwind-v4-with-v3-config/reply.md",
            &[
                "package.json",
                "postcss.config.js",
                "tailwind.config.js",
                "app/globals.css",
                "app/layout.js",
                "app/page.js",
            ],
        ),
        (
            "13-next-config-ts-on-next14/reply.md",
            &[
                "package.json",
                "next.config.ts",
                "app/layout.tsx",
                "app/page.tsx",
            ],
        ),
        (
            "14-google-font-build-network/reply-a-next-font.md",
            &["package.json", "app/layout.js", "app/page.js"],
        ),
        (
            "14-google-font-build-network/reply-b-link-tag.md",
            &["package.json", "app/layout.js", "app/page.js"],
        ),
        (
            "17-healthcheck-localhost-ipv6/reply.md",
            &["package.json", "app/layout.js", "app/page.js"],
        ),
        (
            "18-remote-images-offline/reply.md",
            &[
                "package.json",
                "next.config.js",
                "app/layout.js",
                "app/page.js",
            ],
        ),
    ];

    for (reply, files) in expected {
        let extraction = extract_case(reply);
        assert_eq!(paths(&extraction), files, "{reply}");
        assert!(extraction.incomplete().is_none(), "{reply}");
        assert_no_language_files(&extraction);
    }
}

#[test]
fn case_08b_names_the_file_from_the_sentence_above_the_fence() {
    let extraction = extract_case("08-missing-build-script/reply-b-no-package-json.md");
    assert_eq!(
        contents(&extraction, "app/page.tsx"),
        "export default function Page() {\n  return <h1>Just a page</h1>;\n}"
    );
}

#[test]
fn case_10_keeps_the_apostrophes_of_the_page() {
    let extraction = extract_case("10-eslint-apostrophe/reply.md");
    assert!(contents(&extraction, "app/page.js").contains("Don't miss our biggest sale"));
    assert_eq!(
        contents(&extraction, ".eslintrc.json"),
        "{ \"extends\": \"next/core-web-vitals\" }"
    );
}

// ---------------------------------------------------------------------------------------------
// Info strings, label lines and comments.

#[test]
fn info_string_variants_name_the_file() {
    let reply = "```tsx path=app/a.tsx\nA\n```\n\n```jsx title=\"app/b.js\"\nB\n```\n\n\
                 ```js file=app/c.js\nC\n```\n\n```css filename='app/d.css'\nD\n```\n\n\
                 ```app/e.tsx\nE\n```\n\n```tsx app/f.tsx\nF\n```\n\n```tsx:app/g.tsx\nG\n```\n\n\
                 ```{.js title=\"app/h.js\"}\nH\n```\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(
        paths(&extraction),
        [
            "app/a.tsx",
            "app/b.js",
            "app/c.js",
            "app/d.css",
            "app/e.tsx",
            "app/f.tsx",
            "app/g.tsx",
            "app/h.js"
        ]
    );
    let bodies: Vec<&str> = extraction
        .files
        .iter()
        .map(|file| file.contents.as_str())
        .collect();
    assert_eq!(bodies, ["A", "B", "C", "D", "E", "F", "G", "H"]);
    assert!(
        extraction
            .files
            .iter()
            .all(|file| file.label == "fence info string")
    );
}

#[test]
fn label_line_variants_name_the_file() {
    let reply = "**app/a.js**\n```js\nA\n```\n\n### app/b.js\n```js\nB\n```\n\napp/c.js:\n\n\
                 ```js\nC\n```\n\nFile: app/d.js\n```js\nD\n```\n\n`app/e.js`\n```js\nE\n```\n\n\
                 1. **`app/f.js`**\n   ```js\n   F\n   ```\n\n\
                 **File:** `app/g.js`\n```js\nG\n```\n\n\
                 ## `app/h.js` (new)\n```js\nH\n```\n\nCreate `app/[slug]/page.js` like this:\n\
                 ```js\nI\n```\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(
        paths(&extraction),
        [
            "app/a.js",
            "app/b.js",
            "app/c.js",
            "app/d.js",
            "app/e.js",
            "app/f.js",
            "app/g.js",
            "app/h.js",
            "app/[slug]/page.js"
        ]
    );
    let bodies: Vec<&str> = extraction
        .files
        .iter()
        .map(|file| file.contents.as_str())
        .collect();
    assert_eq!(bodies, ["A", "B", "C", "D", "E", "F", "G", "H", "I"]);
    let labels: Vec<&str> = extraction.files.iter().map(|file| file.label).collect();
    assert_eq!(
        labels[..5],
        [
            "bold line",
            "heading",
            "`path:` line",
            "`File:` line",
            "backticked line"
        ]
    );
}

#[test]
fn first_line_comment_styles_name_the_file_and_are_removed() {
    let reply = "```css\n/* app/globals.css */\nbody {}\n```\n\n```yaml\n# config/site.yml\nx: 1\n\
                 ```\n\n```html\n<!-- public/about.html -->\n<p>Hi</p>\n```\n\n```json\n\
                 // tsconfig.json\n{}\n```\n\n```jsx\n{/* app/x.jsx */}\nX\n```\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(
        paths(&extraction),
        [
            "app/globals.css",
            "config/site.yml",
            "public/about.html",
            "tsconfig.json",
            "app/x.jsx"
        ]
    );
    let bodies: Vec<&str> = extraction
        .files
        .iter()
        .map(|file| file.contents.as_str())
        .collect();
    assert_eq!(bodies, ["body {}", "x: 1", "<p>Hi</p>", "{}", "X"]);
}

#[test]
fn first_line_comment_that_repeats_the_label_is_removed_too() {
    let extraction = extract("**package.json**\n```json\n// package.json\n{}\n```\n").unwrap();
    assert_eq!(contents(&extraction, "package.json"), "{}");
    assert_eq!(label(&extraction, "package.json"), "bold line");
    assert!(extraction.warnings.is_empty(), "{:?}", extraction.warnings);
}

#[test]
fn a_comment_naming_another_path_loses_to_the_label_with_a_warning() {
    let extraction = extract("**app/page.js**\n```js\n// src/app/page.js\nX\n```\n").unwrap();
    assert_eq!(paths(&extraction), ["app/page.js"]);
    assert_eq!(contents(&extraction, "app/page.js"), "X");
    assert!(
        extraction
            .warnings
            .iter()
            .any(|w| w.contains("src/app/page.js"))
    );
}

#[test]
fn language_tags_prose_and_snippets_never_become_files() {
    let reply = "Install it:\n\n```bash\nnpm install\n```\n\n**Next.js**\n```bash\nnpx next \
                 build\n```\n\nThe config, in JSON:\n```json\n{ \"a\": 1 }\n```\n\n\
                 **app/page.js**\n```jsx\nexport default function Page() {}\n```\n\nEnjoy.\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(paths(&extraction), ["app/page.js"]);
    // The unnamed JSON block is reported; shell snippets are instructions and are not.
    assert_eq!(extraction.warnings.len(), 1, "{:?}", extraction.warnings);
    assert!(
        extraction.warnings[0].contains("```json"),
        "{:?}",
        extraction.warnings
    );
}

#[test]
fn language_tags_that_are_also_file_names_stay_language_tags() {
    let err = extract("```dockerfile\nFROM node\n```\n\n```makefile\nall:\n```\n").unwrap_err();
    assert!(err.to_string().contains("no files found"), "{err}");
}

#[test]
fn shell_snippets_are_not_named_by_a_comment_about_another_file() {
    let reply = "```bash\n# app/page.js\ncat > app/page.js <<EOF\n```\n\n\
                 ```bash\n# scripts/setup.sh\nnpm ci\n```\n";
    let extraction = extract(reply).unwrap();
    assert_eq!(paths(&extraction), ["scripts/setup.sh"]);
}

#[test]
fn labels_decorated_with_an_emoji_or_a_number() {
    let reply = "📄 **app/page.js**\n```js\nA\n```\n\n### 2. `app/layout.js`\n```js\nL\n```\n";
    let extraction = extract(reply).unwrap();
    assert_eq!(paths(&extraction), ["app/page.js", "app/layout.js"]);
}

#[test]
fn known_extensionless_files_are_paths() {
    let reply = "**Dockerfile**\n```dockerfile\nFROM node\n```\n\n**.gitignore**\n```\n\
                 node_modules\n.next\nnext-env.d.ts\n```\n";
    let extraction = extract(reply).unwrap();
    assert_eq!(paths(&extraction), ["Dockerfile", ".gitignore"]);
    // The last line looks like a path but sits right above a closing fence: it is content.
    assert_eq!(
        contents(&extraction, ".gitignore"),
        "node_modules\n.next\nnext-env.d.ts"
    );
}

// ---------------------------------------------------------------------------------------------
// Fence shapes.

#[test]
fn tilde_fences_and_longer_fences_hold_backticks() {
    let reply = "**app/a.md**\n~~~md\n```js\nx\n```\n~~~\n\n**docs/b.md**\n````\n```\ny\n```\n\
                 ````\n";
    let extraction = extract(reply).unwrap();
    assert_eq!(paths(&extraction), ["app/a.md", "docs/b.md"]);
    assert_eq!(contents(&extraction, "app/a.md"), "```js\nx\n```");
    assert_eq!(contents(&extraction, "docs/b.md"), "```\ny\n```");
}

#[test]
fn crlf_replies_give_lf_bodies() {
    let reply = "**app/page.js**\r\n```jsx\r\nline one\r\nline two\r\n```\r\n\r\n\
                 **app/a.css**\r\n~~~css\r\nbody {}\r\n~~~\r\n";
    let extraction = extract(reply).unwrap();
    assert_eq!(paths(&extraction), ["app/page.js", "app/a.css"]);
    assert_eq!(contents(&extraction, "app/page.js"), "line one\nline two");
    assert_eq!(contents(&extraction, "app/a.css"), "body {}");
}

#[test]
fn body_keeps_inner_blank_lines_and_drops_only_the_newline_before_the_fence() {
    let extraction = extract("**a.txt**\n```\n\nx\n\n```\n").unwrap();
    assert_eq!(contents(&extraction, "a.txt"), "\nx\n");
}

#[test]
fn indented_fences_inside_lists_are_dedented() {
    let reply = "- **app/page.js**\n\n    ```js\n    function a() {\n      return 1;\n    }\n    \
                 ```\n";
    let extraction = extract(reply).unwrap();
    assert_eq!(
        contents(&extraction, "app/page.js"),
        "function a() {\n  return 1;\n}"
    );
}

#[test]
fn a_missing_closing_fence_ends_at_the_next_labelled_file() {
    let reply = "**app/a.js**\n```js\nconst a = 1;\n\n**app/b.js**\n```js\nconst b = 2;\n```\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(paths(&extraction), ["app/a.js", "app/b.js"]);
    assert_eq!(contents(&extraction, "app/a.js"), "const a = 1;");
    assert_eq!(contents(&extraction, "app/b.js"), "const b = 2;");
    assert!(
        extraction
            .warnings
            .iter()
            .any(|w| w.starts_with("app/a.js:"))
    );
}

#[test]
fn duplicate_paths_keep_the_last_version_with_a_warning() {
    let reply = "**app/page.js**\n```js\nfirst\n```\n\n**app/layout.js**\n```js\nL\n```\n\n\
                 **app/page.js**\n```js\nsecond\n```\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(paths(&extraction), ["app/layout.js", "app/page.js"]);
    assert_eq!(contents(&extraction, "app/page.js"), "second");
    assert!(
        extraction
            .warnings
            .iter()
            .any(|w| w.contains("app/page.js") && w.contains("more than once")),
        "{:?}",
        extraction.warnings
    );
}

#[test]
fn the_last_version_wins_across_formats_and_files_keep_reply_order() {
    // A fenced version first, then a tag: the tag (later in the reply) wins, although tags
    // are read before fenced blocks.
    let fence_then_tag = "**app/page.js**\n```js\nfenced, early\n```\n\n\
                          **app/layout.js**\n```js\nL\n```\n\n\
                          <file path=\"app/page.js\">\ntagged, late\n</file>\n";
    let extraction = extract(fence_then_tag).unwrap();
    assert_eq!(contents(&extraction, "app/page.js"), "tagged, late");
    assert_eq!(paths(&extraction), ["app/layout.js", "app/page.js"]);

    // A tag first, then a fenced version: the fenced one wins.
    let tag_then_fence = "<file path=\"app/page.js\">\ntagged, early\n</file>\n\n\
                          <file path=\"app/layout.js\">\nL\n</file>\n\n\
                          **app/page.js**\n```js\nfenced, late\n```\n";
    let extraction = extract(tag_then_fence).unwrap();
    assert_eq!(contents(&extraction, "app/page.js"), "fenced, late");
    assert_eq!(paths(&extraction), ["app/layout.js", "app/page.js"]);
    assert!(
        extraction
            .warnings
            .iter()
            .any(|w| w.contains("app/page.js") && w.contains("more than once")),
        "{:?}",
        extraction.warnings
    );

    // Mixed formats without duplicates come out in the order the reply has them.
    let mixed = "**a.js**\n```js\nA\n```\n<file path=\"b.js\">B</file>\n\
                 **c.js**\n```js\nC\n```\n<file path=\"d.js\">D</file>\n";
    assert_eq!(
        paths(&extract(mixed).unwrap()),
        ["a.js", "b.js", "c.js", "d.js"]
    );
}

// ---------------------------------------------------------------------------------------------
// Tags.

#[test]
fn file_tags_give_files() {
    let reply = "Here you go.\n<file path=\"app/page.tsx\">\nexport default function Page() {}\n\
                 </file>\n<file path='app/layout.tsx'>L</file>\n<file name=\"README.md\">\n```md\n\
                 # Hi\n```\n</file>\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(
        paths(&extraction),
        ["app/page.tsx", "app/layout.tsx", "README.md"]
    );
    assert_eq!(
        contents(&extraction, "app/page.tsx"),
        "export default function Page() {}"
    );
    assert_eq!(contents(&extraction, "app/layout.tsx"), "L");
    // A fence wrapped around a tag's body is layout, not content.
    assert_eq!(contents(&extraction, "README.md"), "# Hi");
    assert_eq!(label(&extraction, "app/page.tsx"), "<file> tag");
}

#[test]
fn bolt_artifacts_give_their_file_actions_only() {
    let reply = "<boltArtifact id=\"shop\" title=\"Coffee shop\">\n\
                 <boltAction type=\"file\" filePath=\"package.json\">\n{ \"name\": \"shop\" }\n\
                 </boltAction>\n<boltAction type=\"shell\">\nnpm install\n</boltAction>\n\
                 <boltAction type=\"file\" filePath=\"app/page.js\">\nconst a = \"<b>\";\n\
                 // README:\n// ```bash\n// ```\n</boltAction>\n</boltArtifact>\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(paths(&extraction), ["package.json", "app/page.js"]);
    assert_eq!(
        contents(&extraction, "package.json"),
        "{ \"name\": \"shop\" }"
    );
    assert_eq!(
        contents(&extraction, "app/page.js"),
        "const a = \"<b>\";\n// README:\n// ```bash\n// ```"
    );
    assert_eq!(label(&extraction, "app/page.js"), "<boltAction> tag");
}

#[test]
fn artifact_action_variant_inside_a_fence_and_truncated() {
    let reply = "```xml\n<artifact>\n<action type=\"file\" filePath=\"app/a.js\">A</action>\n\
                 <action type=\"file\" filePath=\"app/b.js\">\nconst b = [\n  1,\n";
    let extraction = extract(reply).unwrap();

    assert_eq!(paths(&extraction), ["app/a.js", "app/b.js"]);
    assert!(extraction.files[0].complete);
    let incomplete = extraction
        .incomplete()
        .expect("the unclosed action is incomplete");
    assert_eq!(incomplete.path, "app/b.js");
    assert_eq!(incomplete.contents, "const b = [\n  1,");
    assert_eq!(incomplete.label, "<action> tag");
}

// ---------------------------------------------------------------------------------------------
// JSON.

#[test]
fn json_reply_as_an_array_of_entries() {
    let reply =
        r#"[{"path": "app/page.js", "content": "P\n"}, {"file": "app/a.css", "code": "C"}]"#;
    let extraction = extract(reply).unwrap();
    assert_eq!(paths(&extraction), ["app/page.js", "app/a.css"]);
    assert_eq!(contents(&extraction, "app/page.js"), "P");
    assert_eq!(contents(&extraction, "app/a.css"), "C");
    assert_eq!(label(&extraction, "app/page.js"), "JSON file list");
}

#[test]
fn json_files_object_in_a_fence_with_prose_around() {
    let reply = "Here is the project:\n\n```json\n{\"files\": [{\"filename\": \"package.json\", \
                 \"contents\": \"{}\"}, {\"path\": \"app/page.js\", \"content\": \"<h1>Hi</h1>\"}]}\
                 \n```\n\nGood luck!";
    let extraction = extract(reply).unwrap();
    assert_eq!(paths(&extraction), ["package.json", "app/page.js"]);
    assert_eq!(contents(&extraction, "app/page.js"), "<h1>Hi</h1>");
    assert!(extraction.warnings.is_empty(), "{:?}", extraction.warnings);
}

#[test]
fn json_files_map_and_json_after_prose() {
    let reply = "Sure:\n{\"files\": {\"app/page.js\": \"P\", \"app/layout.js\": \"L\"}}\nBye.";
    let extraction = extract(reply).unwrap();
    let mut found = paths(&extraction);
    found.sort();
    assert_eq!(found, ["app/layout.js", "app/page.js"]);
}

#[test]
fn a_labelled_package_json_with_a_files_field_is_a_file_not_a_list() {
    let reply = "**package.json**\n```json\n{ \"name\": \"x\", \"files\": [\"dist\"] }\n```\n";
    let extraction = extract(reply).unwrap();
    assert_eq!(paths(&extraction), ["package.json"]);
}

// ---------------------------------------------------------------------------------------------
// No files.

#[test]
fn a_reply_without_files_is_an_error_quoting_its_start() {
    let reply = format!(
        "I'm sorry, but I can't help with building that website today. {}",
        "Here is why. ".repeat(40)
    );
    let err = extract(&reply).unwrap_err();

    let ExtractError::NoFiles { reply_start } = &err;
    assert_eq!(reply_start.chars().count(), 200);
    assert!(reply.starts_with(reply_start.as_str()));
    let message = err.to_string();
    assert!(message.contains("no files found"), "{message}");
    assert!(message.contains("I'm sorry, but I can't help"), "{message}");
}

#[test]
fn only_unlabelled_code_is_an_error_too() {
    let err = extract("```js\nconsole.log(1)\n```\n\n```bash\nnpm start\n```\n").unwrap_err();
    assert!(err.to_string().contains("console.log(1)"), "{err}");
}
