package io.sluice.plugins.encryption;

import java.nio.charset.StandardCharsets;

/** Key ids read from headers, which any producer can set: shown in reasons only in a safe form. */
final class KeyIds {

    private static final int MAX_SHOWN = 128;

    private KeyIds() {
    }

    /** The header value as text, cut to 128 characters, control characters replaced by {@code ?}. */
    static String printable(final byte[] header) {
        final String text = new String(header, StandardCharsets.UTF_8);
        final StringBuilder shown = new StringBuilder(Math.min(text.length(), MAX_SHOWN));
        for (int i = 0; i < text.length() && i < MAX_SHOWN; i++) {
            final char c = text.charAt(i);
            shown.append(Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > MAX_SHOWN ? shown + "..." : shown.toString();
    }
}
