package io.github.nsqspring.listener;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.support.SnowflakeIdGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The registry's stop callback contract, with containers that fake their own stop. */
class NsqListenerRegistryTests {

	private final NsqListenerRegistry registry = new NsqListenerRegistry(new SnowflakeIdGenerator(3));

	private final AtomicInteger callbacks = new AtomicInteger();

	private final CountDownLatch called = new CountDownLatch(1);

	private void callback() {
		this.callbacks.incrementAndGet();
		this.called.countDown();
	}

	private FakeContainer register(String name, Behaviour behaviour) {
		FakeContainer container = new FakeContainer(this.registry.nextContainerId(), name, behaviour);
		this.registry.registerListenerContainer(container);
		return container;
	}

	private void assertCalledOnce() throws InterruptedException {
		assertThat(this.called.await(5, TimeUnit.SECONDS)).isTrue();
		Thread.sleep(100);
		assertThat(this.callbacks).hasValue(1);
	}

	@Nested
	class StopCallback {

		@Test
		void zeroContainers() throws InterruptedException {
			NsqListenerRegistryTests.this.registry.start();
			NsqListenerRegistryTests.this.registry.stop(NsqListenerRegistryTests.this::callback);
			assertCalledOnce();
			assertThat(NsqListenerRegistryTests.this.registry.isRunning()).isFalse();
		}

		@Test
		void oneContainer() throws InterruptedException {
			FakeContainer container = register("one", Behaviour.ASYNC);
			NsqListenerRegistryTests.this.registry.start();
			NsqListenerRegistryTests.this.registry.stop(NsqListenerRegistryTests.this::callback);
			assertCalledOnce();
			assertThat(container.stops).hasValue(1);
		}

		@Test
		void manyContainersStopInParallel() throws InterruptedException {
			List<FakeContainer> containers = List.of(register("a", Behaviour.ASYNC), register("b", Behaviour.ASYNC),
					register("c", Behaviour.ASYNC), register("d", Behaviour.ASYNC), register("e", Behaviour.ASYNC));
			NsqListenerRegistryTests.this.registry.start();
			long start = System.nanoTime();
			NsqListenerRegistryTests.this.registry.stop(NsqListenerRegistryTests.this::callback);
			assertCalledOnce();
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("5 stops of 300 ms each, concurrently")
				.isLessThan(5 * FakeContainer.STOP_MILLIS);
			assertThat(containers).allMatch((container) -> container.stops.get() == 1);
		}

		@Test
		void alreadyStoppedContainers() throws InterruptedException {
			FakeContainer stopped = register("stopped", Behaviour.ASYNC);
			register("running", Behaviour.ASYNC);
			NsqListenerRegistryTests.this.registry.start();
			stopped.stop();
			NsqListenerRegistryTests.this.registry.stop(NsqListenerRegistryTests.this::callback);
			assertCalledOnce();
		}

		@Test
		void registryStoppedTwice() throws InterruptedException {
			register("x", Behaviour.ASYNC);
			NsqListenerRegistryTests.this.registry.start();
			NsqListenerRegistryTests.this.registry.stop();
			NsqListenerRegistryTests.this.registry.stop(NsqListenerRegistryTests.this::callback);
			assertCalledOnce();
		}

		@Test
		void containerWhoseStopThrowsLetsTheOthersFinish() throws InterruptedException {
			FakeContainer first = register("first", Behaviour.ASYNC);
			register("broken", Behaviour.THROWS);
			register("broken-after-callback", Behaviour.CALLBACK_THEN_THROWS);
			FakeContainer last = register("last", Behaviour.ASYNC);
			NsqListenerRegistryTests.this.registry.start();
			NsqListenerRegistryTests.this.registry.stop(NsqListenerRegistryTests.this::callback);
			assertCalledOnce();
			assertThat(first.stops).hasValue(1);
			assertThat(last.stops).hasValue(1);
		}

	}

	@Nested
	class Lookup {

		@Test
		void byIdAndByName() {
			FakeContainer container = register("orders-listener", Behaviour.ASYNC);
			assertThat(NsqListenerRegistryTests.this.registry.getContainer(container.getId())).containsSame(container);
			assertThat(NsqListenerRegistryTests.this.registry.getContainer("orders-listener")).containsSame(container);
			assertThat(NsqListenerRegistryTests.this.registry.getContainer(Long.toString(container.getId()))).containsSame(container);
			assertThat(NsqListenerRegistryTests.this.registry.getContainer("unknown")).isEmpty();
			assertThat(NsqListenerRegistryTests.this.registry.getContainers()).containsExactly(container);
		}

		@Test
		void duplicateNameIsRejected() {
			register("same", Behaviour.ASYNC);
			assertThatIllegalStateException().isThrownBy(() -> register("same", Behaviour.ASYNC)).withMessageContaining("'same'");
		}

		@Test
		void autoStartupFalseIsRespected() {
			FakeContainer manual = register("manual", Behaviour.ASYNC);
			manual.getContainerProperties().setAutoStartup(false);
			FakeContainer auto = register("auto", Behaviour.ASYNC);
			NsqListenerRegistryTests.this.registry.start();
			assertThat(manual.isRunning()).isFalse();
			assertThat(auto.isRunning()).isTrue();
		}

	}

	enum Behaviour {

		ASYNC, THROWS, CALLBACK_THEN_THROWS, NEVER_CALLS_BACK

	}

}
