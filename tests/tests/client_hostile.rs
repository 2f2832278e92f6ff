//! The generated client against hostile HTTP servers on loopback: redirects (never followed, the
//! target receives nothing, no `Referer`), a server that issues a new token per request and
//! echoes it back (no token reaches any error), a server that never answers (the circuit breaker
//! and the deadline bound the time spent), and oversized replies (reading stops at the limit,
//! and memory with it).

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use generated_example::wecard::SearchUsersRequest;
use generated_example::wecard::client::{Client, ClientConfig, ClientError, TransportErrorKind};

#[path = "support/loopback.rs"]
mod loopback;

use loopback::{Answer, Server, json, status};

const SECRET: &str = "hostile-secret-never-printed";
const TOKEN_PATH: &str = "/cgi-bin/oauth2/token";

fn token_reply(token: &str) -> Answer {
    json(&serde_json::json!({"access_token": token, "expires_in": 7200, "token_type": "bearer"}))
}

/// `%2B` → `+` and so on (ASCII only, which is all the tokens here use).
fn percent_decode(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let decoded = (c == '%')
            .then(|| rest.get(1..3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(byte) => {
                out.push(char::from(byte));
                rest = &rest[3..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

fn search() -> SearchUsersRequest {
    SearchUsersRequest {
        keywords: "张三".into(),
    }
}

fn client(url: &str) -> Client {
    Client::new(
        ClientConfig::new("hostile-app", SECRET, "1000001")
            .base_url(url)
            .timeout(Duration::from_secs(5)),
    )
}

async fn bounded<F: Future<Output = ()>>(body: F) {
    tokio::time::timeout(Duration::from_secs(60), body)
        .await
        .expect("the test took longer than 60 s");
}

#[tokio::test]
async fn redirects_are_refused_and_their_target_receives_nothing() {
    bounded(async {
        let target = Server::start(|_, _| token_reply("stolen")).await;
        let location = format!(
            "location: http://{}/collect?app_secret=leaked&access_token=leaked\r\n",
            target.host
        );

        // 307 on the token endpoint: following it would re-POST the app secret elsewhere.
        let on_token = {
            let location = location.clone();
            Server::start(move |_, _| status(307, &location, "")).await
        };
        let error = client(&on_token.url)
            .search_users(&search())
            .await
            .expect_err("a redirect is an error");
        let ClientError::Transport { kind, message, .. } = &error else {
            panic!("a transport error, not {error:?}");
        };
        assert_eq!(*kind, TransportErrorKind::Redirect);
        assert!(
            message.contains(&target.host),
            "names the target: {message}"
        );
        assert!(
            !message.contains("collect") && !message.contains("leaked"),
            "{message}"
        );
        assert!(!error.is_retryable());

        // 302 on an API call (the token request succeeds).
        let on_api = {
            let location = location.clone();
            Server::start(move |seen, _| {
                if seen.target.starts_with(TOKEN_PATH) {
                    token_reply("tok-redirect-1")
                } else {
                    status(302, &location, "moved")
                }
            })
            .await
        };
        let client = client(&on_api.url);
        for _ in 0..3 {
            let error = client.search_users(&search()).await.expect_err("302");
            assert!(
                matches!(
                    &error,
                    ClientError::Transport {
                        kind: TransportErrorKind::Redirect,
                        message,
                        ..
                    } if message.contains("302") && message.contains(&target.host)
                ),
                "{error:?}"
            );
            let text = format!("{error} {error:?}");
            assert!(
                !text.contains("tok-redirect-1") && !text.contains(SECRET),
                "{text}"
            );
        }
        // The refused redirects are replies, not transport failures: the breaker stays shut.
        assert!(matches!(
            client.search_users(&search()).await,
            Err(ClientError::Transport {
                kind: TransportErrorKind::Redirect,
                ..
            })
        ));

        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            target.connections.load(Ordering::SeqCst),
            0,
            "the target was reached"
        );
        for seen in on_token.seen().iter().chain(on_api.seen().iter()) {
            assert!(
                !seen.headers.iter().any(|(name, _)| name == "referer"),
                "a Referer was sent: {seen:?}"
            );
            assert_eq!(seen.method, "POST", "{seen:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn echoed_tokens_never_reach_an_error() {
    bounded(async {
        let issued = Arc::new(Mutex::new(Vec::<String>::new()));
        let server = {
            let issued = Arc::clone(&issued);
            Server::start(move |seen, number| {
                if seen.target.starts_with(TOKEN_PATH) {
                    // A new token per request, with characters that percent-encoding changes.
                    let token = format!("tk+{number}/Zq{}=", number * 7919);
                    issued.lock().unwrap().push(token.clone());
                    return token_reply(&token);
                }
                let query = seen.target.split_once('?').map(|(_, q)| q).unwrap_or("");
                // The token this request carried, decoded, and the first one this client was
                // given (long replaced by now).
                let carried = query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("access_token="))
                    .map(percent_decode)
                    .unwrap_or_default();
                let first = issued.lock().unwrap().first().cloned().unwrap_or_default();
                match number % 5 {
                    // Stale-token codes make the client fetch another token and replay.
                    0 => json(&serde_json::json!({"errcode": 40002, "errmsg": format!("expired: {query}")})),
                    1 => json(&serde_json::json!({"errcode": 40010, "errmsg": format!("bad request {query}; token {carried}; secret {SECRET}")})),
                    2 => status(500, "", &format!("upstream said {carried} (first was {first})")),
                    3 => status(200, "", &format!("<html>{query} {first}</html>")),
                    _ => json(&serde_json::json!({"errcode": 40005, "errmsg": format!("revoked {carried}, {first}")})),
                }
            })
            .await
        };
        let client = client(&server.url);
        let calls = (0..40).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.search_users(&search()).await })
        });
        let mut texts = vec![format!("{client:?}")];
        for call in calls {
            if let Err(error) = call.await.unwrap() {
                texts.extend([error.to_string(), format!("{error:?}"), format!("{error:#?}")]);
            }
        }
        let issued = issued.lock().unwrap().clone();
        assert!(issued.len() >= 5, "the server issued {} tokens", issued.len());
        assert!(texts.len() > 40, "errors were produced");
        let encoded = |token: &str| token.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
        for text in &texts {
            assert!(!text.contains(SECRET), "the app secret leaked: {text}");
            for token in &issued {
                assert!(
                    !text.contains(token.as_str()) && !text.contains(&encoded(token)),
                    "token {token} leaked: {text}"
                );
                // Nor a recognisable piece of one.
                assert!(!text.contains(&token[..token.len() - 1]), "{text}");
            }
        }
        assert!(
            texts.iter().any(|text| text.contains("access_token=<redacted>")),
            "the echoed query is shown, scrubbed"
        );
    })
    .await;
}

#[tokio::test]
async fn a_silent_api_trips_the_breaker_and_nothing_more_is_sent() {
    bounded(async {
        let server = Server::start(|_, _| Answer::Silence).await;
        let client = Client::new(
            ClientConfig::new("silent-app", SECRET, "1000001")
                .base_url(&server.url)
                .timeout(Duration::from_millis(300))
                .circuit_breaker(Some(3), Duration::from_secs(600)),
        );
        let started = Instant::now();
        let mut errors = Vec::new();
        // As a roster sync would: one call per row, each retried while retryable.
        for _ in 0..20 {
            for _ in 0..5 {
                let error = client.search_users(&search()).await.expect_err("silence");
                let retry = error.is_retryable();
                errors.push(error);
                if !retry {
                    break;
                }
            }
        }
        let elapsed = started.elapsed();
        let timeouts = errors
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    ClientError::Transport {
                        kind: TransportErrorKind::Timeout,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(timeouts, 3, "{errors:?}");
        let open = errors
            .iter()
            .filter(|e| matches!(e, ClientError::CircuitOpen { failures: 3, .. }))
            .count();
        assert_eq!(
            open, 20,
            "every row after the third attempt fails at once: {errors:?}"
        );
        assert!(
            errors
                .iter()
                .skip(3)
                .all(|e| e.is_not_attempted() && !e.is_retryable())
        );
        assert_eq!(
            server.seen().len(),
            3,
            "nothing is sent while the breaker is open"
        );
        assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
        assert!(
            errors[3].to_string().contains("circuit_breaker"),
            "{}",
            errors[3]
        );
    })
    .await;
}

#[tokio::test]
async fn the_deadline_bounds_a_silent_api_whatever_the_timeout() {
    bounded(async {
        let server = Server::start(|_, _| Answer::Silence).await;
        let client = Client::new(
            ClientConfig::new("deadline-app", SECRET, "1000001")
                .base_url(&server.url)
                .timeout(Duration::from_secs(3600))
                .circuit_breaker(None, Duration::ZERO)
                .deadline(Some(Duration::from_millis(500))),
        );
        let started = Instant::now();
        let first = client.search_users(&search()).await.expect_err("deadline");
        assert!(
            matches!(
                first,
                ClientError::DeadlineExceeded {
                    attempted: true,
                    ..
                }
            ),
            "{first:?}"
        );
        assert!(!first.is_retryable() && !first.is_not_attempted());
        let second = client.search_users(&search()).await.expect_err("deadline");
        assert!(
            matches!(
                second,
                ClientError::DeadlineExceeded {
                    attempted: false,
                    ..
                }
            ),
            "{second:?}"
        );
        assert!(second.is_not_attempted());
        assert!(second.to_string().contains("deadline"), "{second}");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.seen().len(), 1);
    })
    .await;
}

/// The process's peak resident memory so far (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test]
async fn oversized_replies_stop_at_the_limit() {
    bounded(async {
        const HUGE: usize = 256 * 1024 * 1024;
        let server = Server::start(|seen, number| {
            if seen.target.starts_with(TOKEN_PATH) {
                token_reply("tok-huge")
            } else {
                Answer::Huge {
                    bytes: HUGE,
                    declared: number % 2 == 0,
                }
            }
        })
        .await;
        let before = peak_rss_kib();
        // The default limit (16 MiB), then a smaller one.
        for (client, limit) in [
            (client(&server.url), "16 MiB"),
            (
                Client::new(
                    ClientConfig::new("hostile-app", SECRET, "1000001")
                        .base_url(&server.url)
                        .max_reply_bytes(1024 * 1024),
                ),
                "1 MiB",
            ),
        ] {
            // Twice: once chunked (read until past the limit), once with a declared length.
            for _ in 0..2 {
                let error = client.search_users(&search()).await.expect_err("too large");
                let ClientError::Transport { kind, message, .. } = &error else {
                    panic!("a transport error, not {error:?}");
                };
                assert_eq!(*kind, TransportErrorKind::TooLarge);
                assert!(message.contains(limit) && message.contains("max_reply_bytes"), "{message}");
                assert!(!error.is_retryable());
            }
        }
        let written = server.written.load(Ordering::SeqCst);
        assert!(written < HUGE, "the client read everything ({written} bytes)");
        if let (Some(before), Some(after)) = (before, peak_rss_kib()) {
            let grown = after.saturating_sub(before);
            eprintln!("peak RSS before {before} KiB, after {after} KiB (+{grown} KiB); server wrote {written} of {} bytes", 4 * HUGE);
            assert!(grown < 96 * 1024, "peak memory grew by {grown} KiB");
        }
    })
    .await;
}

/// A one-letter secret (`WECARD_APP_SECRET=s`) leaves the words of an error whole: a secret is
/// scrubbed where it stands as a value, never as a letter inside "sending" or "request".
#[tokio::test]
async fn a_one_letter_secret_does_not_mangle_errors() {
    bounded(async {
        let server = Server::start(|seen, _| {
            if seen.target.starts_with(TOKEN_PATH) {
                json(&serde_json::json!({"errcode": 40001, "errmsg": "invalid credential, app secret s; see docs"}))
            } else {
                status(500, "", "unexpected")
            }
        })
        .await;
        let refused = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", listener.local_addr().unwrap())
        };
        let config = |url: &str| {
            ClientConfig::new("app-key-1", "s", "1000001")
                .base_url(url)
                .timeout(Duration::from_secs(5))
        };
        let api = Client::new(config(&server.url))
            .search_users(&search())
            .await
            .expect_err("credentials refused");
        let api = format!("{api} / {api:?}");
        assert!(
            api.contains("invalid credential, app secret <redacted>; see docs"),
            "{api}"
        );
        let transport = Client::new(config(&refused))
            .search_users(&search())
            .await
            .expect_err("nothing listens");
        assert!(
            matches!(transport, ClientError::Transport { .. }),
            "{transport:?}"
        );
        let transport = format!("{transport} / {transport:?}");
        assert!(!transport.contains("<redacted>"), "{transport}");
        assert!(transport.contains("sending request"), "{transport}");
    })
    .await;
}
