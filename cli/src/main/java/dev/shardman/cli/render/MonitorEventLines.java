package dev.shardman.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.applier.monitor.MonitorEvent;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One line per monitor event. Text: {@code <time> <event> [<node>] <message>}. JSON lines ({@code --json}):
 * {@code {"format_version": "1", "time": ISO-8601, "event": "node_down", "node": "w2" or null, "message": "...",
 * "details": {...}}}, one object per line, for log shippers.
 */
public final class MonitorEventLines {
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private MonitorEventLines() {
    }

    public static String text(MonitorEvent event) {
        return event.time() + " " + name(event) + event.node().map(node -> " [" + node + "]").orElse("") + " " + event.message();
    }

    public static String json(MonitorEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("format_version", "1");
        line.put("time", event.time().toString());
        line.put("event", name(event));
        line.put("node", event.node().orElse(null));
        line.put("message", event.message());
        line.put("details", event.details());
        try {
            return COMPACT.writeValueAsString(line);
        } catch (JsonProcessingException failed) {
            throw new ShardmanException(ErrorCode.INTERNAL, "could not write a monitor event: " + failed.getOriginalMessage(), "", failed);
        }
    }

    private static String name(MonitorEvent event) {
        return event.kind().name().toLowerCase(Locale.ROOT);
    }
}
