CREATE TABLE ${table} (LIKE ${parent} INCLUDING DEFAULTS, CONSTRAINT ${check} CHECK (satisfies_hash_partition(${parentLiteral}::regclass, ${modulus?c}, ${remainder?c}, ${key})))
