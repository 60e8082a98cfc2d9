ALTER TABLE ${table} RENAME TO ${newName}
