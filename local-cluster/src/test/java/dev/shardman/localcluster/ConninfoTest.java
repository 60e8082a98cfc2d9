package dev.shardman.localcluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConninfoTest {

    @Test
    void plainDatabaseNamesAreNotQuoted() {
        assertEquals("host=127.0.0.1 port=17431 dbname=postgres user=postgres", Conninfo.of(17431, "postgres"));
    }

    @Test
    void namesWithSpacesOrQuotesAreQuotedTheLibpqWay() {
        assertEquals("'my db'", Conninfo.quoteValue("my db"));
        assertEquals("'it\\'s'", Conninfo.quoteValue("it's"));
        assertEquals("''", Conninfo.quoteValue(""));
    }

    @Test
    void configRejectsOutOfRangeValuesWithTheirReason() {
        LocalClusterException tooMany = assertThrows(LocalClusterException.class,
                () -> LocalClusterConfig.defaults(java.nio.file.Path.of("x")).withWorkers(LocalClusterConfig.MAX_WORKERS + 1));
        assertEquals(LocalClusterException.Reason.INVALID_CONFIGURATION, tooMany.reason());
        assertThrows(LocalClusterException.class, () -> PostgresMajorVersion.of(14));
    }
}
