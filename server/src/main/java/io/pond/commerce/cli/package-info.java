/**
 * The commerce commands of the {@code pond} CLI ({@code import orders}, {@code bench import}), exposed
 * as a named interface so that the CLI root ({@code io.pond.platform.cli.PondCli}) can list them.
 */
@org.springframework.modulith.NamedInterface("cli")
package io.pond.commerce.cli;
