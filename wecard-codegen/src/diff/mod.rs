//! What changed between two specs, and what each change does to the wire and to the generated
//! Rust.
//!
//! Both specs are loaded and checked; their resolved models are compared item by item
//! (endpoints by id, records and enums by name, fields by wire name, codes by value), and every
//! difference becomes a [`Change`] classified on three axes:
//!
//! - [`WireImpact`]: whether old clients still work against a new server (requests) and old
//!   readers still read new replies;
//! - [`Semver`]: what the change does to the Rust API *this generator* writes (public fields,
//!   no `#[non_exhaustive]`, exhaustively matchable open enums, `Option` for optional fields);
//! - docs only: descriptions, notes, examples and the like.
//!
//! Each change is placed in the old file, the new file or both, so it renders like a `check`
//! diagnostic. Changelog discipline (a wire change with no new `changelog` entry naming it, a new
//! field without `since`) is reported alongside.
//!
//! ```no_run
//! use wecard_codegen::diff::{Side, compare, RenderOptions};
//! let old = Side::load("git:HEAD:spec/wecard.yaml")?;
//! let new = Side::load("spec/wecard.yaml")?;
//! let report = compare(&old, &new);
//! print!("{}", report.render(&RenderOptions::default()));
//! # Ok::<(), wecard_codegen::Diagnostics>(())
//! ```

mod changelog;
mod classify;
mod compare;
mod compare_field;
mod compare_types;
mod locate;
mod render;
mod side;

pub use render::RenderOptions;
pub use side::Side;

use std::sync::Arc;

use crate::source::{SourceFile, Span};

/// What a change does on the wire, between old code and a new server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WireImpact {
    /// Old clients and old readers keep working.
    Safe,
    /// Requests that old clients send may now be refused or misread by the server.
    BreaksClients,
    /// Replies the server now sends may not be read by old readers.
    BreaksReaders,
    /// Both of the above.
    BreaksBoth,
}

impl WireImpact {
    /// `safe`, `breaks-old-clients`, `breaks-old-readers` or `breaks-both`.
    pub fn as_str(self) -> &'static str {
        match self {
            WireImpact::Safe => "safe",
            WireImpact::BreaksClients => "breaks-old-clients",
            WireImpact::BreaksReaders => "breaks-old-readers",
            WireImpact::BreaksBoth => "breaks-both",
        }
    }

    /// Whether anything old stops working.
    pub fn is_breaking(self) -> bool {
        self != WireImpact::Safe
    }

    /// The impact of two effects together.
    #[must_use]
    pub fn and(self, other: WireImpact) -> WireImpact {
        use WireImpact::*;
        match (self, other) {
            (Safe, x) | (x, Safe) => x,
            (BreaksClients, BreaksClients) => BreaksClients,
            (BreaksReaders, BreaksReaders) => BreaksReaders,
            _ => BreaksBoth,
        }
    }
}

/// What a change does to the generated Rust API, under Rust's semver rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Semver {
    /// Nothing a user's code can name changes.
    Patch,
    /// Something is added that no existing user code can collide with.
    Minor,
    /// Some user code that compiled before no longer does.
    Major,
}

impl Semver {
    /// `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

/// Which part of the spec a change belongs to; changes are shown grouped by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Group {
    /// The `api:` conventions.
    Api,
    /// An endpoint, by id (the new id when renamed).
    Endpoint(String),
    /// A record, by name.
    Record(String),
    /// An enum, by name.
    Enum(String),
    /// The error-code table.
    ErrorCodes,
    /// The `user:` section.
    User,
    /// The changelog itself.
    Changelog,
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Group::Api => f.write_str("api"),
            Group::Endpoint(id) => write!(f, "endpoint `{id}`"),
            Group::Record(name) => write!(f, "record `{name}`"),
            Group::Enum(name) => write!(f, "enum `{name}`"),
            Group::ErrorCodes => f.write_str("error codes"),
            Group::User => f.write_str("user"),
            Group::Changelog => f.write_str("changelog"),
        }
    }
}

macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// What kind of change it is: a stable identifier for tools and tests.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Kind {
            $($(#[$doc])* $variant,)*
        }

        impl Kind {
            /// The kind as written in JSON output (`field-added`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $text,)*
                }
            }

            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];
        }
    };
}

