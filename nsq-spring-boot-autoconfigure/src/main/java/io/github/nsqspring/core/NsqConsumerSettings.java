package io.github.nsqspring.core;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLSocketFactory;

import io.github.nsqspring.support.NsqVersion;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * What a listener container's nsq-j client reads of the container: what it consumes, how it connects
 * (IDENTIFY, TLS, AUTH) and a probe of nsqd. It is the one type of this project that the adapter in nsq-j's
 * package ({@code com.sproutsocial.nsq.ContainerClient}) may use, so that package depends on nsq-j and this
 * interface only; {@code ContainerProperties} implements it. The default methods derive what the adapter
 * needs from the settings, in JDK types.
 */
public interface NsqConsumerSettings {

	/** The log category of the container's messages, the one users configure for listeners. */
	String LOG_CATEGORY = "io.github.nsqspring.listener.NsqListenerContainer";

	String getName();

	String getTopic();

	String getChannel();

	int getMaxInFlight();

	/** nsqlookupd HTTP addresses, {@code host:port}; empty for direct connections. */
	List<String> getLookupdAddresses();

	/** nsqd TCP addresses, {@code host:port}. */
	List<String> getNsqdAddresses();

	Duration getLookupdPollInterval();

	Duration getReconnectDelay();

	Duration getReconnectMaxDelay();

	@Nullable Duration getMsgTimeout();

	Duration getHeartbeatInterval();

	DataSize getOutputBufferSize();

	Duration getOutputBufferTimeout();

	int getSampleRate();

	NsqCompression getCompression();

	int getDeflateLevel();

	NsqSecurity getSecurity();

	/** Whether RDY goes first to the nsqd that hold messages when max-in-flight is below the number of connections. */
	boolean isBacklogAwareRdy();

	/** Whether consumers discover nsqd through nsqlookupd. */
	default boolean usesLookupd() {
		return !getLookupdAddresses().isEmpty();
	}

	default boolean usesSnappy() {
		return getCompression() == NsqCompression.SNAPPY;
	}

	default boolean usesDeflate() {
		return getCompression() == NsqCompression.DEFLATE;
	}

	default boolean usesTls() {
		return getSecurity().usesTls();
	}

	/** With TLS or an AUTH secret: nsqd is probed before nsq-j connects to it. */
	default boolean isSecured() {
		return getSecurity().usesTls() || getSecurity().hasAuthSecret();
	}

	/** The socket factory of the connections' TLS, or null without TLS. */
	default @Nullable SSLSocketFactory sslSocketFactory() {
		NsqTls tls = getSecurity().tls();
		return (tls != null) ? tls.socketFactory() : null;
	}

	/** The AUTH secret, or null for none. */
	default @Nullable String authSecret() {
		return getSecurity().authSecret();
	}

	/** IDENTIFY {@code user_agent}. */
	default String userAgent() {
		return NsqVersion.userAgent();
	}

	/** The nsqd TCP addresses as host and port. */
	default List<HostPort> nsqdHostPorts() {
		return getNsqdAddresses().stream().map((address) -> {
			NsqAddress parsed = NsqAddress.parse(address);
			return new HostPort(parsed.host(), parsed.port());
		}).toList();
	}

	/**
	 * Connects to nsqd, performs this consumer's handshake (IDENTIFY, TLS with hostname verification, AUTH when
	 * nsqd asks) and SUB, then closes.
	 * @throws Refused when nsqd was reached but refused the consumer, saying which step failed and nsqd's answer
	 * @throws IOException when nsqd cannot be reached or does not answer within the timeout
	 */
	default void probeSubscription(HostPort nsqd, Duration timeout) throws IOException {
		NsqSubscribeProbe.probe(new NsqAddress(nsqd.host(), nsqd.port()), getTopic(), getChannel(), getSecurity(), timeout);
	}

	/** An nsqd TCP address; {@link #toString()} is {@code host:port}, with brackets around an IPv6 host. */
	record HostPort(String host, int port) {

		@Override
		public String toString() {
			return new NsqAddress(this.host, this.port).toString();
		}

	}

	/** nsqd was reached and refused the consumer. */
	final class Refused extends IOException {

		Refused(@Nullable String message, Throwable cause) {
			super(message, cause);
		}

	}

}
