package io.github.nsqspring.docs.snippets;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.nsqspring.annotation.AckMode;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqListenerContainerFactoryConfigurer;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.support.NsqHeaders;
import jakarta.validation.Valid;

import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;

/** docs/listeners.md. */
final class ListenerSnippets {

	private ListenerSnippets() {
	}

	// tag::listeners[]
	@Component
	class OrderListeners {

		@NsqListener(topic = "orders", channel = "billing", concurrency = "4")
		void onOrder(Order order) {                        // JSON body -> Order; return = FIN, exception = REQ with backoff
			System.out.println("billing " + order.id());
		}

		@NsqListener(topic = "${app.audit-topic}", ackMode = AckMode.MANUAL)
		void raw(NsqMessage message) {                      // id, attempts, timestamp, body, topic, channel
			if (message.attempts() > 3) {
				message.requeue(Duration.ofSeconds(5));     // or touch() to keep it while working on it
				return;
			}
			message.finish();
		}

	}
	// end::listeners[]

	record Quote(String symbol, long price) {

	}

	record QuoteRequest(String symbol) {

	}

	static class Messaging {

		// tag::messaging[]
		@NsqListener(topic = "orders")
		void onOrder(@Payload @Valid Order order, @Header(NsqHeaders.ATTEMPTS) int attempts) {
			System.out.println(order.id() + ", attempt " + attempts);
		}

		@NsqListener(topic = "orders-audit")
		void audit(Message<Order> message) {
			System.out.println(message.getHeaders().get(NsqHeaders.ID) + ": " + message.getPayload());
		}

		@NsqListener(topic = "quotes")
		@SendTo("quote-replies")
		CompletableFuture<Quote> quote(QuoteRequest request) {   // FIN once the future completes and the reply is on nsqd
			return CompletableFuture.supplyAsync(() -> new Quote(request.symbol(), 42));
		}
		// end::messaging[]

	}

	static class Factories {

		// tag::container-factory[]
		@Bean
		NsqListenerContainerFactory bulkFactory(NsqListenerContainerFactoryConfigurer configurer) {
			NsqListenerContainerFactory factory = new NsqListenerContainerFactory();
			configurer.configure(factory);              // connection details, nsq.consumer.*, dead letters, metrics
			factory.addContainerDefaults((properties) -> properties.setMaxInFlight(50));   // before the listener's own settings
			return factory;
		}
		// end::container-factory[]

	}

}
