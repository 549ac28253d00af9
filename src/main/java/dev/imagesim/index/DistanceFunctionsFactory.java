package dev.imagesim.index;

import com.github.jelmerk.hnswlib.core.DistanceFunction;
import com.github.jelmerk.hnswlib.core.DistanceFunctions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distance function an index uses for a {@link Distance}: SIMD ({@link SimdDistances}) when the JVM has
 * the incubating Vector API module, hnswlib-core's scalar loop otherwise. Which one is said once in the log.
 */
final class DistanceFunctionsFactory {

    private static final Logger log = LoggerFactory.getLogger(DistanceFunctionsFactory.class);
    static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static {
        if (SIMD) {
            log.info("index distances use the Vector API (SIMD)");
        } else {
            log.info("index distances use scalar loops; start the JVM with --add-modules jdk.incubator.vector "
                    + "for SIMD");
        }
    }

    private DistanceFunctionsFactory() {
    }

    static DistanceFunction<float[], Float> of(Distance distance) {
        if (distance == Distance.COSINE) {
            return SIMD ? new SimdDistances.InnerProduct() : DistanceFunctions.FLOAT_INNER_PRODUCT;
        }
        return SIMD ? new SimdDistances.Euclidean() : DistanceFunctions.FLOAT_EUCLIDEAN_DISTANCE;
    }
}
