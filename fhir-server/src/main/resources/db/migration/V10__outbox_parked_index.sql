-- Metrics and health count the parked rows every few seconds; without an index that count reads the whole
-- outbox, which keeps every row it ever had. Pending rows have their partial index already (V4).
create index index_outbox_parked_idx on index_outbox (created) where status = 'PARKED';
