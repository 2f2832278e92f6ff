//! The embedded sandbox every command uses when no `WECARD_*` credential is set. It keeps its
//! school's organisations, members and update journal between runs in a local file, so `sync`
//! then `search`, `get` or `changes` show what was synced; `--fresh` starts it empty.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use generated_example::sandbox::{self, AppConfig, SandboxConfig, SandboxHandle, SchoolConfig};
use generated_example::wecard::client::{Client, ClientConfig};

use crate::Failure;

/// Set by `--fresh`: start the embedded sandbox empty, whatever the state file holds.
pub static FRESH: AtomicBool = AtomicBool::new(false);

/// Where the state is kept: `WECARD_SANDBOX_STATE`, or a file in the system's temporary
/// directory.
pub const ENV_STATE: &str = "WECARD_SANDBOX_STATE";

const OCODE: &str = "local-school";

fn state_path() -> PathBuf {
    std::env::var_os(ENV_STATE)
        .filter(|path| !path.is_empty())
        .map_or_else(
            || std::env::temp_dir().join("wecard-example-sandbox.json"),
            PathBuf::from,
        )
}

/// A running embedded sandbox; its state is saved when it is dropped (when the command ends).
pub struct Embedded {
    /// The sandbox.
    pub handle: SandboxHandle,
    path: PathBuf,
}

impl Drop for Embedded {
    fn drop(&mut self) {
        let Some(snapshot) = self
            .handle
            .with_store(|store| store.school(OCODE).map(|school| school.snapshot()))
        else {
            return;
        };
        // Written aside, then renamed: a run killed mid-write leaves the old state whole.
        let partial = self.path.with_extension("json.partial");
        let saved =
            std::fs::write(&partial, snapshot).and_then(|()| std::fs::rename(&partial, &self.path));
        if let Err(error) = saved {
            eprintln!(
                "warning: cannot save the local sandbox's state to {}: {error}",
                self.path.display()
            );
        }
    }
}

/// Starts the embedded sandbox with the state of earlier runs (unless `--fresh`).
pub async fn start() -> Result<(Client, Embedded), Failure> {
    let (key, secret) = ("local-app", "local-secret");
    let config = SandboxConfig::new()
        .school(SchoolConfig::new(OCODE, "微卡示例大学"))
        .app(AppConfig::new(key, secret).enable(OCODE));
    let handle = sandbox::start(config)
        .await
        .map_err(|error| Failure::usage(format!("cannot start the local sandbox: {error}")))?;
    let path = state_path();
    let fresh = FRESH.load(Ordering::Relaxed);
    let restored = if fresh {
        "started empty (--fresh)".to_string()
    } else {
        match std::fs::read_to_string(&path) {
            Ok(json) => match handle.with_store(|store| {
                store
                    .school_mut(OCODE)
                    .map_or(Ok(()), |school| school.restore(&json))
            }) {
                Ok(()) => format!("state kept in {}; --fresh starts empty", path.display()),
                Err(error) => format!(
                    "started empty: {} is not a saved state ({error})",
                    path.display()
                ),
            },
            Err(_) => format!("state will be kept in {}", path.display()),
        }
    };
    eprintln!(
        "note: no WECARD_* credentials are set, so this runs against a local sandbox at {} (nothing leaves this machine; {restored})",
        handle.url()
    );
    let config = ClientConfig::new(key, secret, OCODE).base_url(handle.url());
    let client = Client::new(super::limits::apply(config));
    Ok((client, Embedded { handle, path }))
}
