package io.github.nsqspring.docs.snippets;

/** The payload of the examples. */
record Order(String id, String customer, long amount) {

}
