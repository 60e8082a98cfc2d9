package dev.shardman.cli.operations;

import dev.shardman.cli.testkit.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.cli.command.ExitCodes;
import dev.shardman.localcluster.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code local} commands as a user runs them, on real servers (non-default ports and directory). */
class LocalCommandIT {
    @TempDir
    Path directory;

    @AfterEach
    void stopServers() {
        CliRun.of("local", "down", "--dir", directory.toString());
    }

    @Test
    void upStatusUpAgainDown() throws Exception {
        int basePort = FreePorts.findBlock(3);
        CliRun up = CliRun.of("local", "up", "--dir", directory.toString(), "--workers", "2",
                "--base-port", Integer.toString(basePort), "--json");
        assertEquals(ExitCodes.SUCCESS, up.exitCode(), up.err());
        JsonNode instances = new ObjectMapper().readTree(up.out()).get("instances");
        assertEquals(3, instances.size());
        assertEquals("w2", instances.get(2).get("name").asText());

        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + (basePort + 1) + "/postgres?user=postgres&ApplicationName=shardman-test");
             Statement statement = connection.createStatement();
             ResultSet walLevel = statement.executeQuery("SHOW wal_level")) {
            walLevel.next();
            assertEquals("logical", walLevel.getString(1));
        }

        CliRun status = CliRun.of("local", "status", "--dir", directory.toString());
        assertEquals(ExitCodes.SUCCESS, status.exitCode(), status.err());
        assertTrue(status.out().contains("running"), status.out());

        CliRun again = CliRun.of("local", "up", "--dir", directory.toString(), "--workers", "2",
                "--base-port", Integer.toString(basePort));
        assertEquals(ExitCodes.SUCCESS, again.exitCode(), again.err());
        assertTrue(again.out().contains("already running; nothing changed"), again.out());

        CliRun down = CliRun.of("local", "down", "--dir", directory.toString());
        assertEquals(ExitCodes.SUCCESS, down.exitCode(), down.err());
        assertTrue(down.out().contains("stopped"), down.out());
        CliRun stoppedStatus = CliRun.of("local", "status", "--dir", directory.toString(), "--json");
        new ObjectMapper().readTree(stoppedStatus.out()).get("instances")
                .forEach(instance -> assertEquals(false, instance.get("running").asBoolean()));
    }

    @Test
    void unsupportedVersionIsAnErrorNamingTheChoices() {
        CliRun run = CliRun.of("local", "up", "--dir", directory.toString(), "--pg-version", "14");
        assertEquals(ExitCodes.ERROR, run.exitCode());
        assertTrue(run.err().contains("15, 16, 17, 18"), run.err());
    }
}
