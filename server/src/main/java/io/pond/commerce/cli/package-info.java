/** The commerce commands of the {@code pond} CLI: {@code import orders} and {@code bench import}. */
package io.pond.commerce.cli;
