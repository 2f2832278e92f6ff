//! Tests of the format checks.

use super::formats::*;

#[test]
fn country_table_is_sorted_and_unique() {
    assert!(COUNTRIES.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(is_country_alpha3("CHN"));
    assert!(!is_country_alpha3("CN"));
    assert!(!is_country_alpha3("XXX"));
}

#[test]
fn datetimes_are_exact_unless_lenient() {
    assert!(is_datetime("2019-01-01 00:00:00"));
    assert!(is_datetime("2024-02-29 23:59:59"));
    assert!(!is_datetime("2023-02-29 00:00:00"));
    assert!(!is_datetime("2020-11-1 00:00:00"));
    assert_eq!(
        datetime_parts("2020-11-1 0:00:00", true),
        Some((2020, 11, 1, 0, 0, 0))
    );
    assert!(!is_datetime("2019-01-01T00:00:00"));
    assert!(!is_datetime("2019-01-01 24:00:00"));
    assert!(!is_datetime(""));
    assert!(datetime_parts("2019-1-1 1:2", true).is_none());
}

#[test]
fn id_card_checksum_and_birth_date() {
    assert!(is_id_card_cn("11010519491231002X"));
    assert!(is_id_card_cn("11010519491231002x"));
    assert!(!is_id_card_cn("110105194912310021"));
    assert!(!is_id_card_cn("110105194913310028"));
    assert!(!is_id_card_cn("4XXX***7"));
}

#[test]
fn contact_formats() {
    assert!(is_mobile_cn("13712345678"));
    assert!(!is_mobile_cn("137***8"));
    assert!(!is_mobile_cn("12712345678"));
    assert!(is_email("weixiao@tencent.com"));
    assert!(!is_email("weixiao@tencent"));
    assert!(!is_email("wei xiao@tencent.com"));
    assert!(is_url_or_path("/2024/01/02/xx.png"));
    assert!(is_url_or_path("http://xxx/xx.png"));
    assert!(!is_url_or_path("xx.png"));
    assert!(is_org_path("AA/BB/CC"));
    assert!(!is_org_path("AA//CC"));
    assert!(is_date_compact("20020319"));
    assert!(!is_date_compact("20021319"));
    assert!(is_digits("12345678"));
    assert!(!is_digits(""));
}
