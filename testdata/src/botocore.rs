//! The pinned botocore wheel: the `botocore` section of `models/manifest.json` pins a wheel of
//! botocore (the AWS SDK for Python, Apache-2.0) on PyPI, which carries every AWS service's
//! model as `botocore/data/<service>/<api-version>/service-2.json.gz` beside its
//! `endpoint-rule-set-1.json.gz`, `paginators-1.json` and `waiters-2.json`. The generator
//! imports them (`smithy_codegen::botocore`) for services whose Smithy model is not at hand.
//!
//! [`locate_wheel`] finds the wheel like a model: `models/<file>`, `$SMITHY_BOTOCORE_DIR/<file>`,
//! `../shared/models/botocore/<file>`, the download cache `models/cache/<file>`, else a download
//! from its `url` (or from `$SMITHY_PYPI_BASE_URL`, a mirror laid out like
//! files.pythonhosted.org), checked against the pinned SHA-256 before it is saved. [`Wheel`]
//! reads the service folders out of it. Nothing from the wheel is committed.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::fields::{is_hex, object, only_keys, string};
use crate::http;

/// The manifest that pins the wheel, relative to the workspace root.
pub const MANIFEST: &str = "models/manifest.json";
/// A folder holding the pinned wheel (looked in after `models/`).
pub const DIR_VAR: &str = "SMITHY_BOTOCORE_DIR";
/// A mirror of files.pythonhosted.org: the wheel is downloaded from the same path under it.
pub const BASE_URL_VAR: &str = "SMITHY_PYPI_BASE_URL";
/// Where PyPI serves files.
pub const PYPI_FILES: &str = "https://files.pythonhosted.org";
/// The largest wheel accepted (botocore 1.44's is 16.9 MB).
pub const MAX_WHEEL_BYTES: u64 = 256 << 20;
/// The largest file inside it, decompressed (EC2's service-2.json is about 4 MB).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The `botocore` section of `models/manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub wheel: WheelPin,
    /// The services generated from it, in manifest order.
    pub models: Vec<ModelPin>,
}

/// The pinned wheel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelPin {
    /// Its file name, `botocore-<version>-py3-none-any.whl`.
    pub file: String,
    /// Its URL on files.pythonhosted.org.
    pub url: String,
    pub sha256: String,
    /// botocore's version.
    pub version: String,
    /// botocore's license (SPDX), which covers the models it ships.
    pub license: String,
}

/// A service generated from the wheel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelPin {
    /// botocore's folder name of the service (`sts`).
    pub service: String,
    /// Its API version (the folder below it, `2011-06-15`).
    pub api_version: String,
    /// The service shape's ID as the Smithy model names it; botocore does not carry it.
    pub shape_id: Option<String>,
    /// The crate's folder, relative to the workspace.
    pub out: String,
    /// The generated crate's version.
    pub version: String,
}

impl WheelPin {
    /// The wheel's URL under `base` (a mirror of files.pythonhosted.org), or its own URL.
    pub fn url_under(&self, base: Option<&str>) -> String {
        match (base, self.url.strip_prefix(PYPI_FILES)) {
            (Some(base), Some(path)) => format!("{}{path}", base.trim_end_matches('/')),
            _ => self.url.clone(),
        }
    }
}

/// Reads the `botocore` section of the workspace's manifest (`None` when it has none).
pub fn section(workspace: &Path) -> Result<Option<Section>, String> {
    let path = workspace.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read the models manifest: {e}", path.display()))?;
    parse_section(&text, &path.display().to_string())
}

