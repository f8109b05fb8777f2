package io.github.nsqspring.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.nsqspring.test.NsqServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Freezes (SIGSTOP) and thaws (SIGCONT) a real nsqd: it keeps its sockets but answers nothing. */
final class ProcessSignals {

	private ProcessSignals() {
	}

	static void freeze(NsqServer nsqd) throws IOException, InterruptedException {
		signal(nsqd, "STOP", true);
	}

	static void thaw(NsqServer nsqd) throws IOException, InterruptedException {
		signal(nsqd, "CONT", false);
	}

	/** Sends the signal and waits until the kernel shows the process stopped or running. */
	private static void signal(NsqServer nsqd, String signal, boolean stopped) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(nsqd.pid())).inheritIO().start();
		assertThat(kill.waitFor()).isZero();
		Path stat = Path.of("/proc", Long.toString(nsqd.pid()), "stat");
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
			.until(() -> processState(Files.readString(stat)).equals("T") == stopped);
	}

	private static String processState(String stat) {
		// "pid (comm) state ...": the state follows the last ')'
		return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
	}

}
