//! One OneRoster CSV file being written row by row, with the spec header, and the manifest.

use std::fmt::Write as _;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use anyhow::{bail, Context};
use steward_interop::oneroster::spec::{self, Version};

/// A data file of a 1.2 set, streamed field by field to a buffered file.
pub struct Table {
    pub name: &'static str,
    pub header: Vec<&'static str>,
    writer: csv::Writer<BufWriter<File>>,
    /// Fields written in the current row.
    fields: usize,
    pub rows: u64,
    scratch: String,
    error: Option<csv::Error>,
}

impl Table {
    /// Creates `dir/<name>.csv` with the exact 1.2 spec header of `name`.
    pub fn create(dir: &Path, name: &'static str) -> anyhow::Result<Table> {
        let columns = spec::columns(name, Version::V1_2).with_context(|| format!("{name} is not a 1.2 file"))?;
        let header = columns.iter().map(|c| c.name).collect();
        Table::with_header(dir, name, header)
    }

    /// Creates `dir/<name>.csv` with the given header (a delta copies the header it read).
    pub fn with_header(dir: &Path, name: &'static str, header: Vec<&'static str>) -> anyhow::Result<Table> {
        let path = dir.join(format!("{name}.csv"));
        let file = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut writer = csv::Writer::from_writer(BufWriter::with_capacity(1 << 18, file));
        writer.write_record(&header)?;
        Ok(Table { name, header, writer, fields: 0, rows: 0, scratch: String::new(), error: None })
    }

    /// The position of a header column (for rows built by name).
    pub fn index(&self, column: &str) -> anyhow::Result<usize> {
        match self.header.iter().position(|c| *c == column) {
            Some(i) => Ok(i),
            None => bail!("{}.csv has no column {column}", self.name),
        }
    }

    /// Writes the next field of the current row.
    pub fn f(&mut self, value: &str) -> &mut Self {
        self.fields += 1;
        if let Err(e) = self.writer.write_field(value) {
            self.error.get_or_insert(e);
        }
        self
    }

    /// Writes the next field, formatted without allocating a string per field.
    pub fn fmt(&mut self, args: std::fmt::Arguments<'_>) -> &mut Self {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let _ = scratch.write_fmt(args);
        self.f(&scratch);
        self.scratch = scratch;
        self
    }

    /// Writes `n` blank fields.
    pub fn blank(&mut self, n: usize) -> &mut Self {
        for _ in 0..n {
            self.f("");
        }
        self
    }

    /// Ends the row; every row must have exactly the header's fields.
    pub fn end(&mut self) -> anyhow::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e).with_context(|| format!("writing {}.csv", self.name));
        }
        if self.fields != self.header.len() {
            bail!(
                "{}.csv row {} has {} fields, the header {}",
                self.name,
                self.rows + 1,
                self.fields,
                self.header.len()
            );
        }
        self.writer.write_record(None::<&[u8]>)?;
        self.fields = 0;
        self.rows += 1;
        Ok(())
    }

    /// Writes a whole row of values in header order.
    pub fn row<S: AsRef<str>>(&mut self, values: &[S]) -> anyhow::Result<()> {
        for v in values {
            self.f(v.as_ref());
        }
        self.end()
    }

    /// Flushes the file; returns (name, rows).
    pub fn finish(mut self) -> anyhow::Result<(&'static str, u64)> {
        self.writer.flush().with_context(|| format!("writing {}.csv", self.name))?;
        Ok((self.name, self.rows))
    }
}

/// Writes `manifest.csv`: `supplied` files in `mode` (`bulk` or `delta`), every other 1.2 file absent.
pub fn write_manifest(dir: &Path, supplied: &[&str], mode: &str) -> anyhow::Result<()> {
    let path = dir.join("manifest.csv");
    let file = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = csv::Writer::from_writer(BufWriter::new(file));
    w.write_record(["propertyName", "value"])?;
    w.write_record(["manifest.version", "1.0"])?;
    w.write_record(["oneroster.version", "1.2"])?;
    for file in spec::files(Version::V1_2) {
        let value = if supplied.contains(&file) { mode } else { "absent" };
        w.write_record([format!("file.{file}").as_str(), value])?;
    }
    w.write_record(["source.systemName", "Steward generator"])?;
    w.write_record(["source.systemCode", "steward-generate"])?;
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_must_fill_the_spec_header_exactly() {
        let dir = std::env::temp_dir().join(format!("steward-table-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut t = Table::create(&dir, "orgs").unwrap();
        assert_eq!(
            t.header,
            ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"]
        );
        t.row(&["org-1", "", "", "A district, with a comma", "district", "0600001", ""]).unwrap();
        let short = t.row(&["org-2", "", ""]).unwrap_err().to_string();
        assert!(short.contains("orgs.csv row 2 has 3 fields, the header 7"), "{short}");
        assert_eq!(t.finish().unwrap(), ("orgs", 1));
        let text = std::fs::read_to_string(dir.join("orgs.csv")).unwrap();
        assert!(text.contains("\norg-1,,,\"A district, with a comma\",district,0600001,\n"), "{text}");
        assert!(Table::create(&dir, "nonsense").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
