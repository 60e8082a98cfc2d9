package dev.shardman.cli.docs;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The published JSON Schemas of the --json reports (docs/schemas), checked against real outputs. */
public enum JsonSchemas {
    PLAN("plan.schema.json"),
    DRIFT_CHECK("drift-check.schema.json"),
    VERIFY("verify.schema.json"),
    STATUS("status.schema.json"),
    EXEC("exec.schema.json");

    public static final Path DIRECTORY = Path.of("../docs/schemas");

    private final String file;

    JsonSchemas(String file) {
        this.file = file;
    }

    public Path path() {
        return DIRECTORY.resolve(file);
    }

    /** The schema's complaints about {@code json}, one line each ("$.steps[0].action: ..."); empty when it conforms. */
    public List<String> errors(String json) {
        return schema().validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    public void assertValid(String json) {
        assertEquals(List.of(), errors(json), file + " rejects:\n" + json);
    }

    private Schema schema() {
        try {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(Files.readString(path(), StandardCharsets.UTF_8), InputFormat.JSON);
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }
}
