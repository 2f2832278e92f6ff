//! `wecard-sandbox`: runs the WeCard emulator of `generated_example::sandbox` on 127.0.0.1 until
//! interrupted, with one app, one school and demo data.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use generated_example::sandbox::{self, AppConfig, SandboxConfig, SchoolConfig};

/// A local WeCard (腾讯微卡) open-API emulator, for development and tests.
#[derive(Debug, Parser)]
#[command(name = "wecard-sandbox", version)]
struct Args {
    /// The port on 127.0.0.1 to listen on; 0 picks a free one (the URL is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The app key clients authenticate with.
    #[arg(long, default_value = "demo-app-key")]
    app_key: String,
    /// The app secret clients authenticate with (never printed).
    #[arg(long, default_value = "demo-app-secret", hide_default_value = true)]
    app_secret: String,
    /// The school's ocode.
    #[arg(long, default_value = "demo-school")]
    ocode: String,
    /// The school's name.
    #[arg(long, default_value = "微卡示例大学")]
    school_name: String,
    /// Lifetime of issued access tokens, in seconds.
    #[arg(long, default_value_t = 7200)]
    token_lifetime: u64,
    /// Start with no organisations or members instead of the demo data.
    #[arg(long)]
    empty: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = SandboxConfig::new()
        .port(args.port)
        .token_lifetime(Duration::from_secs(args.token_lifetime))
        .school(SchoolConfig::new(&args.ocode, &args.school_name))
        .app(AppConfig::new(&args.app_key, &args.app_secret).enable(&args.ocode))
        .with_demo_data(!args.empty);
    let handle = match sandbox::start(config).await {
        Ok(handle) => handle,
        Err(error) => {
            eprintln!(
                "wecard-sandbox: cannot listen on 127.0.0.1:{}: {error}",
                args.port
            );
            return ExitCode::FAILURE;
        }
    };
    println!("{}", handle.url());
    eprintln!(
        "wecard-sandbox: app_key {} enabled by school {}; tokens live {} s; \
         {} members; Ctrl-C stops",
        args.app_key,
        args.ocode,
        args.token_lifetime,
        handle.users(&args.ocode).len(),
    );
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("wecard-sandbox: cannot wait for Ctrl-C: {error}");
    }
    handle.shutdown().await;
    ExitCode::SUCCESS
}
