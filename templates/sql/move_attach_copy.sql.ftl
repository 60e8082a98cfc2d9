ALTER TABLE ${parent} ATTACH PARTITION ${table} FOR VALUES WITH (MODULUS ${modulus?c}, REMAINDER ${remainder?c});
ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${check};
ALTER TABLE ${table} RESET (autovacuum_enabled)
