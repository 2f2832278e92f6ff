//! What a sandbox serves: its port, token lifetime, the schools it knows and the apps that may
//! call it, with their grants.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use super::push::PushConfig;
use crate::wecard::LocalDeploy;

/// The lifetime of an access token when the config does not say (TC-87715's usual value).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7200);

/// How a sandbox is set up. Start from [`SandboxConfig::new`] (nothing configured) or
/// [`SandboxConfig::demo`] (one app, one school, demo data) and add to it.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The loopback port to bind; 0 (the default) lets the system choose one.
    pub port: u16,
    /// How long an issued access token lives; sent as `expires_in` (whole seconds).
    pub token_lifetime: Duration,
    /// The schools (subjects) the sandbox knows, by `ocode`.
    pub schools: Vec<SchoolConfig>,
    /// The apps that may ask for tokens.
    pub apps: Vec<AppConfig>,
    /// Seeds the generator of access tokens, so that a run is reproducible.
    pub seed: u64,
    /// Whether every school starts with the demo organisations and members
    /// ([`Store::seed_demo`](super::Store::seed_demo)).
    pub demo_data: bool,
    /// Where every change is pushed as an event, and how ([`SandboxConfig::push_url`]).
    pub push: Option<PushConfig>,
    /// What the sandbox sends that the spec does not know, to exercise a client's drift report.
    pub drift: DriftConfig,
}

/// What a sandbox sends beyond the spec, so that a client's drift report can be tried: an
/// extra field in every member, a code the spec's `IdentityClass` does not list, an `errcode`
/// the error table does not list (once, on one endpoint). Nothing by default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DriftConfig {
    /// A field (name and JSON value) added to every member the sandbox sends.
    pub member_field: Option<(String, serde_json::Value)>,
    /// Sent as every member's `identity_type` instead of its own code.
    pub identity_code: Option<i64>,
    /// An `errcode` (second) answered, without processing, to the first request of an endpoint
    /// (first, by spec id).
    pub error_code: Option<(String, i64)>,
}

impl DriftConfig {
    /// Whether the sandbox sends nothing beyond the spec.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Adds the field `name` with `value` to every member sent.
    pub fn member_field(mut self, name: &str, value: serde_json::Value) -> Self {
        self.member_field = Some((name.to_string(), value));
        self
    }

    /// Sends `code` as every member's `identity_type`.
    pub fn identity_code(mut self, code: i64) -> Self {
        self.identity_code = Some(code);
        self
    }

