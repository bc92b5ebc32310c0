package io.sluice.registry;

import io.sluice.spi.ValueFormatException;

/**
 * The registry could not give a value's schema within {@code schemaRegistry.timeout} (it was retried until then):
 * the record is rejected with this reason rather than passed unread.
 */
public final class RegistryUnavailableException extends ValueFormatException {

    public RegistryUnavailableException(final String message) {
        super(message);
    }
}
