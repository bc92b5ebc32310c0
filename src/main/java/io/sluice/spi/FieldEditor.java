package io.sluice.spi;

/**
 * What a plugin does with each field a path selects. Called from {@code onSend}, in the hook: what it throws is the
 * hook's failure (handled by the binding's {@code onError}); never quote a field's value in a message.
 */
@FunctionalInterface
public interface FieldEditor {
    void edit(Field field);
}
