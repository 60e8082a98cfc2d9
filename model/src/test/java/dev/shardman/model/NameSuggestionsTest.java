package dev.shardman.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NameSuggestionsTest {
    @Test
    void distanceCountsEditsAndNeighbourSwaps() {
        assertEquals(0, NameSuggestions.distance("host", "host"));
        assertEquals(1, NameSuggestions.distance("custmers", "customers"));
        assertEquals(1, NameSuggestions.distance("hots", "host"));
        assertEquals(3, NameSuggestions.distance("kitten", "sitting"));
        assertEquals(4, NameSuggestions.distance("", "name"));
    }

    @Test
    void suggestsOnlyCloseCandidates() {
        List<String> keys = List.of("name", "super_conninfo", "conninfo", "replication_group", "lost");

        assertEquals(Optional.of("replication_group"), NameSuggestions.closest("replication_grup", keys));
        assertEquals(Optional.of("conninfo"), NameSuggestions.closest("Conninfo", keys), "case is ignored");
        assertEquals(Optional.empty(), NameSuggestions.closest("colour", keys));
        assertEquals("; did you mean \"lost\"?", NameSuggestions.didYouMean("lots", keys));
        assertEquals("", NameSuggestions.didYouMean("xyz", keys));
    }
}
