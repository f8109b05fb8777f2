package io.github.nsqspring.sample;

import io.github.nsqspring.annotation.AckMode;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Three consumers of the {@code orders} topic, each on its own channel, so each gets every order:
 * billing (two threads, takes a while), shipping (acknowledges manually) and audit (rejects suspicious
 * amounts, which are retried and then dead-lettered).
 */
@Component
public class OrderListeners {

	private static final Logger logger = LoggerFactory.getLogger(OrderListeners.class);

	@NsqListener(id = "billing", topic = "orders", channel = "billing", concurrency = "2", maxInFlight = "6")
	void bill(Order order) throws InterruptedException {
		logger.info("billing   {} for {}: {} EUR", order.id(), order.customer(), order.amount());
		Thread.sleep(700);
	}

	@NsqListener(id = "shipping", topic = "orders", channel = "shipping", ackMode = AckMode.MANUAL)
	void ship(Order order, NsqMessage message) {
		logger.info("shipping  {} (attempt {})", order.id(), message.attempts());
		message.finish();
	}

	@NsqListener(id = "audit", topic = "orders", channel = "audit", maxAttempts = "2")
	void audit(Order order, NsqMessage message) {
		if (order.amount() > 10_000) {
			throw new IllegalArgumentException("suspicious amount " + order.amount() + " on " + order.id());
		}
		logger.info("audited   {}", order.id());
	}

}
