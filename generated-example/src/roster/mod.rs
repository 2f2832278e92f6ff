//! A school's student roster: the file a registrar exports, read into [`Student`]s that map
//! onto WeCard users through `#[derive(WecardUser)]`.
//!
//! A roster is CSV (UTF-8 with or without a byte-order mark, GBK/GB18030, or UTF-16 with a
//! byte-order mark; see [`text`]) or an Excel workbook ([`sheet`]), with a header row in Chinese
//! or English; columns may come in any order, and every column but the card number and the name
//! may be left out. An unknown or repeated column is an error rather than silently ignored data.
//! [`RosterFile`] streams the rows of a file of any length; [`Roster`] holds them all.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use wecard_macros::WecardUser;

use crate::wecard::{DateTime, UserErrors, ValidationLevel, WecardUser as _};

pub mod cells;
pub mod sheet;
mod source;
pub mod text;

pub use self::source::{RosterFile, RowReader};
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
    /// 1-based line in the file (the header is line 1), or row in the sheet.
    pub line: u64,
    /// The student, as far as the row could be read.
    pub student: Student,
    /// Cells that could not be read at all (a year that is not a number); each
    /// `(column header, message)`.
    pub unreadable: Vec<(String, String)>,
    /// The cells as read (trimmed), one per header column.
    pub cells: Vec<String>,
}

/// A roster's columns: how each was headed, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Headers {
    columns: Vec<(String, Column)>,
}

impl Headers {
    /// Reads a header row. Empty cells at its end (a trailing comma, or columns Excel left
    /// behind) are ignored; an empty cell before a named one is an error.
    ///
    /// # Errors
    ///
    /// An empty, unknown or repeated column (the same header twice, or an English and a
    /// Chinese header of one field), or a missing required one.
    pub fn from_cells(cells: &[String]) -> Result<Self, RosterError> {
        let width = cells
            .iter()
            .rposition(|cell| !cell.trim().is_empty())
            .map_or(0, |last| last + 1);
        if width == 0 {
            return Err(RosterError::Empty);
        }
        let mut columns: Vec<(String, Column)> = Vec::with_capacity(width);
        for (position, cell) in cells[..width].iter().enumerate() {
            let header = cell.trim();
            if header.is_empty() {
                return Err(RosterError::EmptyHeader {
                    position: position + 1,
                });
            }
            let Some(column) = column_for(header) else {
                return Err(RosterError::UnknownColumn {
                    header: header.to_string(),
                    suggestion: suggestion(header),
                });
            };
            if let Some(first) = columns.iter().position(|(_, c)| *c == column) {
                return Err(RosterError::DuplicateColumn {
                    first: (first + 1, columns[first].0.clone()),
                    second: (position + 1, header.to_string()),
                });
            }
            columns.push((header.to_string(), column));
        }
        for required in [Column::CardNumber, Column::Name] {
            if !columns.iter().any(|(_, column)| *column == required) {
                return Err(RosterError::MissingColumn {
                    column: names_of(required),
                });
            }
        }
        Ok(Self { columns })
    }

    /// The headers as written, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(header, _)| header.as_str())
    }

    /// How many columns the header names.
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// The header this roster uses for a struct field (`class_name` → `班级`), for messages.
    pub fn header_for(&self, struct_field: &str) -> Option<&str> {
        let field = if struct_field == "class_name" {
            "class"
        } else {
            struct_field
        };
        let column = COLUMNS
            .iter()
            .find(|(_, en, _)| *en == field)
            .map(|(column, _, _)| *column)?;
        self.columns
            .iter()
            .find(|(_, c)| *c == column)
            .map(|(header, _)| header.as_str())
    }

    /// A row from its cells (as many as the header has, or more).
    fn row(&self, line: u64, cells: &[String]) -> Row {
        let mut row = Row {
            line,
            student: Student::default(),
            unreadable: Vec::new(),
            cells: Vec::with_capacity(self.columns.len()),
        };
        for ((header, column), cell) in self.columns.iter().zip(cells) {
            row.set(header, *column, cell.trim());
            row.cells.push(cell.trim().to_string());
        }
        row
    }
}

