//! Syncing a large roster end to end: 5,000 rows, some invalid, into the sandbox while 5% of
//! requests fail in assorted ways. Every valid row must end up present exactly once (checked
//! through the API), every invalid row must be reported with its line, and the report's counts
//! must add up.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use generated_example::roster::{Roster, RosterFile};
use generated_example::sandbox::{self, AppConfig, Fault, FaultRule, SandboxConfig, SchoolConfig};
use generated_example::sync::{Silent, SyncError, SyncOptions, sync, sync_file};
use generated_example::wecard::ListOrgUsersRequest;
use generated_example::wecard::client::{Client, ClientConfig};

const ROWS: usize = 5_000;

/// A roster of `ROWS` students; every 97th row has an unreadable year, every 331st an empty name
/// (both refused at the default validation level; a broken e-mail address is a strict rule).
/// Returns the CSV and the lines (1-based, header on line 1) that are invalid.
fn roster() -> (String, BTreeSet<u64>) {
    let mut csv = String::from("学号,姓名,性别,学院,专业,班级,邮箱,入学年份,组织架构\r\n");
    let mut invalid = BTreeSet::new();
    let colleges = ["信息学院", "经管学院", "外语学院", "机械学院"];
    for i in 0..ROWS {
        let line = i as u64 + 2;
        let college = colleges[i % colleges.len()];
        let major = format!("专业{}", i % 7);
        let class = format!("{major}{}班", i % 3);
        let email = format!("s{i:05}@stu.example.edu.cn");
        let mut name = format!("学生{i:05}");
        let mut year = "2024";
        if i % 97 == 5 {
            year = "2024年";
            invalid.insert(line);
        }
        if i % 331 == 7 {
            name.clear();
            invalid.insert(line);
        }
        let gender = if i % 2 == 0 { "男" } else { "女" };
        csv.push_str(&format!(
            "2024{i:06},{name},{gender},{college},{major},{class},{email},{year},{college}/{major}/{class}\r\n"
        ));
    }
    (csv, invalid)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_rows_with_five_percent_faults() {
    tokio::time::timeout(Duration::from_secs(240), async {
        let (csv, invalid_lines) = roster();
        let roster = Roster::parse(csv.as_bytes()).expect("the roster reads");
        assert_eq!(roster.rows.len(), ROWS);

        let config = SandboxConfig::new()
            .school(SchoolConfig::new("big-school", "大学"))
            .app(AppConfig::new("sync-app", "sync-secret").enable("big-school"));
        let sandbox = sandbox::start(config).await.expect("sandbox");
        // 5% of requests fail, spread over every kind of fault a client should survive.
        for (seed, fault) in [
            (1, Fault::HttpStatus(500)),
            (2, Fault::HttpStatus(502)),
            (3, Fault::HttpStatus(429)),
            (4, Fault::TruncatedBody),
            (5, Fault::NonJsonBody),
        ] {
            sandbox.inject(FaultRule::with_probability(0.01, seed, fault));
        }
        let client = Client::new(
            ClientConfig::new("sync-app", "sync-secret", "big-school").base_url(sandbox.url()),
        );
        let options = SyncOptions {
            concurrency: 16,
            backoff: Duration::from_millis(2),
            max_attempts: 8,
            ..SyncOptions::default()
        };
        let report = sync(&client, &roster, &options, &Silent)
            .await
            .expect("credentials accepted");

        // The counts add up, and nothing valid failed.
        assert_eq!(report.rows, ROWS);
        assert_eq!(report.rows, report.valid + report.skipped_invalid.len());
        assert_eq!(report.valid, report.upserted + report.failed.len());
        assert!(
            report.failed.is_empty(),
            "{:?}",
            &report.failed[..report.failed.len().min(3)]
        );
        assert!(report.complete());
        assert!(
            report.retries > 0,
            "faults were injected, so some rows were retried"
        );

        // Every invalid row is reported with its line, and nothing else is.
        let reported: BTreeSet<u64> = report.skipped_invalid.iter().map(|row| row.line).collect();
        assert_eq!(reported, invalid_lines);
        assert!(
            report
                .skipped_invalid
                .iter()
                .all(|row| !row.problems.is_empty())
        );

        // Through the API: every valid card number present exactly once.
        sandbox.clear_faults();
        let members = client
            .list_org_users_pages(ListOrgUsersRequest {
                org_id: 0,
                fetch_child: Some(1),
                page: None,
                page_size: Some(5000),
            })
            .collect_all()
            .await
            .expect("all members");
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for member in members {
            *counts.entry(member.card_number).or_default() += 1;
        }
        let expected: BTreeSet<String> = roster
            .rows
            .iter()
            .filter(|row| !invalid_lines.contains(&row.line))
            .map(|row| row.student.card_number.clone())
            .collect();
        assert_eq!(counts.keys().cloned().collect::<BTreeSet<_>>(), expected);
        assert!(
            counts.values().all(|count| *count == 1),
            "a member is listed twice"
        );
    })
    .await
    .expect("the sync finished in time");
}

#[tokio::test]
async fn refused_credentials_stop_the_sync_before_any_row_is_sent() {
    let config = SandboxConfig::new()
        .school(SchoolConfig::new("s", "学校"))
        .app(AppConfig::new("app", "right").enable("s"));
    let sandbox = sandbox::start(config).await.expect("sandbox");
    let client = Client::new(ClientConfig::new("app", "wrong", "s").base_url(sandbox.url()));
    let roster = Roster::parse("学号,姓名,组织架构\n1,张三,学院/系\n".as_bytes()).expect("roster");
    let error = sync(&client, &roster, &SyncOptions::default(), &Silent)
        .await
        .expect_err("refused");
    let SyncError::Client(error) = error else {
        panic!("{error}")
    };
    assert_eq!(error.error_code().map(|code| code.code()), Some(40001));
    assert_eq!(sandbox.request_count("create_user"), 0);
}

#[tokio::test]
async fn repeated_card_numbers_send_none_of_their_rows_even_streamed() {
    let config = SandboxConfig::new()
        .school(SchoolConfig::new("s", "学校"))
        .app(AppConfig::new("app", "secret").enable("s"));
    let sandbox = sandbox::start(config).await.expect("sandbox");
    let client = Client::new(ClientConfig::new("app", "secret", "s").base_url(sandbox.url()));
    let text = "学号,姓名,组织架构\r1,甲,学院/系\r2,乙,学院/系\r1,丙,学院/系\r3,丁,学院/系\r";
    // GBK, CR-only line endings: what an old Excel on a Chinese system writes.
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("roster.csv");
    std::fs::write(&path, &gbk).expect("written");
    let file = RosterFile::open(&path, None).expect("opens");
    let options = SyncOptions {
        concurrency: 1,
        ..SyncOptions::default()
    };
    let report = sync_file(&client, &file, &options, &Silent)
        .await
        .expect("synced");
    assert_eq!(report.source, "CSV, GBK/GB18030");
    assert_eq!((report.rows, report.valid, report.upserted), (4, 2, 2));
    let lines: Vec<u64> = report.skipped_invalid.iter().map(|row| row.line).collect();
    assert_eq!(lines, [2, 4]);
    assert!(!report.clean() && report.complete());
    assert!(
        sandbox.user("s", "1").is_none(),
        "neither repeated row is sent"
    );
    assert_eq!(
        sandbox.user("s", "2").and_then(|m| m.name).as_deref(),
        Some("乙")
    );
    assert_eq!(
        sandbox.user("s", "3").and_then(|m| m.name).as_deref(),
        Some("丁")
    );
}
