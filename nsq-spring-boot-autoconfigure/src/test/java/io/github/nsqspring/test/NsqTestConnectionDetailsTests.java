package io.github.nsqspring.test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import io.github.nsqspring.autoconfigure.NsqConnectionDetails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@link NsqConnectionDetails} that {@code @NsqTest} registers, a proxy of the interface (the test module cannot depend on it). */
class NsqTestConnectionDetailsTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@Test
	void oneNsqdGivesItsTcpAndHttpAddressesAndNoLookupd() {
		NsqConnectionDetails details = connectionDetailsOf(nsqd);
		assertThat(details.getNsqdAddresses()).containsExactly(nsqd.tcpAddress());
		assertThat(details.getNsqdHttpAddresses()).containsExactly(nsqd.httpAddress());
		assertThat(details.getLookupdAddresses()).isEmpty();
		assertThat(details).hasToString("NsqConnectionDetails of @NsqTest " + nsqd).isEqualTo(details)
			.isNotEqualTo(connectionDetailsOf(nsqd));
	}

	@Test
	void answersEveryMethodOfTheInterface() throws ReflectiveOperationException {
		NsqConnectionDetails details = connectionDetailsOf(nsqd);
		List<Method> methods = Arrays.stream(NsqConnectionDetails.class.getMethods())
			.filter((method) -> !Modifier.isStatic(method.getModifiers()))
			.toList();
		assertThat(methods).isNotEmpty();
		for (Method method : methods) {
			assertThat(method.getParameterCount()).as(method.toString()).isZero();
			assertThat(method.invoke(details)).as(method.toString()).isNotNull();
		}
	}

	private static NsqConnectionDetails connectionDetailsOf(ServerExtension<?> processes) {
		Class<?> type = NsqTestConnectionDetails.type(NsqTestConnectionDetailsTests.class.getClassLoader());
		assertThat(type).isEqualTo(NsqConnectionDetails.class);
		return (NsqConnectionDetails) NsqTestConnectionDetails.create(type, processes);
	}

}