fn names_of(column: Column) -> (&'static str, &'static str) {
    COLUMNS
        .iter()
        .find(|(c, _, _)| *c == column)
        .map_or(("", ""), |(_, en, zh)| (*en, *zh))
}

/// A roster that was read whole: its rows, its columns, and the card numbers it repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    /// The rows, in file order.
    pub rows: Vec<Row>,
    /// The columns.
    pub headers: Headers,
    /// Card numbers on more than one row.
    pub duplicates: Duplicates,
    /// What was read (`CSV, UTF-8`, `sheet 花名册 of a workbook`), for reports.
    pub source: String,
}

/// Why a roster could not be read at all.
#[derive(Debug)]
pub enum RosterError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file is not a CSV roster in a known encoding, or not a readable workbook.
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
    /// Two headers name one column.
    DuplicateColumn {
        /// The first: its position (1-based) and header.
        first: (usize, String),
        /// The second.
        second: (usize, String),
    },
    /// A header cell is empty, and a named one follows it.
    EmptyHeader {
        /// Its position (1-based).
        position: usize,
    },
    /// A column every roster needs is missing.
    MissingColumn {
        /// The column's English and Chinese names.
        column: (&'static str, &'static str),
    },
    /// `--sheet` names a sheet the workbook does not have.
    NoSuchSheet {
        /// The name asked for.
        wanted: String,
        /// The sheets there are.
        available: Vec<String>,
    },
    /// `--sheet` was given for a CSV file.
    SheetOfCsv,
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
            RosterError::DuplicateColumn {
                first: (first_at, first),
                second: (second_at, second),
            } => write!(
                f,
                "columns {first_at} (`{first}`) and {second_at} (`{second}`) are the same \
                 field; keep one of them (列重复)"
            ),
            RosterError::EmptyHeader { position } => write!(
                f,
                "column {position} of the header row is empty; name it or remove the column \
                 (列名为空)"
            ),
            RosterError::MissingColumn { column: (en, zh) } => {
                write!(f, "the roster has no `{zh}` ({en}) column")
            }
            RosterError::NoSuchSheet { wanted, available } => write!(
                f,
                "the workbook has no sheet `{wanted}`; its sheets: {}",
                available.join(", ")
            ),
            RosterError::SheetOfCsv => {
                f.write_str("--sheet is for .xlsx workbooks, and this file is CSV")
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
    /// Reads a whole roster file (CSV in any supported encoding, or a workbook's first sheet).
    ///
    /// # Errors
    ///
    /// When the file cannot be read, is not a roster, or has an unknown, repeated or missing
    /// column.
    pub fn read(path: &Path) -> Result<Self, RosterError> {
        Self::load(&RosterFile::open(path, None)?)
    }

    /// Reads a roster from bytes.
    ///
    /// # Errors
    ///
    /// As [`Roster::read`].
    pub fn parse(bytes: &[u8]) -> Result<Self, RosterError> {
        Self::load(&RosterFile::from_bytes(bytes.to_vec(), None)?)
    }

    /// Reads every row of an opened roster file.
    ///
    /// # Errors
    ///
    /// As [`Roster::read`].
    pub fn load(file: &RosterFile) -> Result<Self, RosterError> {
        let mut reader = file.rows()?;
        let headers = reader.headers().clone();
        let rows = reader.by_ref().collect::<Result<Vec<Row>, _>>()?;
        if rows.is_empty() {
            return Err(RosterError::Empty);
        }
        let duplicates = Duplicates::find(
            rows.iter()
                .map(|row| (row.student.card_number.as_str(), row.line)),
        );
        Ok(Self {
            rows,
            headers,
            duplicates,
            source: file.describe(),
        })
    }

    /// The header this roster uses for a struct field (`class_name` → `班级`), for messages.
    pub fn header_for(&self, struct_field: &str) -> Option<&str> {
        self.headers.header_for(struct_field)
    }
}

