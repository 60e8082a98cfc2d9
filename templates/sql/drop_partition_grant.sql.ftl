REVOKE ${privileges} ON ${table} FROM ${role}
