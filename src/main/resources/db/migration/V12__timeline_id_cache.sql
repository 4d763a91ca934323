-- The timeline takes a row per step of every event. Its id's sequence hands out values in blocks; with the default
-- block of 32, H2 commits the sequence (and writes its store) every 32 rows, which cost more than the rows. Ids stay
-- unique and increasing; after a restart they jump past the unused rest of a block.
ALTER TABLE event_timeline ALTER COLUMN id SET CACHE 1000;
