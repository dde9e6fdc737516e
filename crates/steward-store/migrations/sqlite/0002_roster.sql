-- Rostering: the OneRoster records of the district, one table per OneRoster CSV file, in the 1.2 shape every
-- version is read into (steward_interop::oneroster::Record). Columns are the file's spec columns in snake case, as
-- text in the CSV's canonical form (lists stay comma-separated); extension columns are a JSON object. Records are
-- never deleted by an import: a bulk import marks those it no longer lists 'tobedeleted'. No foreign keys between
-- these tables: a delta may name records of an earlier import, and the reader checks references within a set.
-- Passwords (users.csv, userProfiles.csv) are never kept. `date_last_modified` is when the record last changed in
-- Steward (a bulk import's time, or a delta row's dateLastModified); `source_modified` is the dateLastModified the
-- SIS gave the last delta row applied to the record, NULL after a bulk, so that a later delta is measured against the
-- SIS's own clock and never against the time Steward happened to import a bulk.

CREATE TABLE roster_academic_sessions (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    title TEXT,
    type TEXT,
    start_date TEXT,
    end_date TEXT,
    parent_sourced_id TEXT,
    school_year TEXT,
    extensions TEXT
);
CREATE INDEX roster_academic_sessions_parent_sourced_id ON roster_academic_sessions (parent_sourced_id);

CREATE TABLE roster_categories (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    title TEXT,
    weight TEXT,
    extensions TEXT
);

CREATE TABLE roster_class_resources (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    title TEXT,
    class_sourced_id TEXT,
    resource_sourced_id TEXT,
    extensions TEXT
);
CREATE INDEX roster_class_resources_class_sourced_id ON roster_class_resources (class_sourced_id);

CREATE TABLE roster_classes (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    title TEXT,
    grades TEXT,
    course_sourced_id TEXT,
    class_code TEXT,
    class_type TEXT,
    location TEXT,
    school_sourced_id TEXT,
    term_sourced_ids TEXT,
    subjects TEXT,
    subject_codes TEXT,
    periods TEXT,
    extensions TEXT
);
CREATE INDEX roster_classes_school_sourced_id ON roster_classes (school_sourced_id);
CREATE INDEX roster_classes_course_sourced_id ON roster_classes (course_sourced_id);

CREATE TABLE roster_course_resources (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    title TEXT,
    course_sourced_id TEXT,
    resource_sourced_id TEXT,
    extensions TEXT
);
CREATE INDEX roster_course_resources_course_sourced_id ON roster_course_resources (course_sourced_id);

CREATE TABLE roster_courses (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    school_year_sourced_id TEXT,
    title TEXT,
    course_code TEXT,
    grades TEXT,
    org_sourced_id TEXT,
    subjects TEXT,
    subject_codes TEXT,
    extensions TEXT
);
CREATE INDEX roster_courses_org_sourced_id ON roster_courses (org_sourced_id);

CREATE TABLE roster_demographics (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    birth_date TEXT,
    sex TEXT,
    american_indian_or_alaska_native TEXT,
    asian TEXT,
    black_or_african_american TEXT,
    native_hawaiian_or_other_pacific_islander TEXT,
    white TEXT,
    demographic_race_two_or_more_races TEXT,
    hispanic_or_latino_ethnicity TEXT,
    country_of_birth_code TEXT,
    state_of_birth_abbreviation TEXT,
    city_of_birth TEXT,
    public_school_residence_status TEXT,
    extensions TEXT
);

CREATE TABLE roster_enrollments (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    class_sourced_id TEXT,
    school_sourced_id TEXT,
    user_sourced_id TEXT,
    role TEXT,
    "primary" TEXT,
    begin_date TEXT,
    end_date TEXT,
    extensions TEXT
);
CREATE INDEX roster_enrollments_class_sourced_id ON roster_enrollments (class_sourced_id);
CREATE INDEX roster_enrollments_user_sourced_id ON roster_enrollments (user_sourced_id);
CREATE INDEX roster_enrollments_school_sourced_id ON roster_enrollments (school_sourced_id);

CREATE TABLE roster_line_item_learning_objective_ids (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    line_item_sourced_id TEXT,
    source TEXT,
    learning_objective_id TEXT,
    extensions TEXT
);
CREATE INDEX roster_line_item_learning_objective_ids_line_item_sourced_id ON roster_line_item_learning_objective_ids (line_item_sourced_id);

CREATE TABLE roster_line_item_score_scales (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    title TEXT,
    line_item_sourced_id TEXT,
    score_scale_sourced_id TEXT,
    extensions TEXT
);

CREATE TABLE roster_line_items (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    title TEXT,
    description TEXT,
    assign_date TEXT,
    due_date TEXT,
    class_sourced_id TEXT,
    category_sourced_id TEXT,
    academic_session_sourced_id TEXT,
    result_value_min TEXT,
    result_value_max TEXT,
    school_sourced_id TEXT,
    extensions TEXT
);
CREATE INDEX roster_line_items_class_sourced_id ON roster_line_items (class_sourced_id);

