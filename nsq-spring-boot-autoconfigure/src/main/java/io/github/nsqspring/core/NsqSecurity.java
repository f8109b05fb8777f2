package io.github.nsqspring.core;

import org.jspecify.annotations.Nullable;

/**
 * What a connection to nsqd does after IDENTIFY: TLS (when {@code tls} is set, and then only TLS: an nsqd
 * that does not offer it is refused rather than spoken to in plaintext), and AUTH with the secret when
 * nsqd asks for it. The secret is never part of {@link #toString()}, logs or exception messages.
 *
 * @param tls TLS for every connection, or {@code null} for plain TCP
 * @param authSecret the secret for AUTH, or {@code null} when none is configured
 */
public record NsqSecurity(@Nullable NsqTls tls, @Nullable String authSecret) {

	/** Plain TCP, no secret. */
	public static final NsqSecurity NONE = new NsqSecurity(null, null);

	public NsqSecurity {
		authSecret = (authSecret != null && !authSecret.isEmpty()) ? authSecret : null;
	}

	public boolean usesTls() {
		return this.tls != null;
	}

	public boolean hasAuthSecret() {
		return this.authSecret != null;
	}

	@Override
	public String toString() {
		return "NsqSecurity[tls=" + this.tls + ", authSecret=" + (hasAuthSecret() ? "******" : "none") + "]";
	}

}
