package dev.imagesim.training;

import java.util.Set;

import ai.djl.training.tracker.ParameterTracker;

/**
 * One learning rate for the new layers and a scaled one for the (pre-trained) trunk, the usual way to
 * fine-tune without destroying what the trunk already knows, both following the job's schedule. DJL counts
 * updates per parameter from 1 in each optimiser; a resumed job passes the iterations already done.
 */
final class GroupLearningRate implements ParameterTracker {

    private final float rate;
    private final float backboneRate;
    private final Set<String> backboneParameterIds;
    private final LearningRateSchedule schedule;
    private final long iterationsDone;
    private final long totalIterations;

    GroupLearningRate(float rate, float backboneMultiplier, Set<String> backboneParameterIds,
            LearningRateSchedule schedule, long iterationsDone, long totalIterations) {
        this.rate = rate;
        this.backboneRate = rate * backboneMultiplier;
        this.backboneParameterIds = Set.copyOf(backboneParameterIds);
        this.schedule = schedule;
        this.iterationsDone = iterationsDone;
        this.totalIterations = totalIterations;
    }

    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        float base = backboneParameterIds.contains(parameterId) ? backboneRate : rate;
        return (float) (base * schedule.factor(iterationsDone + numUpdate - 1, totalIterations));
    }
}
