package io.sluice.policytest;

import java.util.List;

/**
 * One {@code kind: InterceptorTest} resource.
 *
 * @param name   {@code metadata.name}
 * @param source where it was read, e.g. {@code tests/masking.yaml#1}
 * @param cases  its cases, in file order
 */
public record PolicyTest(String name, String source, List<TestCase> cases) {

    public PolicyTest {
        cases = List.copyOf(cases);
    }

    /**
     * One case: a record, and what must become of it.
     *
     * @param name   unique within its test
     * @param given  the record a client writes
     * @param expect what must become of it
     */
    public record TestCase(String name, Given given, Expectation expect) {
    }
}
