package dev.shardman.applier.move;


/** What a move tells the command running it (apply's listener, or recover's report lines). */
public interface MoveEvents {
    void progress(MoveProgress progress);

    void done(MoveReport report);

    /** A line the operator must see: retired copies kept, a verification that could not be done, a move rolled back. */
    void notice(String line);

    /** Test-only crash point {@code <step id>@<point>} (apply's FaultHook); nothing elsewhere. */
    void faultPoint(String stepId, String point);
}
