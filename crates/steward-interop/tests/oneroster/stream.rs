//! The streaming reader: the records and problems it hands over, in what order, in what batches, and how a failing
//! sink stops it.

use std::collections::BTreeMap;
use std::path::Path;

use steward_interop::oneroster::{self, Mode, Record, Report, Sink, StreamError, BATCH_SIZE, READ_ORDER};
use steward_interop::Strictness;

use super::fixtures::*;
use super::samples::sample;

/// What the reader told the sink, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    Batch(String, usize),
    Withdrawn(String, Vec<u64>),
    Done(String),
}

/// Keeps every record (dropping withdrawn ones), every event and the progress heard; fails on `fail_at` batches.
#[derive(Default)]
struct Recorder {
    records: BTreeMap<String, Vec<Record>>,
    events: Vec<Event>,
    progress: Vec<(String, u64, u64)>,
    fail_at: Option<usize>,
}

impl Sink for Recorder {
    type Error = String;

    fn records(&mut self, file: &str, _mode: Mode, batch: Vec<Record>) -> Result<(), String> {
        let batches = self.events.iter().filter(|e| matches!(e, Event::Batch(..))).count();
        if self.fail_at == Some(batches) {
            return Err(format!("disk full at batch {batches}"));
        }
        self.events.push(Event::Batch(file.to_owned(), batch.len()));
        self.records.entry(file.to_owned()).or_default().extend(batch);
        Ok(())
    }

    fn withdrawn(&mut self, file: &str, indices: &[u64]) -> Result<(), String> {
        self.events.push(Event::Withdrawn(file.to_owned(), indices.to_vec()));
        let records = self.records.get_mut(file).ok_or("withdrawn from a file never handed")?;
        for index in indices.iter().rev() {
            records.remove(*index as usize);
        }
        Ok(())
    }

    fn file_done(&mut self, file: &str, _mode: Mode) -> Result<(), String> {
        self.events.push(Event::Done(file.to_owned()));
        Ok(())
    }

    fn progress(&mut self, file: &str, read: u64, total: u64) {
        self.progress.push((file.to_owned(), read, total));
    }
}

fn stream(files: Vec<(String, Vec<u8>)>, strictness: Strictness) -> (Report, Recorder) {
    let mut recorder = Recorder::default();
    let report = oneroster::stream_files(files, strictness, &mut recorder).expect("in-memory files stream");
    (report, recorder)
}

/// The streamed records and problems equal the whole-package reader's.
fn same_as_collected(name: &str, report: &Report, recorder: &Recorder, package: &oneroster::Package) {
    assert_eq!(report.problems, package.problems, "{name}");
    assert_eq!((report.error_count, report.warning_count), (package.error_count, package.warning_count), "{name}");
    assert_eq!(report.modes, package.modes, "{name}");
    for (file, records) in &package.records {
        let streamed = recorder.records.get(file).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(streamed, records.as_slice(), "{name} {file}");
        assert_eq!(report.records.get(file).copied(), Some(records.len() as u64), "{name} {file}");
    }
}