/// Card numbers that more than one row holds, with every line that holds each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Duplicates {
    lines: HashMap<String, Vec<u64>>,
}

impl Duplicates {
    /// The repeated card numbers among `(card number, line)` pairs (empty ones aside: those
    /// rows are invalid on their own).
    pub fn find<'a>(cards: impl IntoIterator<Item = (&'a str, u64)>) -> Self {
        let mut seen = Self::default();
        for (card, line) in cards {
            seen.add(card, line);
        }
        seen.finish()
    }

    /// Notes one row (for callers that stream rows); [`Duplicates::finish`] when done.
    pub fn add(&mut self, card: &str, line: u64) {
        if card.is_empty() {
            return;
        }
        match self.lines.get_mut(card) {
            Some(lines) => lines.push(line),
            None => {
                self.lines.insert(card.to_string(), vec![line]);
            }
        }
    }

    /// Keeps only the repeated card numbers.
    #[must_use]
    pub fn finish(mut self) -> Self {
        self.lines.retain(|_, lines| lines.len() > 1);
        self.lines.shrink_to_fit();
        self
    }

    /// Every line holding `card`, when more than one does.
    pub fn lines_of(&self, card: &str) -> Option<&[u64]> {
        self.lines
            .get(card)
            .filter(|lines| lines.len() > 1)
            .map(Vec::as_slice)
    }

    /// How many card numbers are repeated.
    pub fn len(&self) -> usize {
        self.lines.values().filter(|lines| lines.len() > 1).count()
    }

    /// Whether no card number is repeated.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// The column header (or WeCard field, for values the program sets itself).
    pub field: String,
    /// What is wrong, in English and Chinese.
    pub message: String,
}

/// Checks a row of `roster`: as [`check_row_with`].
///
/// # Errors
///
/// Every problem of the row, in column order.
pub fn check_row(
    roster: &Roster,
    row: &Row,
    level: ValidationLevel,
) -> Result<crate::wecard::CreateUserRequest, Vec<Problem>> {
    check_row_with(&roster.headers, &roster.duplicates, row, level)
}

/// Checks a row: a card number another row repeats or that hides invisible or full-width
/// characters, cells that could not be read, then every rule the API applies at `level`.
///
/// # Errors
///
/// Every problem of the row, in column order.
pub fn check_row_with(
    headers: &Headers,
    duplicates: &Duplicates,
    row: &Row,
    level: ValidationLevel,
) -> Result<crate::wecard::CreateUserRequest, Vec<Problem>> {
    let card = &row.student.card_number;
    let card_header = || {
        headers
            .header_for("card_number")
            .unwrap_or("card_number")
            .to_string()
    };
    let mut problems = Vec::new();
    if let Some(lines) = duplicates.lines_of(card) {
        let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
        problems.push(Problem {
            field: card_header(),
            message: format!(
                "`{card}` is on lines {}; a card number names one student, so none of these \
                 rows is sent (学号重复)",
                lines.join(", ")
            ),
        });
    }
    if let Some(message) = cells::card_number_characters(card) {
        problems.push(Problem {
            field: card_header(),
            message,
        });
    }
    problems.extend(row.unreadable.iter().map(|(field, message)| Problem {
        field: field.clone(),
        message: message.clone(),
    }));
    match row.student.to_create_request_with(level) {
        Ok(request) if problems.is_empty() => Ok(request),
        Ok(_) => Err(problems),
        Err(errors) => {
            problems.extend(describe(headers, &errors));
            Err(problems)
        }
    }
}