kinds! {
    /// An `api:` convention changed (base URL, token parameter, content type).
    ApiChanged = "api-changed",
    /// An endpoint appeared.
    EndpointAdded = "endpoint-added",
    /// An endpoint disappeared.
    EndpointRemoved = "endpoint-removed",
    /// An endpoint kept its path but changed its id.
    EndpointRenamed = "endpoint-renamed",
    /// An endpoint moved to another path.
    PathChanged = "path-changed",
    /// An endpoint changed its HTTP method.
    MethodChanged = "method-changed",
    /// The access token travels elsewhere.
    TokenMoved = "token-moved",
    /// The reply gained or lost the envelope.
    EnvelopeChanged = "envelope-changed",
    /// Paging appeared, disappeared or changed.
    PagingChanged = "paging-changed",
    /// A field appeared.
    FieldAdded = "field-added",
    /// A field disappeared.
    FieldRemoved = "field-removed",
    /// A field kept its Rust name but changed its wire name.
    FieldWireRenamed = "field-wire-renamed",
    /// A field kept its wire name but changed its Rust name.
    FieldRustRenamed = "field-rust-renamed",
    /// An optional field became required.
    FieldMadeRequired = "field-made-required",
    /// A required field became optional.
    FieldMadeOptional = "field-made-optional",
    /// A field's type changed.
    FieldTypeChanged = "field-type-changed",
    /// A field became nullable or stopped being nullable.
    FieldNullableChanged = "field-nullable-changed",
    /// A field is written differently when sent (`wire: string`).
    FieldWireFormChanged = "field-wire-form-changed",
    /// A field's reading leniency, secrecy or 需申请 flag changed.
    FieldFlagChanged = "field-flag-changed",
    /// Fields changed order.
    FieldOrderChanged = "field-order-changed",
    /// A validation rule now accepts fewer values.
    RuleTightened = "rule-tightened",
    /// A validation rule now accepts more values.
    RuleLoosened = "rule-loosened",
    /// A validation rule changed in a way that is neither tighter nor looser.
    RuleChanged = "rule-changed",
    /// A generated struct gained or lost `Default`.
    DefaultChanged = "default-changed",
    /// A record appeared.
    RecordAdded = "record-added",
    /// A record disappeared.
    RecordRemoved = "record-removed",
    /// An enum appeared.
    EnumAdded = "enum-added",
    /// An enum disappeared.
    EnumRemoved = "enum-removed",
    /// An enum's codes changed between integers and strings.
    EnumReprChanged = "enum-repr-changed",
    /// An enum gained a code.
    EnumValueAdded = "enum-value-added",
    /// An enum lost a code.
    EnumValueRemoved = "enum-value-removed",
    /// An enum code changed its name.
    EnumValueRenamed = "enum-value-renamed",
    /// The error table gained a code.
    ErrorCodeAdded = "error-code-added",
    /// The error table lost a code.
    ErrorCodeRemoved = "error-code-removed",
    /// An error code changed its name.
    ErrorCodeRenamed = "error-code-renamed",
    /// What a client does about an error code changed.
    ErrorHandlingChanged = "error-handling-changed",
    /// The `user:` section names another endpoint or record, or appeared or disappeared.
    UserChanged = "user-changed",
    /// Descriptions, notes, examples, defaults, sources or `since` dates changed.
    DocsChanged = "docs-changed",
    /// A changelog entry appeared.
    ChangelogAdded = "changelog-added",
    /// A changelog entry disappeared or was rewritten.
    ChangelogRemoved = "changelog-removed",
    /// A wire change that no new changelog entry names.
    ChangelogMissing = "changelog-missing",
    /// A field added to an existing type without `since`.
    SinceMissing = "since-missing",
}

impl Kind {
    /// Whether this kind is a changelog-discipline finding rather than a change.
    pub fn is_discipline(self) -> bool {
        matches!(self, Kind::ChangelogMissing | Kind::SinceMissing)
    }
}

/// One difference between the two specs, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub(crate) kind: Kind,
    pub(crate) group: Group,
    pub(crate) message: String,
    pub(crate) wire: WireImpact,
    pub(crate) semver: Semver,
    pub(crate) docs_only: bool,
    pub(crate) wire_why: Option<String>,
    pub(crate) rust_why: Option<String>,
    pub(crate) help: Option<String>,
    pub(crate) old: Option<Span>,
    pub(crate) new: Option<Span>,
    /// Words a changelog entry may use to name what changed (ids, paths, type and field names).
    pub(crate) terms: Vec<String>,
    /// The `since` date of an added field.
    pub(crate) since: Option<String>,
}

impl Change {
    /// What kind of change.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The endpoint, record, enum or table it belongs to.
    pub fn group(&self) -> &Group {
        &self.group
    }

    /// What changed, in one sentence.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The wire axis.
    pub fn wire(&self) -> WireImpact {
        self.wire
    }

    /// The Rust API axis.
    pub fn semver(&self) -> Semver {
        self.semver
    }

    /// Whether only documentation changed.
    pub fn docs_only(&self) -> bool {
        self.docs_only
    }

    /// Why the wire verdict is what it is, when it is not obvious.
    pub fn wire_reason(&self) -> Option<&str> {
        self.wire_why.as_deref()
    }

    /// Why the semver verdict is what it is, when it is not obvious.
    pub fn rust_reason(&self) -> Option<&str> {
        self.rust_why.as_deref()
    }

    /// Where it is in the old spec.
    pub fn old_span(&self) -> Option<Span> {
        self.old
    }

    /// Where it is in the new spec.
    pub fn new_span(&self) -> Option<Span> {
        self.new
    }

    /// Whether it breaks old code: on the wire, or in the Rust API (semver major).
    pub fn is_breaking(&self) -> bool {
        self.wire.is_breaking() || self.semver == Semver::Major
    }
}

/// Every change between two specs, in spec order and grouped, with the discipline findings.
#[derive(Debug, Clone)]
pub struct Report {
    pub(crate) old: Arc<SourceFile>,
    pub(crate) new: Arc<SourceFile>,
    pub(crate) changes: Vec<Change>,
}

impl Report {
    /// The changes (discipline findings included, last), in group order.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Whether no change was found.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether any change breaks the wire or is semver-major.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(Change::is_breaking)
    }

    /// Changelog-discipline findings.
    pub fn discipline(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.kind.is_discipline())
    }

    /// The version bump a crate that re-exports the generated module needs.
    pub fn bump(&self) -> Semver {
        self.changes
            .iter()
            .filter(|c| !c.kind.is_discipline())
            .map(|c| c.semver)
            .max()
            .unwrap_or(Semver::Patch)
    }
}

/// Compares two loaded specs.
pub fn compare(old: &Side, new: &Side) -> Report {
    let mut changes = compare::compare(old, new);
    let findings = changelog::discipline(old, new, &changes);
    changes.extend(findings);
    Report {
        old: Arc::clone(old.file()),
        new: Arc::clone(new.file()),
        changes,
    }
}
