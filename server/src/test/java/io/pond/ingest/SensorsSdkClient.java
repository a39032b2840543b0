package io.pond.ingest;

import com.sensorsdata.analytics.javasdk.SensorsAnalytics;
import com.sensorsdata.analytics.javasdk.bean.SensorsAnalyticsIdentity;
import com.sensorsdata.analytics.javasdk.consumer.BatchConsumer;
import java.util.Map;

/**
 * Runs the Sensors Java SDK in a child JVM (see {@link RealClientsTest}): args are the server URL,
 * a login id and an anonymous id. Exit 0 when the SDK's flush succeeded, 2 when it threw (message
 * on stdout).
 */
public final class SensorsSdkClient {

  private SensorsSdkClient() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String anon = args[2];
    SensorsAnalytics sa = new SensorsAnalytics(new BatchConsumer(url, 50, true));
    try {
      sa.track(user, true, "ViewProduct", Map.of("product_name", "tea", "price", 88));
      sa.trackSignUp(user, anon);
      sa.bind(
          SensorsAnalyticsIdentity.builder()
              .addIdentityProperty(SensorsAnalyticsIdentity.LOGIN_ID, user)
              .addIdentityProperty(SensorsAnalyticsIdentity.MOBILE, "13800138000")
              .build());
      sa.flush();
      System.out.println("flushed");
      System.exit(0);
    } catch (Exception e) {
      System.out.println("failed: " + e);
      System.exit(2);
    }
  }
}
