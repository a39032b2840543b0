/**
 * Messaging: every message Pond sends to a person (SMS, WeChat, e-mail, WeCom) goes through one
 * outbox, stored in the transaction that asked for it. Its API: {@link io.pond.messaging.Messages}.
 * With no provider configured for a channel (development), messages are held in the outbox, where
 * operators can read them in the console (so one-time codes can be used without an SMS account).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Messaging")
package io.pond.messaging;
