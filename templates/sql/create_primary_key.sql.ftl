ALTER TABLE ${table} ADD CONSTRAINT ${name} PRIMARY KEY (${columns})
