package dev.imagesim.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.FashionMnistSubset;
import dev.imagesim.FashionMnistSubset.Sample;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestBundles;
import dev.imagesim.TestImages;

/**
 * The web console in a real headless Chromium against the real service: search by an uploaded image shows
 * that image first with loaded thumbnails, the map draws one point per image, a training job's loss curve
 * grows over two epochs as it runs, every view renders without a console error, and with API keys the console
 * asks for one and then works. Each view's screenshot goes to target/screenshots (the README's come from there).
 */
class ConsoleTest {

    private static final String KEY = "console-test-admin-key";
    private static final int IMAGES = 24;

    @TempDir
    static Path dataDir;
    static RunningService service;
    static Browser browser;
    static List<Sample> samples;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.start();
        FashionMnistSubset.copyTrainingSet(dataDir.resolve("datasets/fm"));
        service = RunningService.start(dataDir);
        assertThat(service.postJson("/api/v1/collections", "{\"name\":\"fashion\"}").status()).isEqualTo(201);
        samples = FashionMnistSubset.load().subList(0, IMAGES);
        for (Sample sample : samples) {
            Reply stored = service.multipart("PUT", "/api/v1/collections/fashion/images/" + sample.id(), new Multipart()
                    .image("image", TestImages.encode(sample.image(), "png"))
                    .field("metadata", "{\"label\":\"" + sample.label() + "\"}"));
            assertThat(stored.status()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (service != null) {
            service.close();
        }
    }

    /** Loads the console afresh at {@code route} (a hash change alone would keep the previous view's state). */
    private static void open(String route) {
        browser.driver.get("about:blank");
        browser.driver.get("http://127.0.0.1:" + service.port() + "/" + route);
    }

    @Test
    void searchByAnUploadedImageShowsItFirstWithLoadedThumbnails() throws Exception {
        Sample query = samples.get(5);
        Path file = dataDir.resolve("query.png");
        Files.write(file, TestImages.encode(query.image(), "png"));
        open("#/search/fashion");
        browser.waiting(20).until(d -> !d.findElements(By.cssSelector("input[type=file]")).isEmpty());
        browser.driver.findElement(By.cssSelector("input[type=file]")).sendKeys(file.toAbsolutePath().toString());
        browser.waiting(30).until(d -> !d.findElements(By.cssSelector("#hits [data-id]")).isEmpty());
        List<WebElement> hits = browser.driver.findElements(By.cssSelector("#hits [data-id]"));
        assertThat(hits.get(0).getAttribute("data-id")).isEqualTo(query.id());
        assertThat(hits).hasSize(12);
        browser.waiting(20).until(d -> Boolean.TRUE.equals(browser.script(
                "return [...document.querySelectorAll('#hits img')].every(i => i.complete && i.naturalWidth > 0)")));
        browser.screenshot("search");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theMapDrawsOnePointPerImage() throws Exception {
        open("#/map/fashion");
        browser.waiting(30).until(d -> !d.findElements(By.cssSelector("#map-chart[data-points]")).isEmpty());
        browser.waiting(10).until(d -> ((Number) browser.script("return Chart.getChart(document.getElementById("
                + "'map-chart')).data.datasets.length")).intValue() > 1);
        Object points = browser.script("const chart = Chart.getChart(document.getElementById('map-chart'));"
                + "return chart.data.datasets.reduce((n, set) => n + set.data.length, 0);");
        assertThat(((Number) points).intValue()).isEqualTo(IMAGES);
        browser.screenshot("map");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aTrainingJobsCurveGrowsLiveOverTwoEpochs() throws Exception {
        Reply job = service.postJson("/api/v1/training-jobs", """
                {"dataset":{"type":"idx","path":"fm","heldOutClasses":["8","9"]},
                 "trunk":{"architecture":"cnn","inputSize":28},"objective":{"type":"triplet"},
                 "embeddingDim":32,"epochs":2,"batch":{"p":4,"k":8},"seed":7,"modelId":"console-fm"}""");
        assertThat(job.status()).isEqualTo(202);
        open("#/training/" + job.json().get("id").asString());
        List<String> seen = new ArrayList<>();
        browser.waiting(240).until(d -> {
            String points = (String) browser.script(
                    "return document.getElementById('loss-chart')?.dataset.points ?? '';");
            if (!points.isEmpty() && !seen.contains(points)) {
                seen.add(points);
            }
            return "succeeded".equals(browser.script(
                    "return document.getElementById('job-state')?.dataset.state ?? '';"));
        });
        assertThat(seen).as("points on the loss curve, in the order the page showed them").contains("1", "2");
        assertThat(seen.indexOf("1")).isLessThan(seen.indexOf("2"));
        browser.screenshot("training");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void compareShowsDistanceAndVerdict() throws Exception {
        Path a = dataDir.resolve("a.png");
        Path b = dataDir.resolve("b.png");
        Files.write(a, TestImages.encode(samples.get(0).image(), "png"));
        Files.write(b, TestImages.encode(samples.get(1).image(), "png"));
        open("#/compare");
        browser.waiting(20).until(d -> d.findElements(By.cssSelector("input[type=file]")).size() == 2);
        List<WebElement> inputs = browser.driver.findElements(By.cssSelector("input[type=file]"));
        inputs.get(0).sendKeys(a.toAbsolutePath().toString());
        inputs.get(1).sendKeys(b.toAbsolutePath().toString());
        browser.waiting(30).until(d -> !d.findElements(By.cssSelector(".verdict")).isEmpty());
        assertThat(browser.driver.findElement(By.cssSelector(".verdict")).getText()).isIn("Match", "No match");
        assertThat(browser.driver.findElement(By.cssSelector(".verdict + p")).getText()).contains("distance", "threshold");
        browser.screenshot("compare");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aDuplicateScanShowsTheGroupOfCopiesWithThumbnails() throws Exception {
        assertThat(service.postJson("/api/v1/collections", "{\"name\":\"copies\"}").status()).isEqualTo(201);
        for (Sample sample : samples.subList(0, 6)) {
            assertThat(service.multipart("PUT", "/api/v1/collections/copies/images/" + sample.id(), new Multipart()
                    .image("image", TestImages.encode(sample.image(), "png"))).status()).isEqualTo(201);
        }
        assertThat(service.multipart("PUT", "/api/v1/collections/copies/images/copy", new Multipart()
                .image("image", TestImages.encode(samples.get(2).image(), "png"))).status()).isEqualTo(201);
        open("#/duplicates/copies");
        browser.waiting(20).until(d -> !d.findElements(By.id("scan-start")).isEmpty());
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("scan-method")))
                .selectByValue("hash");
        browser.driver.findElement(By.id("scan-start")).click();
        browser.waiting(30).until(d -> !d.findElements(By.cssSelector("#groups .group")).isEmpty());
        List<String> members = browser.driver.findElements(By.cssSelector("#groups .group [data-id]")).stream()
                .map(tile -> tile.getAttribute("data-id")).toList();
        assertThat(members).containsExactlyInAnyOrder(samples.get(2).id(), "copy");
        assertThat(browser.driver.findElement(By.id("scan-status")).getText()).contains("succeeded", "1 groups");
        browser.waiting(20).until(d -> Boolean.TRUE.equals(browser.script(
                "return [...document.querySelectorAll('#groups img')].every(i => i.complete && i.naturalWidth > 0)")));
        browser.screenshot("duplicates");
        assertThat(browser.consoleErrors()).as("only the 404 of the collection never scanned before, which the "
                + "browser logs whatever the page does with it").allMatch(error -> error.contains("/duplicates?")
                && error.contains("404"));
    }

    @Test
    void everyViewRendersWithoutConsoleErrors() throws Exception {
        for (String view : List.of("collections", "collections/fashion", "models", "training")) {
            open("#/" + view);
            browser.waiting(20).until(d -> "false".equals(d.findElement(By.id("view")).getAttribute("aria-busy")));
            browser.waiting(20).until(d -> Boolean.TRUE.equals(browser.script("return [...document.querySelectorAll("
                    + "'main img')].every(i => i.src && i.complete && i.naturalWidth > 0)")));
            browser.screenshot(view.replace('/', '-'));
            assertThat(browser.consoleErrors()).as(view).isEmpty();
            assertThat(browser.driver.findElement(By.id("notice")).isDisplayed()).as(view + " shows no error").isFalse();
        }
    }

    @Test
    void aBundleImportedInTheConsoleIsListedAndDeletedThere(@TempDir Path upload) throws Exception {
        Path zip = Files.write(upload.resolve("tiny.zip"), TestBundles.zip(TestBundles.EXPORTED_TINY));
        Path broken = Files.write(upload.resolve("broken.zip"), "not a zip".getBytes());
        open("#/models");
        browser.waiting(20).until(d -> !d.findElements(By.id("bundle-file")).isEmpty());
        browser.driver.findElement(By.id("bundle-file")).sendKeys(broken.toAbsolutePath().toString());
        browser.driver.findElement(By.id("bundle-import")).click();
        browser.waiting(20).until(d -> d.findElement(By.id("notice")).isDisplayed());
        assertThat(browser.driver.findElement(By.id("notice")).getText()).contains("zip-corrupt");

        browser.driver.findElement(By.id("bundle-file")).sendKeys(zip.toAbsolutePath().toString());
        browser.driver.findElement(By.id("bundle-import")).click();
        browser.waiting(30).until(d -> !d.findElements(By.cssSelector("tr[data-model=test-tiny]")).isEmpty());
        assertThat(browser.driver.findElement(By.id("bundle-status")).getText()).isEqualTo("imported test-tiny");
        assertThat(browser.driver.findElement(By.id("notice")).isDisplayed()).isFalse();
        browser.screenshot("models-import");

        browser.driver.findElement(By.cssSelector("button[data-delete=test-tiny]")).click();
        browser.driver.switchTo().alert().accept();
        browser.waiting(20).until(d -> d.findElements(By.cssSelector("tr[data-model=test-tiny]")).isEmpty());
        assertThat(service.get("/api/v1/models/test-tiny").status()).isEqualTo(404);
        assertThat(browser.consoleErrors()).as("only the refused upload's 400")
                .allSatisfy(error -> assertThat(error).contains("400"));
    }

    @Test
    void withKeysTheConsoleAsksForOneAndThenWorks(@TempDir Path keyed) {
        try (RunningService secured = RunningService.start(keyed, "--imagesim.api.keys=admin:" + KEY)) {
            secured.withKey(KEY).postJson("/api/v1/collections", "{\"name\":\"secured\"}");
            browser.driver.get("http://127.0.0.1:" + secured.port() + "/#/collections");
            browser.waiting(20).until(d -> d.findElement(By.id("key-dialog")).isDisplayed());
            browser.driver.findElement(By.id("key-input")).sendKeys(KEY);
            browser.driver.findElement(By.cssSelector("#key-form button")).click();
            browser.waiting(20).until(d -> !d.findElements(By.cssSelector("tr[data-collection=secured]")).isEmpty());
            assertThat(browser.consoleErrors()).as("only the first call's 401, which asked for the key")
                    .allSatisfy(error -> assertThat(error).contains("401"));
            browser.script("sessionStorage.clear()");
        }
    }
}
