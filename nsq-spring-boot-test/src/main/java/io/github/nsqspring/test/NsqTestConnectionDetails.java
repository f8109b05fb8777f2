package io.github.nsqspring.test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The {@code NsqConnectionDetails} of an {@link NsqTest} class's processes, as Boot's
 * {@code @ServiceConnection} gives a container's: the auto-configuration uses it instead of {@code nsq.*}
 * addresses. nsq-spring-boot-autoconfigure declares the interface and tests itself with this module, so this
 * module cannot depend on it (Maven refuses the cycle): the bean is a JDK proxy of the interface, loaded by
 * name when the auto-configuration is on the class path.
 */
final class NsqTestConnectionDetails implements InvocationHandler {

	static final String TYPE_NAME = "io.github.nsqspring.autoconfigure.NsqConnectionDetails";

	private final ServerExtension<?> processes;

	private NsqTestConnectionDetails(ServerExtension<?> processes) {
		this.processes = processes;
	}

	/** The {@code NsqConnectionDetails} interface, or null when the auto-configuration is not on the class path. */
	static @Nullable Class<?> type(@Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(TYPE_NAME, classLoader) ? ClassUtils.resolveClassName(TYPE_NAME, classLoader) : null;
	}

	/** An instance of {@code type} (the {@code NsqConnectionDetails} interface) with the addresses of the processes. */
	static Object create(Class<?> type, ServerExtension<?> processes) {
		return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, new NsqTestConnectionDetails(processes));
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
		return switch (method.getName()) {
			case "getNsqdAddresses" -> nsqds().stream().map(NsqServer::tcpAddress).toList();
			case "getNsqdHttpAddresses" -> nsqds().stream().map(NsqServer::httpAddress).toList();
			case "getLookupdAddresses" ->
				(this.processes instanceof NsqCluster cluster) ? List.of(cluster.lookupd().httpAddress()) : List.of();
			case "equals" -> args != null && proxy == args[0];
			case "hashCode" -> System.identityHashCode(proxy);
			case "toString" -> "NsqConnectionDetails of @NsqTest " + this.processes;
			default -> {
				if (!method.isDefault()) {
					throw new UnsupportedOperationException("@NsqTest's NsqConnectionDetails does not implement " + method
							+ "; use the nsq-spring-boot-test of the same version as nsq-spring-boot-autoconfigure");
				}
				yield InvocationHandler.invokeDefault(proxy, method, args);
			}
		};
	}

	private List<NsqServer> nsqds() {
		return (this.processes instanceof NsqCluster cluster) ? cluster.nsqds() : List.of((NsqServer) this.processes);
	}

}
