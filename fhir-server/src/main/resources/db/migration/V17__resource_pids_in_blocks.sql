-- A write of a new resource no longer asks the database for its pid: the store takes the
-- sequence's next value once per 50 new resources and hands out the block itself (ResourcePids),
-- so that a transaction's new resources, their first versions and their index rows go to the
-- database in one statement. Inserts that leave pid to its default take a block each and use its
-- first value; every block is distinct, so pids stay unique whoever takes them.
alter table resource alter column pid set increment by 50;
