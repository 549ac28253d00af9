package dev.imagesim.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** docs/configuration.md documents every {@code imagesim.*} property the build's metadata knows. */
class ConfigurationDocsTest {

    @Test
    void everyPropertyIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        JsonNode metadata = JsonMapper.builder().build()
                .readTree(Path.of("target/classes/META-INF/spring-configuration-metadata.json").toFile());
        int checked = 0;
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asString();
            String prefix = name.substring(0, name.lastIndexOf('.'));
            String last = name.substring(name.lastIndexOf('.') + 1);
            boolean listed = docs.contains("`" + name + "`")
                    || docs.lines().anyMatch(line -> line.contains("`" + prefix + ".") && line.contains("`" + last + "`"));
            assertThat(listed).as(name + " in docs/configuration.md").isTrue();
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
    }
}
