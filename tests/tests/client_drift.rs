//! The client's drift log, one kind at a time, against an in-process fake transport: unknown
//! fields (in a record, in a reply), unknown enum codes, unknown error codes, missing required
//! fields; merging, draining, sharing between clones, and that no credential is quoted.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use generated_example::wecard::client::{
    Client, ClientConfig, ClientError, DriftEntry, DriftKind, HttpResponse, Transport,
    TransportFuture,
};
use generated_example::wecard::{ErrorCode, GetSchoolInfoRequest, SearchUsersRequest};
use serde_json::{Value, json};

const SECRET: &str = "drift-secret-DO-NOT-LEAK";
const TOKEN: &str = "drift-token-DO-NOT-LEAK";

/// Issues one token; answers every other request with the next queued body.
#[derive(Clone, Default)]
struct Fake(Arc<Mutex<Vec<Value>>>);

impl Transport for Fake {
    fn post<'a>(&'a self, url: &'a str, _body: Vec<u8>, _timeout: Duration) -> TransportFuture<'a> {
        let reply = if url.contains("/cgi-bin/oauth2/token") {
            json!({"access_token": TOKEN, "expires_in": 7200})
        } else {
            let mut queue = self.0.lock().unwrap();
            assert!(!queue.is_empty(), "no reply queued for {url}");
            queue.remove(0)
        };
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                body: reply.to_string().into_bytes(),
            })
        })
    }
}

fn client(name: &str, replies: Vec<Value>) -> Client {
    let config = ClientConfig::new("app-key", SECRET, "1000001")
        .base_url(format!("http://drift.{name}.invalid"));
    Client::with_transport(config, Fake(Arc::new(Mutex::new(replies))))
}

fn search() -> SearchUsersRequest {
    SearchUsersRequest {
        keywords: "张三".into(),
    }
}

fn member(extra: Value) -> Value {
    let mut member = json!({"card_number": "1604030126", "name": "evan1", "gender": 1});
    if let (Some(member), Some(extra)) = (member.as_object_mut(), extra.as_object()) {
        member.extend(extra.clone());
    }
    member
}

fn ok(fields: Value) -> Value {
    let mut reply = json!({"errcode": 0, "errmsg": "ok"});
    reply
        .as_object_mut()
        .unwrap()
        .extend(fields.as_object().unwrap().clone());
    reply
}

#[tokio::test]
async fn a_reply_the_spec_describes_records_nothing() {
    let client = client(
        "clean",
        vec![ok(
            json!({"userlist": [member(json!({})), member(json!({}))]}),
        )],
    );
    client.search_users(&search()).await.unwrap();
    assert_eq!(client.drift(), Vec::<DriftEntry>::new());
}

#[tokio::test]
async fn an_unknown_member_field_is_recorded_once_with_its_record_path_and_value() {
    let members = vec![
        member(json!({"nickname": "小明"})),
        member(json!({"nickname": "小红"})),
    ];
    let client = client(
        "field",
        vec![
            ok(json!({ "userlist": members })),
            ok(json!({"userlist": [member(json!({"nickname": "小刚"}))]})),
        ],
    );
    let reply = client.search_users(&search()).await.unwrap();
    // The value is kept for the caller as well.
    assert_eq!(
        reply.userlist.unwrap()[0].unknown_fields["nickname"],
        json!("小明")
    );
    client.search_users(&search()).await.unwrap();
    assert_eq!(
        client.drift(),
        vec![DriftEntry {
            endpoint: "search_users".into(),
            record: Some("Member".into()),
            path: "userlist[].nickname".into(),
            kind: DriftKind::UnknownField,
            enum_name: None,
            value: "\"小明\"".into(),
            count: 3,
        }]
    );
}

