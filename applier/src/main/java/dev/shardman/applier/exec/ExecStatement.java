package dev.shardman.applier.exec;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The one SQL statement {@code shardman exec} runs on every node. Exactly one: pgjdbc's own parser (the one that
 * decides what it sends) must find one command, and since it is sent with the extended protocol, the server refuses a
 * string that still holds several ("cannot insert multiple commands into a prepared statement"). Comments after the last
 * {@code ;} are no statement; the one kept is that command's text (pgjdbc's, without the {@code ;}). Functions whose effect
 * survives a rollback on shardman's replication objects (slots, origins) are refused by name before anything is sent:
 * the catalog guard that runs after the statement ({@link ManagedObjectsGuard}) could not undo them.
 */
public record ExecStatement(String sql) {
    private static final Pattern NON_TRANSACTIONAL = Pattern.compile("replication_slot|replication_origin");

    public ExecStatement {
        requireNonNull(sql, "sql is null");
    }

    /** {@code text} as a statement to run, or INVALID_INPUT saying why not (nothing was sent anywhere). */
    public static ExecStatement parse(String text) {
        requireNonNull(text, "text is null");
        List<NativeQuery> commands = commands(text);
        if (commands.isEmpty()) {
            throw invalid("the SQL holds no statement", "give one statement, e.g. shardman exec -f cluster.yaml \"CREATE EXTENSION pg_trgm\"");
        }
        if (commands.size() > 1) {
            throw invalid("the SQL holds " + commands.size() + " statements; exec runs exactly one",
                    "run one exec per statement, or wrap them in one (e.g. a DO block or CREATE FUNCTION)");
        }
        if (NON_TRANSACTIONAL.matcher(text.toLowerCase(Locale.ROOT)).find()) {
            throw new ShardmanException(ErrorCode.REFUSED, "exec refuses statements that name replication slot or origin functions",
                    "their effect survives a rollback, so exec could not undo one that touched shardman's replication; nothing was run");
        }
        return new ExecStatement(commands.get(0).nativeSql.strip());
    }

    /** The commands pgjdbc would send for {@code text}, but those of only comments and blanks (e.g. after the last ';'). */
    private static List<NativeQuery> commands(String text) {
        try {
            return Parser.parseJdbcSql(text, true, false, true, false, false).stream()
                    .filter(command -> !onlyComments(command.nativeSql.toCharArray())).toList();
        } catch (SQLException malformed) {
            throw invalid("the SQL cannot be split into statements: " + malformed.getMessage(), "check its quotes and comments");
        }
    }

    private static boolean onlyComments(char[] command) {
        int index = 0;
        while (index < command.length) {
            char character = command[index];
            if (Parser.isSpace(character) || character == ';') {
                index++;
            } else if (character == '-' && Parser.parseLineComment(command, index) > index) {
                index = Parser.parseLineComment(command, index) + 1;
            } else if (character == '/' && Parser.parseBlockComment(command, index) > index) {
                index = Parser.parseBlockComment(command, index) + 1;
            } else {
                return false;
            }
        }
        return true;
    }

    private static ShardmanException invalid(String summary, String detail) {
        return new ShardmanException(ErrorCode.INVALID_INPUT, summary + "; nothing was run", detail);
    }
}
