package dev.shardman.model.spec;

import dev.shardman.model.SourcePosition;
import org.snakeyaml.engine.v2.nodes.Node;

import static java.util.Objects.requireNonNull;

/** What every parser of one spec shares: the file name for positions and the diagnostics. */
record ParseContext(String file, Diagnostics diagnostics) {
    ParseContext {
        requireNonNull(file, "file is null");
        requireNonNull(diagnostics, "diagnostics is null");
    }

    /** The 1-based position where {@code node} starts (SnakeYAML's marks are 0-based). */
    SourcePosition position(Node node) {
        return node.getStartMark()
                .map(mark -> new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1))
                .orElse(startOfFile());
    }

    SourcePosition startOfFile() {
        return new SourcePosition(file, 1, 1);
    }

    void error(Node node, String message) {
        diagnostics.error(position(node), message);
    }
}
