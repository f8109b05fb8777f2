package io.github.nsqspring.docs.snippets;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.nsqspring.core.NsqOperations;

/** docs/template.md. */
final class TemplateSnippets {

	private TemplateSnippets() {
	}

	static void publish(NsqOperations template, Order order, Order a, Order b, Order c) {
		// tag::template[]
		template.send("orders", order);                                   // PUB, returns after nsqd's OK
		CompletableFuture<Void> sent = template.sendAsync("orders", order); // completes after nsqd's OK
		template.sendBatch("orders", List.of(a, b, c));                   // MPUB: all or nothing
		template.sendDeferred("orders", order, Duration.ofSeconds(30));   // DPUB (nsqd keeps it in memory only)
		template.sendBatchAsync("orders", List.of(a, b));                 // and sendDeferredAsync(...)
		// end::template[]
		sent.join();
	}

}
