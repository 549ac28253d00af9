package dev.imagesim.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Trunk architectures a model bundle can name. */
public enum Architecture {
    /** A two-hidden-layer perceptron (512, 256 units) on the flattened image, for tiny inputs. */
    @JsonProperty("mlp") MLP(1),
    /** A small four-stage CNN for small inputs (28–64 px). */
    @JsonProperty("cnn") CNN(8),
    /** ResNet-18: basic blocks, stages [2, 2, 2, 2] (He et al. 2016). */
    @JsonProperty("resnet18") RESNET18(16),
    /** ResNet-34: basic blocks, stages [3, 4, 6, 3]. */
    @JsonProperty("resnet34") RESNET34(16),
    /** ResNet-50: bottleneck blocks, stages [3, 4, 6, 3]. */
    @JsonProperty("resnet50") RESNET50(16),
    /** VGG-11 (configuration A of Simonyan and Zisserman 2015), convolutional part. */
    @JsonProperty("vgg11") VGG11(32),
    /** VGG-16 (configuration D), convolutional part. */
    @JsonProperty("vgg16") VGG16(32),
    /** A TorchScript module loaded from the bundle's {@code .pt} file; its output is the embedding. */
    @JsonProperty("torchscript") TORCHSCRIPT(8),
    /** An ONNX graph loaded from the bundle's {@code .onnx} file and run by ONNX Runtime; it serves, never trains. */
    @JsonProperty("onnx") ONNX(8);

    private final int minInputSize;

    Architecture(int minInputSize) {
        this.minInputSize = minInputSize;
    }

    /** Whether the network is loaded from a file rather than built by DJL. */
    public boolean imported() {
        return this == TORCHSCRIPT || this == ONNX;
    }

    /** The smallest input side whose feature map survives every pooling stage. */
    public int minInputSize() {
        return minInputSize;
    }
}
