package dev.shardman.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/** Reads an instance's server version: from the live server, or the major from its data directory. */
final class ServerVersion {
    static final String APPLICATION_NAME = "shardman-local";

    private ServerVersion() {
    }

    /** {@code SHOW server_version} of the server on {@code port}, e.g. {@code 17.11}. */
    static String query(int port) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", Conninfo.SUPERUSER);
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("connectTimeout", "5");
        try (Connection connection = DriverManager.getConnection(Conninfo.jdbcUrl(port, "postgres"), properties);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW server_version")) {
            result.next();
            return result.getString(1);
        }
    }

    /** The major version initdb wrote to {@code PG_VERSION}, if the data directory exists. */
    static Optional<String> ofDataDirectory(Path dataDirectory) {
        try {
            return Optional.of(Files.readString(dataDirectory.resolve("PG_VERSION"), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
