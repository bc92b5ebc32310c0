package io.sluice.spi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A binding's config as a plugin parsed it: the typed config, or every problem found.
 *
 * @param config   the typed config; {@code null} when there are problems
 * @param problems every problem, each naming its field; empty when the config is valid
 */
public record ParsedConfig<C>(C config, List<ConfigProblem> problems) {

    public ParsedConfig {
        problems = List.copyOf(problems);
        if (problems.isEmpty() && config == null) {
            throw new IllegalArgumentException("a valid config must not be null");
        }
        if (!problems.isEmpty()) {
            config = null;
        }
    }

    public static <C> ParsedConfig<C> valid(final C config) {
        return new ParsedConfig<>(config, List.of());
    }

    public static <C> ParsedConfig<C> invalid(final List<ConfigProblem> problems) {
        return new ParsedConfig<>(null, problems);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /**
     * The config, when valid. {@code create} is only called with configs that passed validation, so a problem here
     * is a bug or a caller skipping validation.
     */
    public C orThrow() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid plugin config: " + problems.stream()
                .map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
        }
        return config;
    }
}
