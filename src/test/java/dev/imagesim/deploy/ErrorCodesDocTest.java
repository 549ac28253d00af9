package dev.imagesim.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/errors.md lists every problem {@code code} the service's sources can answer, and for each the
 * corpus case or test that shows it; a code named there as shown by a test is asserted by that test.
 */
class ErrorCodesDocTest {

    private static final String CODE = "\"([a-z]+(?:-[a-z0-9]+)+)\"";
    /** Where a code is written: the arguments that name it in each way the sources make a problem. */
    private static final List<Pattern> WRITTEN = Stream.of(
            "(?:invalid|notFound)\\(\\s*" + CODE,
            "Kind\\.\\w+,\\s*" + CODE,
            "HttpStatus\\.\\w+,\\s*" + CODE,
            "Problems\\.of\\(\\w+,\\s*" + CODE,
            "unauthorized\\(response,\\s*" + CODE,
            "\"code\",\\s*" + CODE,
            "return\\s+" + CODE + ";\\s*\\n\\s*}",
            "/\\*\\* Code [^*]*\\*/\\s*public static final String [A-Z_]+ = " + CODE + ";").map(Pattern::compile).toList();
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| (\\d{3}) \\| [^|]+ \\| ([^|]+) \\|$");

    @Test
    void everyCodeIsListedWithWhereItIsShown() throws IOException {
        Set<String> codes = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                for (Pattern pattern : WRITTEN) {
                    Matcher written = pattern.matcher(text);
                    while (written.find()) {
                        codes.add(written.group(1));
                    }
                }
            }
        }
        String docs = Files.readString(Path.of("docs/errors.md"));
        String corpus = Files.readString(Path.of("src/test/resources/bad-input/cases.json"));
        Set<String> listed = new TreeSet<>();
        Matcher row = ROW.matcher(docs);
        while (row.find()) {
            String code = row.group(1);
            listed.add(code);
            for (String shownBy : row.group(3).split(",")) {
                String name = shownBy.trim().replace("`", "");
                if (name.equals("cases.json")) {
                    assertThat(corpus).as(code + " in cases.json").contains("\"" + code + "\"");
                } else if (name.endsWith("Test")) {
                    assertThat(testSource(name)).as(code + " in " + name).contains("\"" + code + "\"");
                }
            }
        }
        assertThat(codes).hasSizeGreaterThan(60);
        assertThat(listed).as("the codes in docs/errors.md").containsAll(codes);
    }

    private static String testSource(String name) throws IOException {
        try (Stream<Path> sources = Files.walk(Path.of("src/test/java"))) {
            Path source = sources.filter(p -> p.getFileName().toString().equals(name + ".java")).findFirst()
                    .orElseThrow(() -> new AssertionError("no test named " + name));
            return Files.readString(source);
        }
    }
}
