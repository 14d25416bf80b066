//! Just enough JavaScript/TypeScript lexing to find directives, imports and client-only
//! APIs without being fooled by comments and string literals.
//!
//! It is not a parser. `'` and `"` strings end at the end of their line, so an apostrophe in
//! JSX text (`<p>Don't</p>`) hides at most the rest of that line; regular expressions are
//! not recognised. Both only ever hide code, so the checks built on this miss a finding
//! rather than invent one.

/// A source file seen three ways, all with the same byte offsets and line breaks.
pub struct Source<'a> {
    pub text: &'a str,
    /// `text` with comments blanked out: for directives and for JSON with comments.
    pub uncommented: String,
    /// `text` with comments and the insides of string literals blanked out: for searching
    /// code.
    pub code: String,
    pub literals: Vec<Literal<'a>>,
}

/// A string literal: the offset of its opening quote and its raw contents.
pub struct Literal<'a> {
    pub offset: usize,
    pub value: &'a str,
}

/// One `import`, `export ... from`, `import()` or `require()` of a module.
#[derive(Debug, PartialEq, Eq)]
pub struct Import<'a> {
    pub specifier: &'a str,
    pub line: u32,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut uncommented = bytes.to_vec();
        let mut code = bytes.to_vec();
        let mut literals = Vec::new();

        let mut at = 0;
        while at < bytes.len() {
            let next = bytes.get(at + 1).copied();
            match (bytes[at], next) {
                (b'/', Some(b'/')) => {
                    let end = find_byte(bytes, at, b'\n');
                    blank(&mut uncommented, at..end);
                    blank(&mut code, at..end);
                    at = end;
                }
                (b'/', Some(b'*')) => {
                    let end = text[at + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |end| at + 2 + end + 2);
                    blank(&mut uncommented, at..end);
                    blank(&mut code, at..end);
                    at = end;
                }
                (quote @ (b'"' | b'\'' | b'`'), _) => {
                    let end = string_end(bytes, at, quote);
                    literals.push(Literal {
                        offset: at,
                        value: &text[at + 1..end],
                    });
                    blank(&mut code, at + 1..end);
                    at = (end + 1).min(bytes.len());
                }
                _ => at += 1,
            }
        }

        Source {
            text,
            uncommented: String::from_utf8(uncommented).expect("only whole characters are blanked"),
            code: String::from_utf8(code).expect("only whole characters are blanked"),
            literals,
        }
    }

    /// The string directives at the top of the file (`"use client"`, `"use strict"`), before
    /// the first statement of any other kind. Comments may come before and between them.
    pub fn directives(&self) -> Vec<&'a str> {
        let mut directives = Vec::new();
        let mut rest = self.uncommented.as_str();
        loop {
            rest =
                rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';' || c == '\u{feff}');
            let offset = self.uncommented.len() - rest.len();
            let Some(literal) = self
                .literals
                .iter()
                .find(|literal| literal.offset == offset)
            else {
                return directives;
            };
            if !rest.starts_with(['"', '\'']) {
                return directives;
            }
            directives.push(literal.value);
            rest = &rest[(literal.value.len() + 2).min(rest.len())..];
        }
    }

    /// Whether the file is a Client Component module: `"use client"` is among its directives.
    pub fn is_client(&self) -> bool {
        self.directives().contains(&"use client")
    }

    /// Whether `"use client"` appears as a statement of its own after the directives, where
    /// Next.js does not honour it.
    pub fn has_misplaced_use_client(&self) -> bool {
        !self.is_client()
            && self.literals.iter().any(|literal| {
                literal.value == "use client" && starts_line(&self.code, literal.offset)
            })
    }

    /// Every module the file imports, in order.
    pub fn imports(&self) -> Vec<Import<'a>> {
        self.literals
            .iter()
            .filter(|literal| self.text[literal.offset..].starts_with(['"', '\'']))
            .filter(|literal| names_a_module(&self.code[..literal.offset]))
            .map(|literal| Import {
                specifier: literal.value,
                line: self.line_at(literal.offset),
            })
            .collect()
    }

    /// The 1-based line of a byte offset.
    pub fn line_at(&self, offset: usize) -> u32 {
        u32::try_from(self.text[..offset].matches('\n').count() + 1).unwrap_or(u32::MAX)
    }
}

fn blank(bytes: &mut [u8], range: std::ops::Range<usize>) {
    for byte in &mut bytes[range] {
        if *byte != b'\n' {
            *byte = b' ';
        }
    }
}

