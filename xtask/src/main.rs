//! `cargo xtask`: the project's developer commands (see `cargo xtask --help`).
//!
//! Each subcommand is one row of [`COMMANDS`] and one module with a `USAGE` text and a
//! `run(&[OsString]) -> Result<(), Stop>` function; [`Args`] parses its flags by hand.

// Input reaches almost every path of this program: failures are reported, never panicked on.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use std::ffi::OsString;
use std::process::ExitCode;

/// The generator's allocation pattern (many small token buffers, on several threads) runs
/// markedly faster on mimalloc than on glibc's malloc; see BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod ast;
mod bench;
mod botocore;
mod bench_resolve;
mod bench_sign;
mod codegen;
mod corpus;
mod diff;
mod e2e;
mod endpoint_tests;
mod fetch;
mod manifest;
mod protocol_tests;
#[cfg(test)]
mod temp;
mod test_data;
mod update;
mod write;

/// A subcommand: `cargo xtask <name> ...`.
struct Command {
    name: &'static str,
    summary: &'static str,
    usage: &'static str,
    run: fn(&[OsString]) -> Result<(), Stop>,
}

/// Every subcommand; add a row (and a module) to add one.
const COMMANDS: &[Command] = &[
    Command {
        name: "ast",
        summary: "print Smithy models (IDL, JSON AST, folders) as one Smithy 2.0 JSON AST",
        usage: ast::USAGE,
        run: ast::run,
    },
    Command {
        name: "bench",
        summary: "benchmarks: generation, IDL parsing, the generated crate's build cost, decoding",
        usage: bench::USAGE,
        run: bench::run,
    },
    Command {
        name: "codegen",
        summary:
            "generate the crates pinned in models/manifest.json, or one model with --model/--out",
        usage: codegen::USAGE,
        run: codegen::run,
    },
    Command {
        name: "corpus",
        summary:
            "generate every model in a folder and build the crates with clippy, warnings denied",
        usage: corpus::USAGE,
        run: corpus::run,
    },
    Command {
        name: "diff",
        summary: "compare two versions of a model: smithy-diff events and the Rust API changes",
        usage: diff::USAGE,
        run: diff::run,
    },
    Command {
        name: "e2e",
        summary: "sign real IAM, STS, ECR and S3 calls, send them to moto and s3s-fs on 127.0.0.1 (`.ci/e2e`)",
        usage: e2e::USAGE,
        run: e2e::run,
    },
    Command {
        name: "endpoint-tests",
        summary: "run the smithy.rules#endpointTests cases of models, in-process and through generated crates",
        usage: endpoint_tests::USAGE,
        run: endpoint_tests::run,
    },
    Command {
        name: "fetch-test-data",
        summary: "fetch the pinned test data once (or build a mirror of it, or pin it)",
        usage: test_data::USAGE,
        run: test_data::run,
    },
    Command {
        name: "update",
        summary: "re-pin a model, regenerate its crate, bump its version, write its changelog",
        usage: update::USAGE,
        run: update::run,
    },
    Command {
        name: "protocol-tests",
        summary: "run the error cases of the AWS protocol test suite against generated crates",
        usage: protocol_tests::USAGE,
        run: protocol_tests::run,
    },
];

/// Why a command stopped without finishing its work.
#[derive(Debug)]
pub enum Stop {
    /// `-h`/`--help`: print the command's usage on stdout, exit 0.
    Help,
    /// A bad command line: print the message and the command's usage on stderr, exit 2.
    Usage(String),
    /// Failures, each printed as one `error: <line>` on stderr, exit 1.
    Errors(Vec<String>),
    /// The command has already said what went wrong; exit 1.
    Reported,
}

