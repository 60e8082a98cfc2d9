package dev.shardman.cli.testkit;

import dev.shardman.cli.ShardmanMain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The command that starts the real CLI in a child JVM. Under the build ({@value #JAR_PROPERTY} set by the cli pom):
 * the packaged jar, with a class-data archive of the classes the commands load, made once per test JVM as
 * ./shardman makes its own (each child then starts with about a third less CPU; the archive needs a classpath of jars,
 * this JVM's holds directories). Elsewhere (an IDE) or if the archive cannot be made: this JVM's classpath.
 * Always C1 only and the serial collector: every command is a short process.
 */
public final class ChildJvm {
    static final String JAR_PROPERTY = "shardman.it.jar";
    static final String CLASS_LIST_PROPERTY = "shardman.it.classList";
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static List<String> command;

    private ChildJvm() {
    }

    /** java and its options up to the CLI's arguments. */
    public static synchronized List<String> command() {
        if (command == null) {
            command = List.copyOf(packaged().orElseGet(() -> {
                List<String> fromClasspath = new ArrayList<>(List.of(JAVA));
                fromClasspath.addAll(FLAGS);
                fromClasspath.addAll(List.of("-cp", System.getProperty("java.class.path"), ShardmanMain.class.getName()));
                return fromClasspath;
            }));
        }
        return command;
    }

    private static Optional<List<String>> packaged() {
        String jar = System.getProperty(JAR_PROPERTY);
        String classList = System.getProperty(CLASS_LIST_PROPERTY);
        if (jar == null || classList == null || !Files.isRegularFile(Path.of(jar)) || !Files.isRegularFile(Path.of(classList))) {
            return Optional.empty();
        }
        Path archive = Path.of(jar).resolveSibling("shardman-test-" + ProcessHandle.current().pid() + ".jsa");
        archive.toFile().deleteOnExit();
        // opened once with -Xshare:on before any child uses it: the JVM can crash on a broken archive
        boolean made = run(List.of(JAVA, "-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive, "-cp", jar))
                && run(List.of(JAVA, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp", jar, "-version"));
        if (!made) {
            return Optional.empty();
        }
        List<String> withArchive = new ArrayList<>(List.of(JAVA));
        withArchive.addAll(FLAGS);
        withArchive.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-jar", jar));
        return Optional.of(withArchive);
    }

    private static boolean run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(ChildCli.HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
