//! Host firewall rules that make the run network airtight. Docker alone cannot do it: a
//! bridge without masquerading still forwards packets (unanswerable, but sent), and a
//! container can always open connections to the host's own address on its bridge.
//!
//! Chain `ARENA-RUN`, jumped to from `INPUT` and `DOCKER-USER` for traffic coming in from the
//! run bridge: replies of connections the host opened (the published port's proxy) pass,
//! everything else is dropped. Applied with `iptables` when the arena runs as root next to
//! a local engine; otherwise a warning gives the commands to run.

use std::os::unix::fs::MetadataExt;
use std::process::Command;

const CHAIN: &str = "ARENA-RUN";

/// Applies the rules for `bridge` once; idempotent, never fails the caller.
pub(crate) async fn apply(bridge: &str) {
    let owned = bridge.to_string();
    let outcome = tokio::task::spawn_blocking(move || apply_blocking(&owned)).await;
    match outcome {
        Ok(Ok(added)) if added > 0 => {
            tracing::info!(
                chain = CHAIN,
                rules = added,
                "Applied run network firewall rules."
            );
        }
        Ok(Ok(_)) => tracing::debug!(chain = CHAIN, "Run network firewall rules in place."),
        Ok(Err(reason)) => tracing::warn!(
            %reason,
            commands = %commands(bridge).join(" && "),
            "Run network firewall rules not applied: runtime egress is blocked only by the \
             network options (no masquerading, DNS sink). Run these commands as root."
        ),
        Err(join) => tracing::warn!(error = %join, "Firewall task failed."),
    }
}

fn apply_blocking(bridge: &str) -> Result<usize, String> {
    let euid = std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(u32::MAX);
    if euid != 0 {
        return Err(format!("the arena runs as uid {euid}, not root"));
    }
    if Command::new("iptables").arg("--version").output().is_err() {
        return Err("iptables is not installed".to_string());
    }

    // Creating an existing chain fails harmlessly; any other failure shows at the next step.
    let _ = iptables(&["-N", CHAIN]);

    let mut added = 0;
    let rules: [(&str, Vec<&str>); 4] = [
        (
            CHAIN,
            vec![
                "-m",
                "conntrack",
                "--ctstate",
                "ESTABLISHED,RELATED",
                "-j",
                "RETURN",
            ],
        ),
        (CHAIN, vec!["-j", "DROP"]),
        ("INPUT", vec!["-i", bridge, "-j", CHAIN]),
        ("DOCKER-USER", vec!["-i", bridge, "-j", CHAIN]),
    ];
    for (chain, rule) in rules {
        let mut check = vec!["-C", chain];
        check.extend(&rule);
        if iptables(&check).is_ok() {
            continue;
        }
        // Order matters inside our chain (append); in the shared chains, go first.
        let mut add = if chain == CHAIN {
            vec!["-A", chain]
        } else {
            vec!["-I", chain, "1"]
        };
        add.extend(&rule);
        iptables(&add).map_err(|e| format!("iptables {}: {e}", add.join(" ")))?;
        added += 1;
    }
    Ok(added)
}

fn iptables(args: &[&str]) -> Result<(), String> {
    let output = Command::new("iptables")
        .arg("-w")
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// The same rules as shell commands, for the warning when they cannot be applied here.
fn commands(bridge: &str) -> Vec<String> {
    vec![
        format!("iptables -N {CHAIN}"),
        format!("iptables -A {CHAIN} -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN"),
        format!("iptables -A {CHAIN} -j DROP"),
        format!("iptables -I INPUT 1 -i {bridge} -j {CHAIN}"),
        format!("iptables -I DOCKER-USER 1 -i {bridge} -j {CHAIN}"),
    ]
}