#[test]
fn streaming_hands_the_same_records_as_the_whole_package_readers() {
    let fixtures = [
        ("rostering", package(&[])),
        ("full", full_package(&[])),
        ("1.1", package_1_1(&[])),
        ("dangling parent", package(&[("orgs.csv", &format!("{ORGS}s2,,,School 2,school,,d9\n"))])),
    ];
    for (name, files) in fixtures {
        for strictness in [Strictness::Lenient, Strictness::Strict] {
            let (report, recorder) = stream(files.clone(), strictness);
            same_as_collected(name, &report, &recorder, &oneroster::read_files(files.clone(), strictness));
        }
    }
    let dirs = ["Test_minimal_data_set", "Test_full_data_set", "oneroster_test_data", "v1p2_full_dataset"];
    for name in dirs
        .iter()
        .map(|d| format!("oneroster-moodle-enrol_oneroster/{d}"))
        .chain(["oneroster-oat-sa-import/OneRosterv1p1BaseCSV".to_owned()])
    {
        let Some(dir) = sample(&name) else { return };
        for strictness in [Strictness::Lenient, Strictness::Strict] {
            let mut recorder = Recorder::default();
            let report = oneroster::stream_dir(&dir, strictness, &mut recorder).expect("sample streams");
            let package = oneroster::read_dir(&dir, strictness).expect("sample reads");
            same_as_collected(&name, &report, &recorder, &package);
            let zip = dir.join(format!("../zips/{}.zip", dir.file_name().unwrap_or_default().to_string_lossy()));
            if zip.is_file() {
                let mut zipped = Recorder::default();
                let report = oneroster::stream_zip(&zip, strictness, &mut zipped).expect("sample zip streams");
                same_as_collected(&format!("{name} zip"), &report, &zipped, &package);
            }
        }
    }
}

#[test]
fn files_arrive_in_dependency_order_each_followed_by_file_done() {
    let (report, recorder) = stream(full_package(&[]), Strictness::Strict);
    assert!(report.is_accepted(), "{:?}", report.problems);
    let done: Vec<&str> =
        recorder.events.iter().filter_map(|e| if let Event::Done(f) = e { Some(f.as_str()) } else { None }).collect();
    assert_eq!(done, READ_ORDER);
    // Every batch of a file comes before its file_done, and after the previous file's.
    let mut current = 0;
    for event in &recorder.events {
        match event {
            Event::Batch(file, n) => {
                assert_eq!(file, READ_ORDER[current]);
                assert!(*n > 0 && *n <= BATCH_SIZE);
            }
            Event::Done(file) => {
                assert_eq!(file, READ_ORDER[current]);
                current += 1;
            }
            Event::Withdrawn(..) => panic!("nothing is withdrawn from a clean set"),
        }
    }
    assert_eq!(report.rows["enrollments"], 2);
    assert_eq!(report.records["lineItemLearningObjectiveIds"], 2);
}

#[test]
fn a_1_1_users_file_is_followed_batch_by_batch_by_its_roles() {
    let (_, recorder) = stream(package_1_1(&[]), Strictness::Lenient);
    let users = recorder.events.iter().position(|e| *e == Event::Batch("users".into(), 4)).expect("users batch");
    assert_eq!(
        recorder.events[users..users + 4],
        [
            Event::Batch("users".into(), 4),
            Event::Batch("roles".into(), 6),
            Event::Done("users".into()),
            Event::Done("roles".into()),
        ]
    );
}

#[test]
fn large_files_come_in_full_batches_and_duplicates_are_caught_across_them() {
    let mut orgs = ORGS.to_owned();
    for i in 0..12_000 {
        orgs.push_str(&format!("o{i},,,School {i},school,,d1\n"));
    }
    orgs.push_str("o17,,,Again,school,,d1\n");
    let (report, recorder) = stream(package(&[("orgs.csv", &orgs)]), Strictness::Strict);
    let batches: Vec<usize> = recorder
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Batch(f, n) if f == "orgs" => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(batches, [5_000, 5_000, 2_002]);
    let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["orgs.csv line 12004, column sourcedId: 'o17' duplicate sourcedId (first at line 21)"]);
    assert_eq!(report.rows["orgs"], 12_003);
    let (read, total) = recorder.progress.iter().rev().find(|p| p.0 == "orgs").map(|p| (p.1, p.2)).unwrap_or_default();
    assert_eq!((read, total), (orgs.len() as u64, orgs.len() as u64));
    assert!(recorder.progress.iter().filter(|p| p.0 == "orgs").count() >= 3, "progress after every batch");
}

