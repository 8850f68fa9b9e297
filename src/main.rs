//! The `handbook` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use incident_handbook::commands::{self, DeadlineFormat, DiagnosticFormat};

#[derive(Parser)]
#[command(
    name = "handbook",
    version,
    about = "Policy compiler and offline handbook for Taiwan's national cyber-security incident reporting and response guideline",
    long_about = "Checks the guideline encoded as TOML under policy/, compiles it into a versioned rule set, and answers questions with it: deadlines for an incident, the level of an incident.\n\nExit codes: 0 clean, 1 the policy has errors, 2 usage or I/O problem."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the policy and the chapters, then build the handbook site.
    Build {
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Output folder (relative to --root); replaced atomically on success,
        /// but only if it is empty or carries the .handbook-output marker that
        /// every build writes. Never the project root, an input folder
        /// (policy/, content/, templates/, static/, themes/), one containing
        /// them, or a file.
        #[arg(long, default_value = "public", value_name = "DIR")]
        out: PathBuf,
        /// Replace the output folder even if it has no .handbook-output
        /// marker (its files are deleted). Still refuses the project root, an
        /// input folder, a folder containing one, and a file.
        #[arg(long)]
        force: bool,
    },
    /// Live preview: build, serve over HTTP, rebuild and reload on every save.
    Serve {
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Address to listen on; only this machine by default.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the handbook in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Check the policy and report every problem with file:line:col.
    Check {
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Output format: human text (stderr), json, sarif or github (stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors (exit 1 on any warning).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Write the checked rule set as canonical JSON.
    Compile {
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Print every deadline of every actor for one incident.
    Deadlines {
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Impact level: the id of a [[level]] in policy/levels.toml (for the bundled policy 1, least severe, to 4, most severe).
        #[arg(long)]
        level: String,
        /// When the incident was discovered: RFC 3339 or local YYYY-MM-DDTHH:MM in the policy's timezone.
        #[arg(long, value_name = "TIME")]
        discovered: String,
        /// The competent authority requested technical support.
        #[arg(long)]
        support: bool,
        /// The reporting portal cannot be reached (report by phone, fax or e-mail, then back-fill).
        #[arg(long)]
        portal_down: bool,
        /// The actual time an event happened, e.g. report=2026-03-01T09:40; later deadlines move with it.
        #[arg(long = "at", value_name = "EVENT=TIME")]
        at: Vec<String>,
        /// Only the deadlines of this reader, in every format (ics too): an actor listed in `readers` of the [handbook] table of policy/policy.toml, e.g. the reporting agency. Refused for a policy that declares no readers.
        #[arg(long, value_name = "ACTOR")]
        role: Option<String>,
        #[arg(long, value_enum, default_value_t = DeadlineOut::Table)]
        format: DeadlineOut,
    },
    /// Classify an incident from answers to the factual questions.
    Classify {
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// An answer, e.g. leak=classified (repeat for each question).
        #[arg(long = "answer", value_name = "QUESTION=ANSWER")]
        answers: Vec<String>,
        /// List the questions and their answers instead.
        #[arg(long)]
        list: bool,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeadlineOut {
    Table,
    Json,
    Ics,
}

#[derive(Clone, Copy, ValueEnum)]
enum TextOrJson {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                commands::EXIT_USAGE
            } else {
                0
            });
        }
    };
    // Unlocked handles: `serve` logs from other threads, which a lock held
    // here for the whole run would block forever.
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    let code = match cli.command {
        Command::Serve {
            root,
            bind,
            port,
            open,
        } => commands::serve(
            &incident_handbook::serve::ServeOptions { root, bind, port },
            open,
            &mut out,
            &mut err,
        ),
        Command::Build {
            root,
            out: dir,
            force,
        } => commands::build(
            &commands::BuildCommand {
                root,
                out: dir,
                force,
            },
            &mut out,
            &mut err,
        ),
        Command::Check {
            root,
            format,
            deny_warnings,
        } => commands::check(
            &commands::CheckOptions {
                root,
                format: match format {
                    Format::Human => DiagnosticFormat::Human,
                    Format::Json => DiagnosticFormat::Json,
                    Format::Sarif => DiagnosticFormat::Sarif,
                    Format::Github => DiagnosticFormat::Github,
                },
                deny_warnings,
            },
            &mut out,
            &mut err,
        ),
        Command::Compile { root, out: file } => commands::compile(
            &commands::CompileOptions { root, out: file },
            &mut out,
            &mut err,
        ),
        Command::Deadlines {
            root,
            level,
            discovered,
            support,
            portal_down,
            at,
            role,
            format,
        } => commands::deadlines(
            &commands::DeadlinesOptions {
                root,
                level: level.into(),
                discovered,
                support,
                portal_down,
                at,
                role,
                format: match format {
                    DeadlineOut::Table => DeadlineFormat::Table,
                    DeadlineOut::Json => DeadlineFormat::Json,
                    DeadlineOut::Ics => DeadlineFormat::Ics,
                },
            },
            &mut out,
            &mut err,
        ),
        Command::Classify {
            root,
            answers,
            list,
            format,
        } => commands::classify(
            &commands::ClassifyOptions {
                root,
                answers,
                list,
                json: matches!(format, TextOrJson::Json),
            },
            &mut out,
            &mut err,
        ),
    };
    ExitCode::from(code)
}
