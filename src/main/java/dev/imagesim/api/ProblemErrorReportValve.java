package dev.imagesim.api;

import java.io.IOException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.Problems;

/**
 * Tomcat's error report for requests refused before they reach the application (an encoded slash or NUL
 * in the path, a malformed request line): problem+json like every other refusal, instead of Tomcat's HTML
 * page. Tomcat instantiates it by class name on the host.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    /** Tomcat creates the valve, not Spring, so it has its own mapper with Spring's problem-detail mix-in. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || response.isCommitted()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        HttpStatus shown = known == null ? HttpStatus.BAD_REQUEST : known;
        try {
            response.resetBuffer();
            Problems.write(response, JSON, Problems.of(shown, "request-rejected",
                    "the server rejected the request before routing it (for example an encoded '/' or NUL in "
                            + "the path, or a malformed request line)"));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            container.getLogger().debug("could not write the error report", e);
        }
    }
}
