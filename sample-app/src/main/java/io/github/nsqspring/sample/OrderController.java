package io.github.nsqspring.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.core.NsqOperations;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes orders over HTTP and publishes them to the {@code orders} topic: one at a time (PUB), as a batch
 * (MPUB) or deferred (DPUB). Each call answers once nsqd has acknowledged the publish.
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

	static final String TOPIC = "orders";

	private final NsqOperations nsq;

	public OrderController(NsqOperations nsq) {
		this.nsq = nsq;
	}

	@PostMapping
	Map<String, Object> place(@RequestBody Order order) {
		this.nsq.send(TOPIC, order);
		return Map.of("published", 1);
	}

	@PostMapping("/batch")
	Map<String, Object> placeAll(@RequestBody List<Order> orders) {
		this.nsq.sendBatch(TOPIC, orders);
		return Map.of("published", orders.size());
	}

	/** Publishes an order that nsqd delivers after {@code delay} ({@code 500ms}, {@code 5s}, {@code PT1M}). */
	@PostMapping("/deferred")
	Map<String, Object> placeLater(@RequestBody Order order, @RequestParam String delay) {
		Duration duration = DurationStyle.detectAndParse(delay);
		this.nsq.sendDeferred(TOPIC, order, duration);
		return Map.of("published", 1, "deferredBy", duration.toString());
	}

}
