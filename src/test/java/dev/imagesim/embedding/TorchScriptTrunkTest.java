package dev.imagesim.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import ai.djl.Model;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.DataDirectory;
import dev.imagesim.TestEngine;
import dev.imagesim.TestLimits;
import dev.imagesim.engine.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;

/**
 * A TorchScript trunk exported by PyTorch embeds the probe image exactly as PyTorch did, alone and in a pass.
 */
class TorchScriptTrunkTest {

    static JsonMapper json = JsonMapper.builder().build();
    static Path bundleDir;
    static ModelManifest manifest;
    static DjlRuntime runtime;

    @BeforeAll
    static void fixture() throws Exception {
        bundleDir = Path.of(TorchScriptTrunkTest.class.getResource("/models/tiny-torchscript/manifest.json").toURI())
                .getParent();
        manifest = json.readValue(bundleDir.resolve("manifest.json").toFile(), ModelManifest.class).validated();
        runtime = new DjlRuntime(new DataDirectory(bundleDir), TestEngine.properties());
    }

    @Test
    void djlReproducesThePyTorchEmbeddingOfTheFixture() throws Exception {
        DecodedImage probe;
        try (InputStream in = getClass().getResourceAsStream("/models/tiny-torchscript/probe.png")) {
            probe = new ImageDecoder(TestLimits.defaults()).decode(in.readAllBytes());
        }
        JsonNode expected = json.readTree(bundleDir.resolve("expected.json").toFile()).get("embedding");

        try (DjlEmbeddingModel model = new DjlEmbeddingModel(manifest,
                ServingNetwork.load(new ModelLoader(runtime), new ModelBundle(bundleDir, manifest)), 1, 8, null)) {
            float[] embedding = model.embed(List.of(probe.image()))[0];
            assertThat(embedding).hasSize(16);
            for (int i = 0; i < 16; i++) {
                assertThat((double) embedding[i]).isCloseTo(expected.get(i).asDouble(),
                        org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void aPassEmbedsEachImageAsItIsEmbeddedAlone() throws Exception {
        try (DjlEmbeddingModel model = new DjlEmbeddingModel(manifest,
                ServingNetwork.load(new ModelLoader(runtime), new ModelBundle(bundleDir, manifest)), 1, 32, null)) {
            DjlEmbeddingModelTest.assertOnePassEmbedsAsAlone(model, DjlEmbeddingModelTest.pass(32));
        }
    }

    /**
     * {@code view.pt} flattens with {@code view}, which fails on channels-last memory, and {@code strided.pt}
     * with {@code as_strided}, which reads it in the wrong order without failing (make_fixtures.py): both are
     * served NCHW and embed a pass as they embed each image alone; the fixture itself runs channels-last.
     */
    @ParameterizedTest
    @ValueSource(strings = {"view.pt", "strided.pt"})
    void aModuleThatNeedsNchwMemoryIsServedNchw(String module) throws Exception {
        Path probes = Path.of(getClass().getResource("/models/layout-probe/" + module).toURI()).getParent();
        ModelManifest needsNchw = manifest.installed(module, null);
        ServingNetwork.Served served = ServingNetwork.load(new ModelLoader(runtime), new ModelBundle(probes, needsNchw));
        assertThat(served.channelsLast()).isFalse();
        try (DjlEmbeddingModel model = new DjlEmbeddingModel(needsNchw, served, 1, 32, null)) {
            DjlEmbeddingModelTest.assertOnePassEmbedsAsAlone(model, DjlEmbeddingModelTest.pass(32));
        }
        ServingNetwork.Served fixture = ServingNetwork.load(new ModelLoader(runtime), new ModelBundle(bundleDir, manifest));
        try (Model closed = fixture.model()) {
            assertThat(fixture.channelsLast()).as("the fixture, which flattens with flatten").isTrue();
        }
    }
}
