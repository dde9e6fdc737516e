//! The `steward` binary: serve, demo, migrate, default-config, import, ingest, export, generate and user
//! administration.

mod commands;
mod generate;
mod seed;

use clap::{Parser, Subcommand};

/// mimalloc rather than the system allocator: reading a roster and answering OneRoster pages make and free millions of
/// small strings, and glibc's allocator spent about half of a page's time doing so.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "steward", version, about = "Steward: the edtech ecosystem manager for school districts")]
struct Cli {
    /// Database to use: sqlite:PATH or postgres://user@host/db (overrides the configuration).
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// A TOML configuration file (see `steward default-config`).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Steward over HTTP.
    Serve(commands::serve::Args),
    /// Create (or reuse) a demo district in a SQLite file and serve it.
    Demo(commands::demo::Args),
    /// Apply database migrations and exit.
    Migrate,
    /// Print a commented example configuration file.
    DefaultConfig,
    /// Import data into Steward: `steward import oneroster PATH`.
    #[command(subcommand)]
    Import(commands::import::ImportCommand),
    /// Store usage events: `steward ingest events FILE`.
    #[command(subcommand)]
    Ingest(commands::ingest::IngestCommand),
    /// Export data from Steward: `steward export oneroster DIR`.
    #[command(subcommand)]
    Export(commands::export::ExportCommand),
    /// Manage accounts.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Write deterministic OneRoster 1.2 CSV sets (a bulk district, or a delta) for benchmarks and tests.
    #[command(subcommand)]
    Generate(commands::generate::GenerateCommand),
    /// Manage the clients of the OneRoster REST provider.
    #[command(subcommand)]
    ApiClient(commands::api_client::ApiClientCommand),
    /// Register LTI 1.3 tools.
    #[command(subcommand)]
    LtiTool(commands::lti_tool::LtiToolCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let global = commands::Global { database_url: cli.database_url, config: cli.config };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => commands::serve::run(&global, args).await,
            Command::Demo(args) => commands::demo::run(&global, args).await,
            Command::Migrate => commands::migrate(&global).await,
            Command::DefaultConfig => {
                print!("{}", steward_server::Settings::example());
                Ok(())
            }
            Command::User(cmd) => commands::user::run(&global, cmd).await,
            Command::Import(cmd) => commands::import::run(&global, cmd).await,
            Command::Ingest(cmd) => commands::ingest::run(&global, cmd).await,
            Command::Export(cmd) => commands::export::run(&global, cmd).await,
            Command::Generate(cmd) => commands::generate::run(cmd),
            Command::ApiClient(cmd) => commands::api_client::run(&global, cmd).await,
            Command::LtiTool(cmd) => commands::lti_tool::run(&global, cmd).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
