//! Contestant files: the built-in list offers every seed vendor, priced and keyed by named
//! variables; unlisted models need a price; ids that could escape the output folder, collide
//! or prices that make no sense are refused when the file loads.

mod common;

use arena::contestants;

#[test]
fn the_defaults_are_two_offline_contestants_that_need_no_key() {
    let all = contestants::load(None).unwrap();
    let defaults: Vec<&str> = all
        .iter()
        .filter(|c| c.default)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(defaults, ["template-studio", "template-bold"]);
    assert!(
        all.iter()
            .filter(|c| c.default)
            .all(|c| c.provider == "template" && c.secrets.is_empty())
    );
}

#[test]
fn an_id_that_is_not_a_plain_label_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["/tmp/victim", "../victim", "Upper", "", "a b"] {
        let file = dir.path().join("c.toml");
        let text = format!(
            "[[contestants]]\nid = {id:?}\nname = \"x\"\nprovider = \"template\"\nmodel = \"studio\"\n"
        );
        std::fs::write(&file, text).unwrap();
        let error = contestants::load(Some(&file)).unwrap_err().to_string();
        assert!(
            error.contains("must be 1-64 characters of a-z, 0-9 and '-'"),
            "{id}: {error}"
        );
    }
}

#[test]
fn a_missing_file_is_named() {
    let error = contestants::load(Some(std::path::Path::new("/nonexistent/c.toml"))).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("cannot read contestants file /nonexistent/c.toml"),
        "{error}"
    );
}

fn file_with(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let file = dir.join("contestants.toml");
    std::fs::write(&file, text).unwrap();
    file
}

#[tokio::test]
async fn the_built_in_list_offers_every_seed_vendor_priced_with_its_key_variable() {
    let engine = common::engine();
    let plugins = arena::plugin::PluginSet::load(&engine, &[]).await;
    let all = contestants::load(None).unwrap();

    let mut groups: Vec<(&str, usize)> = Vec::new();
    for contestant in &all {
        let group = contestant.group.as_deref().unwrap_or("(plugin name)");
        match groups.iter_mut().find(|(name, _)| *name == group) {
            Some((_, count)) => *count += 1,
            None => groups.push((group, 1)),
        }
    }
    assert_eq!(
        groups,
        [
            ("(plugin name)", 3),
            ("OpenAI", 2),
            ("Anthropic", 2),
            ("Google", 2),
            ("xAI", 2),
            ("Meta", 2),
            ("DeepSeek", 2),
            ("Through a gateway", 1),
            ("Local models", 1),
        ]
    );

    for contestant in &all {
        let id = &contestant.id;
        // Every run shows its cost: each entry is priced, by its plugin or by itself.
        let price = contestant
            .price(&plugins)
            .unwrap_or_else(|| panic!("{id} has no price"));
        let vendor =
            contestant.group.is_some() && contestant.group.as_deref() != Some("Local models");
        assert_eq!(
            price.input > 0.0 && price.output > 0.0,
            vendor,
            "{id}: {price:?}"
        );

        // Unavailable only for a missing key, and then it names the variable to set.
        let missing: Vec<&String> = contestant
            .secrets
            .values()
            .filter(|variable| std::env::var_os(variable).is_none_or(|v| v.is_empty()))
            .collect();
        let reason = contestant.unavailable_reason(&plugins);
        match missing.first() {
            Some(variable) => assert_eq!(reason, Some(format!("set {variable} to use it")), "{id}"),
            None => assert_eq!(reason, None, "{id}"),
        }
        assert_eq!(
            vendor,
            !contestant.secrets.is_empty(),
            "{id}: keys come from variables"
        );
    }
}

#[tokio::test]
async fn an_unlisted_model_needs_a_price_and_a_secret_must_be_one_the_plugin_declares() {
    let engine = common::engine();
    let plugins = arena::plugin::PluginSet::load(&engine, &[]).await;
    let dir = tempfile::tempdir().unwrap();
    let file = file_with(
        dir.path(),
        r#"
[[contestants]]
id = "unpriced"
name = "A model the plugin does not list"
provider = "openai-compatible"
model = "my-finetune"

[[contestants]]
id = "priced"
name = "The same, with its price"
provider = "openai-compatible"
model = "my-finetune"
price = { input = 0.5, output = 1 }

[[contestants]]
id = "wrong-secret"
name = "A secret the plugin never asked for"
provider = "anthropic"
model = "claude-haiku-5-5"
secrets = { token = "PATH" }
"#,
    );
    let all = contestants::load(Some(&file)).unwrap();
    let reason = |id: &str| {
        all.iter()
            .find(|c| c.id == id)
            .unwrap()
            .unavailable_reason(&plugins)
    };

    let unpriced = reason("unpriced").unwrap();
    assert!(
        unpriced.starts_with("provider `openai-compatible` does not list model `my-finetune`"),
        "{unpriced}"
    );
    assert!(
        unpriced.contains("gpt-6-luna") && unpriced.contains("price = {"),
        "{unpriced}"
    );

    assert_eq!(reason("priced"), None);
    let priced = all.iter().find(|c| c.id == "priced").unwrap();
    let price = priced.price(&plugins).unwrap();
    assert_eq!(price.cost_usd(2_000_000, 1_000_000), 2.0);

    assert_eq!(
        reason("wrong-secret").unwrap(),
        "provider `anthropic` declares no secret `token` (it declares: api-key)"
    );
}

#[test]
fn a_negative_or_malformed_price_is_refused_when_the_file_loads() {
    let dir = tempfile::tempdir().unwrap();
    let entry = |price: &str| {
        format!(
            "[[contestants]]\nid = \"x\"\nname = \"x\"\nprovider = \"template\"\nmodel = \"studio\"\nprice = {price}\n"
        )
    };
    let file = file_with(dir.path(), &entry("{ input = -1, output = 2 }"));
    let error = contestants::load(Some(&file)).unwrap_err().to_string();
    assert!(
        error.contains("contestant `x` has price { input = -1, output = 2 }"),
        "{error}"
    );
    let file = file_with(dir.path(), &entry("{ input = 1, outptu = 2 }"));
    let error = contestants::load(Some(&file)).unwrap_err().to_string();
    assert!(error.contains("unknown field `outptu`"), "{error}");
}
