//! `code-safety`: refuses generated code that does what no website in an arena needs and
//! what a hostile or confused model might try: looking for secrets in the environment,
//! running programs, mining, or fetching code and running it. Runs before anything is
//! installed, so such a project never reaches a container.
//!
//! Errors (the run fails at validation), each with the file, the line and what was found:
//! - the environment read for secrets: `process.env.X` where X looks like a credential
//!   (`KEY`, `SECRET`, `TOKEN`, `PASSWORD`, `CREDENTIAL`, `PRIVATE`, `AUTH`), or the whole
//!   environment (`process.env[...]`, `Object.keys(process.env)`, `JSON.stringify(process.env)`,
//!   `...process.env`);
//! - processes spawned from app code: `child_process` (or `node:child_process`) imported
//!   or required, `Bun.spawn`, `Deno.Command`;
//! - mining: known miner names and pool protocols (`coinhive`, `cryptonight`, `xmrig`,
//!   `stratum+tcp://` ...);
//! - remote code run: `eval` or `new Function` of something fetched, or `import()` of an
//!   `http(s)://` URL.
//!
//! Warnings: other `process.env` reads (the site runs with no configuration, so they are
//! undefined), and `eval` / `new Function` on anything else.
//!
//! - the project's own install hooks (`preinstall`, `install`, `postinstall` scripts in
//!   `package.json`), which npm runs before anything checks the code they call.
//!
//! Source files are read line by line (`.js .jsx .ts .tsx .mjs .cjs`), as code with JSX text
//! left out and whitespace ignored; comments count, which errs on the side of refusing. This
//! is a heuristic that stops the plain and the lazily disguised cases; code determined to
//! hide can get past it, which is why every stage also runs in a locked-down container with
//! no secrets and no network. No edits. Setting `refuse` = `true` (default) or
//! `false`, which turns the errors into warnings for a pipeline that studies such code.

pub mod check;

#[cfg(target_arch = "wasm32")]
mod plugin;
