package io.sluice.testing;

import java.util.List;

import io.sluice.plugins.PluginRegistry;
import io.sluice.plugins.headerinjection.HeaderInjectionFactory;
import io.sluice.plugins.headerremoval.HeaderRemovalFactory;

/** The plugins topology tests bind: two built-ins and the test plugins of this package. */
public final class TestPlugins {

    private TestPlugins() {
    }

    /** A registry whose {@code recording} instances write to {@code journal}. */
    public static PluginRegistry registry(final Journal journal) {
        return new PluginRegistry(List.of(new HeaderInjectionFactory(), new HeaderRemovalFactory(),
            new RecordingFactory(journal), new ThrowingFactory(), new RejectingFactory(), new RewritingFactory()));
    }
}
