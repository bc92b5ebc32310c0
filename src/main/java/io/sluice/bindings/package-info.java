/**
 * Bindings: the model ({@link io.sluice.bindings.Binding}, {@link io.sluice.bindings.BindingId},
 * {@link io.sluice.bindings.BindingScope}), the one validator of binding resources
 * ({@link io.sluice.bindings.BindingValidator}), resource files in and out
 * ({@link io.sluice.bindings.BindingResources}) and config topic records in and out
 * ({@link io.sluice.bindings.BindingRecords}).
 *
 * <p>Both ways in (files and config records) become the same JSON tree of a resource and go through the
 * same validator, so {@code bindings apply} and the running application judge a binding alike.
 */
package io.sluice.bindings;
