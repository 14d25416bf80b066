//! Contestant files: the built-in list loads, and ids that could escape the output folder
//! or collide are refused when the file loads.

use arena::contestants;

#[test]
fn the_built_in_contestants_are_offline_and_two_are_defaults() {
    let all = contestants::load(None).unwrap();
    let defaults: Vec<&str> = all
        .iter()
        .filter(|c| c.default)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(defaults, ["template-studio", "template-bold"]);
    assert!(
        all.iter()
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
