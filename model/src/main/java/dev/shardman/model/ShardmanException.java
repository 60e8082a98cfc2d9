package dev.shardman.model;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception family of shardman. {@code summary} is one line for the operator;
 * {@code detail} (may be empty) says what to do next. Neither may contain a password.
 */
public class ShardmanException extends RuntimeException {
    private final ErrorCode code;
    private final String summary;
    private final String detail;

    public ShardmanException(ErrorCode code, String summary, String detail) {
        this(code, summary, detail, null);
    }

    public ShardmanException(ErrorCode code, String summary, String detail, Throwable cause) {
        super(detail == null || detail.isEmpty() ? summary : summary + "\n" + detail, cause);
        this.code = requireNonNull(code, "code is null");
        this.summary = requireNonNull(summary, "summary is null");
        this.detail = detail == null ? "" : detail;
    }

    public ErrorCode code() {
        return code;
    }

    public String summary() {
        return summary;
    }

    public String detail() {
        return detail;
    }
}
