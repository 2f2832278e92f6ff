//! A real consumer of wecard-codegen: its `build.rs` generates the WeCard API from
//! `spec/wecard.yaml`, and this crate exposes it as [`wecard`].

/// The WeCard open API: request and reply types, validators, error codes, generated at build
/// time from `spec/wecard.yaml`.
pub mod wecard {
    include!(concat!(env!("OUT_DIR"), "/wecard.rs"));
}

pub mod sandbox;

pub mod apply;
pub mod calendar;
pub mod plan;
pub mod roster;
pub mod sync;
