-- Every HL7 v2 message received, accepted or not, with the ACK that answered it: the record
-- that makes resending idempotent and lets an operator see and replay what failed.
create table hl7_message (
    id                   bigint generated always as identity primary key,
    -- sending facility (MSH-4 as sent) and control id (MSH-10); null when the header was unreadable
    dedupe_key           text unique,
    -- SHA-256 of the decoded message without MSH-7, to tell a resend from a different message
    content_hash         bytea        not null,
    received             timestamptz  not null,
    sending_application  text         not null,
    sending_facility     text         not null,
    control_id           text         not null,
    message_type         varchar(20)  not null,
    trigger_event        varchar(20)  not null,
    version              varchar(10)  not null,
    status               varchar(16)  not null check (status in ('PROCESSING', 'ACCEPTED', 'REJECTED', 'REFUSED')),
    ack_code             varchar(2),
    ack                  text,
    -- JSON array of {code, location, message}; messages never carry content
    problems             text         not null default '[]',
    -- JSON array of Type/id/_history/n written by the message
    resources            text         not null default '[]',
    -- the bytes as received; null once the retention period has passed
    raw                  bytea,
    replay_count         integer      not null default 0,
    last_processed       timestamptz  not null
);
create index hl7_message_received_idx on hl7_message (received);
create index hl7_message_status_idx on hl7_message (status, received);
