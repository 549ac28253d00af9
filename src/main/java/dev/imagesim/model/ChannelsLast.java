package dev.imagesim.model;

import java.util.Locale;

/**
 * When a served convolutional network runs on channels-last activations ({@code imagesim.engine.channels-last},
 * see {@link ServingNetwork}). Whatever the setting, a network is served channels-last only if a probe at load
 * ({@link ChannelsLastProbe}) found that it gives the same outputs as on NCHW input.
 */
public enum ChannelsLast {

    /**
     * Channels-last where the probe also found it no slower than NCHW on this machine. The default: it was
     * 1.06–1.20× faster on an AMD Zen 4 and 0.55× on a Zen 5, with the same libtorch.
     */
    AUTO,

    /** Channels-last wherever the outputs agree, whatever the speed. */
    ALWAYS,

    /** NCHW throughout, no probe. */
    NEVER;

    /** The setting as written in the configuration: {@code auto}, {@code always} or {@code never}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
