//! The sandbox's data over raw HTTP on loopback: paging, the update-record journal, a round
//! trip through every endpoint, faults, and shutdown. Every test is bounded by a timeout.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/sandbox_api.rs"]
mod sandbox_api;

use sandbox_api::*;

#[tokio::test]
async fn org_users_pages_return_every_member_once() {
    bounded(async {
        let api = Api::start(config()).await;
        let mut cards = api.seed_users(23, "学院/一系/1班");
        cards.extend((0..4).map(|index| {
            let card = format!("T{index}");
            api.sandbox
                .upsert_user(SCHOOL, user(&card, "学院/二系"))
                .unwrap();
            card
        }));
        cards.sort();
        let token = api.token().await;
        for page_size in [1i64, 7, 5000] {
            let mut seen = Vec::new();
            let mut page = 1;
            loop {
                let reply = api
                    .expect_code::<ListOrgUsersRequest>(
                        &token,
                        json!({"org_id": 0, "page": page, "page_size": page_size}),
                        0,
                    )
                    .await;
                let reply: ListOrgUsersResponse = serde_json::from_value(reply).unwrap();
                assert_eq!(reply.total, 27);
                assert_eq!(reply.page, Some(page));
                assert_eq!(reply.page_size, Some(page_size));
                let users = reply.userlist.unwrap_or_default();
                if page > (27 + page_size - 1) / page_size {
                    assert!(users.is_empty(), "page {page} past the end has users");
                    break;
                }
                assert!(!users.is_empty());
                seen.extend(users.into_iter().map(|member| member.card_number));
                page += 1;
            }
            assert_eq!(seen, cards, "page size {page_size}");
        }

        // Organisation scopes: fetch_child follows sub-organisations.
        let orgs: ListOrgsResponse = serde_json::from_value(
            api.expect_code::<ListOrgsRequest>(&token, json!({"page_size": 2}), 0)
                .await,
        )
        .unwrap();
        assert_eq!(orgs.total, 4);
        assert_eq!(orgs.organization.as_ref().map(Vec::len), Some(2));
        let college = api.sandbox.with_store(|store| {
            store
                .school(SCHOOL)
                .unwrap()
                .orgs()
                .find(|org| org.name == "学院")
                .unwrap()
                .id
        });
        let direct = api
            .expect_code::<ListOrgUsersRequest>(&token, json!({"org_id": college}), 0)
            .await;
        assert_eq!(direct["total"], 0);
        let all = api
            .expect_code::<ListOrgUsersRequest>(
                &token,
                json!({"org_id": college, "fetch_child": 1}),
                0,
            )
            .await;
        assert_eq!(all["total"], 27);
    })
    .await;
}

