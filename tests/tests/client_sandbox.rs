//! The generated client against the sandbox on loopback: a full round trip, token expiry and
//! revocation mid-run, single-flight on a cold cache, grants, every injected fault, paging, and
//! that no credential appears in any error the suite produces.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use generated_example::sandbox::{
    self, AppConfig, Fault, FaultRule, Grants, SandboxConfig, SandboxHandle, SchoolConfig,
};
use generated_example::wecard::client::{Client, ClientConfig, ClientError, TransportErrorKind};
use generated_example::wecard::{
    BatchDeleteUsersRequest, CreateUserRequest, DateTime, ErrorCode, GetUsersByCardNumbersRequest,
    ListOrgUsersRequest, ListOrgsRequest, ListUpdateRecordsRequest, SearchUsersRequest, UpdateType,
};

const APP: &str = "client-app";
const SECRET: &str = "client-secret-never-printed";
const SCHOOL: &str = "school-client";

/// Every error the suite produced, with the token that was current, scanned for credentials.
static ERRORS: Mutex<Vec<String>> = Mutex::new(Vec::new());

async fn bounded<F: Future<Output = ()>>(body: F) {
    tokio::time::timeout(Duration::from_secs(60), body)
        .await
        .expect("the test took longer than 60 s");
}

async fn start(config: SandboxConfig) -> (SandboxHandle, Client) {
    let sandbox = sandbox::start(config).await.expect("the sandbox starts");
    let client = Client::new(
        ClientConfig::new(APP, SECRET, SCHOOL)
            .base_url(sandbox.url())
            .timeout(Duration::from_secs(5)),
    );
    (sandbox, client)
}

fn config() -> SandboxConfig {
    SandboxConfig::new()
        .school(SchoolConfig::new(SCHOOL, "客户端测试学校"))
        .app(AppConfig::new(APP, SECRET).enable(SCHOOL))
}

/// Records an error's texts after checking they hold no credential.
async fn no_secrets(client: &Client, error: &ClientError) {
    let token = client
        .access_token()
        .await
        .ok()
        .map(|t| t.expose().to_string());
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(!text.contains(SECRET), "the app secret leaked: {text}");
        if let Some(token) = &token {
            assert!(
                !text.contains(token.as_str()),
                "the access token leaked: {text}"
            );
        }
        ERRORS.lock().unwrap().push(text);
    }
}

fn student(card: &str) -> CreateUserRequest {
    serde_json::from_value(serde_json::json!({
        "card_number": card,
        "name": "王小明",
        "gender": "男",
        "head_image": "/2024/01/02/wang.png",
        "grade": "2022",
        "college": "信息科学与技术学院",
        "profession": "软件工程",
        "class": "软件221班",
        "identity_type": "学生",
        "identity_title": "本科生",
        "card_type": "1",
        "id_card": "11010519491231002X",
        "country": "CHN",
        "telephone": "13712345678",
        "organization": "信息科学与技术学院/软件工程/软件221班",
        "campus": "南校区",
        "dorm_number": "A栋206",
        "email": "wang@example.edu.cn",
        "expire_at": "2028-07-01 00:00:00",
        "nation": "汉族",
        "origin_place": "陕西省",
        "graduated_school": "西安中学",
        "address": "西安市雁塔区",
        "register_year": "2022",
        "physical_chip_number": "EAEB1234",
        "physical_card_number": "00001234",
    }))
    .expect("a valid request")
}

