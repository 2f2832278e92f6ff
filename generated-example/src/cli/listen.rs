//! The `listen` command: a push-event receiver on 127.0.0.1 that prints each event as one JSON
//! line, answers WeCard's acknowledgement, and keeps running whatever it is sent.
//!
//! Stdout holds the URL (first line), then one line per event: `{"event", "school_code",
//! "data"}`. Everything else (refused pushes, repeated deliveries) goes to stderr, one line
//! each, without the app secret or decrypted data.
//!
//! A delivery is recognised as a repeat when its school, event code and `raw_data` are those of
//! one of the last [`REMEMBERED`] deliveries: WeCard retries with the same body. Two changes that
//! leave exactly the same record behind are indistinguishable on the wire and are also reported
//! once.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::http::header;
use generated_example::wecard::Event;
use wecard_runtime::events::{PushBody, Receiver};

use crate::{DEMO_APP_KEY, DEMO_APP_SECRET, ENV_APP_KEY, ENV_APP_SECRET, Failure};

/// How many deliveries are remembered to recognise repeats.
pub const REMEMBERED: usize = 10_000;

/// Deliveries already reported, oldest first, by a 128-bit digest of (school, event code,
/// `raw_data`): memory stays bounded whatever the bodies' size.
struct Seen {
    hashers: [RandomState; 2],
    order: VecDeque<(u64, u64)>,
    set: HashSet<(u64, u64)>,
}

impl Default for Seen {
    fn default() -> Self {
        Self {
            hashers: [RandomState::new(), RandomState::new()],
            order: VecDeque::new(),
            set: HashSet::new(),
        }
    }
}

impl Seen {
    /// Remembers the delivery; false if it was already remembered.
    fn insert(&mut self, school_code: &str, code: &str, raw_data: &str) -> bool {
        let [first, second] = &self.hashers;
        let key = (
            first.hash_one((school_code, code, raw_data)),
            second.hash_one((school_code, code, raw_data)),
        );
        if self.set.contains(&key) {
            return false;
        }
        if self.order.len() == REMEMBERED
            && let Some(oldest) = self.order.pop_front()
        {
            self.set.remove(&oldest);
        }
        self.order.push_back(key);
        self.set.insert(key);
        true
    }
}

/// `listen --port P [--app-key K --app-secret S]`: the credentials from the options, else the
/// environment, else the sandbox's demo app; then [`listen`].
pub async fn listen_command(
    port: u16,
    app_key: Option<String>,
    app_secret: Option<String>,
) -> Result<ExitCode, Failure> {
    let env = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    let key = app_key.or_else(|| env(ENV_APP_KEY));
    let secret = app_secret.or_else(|| env(ENV_APP_SECRET));
    let (key, secret) = match (key, secret) {
        (Some(key), Some(secret)) => (key, secret),
        (None, None) => {
            eprintln!(
                "listen: no credentials given: using the sandbox's demo app ({DEMO_APP_KEY})"
            );
            (DEMO_APP_KEY.to_string(), DEMO_APP_SECRET.to_string())
        }
        (None, Some(_)) => {
            return Err(Failure::usage(format!(
                "an app secret without an app key: give --app-key or set {ENV_APP_KEY}"
            )));
        }
        (Some(_), None) => {
            return Err(Failure::usage(format!(
                "an app key without an app secret: set {ENV_APP_SECRET} (or give --app-secret)"
            )));
        }
    };
    listen(port, &key, &secret).await
}

/// Serves the receiver on 127.0.0.1:`port` until Ctrl-C.
pub async fn listen(port: u16, app_key: &str, app_secret: &str) -> Result<ExitCode, Failure> {
    let receiver = Receiver::<Event>::new(app_key, app_secret)
        .map_err(|error| Failure::usage(format!("cannot decrypt pushes: {error}")))?;
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|error| Failure::usage(format!("cannot listen on 127.0.0.1:{port}: {error}")))?;
    let addr = listener
        .local_addr()
        .map_err(|error| Failure::usage(format!("cannot listen on 127.0.0.1:{port}: {error}")))?;
    say!("http://{addr}");
    eprintln!("listen: receiving pushes for app_key {app_key} on every path; Ctrl-C stops it");
    let seen = Arc::new(Mutex::new(Seen::default()));
    let app = axum::Router::new().fallback(axum::routing::post(move |body: Bytes| {
        let reply = receive(&receiver, &seen, &body);
        async move { ([(header::CONTENT_TYPE, "application/json")], reply) }
    }));
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|error| Failure::problems(format!("the receiver stopped: {error}")))?;
    Ok(ExitCode::SUCCESS)
}

/// One line of output: the event code, the school, the decrypted payload.
#[derive(serde::Serialize)]
struct Line<'a> {
    event: &'a str,
    school_code: &'a str,
    data: serde_json::Value,
}

/// Handles one request: prints what it held, returns the reply body.
fn receive(receiver: &Receiver<Event>, seen: &Mutex<Seen>, body: &[u8]) -> Vec<u8> {
    let (ack, outcome) = receiver.handle(body);
    match outcome {
        Ok(received) => {
            // The receiver read the body, so it is a push; its raw_data identifies the delivery.
            let raw = serde_json::from_slice::<PushBody>(body)
                .map(|push| push.raw_data)
                .unwrap_or_default();
            let code = received.event.code().to_string();
            let first = seen.lock().unwrap_or_else(PoisonError::into_inner).insert(
                &received.school_code,
                &code,
                &raw,
            );
            if !first {
                eprintln!(
                    "listen: repeated delivery of {code} for {} (already printed)",
                    received.school_code
                );
                return ack.to_bytes();
            }
            let line = Line {
                event: &code,
                school_code: &received.school_code,
                data: received.event.to_data().unwrap_or_default(),
            };
            match serde_json::to_string(&line) {
                Ok(line) => say!("{line}"),
                Err(error) => eprintln!("listen: cannot print a {code} event: {error}"),
            }
        }
        Err(error) => eprintln!("listen: refused a push (code {}): {error}", ack.code),
    }
    ack.to_bytes()
}

#[cfg(test)]
mod tests {
    use super::{REMEMBERED, Seen};

    #[test]
    fn repeats_are_recognised_until_forgotten() {
        let mut seen = Seen::default();
        assert!(seen.insert("school", "addUser", "00ff"));
        assert!(!seen.insert("school", "addUser", "00ff"), "a repeat");
        assert!(seen.insert("school", "updateUser", "00ff"), "another code");
        assert!(seen.insert("other", "addUser", "00ff"), "another school");
        for n in 0..REMEMBERED {
            assert!(seen.insert("school", "addOrg", &n.to_string()));
        }
        assert_eq!(seen.order.len(), REMEMBERED);
        assert_eq!(seen.set.len(), REMEMBERED);
        assert!(
            seen.insert("school", "addUser", "00ff"),
            "forgotten after REMEMBERED more"
        );
    }
}
