package dev.shardman.applier.connect;

import java.sql.Connection;
import java.sql.SQLException;

/** Small helpers for pgjdbc connections. */
public final class Connections {
    private Connections() {
    }

    /** Closes {@code connection}, ignoring a failure: the server ends the session when the socket closes. */
    public static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the caller is done with it and has nothing left to lose in it
        }
    }
}
