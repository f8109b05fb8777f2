package io.github.nsqspring.support;

import java.util.regex.Pattern;

/**
 * NSQ's rules for topic and channel names: 1 to 64 characters of {@code [.a-zA-Z0-9_-]}, optionally
 * ending in {@code #ephemeral} (within the 64).
 */
public final class NsqNames {

	private static final Pattern NAME = Pattern.compile("^[.a-zA-Z0-9_-]+(#ephemeral)?$");

	private static final int MAX_LENGTH = 64;

	private NsqNames() {
	}

	public static boolean isValid(String name) {
		return name != null && !name.isEmpty() && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
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
