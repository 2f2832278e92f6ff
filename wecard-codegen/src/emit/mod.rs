//! Emitters: what the generator writes from a [`Model`](crate::Model).

pub mod docs;
pub mod openapi;
pub mod rust;
