package io.sluice.plugins;

/** A plugin folder, jar or factory that cannot be loaded; the message is one line that names it. */
public final class PluginLoadException extends RuntimeException {

    public PluginLoadException(final String message) {
        super(message);
    }
}
