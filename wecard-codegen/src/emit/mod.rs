//! Emitters: what the generator writes from a [`Model`](crate::Model).

mod code_span;
pub mod docs;
pub mod openapi;
pub mod rust;
