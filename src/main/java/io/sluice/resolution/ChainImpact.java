package io.sluice.resolution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingDiff;

/**
 * Which contexts a change to the bindings affects: each context resolved under the bindings before and after, and
 * kept when its chain would run differently. A chain runs differently when its interceptors, their order, or what
 * any of them is (plugin, priority, onError, config) differs. The {@code topics} regex itself is not compared: it was
 * applied when resolving, so a changed regex counts exactly for the contexts whose chain it changes.
 */
public final class ChainImpact {

    /** Most records first, then the context's fields: the contexts that matter most come first. */
    public static final Comparator<Affected> ORDER = Comparator.comparingLong(Affected::records).reversed()
        .thenComparing(affected -> affected.context().vcluster())
        .thenComparing(affected -> affected.context().username(), Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(affected -> String.join(",", affected.context().groups()))
        .thenComparing(affected -> affected.context().topic(), Comparator.nullsFirst(Comparator.naturalOrder()));

    /** A context whose chain changes, with the number of records seen for it. */
    public record Affected(Context context, long records, Chain before, Chain after) {
    }

    private ChainImpact() {
    }

    /**
     * The contexts whose chain changes, in {@link #ORDER}.
     *
     * @param records the records seen per context
     */
    public static List<Affected> affected(final Map<Context, Long> records, final Resolver before, final Resolver after) {
        final List<Affected> affected = new ArrayList<>();
        records.forEach((context, count) -> {
            final Chain old = before.resolve(context);
            final Chain now = after.resolve(context);
            if (!sameChain(old, now)) {
                affected.add(new Affected(context, count, old, now));
            }
        });
        affected.sort(ORDER);
        return affected;
    }

    /** Whether two chains run the same interceptors in the same order, each the same binding version. */
    public static boolean sameChain(final Chain left, final Chain right) {
        final List<Binding> one = left.interceptors();
        final List<Binding> other = right.interceptors();
        if (one.size() != other.size()) {
            return false;
        }
        for (int i = 0; i < one.size(); i++) {
            if (!sameRun(one.get(i), other.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The same interceptor, run the same way. */
    public static boolean sameRun(final Binding left, final Binding right) {
        return left.id().equals(right.id()) && left.plugin().equals(right.plugin()) && left.priority() == right.priority()
            && Objects.equals(left.onError(), right.onError()) && BindingDiff.sameConfig(left.config(), right.config());
    }
}
