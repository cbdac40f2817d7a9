-- The registry's hot reads probe indexes directly (src/registry_scan.c);
-- pointers are found by name with a hash index, whose probe costs the same
-- whatever the number of hooks (src/install/20_registry_tables.sql).
--
-- Locks: building the index takes SHARE on hookreg.live_pointers for one
-- scan of the table (one row per hook): releases and repoints wait until the
-- update commits, reads do not.
CREATE INDEX live_pointers_name_hash_idx ON hookreg.live_pointers USING hash (hook_name);