#[tokio::test]
async fn round_trip_create_search_get_records_delete() {
    bounded(async {
        let (sandbox, client) = start(config()).await;
        let request = student("2022010203");
        client.create_user(&request).await.expect("created");

        let found = client
            .search_users(&SearchUsersRequest {
                keywords: "2022010203".into(),
            })
            .await
            .expect("search");
        let users = found.userlist.expect("userlist");
        assert_eq!(users.len(), 1);
        let member = &users[0];
        assert_eq!(member.card_number, request.card_number);
        assert_eq!(member.name.as_ref(), Some(&request.name));
        assert_eq!(member.grade, request.grade);
        assert_eq!(member.college, request.college);
        assert_eq!(member.profession, request.profession);
        assert_eq!(member.class, request.class);
        assert_eq!(member.identity_title.as_deref(), Some("本科生"));
        assert_eq!(
            member.identity_type.map(|c| c.code()),
            Some(2),
            "学生 is classified as a student"
        );
        assert_eq!(member.gender.map(|g| g.code()), Some(1), "男 is code 1");
        assert_eq!(member.campus, request.campus);
        assert_eq!(member.dorm_number, request.dorm_number);
        assert_eq!(member.email, request.email);
        assert_eq!(member.id_card, request.id_card);
        assert_eq!(member.telephone, request.telephone);
        assert_eq!(member.nation, request.nation);
        assert_eq!(member.origin_place, request.origin_place);
        assert_eq!(member.graduated_school, request.graduated_school);
        assert_eq!(member.address, request.address);
        assert_eq!(member.head_image, request.head_image);
        assert_eq!(member.physical_chip_number, request.physical_chip_number);
        assert_eq!(member.physical_card_number, request.physical_card_number);
        assert_eq!(member.expire_at, request.expire_at);
        assert_eq!(
            member.birthday.as_deref(),
            Some("19491231"),
            "from the ID card"
        );
        assert_eq!(
            member.organization.as_ref().map(Vec::len),
            Some(3),
            "three org levels"
        );

        // An update is an upsert.
        let mut changed = request.clone();
        changed.dorm_number = Some("B栋101".into());
        client.create_user(&changed).await.expect("updated");
        let by_card = client
            .get_users_by_card_numbers(&GetUsersByCardNumbersRequest {
                card_numbers: vec!["2022010203".into(), "nobody".into()],
            })
            .await
            .expect("get");
        let users = by_card.userlist.expect("userlist");
        assert_eq!(users.len(), 1, "unknown card numbers are left out");
        assert_eq!(users[0].dorm_number.as_deref(), Some("B栋101"));

        let today = sandbox.now().expect("clock");
        let day = format!(
            "{:04}-{:02}-{:02}",
            today.year(),
            today.month(),
            today.day()
        );
        let records = client
            .list_update_records_pages(ListUpdateRecordsRequest {
                range_start: DateTime::parse(&format!("{day} 00:00:00")),
                range_end: DateTime::parse(&format!("{day} 23:59:59")),
                page: None,
                page_size: None,
            })
            .collect_all()
            .await
            .expect("records");
        let kinds: Vec<UpdateType> = records.iter().map(|r| r.update_type.clone()).collect();
        assert_eq!(kinds, [UpdateType::AddUser, UpdateType::UpdateUser]);

        let deleted = client
            .batch_delete_users(&BatchDeleteUsersRequest {
                card_numbers: vec!["2022010203".into(), "nobody".into()],
            })
            .await
            .expect("deleted, with a partial failure in the reply");
        let failed = deleted.failed_list.expect("failed_list");
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].card_number, "nobody");
        assert!(sandbox.user(SCHOOL, "2022010203").is_none());
    })
    .await;
}

#[tokio::test]
async fn tokens_that_expire_or_are_revoked_mid_run_are_replaced_once() {
    bounded(async {
        let (sandbox, client) = start(config()).await;
        let search = SearchUsersRequest {
            keywords: "x".into(),
        };
        client.search_users(&search).await.expect("first");
        assert_eq!(sandbox.tokens_issued(APP), 1);
        sandbox.expire_tokens();
        client
            .search_users(&search)
            .await
            .expect("40002, refreshed, replayed");
        assert_eq!(sandbox.tokens_issued(APP), 2);
        sandbox.revoke_tokens();
        client
            .search_users(&search)
            .await
            .expect("40005, refreshed, replayed");
        assert_eq!(sandbox.tokens_issued(APP), 3);
        assert_eq!(
            sandbox.request_count("search_users"),
            5,
            "two calls replayed once each"
        );
    })
    .await;
}

