CREATE SERVER ${server} FOREIGN DATA WRAPPER postgres_fdw OPTIONS (<#list options as option>${option.name} ${option.value}<#sep>, </#list>)
