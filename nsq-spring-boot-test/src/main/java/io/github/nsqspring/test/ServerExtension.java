package io.github.nsqspring.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The JUnit 5 side of the test servers. Registered with {@code @RegisterExtension} on a static field, a
 * server starts before the first test class that uses it and closes after that class; JUnit calls the
 * callbacks again for each {@code @Nested} class, which share the running server.
 * @param <S> the server type
 */
public abstract class ServerExtension<S extends ServerExtension<S>> implements BeforeAllCallback, AfterAllCallback,
		AutoCloseable {

	private int extensionUsers;

	/** Starts the server (again) and waits until it is ready; does nothing when it runs. */
	public abstract S start();

	/** Stops the server and removes its files. */
	@Override
	public abstract void close();

	/**
	 * Registers the Spring properties that point an application at this server, for a
	 * {@code @DynamicPropertySource} method or a {@code DynamicPropertyRegistrar} bean.
	 */
	public abstract void registerProperties(DynamicPropertyRegistry registry);

	@Override
	public final synchronized void beforeAll(ExtensionContext context) {
		if (this.extensionUsers++ == 0) {
			start();
		}
	}

	@Override
	public final synchronized void afterAll(ExtensionContext context) {
		if (--this.extensionUsers == 0) {
			close();
		}
	}

}
