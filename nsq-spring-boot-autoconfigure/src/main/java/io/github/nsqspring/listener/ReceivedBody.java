package io.github.nsqspring.listener;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.core.NsqEnvelope;
import io.github.nsqspring.core.NsqEnvelopeFormatException;
import org.jspecify.annotations.Nullable;

/**
 * A delivered body, read once: a plain payload (no NSQE magic and version), the headers and payload of an
 * {@link NsqEnvelope}, or a malformed envelope (its raw bytes as payload, no headers).
 *
 * <p>The not-before rule: a message whose {@link NsqEnvelope#NOT_BEFORE} time has not come (on this
 * machine's clock) is requeued for the rest of its delay without calling the listener. nsqd counts that
 * delivery as an attempt and a REQ cannot change the body, so the rule discounts it without knowing it
 * happened: a message whose not-before lies after nsqd's publish time (it was meant to wait) has its first
 * extra attempt not counted. One early requeue is all such a message needs (a DPUB's delay is at most nsqd's
 * {@code --max-req-timeout}, which also caps the REQ), so the discount is exact when the delay was lost;
 * when nsqd kept the delay, the message gets one retry more than {@code max-attempts} allows.
 */
final class ReceivedBody {

	private final byte[] payload;

	private final @Nullable NsqEnvelope envelope;

	private final @Nullable NsqEnvelopeFormatException malformed;

	private ReceivedBody(byte[] payload, @Nullable NsqEnvelope envelope, @Nullable NsqEnvelopeFormatException malformed) {
		this.payload = payload;
		this.envelope = envelope;
		this.malformed = malformed;
	}

	static ReceivedBody read(byte[] raw) {
		if (!NsqEnvelope.isEnvelope(raw)) {
			return new ReceivedBody(raw, null, null);
		}
		try {
			NsqEnvelope envelope = NsqEnvelope.decode(raw);
			return new ReceivedBody(envelope.payload(), envelope, null);
		}
		catch (NsqEnvelopeFormatException ex) {
			return new ReceivedBody(raw, null, ex);
		}
	}

	/** The payload: the body without its envelope. */
	byte[] payload() {
		return this.payload;
	}

	/** The envelope's headers, empty without one. */
	Map<String, String> headers() {
		return (this.envelope != null) ? this.envelope.headers() : Map.of();
	}

	/** Why the body that starts like an envelope is none, or null. */
	@Nullable NsqEnvelopeFormatException malformed() {
		return this.malformed;
	}

	/** Milliseconds until the not-before time (0 or less when it has come or there is none). */
	long millisUntilDue(long nowMillis) {
		return (this.envelope != null && this.envelope.hasNotBefore()) ? this.envelope.notBeforeMillis() - nowMillis : 0;
	}

	/**
	 * The attempts the retry logic counts: nsqd's, less the early delivery a message meant to wait may have had.
	 * @param nsqdAttempts nsqd's attempts
	 * @param timestampNanos nsqd's publish time in epoch nanoseconds
	 */
	int countedAttempts(int nsqdAttempts, long timestampNanos) {
		boolean meantToWait = this.envelope != null && this.envelope.hasNotBefore()
				&& this.envelope.notBeforeMillis() > TimeUnit.NANOSECONDS.toMillis(timestampNanos);
		return (meantToWait && nsqdAttempts > 1) ? nsqdAttempts - 1 : nsqdAttempts;
	}

}
