package dev.shardman.applier.metadata;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

/**
 * A shardlord COMMIT whose reply never came (the connection broke, or the server failed the commit): the
 * transaction may or may not have committed. A caller whose next move depends on the outcome (roll the nodes'
 * prepared transactions back, or commit them) reads it back ({@link MetadataStore#stepCommitted}) instead of
 * presuming either.
 */
public final class CommitNotAcknowledged extends ShardmanException {
    public CommitNotAcknowledged(String summary, Throwable cause) {
        super(ErrorCode.NODE_FAILURE, summary,
                "the outcome is not known here; shardman recover (or the next apply) reads the decision back and finishes it", cause);
    }
}
