package io.github.nsqspring.sample.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts an application a benchmark measures: no web server, quiet, and with the starter's defaults rather
 * than the sample's {@code application.properties} (its archive listener would share the CPU with what is
 * measured, its 2 s lookupd poll would move RDY).
 */
final class BenchApplication {

	private BenchApplication() {
	}

	/** Runs the source with the given properties, as default properties. */
	static ConfigurableApplicationContext run(Class<?> source, Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.put("spring.application.name", "bench");
		// a name no file on the classpath has
		all.put("spring.config.name", "bench");
		all.put("logging.level.root", "WARN");
		all.put("spring.main.banner-mode", "off");
		return new SpringApplicationBuilder(source).web(WebApplicationType.NONE).properties(all).run();
	}

}
