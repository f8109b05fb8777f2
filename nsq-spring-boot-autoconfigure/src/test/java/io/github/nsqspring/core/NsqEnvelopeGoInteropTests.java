package io.github.nsqspring.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The envelope is language-neutral: a Go program using only the standard library (the snippet of
 * docs/envelope.md, built by this test) decodes the test vector and what Java encodes, and Java decodes
 * what it encodes. Fails when {@code go} is not on the PATH.
 */
class NsqEnvelopeGoInteropTests {

	@TempDir
	static Path module;

	static Path binary;

	@BeforeAll
	static void buildGoProgram() throws Exception {
		try (InputStream source = NsqEnvelopeGoInteropTests.class.getResourceAsStream("/envelope/nsqe.go")) {
			Files.write(module.resolve("nsqe.go"), source.readAllBytes());
		}
		Files.writeString(module.resolve("go.mod"), "module nsqe\n\ngo 1.21\n");
		binary = module.resolve("nsqe");
		Result build = run(List.of("go", "build", "-o", binary.toString(), "."));
		assertThat(build.exitCode()).as("go build: %s", build.output()).isZero();
	}

	@Test
	void goDecodesTheTestVector() throws Exception {
		Result decoded = run(List.of(binary.toString(), "decode", NsqEnvelopeTests.VECTOR));
		assertThat(decoded.exitCode()).isZero();
		assertThat(decoded.output()).isEqualTo("traceparent=" + NsqEnvelopeTests.TRACEPARENT + "\n"
				+ "content-type=application/json\npayload={\"id\":42}\n");
	}

	@Test
	void goDecodesWhatJavaEncodes() throws Exception {
		byte[] body = NsqEnvelope.encode(Map.of("tenant", "zürich"), "héllo".getBytes(StandardCharsets.UTF_8));
		Result decoded = run(List.of(binary.toString(), "decode", HexFormat.of().formatHex(body)));
		assertThat(decoded.output()).isEqualTo("tenant=zürich\npayload=héllo\n");
	}

	@Test
	void javaDecodesWhatGoEncodes() throws Exception {
		Result encoded = run(List.of(binary.toString(), "encode", "{\"id\":42}", "traceparent=" + NsqEnvelopeTests.TRACEPARENT,
				"content-type=application/json"));
		assertThat(encoded.exitCode()).isZero();
		assertThat(encoded.output().strip()).isEqualTo(NsqEnvelopeTests.VECTOR);
		NsqEnvelope envelope = NsqEnvelope.decode(HexFormat.of().parseHex(encoded.output().strip()));
		assertThat(envelope.headers()).isEqualTo(NsqEnvelopeTests.vectorHeaders());
	}

	@Test
	void goRejectsATruncatedEnvelope() throws Exception {
		Result decoded = run(List.of(binary.toString(), "decode", "4e53514501000100"));
		assertThat(decoded.exitCode()).isEqualTo(2);
		assertThat(decoded.output()).contains("offset 7");
	}

	private static Result run(List<String> command) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(module.toFile())
			.redirectErrorStream(true);
		builder.environment().put("GOFLAGS", "-mod=mod");
		builder.environment().put("GOPROXY", "off");
		builder.environment().put("GOTOOLCHAIN", "local");
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
		return new Result(process.exitValue(), output);
	}

	private record Result(int exitCode, String output) {
	}

}
