//! Typed validation of the gradebook and resource files: required values, vocabularies, numbers, CASE ids and
//! references within a bulk set.

use steward_interop::Strictness;

use super::fixtures::*;

#[test]
fn score_status_has_spaces_and_its_case_is_tolerated_only_leniently() {
    let results = RESULTS.replace("fully graded", "Fully Graded");
    let (l, s) = both_full(&[("results.csv", &results)]);
    let rule = "results.csv line 2, column scoreStatus: 'Fully Graded' has the wrong case (values are case-sensitive)";
    assert_eq!(l, [format!("warning: {rule}; read as 'fully graded'")]);
    assert_eq!(s, [rule]);
    let p = read_full(&[("results.csv", &results)], Strictness::Lenient);
    assert_eq!(p.records["results"][0].get("results", "scoreStatus"), Some("fully graded"));

    let results = RESULTS.replace("fully graded", "fullyGraded");
    let (l, _) = both_full(&[("results.csv", &results)]);
    assert_eq!(
        l,
        ["results.csv line 2, column scoreStatus: 'fullyGraded' is not one of exempt|fully graded|not submitted|partially graded|submitted or an 'ext:' value"]
    );
    let (l, s) = both_full(&[("results.csv", &RESULTS.replace("fully graded", "ext:resubmitted"))]);
    assert_eq!((l.len(), s.len()), (0, 0));
}

#[test]
fn numbers_dates_and_booleans_are_typed() {
    let results = with_rows(RESULTS, &["res1,,,li1,u2,submitted,85%,2023-9-18,,,,no,,,"]);
    let categories = with_rows(CATEGORIES, &["cat1,,,Homework,40.5"]);
    let line_items = LINE_ITEMS.replace(",0,100,", ",NaN,1e2,");
    let (l, s) =
        both_full(&[("results.csv", &results), ("categories.csv", &categories), ("lineItems.csv", &line_items)]);
    assert_eq!(
        l,
        [
            "categories.csv line 2, column weight: '40.5' is not a whole number",
            "lineItems.csv line 2, column resultValueMin: 'NaN' is not a decimal number",
            "results.csv line 2, column score: '85%' is not a decimal number",
            "results.csv line 2, column scoreDate: '2023-9-18' is not a date YYYY-MM-DD",
            "results.csv line 2, column inProgress: 'no' is not one of true|false",
        ]
    );
    assert_eq!(l, s);
    let p = read_full(&[("lineItems.csv", &LINE_ITEMS.replace(",0,100,", ",-5.250,1e2,"))], Strictness::Strict);
    assert!(p.is_accepted(), "{:?}", shown(&p));
    let li = &p.records["lineItems"][0];
    assert_eq!(
        (li.get("lineItems", "resultValueMin"), li.get("lineItems", "resultValueMax")),
        (Some("-5.25"), Some("100"))
    );
}

#[test]
fn result_value_min_must_not_exceed_max() {
    let (l, _) = both_full(&[("lineItems.csv", &LINE_ITEMS.replace(",0,100,", ",10,5,"))]);
    assert_eq!(l, ["lineItems.csv line 2, column resultValueMax: '5' is below resultValueMin 10"]);
}

#[test]
fn required_gradebook_values_must_not_be_blank() {
    let line_items = LINE_ITEMS.replace("2023-09-10,2023-09-17,k1,cat1,t1", ",2023-09-17,k1,,t1");
    let profiles = USER_PROFILES.replace("password,bob2", ",bob2");
    let (l, s) = both_full(&[("lineItems.csv", &line_items), ("userProfiles.csv", &profiles)]);
    assert_eq!(
        l,
        [
            "lineItems.csv line 2, column assignDate: is required but blank",
            "lineItems.csv line 2, column categorySourcedId: is required but blank",
            "userProfiles.csv line 2, column credentialType: is required but blank",
        ]
    );
    assert_eq!(l, s);
}

#[test]
fn case_learning_objective_ids_must_be_uuids_and_other_sources_are_free_text() {
    let los = with_rows(
        LINE_ITEM_LOS,
        &[
            "lo1,,,li1,case,CCSS.MATH.5.NF.1",
            "lo2,,,li1,unknown,CCSS.MATH.5.NF.1",
            "lo3,,,li1,Case,9a5e1e22-3f0c-11e8-b467-0ed5f89f718b",
            "lo4,,,li1,ext:ab,x",
        ],
    );
    let (l, s) = both_full(&[("lineItemLearningObjectiveIds.csv", &los)]);
    assert_eq!(
        l,
        [
            "lineItemLearningObjectiveIds.csv line 2, column learningObjectiveId: 'CCSS.MATH.5.NF.1' is not a CASE identifier: a UUID, bare or as urn:uuid:<uuid>",
            "warning: lineItemLearningObjectiveIds.csv line 4, column source: 'Case' has the wrong case (values are case-sensitive); read as 'case'",
        ]
    );
    assert_eq!(s.len(), 2);
    let p = read_full(&[("lineItemLearningObjectiveIds.csv", &los)], Strictness::Lenient);
    let kept: Vec<_> = p.records["lineItemLearningObjectiveIds"].iter().map(|r| r.sourced_id.as_str()).collect();
    assert_eq!(kept, ["lo2", "lo3", "lo4"]);
}

