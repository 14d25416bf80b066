//! `nextjs-structure`: checks that the generated file tree is a Next.js project that
//! `next build` can build, before anything is installed.
//!
//! Errors (the run fails at validation):
//! - no entry for `/`: neither an app-router `app/page.*` (or `src/app/`, or inside route
//!   groups) nor a pages-router `pages/index.*` ("no app/layout or pages/ entry" when the
//!   reply has neither folder);
//! - an app-router page with no root layout above it (`app/layout.*`);
//! - `app/page.*` and `pages/index.*` both serving `/`;
//! - a local import (`./x`, `../components/Footer`, `@/lib/data`) that names no file of the
//!   reply, with the importer, the line and the specifier. Extensions `.tsx .ts .jsx .js
//!   .mjs .cjs .json` and `/index.*` are tried, and aliases come from `compilerOptions.paths`
//!   of `tsconfig.json` or `jsconfig.json`; without an `@/*` entry, `@/` is tried as the
//!   root and as `src/`.
//!
//! Warnings:
//! - a Server Component that uses a client-only API (`useState`, `useEffect`, `onClick={..}`
//!   handlers, class components, `useRouter`...) without `"use client"` as its first
//!   statement. The Server Component graph starts at the app router's route files and
//!   follows local imports, stopping at Client Components, so a component in `components/`
//!   is named with the page that imports it. Never fixed: the directive is the contestant's
//!   code.
//! - `error.*` and `global-error.*` route files that are not Client Components;
//! - a `"use client"` that is not the first statement;
//! - `src/app/` (or `src/pages/`) next to `app/` (`pages/`), which Next.js ignores.
//!
//! No edits, no settings.

pub mod check;
pub mod resolve;
pub mod source;

#[cfg(target_arch = "wasm32")]
mod plugin;
