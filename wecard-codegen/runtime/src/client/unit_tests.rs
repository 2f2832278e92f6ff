//! Unit tests of the client's text handling: redaction, token lifetimes, decode messages.

use std::time::Duration;

use super::redact::Redactor;

fn redactor() -> Redactor<'static> {
    Redactor {
        secrets: vec!["s3cr+t".into(), "tok-9".into()],
        keys: &["access_token", "app_secret"],
    }
}

#[test]
fn patterns_and_known_values_are_scrubbed() {
    let r = redactor();
    for (input, expected) in [
        (
            "GET /x?access_token=abc&b=1",
            "GET /x?access_token=<redacted>&b=1",
        ),
        (
            r#"{"access_token": "abc", "n": 1}"#,
            r#"{"access_token": "<redacted>", "n": 1}"#,
        ),
        (
            r#"{\"ACCESS_TOKEN\":\"abc\"}"#,
            r#"{\"ACCESS_TOKEN\":\"<redacted>\"}"#,
        ),
        ("url access_token%3Dabc%26", "url access_token%3D<redacted>"),
        ("app_secret=zzz", "app_secret=<redacted>"),
        (
            "bad s3cr%2Bt and s3cr+t, tok-9.",
            "bad <redacted> and <redacted>, <redacted>.",
        ),
        (
            "access_token alone; 访问 access_token=值",
            "access_token alone; 访问 access_token=<redacted>",
        ),
    ] {
        assert_eq!(r.redact(input), expected, "{input}");
    }
}

#[test]
fn a_short_secret_is_scrubbed_only_where_it_stands_whole() {
    let r = Redactor {
        secrets: vec!["s".into(), "k-1".into()],
        keys: &["access_token", "app_secret"],
    };
    for (input, expected) in [
        (
            "error sending request for url",
            "error sending request for url",
        ),
        (
            "secret s; token k-1.",
            "secret <redacted>; token <redacted>.",
        ),
        ("sk-1 k-12 k-1k", "sk-1 k-12 k-1k"),
        ("(s)", "(<redacted>)"),
        ("s", "<redacted>"),
    ] {
        assert_eq!(r.redact(input), expected, "{input}");
    }
}

#[test]
fn token_lifetimes_follow_the_documented_rule() {
    assert_eq!(super::token_lifetime(None), Ok(Duration::from_secs(7200)));
    assert_eq!(super::token_lifetime(Some(1)), Ok(Duration::from_secs(1)));
    assert_eq!(
        super::token_lifetime(Some(7200)),
        Ok(Duration::from_secs(7200))
    );
    for absurd in [86_401, i64::MAX] {
        assert_eq!(
            super::token_lifetime(Some(absurd)),
            Ok(Duration::from_secs(86_400)),
            "{absurd} is cut to a day"
        );
    }
    for impossible in [0, -5, i64::MIN] {
        let message = super::token_lifetime(Some(impossible)).expect_err("refused");
        assert!(message.contains(&impossible.to_string()), "{message}");
        assert!(message.contains("at least 1 second"), "{message}");
    }
}

#[test]
fn decode_messages_lose_their_quoted_values() {
    assert_eq!(
        super::without_quoted_values(
            r#"invalid type: string "tok-123", expected i64 at line 1 column 9"#
        ),
        r#"invalid type: string "…", expected i64 at line 1 column 9"#
    );
    assert_eq!(
        super::without_quoted_values("unknown field `x`"),
        "unknown field `x`"
    );
}

#[test]
fn drift_paths_name_list_items_and_the_log_is_bounded() {
    use super::drift::{DriftLog, Findings, MAX_DRIFT_ENTRIES, Place};

    let root = Place::ROOT;
    let users = root.field("users");
    let users = users.items();
    let mut found = Findings::new();
    found.unknown_field(&users, Some("Member"), "nickname", &"\"x\"");
    found.unknown_field(&users, Some("Member"), "nickname", &"\"y\"");
    found.missing_field(&root, None, "total");
    let entries = found.into_entries();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].path, "users[].nickname");
    assert_eq!(entries[0].count, 2);
    assert_eq!(entries[0].value, "\"x\"");
    assert_eq!(entries[1].path, "total");

    let long = "v".repeat(500);
    let mut found = Findings::new();
    found.unknown_field(&root, None, "long", &long);
    let value = &found.into_entries()[0].value;
    assert_eq!(value.chars().count(), 121);
    assert!(value.ends_with('…'));

    let log = DriftLog::default();
    for n in 0..MAX_DRIFT_ENTRIES + 3 {
        let mut found = Findings::new();
        found.unknown_field(&root, None, &format!("f{n}"), &n);
        log.record("e", found.into_entries(), |value| value.replace('7', "#"));
    }
    assert_eq!(log.entries().len(), MAX_DRIFT_ENTRIES);
    assert_eq!(log.dropped(), 3);
    assert_eq!(log.entries()[7].value, "#");
    assert_eq!(log.take().len(), MAX_DRIFT_ENTRIES);
    assert!(log.entries().is_empty());
    assert_eq!(log.dropped(), 0);
}

#[test]
fn a_records_unknown_and_missing_fields_are_found_together() {
    use super::DriftKind;
    use super::drift::{Findings, Place};

    let at = Place::ROOT.field("member");
    let reply = serde_json::json!({ "name": "x", "nickname": "y", "secret_key": "z" });
    let Some(unknown) = reply.as_object() else {
        panic!("an object");
    };
    let mut found = Findings::new();
    found.unknown_fields(&at, Some("Member"), unknown);
    let map = found.missing_fields(&reply, &at, Some("Member"), &["card_number", "name"]);
    assert_eq!(map.map(serde_json::Map::len), Some(3));
    assert!(
        found
            .missing_fields(&serde_json::json!([1]), &at, None, &["total"])
            .is_none()
    );
    let entries = found.into_entries();
    let seen: Vec<(&str, DriftKind, &str)> = entries
        .iter()
        .map(|entry| (entry.path.as_str(), entry.kind, entry.value.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("member.name", DriftKind::UnknownField, "\"x\""),
            ("member.nickname", DriftKind::UnknownField, "\"y\""),
            (
                "member.secret_key",
                DriftKind::UnknownField,
                "\"<redacted>\""
            ),
            ("member.card_number", DriftKind::MissingField, "null"),
        ]
    );
    assert!(
        entries
            .iter()
            .all(|entry| entry.record.as_deref() == Some("Member"))
    );
}
