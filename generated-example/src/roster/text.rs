//! Roster text as schools save it: UTF-8 with or without a byte-order mark, GBK/GB18030 (what
//! Excel in China writes for "CSV"), or UTF-16 with a byte-order mark. The encoding is detected
//! from the bytes, and the text is handed on as UTF-8 with every line ending made `\n`, so that
//! a file with CR-only line endings is numbered the way an editor numbers it.

use std::io::{self, Read};

use super::RosterError;

/// A text encoding a roster can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel's "CSV UTF-8" writes).
    Utf8Bom,
    /// GBK or its superset GB18030 (Excel's "CSV" on a Chinese system).
    Gb18030,
    /// UTF-16, little-endian, with a byte-order mark.
    Utf16Le,
    /// UTF-16, big-endian, with a byte-order mark.
    Utf16Be,
}

impl TextEncoding {
    /// The name a report shows.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (with BOM)",
            TextEncoding::Gb18030 => "GBK/GB18030",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
        }
    }

    fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => encoding_rs::UTF_8,
            TextEncoding::Gb18030 => encoding_rs::GB18030,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
        }
    }
}

const CHUNK: usize = 64 * 1024;

/// Works out the encoding of `input` (read to its end, a chunk at a time).
///
/// # Errors
///
/// When the bytes are binary data, UTF-16 without a byte-order mark, or text in none of the
/// encodings above; the line is the first one that could not be read.
pub fn detect(mut input: impl Read) -> Result<TextEncoding, RosterError> {
    let mut chunk = vec![0; CHUNK];
    let first = read_full(&mut input, &mut chunk).map_err(RosterError::Io)?;
    let head = chunk[..first.min(512)].to_vec();
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok(TextEncoding::Utf8Bom);
    }
    if head.starts_with(b"\xFF\xFE") {
        return Ok(TextEncoding::Utf16Le);
    }
    if head.starts_with(b"\xFE\xFF") {
        return Ok(TextEncoding::Utf16Be);
    }
    // Whole-file checks, a chunk at a time: UTF-8 and GB18030 both at once.
    let mut utf8 = Utf8Check::default();
    let mut gb = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut gb_ok = true;
    let mut scratch = String::with_capacity(CHUNK * 2);
    let mut lines = LineCount::default();
    let mut len = first;
    loop {
        let bytes = &chunk[..len];
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
            let nuls = head.iter().filter(|&&b| b == 0).count();
            let message = if nuls * 4 >= head.len() {
                "it looks like UTF-16 text without a byte-order mark; save it as UTF-8 \
                 (Excel: 另存为 → CSV UTF-8) or as UTF-16 with a byte-order mark"
            } else {
                "the file holds binary data; a roster is CSV text or an .xlsx workbook"
            };
            return Err(RosterError::NotCsv {
                line: lines.line_at(bytes, at),
                message: message.into(),
            });
        }
        let last = len == 0;
        if let Some(at) = utf8.feed(bytes, last) {
            utf8.bad_line.get_or_insert(lines.line_at(bytes, at));
        }
        if gb_ok {
            scratch.clear();
            scratch.reserve(
                gb.max_utf8_buffer_length_without_replacement(bytes.len())
                    .unwrap_or(bytes.len() * 3),
            );
            let (result, _) = gb.decode_to_string_without_replacement(bytes, &mut scratch, last);
            gb_ok = !matches!(result, encoding_rs::DecoderResult::Malformed(..));
        }
        lines.advance(bytes);
        if last || (utf8.bad_line.is_some() && !gb_ok) {
            break;
        }
        len = read_full(&mut input, &mut chunk).map_err(RosterError::Io)?;
    }
    match (utf8.bad_line, gb_ok) {
        (None, _) => Ok(TextEncoding::Utf8),
        (Some(_), true) => Ok(TextEncoding::Gb18030),
        (Some(line), false) => Err(RosterError::NotCsv {
            line,
            message: "the file is not text in UTF-8, GBK/GB18030 or UTF-16 (with a byte-order \
                      mark); save it from Excel as CSV UTF-8, or give the .xlsx workbook"
                .into(),
        }),
    }
}

/// Reads until `buf` is full or the input ends.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// UTF-8 validation across chunk boundaries.
#[derive(Default)]
struct Utf8Check {
    /// Bytes of a character cut by the end of the previous chunk.
    carry: Vec<u8>,
    bad_line: Option<u64>,
}

impl Utf8Check {
    /// Feeds a chunk; the offset (in `bytes`) of the first invalid byte, if any.
    fn feed(&mut self, bytes: &[u8], last: bool) -> Option<usize> {
        if self.bad_line.is_some() {
            return None;
        }
        let mut joined = std::mem::take(&mut self.carry);
        let carried = joined.len();
        joined.extend_from_slice(bytes);
        match std::str::from_utf8(&joined) {
            Ok(_) => None,
            Err(error) if error.error_len().is_none() && !last => {
                self.carry = joined[error.valid_up_to()..].to_vec();
                None
            }
            Err(error) => Some(error.valid_up_to().saturating_sub(carried)),
        }
    }
}

/// Line numbers as editors count them: `\n`, `\r\n` and a lone `\r` each end a line.
#[derive(Default)]
struct LineCount {
    lines: u64,
    after_cr: bool,
}

