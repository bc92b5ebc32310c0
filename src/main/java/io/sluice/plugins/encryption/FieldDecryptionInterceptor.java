package io.sluice.plugins.encryption;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.plugins.support.FieldPath;
import io.sluice.plugins.support.JsonValues;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;

/**
 * Decrypts what {@link FieldEncryptionInterceptor} encrypted with the same config. A record without the
 * {@code sluice-key-id} header was not encrypted and passes unchanged; a record encrypted under another key id,
 * or whose ciphertext does not open, is rejected with the reason. After decryption the header is removed: the
 * record is no longer encrypted.
 */
final class FieldDecryptionInterceptor implements Interceptor {

    private final AesKey key;
    private final FieldPath[] paths;
    private final List<UnaryOperator<JsonNode>> decryptors;
    private final byte[] wholeValueData;

    FieldDecryptionInterceptor(final CryptoConfig config) {
        this.key = config.key();
        this.paths = config.fields().toArray(FieldPath[]::new);
        this.decryptors = config.fields().stream().map(this::decryptor).toList();
        this.wholeValueData = CiphertextFormat.associatedData(key.id(), "");
    }

    private UnaryOperator<JsonNode> decryptor(final FieldPath path) {
        final byte[] associatedData = CiphertextFormat.associatedData(key.id(), path.toString());
        return value -> {
            if (!value.isTextual()) {
                throw new CiphertextException("field '" + path + "' is not a Sluice ciphertext (a " + value.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT) + ", not a string)");
            }
            try {
                return parse(CiphertextFormat.decrypt(key, associatedData, value.textValue().getBytes(StandardCharsets.ISO_8859_1)));
            } catch (final CiphertextException e) {
                throw new CiphertextException("field '" + path + "' " + e.getMessage());
            }
        };
    }

    @Override
    public void onSend(final SendRecord record) {
        final Header keyId = record.headers().lastHeader(CiphertextFormat.KEY_ID_HEADER);
        if (keyId == null) {
            return;
        }
        if (!Arrays.equals(keyId.value(), key.idBytes())) {
            record.reject("the record is encrypted under key id '" + KeyIds.printable(keyId.value())
                + "', but this interceptor holds key id '" + key.id() + "'");
            return;
        }
        try {
            if (paths.length == 0) {
                decryptValue(record);
            } else {
                decryptFields(record);
            }
        } catch (final CiphertextException e) {
            record.reject(e.getMessage());
            return;
        }
        record.headers().remove(CiphertextFormat.KEY_ID_HEADER);
    }

    private void decryptValue(final SendRecord record) {
        final byte[] value = record.value();
        if (value != null) {
            try {
                record.value(CiphertextFormat.decrypt(key, wholeValueData, value));
            } catch (final CiphertextException e) {
                throw new CiphertextException("the value " + e.getMessage());
            }
        }
    }

    private void decryptFields(final SendRecord record) {
        final JsonNode tree = JsonValues.protectedTreeOrNull(record);
        if (tree == null) {
            return;
        }
        int decrypted = 0;
        for (int i = 0; i < paths.length; i++) {
            decrypted += paths[i].apply(tree, decryptors.get(i));
        }
        if (decrypted > 0) {
            record.jsonValue(tree);
        }
    }

    private static JsonNode parse(final byte[] plaintext) {
        try {
            return Json.MAPPER.readTree(plaintext);
        } catch (final IOException e) {
            // Authenticated, so written by a Sluice with this key: not JSON means it was not written as a field.
            throw new CiphertextException("does not hold a JSON value (was it encrypted as a whole value?)");
        }
    }
}