#[test]
fn resource_roles_and_importance_are_vocabularies() {
    let resources = with_rows(RESOURCES, &["rs1,,,vr-1,App,\"student, Teacher,janitor\",tertiary,,"]);
    let (l, _) = both_full(&[("resources.csv", &resources)]);
    assert_eq!(
        l,
        [
            "warning: resources.csv line 2, column roles: 'Teacher' has the wrong case (values are case-sensitive); read as 'teacher'",
            "resources.csv line 2, column roles: 'janitor' is not one of administrator|aide|guardian|parent|proctor|relative|student|teacher or an 'ext:' value",
            "resources.csv line 2, column importance: 'tertiary' is not one of primary|secondary",
        ]
    );
    let resources = with_rows(RESOURCES, &["rs1,,,vr-1,App,\"student, Teacher\",,,"]);
    let p = read_full(&[("resources.csv", &resources)], Strictness::Lenient);
    assert_eq!(p.records["resources"][0].get("resources", "roles"), Some("student,teacher"));
}

#[test]
fn score_scale_values_are_label_value_pairs() {
    let scales = with_rows(SCORE_SCALES, &["sc1,,,Letter,letter,s1,c1,k1,\"{A:90},B:80,{C:}\""]);
    let (l, _) = both_full(&[("scoreScales.csv", &scales)]);
    assert_eq!(
        l,
        [
            "scoreScales.csv line 2, column scoreScaleValue: 'B:80' is not a {label:value} pair like {A+:100}",
            "scoreScales.csv line 2, column scoreScaleValue: '{C:}' is not a {label:value} pair like {A+:100}",
        ]
    );
}

#[test]
fn gradebook_and_resource_references_resolve_within_a_bulk_set() {
    let changes = [
        ("lineItems.csv", LINE_ITEMS.replace("k1,cat1,t1,0,100,s1", "k9,cat9,t9,0,100,s9")),
        ("results.csv", RESULTS.replace("li1,u2", "li1,u9")),
        ("resultLearningObjectiveIds.csv", RESULT_LOS.replace("rlo1,,,res1", "rlo1,,,res9")),
        ("lineItemScoreScales.csv", LINE_ITEM_SCORE_SCALES.replace("li1,sc1", "li1,sc9")),
        ("classResources.csv", CLASS_RESOURCES.replace("k1,rs1", "k1,rs9")),
        ("userResources.csv", USER_RESOURCES.replace("u2,s1,k1", "u2,s9,k1")),
        ("userProfiles.csv", USER_PROFILES.replace("up1,,,u2", "up1,,,u9")),
    ];
    let changes: Vec<(&str, &str)> = changes.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let (l, s) = both_full(&changes);
    let missing = |file: &str, column: &str, id: &str, target: &str| {
        format!("{file}.csv line 2, column {column}: '{id}' refers to a sourcedId missing from {target}.csv in this bulk set")
    };
    assert_eq!(
        l,
        [
            missing("userProfiles", "userSourcedId", "u9", "users"),
            missing("lineItems", "classSourcedId", "k9", "classes"),
            missing("lineItems", "categorySourcedId", "cat9", "categories"),
            missing("lineItems", "academicSessionSourcedId", "t9", "academicSessions"),
            missing("lineItems", "schoolSourcedId", "s9", "orgs"),
            missing("results", "studentSourcedId", "u9", "users"),
            missing("resultLearningObjectiveIds", "resultSourcedId", "res9", "results"),
            missing("lineItemScoreScales", "scoreScaleSourcedId", "sc9", "scoreScales"),
            missing("classResources", "resourceSourcedId", "rs9", "resources"),
            missing("userResources", "orgSourcedId", "s9", "orgs"),
        ]
    );
    assert_eq!(l, s);
}

#[test]
fn references_into_absent_gradebook_files_are_errors_and_delta_references_are_not_checked() {
    let manifest = manifest("1.2", FILES_1_2, "bulk").replace("file.categories,bulk", "file.categories,absent");
    let (l, _) = both_full(&[("manifest.csv", &manifest), ("categories.csv", "")]);
    assert_eq!(
        l,
        ["lineItems.csv line 2, column categorySourcedId: 'cat1' refers to categories.csv, which this bulk set does not supply"]
    );
    let manifest = manifest.replace("file.categories,absent", "file.categories,delta");
    let categories = "sourcedId,status,dateLastModified,title,weight\ncat2,active,2024-01-02T03:04:05Z,Tests,60\n";
    let (l, s) = both_full(&[("manifest.csv", &manifest), ("categories.csv", categories)]);
    assert_eq!((l.len(), s.len()), (0, 0), "cat1 may come from an earlier import: {l:?}");
}
