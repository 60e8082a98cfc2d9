CREATE TABLE ${table} PARTITION OF ${parent} FOR VALUES WITH (MODULUS ${modulus?c}, REMAINDER ${remainder?c})
