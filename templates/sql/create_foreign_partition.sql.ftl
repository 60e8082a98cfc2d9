CREATE FOREIGN TABLE ${table} PARTITION OF ${parent} FOR VALUES WITH (MODULUS ${modulus?c}, REMAINDER ${remainder?c}) SERVER ${server} OPTIONS (schema_name ${remoteSchema}, table_name ${remoteTable})
