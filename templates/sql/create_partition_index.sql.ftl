CREATE <#if unique>UNIQUE </#if>INDEX ${name} ON ${table} (${columns})
