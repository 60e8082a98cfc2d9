package dev.shardman.applier.objects;

import dev.shardman.model.DerivedNames;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The application-facing name {@code schema.name} of a shared table on one node: a view over the
 * local {@link SharedData} (reads stay local) with an INSTEAD OF INSERT/UPDATE/DELETE trigger (so
 * COPY and RETURNING work) that writes into the local data on the master ({@code masterServer}
 * empty) and elsewhere into the foreign table {@code name_fdw} on {@code masterServer}, which reads
 * {@code shardman_shared.name} on the master. Columns and the key of the trigger come from the data
 * table when the view is created.
 */
public record SharedView(TableName view, TableName data, Optional<String> masterServer) implements NodeObject {
    public SharedView {
        requireNonNull(view, "view is null");
        requireNonNull(data, "data is null");
        requireNonNull(masterServer, "masterServer is null");
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
        return "shared table view " + view + masterServer.map(server -> " writing through " + server).orElse(" (master: writes stay here)");
    }
}