CREATE TABLE roster_orgs (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    name TEXT,
    type TEXT,
    identifier TEXT,
    parent_sourced_id TEXT,
    extensions TEXT
);
CREATE INDEX roster_orgs_parent_sourced_id ON roster_orgs (parent_sourced_id);
CREATE INDEX roster_orgs_type ON roster_orgs (type);

CREATE TABLE roster_resources (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    vendor_resource_id TEXT,
    title TEXT,
    roles TEXT,
    importance TEXT,
    vendor_id TEXT,
    application_id TEXT,
    extensions TEXT
);

CREATE TABLE roster_result_learning_objective_ids (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    result_sourced_id TEXT,
    source TEXT,
    learning_objective_id TEXT,
    score TEXT,
    text_score TEXT,
    extensions TEXT
);
CREATE INDEX roster_result_learning_objective_ids_result_sourced_id ON roster_result_learning_objective_ids (result_sourced_id);

CREATE TABLE roster_result_score_scales (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    title TEXT,
    result_sourced_id TEXT,
    score_scale_sourced_id TEXT,
    extensions TEXT
);

CREATE TABLE roster_results (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    line_item_sourced_id TEXT,
    student_sourced_id TEXT,
    score_status TEXT,
    score TEXT,
    score_date TEXT,
    comment TEXT,
    text_score TEXT,
    class_sourced_id TEXT,
    in_progress TEXT,
    incomplete TEXT,
    late TEXT,
    missing TEXT,
    extensions TEXT
);
CREATE INDEX roster_results_line_item_sourced_id ON roster_results (line_item_sourced_id);
CREATE INDEX roster_results_student_sourced_id ON roster_results (student_sourced_id);

CREATE TABLE roster_roles (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    user_sourced_id TEXT,
    role_type TEXT,
    role TEXT,
    begin_date TEXT,
    end_date TEXT,
    org_sourced_id TEXT,
    user_profile_sourced_id TEXT,
    extensions TEXT
);
CREATE INDEX roster_roles_user_sourced_id ON roster_roles (user_sourced_id);
CREATE INDEX roster_roles_org_sourced_id ON roster_roles (org_sourced_id);

CREATE TABLE roster_score_scales (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    title TEXT,
    type TEXT,
    org_sourced_id TEXT,
    course_sourced_id TEXT,
    class_sourced_id TEXT,
    score_scale_value TEXT,
    extensions TEXT
);
CREATE INDEX roster_score_scales_class_sourced_id ON roster_score_scales (class_sourced_id);

CREATE TABLE roster_user_profiles (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    user_sourced_id TEXT,
    profile_type TEXT,
    vendor_id TEXT,
    application_id TEXT,
    description TEXT,
    credential_type TEXT,
    username TEXT,
    extensions TEXT
);
CREATE INDEX roster_user_profiles_user_sourced_id ON roster_user_profiles (user_sourced_id);

CREATE TABLE roster_user_resources (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    user_sourced_id TEXT,
    org_sourced_id TEXT,
    class_sourced_id TEXT,
    resource_sourced_id TEXT,
    extensions TEXT
);
CREATE INDEX roster_user_resources_user_sourced_id ON roster_user_resources (user_sourced_id);

CREATE TABLE roster_users (
    sourced_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('active', 'tobedeleted')),
    date_last_modified TEXT NOT NULL,
    source_modified TEXT,
    enabled_user TEXT,
    username TEXT,
    user_ids TEXT,
    given_name TEXT,
    family_name TEXT,
    middle_name TEXT,
    identifier TEXT,
    email TEXT,
    sms TEXT,
    phone TEXT,
    agent_sourced_ids TEXT,
    grades TEXT,
    user_master_identifier TEXT,
    resource_sourced_ids TEXT,
    preferred_given_name TEXT,
    preferred_middle_name TEXT,
    preferred_family_name TEXT,
    primary_org_sourced_id TEXT,
    pronouns TEXT,
    extensions TEXT
);
CREATE INDEX roster_users_username ON roster_users (username);
CREATE INDEX roster_users_email ON roster_users (email);

-- One row per import attempt, applied or rejected: who, when, what, and what it changed.
CREATE TABLE roster_imports (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    source TEXT NOT NULL,
    oneroster_version TEXT,
    strictness TEXT NOT NULL CHECK (strictness IN ('strict', 'lenient')),
    outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'rejected')),
    error_count INTEGER NOT NULL,
    warning_count INTEGER NOT NULL,
    -- Per file: mode, rows read, and records inserted, updated, unchanged and marked tobedeleted (JSON).
    files TEXT NOT NULL
);

-- The problems an import found, the first of each file (the reader caps them); the rest are counted in `files`.
CREATE TABLE roster_import_problems (
    import_id INTEGER NOT NULL REFERENCES roster_imports (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    file TEXT NOT NULL,
    line INTEGER,
    column_name TEXT,
    value TEXT,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    PRIMARY KEY (import_id, seq)
);
