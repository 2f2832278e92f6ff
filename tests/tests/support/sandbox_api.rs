//! What the sandbox tests share: a sandbox with two schools, a raw HTTP client for it, and
//! builders for requests. Each test binary uses part of it.

#![allow(
    dead_code,
    unused_imports,
    reason = "each test binary uses a different part"
)]

pub use std::future::Future;
pub use std::time::{Duration, Instant};

pub use generated_example::sandbox::{
    self, AppConfig, ENDPOINT_IDS, Fault, FaultRule, FaultTarget, Grants, SandboxConfig,
    SandboxHandle, SchoolConfig,
};
pub use generated_example::wecard::{
    BatchDeleteUsersRequest, CreateUserRequest, DateTime, Endpoint, GetOrgsByIdsRequest,
    GetSchoolInfoRequest, GetTokenRequest, GetUsersByCardNumbersRequest, GetWxworkUserIdRequest,
    ListIdentityTypesRequest, ListOrgTypesRequest, ListOrgUsersRequest, ListOrgUsersResponse,
    ListOrgsRequest, ListOrgsResponse, ListUpdateRecordsRequest, ListUpdateRecordsResponse, Member,
    SearchUsersRequest, SearchUsersResponse, TokenPlacement, UpdateType,
};
pub use serde_json::{Value, json};

pub const APP: &str = "app-key-1";
pub const SECRET: &str = "app-secret-1-do-not-print";
pub const SCHOOL: &str = "school-1";
pub const OTHER_SCHOOL: &str = "school-2";

/// Runs a test body with a time limit.
pub async fn bounded<F: Future<Output = ()>>(body: F) {
    tokio::time::timeout(Duration::from_secs(30), body)
        .await
        .expect("the test took longer than 30 s");
}

/// Two schools; APP is enabled by SCHOOL only.
pub fn config() -> SandboxConfig {
    SandboxConfig::new()
        .token_lifetime(Duration::from_secs(120))
        .school(SchoolConfig::new(SCHOOL, "一号学校"))
        .school(SchoolConfig::new(OTHER_SCHOOL, "二号学校"))
        .app(AppConfig::new(APP, SECRET).enable(SCHOOL))
}

pub struct Api {
    pub http: reqwest::Client,
    pub sandbox: SandboxHandle,
}

/// A raw reply: status, content type and body text.
pub struct Raw {
    pub status: u16,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub text: String,
}

impl Raw {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text))
    }
}

impl Api {
    pub async fn start(config: SandboxConfig) -> Self {
        let sandbox = sandbox::start(config).await.expect("the sandbox starts");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        Self { http, sandbox }
    }

    pub async fn raw(&self, path: &str, query_token: Option<&str>, body: String) -> Raw {
        let mut url = format!("{}{path}", self.sandbox.url());
        if let Some(token) = query_token {
            url.push_str("?access_token=");
            url.push_str(token);
        }
        let reply = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("the sandbox answers");
        let header = |name: &str| {
            reply
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        Raw {
            status: reply.status().as_u16(),
            content_type: header("content-type").unwrap_or_default(),
            retry_after: header("retry-after"),
            text: reply.text().await.expect("a body"),
        }
    }

    pub async fn token_reply(&self, app_key: &str, secret: &str, ocode: &str) -> Value {
        let body = json!({
            "app_key": app_key,
            "app_secret": secret,
            "grant_type": "client_credentials",
            "scope": "base",
            "ocode": ocode,
        });
        let raw = self
            .raw(GetTokenRequest::PATH, None, body.to_string())
            .await;
        assert_eq!(raw.status, 200);
        raw.json()
    }

    pub async fn token_for(&self, app_key: &str, secret: &str) -> String {
        let reply = self.token_reply(app_key, secret, SCHOOL).await;
        reply["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {reply}"))
            .to_string()
    }

    pub async fn token(&self) -> String {
        self.token_for(APP, SECRET).await
    }

    /// Calls endpoint `E` with `token` where the spec puts it; the JSON reply.
    pub async fn call<E: Endpoint>(&self, token: &str, body: Value) -> Value {
        let raw = self.call_raw::<E>(token, body).await;
        assert_eq!(raw.status, 200, "{}", raw.text);
        raw.json()
    }

    pub async fn call_raw<E: Endpoint>(&self, token: &str, mut body: Value) -> Raw {
        match E::TOKEN {
            TokenPlacement::Body => {
                body["access_token"] = json!(token);
                self.raw(E::PATH, None, body.to_string()).await
            }
            _ => self.raw(E::PATH, Some(token), body.to_string()).await,
        }
    }

    /// Calls `E` and checks the errcode.
    pub async fn expect_code<E: Endpoint>(&self, token: &str, body: Value, code: i64) -> Value {
        let reply = self.call::<E>(token, body).await;
        assert_eq!(reply["errcode"], code, "{} answered {reply}", E::ID);
        reply
    }

    pub fn seed_users(&self, count: usize, organization: &str) -> Vec<String> {
        (0..count)
            .map(|index| {
                let card_number = format!("S{index:04}");
                self.sandbox
                    .upsert_user(SCHOOL, user(&card_number, organization))
                    .unwrap();
                card_number
            })
            .collect()
    }
}

pub fn user(card_number: &str, organization: &str) -> CreateUserRequest {
    CreateUserRequest {
        card_number: card_number.to_string(),
        name: format!("学生{card_number}"),
        gender: Some("女".to_string()),
        grade: Some("2016".to_string()),
        class: Some("1班".to_string()),
        identity_type: "学生".to_string(),
        identity_title: "本科生".to_string(),
        telephone: Some("13800001111".to_string()),
        id_card: Some("110101200203190011".to_string()),
        organization: organization.to_string(),
        ..CreateUserRequest::default()
    }
}

pub fn at(text: &str) -> DateTime {
    DateTime::parse(text).unwrap()
}
