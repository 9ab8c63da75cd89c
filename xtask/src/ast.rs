//! `cargo xtask ast`: loads Smithy models (IDL, JSON AST, or folders of both) and prints the
//! assembled model as a Smithy 2.0 JSON AST, as `smithy ast` does. Also home of
//! [`load_model`], which `cargo xtask codegen --model` shares.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use smithy_codegen::{Loader, Model};

use crate::{Arg, Args, Stop};

pub const USAGE: &str = "\
Usage: cargo xtask ast FILE_OR_DIR...

Loads the given Smithy model files and folders as one model and prints it as a Smithy 2.0
JSON AST on stdout: shapes sorted by shape ID, the prelude left out. `.smithy` files are read
as Smithy IDL, `.json` files as JSON AST; a folder contributes every `.smithy` and `.json`
file under it. The model is validated; an error is one line (`file:line:col: message` for
IDL), followed by the source line and a caret, and nothing is printed on stdout.

Options:
  -h, --help   print this help
";

pub fn run(args: &[OsString]) -> Result<(), Stop> {
    let mut paths = Vec::new();
    let mut args = Args::new(args);
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Positional(p) => paths.push(PathBuf::from(p)),
            Arg::Flag { name, .. } => return Err(Stop::Usage(format!("unknown option `{name}`"))),
        }
    }
    if paths.is_empty() {
        return Err(Stop::Usage("give at least one model file or folder".into()));
    }
    let model = load_model(&paths).map_err(Stop::error)?;
    smithy_codegen::validate_model(&model).map_err(|e| Stop::error(report(&e)))?;
    print!("{}", smithy_codegen::to_json_ast(&model));
    Ok(())
}

/// The model files a path stands for: the file itself, or every `.smithy` and `.json` file
/// under a folder, in sorted order.
pub fn model_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_owned()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: cannot read the folder: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: cannot read the folder: {e}", dir.display()))?;
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "smithy" || e == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(format!("{}: the folder holds no .smithy or .json file", path.display()));
    }
    Ok(out)
}

/// Loads files and folders as one model. An error is the report line, then the source line
/// and a caret when the error has a position.
pub fn load_model(paths: &[PathBuf]) -> Result<Model, String> {
    let mut loader = Loader::new();
    for path in paths {
        for file in model_files(path)? {
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: cannot read the model: {e}", file.display()))?;
            loader.add(&file.display().to_string(), &bytes).map_err(|e| report(&e))?;
        }
    }
    loader.finish().map_err(|e| report(&e))
}

/// An error's line, with the source line it points into and a caret under the column.
pub fn report(e: &smithy_codegen::Error) -> String {
    let source = e.pos.and_then(|_| std::fs::read_to_string(&e.file).ok());
    match source.as_deref().and_then(|s| e.snippet(s)) {
        Some(snippet) => format!("{e}\n{snippet}"),
        None => e.to_string(),
    }
}
