package io.github.nsqspring.test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real nsqlookupd and N real nsqd registered with it, all on free loopback ports. Use it like
 * {@link NsqServer}: as a static {@code @RegisterExtension} field, or start and close it yourself.
 */
public final class NsqCluster extends ServerExtension<NsqCluster> {

	private final NsqLookupd lookupd = new NsqLookupd();

	private final int nsqdCount;

	private final List<String> nsqdArguments;

	private final List<NsqServer> nsqds = new ArrayList<>();

	private NsqCluster(int nsqdCount, List<String> nsqdArguments) {
		if (nsqdCount < 1) {
			throw new IllegalArgumentException("An NsqCluster needs at least one nsqd, not " + nsqdCount);
		}
		this.nsqdCount = nsqdCount;
		this.nsqdArguments = List.copyOf(nsqdArguments);
	}

	/** A cluster of one nsqlookupd and {@code nsqdCount} nsqd with default settings (not started yet). */
	public static NsqCluster of(int nsqdCount) {
		return new NsqCluster(nsqdCount, List.of());
	}

	/** A cluster whose nsqd all get the given extra flags (not started yet). */
	public static NsqCluster of(int nsqdCount, String... nsqdArguments) {
		return new NsqCluster(nsqdCount, List.of(nsqdArguments));
	}

	/** Starts nsqlookupd, then every nsqd, and waits for each to answer {@code /ping}. */
	@Override
	public synchronized NsqCluster start() {
		this.lookupd.start();
		if (this.nsqds.isEmpty()) {
			for (int i = 0; i < this.nsqdCount; i++) {
				this.nsqds.add(NsqServer.registeredWith(this.lookupd.tcpAddress(), this.nsqdArguments));
			}
		}
		try {
			this.nsqds.forEach(NsqServer::start);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
		return this;
	}

	/**
	 * Starts one more nsqd registered with the cluster's nsqlookupd, with the cluster's nsqd flags, and
	 * returns it; {@link #close()} stops it with the others.
	 */
	public synchronized NsqServer addNsqd() {
		NsqServer nsqd = NsqServer.registeredWith(this.lookupd.tcpAddress(), this.nsqdArguments);
		this.nsqds.add(nsqd);
		return nsqd.start();
	}

	/** Stops every process and removes their data directories. */
	@Override
	public synchronized void close() {
		this.nsqds.forEach(NsqServer::close);
		this.lookupd.close();
	}

	public NsqLookupd lookupd() {
		return this.lookupd;
	}

	public List<NsqServer> nsqds() {
		return List.copyOf(this.nsqds);
	}

	public NsqServer nsqd(int index) {
		return this.nsqds.get(index);
	}

	/** Comma-separated TCP addresses of all nsqd. */
	public String nsqdTcpAddresses() {
		return this.nsqds.stream().map(NsqServer::tcpAddress).collect(Collectors.joining(","));
	}

	/**
	 * Registers {@code nsq.lookupd-addresses} (the nsqlookupd HTTP address) and {@code nsq.nsqd-addresses}
	 * (every nsqd TCP address).
	 */
	@Override
	public void registerProperties(DynamicPropertyRegistry registry) {
		registry.add("nsq.lookupd-addresses", this.lookupd::httpAddress);
		registry.add("nsq.nsqd-addresses", this::nsqdTcpAddresses);
	}

	@Override
	public String toString() {
		return "NsqCluster[" + this.lookupd + ", " + this.nsqds + "]";
	}

}
