//! The benchmark's yardstick: one project installed and built in a plain container, with
//! none of the arena's orchestration (no limits, no network policy, no log streaming, no
//! queue), so that what the arena adds can be measured against it in the same run.

use std::path::Path;
use std::time::{Duration, Instant};

use bollard::models::{ContainerCreateBody, HostConfig, Mount, MountType};

use super::phase::{ContainerGuard, wait_for_exit};
use super::{Error, LABEL_INSTANCE, Sandbox};

/// Times of the two plain phases.
#[derive(Debug, Clone, Copy)]
pub struct BaselineTimes {
    pub install: Duration,
    pub build: Duration,
}

impl Sandbox {
    /// Runs `npm install` and then `next build` on `workspace` in two plain root containers
    /// of `image`, with the npm cache in the named volume `cache_volume` (a new name is a
    /// cold cache, the same name again a warm one).
    pub async fn bare_install_and_build(
        &self,
        image: &str,
        workspace: &Path,
        registry: &str,
        ca_bundle: Option<&Path>,
        cache_volume: &str,
    ) -> Result<BaselineTimes, Error> {
        let install =
            format!("npm install --registry={registry} --no-audit --no-fund --cache=/npm-cache");
        let install = self
            .bare_run(image, workspace, ca_bundle, cache_volume, &install)
            .await?;
        let build = "node_modules/.bin/next build";
        let build = self
            .bare_run(image, workspace, ca_bundle, cache_volume, build)
            .await?;
        Ok(BaselineTimes { install, build })
    }

    async fn bare_run(
        &self,
        image: &str,
        workspace: &Path,
        ca_bundle: Option<&Path>,
        cache_volume: &str,
        script: &str,
    ) -> Result<Duration, Error> {
        let mut binds = vec![format!("{}:/workspace", workspace.display())];
        let mut env = vec![
            "HOME=/tmp".to_owned(),
            "NEXT_TELEMETRY_DISABLED=1".to_owned(),
        ];
        if let Some(bundle) = ca_bundle {
            binds.push(format!("{}:/etc/arena-ca.crt:ro", bundle.display()));
            env.push("NODE_EXTRA_CA_CERTS=/etc/arena-ca.crt".to_owned());
        }
        let body = ContainerCreateBody {
            image: Some(image.to_owned()),
            entrypoint: Some(vec!["sh".into(), "-c".into(), script.to_owned()]),
            working_dir: Some("/workspace".into()),
            user: Some("0:0".into()),
            env: Some(env),
            labels: Some([(LABEL_INSTANCE.to_owned(), self.instance().to_owned())].into()),
            host_config: Some(HostConfig {
                binds: Some(binds),
                mounts: Some(vec![Mount {
                    target: Some("/npm-cache".into()),
                    source: Some(cache_volume.to_owned()),
                    typ: Some(MountType::VOLUME),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let created = self
            .docker
            .create_container(
                None::<bollard::query_parameters::CreateContainerOptions>,
                body,
            )
            .await
            .map_err(|e| Error::docker("create the baseline container", e))?;
        let guard = ContainerGuard::new(self.docker.clone(), created.id);

        let started = Instant::now();
        self.start_container(&guard.id).await?;
        wait_for_exit(&self.docker, &guard.id).await;
        let elapsed = started.elapsed();
        let state = self.container_state(&guard.id).await?;
        guard.remove().await;
        match state.exit_code {
            Some(0) => Ok(elapsed),
            code => Err(Error::Workspace {
                path: workspace.display().to_string(),
                message: format!("baseline `{script}` exited with {code:?}"),
            }),
        }
    }

    /// Removes a named volume (the benchmark empties the npm cache for its cold runs).
    pub async fn remove_volume(&self, name: &str) -> Result<(), Error> {
        let options = bollard::query_parameters::RemoveVolumeOptionsBuilder::new()
            .force(true)
            .build();
        match self.docker.remove_volume(name, Some(options)).await {
            Ok(()) => Ok(()),
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => Ok(()),
            Err(error) => Err(Error::docker(format!("remove volume {name}"), error)),
        }
    }
}
