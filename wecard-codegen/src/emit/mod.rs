//! Emitters: what the generator writes from a [`Model`](crate::Model).

pub mod docs;
pub mod rust;
