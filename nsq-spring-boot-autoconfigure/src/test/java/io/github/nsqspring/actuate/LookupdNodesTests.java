package io.github.nsqspring.actuate;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Reading nsqlookupd's {@code /nodes} answer. */
class LookupdNodesTests {

	private static final String NODES = """
			{"producers":[
			 {"broadcast_address":"10.0.0.1","tcp_port":4150,"http_port":4151,"tombstones":[false,true],"topics":["orders","old"]},
			 {"broadcast_address":"::1","tcp_port":5150,"http_port":5151,"tombstones":[false],"topics":["payments"]},
			 {"broadcast_address":"nsqd-3","tcp_port":4150,"http_port":4151,"tombstones":[],"topics":[]}]}
			""";

	@Test
	void nsqdHoldingTheTopicsByHttpAddressLeavingTombstonedTopicsOut() {
		LookupdNodes nodes = LookupdNodes.parse(NODES);
		assertThat(nodes.httpAddressesHolding(List.of("orders"))).containsExactly("10.0.0.1:4151");
		assertThat(nodes.httpAddressesHolding(List.of("old"))).isEmpty();
		assertThat(nodes.httpAddressesHolding(List.of("orders", "payments"))).containsExactly("10.0.0.1:4151", "[::1]:5151");
		assertThat(nodes.httpAddressesHolding(List.of())).isEmpty();
	}

	@Test
	void httpAddressOfEachNsqdByTheTcpAddressConsumersConnectTo() {
		assertThat(LookupdNodes.parse(NODES).httpAddressesByTcpAddress()).containsOnly(entry("10.0.0.1:4150", "10.0.0.1:4151"),
				entry("[::1]:5150", "[::1]:5151"), entry("nsqd-3:4150", "nsqd-3:4151"));
	}

	@Test
	void readsTheOlderFormatWrappedInData() {
		assertThat(LookupdNodes.parse("{\"status_code\":200,\"data\":" + NODES + "}").httpAddressesHolding(List.of("payments")))
			.containsExactly("[::1]:5151");
	}

}
