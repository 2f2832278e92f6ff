//! Push-event crypto against vectors made by the openssl command line (see
//! `fixtures/push/make-vectors.sh` and `fixtures/push/ours/decrypt-ours.sh` for the exact
//! commands), and the receiver on every kind of bad input.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use serde::Deserialize;
use wecard_runtime::events::{
    Ack, Cipher, CipherError, Encoding, EventError, PushBody, PushEvent, Receiver,
};

const APP_KEY: &str = "demo-app-key-001";
const APP_SECRET: &str = "demo-app-secret-0001";

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/push")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).expect("fixtures are text")
}

fn cipher() -> Cipher {
    Cipher::new(APP_KEY, APP_SECRET).expect("demo credentials make a cipher")
}

const PLAINTEXTS: &[&str] = &["org.json", "user.json", "aligned.json", "usable_range.json"];

#[test]
fn openssl_ciphertexts_decrypt_to_their_plaintexts() {
    for name in PLAINTEXTS {
        let plain = fixture(name);
        for encoding in ["hex", "b64"] {
            let sealed = fixture_text(&format!("{name}.{encoding}"));
            assert_eq!(
                cipher().decrypt(&sealed),
                Ok(plain.clone()),
                "{name}.{encoding}"
            );
        }
    }
}

#[test]
fn our_ciphertexts_are_the_ones_openssl_makes() {
    for name in PLAINTEXTS {
        let plain = fixture(name);
        let hex = cipher().encrypt(&plain).expect("JSON encrypts");
        assert_eq!(hex, fixture_text(&format!("{name}.hex")), "{name} as hex");
        let base64 = cipher()
            .with_encoding(Encoding::Base64)
            .encrypt(&plain)
            .expect("JSON encrypts");
        assert_eq!(
            base64,
            fixture_text(&format!("{name}.b64")),
            "{name} as base64"
        );
    }
}

#[test]
fn openssl_decrypts_ours_to_the_zero_padded_plaintext() {
    let plain = fixture("ours/member.json");
    let mut padded = plain.clone();
    padded.resize(plain.len().div_ceil(16) * 16, 0);
    for (encoding, suffix) in [(Encoding::Hex, "hex"), (Encoding::Base64, "b64")] {
        let ours = cipher()
            .with_encoding(encoding)
            .encrypt(&plain)
            .expect("encrypts");
        assert_eq!(ours, fixture_text(&format!("ours/member.json.{suffix}")));
        assert_eq!(
            fixture(&format!("ours/member.json.{suffix}.openssl")),
            padded
        );
    }
}

#[test]
fn bad_ciphertexts_are_typed_errors() {
    let sealed = fixture_text("org.json.hex");
    assert_eq!(
        cipher().decrypt(&sealed[..sealed.len() - 32]),
        Ok(fixture("org.json")[..64].to_vec()),
        "a block short: whole blocks decrypt, and the cut shows only in the JSON"
    );
    assert_eq!(
        cipher().decrypt(&sealed[..sealed.len() - 2]),
        Err(CipherError::Length { len: 79 })
    );
    assert_eq!(cipher().decrypt("zz-not-hex!"), Err(CipherError::Encoding));
    assert_eq!(cipher().decrypt(""), Err(CipherError::Length { len: 0 }));
    assert_eq!(
        cipher().decrypt(&fixture_text("bad_padding.bin.hex")),
        Err(CipherError::Padding)
    );
    let other = Cipher::new(APP_KEY, "another-secret-of-the-app").expect("cipher");
    assert!(
        other
            .decrypt(&sealed)
            .is_err_and(|e| e == CipherError::Padding)
            || {
                let plain = other.decrypt(&sealed).expect("checked above");
                serde_json::from_slice::<serde_json::Value>(&plain).is_err()
            }
    );
}

