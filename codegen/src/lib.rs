//! Generates Rust crates from Smithy models (IDL or JSON AST) of AWS services and others.
//!
//! The pipeline, one module per stage: [`load`] (a parser per format, the JSON AST and the
//! IDL, then one assembly for both: names resolved across files, prelude added, `apply`
//! applied, mixins flattened, Smithy 1.0 upgraded; [`Loader`] for several files), `validate`,
//! `lower` (model to IR: Rust names beside wire names, boxing decided), `emit` (IR to token
//! streams and formatted files). Beside them: [`to_json_ast`] writes a model back as a JSON
//! AST, and [`diff`] compares two models (smithy-diff events, Rust API changes). No stage
//! touches the filesystem: [`generate`] returns the files and the caller writes them.
//!
//! Bad input is an [`Error`], never a panic: outside tests the code may not unwrap, index or
//! panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo
    )
)]

use std::collections::BTreeMap;

mod ast;
mod customize;
pub mod diff;
pub mod endpoint_inputs;
mod docs;
mod emit;
pub mod endpoint_tests;
mod error;
mod ir;
mod literals;
mod load;
mod lower;
mod model;
pub mod naming;
mod prelude;
pub mod protocol_tests;
mod validate;

pub use error::Error;
pub use load::botocore;
pub use load::Loader;
pub use model::{Location, Member, Model, Pos, Shape, ShapeKind};

/// Options for [`generate`].
#[derive(Debug, Clone)]
pub struct Settings {
    /// The generated package's name; by default derived from the service's `sdkId`.
    pub crate_name: Option<String>,
    /// Path of the `smithy-runtime` crate as seen from the generated crate's folder
    /// (written into the generated `Cargo.toml`).
    pub runtime_path: String,
    /// Whether the generated `Cargo.toml` gets an empty `[workspace]` table, so that the
    /// crate builds on its own wherever it is written.
    pub standalone: bool,
    /// The service to generate, as an absolute shape ID; needed only when the model has more
    /// than one service.
    pub service: Option<String>,
    /// The generated package's version; by default `0.1.0`. The xtask keeps it in
    /// `models/manifest.json` and bumps it on each model update.
    pub version: Option<String>,
    /// The text of the AWS partition table (`partitions.json`, pinned in
    /// `models/manifest.json`), which endpoint rules calling `aws.partition` need: the
    /// generated crate holds it. Generating a service whose rules call `aws.partition`
    /// without it is an error.
    pub partitions: Option<String>,
}

/// A generated crate: its package name and its files, keyed by path relative to the crate
/// folder (`Cargo.toml`, `src/lib.rs`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    pub crate_name: String,
    pub files: BTreeMap<String, String>,
}

/// Parses and assembles a model from the bytes of one file: a `.smithy` file as Smithy IDL,
/// anything else as a Smithy JSON AST; `file` names it in errors. [`Loader`] assembles several.
pub fn load(file: &str, bytes: &[u8]) -> Result<Model, Error> {
    load::load(file, bytes)
}

/// Imports a botocore service model (see [`botocore`]) and loads it like a JSON AST file
/// named `<service file>.json`; also returns the import, whose `unknown` lists the botocore
/// keys that were not mapped.
pub fn load_botocore(files: &botocore::BotocoreFiles<'_>, service_id: Option<&str>) -> Result<(Model, botocore::Imported), Error> {
    let imported = botocore::import(files, service_id)?;
    let text = imported.ast.to_string();
    let name = format!("{}.json", files.service.0.trim_end_matches(".json"));
    let model = load::load(&name, text.as_bytes())?;
    Ok((model, imported))
}

/// The model as a Smithy 2.0 JSON AST, as `smithy ast` prints it: shapes sorted by shape ID,
/// the prelude left out. Loading the text gives the same model.
pub fn to_json_ast(model: &Model) -> String {
    ast::to_json_ast(model)
}

/// Checks every shape of a loaded model (references, enum values, defaults, collections),
/// whatever service is later generated. [`generate`] does it too.
pub fn validate_model(model: &Model) -> Result<(), Error> {
    validate::validate_model(model)
}

/// Validates the model, then generates the crate for its service.
pub fn generate(model: &Model, settings: &Settings) -> Result<GeneratedCrate, Error> {
    validate::validate(model, settings)?;
    let krate = lower::lower(model, settings)?;
    let files = emit::emit(&krate)?;
    Ok(GeneratedCrate { crate_name: krate.crate_name, files })
}
