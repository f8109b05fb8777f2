package io.github.nsqspring.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link NsqTest}: starts the processes before all tests of the class, resolves
 * {@link NsqServer} and {@link NsqCluster} parameters, and stops the processes after the class.
 */
public class NsqTestExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NsqTestExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		NsqTest settings = context.getRequiredTestClass().getAnnotation(NsqTest.class);
		if (settings == null && context.getRequiredTestClass().getEnclosingClass() != null) {
			// a @Nested class of an @NsqTest class: it shares the processes of its enclosing class
			find(context);
			return;
		}
		if (settings == null) {
			throw new IllegalStateException(context.getRequiredTestClass().getName()
					+ " uses NsqTestExtension without @NsqTest; register NsqServer or NsqCluster with @RegisterExtension instead");
		}
		Object started;
		if (settings.lookupd() || settings.nsqd() != 1) {
			started = NsqCluster.of(settings.nsqd(), settings.nsqdArguments()).start();
		}
		else {
			started = NsqServer.withArguments(settings.nsqdArguments()).start();
		}
		context.getStore(NAMESPACE).put(context.getRequiredTestClass(), started);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		Object started = context.getStore(NAMESPACE).remove(context.getRequiredTestClass());
		if (started instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot stop " + started, ex);
			}
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == NsqServer.class || type == NsqCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Object started = find(extensionContext);
		Class<?> type = parameterContext.getParameter().getType();
		if (type.isInstance(started)) {
			return started;
		}
		if (type == NsqServer.class && started instanceof NsqCluster cluster) {
			return cluster.nsqd(0);
		}
		throw new IllegalStateException("@NsqTest started " + started + ", which cannot be injected as " + type.getSimpleName()
				+ "; set @NsqTest(lookupd = true) to get an NsqCluster");
	}

	private Object find(ExtensionContext context) {
		for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
			if (current.getTestClass().isPresent()) {
				Object started = current.getStore(NAMESPACE).get(current.getRequiredTestClass());
				if (started != null) {
					return started;
				}
			}
		}
		throw new IllegalStateException("No NSQ processes were started for " + context.getDisplayName());
	}

}
