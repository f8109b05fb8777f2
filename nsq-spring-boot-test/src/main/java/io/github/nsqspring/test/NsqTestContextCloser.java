package io.github.nsqspring.test;

import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Closes the Spring test context of an {@link NsqTest} class after the class, as its processes stop then:
 * a cached context would keep its listeners reconnecting to the freed ports, where a later test class's
 * nsqd may be listening. Registered in {@code META-INF/spring.factories}.
 */
class NsqTestContextCloser extends AbstractTestExecutionListener {

	@Override
	public void afterTestClass(TestContext testContext) {
		if (NsqTestProcesses.declaringClass(testContext.getTestClass()) == testContext.getTestClass()) {
			testContext.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
		}
	}

}
