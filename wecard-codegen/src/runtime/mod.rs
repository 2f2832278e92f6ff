//! Code that is both used by the generator and emitted, verbatim, into generated code.

pub(crate) mod formats;
