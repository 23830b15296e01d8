-- The registry's FHIR store: one row per logical resource, one row per version, and search
-- index rows extracted from the current version with the FHIR search-parameter expressions.
-- Index rows and business identifiers are replaced on every write of a resource and removed
-- when it is deleted; versions are never rewritten.

create table resource (
    pid          bigint generated always as identity primary key,
    res_type     varchar(64)  not null,
    res_id       varchar(64)  not null,
    version      bigint       not null,
    last_updated timestamptz  not null,
    deleted      boolean      not null default false,
    constraint resource_type_id_uq unique (res_type, res_id)
);
create index resource_type_updated_idx on resource (res_type, last_updated, pid);

-- content is the resource encoded as FHIR JSON with id and meta set; null for a deletion.
create table resource_version (
    res_pid      bigint       not null references resource (pid),
    version      bigint       not null,
    res_type     varchar(64)  not null,
    last_updated timestamptz  not null,
    method       varchar(6)   not null check (method in ('POST', 'PUT', 'DELETE')),
    content      text,
    primary key (res_pid, version)
);
create index resource_version_type_updated_idx on resource_version (res_type, last_updated);

-- Business identifiers (system and value): unique per resource type, so that concurrent writers
-- cannot create two newborns (or specimens, ...) with the same identifier.
create table business_identifier (
    res_type     varchar(64)  not null,
    system       text         not null,
    value        text         not null,
    res_pid      bigint       not null references resource (pid),
    primary key (res_type, system, value)
);
create index business_identifier_res_idx on business_identifier (res_pid);

create table idx_token (
    res_pid      bigint       not null references resource (pid),
    res_type     varchar(64)  not null,
    param        varchar(100) not null,
    system       text,
    code         text
);
create index idx_token_lookup on idx_token (res_type, param, code, system);
create index idx_token_res on idx_token (res_pid);

-- value_normalized: accents removed and upper-cased (HAPI's normalisation), for the default
-- starts-with and :contains searches; value_exact for :exact.
create table idx_string (
    res_pid          bigint       not null references resource (pid),
    res_type         varchar(64)  not null,
    param            varchar(100) not null,
    value_normalized varchar(200) not null,
    value_exact      text         not null
);
create index idx_string_lookup on idx_string (res_type, param, value_normalized text_pattern_ops);
create index idx_string_res on idx_string (res_pid);

-- A date, dateTime, instant or Period as the closed range of instants it covers.
create table idx_date (
    res_pid      bigint       not null references resource (pid),
    res_type     varchar(64)  not null,
    param        varchar(100) not null,
    low          timestamptz  not null,
    high         timestamptz  not null
);
create index idx_date_lookup on idx_date (res_type, param, low, high);
create index idx_date_res on idx_date (res_pid);

-- A reference to a resource in this registry (target_type/target_id) or elsewhere (target_url).
create table idx_reference (
    res_pid      bigint       not null references resource (pid),
    res_type     varchar(64)  not null,
    param        varchar(100) not null,
    target_type  varchar(64),
    target_id    varchar(64),
    target_url   text
);
create index idx_reference_lookup on idx_reference (res_type, param, target_id, target_type);
create index idx_reference_target on idx_reference (target_type, target_id);
create index idx_reference_res on idx_reference (res_pid);

-- Every local reference of the current version, search parameter or not, with its element path:
-- what keeps a resource from being deleted while something still refers to it.
create table resource_link (
    res_pid      bigint       not null references resource (pid),
    path         varchar(200) not null,
    target_type  varchar(64)  not null,
    target_id    varchar(64)  not null
);
create index resource_link_target on resource_link (target_type, target_id);
create index resource_link_res on resource_link (res_pid);

create table idx_uri (
    res_pid      bigint       not null references resource (pid),
    res_type     varchar(64)  not null,
    param        varchar(100) not null,
    uri          text         not null
);
create index idx_uri_lookup on idx_uri (res_type, param, uri);
create index idx_uri_res on idx_uri (res_pid);

-- Searches whose next pages are still to be served: what they were run with, so that any
-- adapter instance sharing this database can serve the next page. Pages themselves are keyset
-- positions carried in the next link, not stored.
create table search_cursor (
    id           uuid         primary key,
    definition   text         not null,
    created      timestamptz  not null
);
create index search_cursor_created_idx on search_cursor (created);
