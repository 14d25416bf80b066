//! What each model does, apart from the host calls that `plugin` makes.

use std::time::Duration;

/// Every model, in the order `describe` lists them.
pub const MODELS: [&str; 8] = [
    "trap",
    "loop",
    "memory",
    "flood",
    "sleep",
    "forbidden-host",
    "fetch",
    "fine",
];

/// One block of `memory`'s hoard.
pub const MEMORY_BLOCK_BYTES: usize = 16 << 20;

/// One chunk of `flood`'s endless reply.
pub const FLOOD_CHUNK_BYTES: usize = 1 << 20;

pub const SLEEP: Duration = Duration::from_secs(60 * 60);

/// A host the plugin never declares, for `forbidden-host`.
pub const FORBIDDEN_URL: &str = "https://forbidden.example/";

/// A secret `fetch` asks for (with `with-secret=true`) without having declared it.
pub const UNDECLARED_SECRET: &str = "HOSTILE_TEST_KEY";

/// The `fine` model's reply: the smallest project the validators accept, labelled with
/// `path=` in the fence info strings.
pub const FINE_REPLY: &str = r#"A tiny project.

```json path=package.json
{
  "name": "hostile-fine",
  "private": true,
  "scripts": { "build": "next build", "start": "next start" },
  "dependencies": { "next": "14.2.35", "react": "18.3.1", "react-dom": "18.3.1" },
  "devDependencies": { "typescript": "5.6.3", "@types/react": "18.3.12", "@types/node": "20.17.10" }
}
```

```tsx path=app/layout.tsx
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (<html lang="en"><body>{children}</body></html>);
}
```

```tsx path=app/page.tsx
export default function Page() { return <h1>Hostile but fine</h1>; }
```
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Trap,
    Loop,
    Memory,
    Flood,
    Sleep,
    ForbiddenHost,
    Fetch,
    Fine,
}

impl Behaviour {
    pub fn for_model(model: &str) -> Result<Self, String> {
        match model {
            "trap" => Ok(Behaviour::Trap),
            "loop" => Ok(Behaviour::Loop),
            "memory" => Ok(Behaviour::Memory),
            "flood" => Ok(Behaviour::Flood),
            "sleep" => Ok(Behaviour::Sleep),
            "forbidden-host" => Ok(Behaviour::ForbiddenHost),
            "fetch" => Ok(Behaviour::Fetch),
            "fine" => Ok(Behaviour::Fine),
            other => Err(format!(
                "hostile has no model `{other}`; it has {}",
                MODELS.join(", ")
            )),
        }
    }
}

pub fn trap() -> ! {
    panic!("hostile plugin: trap requested");
}

/// Spins without ever calling the host, so only a fuel or epoch deadline can stop it.
pub fn spin() -> ! {
    let mut turns: u64 = 0;
    loop {
        turns = std::hint::black_box(turns.wrapping_add(1));
    }
}

/// Fills memory with blocks that cannot be optimised away until an allocation fails, which
/// aborts the plugin.
pub fn hoard() -> ! {
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    loop {
        blocks.push(vec![0xa5; MEMORY_BLOCK_BYTES]);
        std::hint::black_box(&blocks);
    }
}

/// Emits 1 MiB chunks forever.
pub fn flood(mut emit: impl FnMut(&str)) -> ! {
    let line = format!("{}\n", "flood ".repeat(15));
    let chunk = line.repeat(FLOOD_CHUNK_BYTES / line.len());
    loop {
        emit(&chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_model_has_a_behaviour() {
        for model in MODELS {
            assert!(Behaviour::for_model(model).is_ok(), "{model}");
        }
        let error = Behaviour::for_model("gpt-5").unwrap_err();
        assert!(
            error.starts_with("hostile has no model `gpt-5`; it has trap, loop"),
            "{error}"
        );
    }

    #[test]
    #[should_panic(expected = "trap requested")]
    fn trap_panics() {
        trap();
    }

    #[test]
    fn the_fine_reply_has_a_buildable_package_json_and_app_files() {
        let body = FINE_REPLY
            .split("```json path=package.json\n")
            .nth(1)
            .and_then(|rest| rest.split("\n```").next())
            .expect("a package.json fence");
        let manifest: serde_json::Value = serde_json::from_str(body).expect("valid JSON");
        assert_eq!(manifest["scripts"]["build"], "next build");
        assert_eq!(manifest["scripts"]["start"], "next start");
        assert!(manifest["dependencies"]["next"].is_string());
        assert!(manifest["devDependencies"]["typescript"].is_string());
        assert!(FINE_REPLY.contains("```tsx path=app/layout.tsx\n"));
        assert!(FINE_REPLY.contains("```tsx path=app/page.tsx\n"));
        assert_eq!(
            FINE_REPLY.matches("```").count(),
            6,
            "every fence is closed"
        );
    }

    #[test]
    fn a_flood_chunk_is_about_a_mebibyte() {
        let line = format!("{}\n", "flood ".repeat(15));
        let chunk_bytes = line.len() * (FLOOD_CHUNK_BYTES / line.len());
        assert!(chunk_bytes > FLOOD_CHUNK_BYTES - line.len() && chunk_bytes <= FLOOD_CHUNK_BYTES);
    }
}
