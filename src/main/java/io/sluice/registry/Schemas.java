package io.sluice.registry;

/** Fetching a schema by id, with the registry's failures turned into the record-level exceptions. */
final class Schemas {

    static final String PROTOBUF_NOT_YET = "; Protobuf values are not supported yet";

    private Schemas() {
    }

    static RegisteredSchema fetch(final SchemaRegistryClient registry, final int id) {
        try {
            return registry.schemaById(id);
        } catch (final SchemaRegistryException e) {
            switch (e.kind()) {
                case NOT_FOUND -> throw new UnknownSchemaException(id);
                case UNAVAILABLE -> throw new RegistryUnavailableException(e.getMessage());
                default -> throw new RegistryUnavailableException("schema id " + id + ": " + e.getMessage());
            }
        }
    }
}
