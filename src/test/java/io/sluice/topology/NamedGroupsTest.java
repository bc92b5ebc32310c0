package io.sluice.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NamedGroupsTest {

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "tenant-(?<vcluster>[a-z]+)\\.in => vcluster",
        "(?<env>a|b)-(?<vcluster>x(?<inner>y)) => env,vcluster,inner",
        "(?<=a)b(?<!c) => ''",
        "\\(?<v>x\\) => ''",
        "[(?<v>)]x => ''",
        "[]](?<v>x) => v",
        "[^]a[(?<w>)]](?<v>x) => v",
        "\\Q(?<v>\\E(?<w>x) => w",
        "a(b)c => ''",
    })
    void findsNamedGroupsOnly(final String regex, final String names) {
        Pattern.compile(regex);
        assertEquals(names.isEmpty() ? List.of() : List.of(names.split(",")), NamedGroups.names(regex));
    }

    @Test
    void removesTheNamesAndKeepsTheGroups() {
        // given
        final String regex = "(?<env>dev|prod)\\.(?<vcluster>[a-z(?<x>]+)\\.in";

        // when
        final String plain = NamedGroups.withoutNames(regex);

        // then
        assertEquals("(dev|prod)\\.([a-z(?<x>]+)\\.in", plain);
        assertEquals(Pattern.compile(regex).matcher("dev.a.in").matches(), Pattern.compile(plain).matcher("dev.a.in").matches());
    }
}
