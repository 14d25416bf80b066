//! The two networks: `arena-build` (egress, for npm) and `arena-run` (no egress, for the
//! published site). Created once, idempotently, labelled, shared by every instance.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use bollard::models::NetworkCreateRequest;
use bollard::query_parameters::InspectNetworkOptions;

use super::{Error, LABEL_MANAGED, Sandbox, firewall};

/// Network of install and build containers: a normal bridge, with egress.
pub const BUILD_NETWORK: &str = "arena-build";
/// Network of run containers: no masquerading, no inter-container traffic.
pub const RUN_NETWORK: &str = "arena-run";
/// The Linux bridge behind [`RUN_NETWORK`], named so host firewall rules can target it.
pub const RUN_BRIDGE: &str = "arena-run0";
const BUILD_BRIDGE: &str = "arena-build0";

/// What a run network looks like from the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkInfo {
    pub name: String,
    pub subnet: String,
    /// The host's own address on the bridge.
    pub gateway: Option<Ipv4Addr>,
}

#[derive(Clone, Debug)]
pub(crate) struct Networks {
    pub(crate) run: NetworkInfo,
    /// An address inside the run subnet that no container gets: run containers use it as
    /// their DNS server, so a lookup goes nowhere instead of to the host's resolver.
    pub(crate) run_dns_sink: Ipv4Addr,
}

impl Sandbox {
    /// Creates the build and run networks if missing and applies the host firewall rules
    /// for the run bridge (see the module docs). Phases call this themselves.
    pub async fn ensure_networks(&self) -> Result<NetworkInfo, Error> {
        Ok(self.networks().await?.run.clone())
    }

    pub(crate) async fn networks(&self) -> Result<&Networks, Error> {
        self.networks
            .get_or_try_init(|| async {
                self.ensure_network(BUILD_NETWORK, BUILD_BRIDGE, true)
                    .await?;
                let run = self.ensure_network(RUN_NETWORK, RUN_BRIDGE, false).await?;
                let run_dns_sink =
                    last_host_address(&run.subnet).ok_or_else(|| Error::Network {
                        network: RUN_NETWORK.to_string(),
                        message: format!("no usable IPv4 subnet (IPAM says {:?})", run.subnet),
                    })?;
                if self.engine_is_local() {
                    firewall::apply(RUN_BRIDGE).await;
                } else {
                    tracing::warn!(
                        host = %self.host,
                        "Remote Docker engine: apply the run network firewall rules on that \
                         host yourself (see src/docker/firewall.rs)."
                    );
                }
                Ok(Networks { run, run_dns_sink })
            })
            .await
    }

    fn engine_is_local(&self) -> bool {
        self.host.starts_with("unix://")
    }

    async fn ensure_network(
        &self,
        name: &str,
        bridge: &str,
        egress: bool,
    ) -> Result<NetworkInfo, Error> {
        if let Some(info) = self.inspect_network(name).await? {
            return Ok(info);
        }

        let mut options = HashMap::from([
            (
                "com.docker.network.bridge.name".to_string(),
                bridge.to_string(),
            ),
            (
                "com.docker.network.bridge.enable_icc".to_string(),
                "false".to_string(),
            ),
        ]);
        if !egress {
            // Not `internal: true`: an internal network cannot publish ports. Without
            // masquerading nothing leaves with a routable source address; the firewall
            // rules drop what would still be forwarded.
            options.insert(
                "com.docker.network.bridge.enable_ip_masquerade".to_string(),
                "false".to_string(),
            );
        }
        let request = NetworkCreateRequest {
            name: name.to_string(),
            driver: Some("bridge".to_string()),
            options: Some(options),
            labels: Some(HashMap::from([(
                LABEL_MANAGED.to_string(),
                "true".to_string(),
            )])),
            ..Default::default()
        };
        match self.docker.create_network(request).await {
            Ok(_) => tracing::info!(network = %name, egress, "Created network."),
            // Another instance created it meanwhile.
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 409, ..
            }) => {}
            Err(e) => return Err(Error::docker(format!("create network {name}"), e)),
        }
        self.inspect_network(name)
            .await?
            .ok_or_else(|| Error::Network {
                network: name.to_string(),
                message: "created, but the engine does not know it".to_string(),
            })
    }

    async fn inspect_network(&self, name: &str) -> Result<Option<NetworkInfo>, Error> {
        let network = match self
            .docker
            .inspect_network(name, None::<InspectNetworkOptions>)
            .await
        {
            Ok(network) => network,
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => return Ok(None),
            Err(e) => return Err(Error::docker(format!("inspect network {name}"), e)),
        };
        let ipv4 = network
            .ipam
            .and_then(|ipam| ipam.config)
            .unwrap_or_default()
            .into_iter()
            .find(|config| config.subnet.as_deref().is_some_and(|s| s.contains('.')));
        let (subnet, gateway) = match ipv4 {
            Some(config) => (
                config.subnet.unwrap_or_default(),
                config.gateway.and_then(|gateway| gateway.parse().ok()),
            ),
            None => (String::new(), None),
        };
        Ok(Some(NetworkInfo {
            name: name.to_string(),
            subnet,
            gateway,
        }))
    }
}

/// The highest host address of an IPv4 subnet such as `172.18.0.0/16`: the IPAM driver hands
/// out addresses from the bottom, so this one stays free.
fn last_host_address(subnet: &str) -> Option<Ipv4Addr> {
    let (address, prefix) = subnet.split_once('/')?;
    let address: Ipv4Addr = address.parse().ok()?;
    let prefix: u32 = prefix.parse().ok()?;
    if !(8..=30).contains(&prefix) {
        return None;
    }
    let host_bits = 32 - prefix;
    let broadcast = u32::from(address) | ((1u32 << host_bits) - 1);
    Some(Ipv4Addr::from(broadcast - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_host_address_of_common_subnets() {
        assert_eq!(
            last_host_address("172.18.0.0/16"),
            Some(Ipv4Addr::new(172, 18, 255, 254))
        );
        assert_eq!(
            last_host_address("192.168.48.0/20"),
            Some(Ipv4Addr::new(192, 168, 63, 254))
        );
        assert_eq!(last_host_address("fd00::/64"), None);
    }
}
