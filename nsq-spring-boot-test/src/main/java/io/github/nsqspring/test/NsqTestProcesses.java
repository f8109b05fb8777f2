package io.github.nsqspring.test;

import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The processes of each {@link NsqTest} class, shared by the JUnit extension (which stops them after the
 * class) and the Spring test context (which may need them first, e.g. with a per-class test instance).
 */
final class NsqTestProcesses {

	private static final Map<Class<?>, ServerExtension<?>> started = new ConcurrentHashMap<>();

	private NsqTestProcesses() {
	}

	/**
	 * The class whose {@link NsqTest} applies to {@code testClass}: itself, or for a {@code @Nested} (inner)
	 * class the nearest enclosing class that declares it; null if none.
	 */
	static @Nullable Class<?> declaringClass(Class<?> testClass) {
		for (Class<?> current = testClass; current != null; current = current.getEnclosingClass()) {
			if (current.isAnnotationPresent(NsqTest.class)) {
				return current;
			}
			if (!current.isMemberClass() || Modifier.isStatic(current.getModifiers())) {
				return null;
			}
		}
		return null;
	}

	/** The running processes of an {@link NsqTest} class, started on first use. */
	static ServerExtension<?> startFor(Class<?> declaringClass) {
		return started.computeIfAbsent(declaringClass, (type) -> start(type.getAnnotation(NsqTest.class)));
	}

	private static ServerExtension<?> start(NsqTest settings) {
		if (settings.lookupd() || settings.nsqd() != 1) {
			return NsqCluster.of(settings.nsqd(), settings.nsqdArguments()).start();
		}
		return NsqServer.withArguments(settings.nsqdArguments()).start();
	}

	/** The running processes of an {@link NsqTest} class, or null when none are running. */
	static @Nullable ServerExtension<?> find(Class<?> declaringClass) {
		return started.get(declaringClass);
	}

	/** Stops the processes of an {@link NsqTest} class, if running. */
	static void stop(Class<?> declaringClass) {
		ServerExtension<?> processes = started.remove(declaringClass);
		if (processes != null) {
			processes.close();
		}
	}

}
