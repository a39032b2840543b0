package io.pond.loyalty;

import java.time.Instant;

/**
 * A OneID merge was split: {@code restored}'s account in the program reopened (empty; points stay with
 * {@code survivor}) and the channel bindings the merge had moved to {@code survivor} are
 * {@code restored}'s again.
 */
public record AccountSplit(String program, PersonRef survivor, PersonRef restored, int bindingsReturned, Instant at) {}
