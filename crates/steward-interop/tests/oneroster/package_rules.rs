//! Package-level rules: manifest, which files are present, empty files, headers, row shape, cap.

use steward_interop::oneroster::{self, Mode, Version};
use steward_interop::{Problem, Severity, Strictness};

use super::fixtures::*;

#[test]
fn valid_bulk_set_reads_clean_into_records() {
    let files = ["orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments", "demographics"];
    for strictness in [Strictness::Lenient, Strictness::Strict] {
        let p = read(&[], strictness);
        assert_eq!(shown(&p), Vec::<String>::new());
        assert!(p.is_accepted());
        assert_eq!(files.map(|f| count(&p, f)), [2, 2, 1, 1, 2, 2, 2, 1]);
    }
    let p = read(&[], Strictness::default());
    assert_eq!(value(&p, "orgs", 1, "parentSourcedId"), Some("d1"));
    assert_eq!(value(&p, "academicSessions", 1, "endDate"), Some("2024-01-01"));
    assert_eq!(value(&p, "courses", 0, "grades"), Some("09,10"));
    assert_eq!(value(&p, "classes", 0, "termSourcedIds"), Some("t1"));
    assert_eq!(value(&p, "enrollments", 0, "primary"), Some("true"));
    assert_eq!(value(&p, "roles", 1, "beginDate"), Some("2023-09-01"));
    assert_eq!(
        (value(&p, "demographics", 0, "sex"), value(&p, "demographics", 0, "americanIndianOrAlaskaNative")),
        (Some("female"), Some("false"))
    );
    assert_eq!(p.records["users"][1].sourced_id, "u2");
}

#[test]
fn bom_and_crlf_are_accepted_silently() {
    let crlf = format!("\u{feff}{}", ORGS.replace('\n', "\r\n"));
    let crlf = crlf.trim_end();
    for strictness in [Strictness::Lenient, Strictness::Strict] {
        let p = read(&[("orgs.csv", crlf)], strictness);
        assert_eq!(shown(&p), Vec::<String>::new());
        assert_eq!(p.records["orgs"][1].sourced_id, "s1");
    }
}

#[test]
fn problem_display_names_file_line_column_and_value() {
    let problem = Problem {
        file: "users.csv".into(),
        line: Some(14),
        column: Some("role".into()),
        value: Some("Teacher".into()),
        rule: "is not one of a|b".into(),
        severity: Severity::Error,
    };
    assert_eq!(problem.to_string(), "users.csv line 14, column role: 'Teacher' is not one of a|b");
    let warning = Problem { line: None, column: None, value: None, severity: Severity::Warning, ..problem };
    assert_eq!(warning.to_string(), "warning: users.csv: is not one of a|b");
}

#[test]
fn manifest_is_required_and_declares_a_known_version() {
    let files = package(&[("manifest.csv", "")]);
    let p = oneroster::read_files(files, Strictness::Lenient);
    assert!(p.manifest.is_none());
    assert_eq!(shown(&p), ["manifest.csv: is missing (OneRoster 1.0 sets without a manifest are not supported)"]);

    let m = manifest("1.3", &[], "bulk");
    let p = read(&[("manifest.csv", &m)], Strictness::Lenient);
    assert!(p.manifest.is_none() && !p.is_accepted());
    assert_eq!(
        shown(&p),
        ["manifest.csv line 3, column value: '1.3' oneroster.version must be 1.2 or 1.1; the package cannot be read"]
    );

    let m = manifest("1.2", &["orgs"], "bulk").replace("propertyName,value", "name,value");
    let (l, _) = both(&[("manifest.csv", &m)]);
    assert!(l.contains(&"manifest.csv line 1: header must be exactly 'propertyName,value'".to_owned()));
}

#[test]
fn manifest_file_values_are_bulk_delta_or_absent() {
    let supplied = ["orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments", "demographics"];
    let m = manifest("1.2", &supplied, "bulk").replace("file.scoreScales,absent", "file.scoreScales,");
    let (l, s) = both(&[("manifest.csv", &m)]);
    assert_eq!(l, ["warning: manifest.csv line 21, column value: '' file.scoreScales is blank; read as absent"]);
    assert_eq!(s, ["manifest.csv line 21, column value: '' file.scoreScales is blank; read as absent"]);

    let m = manifest("1.2", &supplied, "bulk").replace("file.scoreScales,absent", "file.scoreScales,full");
    let (l, _) = both(&[("manifest.csv", &m)]);
    assert_eq!(l, ["manifest.csv line 21, column value: 'full' file.scoreScales must be bulk, delta or absent"]);

    let m = manifest("1.2", &supplied, "bulk").replace("file.scoreScales,absent\n", "");
    let (l, s) = both(&[("manifest.csv", &m)]);
    assert_eq!(l, ["warning: manifest.csv: file.scoreScales is missing; read as absent"]);
    assert_eq!(s.len(), 1);
}

