//! The generated client's own logic, against an in-process fake transport: token caching and
//! single-flight, refresh before expiry and after 40002/40005, token placement, error mapping,
//! paging, and that no credential reaches an error's text.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use generated_example::wecard::client::{
    Client, ClientConfig, ClientError, HttpResponse, Transport, TransportError, TransportErrorKind,
    TransportFuture,
};
use generated_example::wecard::{
    BatchDeleteUsersRequest, ErrorCode, ListOrgsRequest, SearchUsersRequest, ValidationLevel,
};
use serde_json::{Value, json};

const SECRET: &str = "app-secret-DO-NOT-LEAK";

/// Scripted replies: the token endpoint issues `tok-N` tokens; other paths answer from a queue
/// of (status, body) or a default success.
#[derive(Default)]
struct Fake {
    tokens_issued: AtomicUsize,
    token_lifetime: Mutex<u64>,
    /// Replaces the token endpoint's reply when set.
    token_reply: Mutex<Option<Value>>,
    queue: Mutex<Vec<(u16, Value)>>,
    raw: Mutex<Option<(u16, Vec<u8>)>>,
    transport_failure: Mutex<Option<TransportErrorKind>>,
    seen: Mutex<Vec<(String, Value)>>,
    orgs: usize,
}

#[derive(Clone, Default)]
struct Shared(Arc<Fake>);

impl Transport for Shared {
    fn post<'a>(&'a self, url: &'a str, body: Vec<u8>, _timeout: Duration) -> TransportFuture<'a> {
        let fake = Arc::clone(&self.0);
        let url = url.to_string();
        Box::pin(async move {
            // Let concurrent callers pile up, as a real network would.
            tokio::time::sleep(Duration::from_millis(5)).await;
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            fake.seen.lock().unwrap().push((url.clone(), body.clone()));
            if let Some(kind) = *fake.transport_failure.lock().unwrap() {
                return Err(TransportError {
                    kind,
                    message: "connection refused".into(),
                });
            }
            if url.contains("/cgi-bin/oauth2/token") {
                let n = fake.tokens_issued.fetch_add(1, Ordering::SeqCst) + 1;
                let lifetime = *fake.token_lifetime.lock().unwrap();
                let reply = if let Some(reply) = fake.token_reply.lock().unwrap().clone() {
                    reply
                } else if body["app_secret"] == SECRET {
                    json!({"token_type": "bearer", "access_token": format!("tok-{n}"), "ocode": "1000001", "expires_in": lifetime})
                } else {
                    json!({"errcode": 40001, "errmsg": format!("bad secret {}", body["app_secret"])})
                };
                return Ok(HttpResponse {
                    status: 200,
                    body: reply.to_string().into_bytes(),
                });
            }
            if let Some((status, raw)) = fake.raw.lock().unwrap().take() {
                return Ok(HttpResponse { status, body: raw });
            }
            if let Some((status, reply)) = fake.queue.lock().unwrap().pop() {
                return Ok(HttpResponse {
                    status,
                    body: reply.to_string().into_bytes(),
                });
            }
            let reply = if url.contains("/cgi-bin/user/org-edu-list") {
                let page = body["page"].as_i64().unwrap_or(1) as usize;
                let size = body["page_size"].as_i64().unwrap_or(10) as usize;
                let items: Vec<Value> = (((page - 1) * size)..(page * size).min(fake.orgs))
                    .map(|id| json!({"id": id, "name": format!("org {id}"), "parent_id": "0"}))
                    .collect();
                json!({"errcode": 0, "errmsg": "ok", "page": page, "page_size": size, "total": fake.orgs, "organization": items})
            } else {
                json!({"errcode": 0, "errmsg": "ok", "userlist": [], "failed_list": []})
            };
            Ok(HttpResponse {
                status: 200,
                body: reply.to_string().into_bytes(),
            })
        })
    }
}

