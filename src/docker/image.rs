//! Image resolution: the pipeline's image if the engine has it or can pull it, else the
//! offline fallback, else an error saying which command builds the fallback.

use std::time::Duration;

use bollard::query_parameters::CreateImageOptionsBuilder;
use futures::StreamExt;

use super::{Error, Sandbox};

impl Sandbox {
    /// Returns the image to run: `image` when present locally or pulled within
    /// `pull_timeout`, else `fallback` when present (with a warning), else
    /// [`Error::ImageUnavailable`] naming both and `bash .ci/setup`.
    pub async fn resolve_image(
        &self,
        image: &str,
        fallback: Option<&str>,
        pull_timeout: Duration,
    ) -> Result<String, Error> {
        if self.has_image(image).await? {
            return Ok(image.to_string());
        }

        let pull_error = match tokio::time::timeout(pull_timeout, self.pull(image)).await {
            Ok(Ok(())) => {
                tracing::info!(%image, "Pulled image.");
                return Ok(image.to_string());
            }
            Ok(Err(message)) => message,
            Err(_) => format!(
                "no answer from the registry within {}s",
                pull_timeout.as_secs()
            ),
        };

        if let Some(fallback) = fallback
            && self.has_image(fallback).await?
        {
            tracing::warn!(
                %image, %fallback, reason = %pull_error,
                "Image not available; using the fallback image instead."
            );
            return Ok(fallback.to_string());
        }

        Err(Error::ImageUnavailable {
            image: image.to_string(),
            fallback: fallback.map(str::to_string),
            pull_error,
        })
    }

    pub(crate) async fn has_image(&self, image: &str) -> Result<bool, Error> {
        match self.docker.inspect_image(image).await {
            Ok(_) => Ok(true),
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => Ok(false),
            Err(e) => Err(Error::docker(format!("inspect image {image}"), e)),
        }
    }

    /// Pulls `image`, consuming the progress stream; the error is the registry's message.
    async fn pull(&self, image: &str) -> Result<(), String> {
        let options = CreateImageOptionsBuilder::new().from_image(image).build();
        let mut progress = self.docker.create_image(Some(options), None, None);
        while let Some(event) = progress.next().await {
            match event {
                Ok(info) => {
                    if let Some(detail) = info.error_detail.and_then(|d| d.message) {
                        return Err(detail);
                    }
                }
                Err(bollard::errors::Error::DockerResponseServerError { message, .. }) => {
                    return Err(message);
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok(())
    }
}
