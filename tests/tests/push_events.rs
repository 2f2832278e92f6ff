//! Push events end to end: the sandbox pushes every change, encrypted, to a receiver on
//! loopback built from the runtime's `Receiver` and the generated `Event`; deliveries that fail
//! are retried on the (scaled) schedule, every attempt is journaled, and nothing is lost or
//! duplicated.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use generated_example::sandbox::{
    self, AppConfig, DeliveryOutcome, PushConfig, SandboxConfig, SandboxHandle, SchoolConfig,
};
use generated_example::wecard::client::{Client, ClientConfig};
use generated_example::wecard::{BatchDeleteUsersRequest, CreateUserRequest, Event};
use wecard_runtime::events::{Cipher, Encoding, EventError, PushBody, Receiver};

const KEY: &str = "push-app-key-016";
const SECRET: &str = "push-app-secret-never-printed";
const SCHOOL: &str = "push-school";

async fn bounded<F: Future<Output = ()>>(body: F) {
    tokio::time::timeout(Duration::from_secs(60), body)
        .await
        .expect("the test took longer than 60 s");
}

/// What a test receiver saw.
#[derive(Default)]
struct Inbox {
    requests: AtomicUsize,
    events: Mutex<Vec<Event>>,
    errors: Mutex<Vec<EventError>>,
}

impl Inbox {
    fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }
}

