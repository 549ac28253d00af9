package dev.imagesim.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * The stages of a TorchScript trunk, which transfer learning freezes from the input on: its top-level
 * submodules that hold parameters, in the order their parameters come ({@code scripts/export_trunk.py} makes
 * them the stem and the stages of the network, e.g. a ResNet's stem and its four residual stages).
 */
public final class TorchScriptStages {

    private TorchScriptStages() {
    }

    /** The TorchScript trunk of a loaded or training network, without its linear head. */
    public static Block trunkOf(Block network) {
        return network instanceof TrunkWithHead withHead ? withHead.trunk() : network;
    }

    /** The names of the trunk's stages, from the input on. */
    public static List<String> stages(Block trunk) {
        Set<String> stages = new LinkedHashSet<>();
        for (Pair<String, Parameter> parameter : trunk.getParameters()) {
            stages.add(stageOf(parameter.getKey()));
        }
        return new ArrayList<>(stages);
    }

    /** Fixes the weights of the first {@code count} stages. */
    public static void freeze(Block trunk, int count) {
        Set<String> frozen = new LinkedHashSet<>(stages(trunk).subList(0, count));
        for (Pair<String, Parameter> parameter : trunk.getParameters()) {
            if (frozen.contains(stageOf(parameter.getKey()))) {
                parameter.getValue().freeze(true);
            }
        }
    }

    private static String stageOf(String parameterName) {
        int dot = parameterName.indexOf('.');
        return dot < 0 ? parameterName : parameterName.substring(0, dot);
    }
}
