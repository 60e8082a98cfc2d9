package dev.shardman.applier.metadata;

import dev.shardman.model.ShardmanException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretsTest {
    @Test
    void masksKeywordAndUriPasswordsButKeepsReferences() {
        assertEquals("host=h password=*** user=u", Secrets.redact("host=h password=hunter2 user=u"));
        assertEquals("host=h password=*** user=u", Secrets.redact("host=h password='hun ter2' user=u"));
        assertEquals("sslpassword = ***", Secrets.redact("sslpassword = x"));
        assertEquals("see postgresql://app:***@h/db", Secrets.redact("see postgresql://app:hunter2@h/db"));
        assertEquals("(password=${env:PW})", Secrets.redact("(password=${env:PW})"));
        assertEquals("postgres://app:${env:PW}@h/db", Secrets.redact("postgres://app:${env:PW}@h/db"));
    }

    @Test
    void refusesLiteralPasswords() {
        assertThrows(ShardmanException.class, () -> Secrets.refuseLiteralPassword("d", "register (password=x)"));
        assertDoesNotThrow(() -> Secrets.refuseLiteralPassword("d", "register (host=h password=${env:PW})"));
        assertThrows(ShardmanException.class, () -> Secrets.refuseLiteralPasswordInConninfo("c", "host=h password=x"));
        assertThrows(ShardmanException.class, () -> Secrets.refuseLiteralPasswordInConninfo("c", "postgresql://a:x@h/d"));
        assertDoesNotThrow(() -> Secrets.refuseLiteralPasswordInConninfo("c", "host=h password=${env:PW}"));
    }
}
