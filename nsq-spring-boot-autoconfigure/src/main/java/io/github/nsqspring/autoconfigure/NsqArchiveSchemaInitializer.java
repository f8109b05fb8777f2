package io.github.nsqspring.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.util.StreamUtils;

/**
 * Creates the archive table at startup with the script for the database's platform
 * ({@code io/github/nsqspring/archive/schema-<platform>.sql}, H2 and PostgreSQL), in the mode of
 * {@code nsq.archive.initialize-schema}, like Spring Boot's own SQL initialization. The scripts'
 * {@code @@table@@} placeholder is replaced by {@code nsq.archive.table-name}.
 */
class NsqArchiveSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	static final String SCHEMA_LOCATION = "classpath:io/github/nsqspring/archive/schema-@@platform@@.sql";

	private static final String TABLE_PLACEHOLDER = "@@table@@";

	private final String tableName;

	NsqArchiveSchemaInitializer(DataSource dataSource, NsqProperties.Archive archive) {
		super(dataSource, settings(dataSource, archive));
		this.tableName = archive.getTableName();
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, NsqProperties.Archive archive) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setSchemaLocations(new PlatformPlaceholderDatabaseDriverResolver().resolveAll(dataSource, SCHEMA_LOCATION));
		settings.setMode(DatabaseInitializationMode.valueOf(archive.getInitializeSchema().name()));
		return settings;
	}

	@Override
	protected void runScripts(Scripts scripts) {
		List<Resource> resolved = new ArrayList<>();
		Charset encoding = (scripts.getEncoding() != null) ? scripts.getEncoding() : StandardCharsets.UTF_8;
		for (Resource script : scripts) {
			resolved.add(withTableName(script, encoding));
		}
		super.runScripts(new Scripts(resolved).continueOnError(scripts.isContinueOnError())
			.separator(scripts.getSeparator())
			.encoding(encoding));
	}

	private Resource withTableName(Resource script, Charset encoding) {
		try {
			String sql = StreamUtils.copyToString(script.getInputStream(), encoding);
			return new ByteArrayResource(sql.replace(TABLE_PLACEHOLDER, this.tableName).getBytes(encoding),
					script.getDescription());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the archive schema script " + script, ex);
		}
	}

}
