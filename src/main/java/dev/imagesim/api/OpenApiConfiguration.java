package dev.imagesim.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;

@Configuration
class OpenApiConfiguration {

    @Bean
    OpenAPI imagesimOpenApi() {
        return new OpenAPI().info(new Info()
                .title("imagesim")
                .version("v1")
                .description("Embed, index, search and compare images. Errors are RFC 9457 problem+json with a "
                        + "`code` property.")
                .license(new License().name("Apache-2.0")));
    }
}
