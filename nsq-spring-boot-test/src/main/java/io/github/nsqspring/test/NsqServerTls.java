package io.github.nsqspring.test;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@link NsqServer#withTls(NsqServerTls, String...)} runs nsqd with TLS: certificates made at test
 * time by {@link NsqTlsCertificates}, {@code --tls-required=true} (TCP and HTTP; nsqd then serves HTTPS
 * only), and optionally client certificates required and verified against the test authority.
 */
public final class NsqServerTls {

	private final List<String> serverNames;

	private final boolean clientCertificatesRequired;

	private NsqServerTls(List<String> serverNames, boolean clientCertificatesRequired) {
		this.serverNames = List.copyOf(serverNames);
		this.clientCertificatesRequired = clientCertificatesRequired;
	}

	/** TLS required; the server certificate names {@code 127.0.0.1} and {@code localhost}. */
	public static NsqServerTls required() {
		return new NsqServerTls(List.of("127.0.0.1", "localhost"), false);
	}

	/**
	 * The names the server certificate carries instead of {@code 127.0.0.1} and {@code localhost}, e.g. to
	 * test hostname verification by connecting to a name it lacks. {@code 127.0.0.1} is always added:
	 * the test's own HTTPS calls to nsqd ({@code /stats}, {@code /pub}) go there.
	 */
	public NsqServerTls serverNames(String... names) {
		List<String> all = new ArrayList<>(List.of("127.0.0.1"));
		for (String name : names) {
			if (!all.contains(name)) {
				all.add(name);
			}
		}
		return new NsqServerTls(all, this.clientCertificatesRequired);
	}

	/** nsqd requires a client certificate issued by the test authority ({@code require-verify}). */
	public NsqServerTls requireClientCertificates() {
		return new NsqServerTls(this.serverNames, true);
	}

	List<String> serverNames() {
		return this.serverNames;
	}

	boolean clientCertificatesRequired() {
		return this.clientCertificatesRequired;
	}

}
