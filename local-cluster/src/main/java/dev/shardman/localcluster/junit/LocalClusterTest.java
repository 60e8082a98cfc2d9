package dev.shardman.localcluster.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated test class against a fresh local cluster: a shardlord and {@link #workers()}
 * workers of PostgreSQL {@link #postgresMajor()}, on free ports of 127.0.0.1, in a temporary
 * directory. The cluster starts once before the class and stops after it. Each test method gets
 * its own freshly created database on every instance; declare a {@link TestCluster} parameter to
 * reach it. The servers are embedded binaries unless {@code -Dshardman.test.servers} names another
 * {@link TestServerProvider} (e.g. {@code containers} with {@code mvn -P testcontainers}).
 *
 * <pre>{@code
 * @LocalClusterTest(workers = 2)
 * class MoveIT {
 *     @Test
 *     void moves(TestCluster cluster) throws SQLException {
 *         try (Connection connection = cluster.connect(cluster.worker(1))) { ... }
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalClusterExtension.class)
public @interface LocalClusterTest {
    /** The number of workers, w1..wN, besides the shardlord. */
    int workers() default 3;

    /**
     * The PostgreSQL major version: 15, 16, 17 or 18; 0 (the default) is the run's version: {@value #VERSION_PROPERTY}
     * if set (CI runs a core set of ITs again on 15 and 18 that way), else {@value #DEFAULT_MAJOR}.
     */
    int postgresMajor() default 0;

    String VERSION_PROPERTY = "shardman.test.postgres";
    int DEFAULT_MAJOR = 17;
}
