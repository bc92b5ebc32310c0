package io.sluice.spi;

/** A record value that an interceptor cannot read in the format it needs (e.g. not JSON). */
public class ValueFormatException extends RuntimeException {
    public ValueFormatException(final String message) {
        super(message);
    }
}
