//! Dependencies checked against the npm registry before anything is installed: a package
//! that does not exist (models invent plausible names) or an exact version that was never
//! published fails the run at validating, naming the package, instead of minutes later
//! inside `npm install`.
//!
//! This runs in the host because validator plugins have no network. It asks the same
//! registry the install would use (the pipeline's `[build] registry`), briefly: whether each
//! package exists, and whether an exact version was published. When the registry cannot be reached, nothing is concluded:
//! the install then says what happened, and the arena's own network trouble never fails a
//! contestant.

use std::time::Duration;

use futures::StreamExt as _;

/// One dependency the registry does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpublished {
    pub name: String,
    /// `None` when the package itself does not exist; the version asked for otherwise.
    pub version: Option<String>,
}

impl std::fmt::Display for Unpublished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.version {
            None => write!(f, "package `{}` does not exist", self.name),
            Some(version) => write!(f, "`{}` has no version {version}", self.name),
        }
    }
}

/// How many packages are looked up, how many at once, and how long the whole check may
/// take before it gives up and leaves everything to npm.
const MAX_LOOKUPS: usize = 200;
const AT_ONCE: usize = 8;
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(10);
pub const CHECK_BUDGET: Duration = Duration::from_secs(20);

/// The dependencies of `manifest` (a package.json) that `registry` does not have. Entries
/// that are not registry versions (`file:`, `git+`, `http(s):`, `workspace:`, `npm:`
/// aliases) are left to npm.
pub async fn unpublished(registry: &str, manifest: &str) -> Vec<Unpublished> {
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(manifest) else {
        return Vec::new();
    };
    let mut wanted: Vec<(String, String)> = Vec::new();
    for section in ["dependencies", "devDependencies"] {
        let Some(entries) = manifest[section].as_object() else {
            continue;
        };
        for (name, spec) in entries {
            let spec = spec.as_str().unwrap_or_default().trim().to_owned();
            let elsewhere = [
                "file:",
                "git",
                "http:",
                "https:",
                "workspace:",
                "npm:",
                "link:",
            ]
            .iter()
            .any(|prefix| spec.starts_with(prefix))
                || spec.contains('/');
            if !elsewhere && !wanted.iter().any(|(known, _)| known == name) {
                wanted.push((name.clone(), spec));
            }
        }
    }
    wanted.truncate(MAX_LOOKUPS);

    let client = reqwest::Client::builder()
        .timeout(LOOKUP_TIMEOUT)
        .build()
        .expect("an HTTP client builds");
    let base = registry.trim_end_matches('/').to_owned();
    let lookups = futures::stream::iter(wanted)
        .map(|(name, spec)| {
            let client = client.clone();
            let base = base.clone();
            async move { lookup(&client, &base, name, spec).await }
        })
        .buffered(AT_ONCE)
        .filter_map(|found| async move { found })
        .collect::<Vec<_>>();
    match tokio::time::timeout(CHECK_BUDGET, lookups).await {
        Ok(found) => found,
        Err(_) => {
            tracing::warn!(%registry, "The registry answered too slowly; dependencies left to npm.");
            Vec::new()
        }
    }
}

/// Asks without downloading a package's whole history (tens of MB for `next`): `HEAD
/// /{name}` says whether it exists, `GET /{name}/{version}` (a few KB) whether an exact
/// version was published.
async fn lookup(
    client: &reqwest::Client,
    base: &str,
    name: String,
    spec: String,
) -> Option<Unpublished> {
    let encoded = name.replace('/', "%2f");
    let status = |request: reqwest::RequestBuilder| async move {
        match request.send().await {
            Ok(response) => Some(response.status().as_u16()),
            Err(error) => {
                tracing::debug!(%error, "Registry lookup failed; left to npm.");
                None
            }
        }
    };
    match status(client.head(format!("{base}/{encoded}"))).await? {
        404 => {
            return Some(Unpublished {
                name,
                version: None,
            });
        }
        200 => {}
        // Rate limits, outages: the install will meet them too, and say so.
        _ => return None,
    }
    if !is_exact_version(&spec) {
        return None;
    }
    let version = spec.trim_start_matches('=').trim_start_matches('v');
    match status(client.get(format!("{base}/{encoded}/{version}"))).await? {
        404 => Some(Unpublished {
            name,
            version: Some(spec),
        }),
        _ => None,
    }
}

/// `1.2.3` or `1.2.3-beta.1` (optionally `=`/`v`-prefixed): a spec that names one version;
/// ranges and dist-tags are npm's to resolve.
fn is_exact_version(spec: &str) -> bool {
    let version = spec.trim_start_matches('=').trim_start_matches('v');
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_single_versions_are_exact() {
        for exact in ["15.5.29", "=1.0.0", "v2.3.4", "1.0.0-beta.1"] {
            assert!(is_exact_version(exact), "{exact}");
        }
        for range in [
            "^15.5.29",
            "~1.0",
            "latest",
            "*",
            "1.x",
            ">=1.0.0 <2",
            "1.0",
        ] {
            assert!(!is_exact_version(range), "{range}");
        }
    }
}
