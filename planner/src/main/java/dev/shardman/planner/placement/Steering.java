package dev.shardman.planner.placement;

import dev.shardman.model.spec.BalanceSettings;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.spec.TableSpec;

import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What the spec says about placement besides "balance the counts": each node's weight, in thousandths (only
 * weights other than 1 are listed), the pinned units (a pin names the anchor's partition, so the key is the
 * unit's), in unit order, and what to balance (counts or bytes).
 */
public record Steering(Map<String, Long> weights, Map<UnitKey, PartitionPin> pins, BalanceSettings balance) {
    public static final Steering NONE = new Steering(Map.of(), Map.of());
    static final long EVEN_WEIGHT = 1000;

    public Steering {
        weights = Map.copyOf(requireNonNull(weights, "weights is null"));
        pins = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(pins, "pins is null")));
        requireNonNull(balance, "balance is null");
    }

    /** Steering that balances counts. */
    public Steering(Map<String, Long> weights, Map<UnitKey, PartitionPin> pins) {
        this(weights, pins, BalanceSettings.DEFAULTS);
    }

    public static Steering of(ClusterSpec spec) {
        Map<String, Long> weights = new HashMap<>();
        for (NodeSpec node : spec.nodes()) {
            long thousandths = Math.max(1, node.weight().setScale(3, RoundingMode.HALF_UP).movePointRight(3).longValueExact());
            if (thousandths != EVEN_WEIGHT) {
                weights.put(node.name(), thousandths);
            }
        }
        Map<UnitKey, PartitionPin> pins = new HashMap<>();
        for (TableSpec table : spec.tables()) {
            table.placement().forEach(pin -> pins.put(new UnitKey(table.name(), pin.partition()), pin));
        }
        return new Steering(weights, pins, spec.settings().balance());
    }

    long weight(String node) {
        return weights.getOrDefault(node, EVEN_WEIGHT);
    }
}
