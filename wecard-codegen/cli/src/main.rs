//! The `wecard-codegen` command: check a spec, generate Rust from it, or write its docs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use wecard_codegen::diff::{RenderOptions, Side};
use wecard_codegen::emit::openapi::{Export, OpenApiVersion};
use wecard_codegen::output::{Written, staleness, write_if_changed};
use wecard_codegen::{Builder, Diagnostics, Model};

/// Prints a line to stdout. When the reader has gone (`… | head`), the program ends quietly
/// instead of panicking the way `println!` does on a closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        if let Err(error) = ::std::writeln!(::std::io::stdout().lock(), $($arg)*) {
            if error.kind() == ::std::io::ErrorKind::BrokenPipe {
                ::std::process::exit(0);
            }
        }
    }};
}

/// The spec compiled into this binary, used when no path is given and `spec/wecard.yaml` is not
/// in the current directory.
const BUNDLED_SPEC: &str = include_str!("../bundled/wecard.yaml");
const BUNDLED_NAME: &str = "spec/wecard.yaml";

/// The exit codes, shown by `--help`.
const EXIT_CODES: &str = "Exit codes:
  0  success (`diff`: nothing breaking)
  1  `check`: a spec has an error; `generate`, `docs`, `openapi`: failed, or stale with --check;
     `diff`: a wire-breaking or semver-major change (unless --allow-breaking), or a changelog
     finding under --strict
  2  usage error; `diff`: an invalid spec (with `check`'s diagnostics)";

#[derive(Parser)]
#[command(
    name = "wecard-codegen",
    version,
    about = "Check the WeCard API spec and generate Rust and docs from it",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
}

/// The drift command's exit codes, in its `--help`.
const DRIFT_AFTER_HELP: &str = "\
Exit codes:
  0  the report holds no drift the spec does not already cover: nothing to propose
  1  edits are proposed (printed as a unified diff; the spec is not changed)
  2  the report or the spec cannot be read, or the spec is not valid YAML";

