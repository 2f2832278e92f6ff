//! A school's student roster: the CSV a registrar exports, read into [`Student`]s that map onto
//! WeCard users through `#[derive(WecardUser)]`.
//!
//! The CSV is UTF-8 (with or without a byte-order mark), with a header row in Chinese or
//! English; columns may come in any order, and every column but the card number and the name
//! may be left out. An unknown column is an error rather than silently ignored data.

use std::fmt;
use std::path::Path;

use wecard_macros::WecardUser;

use crate::wecard::{DateTime, UserErrors, ValidationLevel, WecardUser as _};

/// One student, as the roster holds them.
#[derive(Debug, Clone, Default, PartialEq, WecardUser)]
// Every row's 身份证号 is a resident identity card: card type 1 (身份证).
#[wecard(crate = crate::wecard, identity_type = "学生", identity_title = "本科生", card_type = 1)]
pub struct Student {
    /// 学号: the WeCard card number.
    pub card_number: String,
    /// 姓名
    pub name: String,
    /// 性别 as text (男/女).
    pub gender: Option<String>,
    /// 年级
    pub grade: Option<String>,
    /// 学院
    pub college: Option<String>,
    /// 专业
    pub profession: Option<String>,
    /// 班级
    #[wecard(rename = "class")]
    pub class_name: Option<String>,
    /// 校区
    pub campus: Option<String>,
    /// 手机号
    pub telephone: Option<String>,
    /// 邮箱
    pub email: Option<String>,
    /// 身份证号
    pub id_card: Option<String>,
    /// 民族
    pub nation: Option<String>,
    /// 生源地
    pub origin_place: Option<String>,
    /// 宿舍号
    pub dorm_number: Option<String>,
    /// 入学年份
    pub register_year: Option<u16>,
    /// 有效期
    pub expire_at: Option<DateTime>,
    /// 组织架构: a path of names when sent (member records hold org ids instead).
    #[wecard(write_only)]
    pub organization: String,
}

/// The roster's columns: the Student field, and the headers (English, Chinese) that name it.
const COLUMNS: &[(Column, &str, &str)] = &[
    (Column::CardNumber, "card_number", "学号"),
    (Column::Name, "name", "姓名"),
    (Column::Gender, "gender", "性别"),
    (Column::Grade, "grade", "年级"),
    (Column::College, "college", "学院"),
    (Column::Profession, "profession", "专业"),
    (Column::Class, "class", "班级"),
    (Column::Campus, "campus", "校区"),
    (Column::Telephone, "telephone", "手机号"),
    (Column::Email, "email", "邮箱"),
    (Column::IdCard, "id_card", "身份证号"),
    (Column::Nation, "nation", "民族"),
    (Column::OriginPlace, "origin_place", "生源地"),
    (Column::DormNumber, "dorm_number", "宿舍号"),
    (Column::RegisterYear, "register_year", "入学年份"),
    (Column::ExpireAt, "expire_at", "有效期"),
    (Column::Organization, "organization", "组织架构"),
];

/// A roster column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    CardNumber,
    Name,
    Gender,
    Grade,
    College,
    Profession,
    Class,
    Campus,
    Telephone,
    Email,
    IdCard,
    Nation,
    OriginPlace,
    DormNumber,
    RegisterYear,
    ExpireAt,
    Organization,
}

/// A student with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    /// The student, as far as the row could be read.
    pub student: Student,
    /// Cells that could not be read at all (a year that is not a number); each
    /// `(column header, message)`.
    pub unreadable: Vec<(String, String)>,
}

/// A roster that was read: its rows, and how each column was headed (for messages).
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    /// The rows, in file order.
    pub rows: Vec<Row>,
    headers: Vec<(String, Column)>,
}