#[tokio::test]
async fn fifty_concurrent_calls_on_a_cold_cache_make_one_token_request() {
    bounded(async {
        let (sandbox, client) = start(config()).await;
        let calls: Vec<_> = (0..50)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move {
                    client
                        .search_users(&SearchUsersRequest {
                            keywords: format!("k{i}"),
                        })
                        .await
                })
            })
            .collect();
        for call in calls {
            call.await.unwrap().expect("search");
        }
        assert_eq!(sandbox.token_requests(APP), 1);
    })
    .await;
}

#[tokio::test]
async fn an_app_without_a_grant_sees_the_field_absent() {
    bounded(async {
        let config = config();
        let (sandbox, client) = start(config).await;
        client
            .create_user(&student("2022000001"))
            .await
            .expect("created");
        sandbox.update_app(APP, |app| {
            *app = app.clone().fields(Grants::only(["grade", "college"]))
        });
        let found = client
            .search_users(&SearchUsersRequest {
                keywords: "2022000001".into(),
            })
            .await
            .expect("search");
        let member = &found.userlist.expect("userlist")[0];
        assert_eq!(member.grade.as_deref(), Some("2022"));
        assert_eq!(member.college.as_deref(), Some("信息科学与技术学院"));
        assert_eq!(member.telephone, None, "not granted: absent, not an error");
        assert_eq!(member.id_card, None);
        assert_eq!(member.card_number, "2022000001", "not 需申请: always there");
        sandbox.update_app(APP, |app| {
            *app = app.clone().endpoints(Grants::only(["search_users"]))
        });
        let error = client
            .create_user(&student("2022000002"))
            .await
            .expect_err("endpoint not granted");
        assert!(matches!(&error, ClientError::Api { code, .. } if code.is_permission_error()));
        no_secrets(&client, &error).await;
    })
    .await;
}

#[tokio::test]
async fn each_fault_maps_to_its_error_and_a_retry_recovers() {
    bounded(async {
        let (sandbox, client) = start(config()).await;
        let search = SearchUsersRequest { keywords: "x".into() };
        client.search_users(&search).await.expect("warm");
        // (fault, what the error must match, whether it is retryable)
        type Case = (Fault, fn(&ClientError) -> bool, bool);
        let cases: Vec<Case> = vec![
            (Fault::HttpStatus(500), |e| matches!(e, ClientError::Http { status: 500, .. }), true),
            (Fault::HttpStatus(502), |e| matches!(e, ClientError::Http { status: 502, .. }), true),
            (Fault::HttpStatus(429), |e| matches!(e, ClientError::Http { status: 429, .. }), true),
            (Fault::TruncatedBody, |e| matches!(e, ClientError::Decode { .. }), true),
            (Fault::NonJsonBody, |e| matches!(e, ClientError::Decode { .. }), true),
            (Fault::Errcode(40010), |e| matches!(e, ClientError::Api { code, .. } if code.code() == 40010 && code.is_request_error()), false),
            (Fault::Errcode(45001), |e| matches!(e, ClientError::Api { code: ErrorCode::Unknown(45001), .. }), false),
        ];
        for (fault, expected, retryable) in cases {
            sandbox.inject(FaultRule::next(1, fault.clone()));
            let error = client.search_users(&search).await.expect_err("the fault fires");
            assert!(expected(&error), "{fault:?} gave {error:?}");
            assert_eq!(error.is_retryable(), retryable, "{fault:?}");
            no_secrets(&client, &error).await;
            client.search_users(&search).await.expect("the next call succeeds");
        }
        // A burst of token errors: the first is retried with a new token, the second surfaces.
        sandbox.inject(FaultRule::next(2, Fault::Errcode(40005)));
        let error = client.search_users(&search).await.expect_err("two in a row");
        assert!(matches!(&error, ClientError::Api { code, .. } if code.is_token_error()));
        client.search_users(&search).await.expect("recovered");

        // A timeout is a transport error, and retryable.
        let impatient = Client::new(ClientConfig::new(APP, SECRET, SCHOOL).base_url(sandbox.url()).timeout(Duration::from_millis(100)));
        sandbox.inject(FaultRule::next(1, Fault::Latency(Duration::from_millis(400))));
        let error = impatient.search_users(&search).await.expect_err("timed out");
        assert!(matches!(error, ClientError::Transport { kind: TransportErrorKind::Timeout, .. }), "{error:?}");
        assert!(error.is_retryable());
        no_secrets(&impatient, &error).await;
        impatient.search_users(&search).await.expect("recovered");
    })
    .await;
}