#[tokio::test]
async fn the_journal_records_every_change_and_pages() {
    bounded(async {
        let api = Api::start(config()).await;
        api.sandbox.set_clock(at("2024-05-01 09:00:00"));
        let token = api.token().await;
        let created = serde_json::to_value(user("J1", "A/B")).unwrap();
        api.expect_code::<CreateUserRequest>(&token, created, 0)
            .await;
        api.sandbox.advance_clock(Duration::from_secs(30));
        let updated = serde_json::to_value(CreateUserRequest {
            name: "改名".into(),
            ..user("J1", "A/C")
        })
        .unwrap();
        api.expect_code::<CreateUserRequest>(&token, updated, 0)
            .await;
        api.sandbox.advance_clock(Duration::from_secs(30));
        let deleted = api
            .expect_code::<BatchDeleteUsersRequest>(
                &token,
                json!({"card_numbers": ["J1", "ghost"]}),
                0,
            )
            .await;
        assert_eq!(deleted["failed_list"].as_array().unwrap().len(), 1);
        assert_eq!(deleted["failed_list"][0]["card_number"], "ghost");
        assert!(deleted["failed_list"][0]["reason"].as_str().is_some());

        let reply: ListUpdateRecordsResponse = serde_json::from_value(
            api.expect_code::<ListUpdateRecordsRequest>(&token, json!({}), 0)
                .await,
        )
        .unwrap();
        assert_eq!(reply.range_start, Some(at("2024-05-01 00:00:00")));
        assert_eq!(reply.range_end, Some(at("2024-05-01 09:01:00")));
        assert_eq!(reply.total, 3);
        let list = reply.list.unwrap();
        let kinds: Vec<_> = list.iter().map(|r| r.update_type.clone()).collect();
        assert_eq!(
            kinds,
            [
                UpdateType::AddUser,
                UpdateType::UpdateUser,
                UpdateType::DeleteUser
            ]
        );
        assert!(list.iter().all(|record| record.card_number == "J1"));
        assert_eq!(list[1].created_at, Some(at("2024-05-01 09:00:30")));
        assert_eq!(api.sandbox.journal(SCHOOL).len(), 3);

        // An explicit range that holds only the update.
        let only_update = api
            .expect_code::<ListUpdateRecordsRequest>(
                &token,
                json!({"range_start": "2024-05-01 09:00:15", "range_end": "2024-05-01 9:0:45"}),
                0,
            )
            .await;
        assert_eq!(only_update["total"], 1);
        assert_eq!(only_update["list"][0]["type"], "updateUser");
        // Ranges must stay within one day and be ordered.
        api.expect_code::<ListUpdateRecordsRequest>(
            &token,
            json!({"range_start": "2024-04-30 23:00:00", "range_end": "2024-05-01 01:00:00"}),
            40010,
        )
        .await;
        api.expect_code::<ListUpdateRecordsRequest>(
            &token,
            json!({"range_start": "2024-05-01 10:00:00", "range_end": "2024-05-01 09:00:00"}),
            40010,
        )
        .await;
        api.expect_code::<ListUpdateRecordsRequest>(
            &token,
            json!({"range_start": "yesterday"}),
            40010,
        )
        .await;

        // Paging: 25 more changes, read with page sizes 1, 7 and 1000.
        let cards = api.seed_users(25, "A/B");
        for page_size in [1i64, 7, 1000] {
            let mut seen = Vec::new();
            let mut page = 1;
            loop {
                let reply: ListUpdateRecordsResponse = serde_json::from_value(
                    api.expect_code::<ListUpdateRecordsRequest>(
                        &token,
                        json!({"page": page, "page_size": page_size}),
                        0,
                    )
                    .await,
                )
                .unwrap();
                assert_eq!(reply.total, 28);
                let list = reply.list.unwrap_or_default();
                if list.is_empty() {
                    break;
                }
                seen.extend(list.into_iter().map(|record| record.card_number));
                page += 1;
            }
            assert_eq!(seen.len(), 28, "page size {page_size}");
            assert_eq!(seen[3..], cards[..], "page size {page_size}");
        }
    })
    .await;
}

#[tokio::test]
async fn create_search_lookup_and_wxwork_round_trip() {
    bounded(async {
        let api = Api::start(config()).await;
        let token = api.token().await;
        let request = CreateUserRequest {
            email: Some("zhang@example.invalid".into()),
            expire_at: Some(at("2030-01-01 00:00:00")),
            head_image: Some("/2024/01/02/xx.png".into()),
            ..user("R1", "信息学院/计算机系")
        };
        api.expect_code::<CreateUserRequest>(&token, serde_json::to_value(&request).unwrap(), 0)
            .await;
        let reply: SearchUsersResponse = serde_json::from_value(
            api.expect_code::<SearchUsersRequest>(&token, json!({"keywords": "学生R1"}), 0)
                .await,
        )
        .unwrap();
        assert_eq!(reply.errmsg.as_deref(), Some("ok"));
        let users = reply.userlist.unwrap();
        assert_eq!(users.len(), 1);
        let member = &users[0];
        assert_eq!(member.card_number, "R1");
        assert_eq!(member.name.as_deref(), Some("学生R1"));
        assert_eq!(member.grade.as_deref(), Some("2016"));
        assert_eq!(member.class.as_deref(), Some("1班"));
        assert_eq!(member.identity_title.as_deref(), Some("本科生"));
        assert_eq!(member.email.as_deref(), Some("zhang@example.invalid"));
        assert_eq!(member.telephone.as_deref(), Some("13800001111"));
        assert_eq!(member.birthday.as_deref(), Some("20020319"));
        assert_eq!(member.expire_at, Some(at("2030-01-01 00:00:00")));
        assert_eq!(member.head_image.as_deref(), Some("/2024/01/02/xx.png"));
        assert_eq!(member.gender.map(|g| g.code()), Some(2));
        assert_eq!(member.identity_type.map(|c| c.code()), Some(2));
        assert_eq!(member.organization.as_ref().map(Vec::len), Some(2));

        // Search is exact: a prefix finds nothing (errcode 0, empty list).
        let none = api
            .expect_code::<SearchUsersRequest>(&token, json!({"keywords": "学生"}), 0)
            .await;
        assert_eq!(none["userlist"], json!([]));
        // Lookup by card numbers leaves unknown ones out.
        let found = api
            .expect_code::<GetUsersByCardNumbersRequest>(
                &token,
                json!({"card_numbers": ["nobody", "R1"]}),
                0,
            )
            .await;
        assert_eq!(found["userlist"].as_array().unwrap().len(), 1);
        assert_eq!(found["userlist"][0]["card_number"], "R1");
        // The org chain resolves to full names.
        let leaf = *member.organization.as_ref().unwrap().last().unwrap();
        let orgs = api
            .expect_code::<GetOrgsByIdsRequest>(&token, json!({"org_ids": [leaf, 9999]}), 0)
            .await;
        assert_eq!(orgs["organization"][0]["full_name"], "信息学院/计算机系");
        assert_eq!(orgs["organization"].as_array().unwrap().len(), 1);
        // WeCom user id: 40007 for an unknown card number.
        let userid = api
            .expect_code::<GetWxworkUserIdRequest>(&token, json!({"card_number": "R1"}), 0)
            .await;
        assert_eq!(userid["userid"], "wx-R1");
        api.expect_code::<GetWxworkUserIdRequest>(&token, json!({"card_number": "nobody"}), 40007)
            .await;
        // Upsert: creating again updates, a field left out keeps its value.
        let update = CreateUserRequest {
            grade: None,
            class: Some("2班".into()),
            ..user("R1", "信息学院/计算机系")
        };
        api.expect_code::<CreateUserRequest>(&token, serde_json::to_value(&update).unwrap(), 0)
            .await;
        let stored = api.sandbox.user(SCHOOL, "R1").unwrap();
        assert_eq!(stored.class.as_deref(), Some("2班"));
        assert_eq!(stored.grade.as_deref(), Some("2016"));
        assert_eq!(api.sandbox.users(SCHOOL).len(), 1);
    })
    .await;
}

