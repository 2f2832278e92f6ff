//! Redaction: patterns and known values.
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