/// Why a roster could not be read at all.
#[derive(Debug)]
pub enum RosterError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file is not CSV (or not UTF-8).
    NotCsv {
        /// The line where reading failed.
        line: u64,
        /// What was wrong.
        message: String,
    },
    /// A header names no known column.
    UnknownColumn {
        /// The header as written.
        header: String,
        /// The closest known header, if one is close.
        suggestion: Option<&'static str>,
    },
    /// A column every roster needs is missing.
    MissingColumn {
        /// The column's English and Chinese names.
        column: (&'static str, &'static str),
    },
    /// The file has a header but no rows, or nothing at all.
    Empty,
}

impl fmt::Display for RosterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RosterError::Io(error) if error.kind() == std::io::ErrorKind::NotFound => {
                f.write_str("no such file")
            }
            RosterError::Io(error) => write!(f, "cannot read the file: {error}"),
            RosterError::NotCsv { line, message } => {
                write!(f, "line {line}: not a CSV roster ({message})")
            }
            RosterError::UnknownColumn {
                header,
                suggestion: Some(known),
            } => {
                write!(f, "unknown column `{header}` (did you mean `{known}`?)")
            }
            RosterError::UnknownColumn {
                header,
                suggestion: None,
            } => {
                let known: Vec<String> = COLUMNS
                    .iter()
                    .map(|(_, en, zh)| format!("{zh}/{en}"))
                    .collect();
                write!(
                    f,
                    "unknown column `{header}`; known columns: {}",
                    known.join(", ")
                )
            }
            RosterError::MissingColumn { column: (en, zh) } => {
                write!(f, "the roster has no `{zh}` ({en}) column")
            }
            RosterError::Empty => f.write_str("the roster has no rows"),
        }
    }
}

impl std::error::Error for RosterError {}

fn column_for(header: &str) -> Option<Column> {
    let header = header.trim();
    COLUMNS
        .iter()
        .find(|(_, en, zh)| header.eq_ignore_ascii_case(en) || header == *zh)
        .map(|(column, _, _)| *column)
}

fn suggestion(header: &str) -> Option<&'static str> {
    COLUMNS
        .iter()
        .flat_map(|(_, en, zh)| [*en, *zh])
        .map(|known| (strsim::jaro_winkler(&header.to_lowercase(), known), known))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, known)| known)
}

impl Roster {
    /// Reads a roster file.
    ///
    /// # Errors
    ///
    /// When the file cannot be read, is not CSV, or has an unknown or missing column.
    pub fn read(path: &Path) -> Result<Self, RosterError> {
        let bytes = std::fs::read(path).map_err(RosterError::Io)?;
        Self::parse(&bytes)
    }

    /// Reads a roster from bytes.
    ///
    /// # Errors
    ///
    /// As [`Roster::read`].
    pub fn parse(bytes: &[u8]) -> Result<Self, RosterError> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        if bytes.contains(&0) {
            return Err(RosterError::NotCsv {
                line: 1,
                message: "the file holds binary data".into(),
            });
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes);
        let not_csv = |error: csv::Error| {
            let line = error.position().map_or(1, csv::Position::line);
            let message = match error.kind() {
                csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text".to_string(),
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => {
                    format!("this row has {len} fields where the header has {expected_len}")
                }
                _ => error.to_string(),
            };
            RosterError::NotCsv { line, message }
        };
        let header_record = reader.headers().map_err(not_csv)?.clone();
        if header_record.is_empty() || header_record.iter().all(|h| h.trim().is_empty()) {
            return Err(RosterError::Empty);
        }
        let mut headers = Vec::with_capacity(header_record.len());
        for header in &header_record {
            match column_for(header) {
                Some(column) => headers.push((header.trim().to_string(), column)),
                None => {
                    return Err(RosterError::UnknownColumn {
                        header: header.trim().to_string(),
                        suggestion: suggestion(header),
                    });
                }
            }
        }
        for required in [Column::CardNumber, Column::Name] {
            if !headers.iter().any(|(_, column)| *column == required) {
                let (_, en, zh) = COLUMNS
                    .iter()
                    .find(|(c, _, _)| *c == required)
                    .copied()
                    .unwrap_or((required, "", ""));
                return Err(RosterError::MissingColumn { column: (en, zh) });
            }
        }
        let mut rows = Vec::new();
        let mut lines = LineCounter::default();
        for record in reader.records() {
            let record = record.map_err(not_csv)?;
            let line = lines.line_at(bytes, record.position().map_or(0, |p| p.byte() as usize));
            let mut row = Row {
                line,
                student: Student::default(),
                unreadable: Vec::new(),
            };
            for ((header, column), cell) in headers.iter().zip(record.iter()) {
                row.set(header, *column, cell.trim());
            }
            rows.push(row);
        }
        if rows.is_empty() {
            return Err(RosterError::Empty);
        }
        Ok(Self { rows, headers })
    }

    /// The header this roster uses for a struct field (`class_name` → `班级`), for messages.
    pub fn header_for(&self, struct_field: &str) -> Option<&str> {
        let column = match struct_field {
            "card_number" => Column::CardNumber,
            "name" => Column::Name,
            "gender" => Column::Gender,
            "grade" => Column::Grade,
            "college" => Column::College,
            "profession" => Column::Profession,
            "class_name" => Column::Class,
            "campus" => Column::Campus,
            "telephone" => Column::Telephone,
            "email" => Column::Email,
            "id_card" => Column::IdCard,
            "nation" => Column::Nation,
            "origin_place" => Column::OriginPlace,
            "dorm_number" => Column::DormNumber,
            "register_year" => Column::RegisterYear,
            "expire_at" => Column::ExpireAt,
            "organization" => Column::Organization,
            _ => return None,
        };
        self.headers
            .iter()
            .find(|(_, c)| *c == column)
            .map(|(header, _)| header.as_str())
    }
}

