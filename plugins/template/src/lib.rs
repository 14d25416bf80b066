//! `template`: the offline contestant. It answers any prompt with a complete Next.js 15 project
//! built from hand-written page kinds, so a battle can run with no API key. Its "models" are
//! visual styles; the prompt picks the page kind and supplies the names, copy and colours.
//!
//! Parameters: `seed` (a whole number, default 0) varies small choices such as the accent hue,
//! names and copy; the same prompt, model and seed always give a byte-identical reply. Other
//! parameters are ignored. Models: `studio`, `bold` and `paper`.
//!
//! The generator is pure ([`site::render`], [`reply::format`]) and tested natively; the
//! component glue in `plugin` (wasm only) streams its output to the host.

pub mod js;
pub mod pages;
pub mod reply;
pub mod rng;
pub mod site;
pub mod style;
pub mod topic;
pub mod words;

#[cfg(target_arch = "wasm32")]
mod plugin;

use style::Style;

/// What every style reports as its limits. The longest reply (the news page) is about 14,000
/// tokens, so the output cap leaves room to grow.
pub const CONTEXT_TOKENS: u32 = 128_000;
pub const MAX_OUTPUT_TOKENS: u32 = 32_768;

/// A generation request in plain data, as the component receives it.
pub struct Request<'a> {
    pub system_prompt: &'a str,
    pub user_prompt: &'a str,
    pub model: &'a str,
    pub params: &'a [(String, String)],
}

/// What `generate` does with a request, without the host: the reply text and its usage.
pub struct Answer {
    pub reply: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub topic: topic::Topic,
    pub files: usize,
}

/// Reads `seed` from the request parameters; other names are ignored.
pub fn seed_param(params: &[(String, String)]) -> Result<u64, String> {
    match params.iter().rev().find(|(name, _)| name == "seed") {
        None => Ok(0),
        Some((_, value)) => value
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("parameter `seed` must be a whole number, got {value:?}")),
    }
}

/// The model's style; an empty model means the first style.
pub fn style_for(model: &str) -> Result<Style, String> {
    if model.is_empty() {
        return Ok(Style::Studio);
    }
    Style::from_id(model).ok_or_else(|| {
        let known: Vec<&str> = Style::ALL.iter().map(|style| style.id()).collect();
        format!(
            "unknown model {model:?}; the template provider offers {}",
            known.join(", ")
        )
    })
}

/// Roughly four characters per token, as the real providers' tokenizers average on code.
fn tokens(chars: usize) -> u64 {
    chars.div_ceil(4) as u64
}

/// The full answer to a request: site, reply text and token usage.
pub fn answer(request: &Request) -> Result<Answer, String> {
    let seed = seed_param(request.params)?;
    let style = style_for(request.model)?;
    let site = site::render(request.user_prompt, style, seed);
    let reply = reply::format(&site::intro(&site), &site.files);

    let prompt_chars = request.system_prompt.chars().count() + request.user_prompt.chars().count();
    Ok(Answer {
        input_tokens: tokens(prompt_chars),
        output_tokens: tokens(reply.chars().count()),
        reply,
        topic: site.topic,
        files: site.files.len(),
    })
}

#[cfg(test)]
mod tests;
