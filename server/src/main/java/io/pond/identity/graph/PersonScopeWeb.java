package io.pond.identity.graph;

import io.pond.identity.PersonVisibility;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Channel data scopes for every API path about one person: a path variable {@code personId}
 * (loyalty members, coupons, benefits, tags of a person…) or the {@code id} of
 * {@code /api/v1/persons/{id}/…} (identity, profile, timeline). A caller limited to some channels gets
 * 404 for a person outside them ({@link PersonVisibility}), before the handler runs, so a new endpoint
 * that follows the naming is covered without code of its own. Person ids in request bodies are checked
 * by their handlers.
 */
@Configuration
class PersonScopeWeb implements WebMvcConfigurer {

  private final PersonVisibility visibility;

  PersonScopeWeb(PersonVisibility visibility) {
    this.visibility = visibility;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new HandlerInterceptor() {
      @Override
      public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables == null) {
          return true;
        }
        String person = variables.get("personId");
        if (person == null && request.getRequestURI().startsWith(request.getContextPath() + "/api/v1/persons/")) {
          person = variables.get("id");
        }
        if (person != null) {
          int id;
          try {
            id = Integer.parseInt(person);
          } catch (NumberFormatException e) {
            return true; // the handler refuses it as a bad id
          }
          visibility.require(id);
        }
        return true;
      }
    }).addPathPatterns("/api/v1/**");
  }
}
