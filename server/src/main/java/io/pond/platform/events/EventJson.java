package io.pond.platform.events;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.core.EventSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the publication registry stores events: JSON by the application's {@link JsonMapper}, as Spring
 * Modulith's own serializer does. PERF: Modulith's looks the mapper bean up for every event it stores
 * (about half of its cost); this one holds it.
 */
@Configuration(proxyBeanMethods = false)
class EventJson {

  @Bean
  EventSerializer eventSerializer(JsonMapper json) {
    return new EventSerializer() {
      @Override
      public Object serialize(Object event) {
        return json.writeValueAsString(event);
      }

      @Override
      public <T> T deserialize(Object serialized, Class<T> type) {
        return json.readValue(serialized.toString(), type);
      }
    };
  }
}