/// Parses the `botocore` section of a models manifest; `at` names the file in errors.
pub fn parse_section(text: &str, at: &str) -> Result<Option<Section>, String> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| format!("{at}: not valid JSON: {e}"))?;
    let Some(value) = root.get("botocore") else {
        return Ok(None);
    };
    let at = &format!("{at}: botocore");
    let fields = object(value, at)?;
    only_keys(fields, &["wheel", "models"], at)?;
    let wheel_at = &format!("{at}.wheel");
    let wheel = object(fields.get("wheel").unwrap_or(&Value::Null), wheel_at)?;
    only_keys(
        wheel,
        &["file", "url", "sha256", "version", "license"],
        wheel_at,
    )?;
    let pin = WheelPin {
        file: string(wheel, "file", wheel_at)?,
        url: string(wheel, "url", wheel_at)?,
        sha256: string(wheel, "sha256", wheel_at)?,
        version: string(wheel, "version", wheel_at)?,
        license: string(wheel, "license", wheel_at)?,
    };
    if pin.file.contains(['/', '\\']) || !pin.file.ends_with(".whl") {
        return Err(format!(
            "{wheel_at}: `file` must be a bare file name ending in .whl"
        ));
    }
    if !pin.url.starts_with(&format!("{PYPI_FILES}/"))
        || !pin.url.ends_with(&format!("/{}", pin.file))
    {
        return Err(format!(
            "{wheel_at}: `url` must be the file's URL on {PYPI_FILES}"
        ));
    }
    if !is_hex(&pin.sha256) || pin.sha256.len() != 64 {
        return Err(format!(
            "{wheel_at}: `sha256` must be 64 lowercase hex digits"
        ));
    }
    let mut models = Vec::new();
    for (index, value) in fields
        .get("models")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = &format!("{at}.models[{index}]");
        let m = object(value, at)?;
        only_keys(
            m,
            &["service", "api_version", "shape_id", "out", "version"],
            at,
        )?;
        let shape_id = match m.get("shape_id") {
            None => None,
            Some(_) => Some(string(m, "shape_id", at)?),
        };
        let model = ModelPin {
            service: string(m, "service", at)?,
            api_version: string(m, "api_version", at)?,
            shape_id,
            out: string(m, "out", at)?,
            version: match m.get("version") {
                None => "0.1.0".to_owned(),
                Some(_) => string(m, "version", at)?,
            },
        };
        let plain = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        };
        if !plain(&model.service) || !plain(&model.api_version) {
            return Err(format!("{at}: `service` and `api_version` must be botocore folder names such as \"sts\" and \"2011-06-15\""));
        }
        models.push(model);
    }
    Ok(Some(Section { wheel: pin, models }))
}

/// The folders searched for the wheel, in order: `models/`, `$SMITHY_BOTOCORE_DIR`,
/// `../shared/models/botocore`, then the cache `models/cache`.
pub fn search_dirs(workspace: &Path, dir_var: Option<&OsString>) -> Vec<PathBuf> {
    let mut dirs = vec![workspace.join("models")];
    if let Some(dir) = dir_var.filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    let beside = workspace
        .parent()
        .map_or_else(|| workspace.join(".."), Path::to_path_buf);
    dirs.push(beside.join("shared").join("models").join("botocore"));
    dirs.push(workspace.join("models").join("cache"));
    dirs
}

/// Finds the pinned wheel of `workspace` (see the module), downloading it into the cache
/// when no folder has it; returns its path.
pub fn locate_wheel(workspace: &Path) -> Result<PathBuf, String> {
    let section =
        section(workspace)?.ok_or_else(|| format!("{MANIFEST} pins no `botocore` wheel"))?;
    let vars: BTreeMap<&str, OsString> = [DIR_VAR, BASE_URL_VAR]
        .into_iter()
        .filter_map(|v| Some((v, std::env::var_os(v).filter(|x| !x.is_empty())?)))
        .collect();
    locate_wheel_in(
        &section.wheel,
        workspace,
        vars.get(DIR_VAR),
        vars.get(BASE_URL_VAR),
    )
}

