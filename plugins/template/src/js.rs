//! A tiny builder for TypeScript data literals. Everything a prompt contributes to a site goes
//! through here into `app/data.ts`, so prompt words never land unescaped in JSX or CSS.

/// A JavaScript value, printed as a literal.
#[derive(Clone, Debug)]
pub enum Js {
    Str(String),
    Int(i64),
    /// A number already formatted, e.g. `4.5`.
    Num(String),
    Bool(bool),
    Arr(Vec<Js>),
    Obj(Vec<(String, Js)>),
}

/// An object literal from `(key, value)` pairs, in the given order.
pub fn obj<const N: usize>(fields: [(&str, Js); N]) -> Js {
    Js::Obj(
        fields
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

pub fn arr<T: Into<Js>>(items: impl IntoIterator<Item = T>) -> Js {
    Js::Arr(items.into_iter().map(Into::into).collect())
}

/// A number with one decimal place.
pub fn num1(value: f64) -> Js {
    Js::Num(format!("{value:.1}"))
}

impl From<&str> for Js {
    fn from(value: &str) -> Self {
        Js::Str(value.to_string())
    }
}

impl From<String> for Js {
    fn from(value: String) -> Self {
        Js::Str(value)
    }
}

impl From<&String> for Js {
    fn from(value: &String) -> Self {
        Js::Str(value.clone())
    }
}

impl From<i64> for Js {
    fn from(value: i64) -> Self {
        Js::Int(value)
    }
}

impl From<i32> for Js {
    fn from(value: i32) -> Self {
        Js::Int(i64::from(value))
    }
}

impl From<u32> for Js {
    fn from(value: u32) -> Self {
        Js::Int(i64::from(value))
    }
}

impl From<usize> for Js {
    fn from(value: usize) -> Self {
        Js::Int(value as i64)
    }
}

impl From<bool> for Js {
    fn from(value: bool) -> Self {
        Js::Bool(value)
    }
}

impl From<Vec<Js>> for Js {
    fn from(value: Vec<Js>) -> Self {
        Js::Arr(value)
    }
}

/// A double-quoted string literal that is also valid JSON.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Line separators end a statement in older engines; control characters are
            // invisible. Both are written as escapes.
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", ch as u32)),
            ch if (ch as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", ch as u32)),
            ch => out.push(ch),
        }
    }
    out.push('"');
    out
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

const WIDTH: usize = 92;

impl Js {
    fn inline(&self) -> String {
        match self {
            Js::Str(text) => quote(text),
            Js::Int(value) => value.to_string(),
            Js::Num(text) => text.clone(),
            Js::Bool(value) => value.to_string(),
            Js::Arr(items) => {
                let parts: Vec<String> = items.iter().map(Js::inline).collect();
                format!("[{}]", parts.join(", "))
            }
            Js::Obj(fields) if fields.is_empty() => "{}".to_string(),
            Js::Obj(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(key, value)| field(key, &value.inline()))
                    .collect();
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }

    /// The literal, broken over lines where it does not fit, with two-space indents.
    pub fn pretty(&self, indent: usize) -> String {
        let flat = self.inline();
        if indent * 2 + flat.len() <= WIDTH {
            return flat;
        }
        let pad = "  ".repeat(indent + 1);
        let close = "  ".repeat(indent);
        match self {
            Js::Arr(items) => {
                let lines: Vec<String> = items
                    .iter()
                    .map(|item| format!("{pad}{},", item.pretty(indent + 1)))
                    .collect();
                format!("[\n{}\n{close}]", lines.join("\n"))
            }
            Js::Obj(fields) => {
                let lines: Vec<String> = fields
                    .iter()
                    .map(|(key, value)| format!("{pad}{},", field(key, &value.pretty(indent + 1))))
                    .collect();
                format!("{{\n{}\n{close}}}", lines.join("\n"))
            }
            _ => flat,
        }
    }
}

fn field(key: &str, value: &str) -> String {
    if is_identifier(key) {
        format!("{key}: {value}")
    } else {
        format!("{}: {value}", quote(key))
    }
}

/// Collects `export const` declarations for a data module.
#[derive(Default)]
pub struct Module {
    text: String,
}

impl Module {
    /// Starts the module with type declarations written by hand.
    pub fn new(prelude: &str) -> Self {
        Module {
            text: format!("// Content of this site. Generated; edit freely.\n\n{prelude}"),
        }
    }

    pub fn export(&mut self, name: &str, ty: &str, value: Js) {
        self.text.push_str(&format!(
            "\nexport const {name}: {ty} = {};\n",
            value.pretty(0)
        ));
    }

    /// Adds hand-written declarations (types, helpers) as they are.
    pub fn append(&mut self, text: &str) {
        self.text.push('\n');
        self.text.push_str(text);
    }

    pub fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quote("a \"b\" \\ c\n"), r#""a \"b\" \\ c\n""#);
        assert_eq!(quote("it's </script>"), r#""it's </script>""#);
    }

    #[test]
    fn long_values_break_over_lines() {
        let long = arr((0..40).map(Js::Int));
        assert!(long.pretty(0).contains('\n'));
        assert_eq!(
            obj([("a", 1i64.into()), ("b c", "x".into())]).pretty(0),
            r#"{ a: 1, "b c": "x" }"#
        );
    }
}
