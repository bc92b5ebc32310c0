package io.sluice.cli;

/** {@code -o}: tables for people, JSON (one object per line) or YAML for scripts. */
public enum OutputFormat {
    table, json, yaml
}
