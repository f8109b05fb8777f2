package io.github.nsqspring.archive;

import java.util.regex.Pattern;

/**
 * Names the starter writes into SQL as they are (the archive table): plain identifiers only, a letter or
 * {@code _} followed by up to 62 letters, digits or {@code _}, so that they are valid unquoted in every
 * database and can never inject SQL.
 */
public final class SqlNames {

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

	private SqlNames() {
	}

	/**
	 * Returns the name when it is a plain SQL identifier.
	 * @throws IllegalArgumentException naming the value and the rule otherwise
	 */
	public static String requireValidIdentifier(String name) {
		if (name == null || !IDENTIFIER.matcher(name).matches()) {
			throw new IllegalArgumentException("'" + name + "' is not a plain SQL identifier: it must be a letter or _ "
					+ "followed by up to 62 letters, digits or _");
		}
		return name;
	}

}
