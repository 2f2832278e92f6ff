//! The sample roster as schools really save it (GBK, UTF-16, an `.xlsx` workbook, CR-only line
//! endings) reports exactly the problems of the UTF-8 file, at the same lines.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_wecard-example");

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/roster.csv")
}

fn sample_text() -> String {
    let text = std::fs::read_to_string(sample()).unwrap();
    text.trim_start_matches('\u{feff}').to_string()
}

fn validate(path: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .arg("validate")
        .arg(path)
        .args(extra)
        .output()
        .unwrap()
}

/// stdout with the file's path taken out, so outputs of different files compare.
fn problems(output: &Output, path: &Path) -> String {
    String::from_utf8_lossy(&output.stdout).replace(&path.display().to_string(), "ROSTER")
}

/// Writes the sample as a workbook: an empty first sheet `说明`, then the roster in `花名册`,
/// with all-digit card numbers, phone numbers and years as numbers, as Excel stores them.
fn write_workbook(path: &Path, roster_first: bool) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    if !roster_first {
        workbook.add_worksheet().set_name("说明").unwrap();
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("花名册").unwrap();
    let text = sample_text();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    for (row, record) in reader.records().enumerate() {
        let record = record.unwrap();
        for (column, cell) in record.iter().enumerate() {
            let (row, column) = (u32::try_from(row).unwrap(), u16::try_from(column).unwrap());
            let numeric = !cell.is_empty()
                && cell.len() < 15
                && cell.bytes().all(|b| b.is_ascii_digit())
                && !cell.starts_with('0');
            if numeric {
                sheet
                    .write_number(row, column, cell.parse::<f64>().unwrap())
                    .unwrap();
            } else if !cell.is_empty() {
                sheet.write_string(row, column, cell).unwrap();
            }
        }
    }
    workbook.save(path).unwrap();
}

#[test]
fn every_encoding_and_a_workbook_report_what_utf8_reports() {
    let expected_output = validate(&sample(), &[]);
    let expected = problems(&expected_output, &sample());
    assert_eq!(expected.lines().count(), 6, "{expected}");
    let tmp = tempfile::tempdir().unwrap();
    let text = sample_text();

    let gbk = tmp.path().join("gbk.csv");
    std::fs::write(&gbk, encoding_rs::GBK.encode(&text).0).unwrap();
    let mut utf16_bytes = vec![0xFF, 0xFE];
    utf16_bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let utf16 = tmp.path().join("utf16.csv");
    std::fs::write(&utf16, utf16_bytes).unwrap();
    let cr_only = tmp.path().join("cr.csv");
    std::fs::write(&cr_only, text.replace("\r\n", "\n").replace('\n', "\r")).unwrap();
    let xlsx = tmp.path().join("roster.xlsx");
    write_workbook(&xlsx, true);
    let second_sheet = tmp.path().join("two-sheets.xlsx");
    write_workbook(&second_sheet, false);

    for (path, extra, source) in [
        (&gbk, &[][..], "CSV, GBK/GB18030"),
        (&utf16, &[][..], "CSV, UTF-16LE"),
        (&cr_only, &[][..], "CSV, UTF-8"),
        (&xlsx, &[][..], "sheet `花名册` of a workbook"),
        (
            &second_sheet,
            &["--sheet", "花名册"][..],
            "sheet `花名册` of a workbook",
        ),
    ] {
        let output = validate(path, extra);
        assert_eq!(output.status.code(), Some(1), "{}", path.display());
        assert_eq!(problems(&output, path), expected, "{}", path.display());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("236 rows ({source}): 230 valid, 6 invalid")),
            "{stderr}"
        );
    }

    // The first sheet of that workbook is empty; a sheet that does not exist is named.
    let output = validate(&second_sheet, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("the roster has no rows"));
    let output = validate(&second_sheet, &["--sheet", "Sheet9"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no sheet `Sheet9`; its sheets: 说明, 花名册"),
        "{stderr}"
    );
}

#[test]
fn a_workbook_with_formula_looking_and_repeated_cells() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("roster.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let rows = [
        ["学号", "姓名", "组织架构"],
        ["=1+1", "张三", "学院/系"],
        ["2024002", "@李四", "学院/系"],
        ["2024003", "王五", "学院/系"],
        ["2024003", "赵六", "学院/系"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), *cell)
                .unwrap();
        }
    }
    workbook.save(&path).unwrap();
    let output = validate(&path, &[]);
    let stdout = problems(&output, &path);
    // Formula-looking text is data: valid. The repeated card number is reported on both rows.
    assert_eq!(
        stdout
            .lines()
            .map(|l| &l[..l.find(": 学号").unwrap_or(l.len())])
            .collect::<Vec<_>>(),
        ["ROSTER:4", "ROSTER:5"],
        "{stdout}"
    );
    assert!(stdout.contains("`2024003` is on lines 4, 5"), "{stdout}");
}
