package io.sluice.runtime;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingResources;
import io.sluice.chain.InterceptorInstances;
import io.sluice.common.Json;

/**
 * Which bindings an instance cannot load (an interceptor it cannot create, e.g. a key file missing on that machine),
 * told to {@code bindings list} through a small compacted topic beside the config topic, {@code <config topic>-status}:
 * one record per instance and binding, keyed by both, written when the creation fails and deleted (a tombstone) when
 * it no longer does — created after all, binding replaced or deleted, instance stopped cleanly. A record names the
 * binding version it is about (a fingerprint of the binding as {@code bindings list} prints it), so a report on an
 * older version never shows against a newer one; a crashed instance's report stays until the binding changes, with
 * its time.
 */
public final class BindingLoadStatus implements InterceptorInstances.CreationListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BindingLoadStatus.class);

    /**
     * One instance's report on one binding.
     *
     * @param instance    the instance ({@code host:pid})
     * @param id          the binding
     * @param fingerprint the binding version it is about ({@link #fingerprint})
     * @param reason      why it cannot be loaded there
     * @param time        when it was reported (epoch ms)
     */
    public record Report(String instance, BindingId id, String fingerprint, String reason, long time) {
    }

    private final String topic;
    private final String instance;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Sends happen here, not on the stream thread that failed to create an instance (a send may wait for metadata). */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "sluice-binding-status");
        thread.setDaemon(true);
        return thread;
    });

    BindingLoadStatus(final Admin admin, final Properties client, final String configTopic) {
        this.topic = topicFor(configTopic);
        this.instance = instanceName();
        createTopic(admin, topic);
        final Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The status topic of a config topic. */
    public static String topicFor(final String configTopic) {
        return configTopic + "-status";
    }

    @Override
    public void notLoadable(final Binding binding, final String reason) {
        final ObjectNode value = Json.object().put("instance", instance);
        value.set("binding", idJson(binding.id()));
        value.put("fingerprint", fingerprint(binding)).put("loadable", false).put("reason", reason)
            .put("time", System.currentTimeMillis());
        send(key(binding.id()), Json.line(value).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void cleared(final BindingId id) {
        send(key(id), null);
    }

    private void send(final byte[] key, final byte[] value) {
        sender.execute(() -> producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                LOG.warn("could not report a binding's load status to '{}': {}", topic, error.toString());
            }
        }));
    }

    private byte[] key(final BindingId id) {
        final ObjectNode key = Json.object().put("instance", instance);
        key.set("binding", idJson(id));
        return Json.line(key).getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode idJson(final BindingId id) {
        final ObjectNode node = Json.object().put("name", id.name());
        node.put("vcluster", id.scope().vcluster()).put("group", id.scope().group())
            .put("username", id.scope().username());
        return node;
    }

    /** Decodes a report; {@code null} for a record that is not one (never fails: the topic is not ours alone). */
    public static Report decode(final byte[] value) {
        try {
            final JsonNode node = Json.MAPPER.readTree(value);
            final JsonNode binding = node.get("binding");
            final BindingId id = new BindingId(binding.get("name").textValue(), new io.sluice.bindings.BindingScope(
                text(binding, "vcluster"), text(binding, "group"), text(binding, "username")));
            return new Report(node.get("instance").textValue(), id, node.get("fingerprint").textValue(),
                node.get("reason").textValue(), node.get("time").longValue());
        } catch (final java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.textValue();
    }

    /** A binding version's fingerprint: of the binding as {@code bindings list -o json} prints it. */
    public static String fingerprint(final Binding binding) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(Json.line(BindingResources.toResource(binding)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (final java.io.IOException | SecurityException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    private static void createTopic(final Admin admin, final String topic) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("could not create the binding status topic '{}': {}", topic, e.getCause().toString());
            }
        } catch (final java.util.concurrent.TimeoutException e) {
            LOG.warn("could not create the binding status topic '{}' in 30 s", topic);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends what is queued (the tombstones of a clean stop included), then closes. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
