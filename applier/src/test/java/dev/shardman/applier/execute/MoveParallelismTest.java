package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoveParallelismTest {
    @Test
    void aCountBelowOneIsBadInputNamingBothOptions() {
        ShardmanException refused = assertThrows(ShardmanException.class, () -> new MoveParallelism(0, 4));
        assertEquals(ErrorCode.INVALID_INPUT, refused.code());
        assertTrue(refused.summary().contains("--parallelism and --max-moves-per-node must be at least 1 (given 0 and 4)"), refused.summary());
        assertThrows(ShardmanException.class, () -> new MoveParallelism(4, 0));
    }

    @Test
    void theDefaultIsOneMoveAtATime() {
        assertEquals(1, MoveParallelism.ONE_AT_A_TIME.moves());
        assertEquals(MoveParallelism.DEFAULT_PER_NODE, MoveParallelism.ONE_AT_A_TIME.perNode());
    }
}
