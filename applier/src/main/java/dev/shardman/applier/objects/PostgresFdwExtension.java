package dev.shardman.applier.objects;

/** The {@code postgres_fdw} extension, which every node with peers or sharded tables needs. */
public record PostgresFdwExtension() implements NodeObject {
    public static final String NAME = "postgres_fdw";

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.EXTENSION, NAME);
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitExtension(this);
    }

    @Override
    public String describe() {
        return "extension " + NAME;
    }
}