/// A receiver on 127.0.0.1:0 that refuses its first `fail_first` requests (an HTTP 500, then
/// a non-zero code) and then answers with the runtime's receiver.
async fn receiver(fail_first: usize) -> (String, Arc<Inbox>) {
    let inbox = Arc::new(Inbox::default());
    let receiver = Receiver::<Event>::new(KEY, SECRET).expect("a 16-byte key");
    let state = Arc::clone(&inbox);
    let app = axum::Router::new().route(
        "/wecard/push",
        axum::routing::post(move |body: Bytes| {
            let inbox = Arc::clone(&state);
            let receiver = receiver.clone();
            async move {
                let n = inbox.requests.fetch_add(1, Ordering::SeqCst) + 1;
                if n <= fail_first {
                    if n % 2 == 1 {
                        return (StatusCode::INTERNAL_SERVER_ERROR, "busy").into_response();
                    }
                    return r#"{"code":1,"message":"try later"}"#.into_response();
                }
                let (ack, outcome) = receiver.handle(&body);
                match outcome {
                    Ok(received) => {
                        assert_eq!(received.school_code, SCHOOL);
                        inbox.events.lock().unwrap().push(received.event);
                    }
                    Err(error) => inbox.errors.lock().unwrap().push(error),
                }
                Response::new(ack.to_bytes().into())
            }
        }),
    );
    let url = serve(app).await;
    (format!("{url}/wecard/push"), inbox)
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn config(push: PushConfig) -> SandboxConfig {
    SandboxConfig::new()
        .school(SchoolConfig::new(SCHOOL, "推送测试学校"))
        .app(AppConfig::new(KEY, SECRET).enable(SCHOOL))
        .push(push)
}

async fn start(push: PushConfig) -> (SandboxHandle, Client) {
    let sandbox = sandbox::start(config(push))
        .await
        .expect("the sandbox starts");
    let client = Client::new(
        ClientConfig::new(KEY, SECRET, SCHOOL)
            .base_url(sandbox.url())
            .timeout(Duration::from_secs(5)),
    );
    (sandbox, client)
}

fn student(card: &str, name: &str) -> CreateUserRequest {
    serde_json::from_value(serde_json::json!({
        "card_number": card,
        "name": name,
        "identity_type": "学生",
        "identity_title": "本科生",
        "organization": "信息学院/软件221班",
    }))
    .expect("a create request")
}

/// The scaled default schedule: 15 s becomes 15 ms.
fn fast(url: &str) -> PushConfig {
    PushConfig::new(url).scale(0.001)
}

/// Creates, updates and deletes users through the client and orgs through the store; returns
/// the events expected, as (code, identifying text).
async fn make_changes(sandbox: &SandboxHandle, client: &Client) -> Vec<(&'static str, String)> {
    client
        .create_user(&student("1001", "王小明"))
        .await
        .expect("created");
    client
        .create_user(&student("1001", "王晓明"))
        .await
        .expect("updated");
    client
        .batch_delete_users(&BatchDeleteUsersRequest {
            card_numbers: vec!["1001".to_string()],
        })
        .await
        .expect("deleted");
    sandbox.with_store(|store| {
        let school = store.school_mut(SCHOOL).expect("the school");
        assert!(school.rename_org(2, "软件222班", None));
        school.delete_org(2).expect("no members left");
    });
    vec![
        ("addOrg", "信息学院".to_string()),
        ("addOrg", "软件221班".to_string()),
        ("addUser", "1001 王小明".to_string()),
        ("updateUser", "1001 王晓明".to_string()),
        ("deleteUser", "1001 王晓明".to_string()),
        ("updateOrg", "软件222班".to_string()),
        ("deleteOrg", "软件222班".to_string()),
    ]
}

/// A member's card number and name (a member may come without a name: it is 需申请 for some
/// apps).
fn member_summary(member: &generated_example::wecard::Member) -> String {
    format!(
        "{} {}",
        member.card_number,
        member.name.as_deref().unwrap_or("")
    )
}

fn summary(event: &Event) -> (&'static str, String) {
    match event {
        Event::AddOrg(org) => ("addOrg", org.name.clone()),
        Event::UpdateOrg(org) => ("updateOrg", org.name.clone()),
        Event::DeleteOrg(org) => ("deleteOrg", org.name.clone()),
        Event::AddUser(m) => ("addUser", member_summary(m)),
        Event::UpdateUser(m) => ("updateUser", member_summary(m)),
        Event::DeleteUser(m) => ("deleteUser", member_summary(m)),
        other => panic!("unexpected event {other:?}"),
    }
}

#[tokio::test]
async fn every_change_reaches_the_receiver_typed_and_in_order() {
    bounded(async {
        let (url, inbox) = receiver(0).await;
        let (sandbox, client) = start(fast(&url)).await;
        let expected = make_changes(&sandbox, &client).await;
        sandbox.pushes_settled().await;
        let seen: Vec<_> = inbox.events().iter().map(summary).collect();
        assert_eq!(seen, expected);
        assert!(inbox.errors.lock().unwrap().is_empty());
        let journal = sandbox.push_journal();
        assert_eq!(journal.len(), expected.len());
        for (index, attempt) in journal.iter().enumerate() {
            assert_eq!(attempt.sequence, index as u64 + 1);
            assert_eq!(attempt.attempt, 1);
            assert_eq!(attempt.outcome, DeliveryOutcome::Acked);
            assert_eq!(attempt.retry_in, None);
            assert_eq!(attempt.event, expected[index].0);
            assert_eq!(
                (attempt.app_key.as_str(), attempt.school_code.as_str()),
                (KEY, SCHOOL)
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_receiver_failing_twice_gets_the_third_delivery_and_nothing_is_lost_or_repeated() {
    bounded(async {
        let (url, inbox) = receiver(2).await;
        let (sandbox, client) = start(fast(&url)).await;
        let expected = make_changes(&sandbox, &client).await;
        sandbox.pushes_settled().await;
        let seen: Vec<_> = inbox.events().iter().map(summary).collect();
        assert_eq!(seen, expected, "every event once, in order");
        assert_eq!(inbox.requests.load(Ordering::SeqCst), expected.len() + 2);
        let journal = sandbox.push_journal();
        let first: Vec<_> = journal.iter().filter(|a| a.sequence == 1).collect();
        assert_eq!(first.len(), 3);
        assert!(matches!(
            &first[0].outcome,
            DeliveryOutcome::Refused { status: 500, body } if body == "busy"
        ));
        assert!(matches!(
            &first[1].outcome,
            DeliveryOutcome::Refused { status: 200, .. }
        ));
        assert_eq!(first[2].outcome, DeliveryOutcome::Acked);
        // The default schedule, scaled by 1/1000: 15 s and 15 s became 15 ms each.
        assert_eq!(first[0].retry_in, Some(Duration::from_millis(15)));
        assert_eq!(first[1].retry_in, Some(Duration::from_millis(30) / 2));
        assert_eq!(first[2].retry_in, None);
        assert_eq!(
            journal.iter().map(|a| a.attempt).collect::<Vec<_>>(),
            [vec![1, 2, 3], vec![1; expected.len() - 1]].concat()
        );
    })
    .await;
}

#[tokio::test]
async fn a_delivery_is_given_up_after_the_last_attempt_of_the_schedule() {
    bounded(async {
        // A port that was free a moment ago: connections are refused.
        let closed: SocketAddr = {
            let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
            listener.local_addr().unwrap()
        };
        let push = PushConfig::new(&format!("http://{closed}/push"))
            .schedule(vec![Duration::ZERO, Duration::from_millis(5)]);
        let (sandbox, client) = start(push).await;
        client
            .create_user(&student("2002", "李雷"))
            .await
            .expect("created");
        sandbox.pushes_settled().await;
        let journal = sandbox.push_journal();
        // Two orgs and a user, two failed attempts each.
        assert_eq!(journal.len(), 6);
        for pair in journal.chunks(2) {
            assert!(matches!(pair[0].outcome, DeliveryOutcome::Failed { .. }));
            assert_eq!(pair[0].retry_in, Some(Duration::from_millis(5)));
            assert_eq!(pair[1].attempt, 2);
            assert_eq!(pair[1].retry_in, None, "given up");
        }
        assert_eq!(journal[5].event, "addUser");
    })
    .await;
}

#[tokio::test]
async fn the_axum_handler_receives_base64_pushes() {
    bounded(async {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let receiver = Receiver::<Event>::new(KEY, SECRET).expect("cipher");
        let app = axum::Router::new().route(
            "/events",
            wecard_runtime::events::axum::handler(receiver, move |outcome| {
                sink.lock().unwrap().push(outcome.map(|r| r.event));
            }),
        );
        let url = serve(app).await;
        let push = fast(&format!("{url}/events")).encoding(Encoding::Base64);
        let (sandbox, client) = start(push).await;
        client
            .create_user(&student("3003", "韩梅梅"))
            .await
            .expect("created");
        sandbox.pushes_settled().await;
        let seen = seen.lock().unwrap();
        let codes: Vec<_> = seen
            .iter()
            .map(|outcome| outcome.as_ref().expect("understood").code().to_string())
            .collect();
        assert_eq!(codes, ["addOrg", "addOrg", "addUser"]);
        assert!(
            sandbox
                .push_journal()
                .iter()
                .all(|a| a.outcome == DeliveryOutcome::Acked)
        );
    })
    .await;
}

#[tokio::test]
async fn an_app_whose_key_cannot_encrypt_is_journaled_not_sent() {
    bounded(async {
        let (url, inbox) = receiver(0).await;
        let config = SandboxConfig::new()
            .school(SchoolConfig::new(SCHOOL, "推送测试学校"))
            .app(AppConfig::new("short-key", SECRET).enable(SCHOOL))
            .push(fast(&url));
        let sandbox = sandbox::start(config).await.expect("starts");
        sandbox.with_store(|store| {
            store.school_mut(SCHOOL).unwrap().add_org("一年级", 0, None);
        });
        sandbox.pushes_settled().await;
        let journal = sandbox.push_journal();
        assert_eq!(journal.len(), 1);
        let DeliveryOutcome::Failed { reason } = &journal[0].outcome else {
            panic!("{journal:?}");
        };
        assert!(reason.contains("16 bytes"), "{reason}");
        assert!(!reason.contains(SECRET));
        assert_eq!(inbox.requests.load(Ordering::SeqCst), 0);
    })
    .await;
}

#[test]
fn the_receiver_types_every_documented_event_and_keeps_the_others() {
    let member: generated_example::wecard::Member = serde_json::from_value(serde_json::json!({
        "card_number": "1604030126",
        "name": "evan1",
        "identity_type": "2",
        "organization": [2, 222, 496],
    }))
    .unwrap();
    let org: generated_example::wecard::Organization = serde_json::from_value(serde_json::json!({
        "id": 12, "name": "一年级", "parent_id": "0", "updated_at": "2024-01-02 03:04:05",
    }))
    .unwrap();
    let range = serde_json::json!({"range_id": 7});
    let events = vec![
        Event::AddOrg(org.clone()),
        Event::UpdateOrg(org.clone()),
        Event::DeleteOrg(org),
        Event::AddUser(member.clone()),
        Event::UpdateUser(member.clone()),
        Event::DeleteUser(member),
        Event::AddUsableRange(range.clone()),
        Event::UpdateUsableRange(range.clone()),
        Event::DeleteUsableRange(range.clone()),
        Event::Unknown {
            code: "addCanteen".to_string(),
            data: range,
        },
    ];
    assert_eq!(
        events[..9].iter().map(Event::code).collect::<Vec<_>>(),
        Event::CODES
    );
    let receiver = Receiver::<Event>::new(KEY, SECRET).unwrap();
    for encoding in [Encoding::Hex, Encoding::Base64] {
        let cipher = Cipher::new(KEY, SECRET).unwrap().with_encoding(encoding);
        for event in &events {
            let body = PushBody::seal(&cipher, KEY, SCHOOL, event).unwrap();
            let (ack, outcome) = receiver.handle(&serde_json::to_vec(&body).unwrap());
            assert_eq!(ack.to_bytes(), br#"{"code":0,"message":"ok"}"#);
            assert_eq!(&outcome.unwrap().event, event, "{encoding:?}");
        }
    }
    // A documented event whose payload is not its record is refused, naming the event only.
    let bad = Event::Unknown {
        code: "addUser".to_string(),
        data: serde_json::json!(["not", "a", "member"]),
    };
    let cipher = Cipher::new(KEY, SECRET).unwrap();
    let body = PushBody::seal(&cipher, KEY, SCHOOL, &bad).unwrap();
    let (ack, outcome) = receiver.handle(&serde_json::to_vec(&body).unwrap());
    assert_eq!(ack.code, 5);
    let error = outcome.unwrap_err();
    assert!(matches!(&error, EventError::Payload { code, .. } if code == "addUser"));
    assert!(!format!("{error} {error:?} {}", ack.message).contains(SECRET));
}