#[test]
fn manifest_of_1_1_must_not_list_1_2_files() {
    // FILES_1_2 includes roles, userProfiles… which a 1.1 manifest must not list.
    let m = manifest("1.1", &["orgs"], "bulk");
    let p = read(&[("manifest.csv", &m)], Strictness::Lenient);
    assert_eq!(p.manifest.as_ref().map(|m| m.version), Some(Version::V1_1));
    let unknown: Vec<_> = p.problems.iter().filter(|p| p.rule == "is not a OneRoster 1.1 file").collect();
    assert_eq!(unknown.len(), 8);
}

#[test]
fn files_must_match_the_manifest() {
    let supplied = ["orgs", "academicSessions", "courses", "classes", "users", "enrollments", "demographics"];
    let m = manifest("1.2", &supplied, "bulk").replace("file.results,absent", "file.results,bulk");
    let (l, _) = both(&[("manifest.csv", &m)]);
    assert_eq!(
        l,
        [
            "roles.csv: is present but the manifest marks file.roles absent; not read",
            "results.csv: is missing but the manifest marks file.results bulk",
        ]
    );
}

#[test]
fn unknown_and_miscased_file_names_are_errors() {
    let (l, s) = both(&[("Orgs.CSV", ORGS), ("notes.txt", "hello")]);
    let expected = [
        "Orgs.CSV: has the wrong case: the file name is orgs.csv; not read",
        "notes.txt: is not a OneRoster 1.2 file; not read",
    ];
    assert_eq!(l, expected);
    assert_eq!(l, s);
}

#[test]
fn header_only_file_is_an_error() {
    let (l, s) = both(&[("roles.csv", ROLES.lines().next().unwrap_or_default())]);
    assert_eq!(l, ["roles.csv: has a header but no data rows (empty files are not permitted)"]);
    assert_eq!(l, s);
}

#[test]
fn non_utf8_is_an_error_at_the_first_line_that_is_not_and_stops_the_file() {
    let mut courses = COURSES.as_bytes().to_vec();
    courses.extend_from_slice(b"c2,,,y1,Art \xff,A1,,s1,,\nc3,,,y1,Music,M3,,s1,,\n");
    let mut files = package(&[]);
    files.retain(|(n, _)| n != "courses.csv");
    files.push(("courses.csv".into(), courses));
    let p = oneroster::read_files(files, Strictness::Lenient);
    assert_eq!(shown(&p), ["courses.csv line 3: is not UTF-8; the rest of the file is not read"]);
    assert_eq!(p.records["courses"].iter().map(|r| r.sourced_id.as_str()).collect::<Vec<_>>(), ["c1"]);

    let mut files = package(&[]);
    files.retain(|(n, _)| n != "orgs.csv");
    files.push(("orgs.csv".into(), b"sourcedId,n\xffme\n".to_vec()));
    let p = oneroster::read_files(files, Strictness::Lenient);
    assert_eq!(shown(&p)[0], "orgs.csv line 1: is not UTF-8; the rest of the file is not read");
    assert!(!p.modes.contains_key("orgs"), "a file whose header is not UTF-8 is not read");
}

#[test]
fn missing_required_column_stops_the_file_and_names_likely_typos() {
    let orgs = ORGS.replace(",name,", ",nmae,");
    let (l, s) = both(&[("orgs.csv", &orgs)]);
    let first = "orgs.csv line 1, column name: required column is missing (is 'nmae' a misspelling?)";
    assert_eq!(l[0], first);
    assert_eq!(s[0], first);
    let p = read(&[("orgs.csv", &orgs)], Strictness::Lenient);
    assert_eq!(count(&p, "orgs"), 0);
}

#[test]
fn missing_optional_column_warns_except_users_resource_sourced_ids() {
    let orgs =
        ORGS.replace(",identifier", "").replace(",NCES1", "").replace("District,district,,", "District,district,");
    let (l, s) = both(&[("orgs.csv", &orgs)]);
    assert_eq!(l, ["warning: orgs.csv line 1, column identifier: spec column is missing"]);
    assert_eq!(s, ["orgs.csv line 1, column identifier: spec column is missing"]);

    let users = users().replace(",resourceSourcedIds", "").replace(",,,,,,,,,,,,,,s1,", ",,,,,,,,,,,,,s1,");
    let (l, s) = both(&[("users.csv", &users)]);
    assert_eq!((l.len(), s.len()), (0, 0), "{l:?}");
}

