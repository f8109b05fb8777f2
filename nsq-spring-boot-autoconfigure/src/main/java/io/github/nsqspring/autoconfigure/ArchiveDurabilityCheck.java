package io.github.nsqspring.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;

/**
 * Warns once at startup when the archive's database does not make a commit durable, so that nsqd may
 * have finished messages whose rows a crash then loses: an embedded in-memory database, or H2 (file or
 * server mode) with a {@code WRITE_DELAY} other than 0 (H2 acknowledges a commit and writes it to its
 * file up to that many milliseconds later; 500 by default).
 */
class ArchiveDurabilityCheck implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ArchiveDurabilityCheck.class);

	private static final String H2_WRITE_DELAY = "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'";

	private final DataSource dataSource;

	ArchiveDurabilityCheck(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public void afterSingletonsInstantiated() {
		String risk = risk();
		if (risk != null) {
			logger.warn("The NSQ archive (nsq.archive.topics) writes into " + risk + ": nsqd finishes a message once its "
					+ "batch has committed, so a crash loses archived messages. Archive into a database that makes each "
					+ "commit durable, such as PostgreSQL, or at least give H2 in file mode WRITE_DELAY=0 on its JDBC URL (it then "
					+ "survives a crash of the application, not of the machine).");
		}
	}

	private @Nullable String risk() {
		if (EmbeddedDatabaseConnection.isEmbedded(this.dataSource)) {
			return "an embedded in-memory database";
		}
		try (Connection connection = this.dataSource.getConnection()) {
			if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
				return null;
			}
			try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(H2_WRITE_DELAY)) {
				String delay = result.next() ? result.getString(1).trim() : "0";
				return "0".equals(delay) ? null
						: "H2 with WRITE_DELAY " + delay + " ms, which acknowledges a commit before it is written to its file";
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not check the durability of the NSQ archive's database", ex);
			return null;
		}
	}

}
