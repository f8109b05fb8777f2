package io.github.nsqspring.archive;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.nsqspring.core.NsqEnvelope;
import io.github.nsqspring.core.NsqMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The archive table, written and read through a {@link JdbcTemplate}. Rows are unique on
 * {@code (topic, nsq_id)}: inserting a message that is already there does nothing, so a redelivery never
 * duplicates a row. NSQ timestamps are stored as nanoseconds since the epoch ({@code BIGINT}), so rows
 * sort exactly as nsqd stamped them. The {@code body} is the payload; the headers of a message's NSQE envelope
 * are in the nullable {@code headers} column, written as an envelope with an empty payload.
 */
public class ArchiveTable {

	private static final String COLUMNS = "id, nsq_id, topic, channel, nsq_timestamp, attempts, body, received_at";

	private static final Log logger = LogFactory.getLog(ArchiveTable.class);

	private static final byte[] NO_PAYLOAD = {};

	private final JdbcTemplate jdbcTemplate;

	private final TransactionTemplate transactionTemplate;

	private final String tableName;

	private final Sql withHeaders;

	private final Sql withoutHeaders;

	private final String countSql;

	private final String purgeSql;

	private volatile @Nullable Boolean postgres;

	private volatile @Nullable Boolean headersColumn;

	/**
	 * @param dataSource the application's database
	 * @param tableName the table (a plain SQL identifier; it is written into the SQL as is)
	 */
	public ArchiveTable(DataSource dataSource, String tableName) {
		SqlNames.requireValidIdentifier(tableName);
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.transactionTemplate = new TransactionTemplate(new JdbcTransactionManager(dataSource));
		this.tableName = tableName;
		this.withHeaders = new Sql(tableName, ", headers");
		this.withoutHeaders = new Sql(tableName, "");
		String window = " WHERE topic = ? AND nsq_timestamp >= ? AND nsq_timestamp < ?";
		this.countSql = "SELECT COUNT(*) FROM " + tableName + window;
		this.purgeSql = "DELETE FROM " + tableName + " WHERE topic = ? AND nsq_timestamp < ?";
	}

	public String getTableName() {
		return this.tableName;
	}

	/**
	 * Inserts the messages that are not archived yet, in one transaction; returns once it is committed. A
	 * message listed twice (redelivered while its batch waited) is inserted once.
	 */
	void insert(List<ReceivedMessage> messages) {
		Map<List<String>, ReceivedMessage> distinct = new LinkedHashMap<>();
		for (ReceivedMessage received : messages) {
			distinct.putIfAbsent(List.of(received.message().topic(), received.message().id()), received);
		}
		boolean onConflict = isPostgres();
		boolean headersColumn = hasHeadersColumn();
		Sql statements = headersColumn ? this.withHeaders : this.withoutHeaders;
		String sql = onConflict ? statements.postgresInsert : statements.portableInsert;
		this.transactionTemplate.executeWithoutResult((status) -> this.jdbcTemplate.batchUpdate(sql,
				distinct.values(), distinct.size(), (statement, received) -> {
					NsqMessage message = received.message();
					statement.setString(1, message.id());
					statement.setString(2, message.topic());
					statement.setString(3, message.channel());
					statement.setLong(4, epochNanos(message.timestamp()));
					statement.setInt(5, message.attempts());
					statement.setBytes(6, message.body());
					statement.setObject(7, OffsetDateTime.ofInstant(received.receivedAt(), ZoneOffset.UTC));
					int next = 8;
					if (headersColumn) {
						Map<String, String> headers = message.headers();
						statement.setBytes(next++, headers.isEmpty() ? null : NsqEnvelope.encode(headers, NO_PAYLOAD));
					}
					if (!onConflict) {
						statement.setString(next++, message.topic());
						statement.setString(next, message.id());
					}
				}));
	}

	/**
	 * PostgreSQL gets {@code ON CONFLICT DO NOTHING}: there the portable {@code NOT EXISTS} form slows
	 * down as the table grows (see the README's benchmarks).
	 */
	private boolean isPostgres() {
		Boolean result = this.postgres;
		if (result == null) {
			String product = this.jdbcTemplate
				.execute((ConnectionCallback<String>) (connection) -> connection.getMetaData().getDatabaseProductName());
			result = "PostgreSQL".equals(product);
			this.postgres = result;
		}
		return result;
	}

