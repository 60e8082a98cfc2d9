package dev.shardman.cli.command;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColorPolicyTest {
    @Test
    void colourOnlyOnATerminal() {
        assertTrue(ColorPolicy.of(true, Map.of()).useColor(false));
        assertFalse(ColorPolicy.of(false, Map.of()).useColor(false));
    }

    @Test
    void noColorFlagAndVariableWin() {
        assertFalse(ColorPolicy.of(true, Map.of()).useColor(true));
        assertFalse(ColorPolicy.of(true, Map.of("NO_COLOR", "1")).useColor(false));
    }

    @Test
    void emptyNoColorVariableIsIgnored() {
        assertTrue(ColorPolicy.of(true, Map.of("NO_COLOR", "")).useColor(false));
    }
}
