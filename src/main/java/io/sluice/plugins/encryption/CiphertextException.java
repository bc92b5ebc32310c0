package io.sluice.plugins.encryption;

/** A value that is not a ciphertext this key can open; the message is a rejection reason, free of key material. */
final class CiphertextException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CiphertextException(final String message) {
        super(message, null, false, false);
    }
}