#[derive(Subcommand)]
enum Command {
    /// Check one or more specs and report every problem.
    Check {
        /// Spec files (default: the bundled `spec/wecard.yaml`).
        specs: Vec<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Generate the Rust module.
    Generate {
        /// The spec (default: the bundled `spec/wecard.yaml`).
        spec: Option<PathBuf>,
        /// Where to write the module.
        #[arg(short, long)]
        output: PathBuf,
        /// Write nothing; exit 1 if the file on disk is not what would be generated.
        #[arg(long)]
        check: bool,
        /// Leave out the strict (data-quality) rules.
        #[arg(long)]
        no_strict: bool,
        /// Also generate the async client (needs tokio and reqwest in the consuming crate).
        #[arg(long)]
        client: bool,
        /// Make `Event` implement the runtime's `PushEvent`, for its receiver (needs the
        /// runtime's `events` feature, or an embedded runtime with aes, cbc, hex and base64).
        #[arg(long)]
        events: bool,
        /// Extra derive for every generated type (repeatable), e.g. `::std::hash::Hash`; a
        /// standard trait skips the types that already have it or cannot have it.
        #[arg(long = "derive")]
        derives: Vec<String>,
        /// Visibility of the generated items, as Rust source (`pub`, `pub(crate)`).
        #[arg(long)]
        visibility: Option<String>,
        /// The path generated code uses for the runtime crate (default `::wecard_runtime`).
        #[arg(long, conflicts_with = "embed_runtime")]
        runtime_path: Option<String>,
        /// Embed the runtime as a module `runtime`, so the output needs no `wecard-runtime`.
        #[arg(long)]
        embed_runtime: bool,
    },
    /// Generate the Markdown reference docs.
    Docs {
        /// The spec (default: the bundled `spec/wecard.yaml`).
        spec: Option<PathBuf>,
        /// The directory to write into.
        #[arg(short, long)]
        output: PathBuf,
        /// Write nothing; exit 1 if the files on disk are not what would be generated, or if the
        /// directory holds a generated page this spec no longer produces (without `--check`,
        /// such pages are removed).
        #[arg(long)]
        check: bool,
    },
    /// Compare two specs: every change, classified by what it does on the wire and to the
    /// generated Rust API, with a proposed version bump.
    #[command(after_help = EXIT_CODES)]
    Diff {
        /// The old spec: a path, or `git:REV:PATH` (read with `git show REV:PATH`).
        old: String,
        /// The new spec: a path, or `git:REV:PATH`.
        new: String,
        /// How to print the changes (`json`: one object per line, then a summary object).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit 0 even when changes break the wire or the Rust API.
        #[arg(long)]
        allow_breaking: bool,
        /// Changelog findings (a wire change no new entry names, a new field without `since`)
        /// are errors.
        #[arg(long)]
        strict: bool,
    },
    /// Export the spec as an OpenAPI document (JSON, or YAML when the file ends in `.yaml`).
    Openapi {
        /// The spec (default: the bundled `spec/wecard.yaml`).
        spec: Option<PathBuf>,
        /// Where to write the document.
        #[arg(short, long)]
        output: PathBuf,
        /// The OpenAPI version to write.
        #[arg(long = "openapi-version", value_enum, default_value_t = OpenApiArg::V3_1)]
        openapi_version: OpenApiArg,
        /// Write nothing; exit 1 if the file on disk is not what would be exported.
        #[arg(long)]
        check: bool,
    },
    /// Turn the drift in a report (`wecard-example sync --report`) into proposed spec edits,
    /// printed as a unified diff against the spec; the spec itself is never written.
    #[command(after_help = DRIFT_AFTER_HELP)]
    Drift {
        /// The report: JSON with a `drift` list.
        report: PathBuf,
        /// The spec to propose edits to (default: `spec/wecard.yaml`).
        spec: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OpenApiArg {
    /// OpenAPI 3.1.0.
    #[value(name = "3.1")]
    V3_1,
    /// OpenAPI 3.0.3.
    #[value(name = "3.0")]
    V3_0,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// `PATH:LINE:COL: error: MESSAGE`, the source line and a help line.
    Human,
    /// One JSON object per line.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match cli.command {
        Command::Check { specs, format } => check(&specs, format, color),
        Command::Generate {
            spec,
            output,
            check,
            no_strict,
            client,
            events,
            derives,
            visibility,
            runtime_path,
            embed_runtime,
        } => {
            let mut builder = Builder::new(output.clone())
                .strict_rules(!no_strict)
                .client(client)
                .events(events)
                .embed_runtime(embed_runtime)
                .cargo_directives(false);
            for derive in derives {
                builder = builder.derive(derive);
            }
            if let Some(visibility) = visibility {
                builder = builder.visibility(visibility);
            }
            if let Some(path) = runtime_path {
                builder = builder.runtime_path(path);
            }
            // An invalid option is a usage error, found before the spec is read.
            if let Err(error) = builder.check_options() {
                eprintln!("{error}");
                return ExitCode::from(2);
            }
            with_model(spec.as_deref(), color, |model| {
                let code = builder.generate_for(model).map_err(|e| e.to_string())?;
                Ok(vec![(output.clone(), code)])
            })
            .map_or_else(|code| code, |files| emit(files, check))
        }
        Command::Docs {
            spec,
            output,
            check,
        } => with_model(spec.as_deref(), color, |model| {
            Ok(wecard_codegen::emit::docs::render(model)
                .into_iter()
                .map(|(name, text)| (output.join(name), text))
                .collect())
        })
        .map_or_else(
            |code| code,
            |files| {
                let pruned = prune_stale_pages(&output, &files, check);
                let written = emit(files, check);
                if pruned { written } else { ExitCode::from(1) }
            },
        ),
        Command::Diff {
            old,
            new,
            format,
            allow_breaking,
            strict,
        } => {
            let options = RenderOptions {
                color,
                allow_breaking,
                strict,
            };
            diff(&old, &new, format, &options)
        }
        Command::Openapi {
            spec,
            output,
            openapi_version,
            check,
        } => with_model(spec.as_deref(), color, |model| {
            let version = match openapi_version {
                OpenApiArg::V3_1 => OpenApiVersion::V3_1,
                OpenApiArg::V3_0 => OpenApiVersion::V3_0,
            };
            let export = Export::new(model).version(version);
            let yaml = output
                .extension()
                .is_some_and(|extension| extension == "yaml" || extension == "yml");
            let text = if yaml {
                serde_yaml::to_string(&export.to_value())
                    .map_err(|error| format!("cannot write the document as YAML: {error}"))?
            } else {
                export.to_json()
            };
            Ok(vec![(output.clone(), text)])
        })
        .map_or_else(|code| code, |files| emit(files, check)),
        Command::Drift { report, spec } => drift(&report, spec.as_deref(), color),
    }
}

/// `wecard-codegen drift`: proposed edits on stdout as a diff, what they are on stderr.
fn drift(report: &Path, spec: Option<&Path>, color: bool) -> ExitCode {
    let usage = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    let text = match std::fs::read_to_string(report) {
        Ok(text) => text,
        Err(error) => {
            return usage(format!(
                "cannot read the report {}: {error}",
                report.display()
            ));
        }
    };
    let entries = match wecard_codegen::drift::read_report(&text) {
        Ok(entries) => entries,
        Err(message) => return usage(format!("{}: {message}", report.display())),
    };
    let spec = spec.unwrap_or(Path::new(BUNDLED_NAME));
    let spec_text = match std::fs::read_to_string(spec) {
        Ok(text) => text,
        Err(error) => return usage(format!("cannot read the spec {}: {error}", spec.display())),
    };
    let proposal = match wecard_codegen::drift::propose(spec, &spec_text, &entries) {
        Ok(proposal) => proposal,
        Err(diagnostics) => {
            report_diagnostics(&diagnostics, Format::Human, color);
            return ExitCode::from(2);
        }
    };
    let name = spec.display().to_string();
    for skipped in &proposal.skipped {
        eprintln!("skipped {}: {}", skipped.entry, skipped.reason);
    }
    if proposal.edits.is_empty() {
        eprintln!(
            "{}: {} drift entries, no edit to propose",
            report.display(),
            entries.len()
        );
        return ExitCode::SUCCESS;
    }
    say!(
        "{}",
        wecard_codegen::drift::unified_diff(&name, &spec_text, &proposal.edited).trim_end()
    );
    for edit in &proposal.edits {
        eprintln!("proposed {name}:{edit}");
    }
    match wecard_codegen::load_str(spec, &proposal.edited) {
        Ok(_) => eprintln!(
            "with these edits {name} passes `check`; apply them with `patch -p1` (or by hand), then describe each addition in the source's words"
        ),
        Err(diagnostics) => {
            eprintln!("with these edits {name} would not pass `check`; fix these too:");
            report_diagnostics(&diagnostics, Format::Human, color);
        }
    }
    ExitCode::from(1)
}

/// Loads the spec and builds the files to write; reports and exits 1 on failure.
fn with_model(
    spec: Option<&Path>,
    color: bool,
    build: impl FnOnce(&Model) -> Result<Vec<(PathBuf, String)>, String>,
) -> Result<Vec<(PathBuf, String)>, ExitCode> {
    let model = load(spec).map_err(|diagnostics| {
        report_diagnostics(&diagnostics, Format::Human, color);
        ExitCode::from(1)
    })?;
    build(&model).map_err(|error| {
        eprintln!("error: {error}");
        ExitCode::from(1)
    })
}

/// Writes the files (only those that changed), or with `check` compares them with the disk.
fn emit(files: Vec<(PathBuf, String)>, check: bool) -> ExitCode {
    let mut failed = false;
    for (path, text) in files {
        if check {
            if let Some(summary) = staleness(&path, &text) {
                eprintln!("{summary}");
                failed = true;
            }
            continue;
        }
        match write_if_changed(&path, &text) {
            Ok(Written::Changed) => eprintln!("wrote {}", path.display()),
            Ok(Written::Unchanged) => eprintln!("unchanged {}", path.display()),
            Err(error) => {
                eprintln!("error: cannot write {}: {error}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        if check {
            eprintln!("generated files are stale: rerun without --check to regenerate them");
        }
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Generated pages in the docs directory that this spec no longer produces (a renamed
/// endpoint's page): with `check` each is reported as stale and the run fails; otherwise each is
/// removed. Markdown files without the generated header are never touched. Returns whether
/// nothing was stale (in `check` mode) and nothing failed.
fn prune_stale_pages(output: &Path, files: &[(PathBuf, String)], check: bool) -> bool {
    let expected = files
        .iter()
        .filter_map(|(path, text)| {
            let relative = path.strip_prefix(output).ok()?;
            let relative = relative.to_string_lossy().replace('\\', "/");
            Some((relative, text.clone()))
        })
        .collect();
    let stale = match wecard_codegen::emit::docs::stale_pages(output, &expected) {
        Ok(stale) => stale,
        Err(error) => {
            eprintln!("error: cannot list {}: {error}", output.display());
            return false;
        }
    };
    let mut failed = false;
    for path in stale {
        if check {
            eprintln!(
                "{}: stale (a generated page this spec no longer produces; rerun without \
                 --check to remove it)",
                path.display()
            );
            failed = true;
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => eprintln!(
                "removed {} (a generated page this spec no longer produces)",
                path.display()
            ),
            Err(error) => {
                eprintln!("error: cannot remove stale {}: {error}", path.display());
                failed = true;
            }
        }
    }
    !failed
}

/// Loads the named spec, or the bundled one.
fn load(spec: Option<&Path>) -> Result<Model, Diagnostics> {
    match spec {
        Some(path) => wecard_codegen::load(path),
        None if Path::new(BUNDLED_NAME).is_file() => wecard_codegen::load(BUNDLED_NAME),
        None => wecard_codegen::load_str(BUNDLED_NAME, BUNDLED_SPEC),
    }
}

fn check(specs: &[PathBuf], format: Format, color: bool) -> ExitCode {
    let specs: Vec<Option<&Path>> = if specs.is_empty() {
        vec![None]
    } else {
        specs.iter().map(|path| Some(path.as_path())).collect()
    };
    let mut failed = false;
    for spec in specs {
        let name = spec.map_or(BUNDLED_NAME.into(), |path| path.display().to_string());
        match load(spec) {
            Ok(model) => match format {
                Format::Human => say!(
                    "{name}: ok: {} endpoints, {} types, {} error codes",
                    model.endpoints().len(),
                    model.type_count(),
                    model.error_codes().len()
                ),
                Format::Json => say!(
                    "{}",
                    serde_json::json!({
                        "path": name,
                        "valid": true,
                        "endpoints": model.endpoints().len(),
                        "types": model.type_count(),
                        "error_codes": model.error_codes().len(),
                    })
                ),
            },
            Err(diagnostics) => {
                failed = true;
                report_diagnostics(&diagnostics, format, color);
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn report_diagnostics(diagnostics: &Diagnostics, format: Format, color: bool) {
    match format {
        Format::Human => eprint!("{}", diagnostics.render(color)),
        Format::Json => {
            for diagnostic in diagnostics {
                say!("{}", diagnostic.to_json());
            }
        }
    }
}

/// `diff OLD NEW`: 2 when either spec cannot be loaded, 1 when the report fails, else 0.
fn diff(old: &str, new: &str, format: Format, options: &RenderOptions) -> ExitCode {
    let (old, new) = match (Side::load(old), Side::load(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            for diagnostics in [old.err(), new.err()].into_iter().flatten() {
                report_diagnostics(&diagnostics, format, options.color);
            }
            return ExitCode::from(2);
        }
    };
    let report = wecard_codegen::diff::compare(&old, &new);
    match format {
        Format::Human => say!("{}", report.render(options).trim_end()),
        Format::Json => {
            for change in report.to_json(options) {
                say!("{change}");
            }
            say!("{}", report.summary_json(options));
        }
    }
    if report.fails(options) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
