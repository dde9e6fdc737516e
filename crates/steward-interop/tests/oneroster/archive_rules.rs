//! Zip packaging: entries at the root are read; entries in folders are reported; non-zips fail.

use std::io::Write;

use steward_interop::oneroster;
use steward_interop::Strictness;

use super::fixtures::*;

fn zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(name.as_str(), options).expect("start entry");
        writer.write_all(data).expect("write entry");
    }
    writer.finish().expect("finish zip").into_inner()
}

#[test]
fn a_zipped_valid_set_reads_clean() {
    let p = oneroster::read_zip_bytes(&zip(&package(&[])), Strictness::Strict).expect("zip");
    assert!(p.is_accepted(), "{:?}", p.problems);
    assert_eq!(count(&p, "users"), 2);
}

#[test]
fn entries_inside_a_folder_are_reported_and_not_read() {
    let entries: Vec<_> = package(&[]).into_iter().map(|(n, d)| (format!("export/{n}"), d)).collect();
    let p = oneroster::read_zip_bytes(&zip(&entries), Strictness::Lenient).expect("zip");
    let shown: Vec<String> = p.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown[0],
        "export/orgs.csv: sits in a folder; a package's CSV files must sit at the root of the zip; not read"
    );
    assert_eq!(
        shown.last().map(String::as_str),
        Some("manifest.csv: is missing (OneRoster 1.0 sets without a manifest are not supported)")
    );
}

#[test]
fn bytes_that_are_not_a_zip_fail_to_open() {
    assert!(oneroster::read_zip_bytes(b"sourcedId,status\n", Strictness::Lenient).is_err());
}