/// A client on a fresh fake; each test uses its own base URL so the token cache is its own.
fn client(name: &str, lifetime: u64) -> (Client, Arc<Fake>) {
    let fake = Shared::default();
    *fake.0.token_lifetime.lock().unwrap() = lifetime;
    let config = ClientConfig::new("app-key", SECRET, "1000001")
        .base_url(format!("http://fake.{name}.invalid"))
        .refresh_margin(Duration::from_secs(1));
    (Client::with_transport(config, fake.clone()), fake.0)
}

fn search() -> SearchUsersRequest {
    SearchUsersRequest {
        keywords: "张三".into(),
    }
}

#[tokio::test]
async fn fifty_concurrent_calls_on_a_cold_cache_fetch_one_token() {
    let (client, fake) = client("cold", 7200);
    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.search_users(&search()).await })
    });
    for call in calls {
        call.await.unwrap().expect("search succeeds");
    }
    assert_eq!(fake.tokens_issued.load(Ordering::SeqCst), 1);
    // A second client for the same (base URL, app key, ocode) shares the cached token.
    let config = client.config().clone();
    let twin = Client::with_transport(config, Shared(Arc::clone(&fake)));
    twin.search_users(&search()).await.expect("shared token");
    assert_eq!(fake.tokens_issued.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn tokens_are_refreshed_before_they_expire() {
    let (client, fake) = client("expiry", 2);
    client.search_users(&search()).await.expect("first");
    client.search_users(&search()).await.expect("cached");
    assert_eq!(fake.tokens_issued.load(Ordering::SeqCst), 1);
    // Lifetime 2 s, margin min(1 s, half the lifetime): refreshed after a second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.search_users(&search()).await.expect("refreshed");
    assert_eq!(fake.tokens_issued.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_stale_token_is_replaced_and_the_call_replayed_once() {
    for code in [40002, 40005] {
        let (client, fake) = client(&format!("stale{code}"), 7200);
        client.search_users(&search()).await.expect("warm");
        fake.queue.lock().unwrap().push((
            200,
            json!({"errcode": code, "errmsg": "access_token expired"}),
        ));
        client
            .search_users(&search())
            .await
            .expect("replayed with a new token");
        assert_eq!(fake.tokens_issued.load(Ordering::SeqCst), 2);
        let urls: Vec<String> = fake
            .seen
            .lock()
            .unwrap()
            .iter()
            .map(|(url, _)| url.clone())
            .collect();
        assert!(
            urls.last().unwrap().ends_with("access_token=tok-2"),
            "{urls:?}"
        );
        // Twice in a row is not retried again: the error reaches the caller.
        fake.queue.lock().unwrap().extend([
            (200, json!({"errcode": code})),
            (200, json!({"errcode": code})),
        ]);
        let error = client
            .search_users(&search())
            .await
            .expect_err("second failure surfaces");
        assert_eq!(error.error_code(), Some(ErrorCode::from_code(code)));
    }
}

#[tokio::test]
async fn token_goes_in_the_body_where_the_spec_says() {
    let (client, fake) = client("body", 7200);
    let request = BatchDeleteUsersRequest {
        card_numbers: vec!["1".into(), "2".into()],
    };
    let reply = client.batch_delete_users(&request).await.expect("deleted");
    assert_eq!(reply.failed_list.as_deref().map(<[_]>::len), Some(0));
    let seen = fake.seen.lock().unwrap();
    let (url, body) = seen.last().unwrap();
    assert!(!url.contains("access_token"), "{url}");
    assert_eq!(body["access_token"], "tok-1");
    assert_eq!(body["card_numbers"], json!(["1", "2"]));
}

#[tokio::test]
async fn errors_are_typed_and_retryability_is_right() {
    let (client, fake) = client("errors", 7200);
    fake.queue
        .lock()
        .unwrap()
        .push((200, json!({"errcode": 40007, "errmsg": "电子卡号不存在"})));
    let error = client.search_users(&search()).await.expect_err("api error");
    assert!(matches!(&error, ClientError::Api { code, .. } if code.is_not_found()));
    assert!(!error.is_retryable());

    for (status, retryable) in [(500, true), (502, true), (429, true), (404, false)] {
        fake.queue
            .lock()
            .unwrap()
            .push((status, json!({"oops": true})));
        let error = client
            .search_users(&search())
            .await
            .expect_err("http error");
        assert!(matches!(error, ClientError::Http { status: s, .. } if s == status));
        assert_eq!(error.is_retryable(), retryable, "{status}");
    }

    *fake.raw.lock().unwrap() = Some((200, b"{\"errcode\": 0, \"userl".to_vec()));
    let error = client.search_users(&search()).await.expect_err("truncated");
    assert!(
        matches!(&error, ClientError::Decode { body_excerpt, .. } if body_excerpt.contains("userl"))
    );
    assert!(error.is_retryable());

    *fake.raw.lock().unwrap() = Some((200, b"<html>busy</html>".to_vec()));
    assert!(matches!(
        client.search_users(&search()).await,
        Err(ClientError::Decode { .. })
    ));

    *fake.transport_failure.lock().unwrap() = Some(TransportErrorKind::Timeout);
    let error = client.search_users(&search()).await.expect_err("transport");
    assert!(matches!(
        error,
        ClientError::Transport {
            kind: TransportErrorKind::Timeout,
            ..
        }
    ));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn invalid_requests_are_not_sent_unless_validation_is_off() {
    let (client, fake) = client("validation", 7200);
    let error = client
        .search_users(&SearchUsersRequest {
            keywords: " ".into(),
        })
        .await
        .expect_err("invalid");
    assert!(
        matches!(&error, ClientError::Validation { errors, .. } if errors.errors()[0].field == "keywords")
    );
    assert!(
        fake.seen.lock().unwrap().is_empty(),
        "nothing was sent, not even a token request"
    );

    let config = client.config().clone().validation(None);
    let unchecked = Client::with_transport(config, Shared(Arc::clone(&fake)));
    unchecked
        .search_users(&SearchUsersRequest {
            keywords: " ".into(),
        })
        .await
        .expect("sent as is");
    let strict = client
        .config()
        .clone()
        .validation(Some(ValidationLevel::Strict));
    assert_eq!(strict.validation, Some(ValidationLevel::Strict));
}

#[tokio::test]
async fn refused_credentials_and_secrets_never_leak() {
    let fake = Shared::default();
    let config = ClientConfig::new("app-key", "wrong-secret-XYZ", "1000001")
        .base_url("http://fake.refused.invalid");
    let refused = Client::with_transport(config, fake.clone());
    let error = refused.search_users(&search()).await.expect_err("refused");
    assert!(matches!(
        &error,
        ClientError::Token {
            errcode: Some(40001),
            ..
        }
    ));
    assert_eq!(
        error.error_code().map(|c| c.is_configuration_error()),
        Some(true)
    );
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{refused:?}"),
    ] {
        assert!(!text.contains("wrong-secret-XYZ"), "{text}");
    }

    // A reply that echoes the token and the secret back is redacted in the error excerpt.
    let (client, fake) = client("echo", 7200);
    client.search_users(&search()).await.expect("warm");
    fake.queue
        .lock()
        .unwrap()
        .push((500, json!({"echo": format!("tok-1 {SECRET}")})));
    let error = client.search_users(&search()).await.expect_err("500");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("tok-1") && !text.contains(SECRET), "{text}");
    }
}

#[tokio::test]
async fn pages_follow_the_total() {
    for (orgs, page_size, expected_pages) in [(23, 1, 23), (23, 7, 4), (23, 5000, 1), (0, 7, 1)] {
        let fake = Fake {
            orgs,
            ..Fake::default()
        };
        *fake.token_lifetime.lock().unwrap() = 7200;
        let fake = Shared(Arc::new(fake));
        let config = ClientConfig::new("app-key", SECRET, "1000001")
            .base_url(format!("http://fake.pages{orgs}-{page_size}.invalid"));
        let client = Client::with_transport(config, fake.clone());
        let request = ListOrgsRequest {
            page: None,
            page_size: Some(page_size),
        };
        let all = client
            .list_orgs_pages(request)
            .collect_all()
            .await
            .expect("pages");
        let ids: Vec<i64> = all.iter().map(|org| org.id).collect();
        assert_eq!(
            ids,
            (0..orgs as i64).collect::<Vec<_>>(),
            "every org exactly once"
        );
        let page_calls = fake
            .0
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(url, _)| url.contains("org-edu-list"))
            .count();
        assert_eq!(
            page_calls, expected_pages,
            "orgs {orgs}, page size {page_size}"
        );
    }
}

