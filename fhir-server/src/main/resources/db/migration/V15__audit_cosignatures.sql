-- Witnesses' cosignatures of the audit log's checkpoints (c2sp.org/tlog-cosignature), as they
-- answered: the proof, kept with the log, that someone outside the registry saw each checkpoint.
create table audit_cosignature (
    tree_size    bigint       not null references audit_checkpoint (tree_size),
    witness      text         not null,
    signature    text         not null,
    received     timestamptz  not null,
    primary key (tree_size, witness, signature)
);
create trigger audit_cosignature_append_only before update or delete on audit_cosignature
    for each row execute function refuse_audit_change();
create trigger audit_cosignature_no_truncate before truncate on audit_cosignature
    for each statement execute function refuse_audit_truncate();
