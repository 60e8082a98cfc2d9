package dev.shardman.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DiagnosticTest {
    private static final SourcePosition POSITION = new SourcePosition("examples/x.yaml", 14, 7);

    @Test
    void errorPrintsAsFileLineColumnMessage() {
        assertEquals("examples/x.yaml:14:7: table \"orders\": bad",
                Diagnostic.error(POSITION, "table \"orders\": bad").toString());
    }

    @Test
    void warningSaysSoAfterThePosition() {
        assertEquals("examples/x.yaml:14:7: warning: variable unset", Diagnostic.warning(POSITION, "variable unset").toString());
    }

    @Test
    void jsonHoldsExactlyTheComponents() throws JsonProcessingException {
        String json = new ObjectMapper().writeValueAsString(Diagnostic.warning(POSITION, "variable unset"));

        assertEquals("{\"severity\":\"WARNING\",\"position\":{\"file\":\"examples/x.yaml\",\"line\":14,\"column\":7},"
                + "\"message\":\"variable unset\"}", json);
    }
}
