package io.sluice.registry;

/**
 * One version of a subject.
 *
 * @param subject the subject, e.g. {@code orders-value}
 * @param version the version number, from 1
 * @param id      the global id of its schema
 */
public record SubjectVersion(String subject, int version, int id) {
}
