package dev.imagesim.api;

import java.net.URI;
import java.util.Locale;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.databind.exc.PropertyBindingException;

import dev.imagesim.ImagesimException;
import dev.imagesim.Problems;

/**
 * Every error as RFC 9457 problem+json. Spring's own exceptions (unreadable JSON, missing parts, wrong
 * content type, oversize uploads, unknown paths) come through {@link ResponseEntityExceptionHandler};
 * the service's refusals carry a {@code code} property and a {@code type} URN naming it.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ImagesimException.class)
    ResponseEntity<ProblemDetail> refused(ImagesimException e) {
        HttpStatus status = switch (e.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case UNSUPPORTED_MEDIA -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case TOO_MANY -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case STORAGE_FULL -> HttpStatus.INSUFFICIENT_STORAGE;
        };
        if (status.is5xxServerError()) {
            log.error("request failed: {}", e.getMessage(), e);
        }
        return ResponseEntity.status(status).body(Problems.of(status, e.code(), e.getMessage()));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof PropertyBindingException unknown) {
            return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "request-field-unknown",
                    unknownField(unknown)));
        }
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "body-malformed",
                "the request body is not valid JSON of the expected shape: " + cause.getMessage()));
    }

    /** Names the field by its path in the body and lists the fields its object does take. */
    private static String unknownField(PropertyBindingException e) {
        String path = e.getPath().stream()
                .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                .map(String::valueOf).sorted().collect(Collectors.joining(", ", " (known fields here: ", ")"));
        return "unknown field '" + path + "' in the request body" + known;
    }

    /**
     * Spring's own refusals (missing parts, wrong media type, bad parameters, oversize uploads) get a
     * {@code code} like the service's, so clients can branch on the code alone.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
            String code = codeOf(e, status);
            problem.setProperty("code", code);
            problem.setType(URI.create(Problems.TYPE_PREFIX + code));
        }
        return response;
    }

    private static String codeOf(Exception e, HttpStatusCode status) {
        if (e instanceof MissingServletRequestPartException) {
            return "part-missing";
        }
        if (e instanceof MissingServletRequestParameterException) {
            return "parameter-missing";
        }
        if (e instanceof TypeMismatchException) {
            return "parameter-invalid";
        }
        if (e instanceof MaxUploadSizeExceededException) {
            return "upload-too-large";
        }
        if (e instanceof HttpMediaTypeNotSupportedException) {
            return "media-type-unsupported";
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value() : known.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected failure", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "an unexpected error occurred; the server log has the details");
        problem.setProperty("code", "internal-error");
        return ResponseEntity.internalServerError().body(problem);
    }
}
