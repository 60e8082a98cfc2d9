CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE ${table} (<#list columns as column>${column.name} ${column.type}<#if column.notNull> NOT NULL</#if><#if column.default??> DEFAULT ${column.default}</#if><#sep>, </#list>)
