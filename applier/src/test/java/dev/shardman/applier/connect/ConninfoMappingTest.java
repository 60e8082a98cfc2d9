package dev.shardman.applier.connect;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.conninfo.Conninfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConninfoMappingTest {
    private static final SessionTimeouts TIMEOUT = new SessionTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));

    private static JdbcEndpoint map(String conninfo) {
        return ConninfoMapping.map(Conninfo.parse(conninfo).resolve(Map.of("PW", "s3cret")), "shardman-apply", TIMEOUT, "osuser");
    }

    @Test
    void hostPortAndDatabaseFormTheUrl() {
        JdbcEndpoint endpoint = map("host=10.0.0.1 port=5433 dbname=shard user=app");
        assertEquals("jdbc:postgresql://10.0.0.1:5433/shard", endpoint.url());
        assertEquals(Map.of("user", "app", "ApplicationName", "shardman-apply", "connectTimeout", "10", "loginTimeout", "10",
                "socketTimeout", "35", "tcpKeepAlive", "true", "options", "-c statement_timeout=30000"), endpoint.properties());
    }

    @Test
    void passwordIsAPropertyNeverInTheUrlNorInToString() {
        JdbcEndpoint endpoint = map("host=h user=app password=${env:PW}");
        assertEquals("s3cret", endpoint.properties().get("password"));
        assertFalse(endpoint.url().contains("s3cret"));
        assertFalse(endpoint.toString().contains("s3cret"));
        assertTrue(endpoint.toString().contains("password=***"));
    }

    @Test
    void libpqDefaults() {
        JdbcEndpoint endpoint = map("");
        assertEquals("jdbc:postgresql://localhost:5432/osuser", endpoint.url());
        assertEquals("osuser", endpoint.properties().get("user"));
        assertEquals("jdbc:postgresql://localhost:5432/app", map("user=app").url());
    }

    @Test
    void uriSyntaxAndEncodedDatabaseName() {
        JdbcEndpoint endpoint = map("postgresql://app@db.example:6432/my%20db?sslmode=verify-full");
        assertEquals("jdbc:postgresql://db.example:6432/my%20db", endpoint.url());
        assertEquals("verify-full", endpoint.properties().get("sslmode"));
    }

    @Test
    void hostListsAndIpv6() {
        assertEquals("jdbc:postgresql://a:5432,b:5433/d", map("host=a,b port=5432,5433 dbname=d").url());
        assertEquals("jdbc:postgresql://a:6000,b:6000/d", map("host=a,b port=6000 dbname=d").url());
        assertEquals("jdbc:postgresql://[::1]:5432/d", map("host=::1 dbname=d").url());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/d", map("hostaddr=127.0.0.1 dbname=d").url());
    }

    @Test
    void tlsGssAndSessionKeywordsMapToPgjdbcNames() {
        JdbcEndpoint endpoint = map("host=h user=u sslmode=require sslcert=/c sslkey=/k sslrootcert=/r sslpassword=${env:PW}"
                + " gssencmode=disable krbsrvname=pg channel_binding=require options='-c search_path=x'"
                + " target_session_attrs=read-write load_balance_hosts=random keepalives=1 client_encoding=UTF8");
        Map<String, String> properties = endpoint.properties();
        assertEquals("require", properties.get("sslmode"));
        assertEquals("/c", properties.get("sslcert"));
        assertEquals("/k", properties.get("sslkey"));
        assertEquals("/r", properties.get("sslrootcert"));
        assertEquals("s3cret", properties.get("sslpassword"));
        assertEquals("disable", properties.get("gssEncMode"));
        assertEquals("pg", properties.get("kerberosServerName"));
        assertEquals("require", properties.get("channelBinding"));
        assertEquals("-c statement_timeout=30000 -c search_path=x", properties.get("options"), "the conninfo's options come last and win");
        assertEquals("primary", properties.get("targetServerType"));
        assertEquals("true", properties.get("loadBalanceHosts"));
        assertEquals("true", properties.get("tcpKeepAlive"));
        assertFalse(endpoint.toString().contains("s3cret"));
    }

    @Test
    void connectTimeoutFollowsLibpq() {
        assertEquals("30", map("connect_timeout=30").properties().get("connectTimeout"));
        assertEquals("2", map("connect_timeout=1").properties().get("connectTimeout"));
        assertEquals("0", map("connect_timeout=0").properties().get("connectTimeout"));
        assertEquals(null, map("connect_timeout=0").properties().get("loginTimeout"), "0 waits forever, as in libpq");
        assertEquals("30", map("connect_timeout=30").properties().get("loginTimeout"));
    }

    @Test
    void shardmanApplicationNameWins() {
        assertEquals("shardman-apply", map("application_name=psql").properties().get("ApplicationName"));
    }

    @Test
    void unsupportedKeywordsAreRefusedByName() {
        for (String conninfo : new String[] {"passfile=/p", "service=s", "sslcrl=/c", "keepalives_idle=5", "require_auth=md5"}) {
            ShardmanException refused = assertThrows(ShardmanException.class, () -> map(conninfo));
            assertEquals(ErrorCode.INVALID_INPUT, refused.code());
            assertTrue(refused.summary().contains("\"" + conninfo.substring(0, conninfo.indexOf('=')) + "\""), refused.summary());
        }
        assertThrows(ShardmanException.class, () -> map("client_encoding=LATIN1"));
        assertThrows(ShardmanException.class, () -> map("host=/var/run/postgresql"));
        assertThrows(ShardmanException.class, () -> map("host=a,b,c port=1,2"));
    }

    @Test
    void unresolvedReferencesAreABug() {
        assertThrows(IllegalArgumentException.class,
                () -> ConninfoMapping.map(Conninfo.parse("password=${env:PW}"), "shardman", TIMEOUT, "u"));
    }

    @Test
    void everySessionIsBoundedByTheNodeTimeout() {
        SessionTimeouts bounds = new SessionTimeouts(Duration.ofMillis(1500), Duration.ofMillis(1500));
        Map<String, String> properties = ConninfoMapping.map(Conninfo.parse("host=h"), "shardman-apply", bounds, "u").properties();

        assertEquals("2", properties.get("connectTimeout"), "seconds, rounded up");
        assertEquals("3", properties.get("socketTimeout"), "node timeout + grace (3 s), rounded up");
        assertEquals("-c statement_timeout=1500", properties.get("options"));
        assertEquals("true", properties.get("tcpKeepAlive"));
        assertEquals("false", map("host=h keepalives=0").properties().get("tcpKeepAlive"), "the conninfo's keepalives=0 wins");
        assertEquals(Duration.ofSeconds(35), TIMEOUT.socketRead());
    }

    @Test
    void aReadOnlyCommandsSessionsAlsoBoundTheirLockWaits() {
        SessionTimeouts bounds = TIMEOUT.withLockTimeout(Duration.ofSeconds(5));
        assertEquals("-c statement_timeout=30000 -c lock_timeout=5000 -c search_path=x",
                ConninfoMapping.map(Conninfo.parse("host=h options='-c search_path=x'"), "shardman", bounds, "u").properties().get("options"));
    }
}
