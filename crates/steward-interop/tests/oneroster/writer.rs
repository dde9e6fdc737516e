//! The 1.2 bulk writer: exact headers and manifest, RFC 4180 quoting, and read → write → read round trips.

use std::collections::BTreeMap;
use std::path::PathBuf;

use steward_interop::oneroster::{self, Package, Record, Status};
use steward_interop::Strictness;

use super::fixtures::*;
use super::samples::sample;

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("steward-interop-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The records a bulk set can carry: live ones, without status and dateLastModified.
fn as_bulk(tables: &BTreeMap<String, Vec<Record>>) -> BTreeMap<String, Vec<Record>> {
    let strip = |r: &Record| Record { status: None, date_last_modified: None, ..r.clone() };
    tables
        .iter()
        .map(|(stem, records)| {
            (stem.clone(), records.iter().filter(|r| r.status != Some(Status::ToBeDeleted)).map(strip).collect())
        })
        .filter(|(_, records): &(String, Vec<Record>)| !records.is_empty())
        .collect()
}

/// Writes `p`'s records as a bulk set, reads it back strictly, and checks nothing changed or was reported.
fn round_trip(p: &Package, name: &str) -> Package {
    let dir = TempDir::new(name);
    oneroster::write_bulk(&dir.0, &p.records, None).expect("write");
    let again = oneroster::read_dir(&dir.0, Strictness::Strict).expect("read back");
    assert_eq!(shown(&again), Vec::<String>::new(), "{name}");
    assert_eq!(again.records, as_bulk(&p.records), "{name}");
    again
}

#[test]
fn the_full_1_2_set_round_trips_and_reads_strictly_clean() {
    let p = read_full(&[], Strictness::Strict);
    let again = round_trip(&p, "full");
    assert_eq!(again.records.len(), 21);
}

#[test]
fn a_1_1_set_round_trips_as_1_2() {
    let p = read_1_1_set();
    assert!(p.is_accepted());
    let again = round_trip(&p, "v1_1");
    assert_eq!(again.manifest.as_ref().map(|m| m.version), Some(oneroster::Version::V1_2));
    assert_eq!(again.records["roles"].len(), 6);
}

fn read_1_1_set() -> Package {
    oneroster::read_files(package_1_1(&[]), Strictness::Lenient)
}

#[test]
fn every_accepted_real_sample_set_round_trips() {
    let dirs = [
        "oneroster-moodle-enrol_oneroster/oneroster_test_data",
        "oneroster-moodle-enrol_oneroster/Test_minimal_data_set",
        "oneroster-moodle-enrol_oneroster/Test_full_data_set",
        "oneroster-moodle-enrol_oneroster/v1p2_full_dataset",
        "oneroster-oat-sa-import/OneRosterv1p1BaseCSV",
    ];
    let mut accepted = 0;
    for dir in dirs {
        let Some(path) = sample(dir) else { return };
        let p = oneroster::read_dir(&path, Strictness::Lenient).expect("sample reads");
        if p.is_accepted() {
            accepted += 1;
            round_trip(&p, &dir.replace('/', "-"));
        }
    }
    assert_eq!(accepted, 1, "the Moodle oneroster_test_data set is the one accepted sample");
}

#[test]
fn the_manifest_lists_all_21_files_and_names_the_source() {
    let p = read(&[], Strictness::Strict);
    let mut out = Vec::new();
    oneroster::write_manifest(&mut out, &p.records, Some("District SIS")).expect("write");
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(lines[..3], ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.2"]);
    assert_eq!(lines.len(), 3 + 21 + 1);
    assert_eq!(lines[3], "file.academicSessions,bulk");
    assert!(lines.contains(&"file.results,absent") && lines.contains(&"file.roles,bulk"));
    assert_eq!(lines.iter().filter(|l| l.ends_with(",bulk")).count(), 8);
    assert_eq!(lines[24], "source.systemName,District SIS");
    let mut out = Vec::new();
    oneroster::write_manifest(&mut out, &BTreeMap::new(), None).expect("write");
    assert!(String::from_utf8(out).expect("utf-8").ends_with("source.systemName,Steward\r\n"));
}

#[test]
fn files_have_the_exact_spec_header_then_sorted_extensions_and_quote_as_rfc_4180() {
    let orgs = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.size,ext_b\n\
d1,,,\"District, \"\"North\"\"\",district,,,big,\n\
s1,,,School,school,NCES1,d1,,7\n";
    let p = read(&[("orgs.csv", orgs)], Strictness::Strict);
    assert_eq!(shown(&p), Vec::<String>::new());
    let mut records = p.records["orgs"].clone();
    records[1].extensions.insert("ext_a".into(), "x".into());
    let mut out = Vec::new();
    oneroster::write_file(&mut out, "orgs", &records).expect("write");
    assert_eq!(
        String::from_utf8(out).expect("utf-8"),
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,ext_a,ext_b,metadata.size\r\n\
d1,,,\"District, \"\"North\"\"\",district,,,,,big\r\n\
s1,,,School,school,NCES1,d1,x,7,\r\n"
    );
    let mut out = Vec::new();
    oneroster::write_file(&mut out, "users", &p.records["users"]).expect("write");
    let header = String::from_utf8(out).expect("utf-8").lines().next().unwrap_or_default().to_owned();
    assert_eq!(header, USERS_HEADER);
}

#[test]
fn case_ids_are_written_as_uuid_urns() {
    let p = read_full(&[], Strictness::Strict);
    let mut out = Vec::new();
    oneroster::write_file(&mut out, "lineItemLearningObjectiveIds", &p.records["lineItemLearningObjectiveIds"])
        .expect("write");
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("lo1,,,li1,case,urn:uuid:9a5e1e22-3f0c-11e8-b467-0ed5f89f718b\r\n"), "{text}");
    assert!(text.contains("lo2,,,li1,unknown,NY-5.NF.1\r\n"), "{text}");
}

#[test]
fn records_being_deleted_are_left_out_and_a_file_of_only_those_is_absent() {
    let mut p = read(&[], Strictness::Strict);
    let demographics = p.records.get_mut("demographics").expect("demographics");
    demographics[0].status = Some(Status::ToBeDeleted);
    let users = p.records.get_mut("users").expect("users");
    users[0].status = Some(Status::Active);
    let zip = oneroster::write_bulk_zip(&p.records, None).expect("zip");
    let again = oneroster::read_zip_bytes(&zip, Strictness::Strict).expect("read zip");
    assert_eq!(shown(&again), Vec::<String>::new());
    assert_eq!(again.manifest.as_ref().map(|m| m.mode("demographics")), Some(oneroster::Mode::Absent));
    assert!(!again.records.contains_key("demographics"));
    assert_eq!(again.records, as_bulk(&p.records));
}

#[test]
fn what_cannot_be_written_as_a_valid_set_is_refused() {
    let p = read(&[], Strictness::Strict);
    let mut out = Vec::new();
    let err = oneroster::write_file(&mut out, "students", &[]).expect_err("unknown file");
    assert_eq!(err.to_string(), "students is not a OneRoster 1.2 file");
    let mut short = p.records["orgs"].clone();
    short[0].values.pop();
    let err = oneroster::write_file(&mut out, "orgs", &short).expect_err("short record");
    assert_eq!(err.to_string(), "orgs record d1 has 3 values, not 4");
    let mut broken = p.records["orgs"].clone();
    broken[1].values[0] = Some("Two\rLines".into());
    let err = oneroster::write_file(&mut Vec::new(), "orgs", &broken).expect_err("carriage return");
    assert_eq!(err.to_string(), "orgs record s1 has a carriage return in a value");
    let mut tables = p.records.clone();
    tables.insert("grades".into(), Vec::new());
    assert!(oneroster::write_bulk_zip(&tables, None).is_err());
    let dir = TempDir::new("refused");
    assert!(oneroster::write_bulk(&dir.0, &tables, None).is_err());
    assert!(!dir.0.exists(), "nothing is written for an unknown file");
    let mut tables = p.records.clone();
    tables.insert("orgs".into(), short);
    let err = oneroster::write_bulk(&dir.0, &tables, None).expect_err("short record");
    assert_eq!(err.to_string(), "orgs record d1 has 3 values, not 4");
    assert!(!dir.0.exists(), "nothing is written for a record that does not fit");
    oneroster::write_bulk(&dir.0, &p.records, None).expect("write into a missing directory");
    let err = oneroster::write_bulk(&dir.0, &p.records, None).expect_err("a directory holding a set");
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
}

#[test]
fn a_zip_can_be_written_to_any_seekable_writer() {
    let p = read_full(&[], Strictness::Strict);
    let dir = TempDir::new("zip-file");
    std::fs::create_dir_all(&dir.0).expect("dir");
    let path = dir.0.join("export.zip");
    let file = std::fs::File::create(&path).expect("create");
    oneroster::write_bulk_zip_to(file, &p.records, Some("Steward test")).expect("write");
    let again = oneroster::read_zip(&path, Strictness::Strict).expect("read");
    assert_eq!(shown(&again), Vec::<String>::new());
    assert_eq!(again.manifest.and_then(|m| m.source_system_name).as_deref(), Some("Steward test"));
    assert_eq!(again.records, p.records);
}

#[test]
fn awkward_text_round_trips() {
    let mut p = read(&[], Strictness::Strict);
    let awkward =
        ["Comma, Inc.", "\"Quoted\" name", "  padded  ", "École Saint-Jérôme 学校", "Line\nbreak", "'single'"];
    let orgs = p.records.get_mut("orgs").expect("orgs");
    let template = orgs[1].clone();
    for (i, name) in awkward.iter().enumerate() {
        let mut org = template.clone();
        org.sourced_id = format!("x{i}");
        org.values[0] = Some((*name).to_owned());
        org.extensions.insert("metadata.note".into(), (*name).to_owned());
        orgs.push(org);
    }
    let again = round_trip(&p, "awkward");
    let names: Vec<_> = again.records["orgs"][2..].iter().map(|o| o.get("orgs", "name").unwrap_or_default()).collect();
    assert_eq!(names, awkward);
}
