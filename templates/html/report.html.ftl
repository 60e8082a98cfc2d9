<#ftl output_format="XHTML">
<#-- report --html: one self-contained XHTML page (no external CSS, script or font). The model is
     dev.shardman.cli.render.ClusterReportView.Page (as "page"). The XHTML output format escapes every
     ${...}: names are user text. Layout only: no business rules. -->
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="UTF-8"/>
<title>shardman report: ${page.cluster()}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #1d2330; background: #fff; }
h1 { font-size: 1.4em; margin-bottom: .2em; }
h2 { font-size: 1.1em; margin-top: 1.6em; border-bottom: 1px solid #d5d9e0; padding-bottom: .2em; }
.meta { color: #5a6270; font-size: .9em; }
table { border-collapse: collapse; font-size: .9em; }
th, td { border: 1px solid #d5d9e0; padding: .3em .55em; text-align: left; vertical-align: top; }
th { background: #f2f4f7; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.state-reachable { color: #17733a; font-weight: 600; }
.state-unreachable, .state-lost, .bad { color: #b3261e; font-weight: 600; }
tr.row-unreachable td, tr.row-lost td { background: #fdf1f0; }
.entry { display: inline-block; margin: 1px; padding: 1px 5px; border-radius: 3px; font-size: .85em; white-space: nowrap; }
.entry .size { opacity: .75; margin-left: .3em; }
.primary { background: #1f5fae; color: #fff; }
.replica { background: #dbe7f7; color: #15365f; border: 1px dashed #1f5fae; }
.shared-master { background: #7a3fa0; color: #fff; }
.shared-copy { background: #efe3f6; color: #4b2563; border: 1px dashed #7a3fa0; }
.ok { color: #17733a; font-weight: 600; }
.legend .entry { margin-right: .6em; }
ul.findings { margin: .3em 0 .8em 0; }
code { font-size: .95em; }
</style>
</head>
<body>
<h1>Cluster ${page.cluster()}</h1>
<p class="meta">serial ${page.serial()}<#if page.lineage()?has_content>, lineage ${page.lineage()}</#if>; read ${page.generatedAt()}; lock: ${page.lockHolder()}</p>
<#list page.notes()>
<ul class="findings">
<#items as note>
<li class="bad">${note}</li>
</#items>
</ul>
</#list>

<h2>Nodes</h2>
<table>
<tr><th>node</th><th>state</th><th>replication group</th><th>PostgreSQL</th><th>primaries</th><th>replicas</th><th>size</th></tr>
<#list page.nodes() as node>
<tr class="row-${node.state()}"><td>${node.name()}</td><td class="state-${node.state()}">${node.state()}</td><td>${node.replicationGroup()}</td><td>${node.version()}</td><td class="number">${node.primaries()}</td><td class="number">${node.replicas()}</td><td class="number">${node.size()}<#if node.sizeNote()?has_content> <span class="bad">(${node.sizeNote()})</span></#if></td></tr>
</#list>
</table>

<h2>Where the data lives</h2>
<p class="legend"><span class="entry primary">p3</span>primary of partition 3 <span class="entry replica">r3</span>replica of partition 3 <span class="entry shared-master">master</span>shared table master <span class="entry shared-copy">copy</span>shared table copy; sizes are <code>pg_total_relation_size</code> on the node, <code>?</code> where it could not be read.</p>
<table class="matrix">
<tr><th>node \ table</th><#list page.tables() as table><th>${table.name()}<br/><span class="meta">${table.type()}: ${table.shape()}<#if table.size()?has_content>; ${table.size()}</#if></span></th></#list></tr>
<#list page.matrix() as row>
<tr class="row-${row.state()}"><th>${row.node()}<#if row.state() != "reachable"> <span class="state-${row.state()}">(${row.state()})</span></#if></th><#list row.cells() as cell><td><#list cell as entry><span class="entry ${entry.role()}" title="${entry.title()}">${entry.label()}<span class="size">${entry.size()}</span></span> </#list></td></#list></tr>
</#list>
</table>

<h2>Replication channels</h2>
<#list page.channels()>
<table>
<tr><th>source</th><th>destination</th><th>subscription</th><th>state</th><th>lag</th><th>lag (time)</th><th>initial sync</th></tr>
<#items as channel>
<tr><td>${channel.source()}</td><td>${channel.destination()}</td><td><code>${channel.subscription()}</code></td><td class="<#if channel.streaming()>ok<#else>bad</#if>">${channel.state()}</td><td class="number">${channel.lagBytes()}</td><td class="number">${channel.lagSeconds()}</td><td class="number">${channel.initialSync()}</td></tr>
</#items>
</table>
<#else>
<p>No replication channels (no replicas and no shared tables with copies).</p>
</#list>

<h2>Drift</h2>
<#if page.inSync()>
<p class="ok">In sync: the nodes match the metadata (serial ${page.serial()}) and the metadata matches the spec.</p>
</#if>
<#list page.drift() as section>
<p class="bad">${section.title()}</p>
<ul class="findings">
<#list section.lines() as line>
<li><code>${line}</code></li>
</#list>
</ul>
</#list>
<#if page.oldLockHolder()?has_content>
<p class="bad">The cluster lock has been held for long: ${page.oldLockHolder()}</p>
</#if>

<h2>Last apply</h2>
<p>${page.lastApply()}</p>
<#if page.lastApplyError()?has_content>
<p class="bad">error: ${page.lastApplyError()}</p>
</#if>
</body>
</html>
