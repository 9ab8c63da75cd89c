//! JSON AST to our model to `to_json_ast` (what `cargo xtask ast` prints) and back gives the
//! same model, for every AWS model (read from `$SMITHY_MODELS_DIR`, else `shared/models/aws`
//! beside the repository, else fetched; see `data`), and for the protocol test suite loaded
//! from its IDL.

use std::path::PathBuf;

use smithy_codegen::Model;

mod data;

fn round_trip(name: &str, model: &Model) -> Result<(), String> {
    let text = smithy_codegen::to_json_ast(model);
    let again = smithy_codegen::load(&format!("{name} (as printed)"), text.as_bytes()).map_err(|e| e.to_string())?;
    if let Some(d) = data::difference(model, &again) {
        return Err(format!("{name}: {d}"));
    }
    // Printing is deterministic: the reloaded model prints the same text.
    if smithy_codegen::to_json_ast(&again) != text {
        return Err(format!("{name}: printing the reloaded model gives other text"));
    }
    Ok(())
}

#[test]
fn every_aws_model_round_trips_through_the_json_ast_writer() {
    let dir = data::models_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: cannot list the AWS models: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 41, "only {} models in {}", files.len(), dir.display());
    let mut failures = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let model = smithy_codegen::load(&name, &std::fs::read(file).unwrap()).unwrap_or_else(|e| panic!("{e}"));
        if let Err(e) = round_trip(&name, &model) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} of {} models do not round-trip:\n{}", failures.len(), files.len(), failures.join("\n"));
}

#[test]
fn the_idl_protocol_suite_round_trips_through_the_json_ast_writer() {
    let dir = data::protocol_suite_idl();
    let mut loader = smithy_codegen::Loader::new();
    let files = data::files(&dir, ".smithy");
    for p in &files {
        loader.add(&p.display().to_string(), &std::fs::read(p).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    }
    let n = files.len();
    assert!(n > 100, "only {n} IDL files under {}", dir.display());
    let model = loader.finish().unwrap_or_else(|e| panic!("{e}"));
    round_trip("protocol-tests/idl", &model).unwrap();
}
