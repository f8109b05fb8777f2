package io.github.nsqspring.docs.snippets;

import io.github.nsqspring.annotation.NsqListener;

import org.springframework.stereotype.Component;

/** docs/cluster-scale.md. */
final class ClusterScaleSnippets {

	private ClusterScaleSnippets() {
	}

	// tag::few-rdy-listener[]
	@Component
	class Invoicing {

		// the payment provider takes 2 calls at a time; "orders" is published to every nsqd of the fleet
		@NsqListener(topic = "orders", channel = "invoicing", concurrency = "2", maxInFlight = "2")
		void onOrder(Order order) {
			System.out.println("invoice " + order.id());
		}

	}
	// end::few-rdy-listener[]

}
