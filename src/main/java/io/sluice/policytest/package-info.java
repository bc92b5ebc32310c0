/**
 * Policy tests ({@code sluice test}): {@code kind: InterceptorTest} resources, each a list of cases — a record as a
 * client would write it, and what must become of it — run offline through Sluice's own topology
 * ({@link io.sluice.topology.SluiceTopology} under Kafka Streams' {@code TopologyTestDriver}), with the bindings
 * published to its config topic as {@code bindings apply} publishes them. A passing case means the same bindings
 * do the same to the same record under {@code sluice run}.
 */
package io.sluice.policytest;
