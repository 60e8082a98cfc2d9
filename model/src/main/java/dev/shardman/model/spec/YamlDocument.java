package dev.shardman.model.spec;

import dev.shardman.model.SourcePosition;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.util.Optional;

/**
 * Composes the text of a spec into SnakeYAML's node tree, which keeps a start mark on every node.
 * Only composing, never constructing Java objects: the mapping to records is ours, so that each
 * value keeps its position. Duplicate keys are let through here and reported by {@link MappingReader}.
 */
final class YamlDocument {
    private YamlDocument() {
    }

    /** The root node; empty (with a diagnostic) for a syntax error, or for a file with no document. */
    static Optional<Node> compose(String text, ParseContext context) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(context.file())
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(true)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException syntaxError) {
            reportSyntaxError(syntaxError, context);
            return Optional.empty();
        } catch (YamlEngineException otherError) {
            context.diagnostics().error(context.startOfFile(), "invalid YAML: " + otherError.getMessage());
            return Optional.empty();
        }
        if (root.isEmpty()) {
            context.diagnostics().error(context.startOfFile(), "the file is empty (or holds only comments);"
                    + " a spec needs at least the keys cluster, shardlord and nodes");
        }
        return root;
    }

    private static void reportSyntaxError(MarkedYamlEngineException syntaxError, ParseContext context) {
        Optional<Mark> mark = syntaxError.getProblemMark().or(syntaxError::getContextMark);
        String where = syntaxError.getContext() == null ? "" : " (" + syntaxError.getContext()
                + syntaxError.getContextMark().map(start -> " started at line " + (start.getLine() + 1)
                + ", column " + (start.getColumn() + 1)).orElse("") + ")";
        context.diagnostics().error(
                mark.map(found -> new SourcePosition(context.file(), found.getLine() + 1, found.getColumn() + 1))
                        .orElse(context.startOfFile()),
                "invalid YAML: " + syntaxError.getProblem().replaceAll("\\.$", "") + where + "; fix the syntax here");
    }
}
