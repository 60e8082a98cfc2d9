package dev.shardman.applier.objects;

import dev.shardman.model.DerivedNames;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The application-facing name {@code schema.name} of a shared table on one node: a view over the local
 * {@link SharedData} (reads stay local) whose INSTEAD OF trigger writes locally on the master ({@code masterServer}
 * empty) and elsewhere through {@code name_fdw} to the master. The trigger function is SECURITY DEFINER, so roles need
 * privileges on the view only; a view observed without {@code writesAsOwner} (an older shardman's) is re-created
 * (docs/internals/objects-and-reconcile.md, "Shared tables' views"). {@code columns} are the view's (names and types,
 * fixed when it is created: a type change of the data re-creates it), {@code foreignColumns} those of {@code name_fdw}
 * (none on the master) and {@code foreignColumnOptions} any per-column FDW option it carries (shardman sets none: a
 * {@code column_name} would write one column into another).
 */
public record SharedView(TableName view, TableName data, List<Column> columns, Optional<String> masterServer, boolean writesAsOwner,
                         List<Column> foreignColumns, List<String> foreignColumnOptions)
        implements NodeObject {
    public SharedView {
        requireNonNull(view, "view is null");
        requireNonNull(data, "data is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(masterServer, "masterServer is null");
        foreignColumns = List.copyOf(requireNonNull(foreignColumns, "foreignColumns is null"));
        foreignColumnOptions = List.copyOf(requireNonNull(foreignColumnOptions, "foreignColumnOptions is null"));
    }

    /** The view as shardman creates it now, over the data table's {@code columns} (in order), its foreign table the same. */
    public static SharedView expected(TableName view, TableName data, List<Column> columns, Optional<String> masterServer) {
        return new SharedView(view, data, columns, masterServer, true, masterServer.isPresent() ? columns : List.of(), List.of());
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
