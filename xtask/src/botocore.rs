//! Services imported from the pinned botocore wheel (the `botocore` section of
//! `models/manifest.json`): the wheel found or downloaded by `smithy_testdata::botocore`, a
//! service's files read out of it, and `smithy_codegen::load_botocore` turning them into a
//! model.

use std::path::Path;

use smithy_codegen::botocore::{BotocoreFiles, Imported};
use smithy_codegen::Model;
use smithy_testdata::botocore::{locate_wheel, ServiceFiles, Wheel};

/// Opens the workspace's pinned wheel, downloading it if no folder has it.
pub fn open_wheel(workspace: &Path) -> Result<Wheel, String> {
    Wheel::open(&locate_wheel(workspace)?)
}

/// `SERVICE` or `SERVICE/API_VERSION` (default: the newest version in the wheel).
pub fn split_spec(wheel: &Wheel, spec: &str) -> Result<(String, String), String> {
    match spec.split_once('/') {
        Some((service, version)) => Ok((service.to_owned(), version.to_owned())),
        None => {
            let version = wheel
                .latest(spec)
                .ok_or_else(|| format!("the botocore wheel has no service `{spec}`"))?;
            Ok((spec.to_owned(), version))
        }
    }
}

/// The model of `service` at `api_version`, its service shape named `shape_id` (else derived).
pub fn load(
    wheel: &mut Wheel,
    service: &str,
    api_version: &str,
    shape_id: Option<&str>,
) -> Result<(Model, Imported), String> {
    let files = wheel.service(service, api_version)?;
    load_files(&files, shape_id)
}

fn part(file: &Option<(String, Vec<u8>)>) -> Option<(&str, &[u8])> {
    file.as_ref().map(|(n, b)| (n.as_str(), b.as_slice()))
}

/// [`load`] from files already read.
pub fn load_files(
    files: &ServiceFiles,
    shape_id: Option<&str>,
) -> Result<(Model, Imported), String> {
    let files = BotocoreFiles {
        service: (files.service.0.as_str(), files.service.1.as_slice()),
        rules: part(&files.rules),
        paginators: part(&files.paginators),
        waiters: part(&files.waiters),
    };
    smithy_codegen::load_botocore(&files, shape_id).map_err(|e| e.to_string())
}

/// The service shape IDs of the Smithy models of services this workspace imports from
/// botocore, which botocore does not carry (the JSON protocols' come from `targetPrefix`).
pub const SHAPE_IDS: &[(&str, &str)] = &[
    ("iam", "com.amazonaws.iam#AWSIdentityManagementV20100508"),
    ("sts", "com.amazonaws.sts#AWSSecurityTokenServiceV20110615"),
];

/// The Smithy service shape ID of botocore's `service`, where [`SHAPE_IDS`] knows it.
pub fn shape_id(service: &str) -> Option<&'static str> {
    SHAPE_IDS.iter().find(|(s, _)| *s == service).map(|(_, id)| *id)
}

/// The Smithy JSON AST of botocore's `spec` (`SERVICE` or `SERVICE/API_VERSION`) from an open
/// wheel ([`open_wheel`]), as a file name and bytes that `smithy_codegen::load` reads. The name
/// is the service file's path in the wheel (`botocore/data/iam/2010-05-08/service-2.json`), the
/// same on every machine; the service shape is named by [`shape_id`].
pub fn json_ast(wheel: &mut Wheel, spec: &str) -> Result<(String, Vec<u8>), String> {
    let (service, version) = split_spec(wheel, spec)?;
    let files = wheel.service(&service, &version)?;
    let (_, imported) = load_files(&files, shape_id(&service))?;
    Ok((files.service.0.clone(), imported.ast.to_string().into_bytes()))
}
