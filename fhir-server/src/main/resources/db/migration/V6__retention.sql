-- Retention reviews a genotype at a time (RETAIN): kept while profiling and storage are consented.
alter table index_outbox drop constraint index_outbox_action_check;
alter table index_outbox add constraint index_outbox_action_check check (action in ('SUBMIT', 'REVIEW', 'RETAIN'));
create index index_outbox_observation_idx on index_outbox (observation_id) where status = 'PENDING';
