//! The sandbox's access rules over raw HTTP on loopback: token issuance and every error code,
//! token placement, missing and invalid parameters, and grants. (The generated client against
//! the sandbox is tested in `client_sandbox.rs`.) Every test is bounded by a timeout.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/sandbox_api.rs"]
mod sandbox_api;

use sandbox_api::*;

#[tokio::test]
async fn token_success_body_has_no_errcode() {
    bounded(async {
        let api = Api::start(config()).await;
        let reply = api.token_reply(APP, SECRET, SCHOOL).await;
        let object = reply.as_object().unwrap();
        assert!(!object.contains_key("errcode"), "{reply}");
        assert_eq!(reply["token_type"], "bearer");
        assert_eq!(reply["ocode"], SCHOOL);
        assert_eq!(reply["expires_in"], 120);
        assert!(
            reply["access_token"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert_eq!(api.sandbox.token_requests(APP), 1);
        assert_eq!(api.sandbox.tokens_issued(APP), 1);
        assert_eq!(api.sandbox.request_count("get_token"), 1);
        // Neither the handle nor the config shows a credential.
        let token = reply["access_token"].as_str().unwrap();
        let shown = format!("{:?} {:?}", api.sandbox, config());
        assert!(!shown.contains(token) && !shown.contains(SECRET), "{shown}");
    })
    .await;
}

#[tokio::test]
async fn token_failures_carry_the_documented_codes() {
    bounded(async {
        let api = Api::start(config()).await;
        let cases = [
            (APP, "wrong-secret", SCHOOL, 40001),
            ("no-such-app", SECRET, SCHOOL, 40001),
            (APP, SECRET, "no-such-school", 40006),
            (APP, SECRET, OTHER_SCHOOL, 40018),
        ];
        for (app_key, secret, ocode, code) in cases {
            let reply = api.token_reply(app_key, secret, ocode).await;
            assert_eq!(reply["errcode"], code, "{reply}");
            assert!(reply.get("access_token").is_none(), "{reply}");
            assert!(reply["errmsg"].as_str().is_some_and(|m| !m.is_empty()));
            assert!(!reply.to_string().contains(SECRET));
        }
        let missing = json!({"app_key": APP, "grant_type": "client_credentials", "scope": "base", "ocode": SCHOOL});
        let raw = api.raw(GetTokenRequest::PATH, None, missing.to_string()).await;
        assert_eq!(raw.json()["errcode"], 40009, "{}", raw.text);
        let wrong_grant = json!({"app_key": APP, "app_secret": SECRET, "grant_type": "password", "scope": "base", "ocode": SCHOOL});
        let raw = api.raw(GetTokenRequest::PATH, None, wrong_grant.to_string()).await;
        assert_eq!(raw.json()["errcode"], 40010, "{}", raw.text);
        let secret_as_number = json!({"app_key": APP, "app_secret": 987654321, "grant_type": "client_credentials", "scope": "base", "ocode": SCHOOL});
        let raw = api.raw(GetTokenRequest::PATH, None, secret_as_number.to_string()).await;
        assert_eq!(raw.json()["errcode"], 40010, "{}", raw.text);
        assert!(!raw.text.contains("987654321"), "the secret is echoed: {}", raw.text);
        let raw = api.raw(GetTokenRequest::PATH, None, "not json".into()).await;
        assert_eq!(raw.json()["errcode"], 40010, "{}", raw.text);
        assert_eq!(api.sandbox.tokens_issued(APP), 0);
        assert_eq!(api.sandbox.token_requests(APP), 6);
    })
    .await;
}

#[tokio::test]
async fn expired_unknown_and_revoked_tokens_differ() {
    bounded(async {
        let api = Api::start(config()).await;
        api.sandbox.set_clock(at("2024-05-01 10:00:00"));
        let token = api.token().await;
        api.expect_code::<GetSchoolInfoRequest>(&token, json!({}), 0)
            .await;
        api.sandbox.advance_clock(Duration::from_secs(119));
        api.expect_code::<GetSchoolInfoRequest>(&token, json!({}), 0)
            .await;
        api.sandbox.advance_clock(Duration::from_secs(1));
        api.expect_code::<GetSchoolInfoRequest>(&token, json!({}), 40002)
            .await;
        api.expect_code::<GetSchoolInfoRequest>("never-issued", json!({}), 40005)
            .await;

        let fresh = api.token().await;
        api.expect_code::<GetSchoolInfoRequest>(&fresh, json!({}), 0)
            .await;
        api.sandbox.expire_tokens();
        api.expect_code::<GetSchoolInfoRequest>(&fresh, json!({}), 40002)
            .await;

        let again = api.token().await;
        api.sandbox.revoke_tokens();
        api.expect_code::<GetSchoolInfoRequest>(&again, json!({}), 40005)
            .await;

        api.sandbox.set_token_lifetime(Duration::from_secs(5));
        let reply = api.token_reply(APP, SECRET, SCHOOL).await;
        assert_eq!(reply["expires_in"], 5);
        assert_eq!(api.sandbox.tokens_issued(APP), 4);
    })
    .await;
}

#[tokio::test]
async fn the_token_must_travel_where_the_spec_puts_it() {
    bounded(async {
        let api = Api::start(config()).await;
        let token = api.token().await;
        // Query endpoints: a token in the body only is missing.
        let body = json!({"access_token": token, "keywords": "x"}).to_string();
        let raw = api.raw(SearchUsersRequest::PATH, None, body).await;
        assert_eq!(raw.json()["errcode"], 40009, "{}", raw.text);
        // Body endpoints: a token in the query only is missing.
        let raw = api
            .raw(ListUpdateRecordsRequest::PATH, Some(&token), "{}".into())
            .await;
        assert_eq!(raw.json()["errcode"], 40009, "{}", raw.text);
        let raw = api
            .raw(
                BatchDeleteUsersRequest::PATH,
                Some(&token),
                json!({"card_numbers": ["x"]}).to_string(),
            )
            .await;
        assert_eq!(raw.json()["errcode"], 40009, "{}", raw.text);
        // Where the spec puts it, both work.
        api.expect_code::<ListUpdateRecordsRequest>(&token, json!({}), 0)
            .await;
        api.expect_code::<SearchUsersRequest>(&token, json!({"keywords": "x"}), 0)
            .await;
    })
    .await;
}

#[tokio::test]
async fn missing_and_invalid_parameters() {
    bounded(async {
        let api = Api::start(config()).await;
        let token = api.token().await;
        api.expect_code::<SearchUsersRequest>(&token, json!({}), 40009)
            .await;
        api.expect_code::<SearchUsersRequest>(&token, json!({"keywords": "  "}), 40009)
            .await;
        let mut incomplete = serde_json::to_value(user("C1", "A/B")).unwrap();
        incomplete.as_object_mut().unwrap().remove("organization");
        api.expect_code::<CreateUserRequest>(&token, incomplete, 40009)
            .await;
        let too_long = serde_json::to_value(user(&"9".repeat(33), "A/B")).unwrap();
        api.expect_code::<CreateUserRequest>(&token, too_long, 40010)
            .await;
        // A head image that is neither a URL nor a path breaks a default rule; an e-mail
        // address is a strict (data-quality) rule, which the API is not said to enforce.
        let bad_image = serde_json::to_value(CreateUserRequest {
            head_image: Some("xx.png".into()),
            ..user("C2", "A/B")
        })
        .unwrap();
        api.expect_code::<CreateUserRequest>(&token, bad_image, 40010)
            .await;
        api.expect_code::<ListOrgUsersRequest>(&token, json!({"org_id": "abc"}), 40010)
            .await;
        api.expect_code::<ListOrgUsersRequest>(
            &token,
            json!({"org_id": 0, "page_size": 5001}),
            40010,
        )
        .await;
        api.expect_code::<ListOrgUsersRequest>(
            &token,
            json!({"org_id": 0, "fetch_child": 2}),
            40010,
        )
        .await;
        api.expect_code::<ListOrgUsersRequest>(&token, json!({"org_id": 424242}), 40010)
            .await;
        api.expect_code::<ListUpdateRecordsRequest>(&token, json!({"page_size": 1001}), 40010)
            .await;
        api.expect_code::<BatchDeleteUsersRequest>(&token, json!({"card_numbers": []}), 40010)
            .await;
        api.expect_code::<GetOrgsByIdsRequest>(&token, json!({}), 40009)
            .await;
        let raw = api
            .raw(SearchUsersRequest::PATH, Some(&token), "{not json".into())
            .await;
        assert_eq!(raw.json()["errcode"], 40010);
        let raw = api
            .raw(SearchUsersRequest::PATH, Some(&token), "[1]".into())
            .await;
        assert_eq!(raw.json()["errcode"], 40010);
        // Nothing was stored by the refused creations.
        assert!(api.sandbox.users(SCHOOL).is_empty());
    })
    .await;
}

#[tokio::test]
async fn grants_hide_fields_and_endpoints() {
    bounded(async {
        let mut config = config();
        config = config.app(
            AppConfig::new("narrow-app", "narrow-secret")
                .enable(SCHOOL)
                .fields(Grants::only(["grade", "organization"]))
                .endpoints(Grants::only([
                    SearchUsersRequest::ID,
                    GetUsersByCardNumbersRequest::ID,
                ])),
        );
        let api = Api::start(config).await;
        api.seed_users(1, "学院/系");
        let full = api.token().await;
        let narrow = api.token_for("narrow-app", "narrow-secret").await;

        let reply = api
            .expect_code::<SearchUsersRequest>(&full, json!({"keywords": "S0000"}), 0)
            .await;
        let member = &reply["userlist"][0];
        for field in [
            "grade",
            "class",
            "gender",
            "telephone",
            "id_card",
            "birthday",
            "organization",
        ] {
            assert!(
                member.get(field).is_some(),
                "{field} missing for a full grant: {member}"
            );
        }

        for request in [
            (SearchUsersRequest::ID, json!({"keywords": "S0000"})),
            (
                GetUsersByCardNumbersRequest::ID,
                json!({"card_numbers": ["S0000"]}),
            ),
        ] {
            let reply = if request.0 == SearchUsersRequest::ID {
                api.expect_code::<SearchUsersRequest>(&narrow, request.1, 0)
                    .await
            } else {
                api.expect_code::<GetUsersByCardNumbersRequest>(&narrow, request.1, 0)
                    .await
            };
            let member = reply["userlist"][0].as_object().unwrap().clone();
            assert_eq!(member["grade"], "2016");
            assert!(member["organization"].is_array());
            for field in Member::NEEDS_GRANT {
                if !["grade", "organization"].contains(field) {
                    assert!(
                        !member.contains_key(*field),
                        "{field} shown without a grant: {member:?}"
                    );
                }
            }
            // Fields that need no grant are still there.
            assert_eq!(member["card_number"], "S0000");
            assert_eq!(member["identity_type"], "2");
            assert!(member.contains_key("start_at"));
            // And the reply still reads into the generated type.
            let typed: Member = serde_json::from_value(Value::Object(member)).unwrap();
            assert_eq!(typed.telephone, None);
        }

        api.expect_code::<ListOrgsRequest>(&narrow, json!({}), 40008)
            .await;
        api.expect_code::<CreateUserRequest>(
            &narrow,
            serde_json::to_value(user("N1", "A")).unwrap(),
            40008,
        )
        .await;
        assert_eq!(api.sandbox.user(SCHOOL, "N1"), None);

        // Grants change at run time, for tokens already issued too.
        assert!(
            api.sandbox
                .update_app("narrow-app", |app| app.endpoints = Grants::All)
        );
        api.expect_code::<ListOrgsRequest>(&narrow, json!({}), 0)
            .await;
        // So does whether the school enables the app.
        assert!(
            api.sandbox
                .update_app("narrow-app", |app| app.schools.clear())
        );
        api.expect_code::<ListOrgsRequest>(&narrow, json!({}), 40018)
            .await;
    })
    .await;
}

#[tokio::test]
async fn token_requests_with_huge_unknown_keys_leave_nothing_behind() {
    bounded(async {
        let api = Api::start(config()).await;
        let huge = "k".repeat(1_900_000);
        for i in 0..60 {
            let key = format!("{huge}{i}");
            let reply = api.token_reply(&key, SECRET, SCHOOL).await;
            assert_eq!(reply["errcode"], 40001);
        }
        assert_eq!(api.sandbox.unknown_token_requests(), 60);
        assert_eq!(api.sandbox.token_requests(&format!("{huge}0")), 0);
        // The handle's Debug shows the counters: no key was kept.
        assert!(format!("{:?}", api.sandbox).len() < 10_000);
        assert_eq!(api.sandbox.token_requests(APP), 0);
        api.token_reply(APP, SECRET, SCHOOL).await;
        assert_eq!(api.sandbox.token_requests(APP), 1);
        assert_eq!(api.sandbox.live_tokens(), 1);
    })
    .await;
}
