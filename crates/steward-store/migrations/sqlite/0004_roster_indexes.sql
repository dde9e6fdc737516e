-- Indexes whose every lookup a wider index serves (its leading columns are theirs): each cost an import a b-tree to
-- build and a delta a random page per changed row, and no query needs them.
--   roster_enrollments (class_sourced_id)  ← roster_enrollments_class_role (class_sourced_id, role)
--   roster_enrollments (user_sourced_id)   ← roster_enrollments_user_role_class (user_sourced_id, role, class_sourced_id)
--   roster_roles (user_sourced_id)         ← roster_roles_user_role (user_sourced_id, role)
DROP INDEX roster_enrollments_class_sourced_id;
DROP INDEX roster_enrollments_user_sourced_id;
DROP INDEX roster_roles_user_sourced_id;
