//! What can be told about npm version specs without asking the registry.

/// The major version a dependency spec selects, when every version it allows has the same
/// one: `14.2.35`, `^14.2.0`, `~14.2`, `14.x`, `=14.2.0`, `v14`, `19.0.0-rc.1`.
///
/// `None` for anything wider or unknown (`>=14`, `^18 || ^19`, `14 - 15`, `latest`, URLs,
/// `npm:` aliases), so that callers only warn about what the spec really pins.
pub fn major(spec: &str) -> Option<u64> {
    let spec = spec.trim();
    if spec.contains(' ') || spec.contains("||") {
        return None;
    }

    let version = spec.strip_prefix(['^', '~', '=']).unwrap_or(spec);
    let version = version.strip_prefix('v').unwrap_or(version);
    let digits = version.len()
        - version
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let (number, rest) = version.split_at(digits);
    if number.is_empty() || !(rest.is_empty() || rest.starts_with('.') || rest.starts_with('-')) {
        return None;
    }
    number.parse().ok()
}

/// Whether a spec installs whatever is newest on the day of the install: `latest`, `*`, an
/// empty spec, `x`, or any other dist-tag such as `canary`.
pub fn is_moving(spec: &str) -> bool {
    let spec = spec.trim();
    if matches!(spec, "" | "*" | "x" | "X") {
        return true;
    }

    let is_tag_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_';
    let is_version = spec.starts_with('v') && spec[1..].starts_with(|c: char| c.is_ascii_digit());
    spec.starts_with(|c: char| c.is_ascii_alphabetic())
        && spec.chars().all(is_tag_char)
        && !is_version
}

/// The React majors that a Next.js major accepts as a peer, from the `peerDependencies` of
/// the published `next` packages. `None` for majors this table does not know.
pub fn react_majors_for_next(next_major: u64) -> Option<&'static [u64]> {
    match next_major {
        12 => Some(&[17, 18]),
        13 | 14 => Some(&[18]),
        15 | 16 => Some(&[18, 19]),
        _ => None,
    }
}

/// `[18]` as "18", `[18, 19]` as "18 or 19".
pub fn list_majors(majors: &[u64]) -> String {
    let names: Vec<String> = majors.iter().map(u64::to_string).collect();
    names.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_reads_pinned_and_caret_specs() {
        assert_eq!(major("14.2.35"), Some(14));
        assert_eq!(major("^19.0.0"), Some(19));
        assert_eq!(major("~14.2"), Some(14));
        assert_eq!(major("14.x"), Some(14));
        assert_eq!(major("=15.0.1"), Some(15));
        assert_eq!(major("v16"), Some(16));
        assert_eq!(major("19.0.0-rc-de68d2f4-20241204"), Some(19));
        assert_eq!(major(" 18 "), Some(18));
    }

    #[test]
    fn major_refuses_wide_or_unknown_specs() {
        for spec in [
            "latest",
            "*",
            ">=14",
            "^18 || ^19",
            "14 - 15",
            "npm:react@18",
            "",
            "x",
        ] {
            assert_eq!(major(spec), None, "{spec}");
        }
        assert_eq!(major("github:vercel/next.js"), None);
        assert_eq!(major("14abc"), None);
    }

    #[test]
    fn moving_specs_are_tags_and_wildcards() {
        for spec in ["latest", "*", "", "x", "canary", "rc"] {
            assert!(is_moving(spec), "{spec}");
        }
        for spec in [
            "14.2.35",
            "^19.0.0",
            "v14.2.0",
            ">=14",
            "file:../lib",
            "~15",
        ] {
            assert!(!is_moving(spec), "{spec}");
        }
    }

    #[test]
    fn next_14_accepts_only_react_18() {
        assert_eq!(react_majors_for_next(14), Some(&[18][..]));
        assert_eq!(react_majors_for_next(15), Some(&[18, 19][..]));
        assert_eq!(react_majors_for_next(99), None);
        assert_eq!(list_majors(&[18, 19]), "18 or 19");
    }
}
