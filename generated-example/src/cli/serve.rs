//! The `sandbox` command: the WeCard sandbox served for other programs until Ctrl-C, optionally
//! pushing every change to a receiver.

use std::process::ExitCode;
use std::time::Duration;

use generated_example::sandbox::{self, AppConfig, DriftConfig, SandboxConfig, SchoolConfig};

use crate::{DEMO_APP_SECRET, ENV_APP_KEY, ENV_APP_SECRET, ENV_BASE_URL, ENV_OCODE, Failure};

/// What the `sandbox` command was given.
pub struct SandboxOptions {
    /// The port on 127.0.0.1 (0: any free one).
    pub port: u16,
    /// The app key clients authenticate with.
    pub app_key: String,
    /// The app secret clients authenticate with.
    pub app_secret: String,
    /// The school's ocode.
    pub ocode: String,
    /// Lifetime of issued access tokens.
    pub token_lifetime: Duration,
    /// Start without the demo data.
    pub empty: bool,
    /// Where every change is pushed, if anywhere.
    pub push_url: Option<String>,
    /// What the sandbox sends beyond the spec (for drift reports).
    pub drift: DriftConfig,
}

/// `sandbox [--push-url URL] …`: prints the URL, then serves until Ctrl-C.
pub async fn sandbox_command(options: SandboxOptions) -> Result<ExitCode, Failure> {
    let SandboxOptions {
        port,
        app_key,
        app_secret,
        ocode,
        token_lifetime,
        empty,
        push_url,
        drift,
    } = options;
    let mut config = SandboxConfig::new()
        .drift(drift)
        .port(port)
        .token_lifetime(token_lifetime)
        .school(SchoolConfig::new(&ocode, "微卡示例大学"))
        .app(AppConfig::new(&app_key, &app_secret).enable(&ocode))
        .with_demo_data(!empty);
    if let Some(url) = &push_url {
        let parsed = reqwest::Url::parse(url).ok();
        if !parsed.is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some()) {
            return Err(Failure::usage(format!(
                "--push-url `{url}` is not an http(s) URL; give the receiver's address, such as \
                 http://127.0.0.1:8080/wecard/events"
            )));
        }
        config = config.push_url(url);
    }
    let handle = sandbox::start(config)
        .await
        .map_err(|error| Failure::usage(format!("cannot listen on 127.0.0.1:{port}: {error}")))?;
    say!("{}", handle.url());
    eprintln!("sandbox: app_key {app_key} enabled by school {ocode}; Ctrl-C stops it");
    if app_secret == DEMO_APP_SECRET {
        // The default secret is public (it is in this program's source); a secret the user
        // chose is never printed.
        eprintln!(
            "sandbox: demo credentials (the defaults, not a secret); in another shell:\n  \
             export {ENV_BASE_URL}={} {ENV_APP_KEY}={app_key} {ENV_APP_SECRET}={DEMO_APP_SECRET} {ENV_OCODE}={ocode}",
            handle.url()
        );
    } else {
        eprintln!(
            "sandbox: clients authenticate with the --app-secret given; in another shell:\n  \
             export {ENV_BASE_URL}={} {ENV_APP_KEY}={app_key} {ENV_OCODE}={ocode} {ENV_APP_SECRET}=…",
            handle.url()
        );
    }
    if let Some(url) = &push_url {
        eprintln!("sandbox: every change is pushed to {url}");
    }
    tokio::signal::ctrl_c()
        .await
        .map_err(|error| Failure::problems(format!("cannot wait for Ctrl-C: {error}")))?;
    handle.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// `NAME=JSON` of `--drift-member-field`.
pub fn parse_member_field(text: &str) -> Result<(String, serde_json::Value), String> {
    let (name, value) = text
        .split_once('=')
        .filter(|(name, _)| !name.is_empty())
        .ok_or_else(|| format!("`{text}` is not NAME=JSON (nickname=\"小明\")"))?;
    let value = serde_json::from_str(value)
        .unwrap_or_else(|_| serde_json::Value::String(value.to_string()));
    Ok((name.to_string(), value))
}

/// `ENDPOINT=CODE` of `--drift-error-code`.
pub fn parse_error_code(text: &str) -> Result<(String, i64), String> {
    let parsed = text.split_once('=').and_then(|(endpoint, code)| {
        let known = sandbox::ENDPOINT_IDS.contains(&endpoint);
        Some((endpoint.to_string(), code.parse().ok().filter(|_| known)?))
    });
    parsed.ok_or_else(|| {
        format!(
            "`{text}` is not ENDPOINT=CODE with an endpoint of the spec (create_user=40099); endpoints: {}",
            sandbox::ENDPOINT_IDS.join(", ")
        )
    })
}
