//! A types-only host for `#[derive(WecardUser)]`'s UI tests: the bundled spec's generated
//! module and nothing else, so that trybuild compiles serde and the runtime, not an HTTP stack.

/// The WeCard API, generated from the bundled spec (types only).
pub mod wecard {
    include!(concat!(env!("OUT_DIR"), "/wecard.rs"));
}
