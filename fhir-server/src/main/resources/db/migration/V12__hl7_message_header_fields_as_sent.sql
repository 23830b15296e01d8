-- MSH-9's components and MSH-12 are kept as the sender sent them, whatever their length: a message whose
-- header overflowed varchar(20)/varchar(10) could not be stored, was answered AR 207 ("send again later")
-- and resent forever. Acceptance refuses such values (AR 200/201/203) and the message is kept.
alter table hl7_message
    alter column message_type type text,
    alter column trigger_event type text,
    alter column version type text;
