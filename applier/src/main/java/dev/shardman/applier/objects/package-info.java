/**
 * The catalog objects each worker node must have ({@link dev.shardman.applier.objects.ExpectedObjects}, a pure function
 * of a ClusterState), what it has ({@link dev.shardman.applier.objects.NodeInspector}), the difference in a safe order
 * ({@link dev.shardman.applier.objects.ObjectDiff}) and its SQL ({@link dev.shardman.applier.objects.ChangeSql}):
 * a level-based reconciler ({@link dev.shardman.applier.objects.NodeReconciler}) that re-reads the node every time.
 * Only names the states mention are observed, so user objects are never dropped; data-losing drops are refused.
 * Names, promotion, passwords, grants: docs/internals/objects-and-reconcile.md.
 */
package dev.shardman.applier.objects;
