package dev.shardman.applier.connect;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * Wraps a session (and the statements and result sets it hands out) so that a socket read timeout, wherever it
 * happens (a step's node work, a move phase, a check), fails with an SQLException that names the target and the
 * bound: pgjdbc's own message ("An I/O error occurred while sending to the backend") names no server. Every other
 * call and failure passes through unchanged; the original exception is the cause (so {@link SessionTimeouts#isSilence}
 * still sees it). {@code unwrap} reaches pgjdbc's own connection.
 */
final class SilentNodeNaming implements InvocationHandler {
    private static final Set<Class<?>> WRAPPED = Set.of(Statement.class, PreparedStatement.class, CallableStatement.class,
            ResultSet.class, DatabaseMetaData.class);

    private final Object target;
    private final String displayName;
    private final SessionTimeouts timeouts;

    private SilentNodeNaming(Object target, String displayName, SessionTimeouts timeouts) {
        this.target = target;
        this.displayName = displayName;
        this.timeouts = timeouts;
    }

    static Connection wrap(Connection connection, String displayName, SessionTimeouts timeouts) {
        return (Connection) proxy(Connection.class, connection, displayName, timeouts);
    }

    private static Object proxy(Class<?> type, Object target, String displayName, SessionTimeouts timeouts) {
        return Proxy.newProxyInstance(SilentNodeNaming.class.getClassLoader(), new Class<?>[] {type},
                new SilentNodeNaming(target, displayName, timeouts));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            // identity semantics for the proxy itself (connections are kept in maps)
            return switch (method.getName()) {
                case "equals" -> proxy == arguments[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> displayName + " " + target;
            };
        }
        Object result;
        try {
            result = method.invoke(target, arguments);
        } catch (InvocationTargetException thrown) {
            throw named(thrown.getCause());
        }
        Class<?> type = method.getReturnType();
        return result != null && WRAPPED.contains(type) ? proxy(type, result, displayName, timeouts) : result;
    }

    private Throwable named(Throwable failure) {
        if (failure instanceof SQLException sqlFailure && SessionTimeouts.isSilence(sqlFailure)) {
            return new SQLException(displayName + " did not answer within " + timeouts.socketRead().toMillis() + " ms (settings.node_timeout "
                    + timeouts.node().toMillis() + " ms and its grace): it is hung or cut off; " + sqlFailure.getMessage(),
                    sqlFailure.getSQLState(), sqlFailure);
        }
        return failure;
    }
}
