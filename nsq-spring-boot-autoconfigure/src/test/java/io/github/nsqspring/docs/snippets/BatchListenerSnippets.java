package io.github.nsqspring.docs.snippets;

import java.util.List;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.listener.NsqBatchListenerFailedException;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** docs/batch-listeners.md. */
final class BatchListenerSnippets {

	private BatchListenerSnippets() {
	}

	// tag::batch-listener[]
	@Component
	class OrderLedger {

		private final JdbcTemplate jdbc;

		OrderLedger(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@NsqListener(topic = "orders", channel = "ledger", batch = "true", batchMaxSize = "100", batchMaxWait = "100ms")
		void record(List<Order> orders) {                 // up to 100 orders, or what came within 100 ms
			this.jdbc.batchUpdate("insert into order_ledger (id, customer, amount) values (?, ?, ?)", orders, orders.size(),
					(statement, order) -> {
						statement.setString(1, order.id());
						statement.setString(2, order.customer());
						statement.setLong(3, order.amount());
					});
		}                                                 // return = FIN all; exception = each retried by its own attempts

	}
	// end::batch-listener[]

	// tag::batch-failed[]
	@Component
	class SearchIndexer {

		@NsqListener(topic = "documents", batch = "true")
		void index(List<Order> documents) {
			for (int i = 0; i < documents.size(); i++) {
				try {
					send(documents.get(i));
				}
				catch (RuntimeException ex) {
					// FIN 0..i-1, retry or dead-letter i, requeue i+1.. at once without counting a failure
					throw new NsqBatchListenerFailedException(i, ex);
				}
			}
		}

		void send(Order document) {
		}

	}
	// end::batch-failed[]

}
