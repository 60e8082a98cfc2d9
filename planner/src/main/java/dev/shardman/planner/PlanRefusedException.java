package dev.shardman.planner;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.planner.step.Permission;
import dev.shardman.planner.step.StepId;

import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The plan needs steps the options do not allow ({@link ErrorCode#REFUSED}). Lists every refused step
 * with the flag that would allow it, so that the operator sees all of them at once.
 */
public final class PlanRefusedException extends ShardmanException {
    /** One refused step: its id, its one-line description and the flag that would allow it. */
    public record RefusedStep(StepId id, String description, Permission permission) {
        public RefusedStep {
            requireNonNull(id, "id is null");
            requireNonNull(description, "description is null");
            requireNonNull(permission, "permission is null");
        }
    }

    private final List<RefusedStep> refusedSteps;

    public PlanRefusedException(List<RefusedStep> refusedSteps) {
        super(ErrorCode.REFUSED, summary(refusedSteps), detail(refusedSteps));
        this.refusedSteps = List.copyOf(refusedSteps);
    }

    public List<RefusedStep> refusedSteps() {
        return refusedSteps;
    }

    private static String summary(List<RefusedStep> steps) {
        String flags = steps.stream().map(step -> step.permission().flag()).distinct().sorted().collect(Collectors.joining(" and "));
        return "the plan is refused: " + steps.size() + (steps.size() == 1 ? " step needs " : " steps need ") + flags;
    }

    private static String detail(List<RefusedStep> steps) {
        return steps.stream()
                .map(step -> "  - " + step.description() + " [" + step.id() + "] (allowed by " + step.permission().flag() + ")")
                .collect(Collectors.joining("\n"))
                + "\nreview the spec; if this is what you want, plan again with the flag(s) above";
    }
}
