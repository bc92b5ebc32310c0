package io.sluice.plugins.encryption;

import java.util.List;

import io.sluice.plugins.support.ValueFormats;
import io.sluice.spi.ConfigField;

/** The config fields both crypto plugins document. */
final class CryptoFields {

    private CryptoFields() {
    }

    static List<ConfigField> fields(final String verb) {
        return List.of(
            new ConfigField("fields", "list<string>", false, null,
                "JSON field paths to " + verb + " (card.number, items[*].sku); leave out to " + verb + " the whole value"),
            new ConfigField("keyId", "string", true, null,
                "the key's id, [A-Za-z0-9._:-]{1,128}; written to / checked against the sluice-key-id header"),
            new ConfigField("keyFile", "path", false, null,
                "a file holding the key: base64 of 32 random bytes (one of keyFile / keyEnv is required)"),
            new ConfigField("keyEnv", "string", false, null,
                "an environment variable holding the key: base64 of 32 random bytes; the key itself is never"
                    + " written in a binding"),
            ValueFormats.field(false));
    }
}
