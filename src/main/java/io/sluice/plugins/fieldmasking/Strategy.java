package io.sluice.plugins.fieldmasking;

/** How a field is masked. */
enum Strategy {
    /** Every character becomes the mask character. */
    ALL,
    /** The first {@code n} characters stay visible, the rest are masked. */
    FIRST_N,
    /** The last {@code n} characters stay visible, the rest are masked. */
    LAST_N,
    /** The value becomes the hex SHA-256 of salt + value: equal values stay joinable, but unreadable. */
    HASH
}