/// Line numbers from byte offsets, counted incrementally (records come in order).
///
/// The csv crate's own line count is one short after a CRLF line ending, because a record's
/// position is taken before the `\n` of the previous line's `\r\n`; skipping line-ending bytes
/// first gives the line the record's text starts on.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], mut offset: usize) -> u64 {
        while matches!(bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        let offset = offset.min(bytes.len()).max(self.offset);
        self.newlines += bytes[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.offset = offset;
        self.newlines + 1
    }
}

impl Row {
    fn set(&mut self, header: &str, column: Column, cell: &str) {
        let text = || (!cell.is_empty()).then(|| cell.to_string());
        let student = &mut self.student;
        match column {
            Column::CardNumber => student.card_number = cell.to_string(),
            Column::Name => student.name = cell.to_string(),
            Column::Gender => student.gender = text(),
            Column::Grade => student.grade = text(),
            Column::College => student.college = text(),
            Column::Profession => student.profession = text(),
            Column::Class => student.class_name = text(),
            Column::Campus => student.campus = text(),
            Column::Telephone => student.telephone = text(),
            Column::Email => student.email = text(),
            Column::IdCard => student.id_card = text(),
            Column::Nation => student.nation = text(),
            Column::OriginPlace => student.origin_place = text(),
            Column::DormNumber => student.dorm_number = text(),
            Column::Organization => student.organization = cell.to_string(),
            Column::RegisterYear if cell.is_empty() => student.register_year = None,
            Column::RegisterYear => match cell.parse() {
                Ok(year) => student.register_year = Some(year),
                Err(_) => self.unreadable.push((
                    header.to_string(),
                    format!("`{cell}` is not a year (不是年份)"),
                )),
            },
            Column::ExpireAt if cell.is_empty() => student.expire_at = None,
            Column::ExpireAt => match DateTime::parse(cell) {
                Some(at) => student.expire_at = Some(at),
                None => self.unreadable.push((
                    header.to_string(),
                    format!("`{cell}` is not a datetime YYYY-MM-DD HH:MM:SS (不是日期时间)"),
                )),
            },
        }
    }
}

/// One problem with one row, as a person reads it: `FIELD: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The column header (or WeCard field, for values the program sets itself).
    pub field: String,
    /// What is wrong, in English and Chinese.
    pub message: String,
}