#[tokio::test]
async fn wrong_credentials_and_closed_ports_are_clear_and_secret_free() {
    bounded(async {
        let (sandbox, _) = start(config()).await;
        let wrong = Client::new(
            ClientConfig::new(APP, "wrong-secret-value", SCHOOL).base_url(sandbox.url()),
        );
        let error = wrong
            .search_users(&SearchUsersRequest {
                keywords: "x".into(),
            })
            .await
            .expect_err("40001");
        assert_eq!(error.error_code(), Some(ErrorCode::from_code(40001)));
        assert!(!format!("{error} {error:?}").contains("wrong-secret-value"));
        let unknown_school =
            Client::new(ClientConfig::new(APP, SECRET, "no-such-school").base_url(sandbox.url()));
        let error = unknown_school
            .search_users(&SearchUsersRequest {
                keywords: "x".into(),
            })
            .await
            .expect_err("40006");
        assert_eq!(error.error_code(), Some(ErrorCode::from_code(40006)));
        no_secrets(&unknown_school, &error).await;
        let url = sandbox.url();
        sandbox.shutdown().await;
        let gone = Client::new(ClientConfig::new(APP, SECRET, SCHOOL).base_url(url));
        let error = gone
            .search_users(&SearchUsersRequest {
                keywords: "x".into(),
            })
            .await
            .expect_err("closed");
        assert!(
            matches!(
                error,
                ClientError::Transport {
                    kind: TransportErrorKind::Connect,
                    ..
                }
            ),
            "{error:?}"
        );
        no_secrets(&gone, &error).await;
    })
    .await;
}

#[tokio::test]
async fn paging_returns_every_record_exactly_once() {
    bounded(async {
        let (sandbox, client) = start(config()).await;
        for i in 0..23 {
            let mut request = student(&format!("20220100{i:02}"));
            request.organization = format!("信息科学与技术学院/软件工程/软件22{}班", i % 3);
            sandbox.upsert_user(SCHOOL, request).expect("seeded");
        }
        let expected: Vec<String> = (0..23).map(|i| format!("20220100{i:02}")).collect();
        for page_size in [1, 7, 5000] {
            let members = client
                .list_org_users_pages(ListOrgUsersRequest {
                    org_id: 0,
                    fetch_child: Some(1),
                    page: None,
                    page_size: Some(page_size),
                })
                .collect_all()
                .await
                .expect("org users");
            let mut cards: Vec<String> = members.into_iter().map(|m| m.card_number).collect();
            cards.sort();
            assert_eq!(cards, expected, "page size {page_size}");
        }
        let orgs_once = client
            .list_orgs_pages(ListOrgsRequest {
                page: None,
                page_size: Some(1),
            })
            .collect_all()
            .await
            .expect("orgs");
        let mut ids: Vec<i64> = orgs_once.iter().map(|org| org.id).collect();
        let total = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), total, "no org twice");
        assert_eq!(total, 1 + 1 + 3, "college, major, three classes");
    })
    .await;
}
