package dev.shardman.applier.connect;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionFactoryTest {
    private final ConnectionFactory factory = new ConnectionFactory(ConninfoSecrets.of(Map.of("PW", "hunter2")), "shardman-test", Duration.ofSeconds(2));

    @Test
    void failureNamesTheTargetAndTheRedactedConninfoButNotThePassword() {
        // Port 1 on the loopback refuses at once.
        ShardmanException failure = assertThrows(ShardmanException.class,
                () -> factory.connect(ConnectionTarget.node("w2", "host=127.0.0.1 port=1 dbname=d user=app password=${env:PW}")));
        assertEquals(ErrorCode.NODE_FAILURE, failure.code());
        assertTrue(failure.summary().startsWith("cannot connect to node w2 (host=127.0.0.1 port=1 dbname=d user=app password=***)"),
                failure.summary());
        assertFalse(failure.getMessage().contains("hunter2"));
    }

    @Test
    void aFactoryRememberingUnreachableTargetsFailsAtOnceWithTheFirstErrorAndOnlyForThatTarget() {
        ConnectionTarget refusing = ConnectionTarget.node("w2", "host=127.0.0.1 port=1 dbname=d user=app");
        ConnectionFactory remembering = factory.rememberingUnreachable();
        ShardmanException first = assertThrows(ShardmanException.class, () -> remembering.connect(refusing));
        assertSame(first, assertThrows(ShardmanException.class, () -> remembering.connect(refusing)), "not tried again");
        assertSame(first, assertThrows(ShardmanException.class, () -> remembering.withNodeTimeout(Duration.ofSeconds(1)).connect(refusing)));
        ShardmanException other = assertThrows(ShardmanException.class,
                () -> remembering.connect(ConnectionTarget.node("w3", "host=127.0.0.1 port=2 dbname=d user=app")));
        assertNotSame(first, other);
        assertTrue(other.summary().startsWith("cannot connect to node w3 (host=127.0.0.1 port=2"), other.summary());
        assertNotSame(assertThrows(ShardmanException.class, () -> factory.connect(refusing)),
                assertThrows(ShardmanException.class, () -> factory.connect(refusing)), "a plain factory tries every time");
    }

    @Test
    void unsetVariableNamesTheTarget() {
        ShardmanException failure = assertThrows(ShardmanException.class,
                () -> factory.connect(ConnectionTarget.shardlord("host=h password=${env:MISSING}")));
        assertEquals(ErrorCode.INVALID_INPUT, failure.code());
        assertTrue(failure.summary().startsWith("the shardlord: the environment variable MISSING is not set"), failure.summary());
    }
}