impl LineCount {
    /// The line of offset `at` in `bytes` (which follow what was counted so far).
    fn line_at(&self, bytes: &[u8], at: usize) -> u64 {
        let mut count = LineCount {
            lines: self.lines,
            after_cr: self.after_cr,
        };
        count.advance(&bytes[..at.min(bytes.len())]);
        count.lines + 1
    }

    fn advance(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' => self.lines += 1,
                b'\r' => {
                    self.lines += 1;
                    self.after_cr = true;
                }
                _ => self.after_cr = false,
            }
        }
    }
}

/// UTF-8 text decoded from a roster in `encoding`, its byte-order mark removed and every line
/// ending (`\r\n`, lone `\r`) made `\n`.
pub struct TextReader<R> {
    raw: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    decoded: String,
    out: Vec<u8>,
    at: usize,
    after_cr: bool,
    done: bool,
    /// Bytes handed out so far plus those waiting in `out`.
    produced: u64,
    /// Offsets (in the text handed out) of the line breaks not yet passed by [`Self::line_at`].
    breaks: std::collections::VecDeque<u64>,
    /// Line breaks already passed.
    passed: u64,
}

impl<R: Read> TextReader<R> {
    /// Decodes `raw`, which is in `encoding`.
    pub fn new(raw: R, encoding: TextEncoding) -> Self {
        Self {
            raw,
            decoder: encoding.encoding().new_decoder_with_bom_removal(),
            input: vec![0; CHUNK],
            decoded: String::new(),
            out: Vec::with_capacity(CHUNK),
            at: 0,
            after_cr: false,
            done: false,
            produced: 0,
            breaks: std::collections::VecDeque::new(),
            passed: 0,
        }
    }

    /// The line of the first character at or after `offset` that is not a line break (where a
    /// record found at `offset` starts, blank lines skipped). Offsets must not go backwards.
    pub fn line_at(&mut self, mut offset: u64) -> u64 {
        while let Some(&at) = self.breaks.front() {
            if at < offset {
                self.breaks.pop_front();
                self.passed += 1;
            } else if at == offset {
                self.breaks.pop_front();
                self.passed += 1;
                offset += 1;
            } else {
                break;
            }
        }
        self.passed + 1
    }

    /// Whether the text ends at `offset`.
    pub fn ends_at(&self, offset: u64) -> bool {
        self.done && offset >= self.produced
    }

    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.at = 0;
        while self.out.is_empty() && !self.done {
            let n = read_full(&mut self.raw, &mut self.input)?;
            let last = n == 0;
            self.decoded.clear();
            self.decoded
                .reserve(self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16));
            let (_, _, _) =
                self.decoder
                    .decode_to_string(&self.input[..n], &mut self.decoded, last);
            for &b in self.decoded.as_bytes() {
                match b {
                    b'\n' if self.after_cr => self.after_cr = false,
                    b'\r' | b'\n' => {
                        self.breaks.push_back(self.produced + self.out.len() as u64);
                        self.out.push(b'\n');
                        self.after_cr = b == b'\r';
                    }
                    _ => {
                        self.after_cr = false;
                        self.out.push(b);
                    }
                }
            }
            self.done = last;
        }
        self.produced += self.out.len() as u64;
        Ok(())
    }
}

impl<R: Read> Read for TextReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at >= self.out.len() {
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (TextEncoding, String) {
        let encoding = detect(bytes).expect("detected");
        let mut text = String::new();
        TextReader::new(bytes, encoding)
            .read_to_string(&mut text)
            .expect("decoded");
        (encoding, text)
    }

    #[test]
    fn every_supported_encoding_decodes_to_the_same_text() {
        let text = "学号,姓名\n2024001,张三\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        for (bytes, expected) in [
            (text.as_bytes().to_vec(), TextEncoding::Utf8),
            (bom, TextEncoding::Utf8Bom),
            (gbk.into_owned(), TextEncoding::Gb18030),
            (utf16, TextEncoding::Utf16Le),
            (utf16be, TextEncoding::Utf16Be),
        ] {
            assert_eq!(decode(&bytes), (expected, text.to_string()));
        }
    }

    #[test]
    fn line_endings_become_newlines_even_across_chunks() {
        let mut text = "a\r".repeat(CHUNK / 2 + 3);
        text.push_str("b\r\nc\rd");
        let (_, decoded) = decode(text.as_bytes());
        assert_eq!(decoded.matches('\n').count(), CHUNK / 2 + 5);
        assert!(!decoded.contains('\r'));
    }

    #[test]
    fn what_is_not_text_is_told_apart() {
        let utf16_without_bom: Vec<u8> = "学号,姓名\n1,a\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let error = detect(utf16_without_bom.as_slice()).expect_err("no BOM");
        assert!(error.to_string().contains("UTF-16"), "{error}");
        let error = detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice()).expect_err("binary");
        assert!(error.to_string().contains("binary"), "{error}");
        let error = detect(b"a,b\r\nc,d\n\xFF\xFF\xFF\n".as_slice()).expect_err("garbage");
        assert!(error.to_string().starts_with("line 3:"), "{error}");
    }
}
