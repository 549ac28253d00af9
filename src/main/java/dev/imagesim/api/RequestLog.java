package dev.imagesim.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per request (logger {@code imagesim.requests}): method, path, status and milliseconds.
 * Health probes and metric scrapes log at DEBUG so that they do not drown the rest. Query strings are left
 * out: they carry nothing needed to follow traffic and may carry what should not be logged.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestLog extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("imagesim.requests");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long millis = (System.nanoTime() - start) / 1_000_000;
            String path = request.getRequestURI();
            if (path.startsWith("/actuator/")) {
                log.debug("{} {} {} {}ms", request.getMethod(), path, response.getStatus(), millis);
            } else {
                log.info("{} {} {} {}ms", request.getMethod(), path, response.getStatus(), millis);
            }
        }
    }
}
