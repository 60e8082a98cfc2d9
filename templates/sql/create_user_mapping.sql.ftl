CREATE USER MAPPING FOR ${role} SERVER ${server}<#if options?has_content> OPTIONS (<#list options as option>${option.name} ${option.value}<#sep>, </#list>)</#if>
