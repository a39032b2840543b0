package io.pond.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI pondOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Pond API")
                .description(
                    "Pond (鱼塘): private-domain customer data platform with omni-channel membership."
                        + " Errors are RFC 9457 problem+json with a stable 'code'.")
                .version("v1")
                .license(new License().name("Apache-2.0")))
        .components(
            new Components()
                .addSecuritySchemes(
                    "serverKey",
                    new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").description("A server key"))
                .addSecuritySchemes(
                    "basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
        .addSecurityItem(new SecurityRequirement().addList("serverKey"))
        .addSecurityItem(new SecurityRequirement().addList("basic"));
  }
}
