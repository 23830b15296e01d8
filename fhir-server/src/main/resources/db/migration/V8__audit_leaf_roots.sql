-- Each leaf keeps the tree's root after it, so that verification names the first leaf whose
-- recomputed root differs, not only that the final root differs from the signed checkpoint.
alter table audit_leaf add column root_after bytea not null;
