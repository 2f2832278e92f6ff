//! A WeCard emulator on loopback, for tests and local development: every endpoint of the spec
//! over an in-memory store, with token issuance, grants, the documented error codes, the
//! update-record journal, paging and fault injection.
//!
//! It parses requests into, validates them with, and answers with the generated types of
//! [`crate::wecard`], so it stays in step with `spec/wecard.yaml`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use generated_example::sandbox::{self, SandboxConfig};
//!
//! let sandbox = sandbox::start(SandboxConfig::demo("app", "secret", "school")).await?;
//! println!("WeCard at {}", sandbox.url());
//! // … point a client at sandbox.url(); dropping `sandbox` stops the server.
//! # Ok(())
//! # }
//! ```
//!
//! How it behaves where the sources are silent is written down beside the code that decides it
//! (the check order in `state.rs`, tokens in `auth.rs`, stored records in `store.rs`, each
//! endpoint in `handlers.rs`, faults at [`Fault`]). In short:
//! - replies are HTTP 200 with `errcode`/`errmsg` (`errmsg` is `"ok"` on success), except the
//!   token endpoint's success body, which has no `errcode`;
//! - 需申请 fields an app was not granted are left out of member records, not nulled;
//! - only an endpoint that names one member (`get_wxwork_user_id`) answers 40007; list lookups
//!   leave unknown card numbers out, and batch delete lists them in `failed_list`;
//! - the check order is: token present where the spec puts it (40009), known (40005), not
//!   expired (40002), school still enables the app (40018), endpoint granted (40008), body
//!   decodes (40009 missing field / 40010), `validate()` (40009 required / 40010), handler;
//! - `create_user` merges into an existing member (absent fields keep their value), creates
//!   missing organisations of its `organization` path, and journals `addUser`/`updateUser`;
//! - tokens live [`SandboxConfig::token_lifetime`]; a new token does not revoke older ones;
//! - with [`SandboxConfig::push_url`], every change is pushed as an encrypted event and retried
//!   on a schedule, every attempt journaled ([`SandboxHandle::push_journal`]); see `push.rs`.
//! - with [`SandboxConfig::drift`] it also sends what the spec does not know (an extra member
//!   field, an unknown `identity_type` code, an unknown `errcode`), for drift reports.

pub mod auth;
mod clock;
mod config;
mod error;
mod faults;
mod handle;
mod handlers;
mod push;
mod rng;
mod server;
mod state;
mod store;

pub use self::config::{
    AppConfig, DEFAULT_TOKEN_LIFETIME, DriftConfig, Grants, SandboxConfig, SchoolConfig,
};
pub use self::error::{ApiError, ErrorBody};
pub use self::faults::{Fault, FaultRule, FaultTarget};
pub use self::handle::SandboxHandle;
pub use self::handlers::{DEFAULT_PAGE_SIZE, UPDATE_RECORDS_PAGE_SIZE};
pub use self::push::{
    DEFAULT_PUSH_TIMEOUT, DEFAULT_RETRY_SCHEDULE, DeliveryAttempt, DeliveryOutcome, PushConfig,
};
pub use self::server::{ENDPOINT_IDS, start};
pub use self::store::{School, Store, StoredUser, demo_users};
