package io.github.nsqspring.support;

/**
 * NSQ's rules for topic and channel names: 1 to 64 characters of {@code [.a-zA-Z0-9_-]}, optionally
 * ending in {@code #ephemeral} (within the 64).
 */
public final class NsqNames {

	private static final String EPHEMERAL = "#ephemeral";

	private static final int MAX_LENGTH = 64;

	private NsqNames() {
	}

	public static boolean isValid(String name) {
		if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
			return false;
		}
		// a loop, not a regular expression: the template checks the topic of every publish
		int end = name.endsWith(EPHEMERAL) ? name.length() - EPHEMERAL.length() : name.length();
		if (end == 0) {
			return false;
		}
		for (int i = 0; i < end; i++) {
			if (!isNameChar(name.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isNameChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
	}

	/**
	 * Returns the topic when it is valid.
	 * @throws IllegalArgumentException naming the topic and the rule otherwise
	 */
	public static String requireValidTopic(String topic) {
		return requireValid("topic", topic);
	}

	/**
	 * Returns the channel when it is valid.
	 * @throws IllegalArgumentException naming the channel and the rule otherwise
	 */
	public static String requireValidChannel(String channel) {
		return requireValid("channel", channel);
	}

	/** NSQ's naming rule, for error messages. */
	public static String describeRule() {
		return "it must be 1 to " + MAX_LENGTH + " characters of [.a-zA-Z0-9_-], optionally ending in #ephemeral";
	}

	private static String requireValid(String kind, String name) {
		if (!isValid(name)) {
			throw new IllegalArgumentException("Invalid NSQ " + kind + " name '" + name + "': " + describeRule());
		}
		return name;
	}

}
