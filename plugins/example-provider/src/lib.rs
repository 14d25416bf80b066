//! `example-provider`: the smallest provider worth copying. It answers every prompt with a
//! three-file Next.js project whose page shows the prompt, streamed in pieces as a model
//! would. A real provider calls an API here instead (see `openai-compatible`); everything
//! else, from `describe` to the reply format, stays the same.
//!
//! To make it yours: change the package name in Cargo.toml, the `id` below (ids are
//! unique) and the models, build it with `plugins/build`, drop the `.wasm` into a folder
//! the arena watches (`--plugins DIR`) and add a contestant entry naming the id and model.

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/provider-plugin",
});

use exports::vibe_arena::plugin::provider::{
    FinishReason, GenerateRequest, Generation, Guest, ModelInfo, ProviderInfo, TokenUsage,
};
use vibe_arena::plugin::logging::{self, LogLevel};
use vibe_arena::plugin::reply_stream;

struct ExampleProvider;

impl Guest for ExampleProvider {
    fn describe() -> ProviderInfo {
        ProviderInfo {
            id: "example-provider".into(),
            display_name: "Example provider".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            models: vec![ModelInfo {
                id: "hello".into(),
                display_name: "Hello page".into(),
                context_tokens: 0,
                max_output_tokens: 0,
                // Offline, so free; a real model's list price goes here.
                input_price_per_mtok: 0.0,
                output_price_per_mtok: 0.0,
            }],
            // A real provider names its key (the host fills it into a header, the plugin
            // never sees it) and the hosts it calls.
            secrets: Vec::new(),
            hosts: Vec::new(),
        }
    }

    fn generate(request: GenerateRequest) -> Generation {
        logging::log(
            LogLevel::Info,
            &format!("writing a page for model {}", request.model),
        );
        let reply = project(&request.user_prompt);
        // The host shows the reply as it streams and keeps the whole as the raw reply.
        for piece in reply.split_inclusive('\n') {
            reply_stream::emit(piece);
        }
        Generation {
            usage: TokenUsage {
                input_tokens: (request.user_prompt.len() as u64).div_ceil(4),
                output_tokens: (reply.len() as u64).div_ceil(4),
            },
            finish: FinishReason::Stop,
        }
    }
}

/// The reply: one fenced block per file, its path in the info string, as the pipeline's
/// system prompt asks models to answer.
fn project(prompt: &str) -> String {
    let title = js_string(prompt);
    format!(
        r#"A single page that shows the request.

```json path=package.json
{{
  "name": "example-site",
  "private": true,
  "scripts": {{ "build": "next build", "start": "next start" }},
  "dependencies": {{ "next": "15.5.29", "react": "19.2.9", "react-dom": "19.2.9" }}
}}
```

```jsx path=app/layout.js
export const metadata = {{ title: {title} }};

export default function RootLayout({{ children }}) {{
  return (
    <html lang="en">
      <body style={{{{ fontFamily: "system-ui, sans-serif", margin: "3rem" }}}}>{{children}}</body>
    </html>
  );
}}
```

```jsx path=app/page.js
export default function Page() {{
  return (
    <main>
      <h1>{{{title}}}</h1>
      <p>Written by the example provider.</p>
    </main>
  );
}}
```
"#
    )
}

/// `text` as a JavaScript string literal.
fn js_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

export!(ExampleProvider);
