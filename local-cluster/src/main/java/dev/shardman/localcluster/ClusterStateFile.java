package dev.shardman.localcluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shardman.model.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code <directory>/cluster.json}: what {@code up} created, so that {@code status} and
 * {@code down} in another process know the instances, and a later {@code up} can refuse a
 * different shape. Written atomically (temporary file, then rename).
 */
final class ClusterStateFile {
    static final String FILE_NAME = "cluster.json";
    static final String FORMAT_VERSION = "1";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The recorded cluster; {@code postgresVersion} is empty until a server has reported it. */
    record RecordedCluster(
            @JsonProperty("format_version") String formatVersion,
            @JsonProperty("postgres_major") int postgresMajor,
            @JsonProperty("postgres_version") String postgresVersion,
            @JsonProperty("base_port") int basePort,
            @JsonProperty("workers") int workers,
            @JsonProperty("instances") List<RecordedInstance> instances) {
        RecordedCluster {
            requireNonNull(formatVersion, "formatVersion is null");
            postgresVersion = postgresVersion == null ? "" : postgresVersion;
            instances = List.copyOf(instances);
        }

        static RecordedCluster of(LocalClusterConfig config, List<InstanceLayout> layout, String postgresVersion) {
            List<RecordedInstance> instances = layout.stream()
                    .map(instance -> new RecordedInstance(instance.name(), instance.port()))
                    .toList();
            return new RecordedCluster(FORMAT_VERSION, config.postgresMajor().number(), postgresVersion,
                    config.basePort(), config.workers(), instances);
        }

        List<InstanceLayout> layout(Path directory) {
            return instances.stream()
                    .map(instance -> InstanceLayout.of(directory, instance.name(), instance.port()))
                    .toList();
        }
    }

    record RecordedInstance(@JsonProperty("name") String name, @JsonProperty("port") int port) {
        RecordedInstance {
            requireNonNull(name, "name is null");
        }
    }

    private ClusterStateFile() {
    }

    static Path path(Path directory) {
        return directory.resolve(FILE_NAME);
    }

    static Optional<RecordedCluster> read(Path directory) {
        Path file = path(directory);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(file.toFile(), RecordedCluster.class));
        } catch (IOException | RuntimeException e) {
            throw new LocalClusterException(LocalClusterException.Reason.STATE_FILE, ErrorCode.INVALID_INPUT,
                    "cannot read the local cluster state file " + file + ": " + e.getMessage(),
                    "if the servers are stopped, delete " + directory + " and run up again", e);
        }
    }

    static void write(Path directory, RecordedCluster cluster) {
        Path file = path(directory);
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(directory);
            MAPPER.writeValue(temporary.toFile(), cluster);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LocalClusterException(LocalClusterException.Reason.STATE_FILE, ErrorCode.INTERNAL,
                    "cannot write the local cluster state file " + file + ": " + e.getMessage(),
                    "check that " + directory + " is writable", e);
        }
    }
}
