//! Where a roster's rows come from: a CSV file (read as a stream, so a roster of any length
//! takes the same memory) or a workbook sheet; rows come out one at a time with the file's own
//! line (or sheet row) numbers.

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::sheet::{self, SheetRows};
use super::text::{TextEncoding, TextReader, detect};
use super::{Headers, RosterError, Row};

/// Where the bytes are: a file (opened again for each pass) or memory.
#[derive(Debug, Clone)]
enum Origin {
    File(PathBuf),
    Bytes(Arc<[u8]>),
}

impl Origin {
    fn open(&self) -> Result<Box<dyn Read + Send>, RosterError> {
        Ok(match self {
            Origin::File(path) => {
                Box::new(BufReader::new(File::open(path).map_err(RosterError::Io)?))
            }
            Origin::Bytes(bytes) => Box::new(Cursor::new(Arc::clone(bytes))),
        })
    }
}

#[derive(Debug, Clone)]
enum Format {
    Csv(TextEncoding),
    Sheet(Arc<SheetRows>),
}

/// A roster file whose format is known: rows can be read from it, as many times as needed.
#[derive(Debug, Clone)]
pub struct RosterFile {
    origin: Origin,
    format: Format,
}

impl RosterFile {
    /// Opens a roster file: a workbook (the first sheet, or `sheet`), or CSV text in any
    /// encoding [`TextEncoding`] lists (the whole file is read once to tell which).
    ///
    /// # Errors
    ///
    /// When the file cannot be read, is neither a workbook nor text, or has no such sheet.
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<Self, RosterError> {
        let mut head = [0; 8];
        let mut file = File::open(path).map_err(RosterError::Io)?;
        let n = read_head(&mut file, &mut head)?;
        if sheet::looks_like_workbook(&head[..n]) {
            let bytes = std::fs::read(path).map_err(RosterError::Io)?;
            return Self::from_bytes(bytes, sheet);
        }
        if sheet.is_some() {
            return Err(RosterError::SheetOfCsv);
        }
        let origin = Origin::File(path.to_path_buf());
        let encoding = detect(origin.open()?)?;
        Ok(Self {
            origin,
            format: Format::Csv(encoding),
        })
    }

    /// A roster in memory, as [`RosterFile::open`] reads a file.
    ///
    /// # Errors
    ///
    /// As [`RosterFile::open`].
    pub fn from_bytes(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Self, RosterError> {
        if sheet::looks_like_workbook(&bytes) {
            let rows = sheet::read(bytes, sheet)?;
            return Ok(Self {
                origin: Origin::Bytes(Arc::from(Vec::new())),
                format: Format::Sheet(Arc::new(rows)),
            });
        }
        if sheet.is_some() {
            return Err(RosterError::SheetOfCsv);
        }
        let encoding = detect(bytes.as_slice())?;
        Ok(Self {
            origin: Origin::Bytes(Arc::from(bytes)),
            format: Format::Csv(encoding),
        })
    }

    /// What was read, for reports: `CSV, GBK/GB18030` or `sheet 花名册 of a workbook`.
    pub fn describe(&self) -> String {
        match &self.format {
            Format::Csv(encoding) => format!("CSV, {}", encoding.name()),
            Format::Sheet(rows) => format!("sheet `{}` of a workbook", rows.name),
        }
    }

    /// The text encoding, for CSV.
    pub fn encoding(&self) -> Option<TextEncoding> {
        match &self.format {
            Format::Csv(encoding) => Some(*encoding),
            Format::Sheet(_) => None,
        }
    }

    /// Starts reading rows from the top: the header is read and checked first.
    ///
    /// # Errors
    ///
    /// When the header cannot be read or names an unknown, missing or repeated column.
    pub fn rows(&self) -> Result<RowReader, RosterError> {
        match &self.format {
            Format::Csv(encoding) => {
                let text = TextReader::new(self.origin.open()?, *encoding);
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(text);
                let mut record = csv::StringRecord::new();
                loop {
                    if !reader.read_record(&mut record).map_err(csv_error)? {
                        return Err(RosterError::Empty);
                    }
                    if !record.iter().all(|cell| cell.trim().is_empty()) {
                        break;
                    }
                }
                let cells: Vec<String> = record.iter().map(str::to_string).collect();
                let headers = Headers::from_cells(&cells)?;
                Ok(RowReader {
                    headers,
                    inner: Inner::Csv(Box::new(reader), record),
                    done: false,
                })
            }
            Format::Sheet(sheet) => {
                let mut rows = sheet.rows.clone().into_iter();
                let cells = loop {
                    match rows.next() {
                        None => return Err(RosterError::Empty),
                        Some((_, cells)) if cells.iter().all(|c| c.trim().is_empty()) => {}
                        Some((_, cells)) => break cells,
                    }
                };
                let headers = Headers::from_cells(&cells)?;
                Ok(RowReader {
                    headers,
                    inner: Inner::Sheet(rows),
                    done: false,
                })
            }
        }
    }
}

fn read_head(file: &mut File, head: &mut [u8]) -> Result<usize, RosterError> {
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(RosterError::Io(error)),
        }
    }
    Ok(filled)
}

