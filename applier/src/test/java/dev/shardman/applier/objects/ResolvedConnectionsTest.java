package dev.shardman.applier.objects;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.connect.SecretDigest;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResolvedConnectionsTest {
    private static final ObjectKey SERVER_2 = new ObjectKey(ObjectKind.FOREIGN_SERVER, "shardman_node_2");
    private static final ObjectKey MAPPING_2 = new ObjectKey(ObjectKind.USER_MAPPING, "shardman_node_2 for CURRENT_USER");

    private final ClusterState state = withW2Conninfo(TestStates.offline(3, TestStates.customers(6)),
            "host=${env:W2_HOST} port=5433 dbname=app user=fdw password=${env:PW} sslmode=verify-full sslrootcert=/etc/ca.pem "
                    + "application_name=ignored");

    @Test
    void serversCarryTheResolvedHostAndTheSecurityKeysButNeverAPassword() {
        NodeObjects expected = PasswordSource.fromState(state, ConninfoSecrets.of(Map.of("W2_HOST", "10.0.0.2", "PW", "secret-1")))
                .resolve(ExpectedObjects.forNode(state, "w1"));

        ForeignServer server = (ForeignServer) expected.get(SERVER_2).orElseThrow();
        assertEquals("10.0.0.2", server.options().get("host"));
        assertEquals("5433", server.options().get("port"));
        assertEquals("app", server.options().get("dbname"));
        assertEquals("verify-full", server.options().get("sslmode"));
        assertEquals("/etc/ca.pem", server.options().get("sslrootcert"));
        assertFalse(server.options().containsKey("password"), server.options().toString());
        assertEquals("shardman-fdw:w1:%p", server.options().get("application_name"), "the origin's name, never the conninfo's");
        assertEquals("${env:W2_HOST}", ((ForeignServer) ExpectedObjects.forNode(state, "w1").get(SERVER_2).orElseThrow()).options().get("host"),
                "the expected objects themselves keep the reference");
    }

    @Test
    void aRotatedPasswordIsAStaleMappingThatNamesNoPassword() {
        NodeObjects expected = PasswordSource.fromState(state, ConninfoSecrets.of(Map.of("W2_HOST", "10.0.0.2", "PW", "secret-2")))
                .resolve(ExpectedObjects.forNode(state, "w1"));
        UserMapping mapping = (UserMapping) expected.get(MAPPING_2).orElseThrow();
        assertEquals(Optional.of(SecretDigest.of("secret-2")), mapping.passwordDigest());

        UserMapping live = mapping.withPasswordDigest(Optional.of(SecretDigest.of("secret-1")));
        Optional<ObjectChange> change = Mismatches.compare(mapping, live, expected);
        assertTrue(change.isPresent());
        assertEquals(ChangeAction.REPLACE, change.get().action());
        assertEquals("user mapping for CURRENT_USER on shardman_node_2 has a stale password (not the one its conninfo resolves to now)",
                change.get().reason());
        assertEquals(DriftCode.STALE_CONNECTION, DriftCode.of(change.get()));
        assertTrue(Mismatches.compare(mapping, mapping.withPasswordDigest(Optional.of(SecretDigest.of("secret-2"))), expected).isEmpty());
        assertFalse(mapping.toString().contains(mapping.passwordDigest().get()), "toString leaves the digest out");
    }

    @Test
    void withoutAnEnvironmentPasswordsAreNotCompared() {
        NodeObjects expected = PasswordSource.none().resolve(ExpectedObjects.forNode(state, "w1"));
        UserMapping mapping = (UserMapping) expected.get(MAPPING_2).orElseThrow();
        assertTrue(Mismatches.compare(mapping, mapping.withPasswordDigest(Optional.of(SecretDigest.of("anything"))), expected).isEmpty());
    }

    private static ClusterState withW2Conninfo(ClusterState state, String conninfo) {
        List<NodeState> nodes = new ArrayList<>(state.nodes());
        NodeState w2 = nodes.get(1);
        nodes.set(1, new NodeState(w2.id(), w2.name(), w2.systemIdentifier(), w2.superConninfo(), Optional.of(conninfo), w2.replicationGroup(), false));
        return ClusterState.withDefaultSettings(state.lineage(), state.serial(), nodes, state.tables(), state.partitions(), List.of());
    }
}