impl Stop {
    pub fn error(line: impl Into<String>) -> Self {
        Stop::Errors(vec![line.into()])
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    dispatch(&args)
}

fn dispatch(args: &[OsString]) -> ExitCode {
    let Some(first) = args.first() else {
        eprint!("{}", overview());
        return ExitCode::from(2);
    };
    match first.to_str() {
        Some("-h" | "--help" | "help") => match args.get(1) {
            None => {
                print!("{}", overview());
                ExitCode::SUCCESS
            }
            Some(name) => match find(name) {
                Some(command) => {
                    print!("{}", command.usage);
                    ExitCode::SUCCESS
                }
                None => unknown(name),
            },
        },
        _ => match find(first) {
            Some(command) => finish(command, (command.run)(&args[1..])),
            None => unknown(first),
        },
    }
}

fn find(name: &OsString) -> Option<&'static Command> {
    let name = name.to_str()?;
    COMMANDS.iter().find(|command| command.name == name)
}

fn unknown(name: &OsString) -> ExitCode {
    eprintln!("error: unknown command `{}`", name.to_string_lossy());
    eprint!("{}", overview());
    ExitCode::from(2)
}

fn finish(command: &Command, result: Result<(), Stop>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop::Help) => {
            print!("{}", command.usage);
            ExitCode::SUCCESS
        }
        Err(Stop::Usage(message)) => {
            eprintln!("error: {message}");
            eprint!("{}", command.usage);
            ExitCode::from(2)
        }
        Err(Stop::Errors(lines)) => {
            for line in lines {
                eprintln!("error: {line}");
            }
            ExitCode::FAILURE
        }
        Err(Stop::Reported) => ExitCode::FAILURE,
    }
}

fn overview() -> String {
    let mut text = String::from("Usage: cargo xtask <command> [options]\n\nCommands:\n");
    let width = COMMANDS
        .iter()
        .map(|command| command.name.len())
        .max()
        .unwrap_or(0);
    for command in COMMANDS {
        text.push_str(&format!("  {:width$}  {}\n", command.name, command.summary));
    }
    text.push_str("\n`cargo xtask <command> --help` describes a command's options.\n");
    text
}

/// One command-line argument, as [`Args::next_arg`] sees it.
#[derive(Debug, PartialEq, Eq)]
pub enum Arg {
    /// `--name` or `--name=value` (`inline` holds the value of the second form).
    Flag {
        name: String,
        inline: Option<String>,
    },
    /// Anything that does not start with `-`.
    Positional(OsString),
}

/// A hand-rolled parser for `--flag`, `--flag VALUE` and `--flag=VALUE`, shared by the commands.
pub struct Args<'a> {
    rest: std::slice::Iter<'a, OsString>,
}

impl<'a> Args<'a> {
    pub fn new(args: &'a [OsString]) -> Self {
        Args { rest: args.iter() }
    }

    /// The next argument; `-h`/`--help` stop with [`Stop::Help`], other short flags are refused.
    pub fn next_arg(&mut self) -> Result<Option<Arg>, Stop> {
        let Some(arg) = self.rest.next() else {
            return Ok(None);
        };
        let Some(text) = arg.to_str() else {
            return Ok(Some(Arg::Positional(arg.clone())));
        };
        if text == "-h" || text == "--help" {
            return Err(Stop::Help);
        }
        if let Some(flag) = text.strip_prefix("--").filter(|flag| !flag.is_empty()) {
            let (name, inline) = match flag.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (flag, None),
            };
            return Ok(Some(Arg::Flag {
                name: format!("--{name}"),
                inline,
            }));
        }
        if text.starts_with('-') && text != "-" {
            return Err(Stop::Usage(format!("unknown option `{text}`")));
        }
        Ok(Some(Arg::Positional(arg.clone())))
    }

    /// The value of `flag`: its inline `=value`, or else the next argument.
    pub fn value(&mut self, flag: &str, inline: Option<String>) -> Result<OsString, Stop> {
        let value = match inline {
            Some(value) => Some(OsString::from(value)),
            None => self
                .rest
                .next()
                .filter(|value| !value.to_string_lossy().starts_with('-'))
                .cloned(),
        };
        match value {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(Stop::Usage(format!(
                "`{flag}` needs a value (write `{flag}=VALUE` if it starts with `-`)"
            ))),
        }
    }

    /// Like [`Args::value`], for values that must be UTF-8.
    pub fn string_value(&mut self, flag: &str, inline: Option<String>) -> Result<String, Stop> {
        self.value(flag, inline)?.into_string().map_err(|value| {
            Stop::Usage(format!(
                "the value of `{flag}` is not UTF-8: {}",
                value.to_string_lossy()
            ))
        })
    }
}