/// [`locate_wheel`] with the pin and the variables' values given.
pub fn locate_wheel_in(
    pin: &WheelPin,
    workspace: &Path,
    dir_var: Option<&OsString>,
    base_var: Option<&OsString>,
) -> Result<PathBuf, String> {
    let dirs = search_dirs(workspace, dir_var);
    let cache = workspace.join("models").join("cache");
    for dir in &dirs {
        let path = dir.join(&pin.file);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let actual = http::sha256_hex(&bytes);
        if actual == pin.sha256 {
            return Ok(path);
        }
        if *dir != cache {
            return Err(format!(
                "{}: sha256 {actual} does not match the {} pinned in {MANIFEST}; replace it with {}, or remove it to have it downloaded",
                path.display(),
                pin.sha256,
                pin.url
            ));
        }
    }
    let base = match base_var {
        Some(v) => Some(http::base_url(BASE_URL_VAR, Some(v.as_os_str()))?),
        None => None,
    };
    let url = pin.url_under(base.as_deref());
    let searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    let bytes = http::get(&url, MAX_WHEEL_BYTES).map_err(|failure| {
        format!(
            "{}: not found (looked in {}), and the download from {url} failed: {failure}; check the network (or ${BASE_URL_VAR}), or put the wheel (`pip download --no-deps botocore=={}`) in one of those folders or in ${DIR_VAR}",
            pin.file,
            searched.join(", "),
            pin.version
        )
    })?;
    let actual = http::sha256_hex(&bytes);
    if actual != pin.sha256 {
        return Err(format!(
            "{}: the file downloaded from {url} has sha256 {actual}, not the {} pinned in {MANIFEST}, so it was not saved",
            pin.file, pin.sha256
        ));
    }
    let path = cache.join(&pin.file);
    http::save_atomic(&path, &bytes).map_err(|e| {
        format!(
            "{}: downloaded from {url}, but cannot save it as {}: {e}",
            pin.file,
            path.display()
        )
    })?;
    Ok(path)
}

/// An open botocore wheel.
pub struct Wheel {
    name: String,
    archive: zip::ZipArchive<std::fs::File>,
}

/// The files of one service folder, decompressed; each with its path in the wheel.
#[derive(Debug, Clone)]
pub struct ServiceFiles {
    pub service: (String, Vec<u8>),
    pub rules: Option<(String, Vec<u8>)>,
    pub paginators: Option<(String, Vec<u8>)>,
    pub waiters: Option<(String, Vec<u8>)>,
}

const DATA: &str = "botocore/data/";

