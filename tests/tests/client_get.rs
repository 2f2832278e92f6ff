//! A `GET` endpoint through the generated client: its fields and the token go in the query
//! (lists as a repeated key, everything percent-encoded), nothing in a body, against a loopback
//! server that records what arrives. The module comes from `support/get_api.yaml` and is checked
//! in as `support/get_api.rs`, which the first test keeps fresh.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use wecard_tests::workspace_root;

#[path = "support/loopback.rs"]
mod loopback;

#[allow(dead_code, unused_imports, unreachable_pub, clippy::all)]
mod get_api {
    include!("support/get_api.rs");
}

use get_api::client::{Client, ClientConfig};
use loopback::{Server, json};

const REGENERATE: &str = "regenerate with `cargo run -p wecard-codegen-cli -- generate tests/tests/support/get_api.yaml --client -o tests/tests/support/get_api.rs`";

#[test]
fn the_checked_in_module_is_what_the_fixture_generates() {
    let root = workspace_root();
    let fresh = wecard_codegen::Builder::new(root.join("tests/tests/support/get_api.yaml"))
        .client(true)
        .cargo_directives(false)
        .generate_string()
        .expect("the fixture generates");
    let on_disk = std::fs::read_to_string(root.join("tests/tests/support/get_api.rs")).unwrap();
    // The first line names the spec by the path it was generated from.
    let body = |text: &str| text.split_once('\n').map(|(_, rest)| rest.to_string());
    assert!(
        body(&fresh) == body(&on_disk),
        "support/get_api.rs is stale; {REGENERATE}"
    );
}

#[tokio::test]
async fn a_get_endpoint_sends_its_fields_and_token_in_the_query() {
    tokio::time::timeout(Duration::from_secs(30), async {
        let server = Server::start(|seen, _| {
            if seen.target.starts_with("/token") {
                json(&serde_json::json!({"access_token": "tok/get+1", "expires_in": 7200}))
            } else {
                json(&serde_json::json!({"errcode": 0, "errmsg": "ok", "people": ["张三"]}))
            }
        })
        .await;
        let client =
            Client::new(ClientConfig::new("get-app", "get-secret", "s1").base_url(&server.url));
        let reply = client
            .find_people(&get_api::FindPeopleRequest {
                name: "张 三&=?".into(),
                ids: Some(vec![3, 1]),
                page: None,
                active: Some(true),
            })
            .await
            .expect("found");
        assert_eq!(reply.people, Some(vec!["张三".to_string()]));

        let seen = server.seen();
        assert_eq!(seen.len(), 2, "{seen:?}");
        let (token, find) = (&seen[0], &seen[1]);
        assert_eq!(
            (token.method.as_str(), token.target.as_str()),
            ("POST", "/token")
        );
        let sent: serde_json::Value = serde_json::from_slice(&token.body).unwrap();
        assert_eq!(
            sent["app_secret"], "get-secret",
            "the token request is the generated type"
        );
        assert_eq!(find.method, "GET");
        let (path, query) = find.target.split_once('?').expect("a query");
        assert_eq!(path, "/people/find");
        assert!(
            query.find("ids=3") < query.find("ids=1"),
            "list order is kept: {query}"
        );
        let mut pairs: Vec<&str> = query.split('&').collect();
        pairs.sort_unstable();
        assert_eq!(
            pairs,
            [
                "access_token=tok%2Fget%2B1",
                "active=true",
                "ids=1",
                "ids=3",
                "name=%E5%BC%A0%20%E4%B8%89%26%3D%3F",
            ],
            "absent fields are left out, lists repeat their key"
        );
        assert!(find.body.is_empty(), "a GET has no body");
        assert!(!find.headers.iter().any(|(name, _)| name == "content-type"));
    })
    .await
    .expect("bounded");
}
