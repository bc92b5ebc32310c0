package io.sluice.chain;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.ClockAndSeed;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.DataKeys;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;

/**
 * The live interceptor instances of one Sluice application: one per binding version, created on first use,
 * retired when the binding is replaced or deleted (closed once its in-flight records are acknowledged), and
 * closed at shutdown. Safe for concurrent use by stream threads and the config thread.
 */
public final class InterceptorInstances implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InterceptorInstances.class);

    private final PluginRegistry plugins;
    private final HookGuard errors;
    private final Predicate<Binding> inForce;
    private final ClockAndSeed clockAndSeed;
    private final DataKeys dataKeys;
    private final Map<BindingId, InstanceHandle> current = new ConcurrentHashMap<>();
    /** Binding versions whose instance could not be created here, until the next try. */
    private final Map<BindingId, Failure> failures = new ConcurrentHashMap<>();
    private volatile CreationListener listener = CreationListener.NONE;
    private volatile boolean closed;

    /** A binding version whose creation failed: records fail fast with the same exception until {@code retryAt}. */
    private record Failure(Binding binding, InstanceCreationException exception, long retryAt) {
    }

    /**
     * Told when an instance of a binding version cannot be created here, and when that no longer holds (the
     * instance's files were fixed, the binding changed, the application stops): {@code bindings list} shows bindings not loadable on an instance from this.
     * Called on a stream thread, inside the instances' lock for that binding: do not block.
     */
    public interface CreationListener {
        CreationListener NONE = new CreationListener() {
        };

        /** This binding version's instance could not be created here. */
        default void notLoadable(final Binding binding, final String reason) {
        }

        /** What {@link #notLoadable} said of this binding no longer holds: created now, replaced, or shut down. */
        default void cleared(final BindingId id) {
        }
    }

    /** Instances for a fixed set of bindings: every version asked for is taken to be in force. */
    public InterceptorInstances(final PluginRegistry plugins, final HookGuard errors) {
        this(plugins, errors, binding -> true);
    }

    /**
     * @param inForce whether a binding version is the one in force now (the resolver's view). The config thread
     *                changes the resolver before it retires instances ({@link #bindingChanged}), so a version that
     *                is not in force belongs to a chain resolved just before the change.
     */
    public InterceptorInstances(final PluginRegistry plugins, final HookGuard errors, final Predicate<Binding> inForce) {
        this(plugins, errors, inForce, ClockAndSeed.SYSTEM, DataKeys.NONE);
    }

    /** @param clockAndSeed what every instance gets as its clock and default seed (fixed ones in policy tests) */
    public InterceptorInstances(final PluginRegistry plugins, final HookGuard errors, final Predicate<Binding> inForce,
                                final ClockAndSeed clockAndSeed) {
        this(plugins, errors, inForce, clockAndSeed, DataKeys.NONE);
    }

    /** @param dataKeys the topology's keyrings, handed to every instance created */
    public InterceptorInstances(final PluginRegistry plugins, final HookGuard errors, final Predicate<Binding> inForce,
                                final DataKeys dataKeys) {
        this(plugins, errors, inForce, ClockAndSeed.SYSTEM, dataKeys);
    }

    public InterceptorInstances(final PluginRegistry plugins, final HookGuard errors, final Predicate<Binding> inForce,
                                final ClockAndSeed clockAndSeed, final DataKeys dataKeys) {
        this.plugins = plugins;
        this.errors = errors;
        this.inForce = inForce;
        this.clockAndSeed = clockAndSeed;
        this.dataKeys = dataKeys;
    }

    /** How long records of a binding whose instance could not be created fail fast before creation is tried again. */
    static final long RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    public InterceptorInstances listener(final CreationListener listener) {
        this.listener = listener;
        return this;
    }

    public HookGuard hookGuard() {
        return errors;
    }

    /**
     * The instance for this binding version, created when missing. For a version no longer in force (a chain
     * resolved just before the change), a one-off instance that serves one record and closes after its
     * acknowledgement: registering it would keep an instance of a deleted binding open until shutdown.
     *
     * @throws InstanceCreationException when the plugin is unknown here or its factory throws
     */
    public InstanceHandle instanceFor(final Binding binding) {
        final InstanceHandle registered = registeredInstanceFor(binding);
        return registered != null ? registered : create(binding, true);
    }

    /**
     * The registered instance for this binding version, created when missing; {@code null} when the version is no
     * longer in force.
     *
     * @throws InstanceCreationException when the plugin is unknown here or its factory throws
     */
    public InstanceHandle registeredInstanceFor(final Binding binding) {
        final InstanceHandle handle = current.get(binding.id());
        // Bindings come from the resolver's index: the same version is the same object.
        if (handle != null && (handle.binding() == binding || handle.binding().equals(binding))) {
            return handle;
        }
        final Failure failure = failures.get(binding.id());
        if (failure != null && failure.binding().equals(binding) && System.nanoTime() - failure.retryAt() < 0) {
            // The instance's files are still what they were a moment ago: no file read, no log line per record.
            throw failure.exception();
        }
        final InstanceHandle registered = current.compute(binding.id(), (id, existing) -> {
            if (existing != null && existing.binding().equals(binding)) {
                return existing;
            }
            // Checked under the map's lock for this id: a change retires (removes) after it changed the resolver.
            if (!inForce.test(binding)) {
                return existing;
            }
            final InstanceHandle created = createRemembering(binding);
            if (existing != null) {
                existing.retire();
            }
            return created;
        });
        return registered != null && registered.binding().equals(binding) ? registered : null;
    }

    /**
     * Whether no interceptor here observes fetches ({@code onConsume}), as far as can be known: every one of the
     * {@code bindingsInForce} bindings has its instance here, or failed to get one, and none of those instances
     * implements the hook. While some binding has no instance yet, the answer is {@code false}: its instance may.
     */
    public boolean noneObservesConsume(final int bindingsInForce) {
        if (current.size() + failures.size() < bindingsInForce) {
            return false;
        }
        for (final InstanceHandle handle : current.values()) {
            if (handle.observesConsume()) {
                return false;
            }
        }
        return true;
    }

    /** The instances of the bindings in force now (those created so far), e.g. for {@code onCommit}. */
    public Collection<InstanceHandle> live() {
        return Collections.unmodifiableCollection(current.values());
    }

    /** The binding with this identity was replaced or deleted: retire its instance, if one exists. */
    public void bindingChanged(final BindingId id) {
        if (failures.remove(id) != null) {
            listener.cleared(id);
        }
        final InstanceHandle retired = current.remove(id);
        if (retired != null) {
            LOG.debug("retiring interceptor instance {}", id);
            retired.retire();
        }
    }

    /** The onError that applies to a binding: its own, or its plugin's default ({@code skip} for an unknown plugin). */
    public OnError onError(final Binding binding) {
        if (binding.onError() != null) {
            return binding.onError();
        }
        return plugins.find(binding.plugin()).map(InterceptorFactory::defaultOnError).orElse(OnError.SKIP);
    }

    /** Creates a registered instance; remembers a failure, and tells the listener when the state changes. */
    private InstanceHandle createRemembering(final Binding binding) {
        final Failure previous = failures.get(binding.id());
        final boolean failedBefore = previous != null && previous.binding().equals(binding);
        try {
            final InstanceHandle created = create(binding, false);
            if (failures.remove(binding.id()) != null && failedBefore) {
                LOG.info("interceptor '{}' ({}) is loadable again on this instance", binding.name(), binding.scope());
                listener.cleared(binding.id());
            }
            return created;
        } catch (final InstanceCreationException e) {
            failures.put(binding.id(), new Failure(binding, e, System.nanoTime() + RETRY_NANOS));
            if (!failedBefore || !previous.exception().getMessage().equals(e.getMessage())) {
                LOG.warn("interceptor '{}' ({}) is not loadable on this instance: {}; its records are handled by"
                    + " onError {} (tried again every {} s)", binding.name(), binding.scope(), e.getMessage(),
                    onError(binding).label(), RETRY_NANOS / 1_000_000_000L);
                listener.notLoadable(binding, e.getMessage());
            }
            throw e;
        }
    }

    /** Binding versions whose instance could not be created here (for metrics and tests): name → reason. */
    public Map<BindingId, String> creationFailures() {
        final Map<BindingId, String> reasons = new java.util.TreeMap<>(java.util.Comparator.comparing(BindingId::toString));
        failures.forEach((id, failure) -> reasons.put(id, failure.exception().getMessage()));
        return reasons;
    }

    private InstanceHandle create(final Binding binding, final boolean oneOff) {
        if (closed) {
            throw new InstanceCreationException("the application is shutting down");
        }
        final InterceptorFactory factory = plugins.find(binding.plugin()).orElseThrow(
            () -> new InstanceCreationException("plugin '" + binding.plugin() + "' is not on this instance's class path"));
        final BindingId id = binding.id();
        try {
            return new InstanceHandle(binding, factory.create(new InterceptorSetup(id.name(), id.scope().vcluster(),
                id.scope().group(), id.scope().username(), binding.config(), clockAndSeed, dataKeys,
                binding.parsedConfig())),
                onError(binding), errors, oneOff);
        } catch (final RuntimeException e) {
            // An IllegalArgumentException is the plugin's word on the instance's files ("keyFile: cannot read ..."):
            // its message is the reason. Anything else is named by its type too.
            throw new InstanceCreationException("plugin '" + binding.plugin() + "' could not create an instance: "
                + (e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage().lines().findFirst().orElse("")
                    : HookGuard.describe(e)));
        }
    }

    /** Retires every instance (each closes once its in-flight records are acknowledged). */
    @Override
    public void close() {
        closed = true;
        current.keySet().forEach(this::bindingChanged);
        failures.keySet().forEach(this::bindingChanged);
    }

    /**
     * An interceptor instance could not be created; handled like a failing {@code onSend}. Without a stack trace: it
     * is a user's problem (a missing key file), thrown again for every record until the next try.
     */
    public static final class InstanceCreationException extends RuntimeException {
        InstanceCreationException(final String message) {
            super(message, null, false, false);
        }
    }
}
