/**
 * Profile (客户360): a person's traits with source precedence, consents per purpose with their history,
 * computed metrics kept current from orders, and the timeline. Publishes {@link
 * io.pond.profile.ProfileChanged} whenever any of them changes, so that segments follow in real time.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Profile")
package io.pond.profile;
