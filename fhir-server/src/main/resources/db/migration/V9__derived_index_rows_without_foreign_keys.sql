-- The search index and reference rows are derived data that only the store writes, in the
-- transaction that writes the resource row they belong to, with the pid that insert returned;
-- resource rows are never deleted (a delete or an erasure is a new version). Their foreign keys
-- could therefore never fail, yet each of the ~110 rows an HL7 birth message writes ran a
-- referential-integrity check that locked its resource row FOR KEY SHARE: 115 checks per
-- message, 7 % of PostgreSQL's time in pg_stat_statements during an import. The keys that
-- guard primary data (resource_version, business_identifier, audit_entry) stay.
alter table idx_token drop constraint idx_token_res_pid_fkey;
alter table idx_string drop constraint idx_string_res_pid_fkey;
alter table idx_date drop constraint idx_date_res_pid_fkey;
alter table idx_reference drop constraint idx_reference_res_pid_fkey;
alter table idx_uri drop constraint idx_uri_res_pid_fkey;
alter table resource_link drop constraint resource_link_res_pid_fkey;
