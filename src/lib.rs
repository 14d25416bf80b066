//! Vibe Arena: LLM contestants race to build the same Next.js site from one prompt.
//!
//! A run goes through the pipeline's plugin chain (provider, reply extraction, path checks,
//! validators) and then through the built-in stages (Docker install, build and start,
//! health check, screenshots, preview gateway).

pub mod arena;
pub mod catalog;
pub mod conceal;
pub mod contestants;
pub mod dependencies;
pub mod docker;
pub mod export;
pub mod extract;
pub mod gateway;
pub mod generate;
pub mod leaderboard;
pub mod pipeline;
pub mod plugin;
pub mod ports;
pub mod run;
pub mod screenshot;
pub mod server;
pub mod store;
pub mod web;
pub mod workspace;
