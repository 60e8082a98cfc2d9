ALTER TABLE ${parent} DETACH PARTITION ${table};
<#list indexes as index>
ALTER INDEX ${index.from} RENAME TO ${index.to};
</#list>
ALTER TABLE ${table} RENAME TO ${retiredName};
ALTER TABLE ${renamed} SET SCHEMA ${retiredSchema}
