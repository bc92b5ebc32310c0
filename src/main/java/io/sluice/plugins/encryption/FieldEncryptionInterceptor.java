package io.sluice.plugins.encryption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.sluice.common.Json;
import io.sluice.plugins.support.FieldPath;
import io.sluice.plugins.support.JsonValues;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;

/**
 * Encrypts the configured JSON fields, or the whole value, and records the key id in {@code sluice-key-id}.
 * Whatever goes wrong is thrown, never swallowed: the binding's {@code onError} (default reject) then keeps the
 * plaintext from reaching egress.
 */
final class FieldEncryptionInterceptor implements Interceptor {

    private final AesKey key;
    private final FieldPath[] paths;
    /** One encrypting function per path: the associated data names the path, so it is bound here once. */
    private final List<UnaryOperator<JsonNode>> encryptors;
    private final byte[] wholeValueData;

    FieldEncryptionInterceptor(final CryptoConfig config) {
        this.key = config.key();
        this.paths = config.fields().toArray(FieldPath[]::new);
        this.encryptors = config.fields().stream().map(this::encryptor).toList();
        this.wholeValueData = CiphertextFormat.associatedData(key.id(), "");
    }

    private UnaryOperator<JsonNode> encryptor(final FieldPath path) {
        final byte[] associatedData = CiphertextFormat.associatedData(key.id(), path.toString());
        return value -> TextNode.valueOf(new String(
            CiphertextFormat.encrypt(key, associatedData, jsonBytes(value)), StandardCharsets.ISO_8859_1));
    }

    @Override
    public void onSend(final SendRecord record) {
        final Header existing = record.headers().lastHeader(CiphertextFormat.KEY_ID_HEADER);
        if (existing != null && !Arrays.equals(existing.value(), key.idBytes())) {
            // Encrypting again would replace the header and lose the key id the record's other ciphertexts need.
            record.reject("the record is already encrypted under key id '" + KeyIds.printable(existing.value())
                + "'; encrypting it again under '" + key.id() + "' would lose that key id");
            return;
        }
        final boolean encrypted = paths.length == 0 ? encryptValue(record) : encryptFields(record);
        if (encrypted && existing == null) {
            record.headers().add(CiphertextFormat.KEY_ID_HEADER, key.idBytes());
        }
    }

    private boolean encryptValue(final SendRecord record) {
        final byte[] value = record.value();
        if (value == null) {
            return false;
        }
        record.value(CiphertextFormat.encrypt(key, wholeValueData, value));
        return true;
    }

    private boolean encryptFields(final SendRecord record) {
        final JsonNode tree = JsonValues.protectedTreeOrNull(record);
        if (tree == null) {
            return false;
        }
        int encrypted = 0;
        for (int i = 0; i < paths.length; i++) {
            encrypted += paths[i].apply(tree, encryptors.get(i));
        }
        if (encrypted > 0) {
            record.jsonValue(tree);
        }
        return encrypted > 0;
    }

    /** A field's plaintext is its JSON text, so that decryption gives back a number as a number. */
    private static byte[] jsonBytes(final JsonNode value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write a JSON field", e);
        }
    }
}
