package dev.imagesim.api;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

@Configuration
class OpenApiConfiguration {

    static final String API_KEY = "apiKey";
    static final String BEARER = "bearer";

    @Bean
    OpenAPI imagesimOpenApi() {
        return new OpenAPI().info(new Info()
                        .title("imagesim")
                        .version("v1")
                        .description("Embed, index, search and compare images. Errors are RFC 9457 problem+json "
                                + "with a `code` property.\n\n"
                                + "**Authentication**: when the server has API keys configured, send one as "
                                + "`X-API-Key` or `Authorization: Bearer`. Scopes: `read` (embed, search, "
                                + "similarity, GET), `write` (collections, ingest, delete) and `admin` (training "
                                + "jobs, models, re-index, index tuning); `admin` includes `write`, which "
                                + "includes `read`. A missing or unknown key is a 401, too small a scope a 403. "
                                + "Without configured "
                                + "keys the server serves loopback clients only.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key")
                                .description("The key of a `scope:key` entry in IMAGESIM_API_KEYS"))
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("The same API key as a bearer token")))
                .security(List.of(new SecurityRequirement().addList(API_KEY), new SecurityRequirement().addList(BEARER)));
    }
}
