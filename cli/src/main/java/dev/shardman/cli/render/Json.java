package dev.shardman.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

/**
 * Writes the JSON reports of the CLI. Reports are built as ordered maps and lists so the output
 * is byte-for-byte deterministic; every report carries {@code "format_version"}.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static String write(Object report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new ShardmanException(ErrorCode.INTERNAL, "could not write a JSON report: " + e.getOriginalMessage(), "", e);
        }
    }
}
