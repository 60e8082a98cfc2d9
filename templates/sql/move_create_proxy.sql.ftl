CREATE FOREIGN TABLE ${table} (
<#list columns as column>
    ${column.name} ${column.type}<#if column.default??> DEFAULT ${column.default}</#if><#if column.notNull> NOT NULL</#if><#sep>,</#sep>
</#list>
) SERVER ${server} OPTIONS (schema_name ${remoteSchema}, table_name ${remoteTable})
