package io.pond.platform.web;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * Serves the operations console (a single-page app built into {@code classpath:/static/}) at
 * {@code /}. A path that is no file is a client-side route ({@code /users}, {@code /m/card}) and gets
 * {@code index.html}, so a reload or a shared link works. Server paths keep their own answers: an
 * unknown {@code /api/…} path is still a 404 problem, never the console page.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleRoutes implements WebMvcConfigurer {

  /** Path prefixes that belong to the server, never to the console's router. */
  static final List<String> SERVER_PATHS =
      List.of("api", "v1", "sa", "actuator", "v3", "swagger-ui", "error", "assets");

  private final String location;

  ConsoleRoutes(@Value("${pond.console.location:classpath:/static/}") String location) {
    this.location = location.endsWith("/") ? location : location + "/";
  }

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addViewController("/").setViewName("forward:/index.html"); // resource handlers never match ""
  }

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    // Vite names every asset by its content hash, so an asset never changes: cache it for a year
    registry
        .addResourceHandler("/assets/**")
        .addResourceLocations(location + "assets/")
        .setCacheControl(CacheControl.maxAge(365, TimeUnit.DAYS).cachePublic().immutable());
    registry
        .addResourceHandler("/**")
        .addResourceLocations(location)
        .setCacheControl(CacheControl.noCache())
        .resourceChain(true)
        .addResolver(new ClientRoutes());
  }

  /** Resolves real files first, then falls back to {@code index.html} for client-side routes. */
  private static final class ClientRoutes extends PathResourceResolver {

    @Override
    protected Resource getResource(String resourcePath, Resource location) throws IOException {
      Resource file = super.getResource(resourcePath, location);
      if (file != null) {
        return file;
      }
      if (!isClientRoute(resourcePath)) {
        return null;
      }
      Resource index = location.createRelative("index.html");
      return index.exists() && index.isReadable() ? index : null;
    }
  }

  /** A path the console's router owns: not a server path, and not a file name (no dot in the last segment). */
  static boolean isClientRoute(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    for (String prefix : SERVER_PATHS) {
      if (p.equals(prefix) || p.startsWith(prefix + "/")) {
        return false;
      }
    }
    String last = p.substring(p.lastIndexOf('/') + 1);
    return !last.contains(".");
  }
}
