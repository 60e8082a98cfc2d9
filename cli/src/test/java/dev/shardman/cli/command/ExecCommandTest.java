package dev.shardman.cli.command;

import dev.shardman.cli.testkit.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code shardman exec}'s arguments, checked before any server is reached (the spec here points nowhere). */
class ExecCommandTest {
    @TempDir
    Path directory;

    @Test
    void aFileOfTwoStatementsIsRefusedBeforeTheSpecIsRead() throws Exception {
        Path sql = Files.writeString(directory.resolve("two.sql"), "CREATE TYPE a AS (x int);\nCREATE TYPE b AS (y int);\n");

        CliRun run = CliRun.of("exec", "-f", directory.resolve("missing.yaml").toString(), "--sql-file", sql.toString());

        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("the SQL holds 2 statements; exec runs exactly one; nothing was run"), run.err());
    }

    @Test
    void anUnreadableFileIsNamed() {
        CliRun run = CliRun.of("exec", "--sql-file", directory.resolve("absent.sql").toString());

        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("cannot read " + directory.resolve("absent.sql")), run.err());
    }

    @Test
    void theStatementComesFromExactlyOneSource() throws Exception {
        Path sql = Files.writeString(directory.resolve("one.sql"), "SELECT 1");

        assertEquals(64, CliRun.of("exec").exitCode());
        assertEquals(64, CliRun.of("exec", "SELECT 1", "--sql-file", sql.toString()).exitCode());
    }
}
