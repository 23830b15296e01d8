-- Re-identification: the registry must find the newborn behind a pseudonym the index reports.
-- The pseudonym itself is still not stored; its lookup key is, an HMAC of the pseudonym under the
-- same secret key (domain-separated), so that neither this table alone nor it joined with the
-- index's data links a profile to a newborn: only the adapter, holding the key, can.
alter table index_delivery add column pseudonym_lookup bytea;
create unique index index_delivery_lookup_idx on index_delivery (pseudonym_lookup);