fn csv_error(error: csv::Error) -> RosterError {
    let line = error.position().map_or(1, csv::Position::line);
    RosterError::NotCsv {
        line,
        message: error.to_string(),
    }
}

enum Inner {
    Csv(
        Box<csv::Reader<TextReader<Box<dyn Read + Send>>>>,
        csv::StringRecord,
    ),
    Sheet(std::vec::IntoIter<(u64, Vec<String>)>),
}

/// The rows of a roster, one at a time. After an error it ends.
pub struct RowReader {
    headers: Headers,
    inner: Inner,
    done: bool,
}

impl RowReader {
    /// The roster's columns.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The next row's line and cells, skipping blank lines.
    fn next_cells(&mut self) -> Result<Option<(u64, bool, Vec<String>)>, RosterError> {
        match &mut self.inner {
            Inner::Csv(reader, record) => loop {
                if !reader.read_record(record).map_err(csv_error)? {
                    return Ok(None);
                }
                if record.len() == 1 && record.get(0).is_some_and(str::is_empty) {
                    continue;
                }
                let start = record.position().map_or(0, csv::Position::byte);
                let end = reader.position().byte();
                let line = reader.get_mut().line_at(start);
                let last = reader.get_ref().ends_at(end);
                let cells = record.iter().map(str::to_string).collect();
                return Ok(Some((line, last, cells)));
            },
            Inner::Sheet(rows) => loop {
                let Some((line, cells)) = rows.next() else {
                    return Ok(None);
                };
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                return Ok(Some((line, false, cells)));
            },
        }
    }

    fn read_row(&mut self) -> Result<Option<Row>, RosterError> {
        let Some((line, last, cells)) = self.next_cells()? else {
            return Ok(None);
        };
        let width = self.headers.width();
        // A quote opened and never closed swallows the rest of the file into one cell.
        let spans_lines = cells.iter().position(|cell| cell.contains('\n'));
        if let Some(column) = spans_lines
            && (last || cells.len() != width)
        {
            return Err(RosterError::NotCsv {
                line,
                message: format!(
                    "a quote `\"` opened in column {} is never closed, so the rest of the \
                     file ran into one cell; close the quote (引号未闭合)",
                    column + 1
                ),
            });
        }
        let extra_filled = cells.iter().skip(width).any(|cell| !cell.trim().is_empty());
        if cells.len() < width || extra_filled {
            let message = if extra_filled {
                format!(
                    "this row has {} fields where the header has {width} (a comma too many, \
                     or a cell that needs quotes?)",
                    cells.len()
                )
            } else {
                format!(
                    "this row has {} fields where the header has {width}",
                    cells.len()
                )
            };
            return Err(RosterError::NotCsv { line, message });
        }
        Ok(Some(self.headers.row(line, &cells)))
    }
}

impl Iterator for RowReader {
    type Item = Result<Row, RosterError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.read_row().transpose();
        if !matches!(next, Some(Ok(_))) {
            self.done = true;
        }
        next
    }
}
