package io.sluice.resolution;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.common.Json;

/** Short builders for bindings, scopes and contexts in resolution tests. */
final class Fixtures {

    private Fixtures() {
    }

    static BindingScope global() {
        return BindingScope.GLOBAL;
    }

    static BindingScope vcluster(final String vcluster) {
        return new BindingScope(vcluster, null, null);
    }

    static BindingScope group(final String group) {
        return new BindingScope(null, group, null);
    }

    static BindingScope group(final String vcluster, final String group) {
        return new BindingScope(vcluster, group, null);
    }

    static BindingScope username(final String username) {
        return new BindingScope(null, null, username);
    }

    static BindingScope username(final String vcluster, final String username) {
        return new BindingScope(vcluster, null, username);
    }

    static Binding binding(final String name, final BindingScope scope, final int priority) {
        return binding(name, scope, priority, null, "at " + scope);
    }

    static Binding binding(final String name, final BindingScope scope, final int priority, final String topics) {
        return binding(name, scope, priority, topics, "at " + scope);
    }

    /** {@code config} is {"config": config}: what tells two bindings of one name apart in a chain. */
    static Binding binding(final String name, final BindingScope scope, final int priority, final String topics,
                           final String config) {
        return new Binding(new BindingId(name, scope), "header-injection", priority,
            topics == null ? null : Pattern.compile(topics), null, Json.object().put("config", config));
    }

    static Context context(final String vcluster, final String username, final String... groups) {
        return new Context(vcluster, username, new LinkedHashSet<>(Arrays.asList(groups)), null);
    }

    static Context onTopic(final Context context, final String topic) {
        return new Context(context.vcluster(), context.username(), context.groups(), topic);
    }

    static Chain chain(final Binding... bindings) {
        return new Chain(List.of(bindings));
    }

    static IndexedResolver indexed(final List<Binding> bindings) {
        final IndexedResolver resolver = new IndexedResolver();
        bindings.forEach(resolver::put);
        return resolver;
    }
}