#[tokio::test]
async fn an_unknown_field_of_the_reply_itself_names_no_record() {
    let client = client(
        "reply-field",
        vec![ok(json!({"name": "微卡大学", "motto": ["求是", 1]}))],
    );
    client
        .get_school_info(&GetSchoolInfoRequest::default())
        .await
        .unwrap();
    let drift = client.drift();
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(drift[0].record, None);
    assert_eq!(drift[0].path, "motto");
    assert_eq!(drift[0].kind, DriftKind::UnknownField);
    assert_eq!(drift[0].value, r#"["求是",1]"#);
}

#[tokio::test]
async fn an_unknown_enum_code_names_its_enum() {
    let client = client(
        "code",
        vec![ok(json!({"userlist": [member(json!({"gender": 7}))]}))],
    );
    let reply = client.search_users(&search()).await.unwrap();
    assert_eq!(
        reply.userlist.unwrap()[0].gender,
        Some(generated_example::wecard::Gender::Unknown(7))
    );
    let drift = client.drift();
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(drift[0].kind, DriftKind::UnknownCode);
    assert_eq!(drift[0].enum_name.as_deref(), Some("Gender"));
    assert_eq!(drift[0].path, "userlist[].gender");
    assert_eq!(drift[0].value, "7");
}

#[tokio::test]
async fn an_unknown_error_code_is_recorded_and_still_returned_a_known_one_is_not_recorded() {
    let client = client(
        "errcode",
        vec![
            json!({"errcode": 40099, "errmsg": "new"}),
            json!({"errcode": 40007, "errmsg": "no such card"}),
            json!({"errcode": 40099, "errmsg": "new again"}),
        ],
    );
    for expected in [40099, 40007, 40099] {
        let error = client.search_users(&search()).await.unwrap_err();
        assert!(
            matches!(&error, ClientError::Api { code, .. } if code.code() == expected),
            "{error:?}"
        );
    }
    assert_eq!(ErrorCode::from_code(40007), ErrorCode::CardNumberNotFound);
    let drift = client.drift();
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(drift[0].kind, DriftKind::UnknownErrorCode);
    assert_eq!(drift[0].value, "40099");
    assert_eq!(drift[0].count, 2);
    assert_eq!(drift[0].path, "");
}

#[tokio::test]
async fn a_missing_required_field_is_found_when_the_reply_cannot_be_decoded() {
    let client = client(
        "missing",
        vec![ok(
            json!({"userlist": [member(json!({})), {"name": "无卡号", "nickname": "x"}]}),
        )],
    );
    let error = client.search_users(&search()).await.unwrap_err();
    assert!(matches!(error, ClientError::Decode { .. }), "{error:?}");
    let drift = client.drift();
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(drift[0].kind, DriftKind::MissingField);
    assert_eq!(drift[0].record.as_deref(), Some("Member"));
    assert_eq!(drift[0].path, "userlist[].card_number");
    assert_eq!(drift[0].value, "null");
}

#[tokio::test]
async fn the_log_is_shared_by_clones_and_drained_by_take() {
    let client = client(
        "drain",
        vec![
            ok(json!({"userlist": [member(json!({"nickname": "小明"}))]})),
            ok(json!({"userlist": [member(json!({}))]})),
        ],
    );
    let clone = client.clone();
    clone.search_users(&search()).await.unwrap();
    assert_eq!(client.drift().len(), 1);
    assert_eq!(client.take_drift().len(), 1);
    assert!(clone.drift().is_empty());
    clone.search_users(&search()).await.unwrap();
    assert!(client.take_drift().is_empty());
    assert_eq!(client.drift_dropped(), 0);
}

#[tokio::test]
async fn no_credential_is_quoted_in_the_log() {
    let client = client(
        "secrets",
        vec![
            ok(
                json!({"userlist": [member(json!({"session_key": "abc", "echo": format!("t={TOKEN}")}))]}),
            ),
            ok(json!({"userlist": [member(json!({"remark": SECRET}))]})),
        ],
    );
    client.search_users(&search()).await.unwrap();
    client.search_users(&search()).await.unwrap();
    let drift = client.drift();
    assert_eq!(drift.len(), 3, "{drift:?}");
    let text = serde_json::to_string(&drift).unwrap();
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains("abc"), "{text}");
    let session = drift
        .iter()
        .find(|entry| entry.path.ends_with("session_key"));
    assert_eq!(session.unwrap().value, "\"<redacted>\"");
}

#[tokio::test]
async fn the_sandbox_sends_what_its_drift_config_asks_for() {
    use generated_example::sandbox::{self, DriftConfig, SandboxConfig};
    use generated_example::wecard::GetUsersByCardNumbersRequest;

    let drift = DriftConfig::default()
        .member_field("nickname", json!("小明"))
        .identity_code(9)
        .error_code("get_users_by_card_numbers", 40099);
    let sandbox = sandbox::start(SandboxConfig::demo("k", "s", "o").drift(drift))
        .await
        .unwrap();
    let client = Client::new(ClientConfig::new("k", "s", "o").base_url(sandbox.url()));
    let card = sandbox::demo_users()[0].card_number.clone();
    let request = GetUsersByCardNumbersRequest {
        card_numbers: vec![card],
    };
    let error = client
        .get_users_by_card_numbers(&request)
        .await
        .unwrap_err();
    assert_eq!(error.error_code(), Some(ErrorCode::Unknown(40099)));
    let reply = client.get_users_by_card_numbers(&request).await.unwrap();
    assert_eq!(reply.userlist.unwrap().len(), 1);
    let mut drift: Vec<(DriftKind, String)> = client
        .take_drift()
        .into_iter()
        .map(|entry| (entry.kind, entry.value))
        .collect();
    drift.sort();
    assert_eq!(
        drift,
        [
            (DriftKind::UnknownField, "\"小明\"".to_string()),
            (DriftKind::UnknownCode, "9".to_string()),
            (DriftKind::UnknownErrorCode, "40099".to_string()),
        ]
    );
}