fn describe(headers: &Headers, errors: &UserErrors) -> Vec<Problem> {
    errors
        .errors()
        .iter()
        .map(|error| {
            let field = error
                .struct_field
                .and_then(|field| headers.header_for(field))
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
            "学号,姓名\r1,a\r\r2,b\r",
        ] {
            let roster = Roster::parse(text.as_bytes()).expect("reads");
            let lines: Vec<u64> = roster.rows.iter().map(|row| row.line).collect();
            let expected: &[u64] = if text.contains("\r\n\r\n") || text.contains("\r\r") {
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

    #[test]
    fn repeated_columns_are_refused_naming_both() {
        for (header, first, second) in [
            ("学号,姓名,姓名", "2 (`姓名`)", "3 (`姓名`)"),
            (
                "学号,organization,姓名,组织架构",
                "2 (`organization`)",
                "4 (`组织架构`)",
            ),
        ] {
            let error =
                Roster::parse(format!("{header}\n1,a,b,c\n").as_bytes()).expect_err("repeated");
            let text = error.to_string();
            assert!(
                text.contains(first) && text.contains(second),
                "{header}: {text}"
            );
        }
    }

    #[test]
    fn trailing_commas_and_unclosed_quotes_get_their_own_messages() {
        // A trailing comma on every line, as Excel leaves it, reads.
        let roster = Roster::parse("学号,姓名,\n1,a,\n2,b,\n".as_bytes()).expect("reads");
        assert_eq!(roster.rows.len(), 2);
        let middle = Roster::parse("学号,,姓名\n1,x,a\n".as_bytes()).expect_err("empty header");
        assert!(
            middle
                .to_string()
                .contains("column 2 of the header row is empty")
        );
        let extra = Roster::parse("学号,姓名\n1,a,b\n".as_bytes()).expect_err("extra cell");
        assert!(extra.to_string().starts_with("line 2:"), "{extra}");
        for text in [
            "学号,姓名\n1,\"a\n2,b\n3,c\n",
            "学号,姓名,组织架构\n1,a,\"x/y\n2,b,x/y\n",
        ] {
            let error = Roster::parse(text.as_bytes()).expect_err("unclosed quote");
            let message = error.to_string();
            assert!(
                message.starts_with("line 2:") && message.contains("never closed"),
                "{text:?}: {message}"
            );
        }
    }

    #[test]
    fn repeated_card_numbers_make_every_row_involved_invalid() {
        let roster =
            Roster::parse("学号,姓名,组织架构\n1,a,x/y\n2,b,x/y\n1,c,x/y\n1,d,x/y\n".as_bytes())
                .expect("reads");
        let invalid: Vec<u64> = roster
            .rows
            .iter()
            .filter_map(|row| {
                let problems = check_row(&roster, row, ValidationLevel::Default).err()?;
                assert!(
                    problems[0].message.contains("lines 2, 4, 5"),
                    "{problems:?}"
                );
                Some(row.line)
            })
            .collect();
        assert_eq!(invalid, [2, 4, 5]);
    }

    #[test]
    fn hidden_characters_in_card_numbers_are_problems_and_formulas_are_data() {
        let roster = Roster::parse(
            "学号,姓名,组织架构\n2024\u{200B}01,a,x/y\n２02402,b,x/y\n=1+2,c,x/y\n".as_bytes(),
        )
        .expect("reads");
        let problems: Vec<usize> = roster
            .rows
            .iter()
            .map(|row| {
                check_row(&roster, row, ValidationLevel::Default)
                    .err()
                    .map_or(0, |problems| problems.len())
            })
            .collect();
        assert_eq!(problems, [1, 1, 0]);
        assert_eq!(roster.rows[2].student.card_number, "=1+2");
    }

    #[test]
    fn gbk_and_utf16_read_like_utf8() {
        let text = "学号,姓名\r\n2024001,张三\r\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let utf8 = Roster::parse(text.as_bytes()).expect("utf-8");
        for (bytes, source) in [
            (gbk.into_owned(), "CSV, GBK/GB18030"),
            (utf16, "CSV, UTF-16LE"),
        ] {
            let roster = Roster::parse(&bytes).expect("reads");
            assert_eq!(roster.rows, utf8.rows);
            assert_eq!(roster.source, source);
        }
    }
}
