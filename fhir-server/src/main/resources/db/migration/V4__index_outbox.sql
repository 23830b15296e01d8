-- Work for the national-index route, written in the same transaction as what caused it (a final
-- or corrected genotype, a consent change). Rows are claimed with FOR UPDATE SKIP LOCKED, so
-- several adapter instances can drain one outbox, each row by one of them.
create table index_outbox (
    id                  bigint generated always as identity primary key,
    -- SUBMIT: send the newborn's genotype if consent allows; REVIEW: a consent changed, decide again
    action              varchar(16)  not null check (action in ('SUBMIT', 'REVIEW')),
    -- what caused the row: GENOTYPE_FINAL, GENOTYPE_CORRECTED, CONSENT_CHANGED, RETENTION, OPERATOR
    reason              varchar(32)  not null,
    -- registry logical ids; the newborn may be unknown until the hospital's order links the spot
    patient_id          text,
    observation_id      text,
    observation_version bigint,
    status              varchar(16)  not null check (status in ('PENDING', 'DONE', 'CANCELLED', 'PARKED')),
    attempts            integer      not null default 0,
    next_attempt        timestamptz  not null,
    -- what became of it, in words and codes only: never a genotype, never a name
    outcome             text,
    created             timestamptz  not null,
    updated             timestamptz  not null
);
create index index_outbox_due_idx on index_outbox (next_attempt) where status = 'PENDING';
create index index_outbox_patient_idx on index_outbox (patient_id) where status = 'PENDING';

-- What the national index holds: one row per newborn whose profile was delivered and not yet
-- deleted. The pseudonym is not stored (it is recomputed with the key, which the database never sees).
create table index_delivery (
    patient_id          text primary key,
    observation_id      text         not null,
    observation_version bigint       not null,
    receipt             text         not null,
    delivered           timestamptz  not null
);
