package io.sluice.testing;

import java.util.List;

import io.sluice.plugins.PluginRegistry;
import io.sluice.plugins.fieldmasking.FieldMaskingFactory;
import io.sluice.plugins.headerinjection.HeaderInjectionFactory;
import io.sluice.plugins.headerremoval.HeaderRemovalFactory;

/** The plugins topology tests bind: a few built-ins and the test plugins of this package. */
public final class TestPlugins {

    private TestPlugins() {
    }

    /** A registry whose {@code recording} instances write to {@code journal}. */
    public static PluginRegistry registry(final Journal journal) {
        return new PluginRegistry(List.of(new HeaderInjectionFactory(), new HeaderRemovalFactory(), new FieldMaskingFactory(),
            new RecordingFactory(journal), new ThrowingFactory(), new RejectingFactory(), new RewritingFactory()));
    }
}
