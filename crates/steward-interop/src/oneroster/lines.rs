//! CSV records read one at a time from any byte stream, each with the physical line it starts on.
//!
//! Built on `csv-core` rather than `csv::Reader` because a record's line must be exact for every problem: the line
//! is 1 + the line feeds before the record's first byte that is not a line ending (blank lines and the LF of a CRLF
//! count; LFs inside quoted fields count for the records after). `csv::Reader` positions a record before the line
//! endings it skips, which without the whole text cannot be corrected. A UTF-8 BOM at the start is skipped.

use std::io::{self, BufRead, BufReader, Read};

/// The fields of one record, borrowed from the reader until the next record is read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> Fields<'a> {
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..end])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when any field holds a carriage return.
    pub fn has_carriage_return(&self) -> bool {
        self.text.contains('\r')
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// What [`CsvLines::next`] found.
pub(crate) enum Next<'a> {
    Record {
        line: u64,
        fields: Fields<'a>,
    },
    /// The record starting at `line` is not UTF-8; nothing after it is read.
    NotUtf8 {
        line: u64,
    },
    End,
}

pub(crate) struct CsvLines<R> {
    input: BufReader<R>,
    core: csv_core::Reader,
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// Line feeds consumed so far.
    line_feeds: u64,
    /// Bytes consumed so far.
    consumed: u64,
    started: bool,
}

impl<R: Read> CsvLines<R> {
    pub fn new(input: R) -> Self {
        CsvLines {
            input: BufReader::with_capacity(256 * 1024, input),
            core: csv_core::Reader::new(),
            bytes: vec![0; 4096],
            ends: vec![0; 64],
            line_feeds: 0,
            consumed: 0,
            started: false,
        }
    }

    /// Bytes of the input read so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    pub fn next(&mut self) -> io::Result<Next<'_>> {
        if !self.started {
            self.started = true;
            self.skip_bom()?;
        }
        self.skip_line_endings()?;
        let line = self.line_feeds + 1;
        let (mut out, mut nends) = (0, 0);
        loop {
            let input = self.input.fill_buf()?;
            let (result, nin, nout, nend) =
                self.core.read_record(input, &mut self.bytes[out..], &mut self.ends[nends..]);
            self.line_feeds += input[..nin].iter().filter(|b| **b == b'\n').count() as u64;
            self.input.consume(nin);
            self.consumed += nin as u64;
            out += nout;
            nends += nend;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => self.bytes.resize(self.bytes.len() * 2, 0),
                csv_core::ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::End => return Ok(Next::End),
            }
        }
        let ends = &self.ends[..nends];
        match std::str::from_utf8(&self.bytes[..out]) {
            // A field boundary inside a character would make two invalid fields of one valid text.
            Ok(text) if ends.iter().all(|e| text.is_char_boundary(*e)) => {
                Ok(Next::Record { line, fields: Fields { text, ends } })
            }
            _ => Ok(Next::NotUtf8 { line }),
        }
    }

    fn skip_bom(&mut self) -> io::Result<()> {
        if self.input.fill_buf()?.starts_with(b"\xef\xbb\xbf") {
            self.input.consume(3);
            self.consumed += 3;
        }
        Ok(())
    }

    /// Consumes the CR and LF bytes before a record, counting the LFs: they belong before its first line.
    fn skip_line_endings(&mut self) -> io::Result<()> {
        loop {
            let buf = self.input.fill_buf()?;
            let n = buf.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
            self.line_feeds += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
            let whole = n == buf.len() && n > 0;
            self.input.consume(n);
            self.consumed += n as u64;
            if !whole {
                return Ok(());
            }
        }
    }
}