    /// Answers `code` to the first request of `endpoint` (a spec id, `create_user`).
    pub fn error_code(mut self, endpoint: &str, code: i64) -> Self {
        self.error_code = Some((endpoint.to_string(), code));
        self
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl SandboxConfig {
    /// No schools, no apps, port 0, tokens living [`DEFAULT_TOKEN_LIFETIME`].
    pub fn new() -> Self {
        Self {
            port: 0,
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            schools: Vec::new(),
            apps: Vec::new(),
            seed: 0x5EED_CAFE_F00D_D00D,
            demo_data: false,
            push: None,
            drift: DriftConfig::default(),
        }
    }

    /// One school with demo data and one app with every grant: the quickest way to a working
    /// sandbox.
    pub fn demo(app_key: &str, app_secret: &str, ocode: &str) -> Self {
        Self::new()
            .school(SchoolConfig::new(ocode, "微卡示例大学"))
            .app(AppConfig::new(app_key, app_secret).enable(ocode))
            .with_demo_data(true)
    }

    /// Sets the port (0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets the lifetime of issued tokens.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Adds a school.
    pub fn school(mut self, school: SchoolConfig) -> Self {
        self.schools.push(school);
        self
    }

    /// Adds an app.
    pub fn app(mut self, app: AppConfig) -> Self {
        self.apps.push(app);
        self
    }

    /// Sets the seed of the token generator.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Pushes every change to `url` as an encrypted event, on the default retry schedule
    /// ([`PushConfig::new`]).
    pub fn push_url(self, url: &str) -> Self {
        self.push(PushConfig::new(url))
    }

    /// Pushes every change as [`PushConfig`] says (its URL, schedule, scale, encoding).
    pub fn push(mut self, push: PushConfig) -> Self {
        self.push = Some(push);
        self
    }

    /// Sends what `drift` describes beyond the spec (extra member fields, unknown codes).
    pub fn drift(mut self, drift: DriftConfig) -> Self {
        self.drift = drift;
        self
    }

    /// Turns the demo data on or off.
    pub fn with_demo_data(mut self, on: bool) -> Self {
        self.demo_data = on;
        self
    }
}

/// A school (a WeCard "subject"), identified by its `ocode`, and what `get_school_info`
/// answers about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolConfig {
    /// The school's code.
    pub ocode: String,
    /// 学校名称.
    pub name: String,
    /// 校徽 (a URL).
    pub badge: Option<String>,
    /// 管理后台 logo (a URL).
    pub manage_logo: Option<String>,
    /// 私有化部署的域名.
    pub local_host: Option<String>,
    /// 部署方式.
    pub local_deploy: LocalDeploy,
    /// 网关域名.
    pub gate_host: Option<String>,
}

impl SchoolConfig {
    /// A school deployed by WeCard itself, with a badge and a logo under `example.invalid`.
    pub fn new(ocode: &str, name: &str) -> Self {
        Self {
            ocode: ocode.to_string(),
            name: name.to_string(),
            badge: Some(format!("https://example.invalid/{ocode}/badge.png")),
            manage_logo: Some(format!("https://example.invalid/{ocode}/logo.png")),
            local_host: None,
            local_deploy: LocalDeploy::Wecard,
            gate_host: None,
        }
    }
}

/// Which of a set of names (需申请 fields, endpoint ids) an app was granted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Grants {
    /// Every one.
    #[default]
    All,
    /// Only these.
    Only(BTreeSet<String>),
}

impl Grants {
    /// None at all.
    pub fn none() -> Self {
        Self::Only(BTreeSet::new())
    }

    /// Exactly these names.
    pub fn only<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::Only(names.into_iter().map(Into::into).collect())
    }

    /// Whether `name` is granted.
    pub fn allows(&self, name: &str) -> bool {
        match self {
            Self::All => true,
            Self::Only(names) => names.contains(name),
        }
    }
}

/// An app: its credentials, the schools that enabled it, and what it was granted.
#[derive(Clone, PartialEq)]
pub struct AppConfig {
    /// The app's key.
    pub app_key: String,
    /// The app's secret. Never shown by `Debug`.
    pub app_secret: String,
    /// The `ocode`s of the schools that enabled the app; any other known school answers 40018.
    pub schools: BTreeSet<String>,
    /// The 需申请 member fields (`Member::NEEDS_GRANT`) the app may read; the others are left out
    /// of its replies.
    pub fields: Grants,
    /// The endpoints (by spec id, `search_users`) the app may call; the others answer 40008.
    /// The token endpoint is always allowed.
    pub endpoints: Grants,
}

impl AppConfig {
    /// An app enabled nowhere yet, granted every field and every endpoint.
    pub fn new(app_key: &str, app_secret: &str) -> Self {
        Self {
            app_key: app_key.to_string(),
            app_secret: app_secret.to_string(),
            schools: BTreeSet::new(),
            fields: Grants::All,
            endpoints: Grants::All,
        }
    }

    /// Marks the app as enabled by the school `ocode`.
    pub fn enable(mut self, ocode: &str) -> Self {
        self.schools.insert(ocode.to_string());
        self
    }

    /// Sets the granted 需申请 fields.
    pub fn fields(mut self, fields: Grants) -> Self {
        self.fields = fields;
        self
    }

    /// Sets the granted endpoints.
    pub fn endpoints(mut self, endpoints: Grants) -> Self {
        self.endpoints = endpoints;
        self
    }
}

impl fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppConfig")
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .field("schools", &self.schools)
            .field("fields", &self.fields)
            .field("endpoints", &self.endpoints)
            .finish()
    }
}