#[test]
fn references_across_and_within_files_are_caught_where_they_are() {
    // s2's parent comes later in the file (fine); s3's never does, and s3 was already handed over when that showed.
    let orgs = format!("{ORGS}s2,,,School 2,school,,s4\ns3,,,School 3,school,,s9\ns4,,,School 4,school,,d1\n");
    let enrollments = format!("{ENROLLMENTS}e3,,,k1,s1,u7,student,,,\n");
    let users = users().replace("ada,Smith,,,,,,,,", "ada,Smith,,,,,,u2,,");
    let users = users.replace("bob,Smith,,,,,,,,", "bob,Smith,,,,,,\"u1,u8\",,");
    let files = package(&[("orgs.csv", &orgs), ("enrollments.csv", &enrollments), ("users.csv", &users)]);
    let (report, recorder) = stream(files, Strictness::Strict);
    let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    let missing = "refers to a sourcedId missing from";
    assert_eq!(
        shown,
        [
            format!("orgs.csv line 5, column parentSourcedId: 's9' {missing} orgs.csv in this bulk set"),
            format!("users.csv line 3, column agentSourcedIds: 'u8' {missing} users.csv in this bulk set"),
            format!("enrollments.csv line 4, column userSourcedId: 'u7' {missing} users.csv in this bulk set"),
        ]
    );
    assert!(recorder.events.contains(&Event::Withdrawn("orgs".into(), vec![3])), "{:?}", recorder.events);
    assert!(recorder.events.contains(&Event::Withdrawn("users".into(), vec![1])));
    let ids = |file: &str| recorder.records[file].iter().map(|r| r.sourced_id.clone()).collect::<Vec<_>>();
    assert_eq!(ids("orgs"), ["d1", "s1", "s2", "s4"]);
    assert_eq!(ids("users"), ["u1"]);
    assert_eq!(ids("enrollments"), ["e1", "e2"], "e3 never reaches the sink");
    assert_eq!((report.rows["orgs"], report.records["orgs"]), (5, 4));
}

#[test]
fn lines_count_blank_lines_crlf_and_line_feeds_inside_quotes() {
    let orgs = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\r\n\r\n\
d1,,,\"District\nof two lines\",district,,\r\n\ns1,,,School,nowhere,,d1\r\n";
    let (report, recorder) = stream(package(&[("orgs.csv", orgs)]), Strictness::Strict);
    let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown[0], "orgs.csv line 6, column type: 'nowhere' is not one of department|school|district|local|state|national or an 'ext:' value");
    assert_eq!(recorder.records["orgs"][0].get("orgs", "name"), Some("District\nof two lines"));
}

#[test]
fn a_sink_error_stops_the_read_and_is_returned() {
    let mut orgs = ORGS.to_owned();
    for i in 0..12_000 {
        orgs.push_str(&format!("o{i},,,School {i},school,,d1\n"));
    }
    let mut recorder = Recorder { fail_at: Some(1), ..Recorder::default() };
    let result = oneroster::stream_files(package(&[("orgs.csv", &orgs)]), Strictness::Lenient, &mut recorder);
    match result {
        Err(StreamError::Sink(e)) => assert_eq!(e, "disk full at batch 1"),
        other => panic!("expected the sink's error, got {other:?}"),
    }
    assert_eq!(recorder.events, [Event::Batch("orgs".into(), 5_000)], "nothing after the failure");
}

#[test]
fn a_missing_folder_or_zip_is_a_read_error() {
    let mut recorder = Recorder::default();
    let missing = Path::new("/nonexistent/oneroster");
    assert!(matches!(
        oneroster::stream_dir(missing, Strictness::Lenient, &mut recorder),
        Err(StreamError::Read { .. })
    ));
    let zip = Path::new("/nonexistent/oneroster.zip");
    match oneroster::stream_zip(zip, Strictness::Lenient, &mut recorder) {
        Err(StreamError::Read { path, .. }) => assert_eq!(path, "/nonexistent/oneroster.zip"),
        other => panic!("expected a read error, got {other:?}"),
    }
    assert!(recorder.events.is_empty());
}
