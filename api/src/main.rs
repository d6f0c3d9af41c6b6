//! `maxloyalty`: bootstraps the server (or runs a maintenance command).

use std::path::PathBuf;
use std::process::ExitCode;

use api::config::{CONFIG_HELP, Settings};
use api::startup::{Application, Overrides};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "maxloyalty", version, about = "MaxLoyalty: loyalty and commerce for restaurants and merchants", after_help = CONFIG_HELP)]
struct Cli {
    /// A TOML configuration file.
    #[arg(long, env = "MAXLOYALTY_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Seed a demo business with an owner and a cashier and print their logins.
    #[arg(long)]
    demo: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations (on PostgreSQL, as the table owner: DATABASE_MIGRATION_URL or DATABASE_URL).
    Migrate,
    /// Print the GraphQL schema (SDL) generated from the code.
    ExportSchema,
    /// Run only the job worker (no HTTP); the server's own worker can then be
    /// switched off with MAXLOYALTY_WORKER_ENABLED=false.
    Worker,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown signal received; draining");
}

/// mimalloc returns large freed blocks (password hashing takes 19 MiB each) to
/// the OS; glibc's allocator keeps them per thread and RSS grows with load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Some(Command::ExportSchema)) {
        print!("{}", api::graphql::sdl());
        return ExitCode::SUCCESS;
    }
    let mut settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("maxloyalty: {e}");
            return ExitCode::from(2);
        }
    };
    settings.demo |= cli.demo;
    api::telemetry::init(settings.log_format);

    if matches!(cli.command, Some(Command::Migrate)) {
        let url = settings
            .database_migration_url
            .clone()
            .unwrap_or_else(|| settings.database_url.clone());
        let result = async { infra::Db::connect(&url).await?.migrate().await }.await;
        return match result {
            Ok(()) => {
                println!("migrations applied");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("maxloyalty: {e}");
                ExitCode::FAILURE
            }
        };
    }

    let worker_only = matches!(cli.command, Some(Command::Worker));
    if worker_only {
        settings.worker_enabled = true;
        settings.port = 0;
        settings.demo = false;
    }
    let app = match Application::build(settings, Overrides::default()).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("maxloyalty: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    if worker_only {
        println!("MaxLoyalty worker running");
        app.work_until(shutdown_signal()).await;
        return ExitCode::SUCCESS;
    }
    for line in &app.banner {
        println!("{line}");
    }
    println!("MaxLoyalty listening on http://127.0.0.1:{}", app.port());
    match app.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("maxloyalty: server error: {e}");
            ExitCode::FAILURE
        }
    }
}