impl Wheel {
    /// Opens the wheel at `path`.
    pub fn open(path: &Path) -> Result<Wheel, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("{}: cannot open the wheel: {e}", path.display()))?;
        let archive = zip::ZipArchive::new(file)
            .map_err(|e| format!("{}: not a readable zip archive: {e}", path.display()))?;
        Ok(Wheel {
            name: path.display().to_string(),
            archive,
        })
    }

    /// Every service folder with a `service-2.json.gz`: (service, API version), sorted.
    pub fn services(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .archive
            .file_names()
            .filter_map(|n| {
                let rest = n.strip_prefix(DATA)?.strip_suffix("/service-2.json.gz")?;
                let (service, version) = rest.split_once('/')?;
                (!version.contains('/')).then(|| (service.to_owned(), version.to_owned()))
            })
            .collect();
        out.sort();
        out
    }

    /// The newest API version of `service` (the one botocore loads by default).
    pub fn latest(&self, service: &str) -> Option<String> {
        self.services()
            .into_iter()
            .filter(|(s, _)| s == service)
            .map(|(_, v)| v)
            .max()
    }

    fn read(&mut self, path: &str, required: bool) -> Result<Option<(String, Vec<u8>)>, String> {
        let mut entry = match self.archive.by_name(path) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) if !required => return Ok(None),
            Err(e) => return Err(format!("{}: {path}: {e}", self.name)),
        };
        let mut raw = Vec::new();
        (&mut entry)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut raw)
            .map_err(|e| format!("{}: {path}: cannot read it: {e}", self.name))?;
        let bytes = if let Some(name) = path.strip_suffix(".gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut out)
                .map_err(|e| format!("{}: {path}: not valid gzip: {e}", self.name))?;
            return check_size(&self.name, path, out).map(|b| Some((name.to_owned(), b)));
        } else {
            raw
        };
        check_size(&self.name, path, bytes).map(|b| Some((path.to_owned(), b)))
    }

    /// The files of `service` at `api_version`; its `service-2.json.gz` must be there.
    pub fn service(&mut self, service: &str, api_version: &str) -> Result<ServiceFiles, String> {
        let dir = format!("{DATA}{service}/{api_version}/");
        if self
            .archive
            .index_for_name(&format!("{dir}service-2.json.gz"))
            .is_none()
        {
            let known: Vec<String> = self
                .services()
                .into_iter()
                .filter(|(s, _)| s == service)
                .map(|(_, v)| v)
                .collect();
            return Err(format!(
                "{}: no botocore model {service}/{api_version} ({})",
                self.name,
                if known.is_empty() {
                    "no such service".to_owned()
                } else {
                    format!("its versions: {}", known.join(", "))
                }
            ));
        }
        let service_file = self.read(&format!("{dir}service-2.json.gz"), true)?;
        Ok(ServiceFiles {
            service: service_file
                .ok_or_else(|| format!("{}: {dir}service-2.json.gz missing", self.name))?,
            rules: self.read(&format!("{dir}endpoint-rule-set-1.json.gz"), false)?,
            paginators: self.read(&format!("{dir}paginators-1.json"), false)?,
            waiters: self.read(&format!("{dir}waiters-2.json"), false)?,
        })
    }
}

fn check_size(wheel: &str, path: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "{wheel}: {path}: larger than {MAX_FILE_BYTES} bytes decompressed"
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHEEL: &str = r#"{"file": "botocore-1.0.0-py3-none-any.whl", "url": "https://files.pythonhosted.org/packages/aa/bb/botocore-1.0.0-py3-none-any.whl",
        "sha256": "76342a76c338701db80dcb8afe1c9bd079283d6fffbb9d881442abb02a215043", "version": "1.0.0", "license": "Apache-2.0"}"#;

    #[test]
    fn parses_and_refuses_sections() {
        assert_eq!(parse_section(r#"{"models": []}"#, "m"), Ok(None));
        let text = format!(
            r#"{{"botocore": {{"wheel": {WHEEL}, "models": [{{"service": "sts", "api_version": "2011-06-15", "out": "generated/sts"}}]}}}}"#
        );
        let section = parse_section(&text, "m")
            .expect("parses")
            .expect("a section");
        assert_eq!(section.models[0].version, "0.1.0");
        assert_eq!(section.models[0].shape_id, None);
        assert_eq!(
            section.wheel.url_under(Some("http://127.0.0.1:1")),
            "http://127.0.0.1:1/packages/aa/bb/botocore-1.0.0-py3-none-any.whl"
        );
        let bad = text.replace("https://files.pythonhosted.org", "https://example.com");
        assert!(parse_section(&bad, "m")
            .expect_err("bad url")
            .contains("`url` must be the file's URL"));
        let bad = text.replace("\"sts\"", "\"../x\"");
        assert!(parse_section(&bad, "m")
            .expect_err("bad service")
            .contains("botocore folder names"));
        let bad = text.replace("\"out\"", "\"odd\": 1, \"out\"");
        assert!(parse_section(&bad, "m")
            .expect_err("unknown key")
            .contains("odd"));
    }

    #[test]
    fn the_real_manifest_pins_a_wheel() {
        let section = section(&crate::workspace_root())
            .expect("the manifest reads")
            .expect("a botocore section");
        assert_eq!(section.wheel.license, "Apache-2.0");
        assert!(section
            .models
            .iter()
            .any(|m| m.service == "sts" && m.out == "generated/sts"));
    }
}
