//! What the benchmarks share: a runtime and a sandbox with one app and one school.

use generated_example::sandbox::{self, AppConfig, SandboxConfig, SandboxHandle, SchoolConfig};
use generated_example::wecard::client::ClientConfig;

/// The app the benchmarks act as.
pub const APP: (&str, &str, &str) = ("bench-app", "bench-secret", "bench-school");

/// A two-thread runtime, a sandbox on it, and a client configuration pointing at the sandbox.
pub fn runtime_and_sandbox() -> (tokio::runtime::Runtime, SandboxHandle, ClientConfig) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (key, secret, school) = APP;
    let config = SandboxConfig::new()
        .school(SchoolConfig::new(school, "基准学校"))
        .app(AppConfig::new(key, secret).enable(school));
    let sandbox = runtime.block_on(sandbox::start(config)).unwrap();
    let client = ClientConfig::new(key, secret, school).base_url(sandbox.url());
    (runtime, sandbox, client)
}
