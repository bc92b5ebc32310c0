package io.sluice.topology;

import java.nio.file.Path;
import java.util.List;

import io.sluice.common.Document;
import io.sluice.common.Documents;
import io.sluice.common.Problem;

/** Reads topology files (YAML or JSON, one document): a valid {@link TopologyFile}, or every problem in it. */
public final class TopologyFiles {

    /** What {@code sluice run} uses without {@code --topology}, relative to the repository root. */
    public static final Path DEFAULT_FILE = Path.of("topologies", "default.yaml");

    /**
     * Either a valid topology (and no problems) or the problems (and no topology).
     *
     * @param topology the valid topology, or {@code null}
     * @param problems one per thing wrong, each naming the field ({@code routes[1].egress}); print one per line
     */
    public record Result(TopologyFile topology, List<Problem> problems) {

        public Result {
            problems = List.copyOf(problems);
            if ((topology == null) == problems.isEmpty()) {
                throw new IllegalArgumentException("a result holds either a topology or problems");
            }
        }

        public boolean isValid() {
            return topology != null;
        }
    }

    private TopologyFiles() {
    }

    public static Result read(final Path file) {
        final Documents.ReadResult read = Documents.read(file);
        if (!read.problems().isEmpty()) {
            return new Result(null, read.problems());
        }
        final List<Document> documents = read.documents();
        if (documents.size() != 1) {
            return new Result(null, List.of(new Problem(file.toString(), null,
                "a topology file holds exactly one document, not " + documents.size())));
        }
        return new TopologyValidator(file.toString()).validate(documents.get(0).content());
    }
}
