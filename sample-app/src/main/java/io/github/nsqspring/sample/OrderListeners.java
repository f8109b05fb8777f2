package io.github.nsqspring.sample;

import io.github.nsqspring.annotation.AckMode;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Three consumers of the {@code orders} topic, each on its own channel, so each gets every order:
 * billing (two threads, takes a while), shipping (acknowledges manually and publishes onward to
 * {@code shipments}) and audit (rejects suspicious amounts: retried, then dead-lettered to
 * {@code orders.dead}). A fourth listener consumes {@code shipments}.
 */
@Component
public class OrderListeners {

	static final String SHIPMENTS = "shipments";

	private static final Logger logger = LoggerFactory.getLogger(OrderListeners.class);

	private final NsqOperations nsq;

	public OrderListeners(NsqOperations nsq) {
		this.nsq = nsq;
	}

	@NsqListener(id = "billing", topic = "orders", channel = "billing", concurrency = "2", maxInFlight = "6")
	void bill(Order order) throws InterruptedException {
		logger.info("billing   {} for {}: {} EUR", order.id(), order.customer(), order.amount());
		Thread.sleep(700);
	}

	@NsqListener(id = "shipping", topic = "orders", channel = "shipping", ackMode = AckMode.MANUAL)
	void ship(Order order, NsqMessage message) {
		logger.info("shipping  {} (attempt {})", order.id(), message.attempts());
		this.nsq.send(SHIPMENTS, new Shipment(order.id(), order.customer()));
		message.finish();
	}

	@NsqListener(id = "audit", topic = "orders", channel = "audit", maxAttempts = "2")
	void audit(Order order) {
		if (order.amount() > 10_000) {
			throw new IllegalArgumentException("suspicious amount " + order.amount() + " on " + order.id());
		}
		logger.info("audited   {}", order.id());
	}

	@NsqListener(id = "tracking", topic = SHIPMENTS, channel = "tracking", concurrency = "4")
	void track(Shipment shipment) {
		logger.info("tracking  shipment of {} to {}", shipment.orderId(), shipment.customer());
	}

	@NsqListener(id = "dead-orders", topic = "orders.dead", channel = "ops")
	void deadOrder(String body) {
		logger.warn("dead letter for ops: {}", body);
	}

}
