package dev.shardman.applier.connect;

import dev.shardman.model.conninfo.Conninfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Checks the claim of {@link ConninfoMapping}: with no password given, pgjdbc 42.7 takes it from the password file. */
class PgpassTest {
    @Test
    void pgjdbcReadsThePasswordFileWhenNoPasswordIsGiven(@TempDir Path directory) throws IOException {
        Path pgpass = Files.writeString(directory.resolve("pgpass"), "db.example:6432:shard:app:from-pgpass\n");
        String previous = System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            JdbcEndpoint endpoint = ConninfoMapping.map(Conninfo.parse("host=db.example port=6432 dbname=shard user=app"),
                    "shardman", new SessionTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)), "osuser");
            assertFalse(endpoint.properties().containsKey("password"));
            Properties parsed = org.postgresql.Driver.parseURL(endpoint.url(), endpoint.toProperties());
            assertEquals("from-pgpass", parsed.getProperty("password"));
        } finally {
            if (previous == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", previous);
            }
        }
    }

    @Test
    void aGivenPasswordWins(@TempDir Path directory) throws IOException {
        Path pgpass = Files.writeString(directory.resolve("pgpass"), "*:*:*:*:from-pgpass\n");
        String previous = System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            JdbcEndpoint endpoint = ConninfoMapping.map(Conninfo.parse("host=h user=app password=${env:PW}").resolve(Map.of("PW", "given")),
                    "shardman", new SessionTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)), "osuser");
            assertEquals("given", org.postgresql.Driver.parseURL(endpoint.url(), endpoint.toProperties()).getProperty("password"));
        } finally {
            if (previous == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", previous);
            }
        }
    }
}
