//! Rosters in an Excel workbook (`.xlsx`, and the older `.xls`), read through `calamine`:
//! the first sheet, or the one named. Each cell becomes the text it shows; a formula cell is read
//! as its stored value, never evaluated.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::RosterError;
use crate::calendar::civil_from_days;

/// Whether `bytes` start like a workbook (a zip archive or an OLE compound file).
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// One sheet's rows as text, each with its row number in the sheet (1-based).
#[derive(Debug, Clone)]
pub struct SheetRows {
    /// The sheet's name.
    pub name: String,
    /// `(row number, cells)`, in order, from the first row that has a value.
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Reads sheet `sheet` (or the first) of the workbook in `bytes`.
///
/// # Errors
///
/// When the workbook cannot be read or has no such sheet.
pub fn read(bytes: Vec<u8>, sheet: Option<&str>) -> Result<SheetRows, RosterError> {
    let mut workbook =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|error| RosterError::NotCsv {
            line: 1,
            message: format!("the workbook cannot be read: {error}"),
        })?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|name| name.as_str() == wanted)
            .cloned()
            .ok_or_else(|| RosterError::NoSuchSheet {
                wanted: wanted.to_string(),
                available: names.clone(),
            })?,
        None => names.first().cloned().ok_or(RosterError::Empty)?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|error| RosterError::NotCsv {
            line: 1,
            message: format!("sheet `{name}` cannot be read: {error}"),
        })?;
    let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i as u64 + 1, cells.iter().map(text).collect()))
        .collect();
    Ok(SheetRows { name, rows })
}

/// The text a cell shows: whole numbers without a decimal point (card numbers and phone numbers
/// are often typed as numbers), dates as `YYYY-MM-DD HH:MM:SS`.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(at) if !at.is_duration() => serial_to_text(at.as_f64()),
        Data::DateTime(at) => at.as_f64().to_string(),
        Data::DateTimeIso(text) => text.replacen('T', " ", 1),
        Data::DurationIso(text) => text.clone(),
        Data::Error(error) => error.to_string(),
    }
}

/// An Excel date serial (days since 1899-12-30, the fraction the time of day) as text.
fn serial_to_text(serial: f64) -> String {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return serial.to_string();
    }
    let days = serial.floor() as i64;
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    let (days, seconds) = (days + seconds / 86_400, seconds % 86_400);
    // 1899-12-30 is 25,569 days before 1970-01-01.
    let (year, month, day) = civil_from_days(days - 25_569);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_they_show() {
        assert_eq!(text(&Data::Float(20_210_101_001.0)), "20210101001");
        assert_eq!(text(&Data::Float(2.5)), "2.5");
        assert_eq!(text(&Data::Int(2021)), "2021");
        assert_eq!(text(&Data::String("=1+1".into())), "=1+1");
        // 2025-07-31 18:30:00
        assert_eq!(
            serial_to_text(45_869.770_833_333_336),
            "2025-07-31 18:30:00"
        );
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }
}
