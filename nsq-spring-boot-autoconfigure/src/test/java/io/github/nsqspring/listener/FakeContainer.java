package io.github.nsqspring.listener;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.listener.NsqListenerRegistryTests.Behaviour;
import org.jspecify.annotations.Nullable;

/**
 * A container that does not connect anywhere, through the container interface: start flips its state, stop
 * takes 300 ms on a thread (or throws, or never calls back, as its {@link Behaviour} says).
 */
class FakeContainer implements NsqMessageListenerContainer {

	static final long STOP_MILLIS = 300;

	final AtomicInteger stops = new AtomicInteger();

	private final long id;

	private final ContainerProperties properties;

	private final Behaviour behaviour;

	private final ListenerStats stats = new ListenerStats();

	private volatile boolean running;

	FakeContainer(long id, String name, Behaviour behaviour) {
		this.id = id;
		this.properties = new ContainerProperties("fake", "fake");
		this.properties.setName(name);
		this.properties.setNsqdAddresses(List.of("127.0.0.1:1"));
		this.behaviour = behaviour;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void stop() {
		StopAndWait.stop(this, this.properties.getShutdownTimeout());
	}

	@Override
	public void stop(Runnable callback) {
		if (!this.running) {
			callback.run();
			return;
		}
		this.running = false;
		switch (this.behaviour) {
			case THROWS -> throw new IllegalStateException("cannot stop");
			case CALLBACK_THEN_THROWS -> {
				callback.run();
				throw new IllegalStateException("failed after callback");
			}
			case NEVER_CALLS_BACK -> this.stops.incrementAndGet();
			case ASYNC -> new Thread(() -> {
				try {
					Thread.sleep(STOP_MILLIS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				this.stops.incrementAndGet();
				callback.run();
			}).start();
		}
	}

	@Override
	public long getId() {
		return this.id;
	}

	@Override
	public String getName() {
		return this.properties.getName();
	}

	@Override
	public String getTopic() {
		return this.properties.getTopic();
	}

	@Override
	public String getChannel() {
		return this.properties.getChannel();
	}

	@Override
	public ContainerProperties getContainerProperties() {
		return this.properties;
	}

	@Override
	public ContainerState getState() {
		return this.running ? ContainerState.RUNNING : ContainerState.STOPPED;
	}

	@Override
	public ListenerStats getStats() {
		return this.stats;
	}

	@Override
	public @Nullable DrainReport getLastDrain() {
		return null;
	}

	@Override
	public void pause() {
	}

	@Override
	public void resume() {
	}

	@Override
	public int getConnectionCount() {
		return 0;
	}

	@Override
	public Map<String, String> getConnectionRefusals() {
		return Map.of();
	}

	@Override
	public Set<String> getConnectedNsqdAddresses() {
		return Set.of();
	}

	@Override
	public String toString() {
		return "FakeContainer[" + getName() + "]";
	}

}