#[test]
fn extension_columns_are_kept_and_must_stand_right_of_spec_columns() {
    let orgs = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.size,ext_vendor_id\n\
d1,,,District,district,,,big,\n\
s1,,,School,school,,d1,,77\n";
    let p = read(&[("orgs.csv", orgs)], Strictness::Strict);
    assert_eq!(shown(&p), Vec::<String>::new());
    let orgs = &p.records["orgs"];
    assert_eq!(orgs[0].extensions.get("metadata.size").map(String::as_str), Some("big"));
    assert_eq!(orgs[1].extensions.get("ext_vendor_id").map(String::as_str), Some("77"));
    assert!(!orgs[1].extensions.contains_key("metadata.size"));

    let middle = "sourcedId,status,dateLastModified,name,metadata.x,type,identifier,parentSourcedId\nd1,,,D,m,district,,\ns1,,,S,m,school,,d1\n";
    let (l, s) = both(&[("orgs.csv", middle)]);
    let rule = "orgs.csv line 1, column metadata.x: extension column stands before spec columns; extensions may only be appended to the right";
    assert_eq!(l, [format!("warning: {rule}")]);
    assert_eq!(s, [rule]);
}

#[test]
fn columns_out_of_spec_order_and_duplicate_headers() {
    let swapped = "sourcedId,status,dateLastModified,type,name,identifier,parentSourcedId\nd1,,,district,D,,\ns1,,,school,S,,d1\n";
    let (l, s) = both(&[("orgs.csv", swapped)]);
    assert_eq!(l, ["warning: orgs.csv line 1: columns are not in the order of the spec table"]);
    assert_eq!(s, ["orgs.csv line 1: columns are not in the order of the spec table"]);

    let twice = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,name\nd1,,,D,district,,,X\ns1,,,S,school,,d1,Y\n";
    let (l, _) = both(&[("orgs.csv", twice)]);
    assert_eq!(l, ["orgs.csv line 1, column name: header names must be unique"]);
}

#[test]
fn trailing_blank_header_columns_are_tolerated_leniently() {
    let orgs = ORGS.replace("parentSourcedId\n", "parentSourcedId,,\n");
    let (l, s) = both(&[("orgs.csv", &orgs)]);
    assert_eq!(
        l,
        [
            "warning: orgs.csv line 1: header has 2 blank column name(s); ignored",
            "warning: orgs.csv: 2 row(s) lack the fields of the blank trailing header columns (first at line 2)",
        ]
    );
    assert_eq!(s.len(), 2);
    assert!(read(&[("orgs.csv", &orgs)], Strictness::Strict).problems.iter().all(Problem::is_error));
}

#[test]
fn rows_with_the_wrong_field_count_or_a_carriage_return_in_a_field_are_errors() {
    let orgs = format!("{ORGS}x1,,,X,school\nx2,,,\"Two\rLines\",school,,\n");
    let (l, _) = both(&[("orgs.csv", &orgs)]);
    assert_eq!(
        l,
        [
            "orgs.csv line 4: row has 5 fields but the header has 7",
            "orgs.csv line 5: a field contains a carriage return"
        ]
    );
}

#[test]
fn problems_are_capped_per_file_and_counted() {
    let mut orgs = ORGS.to_owned();
    for i in 0..1200 {
        orgs.push_str(&format!("bad{i},,,Bad,nowhere,,\n"));
    }
    let p = read(&[("orgs.csv", &orgs)], Strictness::Lenient);
    assert_eq!(p.problems.len(), 1000);
    assert_eq!(p.error_count, 1200);
    assert_eq!(p.suppressed.get("orgs.csv"), Some(&200));
    assert_eq!(count(&p, "orgs"), 2);
}

#[test]
fn delta_manifest_modes_are_exposed() {
    let supplied = ["orgs"];
    let m = manifest("1.2", &supplied, "delta");
    let orgs = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n\
s9,active,2024-01-02T03:04:05.678Z,School,school,,d-elsewhere\n";
    let files = vec![("manifest.csv".to_owned(), m.into_bytes()), ("orgs.csv".to_owned(), orgs.as_bytes().to_vec())];
    let p = oneroster::read_files(files, Strictness::Strict);
    assert_eq!(shown(&p), Vec::<String>::new(), "a delta parent may exist from an earlier import");
    assert_eq!(p.manifest.as_ref().map(|m| m.mode("orgs")), Some(Mode::Delta));
    assert_eq!(p.manifest.as_ref().map(|m| m.mode("users")), Some(Mode::Absent));
    assert!(p.problems.iter().all(|x| x.severity == Severity::Error));
}
