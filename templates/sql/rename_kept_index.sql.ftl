ALTER INDEX ${index} RENAME TO ${newName}
