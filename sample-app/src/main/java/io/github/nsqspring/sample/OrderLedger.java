package io.github.nsqspring.sample;

import java.util.List;

import io.github.nsqspring.annotation.NsqListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A batch listener: the {@code ledger} channel of {@code orders} takes up to 100 orders at a time (or what
 * came within 100 ms) and writes them to the {@code order_ledger} table in one JDBC batch statement. When
 * the insert fails, every order of the batch is retried by its own attempts; when it returns, all are
 * finished.
 */
@Component
public class OrderLedger {

	static final String INSERT = "insert into order_ledger (id, customer, amount) values (?, ?, ?)";

	private static final Logger logger = LoggerFactory.getLogger(OrderLedger.class);

	private final JdbcTemplate jdbc;

	public OrderLedger(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		jdbc.execute("create table if not exists order_ledger (id varchar(64) not null, customer varchar(200) not null, "
				+ "amount integer not null)");
	}

	@NsqListener(id = "ledger", topic = "orders", channel = "ledger", batch = "true")
	void record(List<Order> orders) {
		this.jdbc.batchUpdate(INSERT, orders, orders.size(), (statement, order) -> {
			statement.setString(1, order.id());
			statement.setString(2, order.customer());
			statement.setInt(3, order.amount());
		});
		logger.info("ledger    {} order(s) in one statement", orders.size());
	}

}
