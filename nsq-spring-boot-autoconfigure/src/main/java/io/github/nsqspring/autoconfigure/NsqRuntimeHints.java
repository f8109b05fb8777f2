package io.github.nsqspring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * Ahead-of-time hints for native images: the delay store's Lua scripts and the archive's schema scripts
 * are class-path resources, and nsq-j reads and writes its JSON (IDENTIFY settings, nsqd's answer,
 * nsqlookupd's lookup answer) with Gson through the fields of these classes. The listener methods get
 * their hints from {@code @NsqListener} itself.
 */
final class NsqRuntimeHints implements RuntimeHintsRegistrar {

	private static final String[] NSQ_J_JSON_TYPES = { "com.sproutsocial.nsq.Config", "com.sproutsocial.nsq.ServerConfig",
			"com.sproutsocial.nsq.LookupResponse", "com.sproutsocial.nsq.LookupResponse$Producer" };

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("io/github/nsqspring/delay/*.lua");
		hints.resources().registerPattern("io/github/nsqspring/archive/*.sql");
		for (String type : NSQ_J_JSON_TYPES) {
			hints.reflection().registerType(TypeReference.of(type), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
					MemberCategory.ACCESS_DECLARED_FIELDS);
		}
	}

}
