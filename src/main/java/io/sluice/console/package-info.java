/**
 * The web console (README, "Console"): a read-only HTTP server on the JDK's {@code com.sun.net.httpserver}, pages
 * and a chart library served from the class path, and the JSON API in the command line's {@code -o json} shapes.
 * What it shows comes through {@link io.sluice.console.ConsoleData}, which the command line implements over the
 * same sources its commands read.
 */
package io.sluice.console;