/// Refuses `--flag=value` for a flag that takes no value.
pub fn no_value(flag: &str, inline: &Option<String>) -> Result<(), Stop> {
    match inline {
        Some(_) => Err(Stop::Usage(format!("`{flag}` takes no value"))),
        None => Ok(()),
    }
}

/// Stores a flag's value, refusing a second occurrence of the flag.
pub fn set_once<T>(slot: &mut Option<T>, flag: &str, value: T) -> Result<(), Stop> {
    if slot.is_some() {
        return Err(Stop::Usage(format!("`{flag}` is given twice")));
    }
    *slot = Some(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn parses_flags_values_and_positionals() {
        let list = args(&["--check", "--model", "a.json", "--out=dir", "extra", "-"]);
        let mut parsed = Args::new(&list);
        assert_eq!(
            parsed.next_arg().ok().flatten(),
            Some(Arg::Flag {
                name: "--check".into(),
                inline: None
            })
        );
        assert_eq!(
            parsed.next_arg().ok().flatten(),
            Some(Arg::Flag {
                name: "--model".into(),
                inline: None
            })
        );
        assert_eq!(
            parsed.value("--model", None).ok(),
            Some(OsString::from("a.json"))
        );
        let Ok(Some(Arg::Flag { name, inline })) = parsed.next_arg() else {
            panic!("expected --out")
        };
        assert_eq!((name.as_str(), inline.as_deref()), ("--out", Some("dir")));
        assert_eq!(
            parsed.value("--out", inline).ok(),
            Some(OsString::from("dir"))
        );
        assert_eq!(
            parsed.next_arg().ok().flatten(),
            Some(Arg::Positional("extra".into()))
        );
        assert_eq!(
            parsed.next_arg().ok().flatten(),
            Some(Arg::Positional("-".into()))
        );
        assert!(matches!(parsed.next_arg(), Ok(None)));
    }

    #[test]
    fn refuses_missing_values_help_and_short_flags() {
        let list = args(&["--model", "--out"]);
        let mut parsed = Args::new(&list);
        assert!(parsed.next_arg().is_ok());
        assert!(
            matches!(parsed.value("--model", None), Err(Stop::Usage(m)) if m.contains("`--model` needs a value"))
        );
        assert!(matches!(
            Args::new(&args(&["-h"])).next_arg(),
            Err(Stop::Help)
        ));
        assert!(matches!(
            Args::new(&args(&["--help"])).next_arg(),
            Err(Stop::Help)
        ));
        assert!(
            matches!(Args::new(&args(&["-x"])).next_arg(), Err(Stop::Usage(m)) if m.contains("`-x`"))
        );
        assert!(matches!(
            no_value("--check", &Some("1".into())),
            Err(Stop::Usage(_))
        ));
        let mut slot = None;
        assert!(set_once(&mut slot, "--out", 1).is_ok());
        assert!(
            matches!(set_once(&mut slot, "--out", 2), Err(Stop::Usage(m)) if m.contains("twice"))
        );
    }

    #[test]
    fn dispatch_exit_codes() {
        assert_eq!(dispatch(&args(&[])), ExitCode::from(2));
        assert_eq!(dispatch(&args(&["frobnicate"])), ExitCode::from(2));
        assert_eq!(dispatch(&args(&["--help"])), ExitCode::SUCCESS);
        assert_eq!(dispatch(&args(&["help", "codegen"])), ExitCode::SUCCESS);
        assert_eq!(dispatch(&args(&["codegen", "--help"])), ExitCode::SUCCESS);
        assert_eq!(
            dispatch(&args(&["codegen", "--frobnicate"])),
            ExitCode::from(2)
        );
        assert_eq!(
            dispatch(&args(&["codegen", "--out", "x"])),
            ExitCode::from(2)
        );
    }
}
