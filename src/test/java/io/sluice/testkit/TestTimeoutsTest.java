package io.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.BeforeEachCallback;

import net.jqwik.api.lifecycle.LifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;

/** Every test of this build has a time limit: Jupiter tests by default, jqwik properties through a hook. */
class TestTimeoutsTest {

    private String defaultTimeout;

    @RegisterExtension
    final BeforeEachCallback readConfiguration = context -> defaultTimeout =
        context.getConfigurationParameter("junit.jupiter.execution.timeout.default").orElse(null);

    @Test
    void jupiterTestsHaveADefaultTimeout() {
        // then: set by the build (surefire for unit tests, failsafe for integration tests)
        assertTrue(defaultTimeout != null, "junit.jupiter.execution.timeout.default is set");
        assertTrue(defaultTimeout.matches("\\d+ ?m"), defaultTimeout);
    }

    @Test
    void jqwikPropertiesHaveATimeout() {
        // given: the hook jqwik loads for every property
        assertTrue(ServiceLoader.load(LifecycleHook.class).stream()
            .anyMatch(hook -> hook.type() == PropertyTimeout.class), "PropertyTimeout is registered");
        assertEquals(PropagationMode.ALL_DESCENDANTS, new PropertyTimeout().propagateTo(), "reaches every property");
        final PropertyTimeout timeout = new PropertyTimeout(Duration.ofMillis(200));

        // when: a property that hangs
        final long started = System.nanoTime();
        final AssertionError failure = assertThrows(AssertionError.class, () -> timeout.aroundProperty(null, () -> {
            try {
                Thread.sleep(60_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));

        // then
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30, "failed at the limit");
        assertEquals("property did not finish within 200 ms", failure.getMessage());
    }
}
