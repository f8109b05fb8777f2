package io.github.nsqspring.sample;

/** A shipment, published by the shipping listener to the {@code shipments} topic. */
public record Shipment(String orderId, String customer) {
}
