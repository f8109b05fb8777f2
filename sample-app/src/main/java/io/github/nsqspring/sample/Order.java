package io.github.nsqspring.sample;

/** An order as it travels through the {@code orders} topic, as JSON. */
public record Order(String id, String customer, int amount) {
}
