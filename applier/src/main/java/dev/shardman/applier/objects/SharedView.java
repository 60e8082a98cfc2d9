package dev.shardman.applier.objects;

import dev.shardman.model.DerivedNames;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The application-facing name {@code schema.name} of a shared table on one node: a view over the
 * local {@link SharedData} (reads stay local) with an INSTEAD OF INSERT/UPDATE/DELETE trigger (so
 * COPY and RETURNING work) that writes into the local data on the master ({@code masterServer}
 * empty) and elsewhere into the foreign table {@code name_fdw} on {@code masterServer}, which reads
 * {@code shardman_shared.name} on the master. Columns and the key of the trigger come from the data
 * table when the view is created, so a column change of the data table re-creates the view (and
 * with it the foreign table and the trigger function) in the same node transaction. The trigger function runs with its owner's rights (SECURITY
 * DEFINER, fixed search_path): a role needs privileges on the view only, never on the data table,
 * the foreign table or {@code shardman_shared}, and the write reaches the master through the
 * owner's user mapping whoever writes. {@code writesAsOwner} is always true when expected; a view
 * observed without it (created by an older shardman) is re-created.
 */
public record SharedView(TableName view, TableName data, List<String> columns, Optional<String> masterServer, boolean writesAsOwner)
        implements NodeObject {
    public SharedView {
        requireNonNull(view, "view is null");
        requireNonNull(data, "data is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(masterServer, "masterServer is null");
    }

    /** The view as shardman creates it now, over the data table's {@code columns} (names, in order). */
    public static SharedView expected(TableName view, TableName data, List<String> columns, Optional<String> masterServer) {
        return new SharedView(view, data, columns, masterServer, true);
    }

    public TableName foreignTable() {
        return view.sibling(DerivedNames.foreign(view.name()));
    }

    public TableName writeFunction() {
        return view.sibling(DerivedNames.sharedWriteFunction(view.name()));
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.SHARED_VIEW, view.toString());
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitSharedView(this);
    }

    @Override
    public String describe() {
        return "shared table view " + view + masterServer.map(server -> " writing through " + server).orElse(" (master: writes stay here)")
                + (writesAsOwner ? "" : " with invoker rights");
    }
}
