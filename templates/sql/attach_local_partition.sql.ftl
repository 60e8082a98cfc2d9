ALTER TABLE ${parent} ATTACH PARTITION ${table} FOR VALUES WITH (MODULUS ${modulus?c}, REMAINDER ${remainder?c})
