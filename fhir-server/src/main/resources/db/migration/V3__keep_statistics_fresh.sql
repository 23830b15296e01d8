-- The searches behind conditional writes look up rare values (one newborn's identifier, one
-- reference) next to common ones (the birth-weight code). PostgreSQL only picks the rare one
-- first when its statistics know the tables' sizes and value frequencies; with the default
-- thresholds a fast-growing registry runs on stale statistics and plans scans of thousands of
-- rows per message. Analyze these tables after 2 % growth instead of 10 %.
alter table resource set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
alter table resource_version set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
alter table idx_token set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
alter table idx_string set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
alter table idx_date set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
alter table idx_reference set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
alter table idx_uri set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
alter table resource_link set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
alter table business_identifier set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
