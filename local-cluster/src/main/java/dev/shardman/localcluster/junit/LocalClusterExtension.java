package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.PostgresMajorVersion;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JUnit 5 side of {@link LocalClusterTest}: starts the class's cluster before all its tests
 * (JUnit closes it after them, since it is an {@link AutoCloseable} in the class's store), gives
 * each test method a fresh database on every instance and drops it afterwards together with the
 * roles the test created (roles are per server, not per database), and resolves
 * {@link TestCluster} parameters. Usable on its own with {@code @ExtendWith}; then the cluster has
 * the annotation's defaults.
 */
public final class LocalClusterExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalClusterExtension.class);
    private static final String CLUSTER_KEY = "cluster";
    private static final String TEST_SCOPE_KEY = "test-scope";
    private static final String UNAVAILABLE_KEY = "unavailable";
    /** Not the common pool: it has one thread on two cores, and these tasks block on the servers. */
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "shardman-test-cluster");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * A provider that cannot run here (no Docker engine) aborts its start with an assumption. Kept and raised again before
     * each test, so that every test is reported skipped with its reason (an aborted class reports no test at all).
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            cluster(context);
        } catch (TestAbortedException unavailable) {
            classContext(context).getStore(NAMESPACE).put(UNAVAILABLE_KEY, unavailable);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestAbortedException unavailable = classContext(context).getStore(NAMESPACE).get(UNAVAILABLE_KEY, TestAbortedException.class);
        if (unavailable != null) {
            throw unavailable;
        }
        ClassCluster cluster = cluster(context);
        TestCluster view = cluster.view(cluster.nextDatabaseName(context.getRequiredTestMethod().getName()));
        Map<String, List<String>> rolesBefore = new ConcurrentHashMap<>();
        onEveryInstance(view, instance -> {
            rolesBefore.put(instance.name(), TestDatabases.roles(view, instance));
            TestDatabases.create(view, instance);
        });
        context.getStore(NAMESPACE).put(TEST_SCOPE_KEY, new TestScope(view, rolesBefore));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestScope scope = context.getStore(NAMESPACE).remove(TEST_SCOPE_KEY, TestScope.class);
        if (scope == null) {
            return;
        }
        TestCluster view = scope.view();
        onEveryInstance(view, instance -> TestDatabases.dropSubscriptions(view, instance));
        onEveryInstance(view, instance -> TestDatabases.drop(view, instance));
        onEveryInstance(view, instance -> TestDatabases.dropRolesExcept(
                scope.rolesBefore().getOrDefault(instance.name(), List.of()), view, instance));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TestScope scope = extensionContext.getStore(NAMESPACE).get(TEST_SCOPE_KEY, TestScope.class);
        return scope != null ? scope.view() : cluster(extensionContext).view("postgres");
    }

    /** The class's cluster; started on first use and stored where JUnit closes it after the class. */
    private static ClassCluster cluster(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        LocalClusterTest settings = findSettings(classContext.getRequiredTestClass());
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(CLUSTER_KEY,
                key -> new ClassCluster(TestServerProviders.start(settings.workers(), PostgresMajorVersion.of(major(settings)))),
                ClassCluster.class);
    }

    /** The class's own version, or the run's ({@link LocalClusterTest#postgresMajor()}). */
    static int major(LocalClusterTest settings) {
        if (settings.postgresMajor() != 0) {
            return settings.postgresMajor();
        }
        String chosen = System.getProperty(LocalClusterTest.VERSION_PROPERTY, "");
        return chosen.isBlank() ? LocalClusterTest.DEFAULT_MAJOR : Integer.parseInt(chosen.strip());
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static LocalClusterTest findSettings(Class<?> testClass) {
        for (Class<?> current = testClass; current != null; current = current.getEnclosingClass()) {
            var annotation = AnnotationSupport.findAnnotation(current, LocalClusterTest.class);
            if (annotation.isPresent()) {
                return annotation.get();
            }
        }
        return Defaults.class.getAnnotation(LocalClusterTest.class);
    }

    /** One test method's database and each instance's roles from before the test. */
    private record TestScope(TestCluster view, Map<String, List<String>> rolesBefore) {
        TestScope {
            rolesBefore = Map.copyOf(rolesBefore);
        }
    }

    /** Carries the annotation's defaults for classes that use {@code @ExtendWith} alone. */
    @LocalClusterTest
    private static final class Defaults {
    }

    @FunctionalInterface
    private interface InstanceTask {
        void run(InstanceAddress instance) throws Exception;
    }

    /** In parallel: creating or dropping a database waits mostly on the server, not on us. */
    private static void onEveryInstance(TestCluster view, InstanceTask task) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (InstanceAddress instance : view.instances()) {
            futures.add(CompletableFuture.runAsync(() -> {
                try {
                    task.run(instance);
                } catch (Exception e) {
                    throw new CompletionException(new IllegalStateException(
                            instance.name() + ", database " + view.database() + ": " + e.getMessage(), e));
                }
            }, EXECUTOR));
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }
}
