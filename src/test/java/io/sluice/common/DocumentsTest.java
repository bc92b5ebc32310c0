package io.sluice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Multi-document files as templating tools write them: empty documents are skipped, numbering stays positional. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocumentsTest {

    @TempDir
    Path dir;

    @Test
    void skipsLeadingTrailingAndCommentOnlyDocumentsAndNumbersByPosition() throws IOException {
        // given: a leading ---, a comments-only document, an empty one, an explicit null and a trailing ---
        final Path file = write("joined.yaml", """
            ---
            # Source: chart/templates/a.yaml
            a: 1
            ---
            # Source: chart/templates/empty.yaml
            # (rendered to nothing)
            ---
            b: 2
            ---
            ---
            ~
            ---
            c: 3
            ---
            """);

        // when
        final Documents.ReadResult read = Documents.read(file);

        // then: #3 is the third document as a person counts them, though #2 was empty
        assertEquals(List.of(), read.problems());
        assertEquals(List.of(file + "#1", file + "#3", file + "#6"), sources(read));
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"),
            read.documents().stream().map(document -> Json.line(document.content())).toList());
    }

    @Test
    void aFileOfOnlyCommentsOrSeparatorsHoldsNoDocument() throws IOException {
        assertEquals(List.of(), Documents.read(write("comments.yaml", "# nothing here yet\n")).documents());
        assertEquals(List.of(), Documents.read(write("separators.yaml", "---\n---\n# c\n---\n")).documents());
        assertEquals(List.of(), Documents.read(write("empty.yaml", "")).documents());
    }

    @Test
    void anExplicitEmptyStringIsADocumentNotAGap() throws IOException {
        // given: '' is a value the user wrote (a mistake to report), unlike a document with nothing in it
        final Path file = write("quoted.yaml", "a: 1\n---\n''\n---\n");

        // when
        final Documents.ReadResult read = Documents.read(file);

        // then
        assertEquals(List.of(file + "#1", file + "#2"), sources(read));
        assertEquals("\"\"", Json.line(read.documents().get(1).content()));
    }

    @Test
    void aSyntaxErrorAfterAnEmptyDocumentIsStillReported() throws IOException {
        // when
        final Documents.ReadResult read = Documents.read(write("broken.yaml", "---\n# empty\n---\na: [1\n"));

        // then
        assertEquals(1, read.problems().size(), read.problems().toString());
        assertTrue(read.problems().get(0).source().startsWith(dir.resolve("broken.yaml") + ":"), read.problems().toString());
        assertTrue(read.problems().get(0).message().startsWith("not valid YAML: "), read.problems().toString());
    }

    @Test
    void jsonFilesHoldConcatenatedObjectsOrArraysNumberedByElement() throws IOException {
        // when
        final Documents.ReadResult read = Documents.read(write("many.json", "{\"a\": 1}\n[{\"b\": 2}, {\"c\": 3}]\n{\"d\": 4}\n"));

        // then
        assertEquals(List.of(), read.problems());
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "{\"d\":4}"),
            read.documents().stream().map(document -> Json.line(document.content())).toList());
        assertEquals(List.of(4), read.documents().stream().skip(3).map(Document::index).toList());
    }

    private static List<String> sources(final Documents.ReadResult read) {
        return read.documents().stream().map(Document::source).toList();
    }

    private Path write(final String name, final String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
