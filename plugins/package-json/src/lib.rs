//! `package-json`: checks the generated project's `package.json` before anything is
//! installed, so that a broken manifest fails the run at the validating stage with a reason a
//! reader can act on, not later with npm's or Next.js's own message.
//!
//! Errors (the run fails at validation):
//! - no `package.json` at the root of the reply, or one that is not a JSON object (with the
//!   line serde_json stopped at);
//! - no `next` dependency;
//! - no `build` or `start` script, when `add-missing-scripts` is `false`.
//!
//! Warnings:
//! - `react` or `react-dom` not listed (npm would pick them from next's peer range), or
//!   `next` only in `devDependencies`;
//! - versions that move over time (`latest`, `*`, other dist-tags);
//! - pairs that npm's peer check rejects, detectable from the specs alone: a Next.js major
//!   with a React major it does not accept (next 14 with react 19), react and react-dom of
//!   different majors;
//! - `next.config.ts` with next older than 15, which `next build` refuses;
//! - a `build` or `start` script that does not run `next build` / `next start`, or a start
//!   script that pins a port or a host: the arena runs `next start` itself on the port it
//!   allocates for the run.
//!
//! Fixes, applied only when they cannot change what the model meant: a missing `build`
//! script becomes `next build` and a missing `start` script `next start`, noted with an info
//! diagnostic, and the new `package.json` is written back with its key order kept. Missing
//! dependencies are never added, because choosing their versions would be the arena writing
//! the contestant's project.
//!
//! Settings: `add-missing-scripts` = `true` (default) or `false`. With `false` a missing
//! script is an error ("package.json has no \"build\" script") instead of a fix.

pub mod check;
pub mod versions;

#[cfg(target_arch = "wasm32")]
mod plugin;
