package dev.shardman.localcluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSettingsTest {
    @TempDir
    Path dataDirectory;

    @Test
    void settingsFileIsIncludedOnceHoweverOftenTheServerStarts() throws IOException {
        Files.writeString(dataDirectory.resolve("postgresql.conf"), "port = 5432\n");

        ServerSettings.writeTo(dataDirectory);
        ServerSettings.writeTo(dataDirectory);

        String postgresqlConf = Files.readString(dataDirectory.resolve("postgresql.conf"));
        assertEquals(postgresqlConf.indexOf(ServerSettings.INCLUDE_LINE), postgresqlConf.lastIndexOf(ServerSettings.INCLUDE_LINE));
        String settings = Files.readString(dataDirectory.resolve(ServerSettings.FILE_NAME));
        assertTrue(settings.contains("wal_level = 'logical'"), settings);
        assertTrue(settings.contains("wal_retrieve_retry_interval = '200ms'"), settings);
        assertTrue(settings.contains("max_prepared_transactions = '100'"), settings);
    }
}
