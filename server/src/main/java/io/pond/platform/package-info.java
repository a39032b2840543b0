/**
 * Platform: settings, storage, security (users, roles, API keys), audit log, errors, the brand
 * {@link java.time.Clock} and the CLI. Every other module may use it; it uses none of them.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package io.pond.platform;

import org.springframework.modulith.ApplicationModule;
