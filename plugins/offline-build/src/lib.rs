//! `offline-build`: finds what would download from the internet while the project
//! installs or builds, for pipelines whose builds reach only the npm registry (the default
//! one), and fixes or refuses it before the install starts, so the run does not fail
//! minutes later at `next build` with a network error that reads like the model's bug.
//!
//! - `next/font/google` fetches each font from fonts.googleapis.com during `next build`.
//!   With `fonts = "rewrite"` (default) the import is pointed at a module the arena writes,
//!   `arena-fonts/google.js` (`.ts` in a TypeScript project) and its CSS Module, which give
//!   each font a class with a local font stack (the family if installed, then the system's)
//!   and a class defining the CSS variable the code asked for, as next/font's own classes
//!   do; a warning names each rewritten file. With
//!   `fonts = "refuse"` the run fails at validation with the reason.
//! - `package.json` scripts that run while installing or building (`preinstall`,
//!   `install`, `postinstall`, `prepare`, `prebuild`, `build`, `postbuild`) and call `curl`,
//!   `wget` or an `http(s)://` URL: refused.
//! - A Server Component (no `"use client"`) that fetches an absolute `http(s)://` URL:
//!   warned, since prerendering at build time and the running site both have no network.
//!
//! Setting `network = "open"` turns all of this off, for a pipeline whose builds may reach
//! the internet.

pub mod check;

#[cfg(target_arch = "wasm32")]
mod plugin;
