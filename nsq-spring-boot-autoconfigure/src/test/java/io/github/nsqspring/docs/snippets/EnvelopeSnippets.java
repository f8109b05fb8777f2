package io.github.nsqspring.docs.snippets;

import java.time.Duration;
import java.util.Map;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqOperations;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;

/** docs/envelope.md. */
final class EnvelopeSnippets {

	private EnvelopeSnippets() {
	}

	static void produce(NsqOperations template, Order order) {
		// tag::envelope-producer[]
		template.send("orders", MessageBuilder.withPayload(order).setHeader("tenant", "acme").build());
		template.sendDeferred("orders", order, Duration.ofMinutes(5));   // adds nsq-not-before
		// end::envelope-producer[]
	}

	class Consumer {

		// tag::envelope-consumer[]
		@NsqListener(topic = "orders")
		void onOrder(Order order, @Header("tenant") String tenant, NsqMessage message) {
			Map<String, String> headers = message.headers();   // tenant, content-type, traceparent, ...
		}
		// end::envelope-consumer[]

	}

}
