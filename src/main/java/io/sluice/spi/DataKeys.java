package io.sluice.spi;

import java.util.Optional;

import javax.crypto.SecretKey;

/**
 * The data keys of the topology's keyrings (envelope encryption managed by Sluice): what {@code field-encryption}
 * and {@code field-decryption} use with {@code keyring:}, open to custom plugins too. Keys are AES-256; their
 * material stays in memory, is never logged, and a plugin must not write it anywhere.
 */
public interface DataKeys {

    /**
     * The header an encrypted record carries the id of its key in: a keyring's data key id, or a binding's
     * {@code keyId}. Acknowledgement events list its values ({@code dataKeys}).
     */
    String KEY_ID_HEADER = "sluice-key-id";

    /** A data key in the clear and the id a ciphertext names it by. */
    record DataKey(String id, SecretKey key) {
        @Override
        public String toString() {
            return "DataKey[" + id + ", material hidden]";
        }
    }

    /** For an instance whose topology has no keyrings: every keyring is unknown. */
    DataKeys NONE = new DataKeys() {
        @Override
        public boolean has(final String keyring) {
            return false;
        }

        @Override
        public DataKey forEncryption(final String keyring, final RecordContext context) {
            throw new IllegalStateException("keyring '" + keyring + "' is not in the topology (it has no keyrings)");
        }

        @Override
        public Optional<DataKey> forDecryption(final String id) {
            return Optional.empty();
        }
    };

    /** Whether the topology has this keyring. */
    boolean has(String keyring);

    /**
     * The key a record is to be encrypted with now: the current version for the record's scope value (its user or
     * vcluster, per the keyring's {@code dekScope}), made and published first when there is none.
     *
     * @throws RuntimeException when no key can be had (unknown keyring, key topic unreachable): fail closed
     */
    DataKey forEncryption(String keyring, RecordContext context);

    /**
     * The key with that id, or empty when there is none (shredded, or never made).
     *
     * @throws RuntimeException when the key exists but cannot be unwrapped (its KEK is gone): fail closed
     */
    Optional<DataKey> forDecryption(String id);
}
