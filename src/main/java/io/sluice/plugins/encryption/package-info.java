/**
 * The {@code field-encryption} and {@code field-decryption} plugins: AES-256-GCM of JSON fields or of whole
 * values. They are one package because they share the key handling and the ciphertext format, which must not
 * drift apart. The format (versioned, with its associated data) is specified in {@code FORMAT.md} in this
 * folder, for readers in any language.
 */
package io.sluice.plugins.encryption;
