GRANT ${privileges} ON ${table} TO ${role}<#if schema??>;
GRANT USAGE ON SCHEMA ${schema} TO ${role}</#if>
