package io.sluice.bindings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.ConfigField;
import io.sluice.spi.InterceptorFactory;

/**
 * Which values of a plugin config are secret, so that what Sluice prints of a binding ({@code bindings diff},
 * {@code bindings list}) never shows them: the fields a plugin declares {@link ConfigField#secret()}, and any field
 * whose name says it holds a secret ({@code password}, {@code token}, {@code key}, {@code salt}, {@code x-api-key},
 * {@code authorization}, ...), at any depth. A secret field's whole value, an object included, shows as
 * {@value #REDACTED}. Names that only point at a secret ({@code keyFile}, {@code saltEnv}, {@code keyId}) are not
 * secret: they are how bindings keep secrets out of the config topic.
 */
public final class Redaction {

    public static final String REDACTED = "<redacted>";

    /** Field names (lower case, letters and digits only) that hold a secret. */
    private static final Set<String> NAMES = Set.of("key", "salt", "password", "passwd", "passphrase", "secret",
        "token", "credential", "credentials", "authorization", "cookie", "apikey", "privatekey", "secretkey",
        "accesskey", "clientsecret", "accesstoken", "bearertoken", "refreshtoken", "sessiontoken");
    /** Endings of such names: {@code dbPassword}, {@code x-auth-token}, {@code x-api-key}. */
    private static final List<String> ENDINGS = List.of("password", "passwd", "passphrase", "secret", "token",
        "apikey", "privatekey", "secretkey", "accesskey", "credentials");

    private final PluginRegistry plugins;

    public Redaction(final PluginRegistry plugins) {
        this.plugins = plugins;
    }

    /**
     * Whether the value at {@code path} (the object keys from the config's root, array positions left out) of a
     * config of {@code plugin} is secret.
     */
    public boolean isSecret(final String plugin, final List<String> path) {
        if (path.stream().anyMatch(Redaction::soundsSecret)) {
            return true;
        }
        final String dotted = String.join(".", path);
        return plugins.find(plugin).map(InterceptorFactory::configFields).orElse(List.of()).stream()
            .filter(ConfigField::secret)
            .anyMatch(field -> dotted.equals(field.name()) || dotted.startsWith(field.name() + "."));
    }

    /** A copy of a binding's config with every secret value replaced by {@value #REDACTED}. */
    public JsonNode redact(final String plugin, final JsonNode config) {
        return redact(plugin, config.deepCopy(), new ArrayList<>());
    }

    private JsonNode redact(final String plugin, final JsonNode node, final List<String> path) {
        if (node instanceof ObjectNode object) {
            for (final Map.Entry<String, JsonNode> field : object.properties()) {
                path.add(field.getKey());
                field.setValue(isSecret(plugin, path) ? TextNode.valueOf(REDACTED) : redact(plugin, field.getValue(), path));
                path.remove(path.size() - 1);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redact(plugin, array.get(i), path));
            }
        }
        return node;
    }

    /** A binding whose config is redacted: for printing, never for publishing. */
    public Binding redact(final Binding binding) {
        return new Binding(binding.id(), binding.plugin(), binding.priority(), binding.topics(), binding.onError(),
            redact(binding.plugin(), binding.config()));
    }

    private static boolean soundsSecret(final String name) {
        final String plain = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return NAMES.contains(plain) || ENDINGS.stream().anyMatch(plain::endsWith);
    }
}
