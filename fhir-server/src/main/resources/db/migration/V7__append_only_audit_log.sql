-- The audit log: AuditEvents are append-only, and each stored AuditEvent is an entry whose leaf
-- hash (RFC 6962: SHA-256 of 0x00 and the entry) feeds a Merkle tree with signed checkpoints.

-- Refuses UPDATE and DELETE of what must never change. Why a trigger: the API refuses too, but
-- the database is where someone with SQL access would try.
create function refuse_audit_change() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'restrict_violation';
end $$;

create trigger audit_event_versions_append_only before update or delete on resource_version
    for each row when (old.res_type = 'AuditEvent') execute function refuse_audit_change();
create trigger audit_event_resources_append_only before update or delete on resource
    for each row when (old.res_type = 'AuditEvent') execute function refuse_audit_change();

-- One entry per stored AuditEvent, written by the database in the transaction that stores it,
-- whatever code path stored it. The entry is the AuditEvent's JSON exactly as stored.
create table audit_entry (
    entry_id     bigint generated always as identity primary key,
    res_pid      bigint       not null references resource (pid),
    version      bigint       not null,
    leaf_hash    bytea        not null,
    recorded     timestamptz  not null default now(),
    unique (res_pid, version)
);

create function append_audit_entry() returns trigger language plpgsql as $$
begin
    insert into audit_entry (res_pid, version, leaf_hash)
    values (new.res_pid, new.version, sha256('\x00'::bytea || convert_to(new.content, 'UTF8')));
    return new;
end $$;

create trigger audit_event_entries after insert on resource_version
    for each row when (new.res_type = 'AuditEvent' and new.content is not null) execute function append_audit_entry();

-- The tree: entries get consecutive leaf indexes when the sequencer integrates them (identity
-- values have gaps after rollbacks; a Merkle tree's leaves must not).
create table audit_leaf (
    leaf_index   bigint       primary key,
    entry_id     bigint       not null unique references audit_entry (entry_id),
    integrated   timestamptz  not null
);

-- Signed checkpoints (C2SP tlog-checkpoint in a signed note), one per tree size published.
create table audit_checkpoint (
    tree_size    bigint       primary key,
    root_hash    bytea        not null,
    note         text         not null,
    created      timestamptz  not null
);

create trigger audit_entry_append_only before update or delete on audit_entry
    for each row execute function refuse_audit_change();
create trigger audit_leaf_append_only before update or delete on audit_leaf
    for each row execute function refuse_audit_change();
create trigger audit_checkpoint_append_only before update or delete on audit_checkpoint
    for each row execute function refuse_audit_change();
