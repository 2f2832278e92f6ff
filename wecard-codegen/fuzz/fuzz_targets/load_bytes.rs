//! Any bytes given to `load_bytes` give a model or diagnostics, never a panic, a hang or
//! unbounded memory; every diagnostic points inside the file; an accepted spec generates.
//!
//! Run with `cargo +nightly fuzz run load_bytes` from `wecard-codegen/` (see README.md).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    match wecard_codegen::load_bytes("fuzz.yaml", bytes) {
        Ok(model) => {
            let options = wecard_codegen::emit::rust::Options::default();
            // Generation may refuse (an error is an answer); it must not panic.
            let _ = wecard_codegen::emit::rust::generate(&model, &options);
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            let text = String::from_utf8_lossy(bytes);
            // Lines as editors count them: `\n`, `\r\n`, or a lone `\r`.
            let lines = 1 + text.matches('\n').count() + text.matches('\r').count()
                - text.matches("\r\n").count();
            for diagnostic in &diagnostics {
                if let Some(span) = diagnostic.span() {
                    assert!(span.line >= 1 && span.line as usize <= lines + 1);
                    assert!(span.column >= 1);
                }
                let _ = diagnostic.render(false);
            }
        }
    }
});
