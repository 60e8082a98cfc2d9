<#-- The plan as a reviewer reads it. The model is dev.shardman.planner.render.PlanView (as "plan"),
     plus "colors" (action → ANSI code or ""), "reset" and "bold". Layout only: no business rules. -->
<#if plan.empty>
${plan.summary().closingLine()}
<#else>
Cluster ${plan.cluster()}: changes from state serial ${plan.serial()?c}<#if plan.lineage()?has_content> (lineage ${plan.lineage()})</#if>.
Symbols: + create, ~ change, → move, - destroy.
<#list plan.groups() as group>

${bold}# ${group.subject()}${reset}
<#list group.lines() as line>
  ${colors[line.action()]}${line.symbol()}${reset} ${line.description()}
</#list>
</#list>

${bold}${plan.summary().closingLine()}${reset}
</#if>
<#list plan.warnings() as warning>

Warning: ${warning}.
</#list>