#[tokio::test]
async fn a_token_reply_without_a_token_says_what_is_wrong() {
    for (reply, expected, errcode) in [
        (
            json!({"errcode": 0, "errmsg": "ok"}),
            "no usable access token: the token reply has no access_token although its errcode is 0 (success); it says: ok",
            None,
        ),
        (
            json!({"token_type": "bearer", "access_token": ""}),
            "no usable access token: the token reply has no access_token and no errcode",
            None,
        ),
        (
            json!({"errcode": 40001, "errmsg": "bad app_secret=xyz"}),
            "access token refused (40001): bad app_secret=<redacted>",
            Some(40001),
        ),
        (
            json!({"error": "invalid_client", "error_description": "unknown app"}),
            "no usable access token: the token reply has no access_token and no errcode; it says: invalid_client; unknown app",
            None,
        ),
    ] {
        let name = format!("notoken{}", reply.to_string().len());
        let (client, fake) = client(&name, 7200);
        *fake.token_reply.lock().unwrap() = Some(reply.clone());
        let error = client.search_users(&search()).await.expect_err("no token");
        assert!(
            matches!(&error, ClientError::Token { errcode: e, .. } if *e == errcode),
            "{error:?}"
        );
        assert_eq!(error.to_string(), expected, "{reply}");
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn impossible_token_lifetimes_are_reported_and_absurd_ones_accepted() {
    for seconds in [-5_i64, 0] {
        let (client, fake) = client(&format!("lifetime{seconds}"), 7200);
        *fake.token_reply.lock().unwrap() =
            Some(json!({"access_token": "tok-short", "expires_in": seconds}));
        let error = client.search_users(&search()).await.expect_err("refused");
        assert_eq!(
            error.to_string(),
            format!(
                "no usable access token: the token reply's expires_in is {seconds}: a token must live at least 1 second"
            )
        );
        assert!(!error.to_string().contains("tok-short"));
    }
    // Cut to a day (see the runtime's unit tests), not refused, and not the default either.
    let (client, fake) = client("lifetimehuge", 7200);
    *fake.token_reply.lock().unwrap() =
        Some(json!({"access_token": "tok-long", "expires_in": i64::MAX}));
    client.search_users(&search()).await.expect("accepted");
    client.search_users(&search()).await.expect("cached");
    assert_eq!(fake.tokens_issued.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_redirect_from_any_transport_is_a_failure_and_long_messages_are_cut() {
    let (client, fake) = client("redirect", 7200);
    fake.queue
        .lock()
        .unwrap()
        .push((302, json!({"errcode": 0, "errmsg": "ok"})));
    let error = client.search_users(&search()).await.expect_err("302");
    assert!(
        matches!(error, ClientError::Http { status: 302, .. }),
        "{error:?}"
    );
    assert!(!error.is_retryable());

    fake.queue.lock().unwrap().push((
        200,
        json!({"errcode": 40010, "errmsg": "长".repeat(100_000)}),
    ));
    let error = client.search_users(&search()).await.expect_err("api");
    let ClientError::Api { errmsg, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(errmsg.chars().count(), 1001, "cut to 1000 characters and …");
    assert!(errmsg.ends_with('…'));
}
