package dev.imagesim.security;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Secure by default: with no API keys configured and anonymous clients limited to loopback, the server
 * binds to 127.0.0.1. The default goes last among the property sources, so an explicit
 * {@code server.address} still wins (and {@link ApiKeyFilter} then turns away non-loopback clients).
 */
class LoopbackBinding implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "imagesimLoopbackBinding";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ApiProperties api = Binder.get(environment).bindOrCreate("imagesim.api", ApiProperties.class);
        if (api.loopbackOnly()) {
            environment.getPropertySources().addLast(
                    new MapPropertySource(SOURCE_NAME, Map.of("server.address", "127.0.0.1")));
        }
    }
}
