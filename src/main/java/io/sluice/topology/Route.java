package io.sluice.topology;

import java.util.regex.Pattern;

import org.apache.kafka.common.internals.Topic;

/**
 * One entry of {@code routes}, as written and validated.
 *
 * <p><b>Topic or pattern.</b> An {@code ingress} made only of topic-name characters ({@code [a-zA-Z0-9._-]})
 * is one topic, and a {@code .} in it is a dot: {@code orders.in} never matches {@code ordersXin}. Any other
 * character makes it a Java regex that must match the whole topic name, e.g. {@code orders\..*} or
 * {@code tenant-(?<vcluster>[a-z0-9-]+)\.in}. Every regex metacharacter except {@code .} is outside the
 * topic-name alphabet, so this is the one rule that reads every valid topic name as that topic.
 *
 * @param ingress            a topic name, or a Java regex (see above)
 * @param egress             a topic name, or a template with {@code ${group}} placeholders, each naming a group
 *                           {@code (?<group>...)} of the ingress pattern
 * @param vcluster           the fixed vcluster of this route's records, or {@code null}
 * @param vclusterFromHeader whether the {@code sluice-vcluster} header gives the vcluster ({@code vclusterFrom: header})
 * @param identity           {@code identity: signed}: the key that must have signed the identity headers; {@code null}
 *                           when the route takes identity headers as they come
 */
public record Route(String ingress, String egress, String vcluster, boolean vclusterFromHeader,
                    IdentitySignature identity) {

    /** A route whose identity headers are not signed. */
    public Route(final String ingress, final String egress, final String vcluster, final boolean vclusterFromHeader) {
        this(ingress, egress, vcluster, vclusterFromHeader, null);
    }

    private static final Pattern TOPIC_CHARACTERS = Pattern.compile(Topic.LEGAL_CHARS + "*");

    /** The named group of an ingress pattern that gives the vcluster. */
    public static final String VCLUSTER_GROUP = "vcluster";

    /** Whether {@code ingress} is a regex rather than one topic; see the class comment. */
    public boolean isPattern() {
        return isPattern(ingress);
    }

    static boolean isPattern(final String ingress) {
        return !TOPIC_CHARACTERS.matcher(ingress).matches();
    }
}
