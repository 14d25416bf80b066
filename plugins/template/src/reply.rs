//! The reply text: a short introduction and one fenced block per file, the shape the host's
//! extractor reads (```` ```tsx path=app/page.tsx ````).

/// The fence language for a file, from its extension.
fn language(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "tsx" => "tsx",
        "ts" => "ts",
        "css" => "css",
        "json" => "json",
        "mjs" | "js" => "js",
        "md" => "md",
        _ => "text",
    }
}

/// A fence longer than any run of backticks inside `contents`, so the file cannot close it.
fn fence_for(contents: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in contents.chars() {
        run = if ch == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

/// The whole reply for `files`, introduced by `intro`.
pub fn format(intro: &str, files: &[(String, String)]) -> String {
    let mut reply = format!("{}\n", intro.trim_end());
    for (path, contents) in files {
        let fence = fence_for(contents);
        let body = contents.trim_end_matches('\n');
        reply.push_str(&format!(
            "\n{fence}{} path={path}\n{body}\n{fence}\n",
            language(path)
        ));
    }
    reply
}

/// Splits `text` into pieces of about `size` bytes, cut after a newline when one is near and
/// always on a character boundary.
pub fn chunks(text: &str, size: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if rest.len() <= size {
            pieces.push(rest);
            break;
        }
        let mut cut = size;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        // Prefer ending on a line, but not at the cost of tiny chunks.
        if let Some(newline) = rest[..cut].rfind('\n').filter(|at| at + 1 >= size / 2) {
            cut = newline + 1;
        }
        pieces.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_become_fenced_blocks_with_paths() {
        let files = vec![
            (
                "app/page.tsx".to_string(),
                "export default 1;\n".to_string(),
            ),
            (
                "README.md".to_string(),
                "```sh\nnpm run build\n```\n".to_string(),
            ),
        ];
        let reply = format("Here it is.", &files);
        assert!(
            reply.starts_with("Here it is.\n\n```tsx path=app/page.tsx\nexport default 1;\n```\n")
        );
        assert!(reply.contains("\n````md path=README.md\n```sh\nnpm run build\n```\n````\n"));
    }

    #[test]
    fn chunks_cover_the_text_on_char_boundaries() {
        let text = "héllo wörld\n".repeat(300);
        let pieces = chunks(&text, 512);
        assert!(pieces.len() > 3);
        assert!(pieces.iter().all(
            |piece| piece.len() <= 512 && piece.len() >= 256 || piece == pieces.last().unwrap()
        ));
        assert_eq!(pieces.concat(), text);
    }
}
