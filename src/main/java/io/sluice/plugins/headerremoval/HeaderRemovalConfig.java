package io.sluice.plugins.headerremoval;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigDoc;

/**
 * The {@code header-removal} config.
 *
 * @param pattern a regex the whole header name must match for the header to be removed
 */
record HeaderRemovalConfig(
    @ConfigDoc(type = "regex", required = true, value = "a Java regex; a header is removed when its whole name matches"
        + " (e.g. \"x-internal-.*\")") Pattern pattern) {

    static HeaderRemovalConfig read(final ConfigReader config) {
        final String regex = config.requiredString("pattern");
        Pattern pattern = null;
        if (regex != null) {
            try {
                pattern = Pattern.compile(regex);
            } catch (final PatternSyntaxException e) {
                config.problem("pattern", "is not a valid Java regex: " + e.getDescription() + " near index " + e.getIndex());
            }
        }
        config.rejectUnknownFields();
        return new HeaderRemovalConfig(pattern);
    }
}