/// A small stand-in for a generated `Event` enum.
#[derive(Debug, Clone, PartialEq)]
enum TestEvent {
    AddOrg(Org),
    AddUser(User),
    Unknown {
        code: String,
        data: serde_json::Value,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
struct Org {
    id: u64,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
struct User {
    card_number: String,
    name: String,
}

impl PushEvent for TestEvent {
    fn from_push(code: &str, data: serde_json::Value) -> Result<Self, serde_json::Error> {
        Ok(match code {
            "addOrg" => TestEvent::AddOrg(serde_json::from_value(data)?),
            "addUser" => TestEvent::AddUser(serde_json::from_value(data)?),
            _ => TestEvent::Unknown {
                code: code.to_string(),
                data,
            },
        })
    }

    fn code(&self) -> &str {
        match self {
            TestEvent::AddOrg(_) => "addOrg",
            TestEvent::AddUser(_) => "addUser",
            TestEvent::Unknown { code, .. } => code,
        }
    }

    fn to_data(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            TestEvent::AddOrg(org) => serde_json::to_value(org),
            TestEvent::AddUser(user) => serde_json::to_value(user),
            TestEvent::Unknown { data, .. } => Ok(data.clone()),
        }
    }
}

fn receiver() -> Receiver<TestEvent> {
    Receiver::new(APP_KEY, APP_SECRET).expect("demo credentials")
}

fn body(event: &str, raw_data: &str) -> Vec<u8> {
    serde_json::to_vec(&PushBody {
        app_key: APP_KEY.to_string(),
        school_code: "demo-school".to_string(),
        event: event.to_string(),
        raw_data: raw_data.to_string(),
    })
    .expect("serializes")
}

fn assert_secret_free(ack: &Ack, error: &EventError) {
    for text in [
        ack.message.clone(),
        error.to_string(),
        format!("{error:?}"),
        format!("{:?}", receiver()),
    ] {
        assert!(!text.contains(APP_SECRET), "{text}");
        assert!(!text.contains("demo-app-secret"), "{text}");
        assert!(!text.contains(APP_KEY), "{text}");
    }
}

#[test]
fn documented_events_in_hex_and_base64_are_typed_and_acked() {
    for encoding in ["hex", "b64"] {
        let raw = fixture_text(&format!("org.json.{encoding}"));
        let (ack, outcome) = receiver().handle(&body("addOrg", &raw));
        assert_eq!(ack.to_bytes(), br#"{"code":0,"message":"ok"}"#);
        let received = outcome.expect("a documented event");
        assert_eq!(received.school_code, "demo-school");
        assert_eq!(
            received.event,
            TestEvent::AddOrg(Org {
                id: 12,
                name: "一年级".to_string()
            })
        );
        let raw = fixture_text(&format!("user.json.{encoding}"));
        let (ack, outcome) = receiver().handle(&body("addUser", &raw));
        assert!(ack.is_ok());
        assert!(matches!(outcome, Ok(r) if r.event.code() == "addUser"));
    }
}

#[test]
fn an_unknown_code_keeps_its_decrypted_json() {
    let raw = fixture_text("usable_range.json.hex");
    let (ack, outcome) = receiver().handle(&body("addUsableRange", &raw));
    assert!(ack.is_ok());
    let expected: serde_json::Value =
        serde_json::from_slice(&fixture("usable_range.json")).expect("fixture is JSON");
    assert_eq!(
        outcome.map(|r| r.event),
        Ok(TestEvent::Unknown {
            code: "addUsableRange".to_string(),
            data: expected
        })
    );
}

#[test]
fn every_bad_push_is_refused_with_a_non_zero_code() {
    let org = fixture_text("org.json.hex");
    let wrong_key = serde_json::to_vec(&PushBody {
        app_key: "someone-elses-k".to_string(),
        school_code: "demo-school".to_string(),
        event: "addOrg".to_string(),
        raw_data: org.clone(),
    })
    .expect("serializes");
    let cases: Vec<(&str, Vec<u8>, EventError)> = vec![
        ("wrong app_key", wrong_key, EventError::WrongAppKey),
        (
            "truncated by a block",
            body("addOrg", &org[..org.len() - 32]),
            EventError::NotJson,
        ),
        (
            "cut to an odd length (read as base64, then not whole blocks)",
            body("addOrg", &org[..31]),
            EventError::Cipher(CipherError::Length { len: 23 }),
        ),
        (
            "not hex or base64",
            body("addOrg", "this is not a ciphertext"),
            EventError::Cipher(CipherError::Encoding),
        ),
        (
            "wrong padding",
            body("addOrg", &fixture_text("bad_padding.bin.hex")),
            EventError::Cipher(CipherError::Padding),
        ),
        (
            "not JSON",
            body("addOrg", &fixture_text("not_json.bin.b64")),
            EventError::NotJson,
        ),
        (
            "payload of the wrong shape",
            body("addOrg", &fixture_text("user.json.hex")),
            EventError::Payload {
                code: "addOrg".to_string(),
                reason: "a field is missing or has the wrong type".to_string(),
            },
        ),
    ];
    for (what, bytes, expected) in cases {
        let (ack, outcome) = receiver().handle(&bytes);
        let error = outcome.expect_err(what);
        assert_eq!(error, expected, "{what}");
        assert_eq!(ack.code, expected.reply_code(), "{what}");
        assert_ne!(ack.code, 0, "{what}");
        assert_secret_free(&ack, &error);
    }
}

#[test]
fn bodies_that_are_not_pushes_are_refused() {
    for bytes in [
        &b""[..],
        b"{",
        b"[]",
        b"{\"app_key\":1}",
        b"\xff\xfe",
        b"{\"app_key\":\"demo-app-key-001\",\"school_code\":\"s\",\"event\":\"addOrg\"}",
    ] {
        let (ack, outcome) = receiver().handle(bytes);
        assert!(matches!(outcome, Err(EventError::Body { .. })), "{bytes:?}");
        assert_eq!(ack.code, 1);
        assert!(
            ack.message.starts_with("the body is not a push"),
            "{}",
            ack.message
        );
    }
}

#[test]
fn a_sealed_body_is_received_as_the_same_event() {
    let event = TestEvent::AddUser(User {
        card_number: "42".to_string(),
        name: "王五".to_string(),
    });
    for encoding in [Encoding::Hex, Encoding::Base64] {
        let cipher = cipher().with_encoding(encoding);
        let sealed = PushBody::seal(&cipher, APP_KEY, "demo-school", &event).expect("seals");
        let bytes = serde_json::to_vec(&sealed).expect("serializes");
        let (ack, outcome) = receiver().handle(&bytes);
        assert!(ack.is_ok());
        assert_eq!(outcome.map(|r| r.event), Ok(event.clone()));
    }
}
