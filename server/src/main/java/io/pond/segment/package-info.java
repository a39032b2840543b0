/**
 * Segments (标签/人群): tags (manual, rule and model tags with history), segment expressions, and the
 * in-memory bitmap index of persons that evaluates them; audience exports (人群包) and AIPL stages.
 * It listens to profile, commerce, identity, loyalty and the event log; no module depends on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Segments")
package io.pond.segment;
