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
