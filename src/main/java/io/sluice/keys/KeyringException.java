package io.sluice.keys;

/**
 * A keyring cannot do what was asked: a KEK that cannot be read, a data key that cannot be unwrapped or published,
 * one that was shredded. The message is for a person and never holds key material.
 */
public class KeyringException extends RuntimeException {

    public KeyringException(final String message) {
        super(message);
    }

    public KeyringException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