/// Checks a row: cells that could not be read, then every rule the API applies at `level`.
///
/// # Errors
///
/// Every problem of the row, in column order.
pub fn check_row(
    roster: &Roster,
    row: &Row,
    level: ValidationLevel,
) -> Result<crate::wecard::CreateUserRequest, Vec<Problem>> {
    let mut problems: Vec<Problem> = row
        .unreadable
        .iter()
        .map(|(field, message)| Problem {
            field: field.clone(),
            message: message.clone(),
        })
        .collect();
    let request = row.student.to_create_request_with(level);
    match request {
        Ok(request) if problems.is_empty() => Ok(request),
        Ok(_) => Err(problems),
        Err(errors) => {
            problems.extend(describe(roster, &errors));
            Err(problems)
        }
    }
}

fn describe(roster: &Roster, errors: &UserErrors) -> Vec<Problem> {
    errors
        .errors()
        .iter()
        .map(|error| {
            let field = error
                .struct_field
                .and_then(|field| roster.header_for(field))
                .map_or_else(|| error.wecard_field.to_string(), str::to_string);
            Problem {
                field,
                message: format!(
                    "{} ({})",
                    error.error.message_en(),
                    error.error.message_zh()
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_either_language_any_order_with_or_without_bom() {
        let zh = "\u{feff}姓名,学号,入学年份\n张三,2024001,2024\n".as_bytes();
        let en = "Card_Number,name\n2024001,张三\n".as_bytes();
        for bytes in [zh, en] {
            let roster = Roster::parse(bytes).expect("reads");
            assert_eq!(roster.rows[0].student.card_number, "2024001");
            assert_eq!(roster.rows[0].student.name, "张三");
            assert_eq!(roster.rows[0].line, 2);
        }
    }

    #[test]
    fn lines_are_right_with_any_line_ending() {
        for text in [
            "学号,姓名\n1,a\n2,b\n",
            "学号,姓名\r\n1,a\r\n2,b\r\n",
            "学号,姓名\r\n1,a\r\n\r\n2,b",
        ] {
            let roster = Roster::parse(text.as_bytes()).expect("reads");
            let lines: Vec<u64> = roster.rows.iter().map(|row| row.line).collect();
            let expected: &[u64] = if text.contains("\r\n\r\n") {
                &[2, 4]
            } else {
                &[2, 3]
            };
            assert_eq!(lines, expected, "{text:?}");
        }
    }

    #[test]
    fn unknown_missing_and_malformed_input_is_refused_clearly() {
        let unknown = Roster::parse("学号,姓名,学員\n1,a,x\n".as_bytes()).expect_err("unknown");
        assert!(
            matches!(&unknown, RosterError::UnknownColumn { header, .. } if header == "学員"),
            "{unknown}"
        );
        let typo = Roster::parse("card_numbr,name\n1,a\n".as_bytes()).expect_err("typo");
        assert_eq!(
            typo.to_string(),
            "unknown column `card_numbr` (did you mean `card_number`?)"
        );
        let missing = Roster::parse("姓名\na\n".as_bytes()).expect_err("missing");
        assert_eq!(
            missing.to_string(),
            "the roster has no `学号` (card_number) column"
        );
        assert!(matches!(
            Roster::parse(b"\x89PNG\r\n\x1a\n\0\0"),
            Err(RosterError::NotCsv { .. })
        ));
        let ragged = Roster::parse("学号,姓名\n1,a,extra\n".as_bytes()).expect_err("ragged");
        assert!(ragged.to_string().contains("line 2"), "{ragged}");
        assert!(matches!(Roster::parse(b""), Err(RosterError::Empty)));
        assert!(matches!(
            Roster::parse("学号,姓名\n".as_bytes()),
            Err(RosterError::Empty)
        ));
    }

    #[test]
    fn a_bad_year_is_a_problem_of_its_row() {
        let roster =
            Roster::parse("学号,姓名,组织架构,入学年份\n1,张三,学院/系,二〇二四\n".as_bytes())
                .expect("reads");
        let problems =
            check_row(&roster, &roster.rows[0], ValidationLevel::Default).expect_err("bad year");
        assert_eq!(problems[0].field, "入学年份");
    }
}