	/**
	 * Whether the table has the {@code headers} column. A table created before it existed, and not migrated
	 * (see docs/envelope.md), is still written and read, without headers; one WARN says so.
	 */
	private boolean hasHeadersColumn() {
		Boolean result = this.headersColumn;
		if (result == null) {
			try {
				this.jdbcTemplate.queryForList("SELECT headers FROM " + this.tableName + " WHERE 1 = 0");
				result = true;
			}
			catch (BadSqlGrammarException ex) {
				// no such column (a database that cannot be reached throws another exception, and is asked again)
				result = false;
				logger.warn("Archive table " + this.tableName + " has no headers column: envelope headers are not archived "
						+ "and replays go without them. Add it: ALTER TABLE " + this.tableName
						+ " ADD COLUMN headers BYTEA (VARBINARY on H2)");
			}
			this.headersColumn = result;
		}
		return result;
	}

	/**
	 * Up to {@code size} messages of the topic with a timestamp in {@code [from, to)}, in timestamp order,
	 * starting after {@code after} (null: from the first).
	 */
	List<ArchivedMessage> page(String topic, Instant from, Instant to, @Nullable ArchivedMessage after, int size) {
		long afterTimestamp = (after != null) ? epochNanos(after.timestamp()) : Long.MIN_VALUE;
		long afterId = (after != null) ? after.archiveId() : Long.MIN_VALUE;
		boolean headers = hasHeadersColumn();
		return this.jdbcTemplate.query((headers ? this.withHeaders : this.withoutHeaders).page,
				(rs, row) -> archivedMessage(rs, headers), topic, epochNanos(from), epochNanos(to),
				afterTimestamp, afterTimestamp, afterId, size);
	}

	long count(String topic, Instant from, Instant to) {
		Long count = this.jdbcTemplate.queryForObject(this.countSql, Long.class, topic, epochNanos(from), epochNanos(to));
		return (count != null) ? count : 0;
	}

	long purge(String topic, Instant before) {
		return this.jdbcTemplate.update(this.purgeSql, topic, epochNanos(before));
	}

	private static ArchivedMessage archivedMessage(ResultSet rs, boolean headersColumn) throws SQLException {
		long nanos = rs.getLong("nsq_timestamp");
		byte[] headers = headersColumn ? rs.getBytes("headers") : null;
		return new ArchivedMessage(rs.getLong("id"), rs.getString("nsq_id"), rs.getString("topic"), rs.getString("channel"),
				Instant.ofEpochSecond(0, nanos), rs.getInt("attempts"), rs.getBytes("body"),
				rs.getObject("received_at", OffsetDateTime.class).toInstant(),
				(headers != null) ? NsqEnvelope.decode(headers).headers() : Map.of());
	}

	/** The SQL of a table with or without the headers column. */
	private static final class Sql {

		private final String postgresInsert;

		private final String portableInsert;

		private final String page;

		Sql(String tableName, String headers) {
			String insert = "INSERT INTO " + tableName + " (nsq_id, topic, channel, nsq_timestamp, attempts, body, received_at"
					+ headers + ") ";
			String values = "?, ?, ?, ?, ?, ?, ?" + (headers.isEmpty() ? "" : ", ?");
			this.postgresInsert = insert + "VALUES (" + values + ") ON CONFLICT (topic, nsq_id) DO NOTHING";
			this.portableInsert = insert + "SELECT " + values + " WHERE NOT EXISTS (SELECT 1 FROM " + tableName
					+ " WHERE topic = ? AND nsq_id = ?)";
			this.page = "SELECT " + COLUMNS + headers + " FROM " + tableName
					+ " WHERE topic = ? AND nsq_timestamp >= ? AND nsq_timestamp < ?"
					+ " AND (nsq_timestamp > ? OR (nsq_timestamp = ? AND id > ?)) ORDER BY nsq_timestamp, id LIMIT ?";
		}

	}

	/** Nanoseconds since the epoch, saturated at the range of a long (years 1677 to 2262). */
	static long epochNanos(Instant instant) {
		try {
			return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
		}
		catch (ArithmeticException ex) {
			return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
	}

}
