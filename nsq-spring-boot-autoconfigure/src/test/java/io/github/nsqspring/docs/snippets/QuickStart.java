package io.github.nsqspring.docs.snippets;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqOperations;

import org.springframework.stereotype.Component;

/** README's quick start. */
final class QuickStart {

	private QuickStart() {
	}

	// tag::quick-start[]
	@Component
	class Orders {

		private final NsqOperations nsq;

		Orders(NsqOperations nsq) {
			this.nsq = nsq;
		}

		void place(Order order) {
			this.nsq.send("orders", order);         // PUB as JSON; returns after nsqd's OK
		}

		@NsqListener(topic = "orders", channel = "billing", concurrency = "4")
		void bill(Order order) {                    // return = FIN, exception = REQ with backoff
			System.out.println("billing " + order.id());
		}

	}
	// end::quick-start[]

}
