package io.github.nsqspring.archive;

import io.github.nsqspring.autoconfigure.NsqArchiveAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** An application that only archives, for tests that kill its process. */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ NsqAutoConfiguration.class, DataSourceAutoConfiguration.class, NsqArchiveAutoConfiguration.class })
public class ArchiverApplication {

	public static void main(String[] args) {
		new SpringApplicationBuilder(ArchiverApplication.class).web(WebApplicationType.NONE).run(args);
	}

}