#[tokio::test]
async fn every_endpoint_of_the_spec_answers() {
    bounded(async {
        let api = Api::start(config().with_demo_data(true)).await;
        let token = api.token().await;
        let school = api
            .expect_code::<GetSchoolInfoRequest>(&token, json!({}), 0)
            .await;
        assert_eq!(school["name"], "一号学校");
        assert_eq!(school["local_deploy"], 1);
        let types = api
            .expect_code::<ListOrgTypesRequest>(&token, json!({}), 0)
            .await;
        assert!(!types["types"].as_array().unwrap().is_empty());
        let identities = api
            .expect_code::<ListIdentityTypesRequest>(&token, json!({}), 0)
            .await;
        assert_eq!(identities["list"].as_array().unwrap().len(), 4);
        api.expect_code::<ListOrgsRequest>(&token, json!({}), 0)
            .await;
        api.expect_code::<GetOrgsByIdsRequest>(&token, json!({"org_ids": [1]}), 0)
            .await;
        let users = api
            .expect_code::<ListOrgUsersRequest>(&token, json!({"org_id": 0}), 0)
            .await;
        assert_eq!(users["total"], 13);
        api.expect_code::<GetUsersByCardNumbersRequest>(
            &token,
            json!({"card_numbers": ["2024000000"]}),
            0,
        )
        .await;
        api.expect_code::<SearchUsersRequest>(&token, json!({"keywords": "2024000000"}), 0)
            .await;
        api.expect_code::<CreateUserRequest>(
            &token,
            serde_json::to_value(user("E1", "A")).unwrap(),
            0,
        )
        .await;
        api.expect_code::<BatchDeleteUsersRequest>(&token, json!({"card_numbers": ["E1"]}), 0)
            .await;
        api.expect_code::<ListUpdateRecordsRequest>(&token, json!({}), 0)
            .await;
        api.expect_code::<GetWxworkUserIdRequest>(&token, json!({"card_number": "2024000000"}), 0)
            .await;
        let counts = api.sandbox.request_counts();
        for id in ENDPOINT_IDS {
            assert_eq!(counts.get(id), Some(&1), "{id}: {counts:?}");
        }
        assert_eq!(counts.len(), 13);
        // Only POST is served.
        let raw = api
            .http
            .get(format!(
                "{}{}",
                api.sandbox.url(),
                GetSchoolInfoRequest::PATH
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(raw.status().as_u16(), 405);
    })
    .await;
}

#[tokio::test]
async fn faults_produce_the_right_status_and_body() {
    bounded(async {
        let api = Api::start(config()).await;
        let token = api.token().await;
        let search = || api.call_raw::<SearchUsersRequest>(&token, json!({"keywords": "x"}));

        for status in [500u16, 502, 429] {
            api.sandbox
                .inject(FaultRule::next(1, Fault::HttpStatus(status)));
            let raw = search().await;
            assert_eq!(raw.status, status);
            assert!(serde_json::from_str::<Value>(&raw.text).is_err());
            assert_eq!(raw.retry_after.is_some(), status == 429);
        }

        api.sandbox.inject(FaultRule::next(1, Fault::NonJsonBody));
        let raw = search().await;
        assert_eq!(raw.status, 200);
        assert!(
            raw.content_type.starts_with("text/html"),
            "{}",
            raw.content_type
        );
        assert!(serde_json::from_str::<Value>(&raw.text).is_err());

        let whole = search().await.text;
        api.sandbox.inject(FaultRule::next(1, Fault::TruncatedBody));
        let raw = search().await;
        assert_eq!(raw.status, 200);
        assert!(
            serde_json::from_str::<Value>(&raw.text).is_err(),
            "{}",
            raw.text
        );
        assert!(whole.starts_with(&raw.text) && raw.text.len() < whole.len());

        // A burst of three 40002 replies, then normal service.
        api.sandbox
            .inject(FaultRule::next(3, Fault::Errcode(40002)));
        for _ in 0..3 {
            assert_eq!(search().await.json()["errcode"], 40002);
        }
        assert_eq!(search().await.json()["errcode"], 0);
        assert_eq!(api.sandbox.active_faults(), 0);

        // Faults can target one endpoint, the token endpoint included.
        api.sandbox
            .inject(FaultRule::next(1, Fault::Errcode(40001)).on("get_token"));
        assert_eq!(search().await.json()["errcode"], 0);
        let reply = api.token_reply(APP, SECRET, SCHOOL).await;
        assert_eq!(reply["errcode"], 40001);
        assert!(reply.get("access_token").is_none());

        // Revoking every token as a fault: this request and later ones with the token fail.
        api.sandbox.inject(FaultRule::next(1, Fault::RevokeTokens));
        assert_eq!(search().await.json()["errcode"], 40005);
        assert_eq!(search().await.json()["errcode"], 40005);
        let token = api.token().await;
        api.expect_code::<SearchUsersRequest>(&token, json!({"keywords": "x"}), 0)
            .await;

        // Latency delays the reply, which is otherwise normal.
        api.sandbox.inject(FaultRule::next(
            1,
            Fault::Latency(Duration::from_millis(300)),
        ));
        let started = Instant::now();
        api.expect_code::<SearchUsersRequest>(&token, json!({"keywords": "x"}), 0)
            .await;
        assert!(started.elapsed() >= Duration::from_millis(300));

        // Faults are counted as requests.
        assert_eq!(api.sandbox.request_count("search_users"), 15);
    })
    .await;
}

#[tokio::test]
async fn probabilistic_faults_are_reproducible() {
    bounded(async {
        async fn pattern() -> Vec<bool> {
            let api = Api::start(config()).await;
            let token = api.token().await;
            api.sandbox.inject(
                FaultRule::with_probability(0.4, 7, Fault::HttpStatus(503))
                    .target(FaultTarget::Api),
            );
            let mut hits = Vec::new();
            for _ in 0..30 {
                let raw = api
                    .call_raw::<SearchUsersRequest>(&token, json!({"keywords": "x"}))
                    .await;
                hits.push(raw.status == 503);
            }
            hits
        }
        let first = pattern().await;
        assert_eq!(first, pattern().await);
        let count = first.iter().filter(|hit| **hit).count();
        assert!((3..27).contains(&count), "{count} of 30");
    })
    .await;
}

#[tokio::test]
async fn dropping_the_handle_frees_the_port() {
    bounded(async {
        let api = Api::start(config()).await;
        let addr = api.sandbox.addr();
        assert_eq!(addr.ip().to_string(), "127.0.0.1");
        api.token().await;
        drop(api);
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match std::net::TcpListener::bind(addr) {
                Ok(_) => break,
                Err(error) if Instant::now() > deadline => {
                    panic!("port {} still bound after drop: {error}", addr.port())
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
        // `shutdown` waits until the server is gone.
        let sandbox = sandbox::start(config()).await.unwrap();
        let addr = sandbox.addr();
        sandbox.shutdown().await;
        std::net::TcpListener::bind(addr).expect("the port is free after shutdown");
    })
    .await;
}
