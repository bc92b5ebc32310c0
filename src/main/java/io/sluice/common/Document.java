package io.sluice.common;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One YAML or JSON document read from a file.
 *
 * @param file    the file
 * @param index   the document's position in the file, from 1 (documents are separated by {@code ---})
 * @param content the parsed document
 */
public record Document(Path file, int index, JsonNode content) {

    /** {@code file#index}, for error messages. */
    public String source() {
        return file + "#" + index;
    }
}
