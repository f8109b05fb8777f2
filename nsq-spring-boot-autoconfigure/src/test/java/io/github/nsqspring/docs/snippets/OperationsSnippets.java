package io.github.nsqspring.docs.snippets;

import io.github.nsqspring.annotation.NsqListener;

import org.springframework.stereotype.Component;

/** docs/operations.md. */
final class OperationsSnippets {

	private OperationsSnippets() {
	}

	// tag::backlog-listener[]
	@Component
	class Billing {

		@NsqListener(id = "billing-orders", topic = "orders")
		void onOrder(Order order) {
			System.out.println("billing " + order.id());
		}

	}
	// end::backlog-listener[]

}
