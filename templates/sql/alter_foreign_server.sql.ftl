ALTER SERVER ${server} OPTIONS (<#list options as option>${option.operation} ${option.name}<#if option.value??> ${option.value}</#if><#sep>, </#list>)