fn find_byte(bytes: &[u8], from: usize, wanted: u8) -> usize {
    bytes[from..]
        .iter()
        .position(|byte| *byte == wanted)
        .map_or(bytes.len(), |end| from + end)
}

/// The offset of the quote that closes the string opened at `start`, or where it gives up:
/// the end of the line for `'` and `"`, the end of the text.
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            byte if byte == quote => return at,
            b'\n' if quote != b'`' => return at,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// Whether a string literal preceded by `code_before` is a module specifier: it follows
/// `from`, `import`, `import(` or `require(`.
fn names_a_module(code_before: &str) -> bool {
    let before = code_before.trim_end();
    match before.strip_suffix('(') {
        Some(call) => {
            let callee = call.trim_end();
            ends_with_word(callee, "import") || ends_with_word(callee, "require")
        }
        None => ends_with_word(before, "from") || ends_with_word(before, "import"),
    }
}

/// Whether `text` ends with `word` as a whole identifier that is not a property (`x.from`).
pub fn ends_with_word(text: &str, word: &str) -> bool {
    let Some(before) = text.strip_suffix(word) else {
        return false;
    };
    !before.ends_with(|c: char| is_identifier_char(c) || c == '.')
}

pub fn is_identifier_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

fn starts_line(code: &str, offset: usize) -> bool {
    let line_start = code[..offset].rfind('\n').map_or(0, |newline| newline + 1);
    code[line_start..offset].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_strings_are_blanked_in_code() {
        let source = Source::new("const a = \"useState\"; // useEffect\n/* onClick={x} */ b");
        assert!(!source.code.contains("useState"));
        assert!(!source.code.contains("useEffect"));
        assert!(!source.code.contains("onClick"));
        assert!(source.code.ends_with(" b"));
        assert_eq!(source.code.len(), source.text.len());
        assert!(source.uncommented.contains("\"useState\""));
        assert!(!source.uncommented.contains("useEffect"));
    }

    #[test]
    fn a_url_in_a_string_is_not_a_comment() {
        let source = Source::new("const u = \"https://x.dev\"; useState(0);");
        assert!(source.code.contains("useState(0)"));
    }

    #[test]
    fn an_apostrophe_in_jsx_text_hides_only_its_line() {
        let source = Source::new("<p>Don't</p>\n<button onClick={go}>Go</button>");
        assert!(source.code.contains("onClick={go}"));
    }

    #[test]
    fn non_ascii_text_survives_blanking() {
        let source = Source::new("// café ☕\nconst s = 'thé'; x");
        assert!(source.code.ends_with(" x"));
        assert_eq!(source.literals[0].value, "thé");
    }

    #[test]
    fn directives_come_before_any_other_statement() {
        assert_eq!(
            Source::new("\"use client\";\nimport x from 'y';").directives(),
            ["use client"]
        );
        assert_eq!(
            Source::new("// a comment\n/* another */\n'use strict'\n\"use client\"\nx")
                .directives(),
            ["use strict", "use client"]
        );
        assert!(Source::new("'use client'").is_client());
        assert!(!Source::new("import x from 'y';\n\"use client\";").is_client());
        assert!(Source::new("import x from 'y';\n\"use client\";").has_misplaced_use_client());
        assert!(!Source::new("const s = \"use client\";").has_misplaced_use_client());
        assert!(Source::new("").directives().is_empty());
    }

    #[test]
    fn imports_of_every_form_are_found_with_their_lines() {
        let text = r#"import React from "react";
import { a, b } from './a';
import './globals.css';
export { c } from "../c";
export * from "@/d";
const e = await import("./e");
const f = require('./f');
import type { G } from "./g";
const label = "./not-an-import";
Array.from("./not-either");
// import old from "./old";
"#;
        let specifiers: Vec<(&str, u32)> = Source::new(text)
            .imports()
            .into_iter()
            .map(|import| (import.specifier, import.line))
            .collect();
        assert_eq!(
            specifiers,
            [
                ("react", 1),
                ("./a", 2),
                ("./globals.css", 3),
                ("../c", 4),
                ("@/d", 5),
                ("./e", 6),
                ("./f", 7),
                ("./g", 8),
            ]
        );
    }

    #[test]
    fn a_multiline_import_is_found() {
        let imports =
            Source::new("import {\n  Hero,\n  Footer,\n} from \"../components\";").imports();
        assert_eq!(
            imports,
            [Import {
                specifier: "../components",
                line: 4
            }]
        );
    }
}
