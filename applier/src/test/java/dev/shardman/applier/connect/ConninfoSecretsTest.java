package dev.shardman.applier.connect;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.conninfo.Conninfo;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConninfoSecretsTest {
    private final ConninfoSecrets secrets = ConninfoSecrets.of(Map.of("PW", "hunter2", "W1_HOST", "10.0.0.1"));

    @Test
    void resolvesEveryReferenceOfAConninfoString() {
        Conninfo resolved = secrets.resolve("host=${env:W1_HOST} user=app password=${env:PW}");
        assertEquals("10.0.0.1", resolved.host());
        assertEquals(Optional.of("hunter2"), resolved.password());
    }

    @Test
    void resolvesAParsedConninfoAsTheModelDoes() {
        Conninfo parsed = Conninfo.parse("host=h password=${env:PW}");
        assertEquals(parsed.resolve(Map.of("PW", "hunter2")).toKeywordValueString(), secrets.resolve(parsed).toKeywordValueString());
    }

    @Test
    void anUnsetVariableIsNamed() {
        ShardmanException failure = assertThrows(ShardmanException.class, () -> secrets.resolve("host=h password=${env:MISSING}"));
        assertEquals(ErrorCode.INVALID_INPUT, failure.code());
        assertTrue(failure.summary().contains("MISSING"), failure.summary());
    }

    @Test
    void toStringShowsNoValue() {
        String shown = secrets.toString();
        assertFalse(shown.contains("hunter2"), shown);
        assertFalse(shown.contains("10.0.0.1"), shown);
    }

    @Test
    void laterChangesToTheGivenMapAreNotSeen() {
        Map<String, String> environment = new HashMap<>(Map.of("PW", "first"));
        ConninfoSecrets copied = ConninfoSecrets.of(environment);
        environment.put("PW", "second");
        assertEquals(Optional.of("first"), copied.resolve("password=${env:PW}").password());
    }
}
