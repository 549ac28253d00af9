package dev.imagesim.training;

import java.util.Set;

import ai.djl.training.tracker.ParameterTracker;

/**
 * One learning rate for the new layers and a scaled one for the (pre-trained) trunk: the usual way to
 * fine-tune without destroying what the trunk already knows.
 */
final class GroupLearningRate implements ParameterTracker {

    private final float rate;
    private final float backboneRate;
    private final Set<String> backboneParameterIds;

    GroupLearningRate(float rate, float backboneMultiplier, Set<String> backboneParameterIds) {
        this.rate = rate;
        this.backboneRate = rate * backboneMultiplier;
        this.backboneParameterIds = Set.copyOf(backboneParameterIds);
    }

    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        return backboneParameterIds.contains(parameterId) ? backboneRate : rate;
    }
}
