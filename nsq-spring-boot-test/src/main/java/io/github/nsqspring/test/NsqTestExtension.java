package io.github.nsqspring.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link NsqTest}: starts the processes before all tests of the class (a
 * {@code @Nested} class shares those of its enclosing class), resolves {@link NsqServer} and
 * {@link NsqCluster} parameters, and stops the processes after the class.
 */
public class NsqTestExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	@Override
	public void beforeAll(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		Class<?> declaringClass = NsqTestProcesses.declaringClass(testClass);
		if (declaringClass == null) {
			throw new IllegalStateException(testClass.getName()
					+ " uses NsqTestExtension without @NsqTest; register NsqServer or NsqCluster with @RegisterExtension instead");
		}
		NsqTestProcesses.startFor(declaringClass);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		if (NsqTestProcesses.declaringClass(testClass) == testClass) {
			NsqTestProcesses.stop(testClass);
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == NsqServer.class || type == NsqCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> declaringClass = NsqTestProcesses.declaringClass(extensionContext.getRequiredTestClass());
		Object started = (declaringClass != null) ? NsqTestProcesses.find(declaringClass) : null;
		if (started == null) {
			throw new IllegalStateException("No NSQ processes were started for " + extensionContext.getDisplayName());
		}
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

}
