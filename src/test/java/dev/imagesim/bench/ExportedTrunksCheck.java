package dev.imagesim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;

/**
 * {@code scripts/export_trunk.py} end to end on real architectures: exports each torchvision trunk with random
 * weights (Debian's python3-torch and python3-torchvision, no download), imports each bundle into a running
 * service in one call — which checks that the service's preprocessing and libtorch reproduce PyTorch's
 * embedding of the bundle's probe — and embeds an image with it. Prints one line a model: bundle size, import
 * seconds, embedding dimension. Needs Python, so it runs with the benchmarks, not in CI:
 *
 * <pre>
 * ./mvnw -Pbench test -Dtest=ExportedTrunksCheck [-Dimagesim.bench.trunks=torchvision:resnet18,timm:resnet18]
 *     [-Dimagesim.bench.python=/usr/bin/python3]
 * </pre>
 * A trunk ending in {@code +onnx} is exported as ONNX.
 */
@Tag("benchmark")
class ExportedTrunksCheck {

    @TempDir
    Path work;

    @Test
    void exportedTrunksImportInOneCallAndServe() throws IOException, InterruptedException {
        List<String> trunks = List.of(System.getProperty("imagesim.bench.trunks", "torchvision:resnet18,"
                + "torchvision:resnet50,torchvision:vgg16,torchvision:mobilenet_v3_large,torchvision:efficientnet_b0,"
                + "torchvision:resnet18+onnx").split(","));
        String python = System.getProperty("imagesim.bench.python", "/usr/bin/python3");
        try (RunningService service = RunningService.start(work.resolve("data"))) {
            for (String trunk : trunks) {
                Path zip = work.resolve(trunk.replaceAll("[^a-z0-9]", "-") + ".zip");
                boolean onnx = trunk.endsWith("+onnx");
                Process export = new ProcessBuilder(python, "scripts/export_trunk.py", trunk.replace("+onnx", ""),
                        "--weights", "random", "--format", onnx ? "onnx" : "torchscript", "--out", zip.toString())
                        .inheritIO().start();
                assertThat(export.waitFor()).as("export of " + trunk).isZero();
                long started = System.nanoTime();
                Reply imported = service.multipart("POST", "/api/v1/models",
                        new Multipart().file("bundle", "bundle.zip", "application/zip", Files.readAllBytes(zip)));
                double seconds = (System.nanoTime() - started) / 1e9;
                assertThat(imported.status()).as(trunk + ": " + imported.json()).isEqualTo(201);
                String id = imported.json().get("id").asString();
                Reply embedded = service.multipart("POST", "/api/v1/embeddings?model=" + id, new Multipart()
                        .image("image", Files.readAllBytes(Path.of("src/test/resources/models/exported-tiny/probe.png"))));
                assertThat(embedded.status()).isEqualTo(200);
                int dimension = embedded.json().get("dimension").asInt();
                assertThat(dimension).isEqualTo(imported.json().get("embeddingDim").asInt());
                System.out.printf(Locale.ROOT, "trunk\t%s\t%s\t%.1f MB\timport %.1f s\t%d-d%n", trunk, id,
                        Files.size(zip) / 1e6, seconds, dimension);
            }
        }
    }
}
